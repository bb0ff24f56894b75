// An account's API tokens, for integrations: created by administrators (the token itself is
// shown once), listed without it, revoked. Every change is audited.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { listApiTokens } from '../../../auth/api-tokens.js'
import { createTokenFor, managedUser, revokeTokenFor } from '../../../auth/user-actions.js'
import { errorResponseSchema } from '../../../http/errors.js'
import { ApiTokenSchema, NewTokenBody } from '../../../schemas/users.js'

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const idParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })

export const apiTokenRoutes: FastifyPluginAsyncTypebox = async app => {
  app.get('/api/v1/users/:id/tokens', {
    config: { access: 'token.manage' },
    schema: { tags: ['users'], summary: 'API 令牌列表（不含令牌本身）/ an account\'s API tokens', params: idParams, response: { 200: Type.Object({ tokens: Type.Array(ApiTokenSchema) }), ...errors } }
  }, async request => {
    const user = await managedUser(request, request.params.id)
    return { tokens: await listApiTokens(app.db, user.id) }
  })

  app.post('/api/v1/users/:id/tokens', {
    config: { access: 'token.manage' },
    schema: {
      tags: ['users'],
      summary: '创建 API 令牌（只显示一次）/ create an API token; the token is shown only in this response',
      params: idParams,
      body: NewTokenBody,
      response: { 201: Type.Object({ ...ApiTokenSchema.properties, token: Type.String() }), ...errors }
    }
  }, async (request, reply) => reply.status(201).send(await createTokenFor(request, request.params.id, request.body)))

  app.delete('/api/v1/users/:id/tokens/:tokenId', {
    config: { access: 'token.manage' },
    schema: {
      tags: ['users'],
      summary: '撤销 API 令牌 / revoke an API token',
      params: Type.Object({ id: Type.Integer({ minimum: 1 }), tokenId: Type.Integer({ minimum: 1 }) }),
      response: { 200: ApiTokenSchema, ...errors }
    }
  }, async request => revokeTokenFor(request, request.params.id, request.params.tokenId))
}
