// API tokens for integrations (another department's system pushing data): created by an
// administrator for a user account, limited to scopes (actions) and an expiry, shown once,
// stored as a hash, revocable. A token acts with its user's roles and region, narrowed
// to its scopes.
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { notFound } from '../http/errors.js'
import type { Action } from './actions.js'
import { newSecret, secretHash } from './secrets.js'
import type { UserRow } from './users.js'
import type { ApiTokenInfo } from '../schemas/users.js'

/** A recognisable prefix lets secret scanners and log redaction spot leaked tokens. */
export const TOKEN_PREFIX = 'sqt_'

type TokenRow = {
  id: number, user_id: number, name: string, scopes: string[], expires_at: Date, created_at: Date,
  last_used_at: Date | null, revoked_at: Date | null
}

const info = (row: TokenRow): ApiTokenInfo => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  scopes: row.scopes,
  expiresAt: row.expires_at.toISOString(),
  createdAt: row.created_at.toISOString(),
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
  revoked: row.revoked_at !== null
})

const COLUMNS = ['id', 'user_id', 'name', 'scopes', 'expires_at', 'created_at', 'last_used_at', 'revoked_at'] as const

export async function createApiToken (db: Db, input: { userId: number, name: string, scopes: Action[], expiresAt: Date, createdBy: number }): Promise<ApiTokenInfo & { token: string }> {
  const token = TOKEN_PREFIX + newSecret()
  const row = await db.insertInto('api_tokens').values({
    user_id: input.userId,
    name: input.name,
    token_hash: secretHash(token),
    scopes: input.scopes,
    expires_at: input.expiresAt,
    created_by: input.createdBy
  }).returning(COLUMNS).executeTakeFirstOrThrow()
  return { ...info(row), token }
}

export async function listApiTokens (db: Db, userId: number): Promise<ApiTokenInfo[]> {
  const rows = await db.selectFrom('api_tokens').select(COLUMNS).where('user_id', '=', userId).orderBy('id').execute()
  return rows.map(info)
}

export async function revokeApiToken (db: Db, userId: number, tokenId: number): Promise<ApiTokenInfo> {
  const row = await db.updateTable('api_tokens')
    .set({ revoked_at: sql<Date>`coalesce(revoked_at, now())` })
    .where('id', '=', tokenId).where('user_id', '=', userId)
    .returning(COLUMNS).executeTakeFirst()
  if (!row) throw notFound('该令牌 (API token)')
  return info(row)
}

/** The enabled user and scopes behind a live (unrevoked, unexpired) token. */
export async function findTokenUser (db: Db, token: string): Promise<{ tokenId: number, scopes: string[], user: UserRow } | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined
  const row = await db.selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('users')
    .select(['api_tokens.id as token_id', 'api_tokens.scopes'])
    .where('api_tokens.token_hash', '=', secretHash(token))
    .where('api_tokens.revoked_at', 'is', null)
    .where('api_tokens.expires_at', '>', sql<Date>`now()`)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst()
  if (!row) return undefined
  await db.updateTable('api_tokens').set({ last_used_at: sql<Date>`now()` }).where('id', '=', row.token_id).execute()
  const { token_id: tokenId, scopes, ...user } = row
  return { tokenId, scopes, user }
}
