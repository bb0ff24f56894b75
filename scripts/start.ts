// `npm start`: starts (or reuses) the infrastructure, migrates, loads demo data on first
// run, then runs the HTTP server and the bull worker until Ctrl-C, and stops everything it
// started, in order: server and worker first (they drain), then Redis, Meilisearch and
// PostgreSQL. In production (NODE_ENV=production) it starts no services and loads no
// demo data: the environment must name real servers and secrets.
import { fork, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { once } from 'node:events'
import { ConfigError, loadConfig, type Config } from '../server/config.js'
import { createDb, type Db } from '../server/db/database.js'
import { today } from '../server/registry/dates.js'
import { generateDataset } from './demo-data/index.js'
import { loadDataset } from './demo-data/load.js'
import { migrateToLatest } from '../server/db/migrator.js'
import { seedDemoAccounts, type DemoAccount } from '../server/auth/demo-accounts.js'
import { startServices, type StartedServices } from './services/index.js'
import { isAlive } from './services/process.js'
import { demoSecrets } from './demo-secrets.js'

const root = resolve(fileURLToPath(import.meta.url), '..', '..')
const production = process.env.NODE_ENV === 'production'
const log = (line: string) => console.log(`[start] ${line}`)
const DEMO_SEED = 2025
const DEMO_HOUSEHOLDS = 2000

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

async function prepareEnvironment (): Promise<{ env: NodeJS.ProcessEnv, services?: StartedServices, release?: () => void }> {
  if (production) return { env: process.env }
  const dataDir = resolve(process.env.DATA_DIR ?? join(root, '.data'))
  mkdirSync(dataDir, { recursive: true, mode: 0o755 })
  const release = takeLock(dataDir)
  const services = await startServices({
    dataDir,
    durable: true,
    log,
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

/** Demo households, donors, projects and courses, on the first start only. */
async function seedDemoData (db: Db, config: Config): Promise<void> {
  if (await db.selectFrom('households').select('id').limit(1).executeTakeFirst()) return
  const asOf = today()
  const counts = await loadDataset(db, config, generateDataset({ seed: DEMO_SEED, households: DEMO_HOUSEHOLDS, asOf }), { asOf, k: config.kAnonymity, dataDir: config.dataDir })
  log(`demo data loaded: ${counts.households} households, ${counts.persons} persons, ${counts.wishes} wishes`)
}

async function prepareDatabase (config: Config): Promise<DemoAccount[]> {
  const db = createDb(config.databaseUrl, 2)
  try {
    await migrateToLatest(db)
    log('database migrated')
    const accounts = await seedDemoAccounts(db, config)
    if (config.demo) await seedDemoData(db, config)
    return accounts
  } finally {
    await db.destroy()
  }
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

async function main (): Promise<void> {
  const { env, services, release } = await prepareEnvironment()
  const children: ChildProcess[] = []
  let stopping: Promise<void> | undefined
  const shutdown = (code: number) => {
    stopping ??= (async () => {
      log('stopping …')
      await Promise.all(children.map(stopChild))
      await services?.stop()
      release?.()
      log('stopped')
      process.exit(code)
    })()
    return stopping
  }
  process.on('SIGINT', () => { void shutdown(0) })
  process.on('SIGTERM', () => { void shutdown(0) })

  try {
    const config = loadConfig(env)
    const demoAccounts = await prepareDatabase(config)
    const server = startChild('server/main.ts', env)
    const worker = startChild('jobs/worker.ts', env)
    children.push(server.child, worker.child)
    const [listening] = await Promise.all([server.ready, worker.ready])
    for (const child of children) {
      child.once('exit', code => {
        if (!stopping) { log(`a child process exited unexpectedly (code ${code})`); void shutdown(1) }
      })
    }
    const address = (listening as { address: string }).address
    log(`善桥 Shanqiao is running at ${address}  (API docs: ${address}/docs)`)
    if (demoAccounts.length > 0) {
      log('demo logins (demo mode only; SHANQIAO_DEMO=off to disable):')
      for (const account of demoAccounts) log(`  ${account.role.padEnd(14)} ${account.username.padEnd(14)} ${account.password}   ${account.scope}`)
    }
    log('Press Ctrl-C to stop the server, the worker and the services started for it.')
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : error)
    await shutdown(1)
  }
}

await main().catch(error => {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`)
  process.exit(1)
})
