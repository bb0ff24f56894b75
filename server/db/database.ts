import { Kysely, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database } from './schema.js'

// numeric (money) comes back as a string by default; our amounts are yuan with two
// decimals, well inside a double's exact range, so we read them as numbers.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, value => Number(value))
// bigint identity keys stay far below 2^53 in any county; read them as numbers too.
pg.types.setTypeParser(pg.types.builtins.INT8, value => Number(value))
// dates are calendar days, not instants: keep them as 'YYYY-MM-DD' strings.
pg.types.setTypeParser(pg.types.builtins.DATE, value => value)

export type Db = Kysely<Database>

/**
 * `connectTimeoutMs` bounds the wait for a connection (a new one, or a free one of the pool's):
 * the HTTP server sets it so that a request answers even when PostgreSQL is hung or every
 * connection is taken; jobs, migrations and loaders wait as long as it takes.
 */
export function createDb (connectionString: string, max = 10, { connectTimeoutMs }: { connectTimeoutMs?: number } = {}): Db {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: connectTimeoutMs ?? 0 })
  // An idle connection that the server ends (a restart, an administrator) is dropped by the
  // pool and the next query connects anew; unhandled, the event would end the whole process.
  pool.on('error', () => {})
  // The same for a connection checked out but between statements (inside a transaction, say):
  // the pool listens only to idle ones. Its next statement fails, and the pool drops it on release.
  pool.on('connect', client => { client.on('error', () => {}) })
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
}

/** Runs `work` inside the caller's transaction when given one, else in a transaction of its own. */
export function inTransaction<T> (db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work)
}
