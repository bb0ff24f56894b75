// Staff accounts (created and changed by administrators) and forced sign-out; an account's
// API tokens are api-tokens.ts. Every change is audited with its before and after.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { errorResponseSchema } from '../../../http/errors.js'
import { regionScopeFor } from '../../../auth/policy.js'
import { EVERYWHERE } from '../../../db/scope.js'
import { ROLES, STAFF_ROLES, type Role } from '../../../auth/roles.js'
import { deleteUserSessions } from '../../../auth/sessions.js'
import { sessionsEndedSchema, signOutEverywhere } from '../../../auth/sign-out-everywhere.js'
import { createUser, getUser, listUsers, publicUser, updateUser, USERNAME_PATTERN, type UserRow } from '../../../auth/users.js'
import { PublicUserSchema } from '../../../schemas/users.js'
import { formBody } from '../../../auth/csrf.js'

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const roleSchema = Type.Unsafe<Role>({ type: 'string', enum: [...ROLES] })
const staffRoleSchema = Type.Unsafe<Role>({ type: 'string', enum: [...STAFF_ROLES] })
const regionCode = Type.String({ pattern: '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$' })
const idParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
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
}
