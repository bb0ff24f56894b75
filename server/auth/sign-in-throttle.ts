// Brute-force defence for sign-in, kept in PostgreSQL so it holds across processes and
// restarts: too many failures from one address → 429 for a while; too many failures for one
// username since its last success → the account is locked (423) for a while. Unknown
// usernames are counted the same way, so the lock-out does not reveal which accounts exist.
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { accountLocked, tooManyAttempts } from './errors.js'

export const THROTTLE_WINDOW_SECONDS = 15 * 60
export const ACCOUNT_FAILURE_LIMIT = 5
export const ADDRESS_FAILURE_LIMIT = 20

const window = sql`make_interval(secs => ${THROTTLE_WINDOW_SECONDS})`

/** Seconds until the limit-th most recent failure leaves the window, or undefined if under the limit. */
async function secondsBlocked (db: Db, column: 'username' | 'ip', value: string, limit: number): Promise<number | undefined> {
  const since = column === 'username'
    ? sql`greatest(now() - ${window}, coalesce((SELECT max(at) FROM login_attempts WHERE username = ${value} AND succeeded), '-infinity'))`
    : sql`now() - ${window}`
  const { rows } = await sql<{ wait: number }>`
    SELECT ceil(extract(epoch FROM at + ${window} - now()))::int AS wait
    FROM login_attempts
    WHERE ${sql.ref(column)} = ${value} AND NOT succeeded AND at > ${since}
    ORDER BY at DESC OFFSET ${limit - 1} LIMIT 1`.execute(db)
  return rows[0] ? Math.max(1, rows[0].wait) : undefined
}

/** Throws 429 (address) or 423 (account) when sign-in must not even be tried. */
export async function ensureSignInAllowed (db: Db, username: string, ip: string): Promise<void> {
  const addressWait = await secondsBlocked(db, 'ip', ip, ADDRESS_FAILURE_LIMIT)
  if (addressWait !== undefined) throw tooManyAttempts(addressWait)
  const accountWait = await secondsBlocked(db, 'username', username, ACCOUNT_FAILURE_LIMIT)
  if (accountWait !== undefined) throw accountLocked(accountWait)
}

export async function recordSignInAttempt (db: Db, username: string, ip: string, succeeded: boolean): Promise<void> {
  await db.insertInto('login_attempts').values({ username, ip, succeeded }).execute()
}
