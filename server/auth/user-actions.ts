// What administrators do to accounts and their API tokens, for the API and the pages alike:
// each change is audited with its before and after in the transaction that makes it, and a
// change of binding, a disabled account or a new password ends the account's sessions.
import { randomInt } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { createApiToken, revokeApiToken } from './api-tokens.js'
import { ACTIONS, isAction } from './policy.js'
import { passwordProblems } from './passwords.js'
import { deleteUserSessions } from './sessions.js'
import { createUser, getUser, invalid, publicUser, setPassword, updateUser, type NewUser, type UserChanges, type UserRow } from './users.js'
import { EVERYWHERE } from '../db/scope.js'
import type { ApiTokenInfo, PublicUser } from '../schemas/users.js'

/** API tokens must expire; a year is the longest an integration goes without a new one. */
export const MAX_TOKEN_DAYS = 366

/** The audit view of an account: what an administrator can change. */
const accountState = (user: UserRow) => {
  const { id: _id, createdAt: _created, ...state } = publicUser(user)
  return state
}

export const managedUser = async (request: FastifyRequest, id: number) => getUser(request.server.db, EVERYWHERE, id)

export async function createUserFor (request: FastifyRequest, input: NewUser): Promise<PublicUser> {
  const row = await request.server.db.transaction().execute(async trx => {
    const created = await createUser(trx, input)
    await request.audit({ action: 'user.created', record: { type: 'user', id: created.id, regionCode: created.region_code }, after: accountState(created) }, trx)
    return created
  })
  return publicUser(row)
}

export async function updateUserFor (request: FastifyRequest, id: number, changes: UserChanges): Promise<PublicUser> {
  const before = await managedUser(request, id)
  const after = await request.server.db.transaction().execute(async trx => {
    const row = await updateUser(trx, before, changes)
    // A changed binding or a disabled account must not keep its old sessions' reach.
    await deleteUserSessions(trx, row.id)
    // The region it is in now, or the one it has left when the binding was removed.
    const regionCode = row.region_code ?? before.region_code
    await request.audit({ action: 'user.updated', record: { type: 'user', id: row.id, regionCode }, before: accountState(before), after: accountState(row) }, trx)
    return row
  })
  return publicUser(after)
}

/** Letters and digits that cannot be mistaken for each other when read out or copied from a screen. */
const READABLE = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789'

/** A temporary password for an account an administrator resets: 14 readable characters, within the policy. */
export function temporaryPassword (username: string): string {
  for (;;) {
    const password = Array.from({ length: 14 }, () => READABLE[randomInt(READABLE.length)]).join('')
    if (passwordProblems(password, username).length === 0) return password
  }
}

/**
 * An administrator resets an account's password: a new temporary one, shown once to the
 * administrator (never stored in the clear, never in the trail), every session ended. The
 * person signs in with it and changes it on their account page.
 */
export async function resetPasswordFor (request: FastifyRequest, id: number): Promise<{ temporaryPassword: string, sessionsEnded: number }> {
  const user = await managedUser(request, id)
  const password = temporaryPassword(user.username)
  return request.server.db.transaction().execute(async trx => {
    await setPassword(trx, user.id, password)
    const sessionsEnded = await deleteUserSessions(trx, user.id)
    await request.audit({ action: 'user.password_reset', record: { type: 'user', id: user.id, regionCode: user.region_code }, details: { sessionsEnded } }, trx)
    return { temporaryPassword: password, sessionsEnded }
  })
}

export async function createTokenFor (request: FastifyRequest, id: number, input: { name: string, scopes: string[], expiresAt: string }): Promise<ApiTokenInfo & { token: string }> {
  const user = await managedUser(request, id)
  const { name, scopes, expiresAt } = input
  const problems = scopes.filter(scope => !isAction(scope))
    .map(scope => ({ field: 'body.scopes', code: 'enum', message: `未知权限 ${scope}`, allowed: ACTIONS }))
  const expiry = new Date(expiresAt)
  if (!(expiry.getTime() > Date.now() && expiry.getTime() <= Date.now() + MAX_TOKEN_DAYS * 86400_000)) {
    problems.push({ field: 'body.expiresAt', code: 'range', message: `有效期须在现在之后、${MAX_TOKEN_DAYS} 天之内`, allowed: [] })
  }
  if (problems.length > 0) throw invalid(problems)
  return request.server.db.transaction().execute(async trx => {
    const token = await createApiToken(trx, { userId: user.id, name, scopes: scopes.filter(isAction), expiresAt: expiry, createdBy: request.principal!.userId })
    const { token: _secret, ...shown } = token
    await request.audit({ action: 'token.created', record: { type: 'api_token', id: token.id, regionCode: user.region_code }, after: shown }, trx)
    return token
  })
}

export async function revokeTokenFor (request: FastifyRequest, id: number, tokenId: number): Promise<ApiTokenInfo> {
  const user = await managedUser(request, id)
  return request.server.db.transaction().execute(async trx => {
    const revoked = await revokeApiToken(trx, user.id, tokenId)
    await request.audit({ action: 'token.revoked', record: { type: 'api_token', id: revoked.id, regionCode: user.region_code } }, trx)
    return revoked
  })
}
