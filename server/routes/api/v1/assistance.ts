// 一户一条救助链: a household's assistance chain, government help appended to it by civil
// affairs of its region, and an entry corrected by appending its reversal (never edited).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { regionScopeFor } from '../../../auth/policy.js'
import { today } from '../../../clock.js'
import { errorResponseSchema } from '../../../http/errors.js'
import { assistanceChain } from '../../../registry/decisions.js'
import { appendGovernmentHelp, reverseEntry } from '../../../registry/staff-steps.js'
import { getHousehold } from '../../../registry/households.js'
import { AssistanceEntrySchema, ChainEntrySchema, NewAssistanceSchema, ReversalRequestSchema, ReversalSchema } from '../../../schemas/household.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const tags = ['registry']

export const assistanceRoutes: FastifyPluginAsyncTypebox = async app => {
  app.get('/api/v1/households/:id/assistance', {
    config: { access: 'assistance.read' },
    schema: { tags, summary: '一户一条救助链（含每条给予时有效的认定）/ the assistance chain, each entry with the decision in force on its day', params: IdParams, response: { 200: Type.Array(ChainEntrySchema), ...errors } }
  }, async request => {
    await getHousehold(app.db, regionScopeFor(request.principal, 'assistance.read'), request.params.id)
    return assistanceChain(app.db, request.params.id)
  })

  app.post('/api/v1/households/:id/assistance', {
    config: { access: 'assistance.write' },
    schema: {
      tags,
      summary: '登记政府救助 / append a government assistance entry',
      params: IdParams,
      body: NewAssistanceSchema,
      response: { 201: AssistanceEntrySchema, ...errors }
    }
  }, async (request, reply) => reply.status(201).send(await appendGovernmentHelp(request, request.params.id, request.body)))

  app.post('/api/v1/assistance/:id/reversal', {
    config: { access: 'assistance.write' },
    schema: {
      tags,
      summary: '冲正一条救助记录 / reverse an entry (the original stays)',
      params: IdParams,
      body: ReversalRequestSchema,
      response: { 201: ReversalSchema, ...errors }
    }
  }, async (request, reply) => reply.status(201).send(await reverseEntry(request, request.params.id, request.body.reason, request.body.on ?? today())))
}
