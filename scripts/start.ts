// `npm start`: starts (or reuses) the infrastructure, migrates, loads demo data on first
// run, then runs the HTTP server and the bull worker until Ctrl-C, and stops everything it
// started, in order: server and worker first (they drain), then Redis, Meilisearch and
// PostgreSQL; Ctrl-C during start-up stops whatever has been started so far. In production
// (NODE_ENV=production) it starts no services and loads no demo data: the environment must
// name real servers and secrets.
import { fork, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { once } from 'node:events'
import { setPriority } from 'node:os'
import { ConfigError, loadConfig, type Config } from '../server/config.js'
import { createDb, type Db } from '../server/db/database.js'
import { today } from '../server/clock.js'
import { migrateToLatest } from '../server/db/migrator.js'
import { seedDemoAccounts, type DemoAccount } from '../server/auth/demo-accounts.js'
import { seedDemoData } from './seed-demo-data.js'
import { startServices, type StartedServices } from './services/index.js'
import { isAlive } from './services/process.js'
import { demoSecrets } from './demo-secrets.js'

const root = resolve(fileURLToPath(import.meta.url), '..', '..')
const production = process.env.NODE_ENV === 'production'
const log = (line: string) => console.log(`[start] ${line}`)
const DEMO_SEED = 2025
const DEMO_HOUSEHOLDS = 2000
const WORKER_NICENESS = 10

/** One supervisor per DATA_DIR: two would fight over the same database files. */
function takeLock (dataDir: string): () => void {
  const lockFile = join(dataDir, 'supervisor.pid')
  if (existsSync(lockFile)) {
    const pid = Number(readFileSync(lockFile, 'utf8'))
    if (pid !== process.pid && isAlive(pid)) {
      throw new Error(`another "npm start" (pid ${pid}) is using DATA_DIR ${dataDir}; stop it, or set DATA_DIR and PORT for a second instance`)
    }
  }
  writeFileSync(lockFile, String(process.pid))
  return () => rmSync(lockFile, { force: true })
}

interface Environment { env: NodeJS.ProcessEnv, services?: StartedServices, release?: () => void }

async function prepareEnvironment (signal: AbortSignal): Promise<Environment> {
  if (production) return { env: process.env }
  const dataDir = resolve(process.env.DATA_DIR ?? join(root, '.data'))
  mkdirSync(dataDir, { recursive: true, mode: 0o755 })
  const release = takeLock(dataDir)
  const services = await startServices({
    dataDir,
    durable: true,
    log,
    signal,
    // The embedded services are ours to keep running; external ones have their own platform.
    supervise: true,
    external: {
      databaseUrl: process.env.DATABASE_URL,
      meiliUrl: process.env.MEILI_URL,
      meiliMasterKey: process.env.MEILI_MASTER_KEY,
      redisUrl: process.env.REDIS_URL
    }
  }).catch(error => { release(); throw error })
  const env = {
    ...demoSecrets(dataDir),
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: services.databaseUrl,
    MEILI_URL: services.meiliUrl,
    MEILI_MASTER_KEY: services.meiliMasterKey,
    REDIS_URL: services.redisUrl
  }
  return { env, services, release }
}

async function prepareDatabase (db: Db, config: Config): Promise<void> {
  await migrateToLatest(db)
  log('database migrated')
  if (!config.demo) return
  // The demo logins first: the demo data gives their donors a history.
  await seedDemoAccounts(db, config)
  await seedDemoData(db, async () => {
    // Imported only when needed: a second start should not pay for loading the generator.
    const [{ generateDataset }, { loadDataset }] = await Promise.all([import('./demo-data/index.js'), import('./demo-data/load.js')])
    const asOf = today()
    return loadDataset(db, config, generateDataset({ seed: DEMO_SEED, households: DEMO_HOUSEHOLDS, asOf }), { asOf, k: config.kAnonymity, dataDir: config.dataDir })
  }, log)
}

function startChild (file: string, env: NodeJS.ProcessEnv): { child: ChildProcess, ready: Promise<unknown> } {
  const child = fork(join(root, file), [], { env, execArgv: ['--import', 'tsx'], stdio: 'inherit' })
  const ready = new Promise((resolve, reject) => {
    child.on('message', message => {
      if ((message as { type?: string }).type === 'ready') resolve(message)
    })
    child.once('exit', code => reject(new Error(`${file} exited with code ${code} during start-up`)))
  })
  return { child, ready }
}

async function stopChild (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
  await exited
  clearTimeout(timer)
}

interface Ready { address: string, demoAccounts: DemoAccount[] }

async function main (): Promise<void> {
  const abandon = new AbortController()
  const children: ChildProcess[] = []
  let environment: Promise<Environment> | undefined
  let db: Db | undefined
  let stopping: Promise<void> | undefined
  const shutdown = (code: number) => {
    stopping ??= (async () => {
      log('stopping …')
      // Services half-way through start-up stop themselves; the started ones are stopped below.
      abandon.abort()
      const prepared = await environment?.catch(() => undefined)
      // Ends the migration or demo load at its next query, before its database goes away.
      await db?.destroy()
      await Promise.all(children.map(stopChild))
      await prepared?.services?.stop()
      prepared?.release?.()
      log('stopped')
      process.exit(code)
    })()
    return stopping
  }
  // Before anything starts, so that Ctrl-C at any moment stops whatever exists so far.
  process.on('SIGINT', () => { void shutdown(0) })
  process.on('SIGTERM', () => { void shutdown(0) })

  try {
    environment = prepareEnvironment(abandon.signal)
    const { env } = await environment
    const config = loadConfig(env)
    db = createDb(config.databaseUrl, 2)
    await prepareDatabase(db, config)
    await db.destroy()
    abandon.signal.throwIfAborted()
    const server = startChild('server/main.ts', env)
    const worker = startChild('jobs/worker.ts', env)
    // Jobs (imports, proposal runs) must not slow down answering people: on a busy machine
    // the HTTP server gets the processor first, from its start-up on.
    if (worker.child.pid !== undefined) setPriority(worker.child.pid, WORKER_NICENESS)
    children.push(server.child, worker.child)
    const [ready] = await Promise.all([server.ready, worker.ready]) as [Ready, unknown]
    for (const child of children) {
      child.once('exit', code => {
        if (!stopping) { log(`a child process exited unexpectedly (code ${code})`); void shutdown(1) }
      })
    }
    log(`善桥 Shanqiao is running at ${ready.address}  (API docs: ${ready.address}/docs)`)
    if (ready.demoAccounts.length > 0) {
      log('demo logins (demo mode only; SHANQIAO_DEMO=off to disable):')
      for (const account of ready.demoAccounts) log(`  ${account.role.padEnd(14)} ${account.username.padEnd(14)} ${account.password}   ${account.scope}`)
    }
    log('Press Ctrl-C to stop the server, the worker and the services started for it.')
  } catch (error) {
    // Errors caused by stopping half-way (Ctrl-C) are not worth showing.
    if (!stopping) console.error(error instanceof ConfigError ? error.message : error)
    await shutdown(1)
  }
}

await main().catch(error => {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
