// `npm test`: starts PostgreSQL, Meilisearch and Redis once for the whole run (in a
// temporary directory, durability off), migrates a template database that each test file
// clones, runs tap with any extra arguments (`npm test -- test/server`; directories are
// expanded into their test files), and stops everything afterwards, whatever the outcome —
// also when Ctrl-C comes while the services are still starting.
import { spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { once } from 'node:events'
import pg from 'pg'
import { createDb } from '../server/db/database.js'
import { migrateToLatest } from '../server/db/migrator.js'
import { startServices, type StartedServices } from './services/index.js'
import { expandTestArguments } from './test-files.js'
import { ensureChromium } from './services/chromium.js'

const root = resolve(fileURLToPath(import.meta.url), '..', '..')
export const TEMPLATE_DATABASE = 'shanqiao_template'
const log = (line: string) => console.log(`[test] ${line}`)

let tapArguments: string[]
try {
  tapArguments = expandTestArguments(process.argv.slice(2), root)
} catch (error) {
  console.error(`[test] ${(error as Error).message}`)
  process.exit(1)
}

// Installed before anything starts: a signal abandons start-up (the services started so
// far stop themselves) or, once tap runs, is passed on to it; cleanup below happens either way.
const abandon = new AbortController()
let tap: ChildProcess | undefined
const onSignal = (signal: NodeJS.Signals) => {
  abandon.abort()
  tap?.kill(signal)
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)

// The browser tests need Chromium and CJK fonts: when the whole suite or any of them runs.
const files = tapArguments.filter(arg => !arg.startsWith('-'))
if (files.length === 0 || files.some(file => file.includes('e2e'))) {
  try {
    ensureChromium(log)
  } catch (error) {
    console.error(`[test] ${(error as Error).message}`)
    process.exit(1)
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'shanqiao-test-'))
// As root, PostgreSQL runs as the postgres user, who must be able to enter this directory.
chmodSync(dataDir, 0o755)
let services: StartedServices | undefined
let exitCode = 1
try {
  services = await startServices({ dataDir, durable: false, external: {}, log, signal: abandon.signal })
  const admin = new pg.Client({ connectionString: services.databaseUrl })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`)
  await admin.end()
  const templateUrl = new URL(services.databaseUrl)
  templateUrl.pathname = `/${TEMPLATE_DATABASE}`
  const db = createDb(templateUrl.href, 1)
  await migrateToLatest(db)
  await db.destroy()
  abandon.signal.throwIfAborted()

  tap = spawn(join(root, 'node_modules', '.bin', 'tap'), tapArguments, {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      NODE_ENV: 'test',
      SHANQIAO_TEST_ADMIN_URL: services.databaseUrl,
      SHANQIAO_TEST_TEMPLATE: TEMPLATE_DATABASE,
      MEILI_URL: services.meiliUrl,
      MEILI_MASTER_KEY: services.meiliMasterKey,
      REDIS_URL: services.redisUrl,
      SHANQIAO_TEST_DATA_DIR: dataDir
    }
  })
  const [code] = await once(tap, 'exit') as [number | null]
  exitCode = code ?? 1
} catch (error) {
  if (!abandon.signal.aborted) console.error(error)
} finally {
  await services?.stop()
  rmSync(dataDir, { recursive: true, force: true })
  log(`services stopped; exit code ${exitCode}`)
}
process.exit(exitCode)
