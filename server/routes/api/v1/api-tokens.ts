// An account's API tokens, for integrations: created by administrators (the token itself is
// shown once), listed without it, revoked. Every change is audited.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { createApiToken, listApiTokens, revokeApiToken } from '../../../auth/api-tokens.js'
import { ACTIONS, isAction } from '../../../auth/policy.js'
import { getUser, invalid } from '../../../auth/users.js'
import { EVERYWHERE } from '../../../db/scope.js'
import { errorResponseSchema } from '../../../http/errors.js'
import { ApiTokenSchema } from '../../../schemas/users.js'
import { formBody } from '../../../auth/csrf.js'

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const idParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
/** API tokens must expire; a year is the longest an integration goes without a new one. */
const MAX_TOKEN_DAYS = 366

export const apiTokenRoutes: FastifyPluginAsyncTypebox = async app => {
  const managedUser = async (id: number) => getUser(app.db, EVERYWHERE, id)

  app.get('/api/v1/users/:id/tokens', {
    config: { access: 'token.manage' },
    schema: { tags: ['users'], summary: 'API 令牌列表（不含令牌本身）/ an account\'s API tokens', params: idParams, response: { 200: Type.Object({ tokens: Type.Array(ApiTokenSchema) }), ...errors } }
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
      response: { 201: Type.Object({ ...ApiTokenSchema.properties, token: Type.String() }), ...errors }
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
      response: { 200: ApiTokenSchema, ...errors }
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
