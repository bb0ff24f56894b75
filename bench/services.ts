// Benchmarks that need PostgreSQL start their own (temporary directory, durability off, as
// in the tests), migrate it, run, and stop it again.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir, cpus } from 'node:os'
import { join } from 'node:path'
import { createDb, type Db } from '../server/db/database.js'
import { migrateToLatest } from '../server/db/migrator.js'
import { startServices, type StartedServices } from '../scripts/services/index.js'

export async function withDatabase<T> (run: (db: Db, services: StartedServices) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'shanqiao-bench-'))
  chmodSync(dataDir, 0o755)
  const services = await startServices({ dataDir, durable: false, external: {}, log: () => {} })
  // An interrupted benchmark still stops the services it started.
  const interrupted = () => { void services.stop().finally(() => process.exit(130)) }
  process.once('SIGINT', interrupted)
  process.once('SIGTERM', interrupted)
  const db = createDb(services.databaseUrl, 4)
  try {
    await migrateToLatest(db)
    return await run(db, services)
  } finally {
    await db.destroy()
    await services.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

export function median (values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] as number : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

export function machine (): string {
  return `${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), Node ${process.version}`
}
