// /ready against services this test owns, so that it can stop them one by one.
import t from 'tap'
import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { freePort } from '../../scripts/services/process.js'
import { startMeilisearch } from '../../scripts/services/meilisearch.js'
import { startRedis } from '../../scripts/services/redis.js'
import { testApp } from '../helpers/services.js'

t.test('a stopped Meilisearch or Redis is reported by name', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'shanqiao-ready-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const meili = await startMeilisearch({ dir: join(dir, 'meili'), port: await freePort() })
  t.teardown(() => meili.stop())
  const redis = await startRedis({ dir: join(dir, 'redis'), port: await freePort(), durable: false })
  t.teardown(() => redis.stop())
  const app = await testApp(t, { MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.masterKey, REDIS_URL: redis.url })

  t.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 200, 'all up')

  await meili.stop()
  const meiliDown = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(meiliDown.statusCode, 503)
  t.equal(meiliDown.json().error.code, 'not_ready')
  t.same(meiliDown.json().error.details.map((d: { field: string }) => d.field), ['meilisearch'])
  t.match(meiliDown.json().error.message, /Meilisearch/)
  // A public route: the service's name and a generic reason, never the driver's error.
  t.same(meiliDown.json().error.details, [{ field: 'meilisearch', code: 'service_down', message: 'Meilisearch 不可用 (unavailable)' }])
  t.notMatch(meiliDown.body, new RegExp(`ECONNREFUSED|fetch failed|127\\.0\\.0\\.1|${new URL(meili.url).port}`))

  await redis.stop()
  const bothDown = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(bothDown.statusCode, 503)
  t.same(bothDown.json().error.details.map((d: { field: string }) => d.field), ['meilisearch', 'redis'])
  t.notMatch(bothDown.body, new RegExp(`ECONNREFUSED|${new URL(redis.url).port}`))
})
