// Meilisearch stops and comes back under a running server and worker: donor search answers
// from PostgreSQL meanwhile (promptly, and showing what the database holds), writes go on, and
// once Meilisearch is back the worker's sync brings the index up to date with nothing lost —
// the consistency check is clean. The Meilisearch here is this test's own.
import t from 'tap'
import pino from 'pino'
import { Meilisearch } from 'meilisearch'
import { setTimeout as sleep } from 'node:timers/promises'
import { startMeilisearch } from '../../../scripts/services/meilisearch.js'
import { closeQueues, openQueues } from '../../../jobs/queues.js'
import { registerProcessors, scheduleRepeatableJobs } from '../../../jobs/processors/index.js'
import { checkConsistency } from '../../../server/search/maintenance.js'
import { indexUid } from '../../../server/search/indexes.js'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { ownService, testApp } from '../../helpers/services.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { publishedWish, registerHousehold } from '../../helpers/needs.js'

const PROMPT_MS = 4000

t.test('Meilisearch stops and returns: search falls back, writes go on, the index catches up', async t => {
  const own = await ownService(t, (dir, port) => startMeilisearch({ dir, port }))
  const meili = own.running
  const app = await appWithAccounts(t, { MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.masterKey })
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')

  // The worker, as jobs/worker.ts runs it: the search sync every second.
  const queues = openQueues(app.config)
  t.teardown(() => closeQueues(queues))
  registerProcessors(queues, { db: app.db, config: app.config, meili: new Meilisearch({ host: meili.url, apiKey: meili.masterKey, timeout: 5000 }), queues, log: pino({ level: 'silent' }), messages: app.messages })
  await scheduleRepeatableJobs(queues)

  const person = async (name: string, birthDate: string) => (await registerHousehold(clerk, [{ name, birthDate, sex: 'female' }])).personIds[0] as number
  const coat = await publishedWish(clerk, await person('钱一', '1950-01-01'), { category: 'clothing', item: '棉衣', story: '冬天没有厚衣服。' })
  const blanket = await publishedWish(clerk, await person('钱二', '1951-01-01'), { category: 'daily_goods', item: '棉被', story: '被子太薄了。' })
  const index = new Meilisearch({ host: meili.url, apiKey: meili.masterKey }).index(indexUid(app.config.searchPrefix, 'wishes'))
  const indexedIds = async () => (await index.getDocuments<{ id: number }>({ fields: ['id'], limit: 100 })).results.map(d => d.id).sort((a, b) => a - b)
  const until = async (what: string, done: () => Promise<boolean>) => {
    for (let i = 0; i < 150; i++) {
      if (await done().catch(() => false)) return
      await sleep(200)
    }
    t.fail(`${what} within 30 s`)
  }
  await until('both wishes indexed', async () => (await indexedIds()).length === 2)

  await meili.stop()
  const search = async (query = '') => {
    const started = Date.now()
    const response = await app.inject({ method: 'GET', url: `/api/v1/public/wishes?hitsPerPage=50${query}` })
    t.ok(Date.now() - started < PROMPT_MS, `search answered in ${Date.now() - started} ms`)
    return response.json() as { source: string, hits: Array<{ id: number }> }
  }
  const down = await search()
  t.equal(down.source, 'database', 'donor search falls back to PostgreSQL')
  t.same(down.hits.map(h => h.id).sort((a, b) => a - b), [coat.id, blanket.id])

  // Writes while the index is away: a new wish, and a withdrawn one.
  const bag = await publishedWish(clerk, await person('钱三', '1952-01-01'), { category: 'school_supplies', item: '书包', story: '孙子的书包坏了。' })
  t.equal((await clerk.call({ method: 'POST', url: `/api/v1/wishes/${coat.id}/withdraw`, payload: { reason: '家属已自行购买' } })).statusCode, 200)
  t.same((await search()).hits.map(h => h.id).sort((a, b) => a - b), [blanket.id, bag.id], 'the fallback shows what the database holds')
  t.same((await search(`&q=${encodeURIComponent('书包')}`)).hits.map(h => h.id), [bag.id])
  const ready = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(ready.statusCode, 503)
  t.same(ready.json().error.details.map((d: { field: string }) => d.field), ['meilisearch'])
  await sleep(1500)
  const waiting = new Set((await app.db.selectFrom('search_outbox').select('document_id').where('index_name', '=', 'wishes').execute()).map(r => r.document_id))
  t.ok(waiting.has(coat.id) && waiting.has(bag.id), 'the changes wait in the outbox while the sync fails')

  await own.start()
  await until('the index caught up', async () => JSON.stringify(await indexedIds()) === JSON.stringify([blanket.id, bag.id].sort((a, b) => a - b)))
  await until('the outbox drained', async () => (await app.db.selectFrom('search_outbox').select('id').execute()).length === 0)
  const report = await checkConsistency(app.db, app.meili, app.config.searchPrefix, 'wishes')
  t.match(report, { database: 2, indexed: 2, pending: 0, missing: [], stale: [], different: [], consistent: true }, 'the consistency check is clean')
  t.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 200, 'ready again')

  // A server started now (no memory of the outage) searches Meilisearch again, and finds the same.
  const fresh = await testApp(t, { DATABASE_URL: app.config.databaseUrl, MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.masterKey, SEARCH_PREFIX: app.config.searchPrefix, REDIS_URL: app.config.redisUrl })
  const again = (await fresh.inject({ method: 'GET', url: `/api/v1/public/wishes?q=${encodeURIComponent('书包')}` })).json()
  t.same([again.source, again.hits.map((h: { id: number }) => h.id)], ['search', [bag.id]])
})
