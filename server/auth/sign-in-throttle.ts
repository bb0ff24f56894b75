// Brute-force defence for sign-in and password changes, kept in PostgreSQL so it holds
// across processes and restarts: too many failures from one address → 429 for a while; too many failures for one
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

/** Arbitrary constant naming the sign-in throttle's advisory locks ('SQSI'). */
const THROTTLE_LOCK = 0x53515349

/** Throws 429 (address) or 423 (account) when a password must not even be checked. */
async function ensureAttemptAllowed (db: Db, username: string, ip: string): Promise<void> {
  const addressWait = await secondsBlocked(db, 'ip', ip, ADDRESS_FAILURE_LIMIT)
  if (addressWait !== undefined) throw tooManyAttempts(addressWait)
  const accountWait = await secondsBlocked(db, 'username', username, ACCOUNT_FAILURE_LIMIT)
  if (accountWait !== undefined) throw accountLocked(accountWait)
}

export interface Consequences {
  /** This attempt, failing, reached the account's limit: it is locked from now on. */
  accountLocked: boolean
  /** This attempt, failing, reached the address's limit: it is throttled from now on. */
  addressThrottled: boolean
}

/** A password check under way: stored as a failure until `passwordAccepted` says otherwise. */
export interface PasswordAttempt {
  id: number
  /** What this attempt sets off if the password is wrong (each is reported once). */
  ifWrong: Consequences
}

/**
 * Checks the limits and records the attempt, as a failure, in one step BEFORE the password is
 * verified (sign-in, password change). Checking first and recording after the slow hash let a
 * burst of parallel guesses all pass the check before any failure was stored. Transaction-scoped
 * advisory locks on the address and the username (always in that order) serialise the
 * check-and-record of concurrent attempts; the hash runs outside them.
 */
export async function beginPasswordAttempt (db: Db, username: string, ip: string): Promise<PasswordAttempt> {
  return db.transaction().execute(async trx => {
    await sql`SELECT pg_advisory_xact_lock(${THROTTLE_LOCK}, hashtext(${`ip:${ip}`}))`.execute(trx)
    await sql`SELECT pg_advisory_xact_lock(${THROTTLE_LOCK}, hashtext(${`user:${username}`}))`.execute(trx)
    await ensureAttemptAllowed(trx, username, ip)
    const { id } = await trx.insertInto('login_attempts').values({ username, ip, succeeded: false }).returning('id').executeTakeFirstOrThrow()
    return {
      id,
      ifWrong: {
        accountLocked: await secondsBlocked(trx, 'username', username, ACCOUNT_FAILURE_LIMIT) !== undefined,
        addressThrottled: await secondsBlocked(trx, 'ip', ip, ADDRESS_FAILURE_LIMIT) !== undefined
      }
    }
  })
}

/** The password was right: the attempt becomes a success, which ends the account's count. */
export async function passwordAccepted (db: Db, attempt: PasswordAttempt): Promise<void> {
  await db.updateTable('login_attempts').set({ succeeded: true }).where('id', '=', attempt.id).execute()
}

/** A day of attempts is kept for investigation (never less than the window that decides). */
export const LOGIN_ATTEMPTS_KEPT_SECONDS = 24 * 3600

/** Removes attempts too old to matter; for the worker's housekeeping. Returns how many. */
export async function pruneLoginAttempts (db: Db, keepSeconds = LOGIN_ATTEMPTS_KEPT_SECONDS): Promise<number> {
  const keep = Math.max(keepSeconds, THROTTLE_WINDOW_SECONDS)
  const result = await db.deleteFrom('login_attempts').where('at', '<', sql<Date>`now() - make_interval(secs => ${keep})`).executeTakeFirst()
  return Number(result.numDeletedRows)
}
