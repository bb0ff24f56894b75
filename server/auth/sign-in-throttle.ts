// Brute-force defence for sign-in and password changes, kept in PostgreSQL so it holds
// across processes and restarts: too many failures from one address → 429 for a while; too many failures for one
// username since its last success → the account is locked (423) for a while. Unknown
// usernames are counted the same way, so the lock-out does not reveal which accounts exist.
import { sql } from 'kysely'
import { inTransaction, type Db } from '../db/database.js'
import { accountLocked, tooManyAttempts } from './errors.js'

export const THROTTLE_WINDOW_SECONDS = 15 * 60
export const ACCOUNT_FAILURE_LIMIT = 5
export const ADDRESS_FAILURE_LIMIT = 20

const window = sql`make_interval(secs => ${THROTTLE_WINDOW_SECONDS})`

/** Seconds until the limit-th most recent failure leaves the window, or undefined if under the limit. */
async function secondsBlocked (db: Db, column: 'username' | 'ip', value: string, limit: number): Promise<number | undefined> {
  const { rows } = await sql<{ wait: number }>`
    SELECT ceil(extract(epoch FROM at + ${window} - now()))::int AS wait
    FROM login_attempts
    WHERE ${sql.ref(column)} = ${value} AND NOT succeeded AND at > ${since(column, value)}
    ORDER BY at DESC OFFSET ${limit - 1} LIMIT 1`.execute(db)
  return rows[0] ? Math.max(1, rows[0].wait) : undefined
}

/** Failures count within the window, and for an account only since its last success. */
function since (column: 'username' | 'ip', value: string) {
  return column === 'username'
    ? sql`greatest(now() - ${window}, coalesce((SELECT max(at) FROM login_attempts WHERE username = ${value} AND succeeded), '-infinity'))`
    : sql`now() - ${window}`
}

/** Arbitrary constant naming the sign-in throttle's advisory locks ('SQSI'). */
const THROTTLE_LOCK = 0x53515349

/**
 * Serialises, per address and per username, what changes their counts: taking a place for an
 * attempt and deciding its outcome. Transaction-scoped; always the address first, so that two
 * steps never wait on each other in opposite order.
 */
async function lockCounts (trx: Db, username: string, ip: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${THROTTLE_LOCK}, hashtext(${`ip:${ip}`}))`.execute(trx)
  await sql`SELECT pg_advisory_xact_lock(${THROTTLE_LOCK}, hashtext(${`user:${username}`}))`.execute(trx)
}

/** Throws 429 (address) or 423 (account) when a password must not even be checked. */
async function ensureAttemptAllowed (db: Db, username: string, ip: string): Promise<void> {
  const addressWait = await secondsBlocked(db, 'ip', ip, ADDRESS_FAILURE_LIMIT)
  if (addressWait !== undefined) throw tooManyAttempts(addressWait)
  const accountWait = await secondsBlocked(db, 'username', username, ACCOUNT_FAILURE_LIMIT)
  if (accountWait !== undefined) throw accountLocked(accountWait)
}

export interface Consequences {
  /** This failure, decided, reached the account's limit: it is locked from now on. */
  accountLocked: boolean
  /** This failure, decided, reached the address's limit: it is throttled from now on. */
  addressThrottled: boolean
}

/** A password check under way: stored as a failure until `passwordAccepted` says otherwise. */
export interface PasswordAttempt {
  id: number
  username: string
  ip: string
}

/**
 * Checks the limits and records the attempt, as a failure still being checked, in one step
 * BEFORE the password is verified (sign-in, password change): checking first and recording
 * after the slow hash let a burst of parallel guesses all pass the check before any failure
 * was stored. The hash runs outside the locks.
 */
export async function beginPasswordAttempt (db: Db, username: string, ip: string): Promise<PasswordAttempt> {
  return db.transaction().execute(async trx => {
    await lockCounts(trx, username, ip)
    await ensureAttemptAllowed(trx, username, ip)
    const { id } = await trx.insertInto('login_attempts').values({ username, ip, succeeded: false, checking: true }).returning('id').executeTakeFirstOrThrow()
    return { id, username, ip }
  })
}

/** Failures already decided, within the window (for an account: since its last success). */
async function decidedFailures (db: Db, column: 'username' | 'ip', value: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM login_attempts
    WHERE ${sql.ref(column)} = ${value} AND NOT succeeded AND NOT checking AND at > ${since(column, value)}`.execute(db)
  return rows[0]?.n ?? 0
}

/**
 * The password was wrong: decides the attempt a failure and, in the same transaction and under
 * the same locks, lets `record` write what that refusal set off. Attempts still being checked
 * do not count here (one may yet prove right and end the account's count), so each limit is
 * reached by exactly one decided failure, whatever order the parallel checks end in, and the
 * trail holds the failures and then, once, the lock-out or throttle.
 */
export async function passwordRefused (db: Db, attempt: PasswordAttempt, record: (trx: Db, consequences: Consequences) => Promise<void>): Promise<void> {
  await db.transaction().execute(async trx => {
    await lockCounts(trx, attempt.username, attempt.ip)
    await trx.updateTable('login_attempts').set({ checking: false }).where('id', '=', attempt.id).execute()
    await record(trx, {
      accountLocked: await decidedFailures(trx, 'username', attempt.username) === ACCOUNT_FAILURE_LIMIT,
      addressThrottled: await decidedFailures(trx, 'ip', attempt.ip) === ADDRESS_FAILURE_LIMIT
    })
  })
}

/** The password was right: the attempt becomes a success, which ends the account's count. */
export async function passwordAccepted (db: Db, attempt: PasswordAttempt): Promise<void> {
  await inTransaction(db, async trx => {
    await lockCounts(trx, attempt.username, attempt.ip)
    await trx.updateTable('login_attempts').set({ succeeded: true, checking: false }).where('id', '=', attempt.id).execute()
  })
}

/** A day of attempts is kept for investigation (never less than the window that decides). */
export const LOGIN_ATTEMPTS_KEPT_SECONDS = 24 * 3600

/** Removes attempts too old to matter; for the worker's housekeeping. Returns how many. */
export async function pruneLoginAttempts (db: Db, keepSeconds = LOGIN_ATTEMPTS_KEPT_SECONDS): Promise<number> {
  const keep = Math.max(keepSeconds, THROTTLE_WINDOW_SECONDS)
  const result = await db.deleteFrom('login_attempts').where('at', '<', sql<Date>`now() - make_interval(secs => ${keep})`).executeTakeFirst()
  return Number(result.numDeletedRows)
}
