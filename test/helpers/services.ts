// Per-file isolation on the services that `npm test` (scripts/test.ts) starts once: each
// test file gets its own database cloned from the migrated template, its own Meilisearch
// index prefix and its own bull queue prefix, all removed in teardown.
import { randomBytes } from 'node:crypto'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { Redis } from 'ioredis'
import { Meilisearch } from 'meilisearch'
import type { FastifyInstance } from 'fastify'
import { loadConfig, type Config } from '../../server/config.js'
import { buildApp } from '../../server/app.js'
import { freePort } from '../../scripts/services/process.js'

interface Teardown { teardown: (fn: () => unknown) => void }

function required (name: string): string {
  const value = process.env[name]
  if (!value) throw new Error(`${name} is not set: run the tests with \`npm test\` (add file paths after \`--\`)`)
  return value
}

/** A database cloned from the migrated template, dropped when the test ends. */
export async function testDatabase (t: Teardown): Promise<string> {
  const adminUrl = required('SHANQIAO_TEST_ADMIN_URL')
  const name = `test_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${required('SHANQIAO_TEST_TEMPLATE')}`)
  await admin.end()
  t.teardown(async () => {
    const dropper = new pg.Client({ connectionString: adminUrl })
    await dropper.connect()
    await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await dropper.end()
  })
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return url.href
}

const TEST_KEY = randomBytes(32).toString('hex')

/** A full configuration on isolated resources; `env` overrides individual variables. */
export async function testConfig (t: Teardown, env: Record<string, string> = {}): Promise<Config> {
  const prefix = `t${randomBytes(5).toString('hex')}`
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: env.DATABASE_URL ?? await testDatabase(t),
    MEILI_URL: required('MEILI_URL'),
    MEILI_MASTER_KEY: required('MEILI_MASTER_KEY'),
    REDIS_URL: required('REDIS_URL'),
    SEARCH_PREFIX: `${prefix}_`,
    QUEUE_PREFIX: prefix,
    PII_ENCRYPTION_KEY: TEST_KEY,
    BLIND_INDEX_KEY: TEST_KEY.split('').reverse().join(''),
    // Each app its own folder: uploads are named by row ids, which every test database repeats.
    DATA_DIR: join(required('SHANQIAO_TEST_DATA_DIR'), prefix),
    ...env
  })
  t.teardown(() => removeSearchAndQueues(config))
  return config
}

/** Best effort: a test may have pointed its app at servers it has already stopped. */
async function removeSearchAndQueues (config: Config): Promise<void> {
  const meili = new Meilisearch({ host: config.meiliUrl, apiKey: config.meiliMasterKey })
  await meili.getIndexes({ limit: 1000 }).then(({ results }) => Promise.all(results
    .filter(index => index.uid.startsWith(config.searchPrefix))
    .map(index => meili.deleteIndex(index.uid)))).catch(() => {})
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1, retryStrategy: () => null })
  redis.on('error', () => {})
  await redis.keys(`${config.queuePrefix}:*`).then(keys => keys.length > 0 ? redis.del(...keys) : 0).catch(() => {})
  redis.disconnect()
}

/** The application on isolated resources, closed when the test ends. */
export async function testApp (t: Teardown, env: Record<string, string> = {}): Promise<FastifyInstance> {
  const app = await buildApp(await testConfig(t, env))
  t.teardown(() => app.close())
  return app
}

export interface OwnService<T> {
  dir: string
  port: number
  /** The running instance (the latest, once started again). */
  running: T
  /** Starts it again on the same directory and port (after the test stopped or killed it). */
  start: () => Promise<T>
}

/**
 * A service of the test's own — not the run's shared one — in a directory of its own, for tests
 * that stop and restart it; stopped and removed when the test ends.
 */
export async function ownService<T extends { stop: () => Promise<void> }> (t: Teardown, start: (dir: string, port: number) => Promise<T>): Promise<OwnService<T>> {
  const dir = mkdtempSync(join(tmpdir(), 'shanqiao-own-'))
  // As root, PostgreSQL runs as the postgres user, who must be able to enter this directory.
  chmodSync(dir, 0o755)
  const port = await freePort()
  const own: OwnService<T> = { dir, port, running: await start(dir, port), start: async () => { own.running = await start(dir, port); return own.running } }
  t.teardown(async () => {
    await own.running.stop()
    rmSync(dir, { recursive: true, force: true })
  })
  return own
}
