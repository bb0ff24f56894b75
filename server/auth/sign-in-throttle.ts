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

export interface Consequences {
  /** This failure reached the account's limit: it is locked from now on. */
  accountLocked: boolean
  /** This failure reached the address's limit: it is throttled from now on. */
  addressThrottled: boolean
}

/**
 * Records an attempt (called after ensureSignInAllowed passed). For a failure it also says
 * whether this one set off the lock-out or the throttle, so each is reported once rather
 * than at every refused try.
 */
export async function recordSignInAttempt (db: Db, username: string, ip: string, succeeded: boolean): Promise<Consequences> {
  await db.insertInto('login_attempts').values({ username, ip, succeeded }).execute()
  if (succeeded) return { accountLocked: false, addressThrottled: false }
  return {
    accountLocked: await secondsBlocked(db, 'username', username, ACCOUNT_FAILURE_LIMIT) !== undefined,
    addressThrottled: await secondsBlocked(db, 'ip', ip, ADDRESS_FAILURE_LIMIT) !== undefined
  }
}

/** A day of attempts is kept for investigation (never less than the window that decides). */
export const LOGIN_ATTEMPTS_KEPT_SECONDS = 24 * 3600

/** Removes attempts too old to matter; for the worker's housekeeping. Returns how many. */
export async function pruneLoginAttempts (db: Db, keepSeconds = LOGIN_ATTEMPTS_KEPT_SECONDS): Promise<number> {
  const keep = Math.max(keepSeconds, THROTTLE_WINDOW_SECONDS)
  const result = await db.deleteFrom('login_attempts').where('at', '<', sql<Date>`now() - make_interval(secs => ${keep})`).executeTakeFirst()
  return Number(result.numDeletedRows)
}
