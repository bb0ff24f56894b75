// Server-side sessions in PostgreSQL. The cookie holds a random token; the table holds its
// hash, the CSRF token of the session and two limits: idle time and absolute lifetime.
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { newSecret, secretHash } from './secrets.js'
import type { UserRow } from './users.js'

export const SESSION_IDLE_SECONDS = 2 * 60 * 60
export const SESSION_MAX_SECONDS = 12 * 60 * 60
/** Extending the idle limit costs a write; once a minute per session is enough. */
const TOUCH_AFTER_SECONDS = 60

export interface NewSession {
  token: string
  csrfToken: string
  expiresAt: Date
}

export async function createSession (db: Db, userId: number, client: { ip: string, userAgent?: string | undefined }): Promise<NewSession> {
  const token = newSecret()
  const csrfToken = newSecret()
  const row = await db.insertInto('sessions').values({
    id: secretHash(token),
    user_id: userId,
    csrf_token: csrfToken,
    expires_at: sql<Date>`now() + make_interval(secs => ${SESSION_IDLE_SECONDS})`,
    ip: client.ip,
    user_agent: client.userAgent?.slice(0, 300) ?? null
  }).returning('expires_at').executeTakeFirstOrThrow()
  return { token, csrfToken, expiresAt: row.expires_at }
}

export interface ActiveSession {
  id: Buffer
  csrfToken: string
  user: UserRow
}

/** The live session of an enabled user for this token, its idle limit extended; else undefined. */
export async function findSession (db: Db, token: string): Promise<ActiveSession | undefined> {
  const id = secretHash(token)
  const row = await db.selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.csrf_token', 'sessions.last_seen_at'])
    .where('sessions.id', '=', id)
    .where('sessions.expires_at', '>', sql<Date>`now()`)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst()
  if (!row) return undefined
  if (Date.now() - row.last_seen_at.getTime() > TOUCH_AFTER_SECONDS * 1000) {
    await db.updateTable('sessions').set({
      last_seen_at: sql<Date>`now()`,
      expires_at: sql<Date>`least(now() + make_interval(secs => ${SESSION_IDLE_SECONDS}), created_at + make_interval(secs => ${SESSION_MAX_SECONDS}))`
    }).where('id', '=', id).execute()
  }
  const { csrf_token: csrfToken, last_seen_at: _seen, ...user } = row
  return { id, csrfToken, user }
}

export async function deleteSession (db: Db, id: Buffer): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute()
}

/** Sign-out everywhere; `keep` spares the session that asked (e.g. after a password change). */
export async function deleteUserSessions (db: Db, userId: number, keep?: Buffer): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId)
  if (keep) query = query.where('id', '!=', keep)
  const result = await query.executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** Expired rows are useless; the start-up and a periodic job may call this. */
export async function deleteExpiredSessions (db: Db): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', sql<Date>`now()`).executeTakeFirst()
  return Number(result.numDeletedRows)
}
