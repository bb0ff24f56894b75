// Staff accounts (created and changed by administrators) and forced sign-out; an account's
// API tokens are api-tokens.ts. Every change is audited with its before and after.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { errorResponseSchema } from '../../../http/errors.js'
import { regionScopeFor } from '../../../auth/policy.js'
import { ROLES, type Role } from '../../../auth/roles.js'
import { sessionsEndedSchema, signOutEverywhere } from '../../../auth/sign-out-everywhere.js'
import { createUserFor, managedUser, resetPasswordFor, updateUserFor } from '../../../auth/user-actions.js'
import { getUser, listUsers, publicUser } from '../../../auth/users.js'
import { NewUserBody, PublicUserSchema, UserChangesBody } from '../../../schemas/users.js'

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const roleSchema = Type.Unsafe<Role>({ type: 'string', enum: [...ROLES] })
const idParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })

export const userRoutes: FastifyPluginAsyncTypebox = async app => {
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
      body: NewUserBody,
      response: { 201: PublicUserSchema, ...errors }
    }
  }, async (request, reply) => reply.status(201).send(await createUserFor(request, request.body)))

  app.patch('/api/v1/users/:id', {
    config: { access: 'user.manage' },
    schema: {
      tags: ['users'],
      summary: '修改账号（角色、绑定、停用）/ change roles, binding, or disable (ends its sessions)',
      params: idParams,
      body: UserChangesBody,
      response: { 200: PublicUserSchema, ...errors }
    }
  }, async request => updateUserFor(request, request.params.id, request.body))

  app.post('/api/v1/users/:id/sign-out-everywhere', {
    config: { access: 'user.manage' },
    schema: {
      tags: ['users'],
      summary: '强制退出所有会话 / end every session of an account',
      params: idParams,
      response: { 200: sessionsEndedSchema, ...errors }
    }
  }, async request => {
    const user = await managedUser(request, request.params.id)
    return signOutEverywhere(request, { id: user.id, regionCode: user.region_code }, 'user.signed_out_everywhere')
  })

  app.post('/api/v1/users/:id/password-reset', {
    config: { access: 'user.manage' },
    schema: {
      tags: ['users'],
      summary: '重置密码（生成临时密码，只显示一次；结束所有会话）/ reset a password: a temporary one, shown once',
      params: idParams,
      response: { 200: Type.Object({ temporaryPassword: Type.String({ description: '只在此响应中出现一次' }), sessionsEnded: Type.Integer() }), ...errors }
    }
  }, async request => resetPasswordFor(request, request.params.id))
}
