// Fund applications, the proposals with their explanations, and their confirmation or
// rejection by civil-affairs staff of the region — one by one or in batches, each decision in
// its own transaction with its audit record. Runs are proposal-runs.ts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { regionScopeFor } from '../../../auth/policy.js'
import { today } from '../../../clock.js'
import { AppError, errorResponseSchema } from '../../../http/errors.js'
import { submitApplication } from '../../../proposals/applications.js'
import { confirmProposal, rejectProposal } from '../../../proposals/decide.js'
import { projectReach, proposalScope } from '../../../proposals/access.js'
import { listProposals } from '../../../proposals/views.js'
import { householdRegion } from '../../../registry/assistance.js'
import { noteRefusal } from '../../../statistics/refusals.js'
import { batchResults, ConfirmationSchema, ProposalSchema, RejectionSchema, SubmittedApplicationSchema, type Refusal } from '../../../schemas/proposals.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const tags = ['matching']
const OverrideReason = Type.String({ minLength: 4, maxLength: 500 })
const RejectReason = Type.String({ minLength: 2, maxLength: 500 })
const BATCH_LIMIT = 200

/** Decides each item on its own: one refusal (409, 404 …) does not hold back the others. */
async function eachOnItsOwn<T extends { id: number }, R> (request: FastifyRequest, items: readonly T[], decide: (item: T) => Promise<R>): Promise<Array<R | Refusal>> {
  const results: Array<R | Refusal> = []
  for (const item of items) {
    try {
      results.push(await decide(item))
    } catch (error) {
      await noteRefusal(request, error)
      if (!(error instanceof AppError)) request.log.error({ err: error, proposalId: item.id }, 'batch decision failed')
      const { code, message, details } = error instanceof AppError ? error : { code: 'internal_error', message: '服务器内部错误，请稍后重试 (internal error)', details: [] }
      results.push({ id: item.id, status: 'refused', error: { code, message, details } })
    }
  }
  return results
}

const summarised = <R extends { status: string }>(results: R[]) =>
  ({ results, decided: results.filter(r => r.status !== 'refused').length, refused: results.filter(r => r.status === 'refused').length })

export const proposalRoutes: FastifyPluginAsyncTypebox = async app => {
  const confirmOne = (request: FastifyRequest, item: { id: number, overrideReason?: string | undefined }) => app.db.transaction().execute(async trx => {
    const result = await confirmProposal(trx, regionScopeFor(request.principal, 'match.confirm'), item.id, request.principal?.userId ?? null, today(), item.overrideReason)
    await request.audit({
      action: result.overrideReason ? 'match.confirm_override' : 'match.confirm',
      record: { type: 'proposal', id: result.id, regionCode: result.regionCode },
      after: { status: 'confirmed', overrideReason: result.overrideReason, duplicateCheck: result.duplicateCheck }
    }, trx)
    return result
  })

  const rejectOne = (request: FastifyRequest, id: number, reason: string) => app.db.transaction().execute(async trx => {
    const result = await rejectProposal(trx, regionScopeFor(request.principal, 'match.confirm'), id, request.principal?.userId ?? null, reason)
    await request.audit({ action: 'match.reject', record: { type: 'proposal', id, regionCode: result.regionCode }, after: { status: 'rejected', reason } }, trx)
    return result
  })

  app.post('/api/v1/projects/:id/applications', {
    // Applying raises a household's need (need.write, like raising a wish); deciding it is match.confirm, as for any proposal.
    config: { access: 'need.write' },
    schema: {
      tags, summary: '为家庭申请慈善基金项目 / a fund application for a household', params: IdParams,
      description: 'Civil affairs of the household\'s region. The project must be an open fund project and the household pass its rules (409 not_eligible names the rule); the application becomes an open proposal (source application) decided like the others.',
      body: Type.Object({
        householdId: Type.Integer({ minimum: 1 }),
        personId: Type.Optional(Type.Integer({ minimum: 1 })),
        statement: Type.String({ minLength: 4, maxLength: 2000 }),
        amount: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 10_000_000 }))
      }, { additionalProperties: false }),
      response: { 201: SubmittedApplicationSchema, ...errors }
    }
  }, async (request, reply) => {
    const submitted = await app.db.transaction().execute(async trx => {
      const application = await submitApplication(trx, regionScopeFor(request.principal, 'need.write'), request.params.id, request.body, request.principal?.userId ?? null, today())
      const regionCode = await householdRegion(trx, application.householdId) ?? null
      await request.audit({ action: 'match.apply', record: { type: 'proposal', id: application.id, regionCode }, after: { ...application, statement: request.body.statement } }, trx)
      return application
    })
    return reply.status(201).send(submitted)
  })

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
      body: Type.Object({ overrideReason: Type.Optional(OverrideReason) }, { additionalProperties: false }),
      response: { 200: ConfirmationSchema, ...errors }
    }
  }, async request => confirmOne(request, { id: request.params.id, overrideReason: request.body.overrideReason }))

  app.post('/api/v1/proposals/:id/reject', {
    config: { access: 'match.confirm' },
    schema: {
      tags, summary: '不予确认（须说明理由）/ reject with a reason', params: IdParams,
      body: Type.Object({ reason: RejectReason }, { additionalProperties: false }),
      response: { 200: RejectionSchema, ...errors }
    }
  }, async request => rejectOne(request, request.params.id, request.body.reason))

  app.post('/api/v1/proposals/confirm', {
    config: { access: 'match.confirm' },
    schema: {
      tags, summary: '批量确认（逐条办理）/ confirm in a batch, each on its own', description: 'A result per item: confirmed, or refused with the error code; one refusal does not hold back the others.',
      body: Type.Object({
        items: Type.Array(Type.Object({ id: Type.Integer({ minimum: 1 }), overrideReason: Type.Optional(OverrideReason) }, { additionalProperties: false }), { minItems: 1, maxItems: BATCH_LIMIT })
      }, { additionalProperties: false }),
      response: { 200: batchResults(ConfirmationSchema), ...errors }
    }
  }, async request => summarised(await eachOnItsOwn(request, request.body.items, item => confirmOne(request, item))))

  app.post('/api/v1/proposals/reject', {
    config: { access: 'match.confirm' },
    schema: {
      tags, summary: '批量不予确认（同一理由）/ reject in a batch with one reason', description: 'A result per item: rejected, or refused with the error code.',
      body: Type.Object({ ids: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: BATCH_LIMIT }), reason: RejectReason }, { additionalProperties: false }),
      response: { 200: batchResults(RejectionSchema), ...errors }
    }
  }, async request => summarised(await eachOnItsOwn(request, request.body.ids.map(id => ({ id })), item => rejectOne(request, item.id, request.body.reason))))
}
