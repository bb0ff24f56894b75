// Staff accounts (created and changed by administrators), forced sign-out, and the API
// tokens of an account. Every change is audited with its before and after.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { errorResponseSchema } from '../../../http/errors.js'
import { createApiToken, listApiTokens, revokeApiToken } from '../../../auth/api-tokens.js'
import { ACTIONS, isAction, regionScopeFor } from '../../../auth/policy.js'
import { EVERYWHERE } from '../../../db/scope.js'
import { ROLES, STAFF_ROLES, type Role } from '../../../auth/roles.js'
import { deleteUserSessions } from '../../../auth/sessions.js'
import { sessionsEndedSchema, signOutEverywhere } from '../../../auth/sign-out-everywhere.js'
import { createUser, getUser, invalid, listUsers, publicUser, updateUser, USERNAME_PATTERN, type UserRow } from '../../../auth/users.js'
import { PublicUserSchema } from '../../../schemas/users.js'
import { formBody } from './auth.js'

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const roleSchema = Type.Unsafe<Role>({ type: 'string', enum: [...ROLES] })
const staffRoleSchema = Type.Unsafe<Role>({ type: 'string', enum: [...STAFF_ROLES] })
const regionCode = Type.String({ pattern: '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$' })
const idParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const tokenSchema = Type.Object({
  id: Type.Integer(),
  userId: Type.Integer(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  expiresAt: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revoked: Type.Boolean()
})
/** API tokens must expire; a year is the longest an integration goes without a new one. */
const MAX_TOKEN_DAYS = 366

/** The audit view of an account: what an administrator can change. */
const accountState = (user: UserRow) => {
  const { id: _id, createdAt: _created, ...state } = publicUser(user)
  return state
}

export const userRoutes: FastifyPluginAsyncTypebox = async app => {
  const managedUser = async (id: number) => getUser(app.db, EVERYWHERE, id)

  app.get('/api/v1/users', {
    config: { access: 'user.read' },
    schema: {
      tags: ['users'],
      summary: '账号列表 / accounts in the reader\'s region',
      querystring: Type.Object({
        role: Type.Optional(roleSchema),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        offset: Type.Integer({ minimum: 0, default: 0 })
      }),
      response: { 200: Type.Object({ users: Type.Array(PublicUserSchema) }), ...errors }
    }
  }, async request => {
    const scope = regionScopeFor(request.principal, 'user.read')
    const rows = await listUsers(app.db, scope, request.query)
    return { users: rows.map(publicUser) }
  })

  app.get('/api/v1/users/:id', {
    config: { access: 'user.read' },
    schema: { tags: ['users'], summary: '账号详情 / one account', params: idParams, response: { 200: PublicUserSchema, ...errors } }
  }, async request => publicUser(await getUser(app.db, regionScopeFor(request.principal, 'user.read'), request.params.id)))

  app.post('/api/v1/users', {
    config: { access: 'user.manage' },
    schema: {
      tags: ['users'],
      summary: '创建工作人员账号 / create a staff account bound to a region or organisation',
      body: formBody({
        username: Type.String({ pattern: USERNAME_PATTERN }),
        displayName: Type.String({ minLength: 1, maxLength: 100 }),
        password: Type.String({ maxLength: 400 }),
        roles: Type.Array(staffRoleSchema, { minItems: 1, uniqueItems: true }),
        regionCode: Type.Optional(regionCode),
        organisationId: Type.Optional(Type.Integer({ minimum: 1 })),
        institutionId: Type.Optional(Type.Integer({ minimum: 1 }))
      }),
      response: { 201: PublicUserSchema, ...errors }
    }
  }, async (request, reply) => {
    const user = await app.db.transaction().execute(async trx => {
      const row = await createUser(trx, request.body)
      await request.audit({ action: 'user.created', record: { type: 'user', id: row.id, regionCode: row.region_code }, after: accountState(row) }, trx)
      return row
    })
    return reply.status(201).send(publicUser(user))
  })

  app.patch('/api/v1/users/:id', {
    config: { access: 'user.manage' },
    schema: {
      tags: ['users'],
      summary: '修改账号（角色、绑定、停用）/ change roles, binding, or disable (ends its sessions)',
      params: idParams,
      body: formBody({
        displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        roles: Type.Optional(Type.Array(roleSchema, { minItems: 1, uniqueItems: true })),
        regionCode: Type.Optional(Type.Union([regionCode, Type.Null()])),
        organisationId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
        institutionId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
        disabled: Type.Optional(Type.Boolean())
      }),
      response: { 200: PublicUserSchema, ...errors }
    }
  }, async request => {
    const before = await managedUser(request.params.id)
    const after = await app.db.transaction().execute(async trx => {
      const row = await updateUser(trx, before, request.body)
      // A changed binding or a disabled account must not keep its old sessions' reach.
      await deleteUserSessions(trx, row.id)
      // The region it is in now, or the one it has left when the binding was removed.
      const regionCode = row.region_code ?? before.region_code
      await request.audit({ action: 'user.updated', record: { type: 'user', id: row.id, regionCode }, before: accountState(before), after: accountState(row) }, trx)
      return row
    })
    return publicUser(after)
  })

  app.post('/api/v1/users/:id/sign-out-everywhere', {
    config: { access: 'user.manage' },
    schema: {
      tags: ['users'],
      summary: '强制退出所有会话 / end every session of an account',
      params: idParams,
      response: { 200: sessionsEndedSchema, ...errors }
    }
  }, async request => {
    const user = await managedUser(request.params.id)
    return signOutEverywhere(request, { id: user.id, regionCode: user.region_code }, 'user.signed_out_everywhere')
  })

  app.get('/api/v1/users/:id/tokens', {
    config: { access: 'token.manage' },
    schema: { tags: ['users'], summary: 'API 令牌列表（不含令牌本身）/ an account\'s API tokens', params: idParams, response: { 200: Type.Object({ tokens: Type.Array(tokenSchema) }), ...errors } }
  }, async request => {
    const user = await managedUser(request.params.id)
    return { tokens: await listApiTokens(app.db, user.id) }
  })

  app.post('/api/v1/users/:id/tokens', {
    config: { access: 'token.manage' },
    schema: {
      tags: ['users'],
      summary: '创建 API 令牌（只显示一次）/ create an API token; the token is shown only in this response',
      params: idParams,
      body: formBody({
        name: Type.String({ minLength: 1, maxLength: 100 }),
        scopes: Type.Array(Type.String(), { minItems: 1, uniqueItems: true }),
        expiresAt: Type.String({ format: 'date-time' })
      }),
      response: { 201: Type.Object({ ...tokenSchema.properties, token: Type.String() }), ...errors }
    }
  }, async (request, reply) => {
    const user = await managedUser(request.params.id)
    const { name, scopes, expiresAt } = request.body
    const problems = scopes.filter(scope => !isAction(scope))
      .map(scope => ({ field: 'body.scopes', code: 'enum', message: `未知权限 ${scope}`, allowed: ACTIONS }))
    const expiry = new Date(expiresAt)
    if (!(expiry.getTime() > Date.now() && expiry.getTime() <= Date.now() + MAX_TOKEN_DAYS * 86400_000)) {
      problems.push({ field: 'body.expiresAt', code: 'range', message: `有效期须在现在之后、${MAX_TOKEN_DAYS} 天之内`, allowed: [] })
    }
    if (problems.length > 0) throw invalid(problems)
    const created = await app.db.transaction().execute(async trx => {
      const token = await createApiToken(trx, { userId: user.id, name, scopes: scopes.filter(isAction), expiresAt: expiry, createdBy: request.principal!.userId })
      const { token: _secret, ...shown } = token
      await request.audit({ action: 'token.created', record: { type: 'api_token', id: token.id, regionCode: user.region_code }, after: shown }, trx)
      return token
    })
    return reply.status(201).send(created)
  })

  app.delete('/api/v1/users/:id/tokens/:tokenId', {
    config: { access: 'token.manage' },
    schema: {
      tags: ['users'],
      summary: '撤销 API 令牌 / revoke an API token',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }), tokenId: Type.Integer({ minimum: 1 }) }),
      response: { 200: tokenSchema, ...errors }
    }
  }, async request => {
    const user = await managedUser(request.params.id)
    return app.db.transaction().execute(async trx => {
      const revoked = await revokeApiToken(trx, user.id, request.params.tokenId)
      await request.audit({ action: 'token.revoked', record: { type: 'api_token', id: revoked.id, regionCode: user.region_code } }, trx)
      return revoked
    })
  })
}
