// Proposal runs (a bull job per run, progress readable here), the proposals with their
// explanations, and their confirmation or rejection by civil-affairs staff of the region.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ensureAllowed, regionScopeFor } from '../../../auth/policy.js'
import { scopePattern } from '../../../db/scope.js'
import { errorResponseSchema, notFound } from '../../../http/errors.js'
import { confirmProposal, rejectProposal } from '../../../proposals/decide.js'
import { today } from '../../../registry/dates.js'
import { CalendarDate } from '../../../schemas/household.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const tags = ['matching']

export const proposalRoutes: FastifyPluginAsyncTypebox = async app => {
  app.post('/api/v1/projects/:id/proposal-runs', {
    config: { access: 'match.run' },
    schema: {
      tags, summary: '为项目生成推荐名单（后台任务）/ start a proposal run', params: IdParams,
      body: Type.Object({ asOf: Type.Optional(CalendarDate) }, { additionalProperties: false }),
      response: { 202: Type.Object({ runId: Type.Integer(), status: Type.String() }), ...errors }
    }
  }, async (request, reply) => {
    const project = await app.db.selectFrom('projects').select(['id', 'organisation_id', 'status']).where('id', '=', request.params.id).executeTakeFirst()
    if (!project) throw notFound('该项目 (project)')
    ensureAllowed(request.principal, 'match.run', { organisationId: project.organisation_id })
    const run = await app.db.insertInto('proposal_runs').values({ project_id: project.id, as_of: request.body.asOf ?? today(), created_by: request.principal?.userId ?? null })
      .returning('id').executeTakeFirstOrThrow()
    await app.queues.proposals.add({ runId: run.id }, { jobId: `proposal-run-${run.id}` })
    await request.audit({ action: 'match.run', record: { type: 'project', id: project.id }, details: { runId: run.id } })
    return reply.status(202).send({ runId: run.id, status: 'queued' })
  })

  app.get('/api/v1/proposal-runs/:id', {
    config: { access: 'match.read' },
    schema: { tags, summary: '推荐任务进度与结果 / run progress and summary', params: IdParams, response: { 200: Type.Any(), ...errors } }
  }, async request => {
    const run = await app.db.selectFrom('proposal_runs').selectAll().where('id', '=', request.params.id).executeTakeFirst()
    if (!run) throw notFound('该推荐任务 (run)')
    const job = await app.queues.proposals.getJob(`proposal-run-${run.id}`)
    return {
      id: run.id, projectId: run.project_id, status: run.status, asOf: run.as_of, progress: job ? await job.progress() : null,
      summary: run.summary, createdAt: run.created_at.toISOString(), finishedAt: run.finished_at?.toISOString() ?? null
    }
  })

  app.get('/api/v1/projects/:id/proposals', {
    config: { access: 'match.read' },
    schema: {
      tags, summary: '推荐名单（含评分依据）/ proposals with explanations', params: IdParams,
      querystring: Type.Object({
        status: Type.Enum(['open', 'confirmed', 'rejected', 'superseded'], { default: 'open' }),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        offset: Type.Integer({ minimum: 0, default: 0 })
      }, { additionalProperties: false }),
      response: { 200: Type.Any(), ...errors }
    }
  }, async request => {
    const granted = regionScopeFor(request.principal, 'match.read')
    const rows = await app.db.selectFrom('proposals as pr').innerJoin('persons as p', 'p.id', 'pr.person_id')
      .select(['pr.id', 'pr.household_id', 'pr.person_id', 'p.masked_name', 'pr.region_code', 'pr.rank', 'pr.score', 'pr.cost', 'pr.status', 'pr.explanation', 'pr.reason', 'pr.override_reason'])
      .where('pr.project_id', '=', request.params.id).where('pr.status', '=', request.query.status)
      .where('pr.region_code', 'like', scopePattern(granted))
      .orderBy('pr.rank').limit(request.query.limit).offset(request.query.offset).execute()
    return rows.map(r => ({
      id: r.id, householdId: r.household_id, personId: r.person_id, maskedName: r.masked_name, regionCode: r.region_code, rank: r.rank,
      score: r.score, cost: r.cost, status: r.status, explanation: r.explanation, reason: r.reason, overrideReason: r.override_reason
    }))
  })

  app.post('/api/v1/proposals/:id/confirm', {
    config: { access: 'match.confirm' },
    schema: {
      tags, summary: '确认推荐（查重；重复需说明理由）/ confirm, with the duplicate check', params: IdParams,
      body: Type.Object({ overrideReason: Type.Optional(Type.String({ minLength: 4, maxLength: 500 })) }, { additionalProperties: false }),
      response: { 200: Type.Any(), ...errors }
    }
  }, async request => {
    const result = await confirmProposal(app.db, regionScopeFor(request.principal, 'match.confirm'), request.params.id, request.principal?.userId ?? null, today(), request.body.overrideReason)
    await request.audit({ action: result.overrideReason ? 'match.confirm_override' : 'match.confirm', record: { type: 'proposal', id: result.id }, after: { status: 'confirmed', overrideReason: result.overrideReason, duplicateCheck: result.duplicateCheck.verdict } })
    return result
  })

  app.post('/api/v1/proposals/:id/reject', {
    config: { access: 'match.confirm' },
    schema: {
      tags, summary: '不予确认（须说明理由）/ reject with a reason', params: IdParams,
      body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false }),
      response: { 200: Type.Any(), ...errors }
    }
  }, async request => {
    const result = await rejectProposal(app.db, regionScopeFor(request.principal, 'match.confirm'), request.params.id, request.principal?.userId ?? null, request.body.reason)
    await request.audit({ action: 'match.reject', record: { type: 'proposal', id: result.id }, after: result })
    return result
  })
}
