// Fund applications, the proposals with their explanations, and their confirmation or
// rejection by civil-affairs staff of the region — one by one or in batches, each decision in
// its own transaction with its audit record. Runs are proposal-runs.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { errorResponseSchema } from '../../../http/errors.js'
import { applyForHousehold, confirmMany, confirmOne, rejectMany, rejectOne } from '../../../proposals/staff-steps.js'
import { projectReach, proposalScope } from '../../../proposals/access.js'
import { listProposals } from '../../../proposals/views.js'
import {
  ApplicationSchema, batchResults, BatchConfirmSchema, BatchRejectSchema, ConfirmationSchema, ConfirmSchema, ProposalSchema, RejectionSchema, RejectSchema, SubmittedApplicationSchema
} from '../../../schemas/proposals.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const tags = ['matching']

export const proposalRoutes: FastifyPluginAsyncTypebox = async app => {
  app.post('/api/v1/projects/:id/applications', {
    // Applying raises a household's need (need.write, like raising a wish); deciding it is match.confirm, as for any proposal.
    config: { access: 'need.write' },
    schema: {
      tags, summary: '为家庭申请慈善基金项目 / a fund application for a household', params: IdParams,
      description: 'Civil affairs of the household\'s region. The project must be an open fund project and the household pass its rules (409 not_eligible names the rule); the application becomes an open proposal (source application) decided like the others.',
      body: ApplicationSchema,
      response: { 201: SubmittedApplicationSchema, ...errors }
    }
  }, async (request, reply) => reply.status(201).send(await applyForHousehold(request, request.params.id, request.body)))

  app.get('/api/v1/projects/:id/proposals', {
    config: { access: 'match.read' },
    schema: {
      tags, summary: '推荐名单与申请（含评分依据）/ proposals and applications with explanations', params: IdParams,
      querystring: Type.Object({
        status: Type.Enum(['open', 'confirmed', 'rejected', 'superseded', 'cancelled'], { default: 'open' }),
        source: Type.Optional(Type.Enum(['run', 'application'])),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        offset: Type.Integer({ minimum: 0, default: 0 })
      }, { additionalProperties: false }),
      response: { 200: Type.Array(ProposalSchema), ...errors }
    }
  }, async request => {
    const granted = proposalScope(request.principal, await projectReach(app.db, request.params.id))
    return listProposals(app.db, request.params.id, granted, request.query)
  })

  app.post('/api/v1/proposals/:id/confirm', {
    config: { access: 'match.confirm' },
    schema: {
      tags, summary: '确认推荐（查重；重复需说明理由）/ confirm, with the duplicate check', params: IdParams,
      body: ConfirmSchema,
      response: { 200: ConfirmationSchema, ...errors }
    }
  }, async request => confirmOne(request, { id: request.params.id, overrideReason: request.body.overrideReason }))

  app.post('/api/v1/proposals/:id/reject', {
    config: { access: 'match.confirm' },
    schema: {
      tags, summary: '不予确认（须说明理由）/ reject with a reason', params: IdParams,
      body: RejectSchema,
      response: { 200: RejectionSchema, ...errors }
    }
  }, async request => rejectOne(request, request.params.id, request.body.reason))

  app.post('/api/v1/proposals/confirm', {
    config: { access: 'match.confirm' },
    schema: {
      tags, summary: '批量确认（逐条办理）/ confirm in a batch, each on its own', description: 'A result per item: confirmed, or refused with the error code; one refusal does not hold back the others.',
      body: BatchConfirmSchema,
      response: { 200: batchResults(ConfirmationSchema), ...errors }
    }
  }, async request => confirmMany(request, request.body.items))

  app.post('/api/v1/proposals/reject', {
    config: { access: 'match.confirm' },
    schema: {
      tags, summary: '批量不予确认（同一理由）/ reject in a batch with one reason', description: 'A result per item: rejected, or refused with the error code.',
      body: BatchRejectSchema,
      response: { 200: batchResults(RejectionSchema), ...errors }
    }
  }, async request => rejectMany(request, request.body.ids, request.body.reason))
}
