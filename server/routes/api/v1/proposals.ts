// Proposal runs (a bull job per run, progress readable here), fund applications, the
// proposals with their explanations, and their confirmation or rejection by civil-affairs
// staff of the region — one by one or in batches, each decision in its own transaction with
// its audit record.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { ensureAllowed, reachesFor, regionScopeFor } from '../../../auth/policy.js'
import { scopePattern } from '../../../db/scope.js'
import { AppError, conflict, errorResponseSchema, notFound } from '../../../http/errors.js'
import { submitApplication } from '../../../proposals/applications.js'
import { confirmProposal, rejectProposal } from '../../../proposals/decide.js'
import { ensureMayFollowProject, projectReach, proposalScope } from '../../../proposals/access.js'
import { householdRegion } from '../../../db/repositories/assistance.js'
import { projectRecord } from '../../../supply/projects.js'
import { placeCost, type RunProgress, type RunSummary } from '../../../proposals/run.js'
import { today } from '../../../registry/dates.js'
import { CalendarDate } from '../../../schemas/household.js'
import { jobOrNull, proposalRunJobId, queueProposalRun, QueueUnavailable } from '../../../../jobs/queues.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const tags = ['matching']
const OverrideReason = Type.String({ minLength: 4, maxLength: 500 })
const RejectReason = Type.String({ minLength: 2, maxLength: 500 })
const BATCH_LIMIT = 200

/** The job's last report; once the job is gone (kept for the last 1,000), the stored summary's counts. */
function runProgress (jobProgress: unknown, status: string, summary: RunSummary | null): RunProgress | null {
  if (jobProgress !== null && typeof jobProgress === 'object') return jobProgress as RunProgress
  if (status === 'completed' && summary) return { percent: 100, population: summary.population, eligible: summary.eligible, proposed: summary.proposed }
  return null
}

type Refusal = { id: number, status: 'refused', error: { code: string, message: string, details: unknown[] } }

/** Decides each item on its own: one refusal (409, 404 …) does not hold back the others. */
async function eachOnItsOwn<T extends { id: number }, R> (request: FastifyRequest, items: readonly T[], decide: (item: T) => Promise<R>): Promise<Array<R | Refusal>> {
  const results: Array<R | Refusal> = []
  for (const item of items) {
    try {
      results.push(await decide(item))
    } catch (error) {
      if (!(error instanceof AppError)) request.log.error({ err: error, proposalId: item.id }, 'batch decision failed')
      const { code, message, details } = error instanceof AppError ? error : { code: 'internal_error', message: '服务器内部错误，请稍后重试 (internal error)', details: [] }
      results.push({ id: item.id, status: 'refused', error: { code, message, details } })
    }
  }
  return results
}

/** What starting a run needs to know of a project. */
const runnableProjects = (db: FastifyInstance['db']) => db.selectFrom('projects').select(['id', 'organisation_id', 'status', 'unit_cost', 'per_item_limit'])
type RunnableProject = Awaited<ReturnType<ReturnType<typeof runnableProjects>['executeTakeFirstOrThrow']>>

const BatchResults = Type.Object({ results: Type.Array(Type.Any()), decided: Type.Integer(), refused: Type.Integer() })
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

  /** Starts a run of an open project with a cost per place, if this user may: the run row, its job, the audit record. */
  const startRun = async (request: FastifyRequest, project: RunnableProject, asOf: string | undefined): Promise<number> => {
    ensureAllowed(request.principal, 'match.run', { organisationId: project.organisation_id })
    if (project.status !== 'open') throw conflict('project_not_open', `项目当前为“${project.status}”状态，开放后才能生成推荐 (only open projects are matched)`)
    placeCost(project)
    const run = await app.db.transaction().execute(async trx => {
      const created = await trx.insertInto('proposal_runs').values({ project_id: project.id, as_of: asOf ?? today(), created_by: request.principal?.userId ?? null })
        .returning('id').executeTakeFirstOrThrow()
      await request.audit({ action: 'match.run', record: await projectRecord(trx, { id: project.id, organisationId: project.organisation_id }), details: { runId: created.id } }, trx)
      return created
    })
    // Queued once the run row is committed, so that the worker finds it. The row is the durable
    // record: when Redis does not take the job now, the worker's queue sweep queues it later.
    await queueProposalRun(app.queues, run.id).catch(error => {
      if (!(error instanceof QueueUnavailable)) throw error
      request.log.warn({ runId: run.id }, 'proposal run recorded; the queue sweep will queue it once Redis answers')
    })
    return run.id
  }

  app.post('/api/v1/projects/:id/proposal-runs', {
    config: { access: 'match.run' },
    schema: {
      tags, summary: '为项目生成推荐名单（后台任务）/ start a proposal run', params: IdParams,
      body: Type.Object({ asOf: Type.Optional(CalendarDate) }, { additionalProperties: false }),
      response: { 202: Type.Object({ runId: Type.Integer(), status: Type.String() }), ...errors }
    }
  }, async (request, reply) => {
    const project = await runnableProjects(app.db).where('id', '=', request.params.id).executeTakeFirst()
    if (!project) throw notFound('该项目 (project)')
    return reply.status(202).send({ runId: await startRun(request, project, request.body.asOf), status: 'queued' })
  })

  app.post('/api/v1/proposal-runs', {
    config: { access: 'match.run' },
    schema: {
      tags, summary: '为多个项目生成推荐名单 / start runs for several projects',
      description: 'Without projectIds: every open project of your organisation (administrators: every open project). Each project is started or refused on its own; the worker runs them one after another over one population kept current.',
      body: Type.Object({
        projectIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: BATCH_LIMIT, uniqueItems: true })),
        asOf: Type.Optional(CalendarDate)
      }, { additionalProperties: false }),
      response: { 202: Type.Object({ runs: Type.Array(Type.Object({ projectId: Type.Integer(), runId: Type.Integer() })), refused: Type.Array(Type.Any()) }), ...errors }
    }
  }, async (request, reply) => {
    const { projectIds, asOf } = request.body
    let query = runnableProjects(app.db)
    if (projectIds) query = query.where('id', 'in', projectIds)
    else {
      query = query.where('status', '=', 'open')
      if (!reachesFor(request.principal, 'match.run').includes('all')) query = query.where('organisation_id', '=', request.principal?.organisationId ?? -1)
    }
    const projects = await query.orderBy('id').execute()
    const runs: Array<{ projectId: number, runId: number }> = []
    const refused: Array<{ projectId: number, error: { code: string, message: string } }> = []
    const refuse = (projectId: number, { code, message }: AppError) => refused.push({ projectId, error: { code, message } })
    for (const id of projectIds ?? []) if (!projects.some(p => p.id === id)) refuse(id, notFound('该项目 (project)'))
    for (const project of projects) {
      try {
        runs.push({ projectId: project.id, runId: await startRun(request, project, asOf) })
      } catch (error) {
        if (!(error instanceof AppError)) throw error
        refuse(project.id, error)
      }
    }
    return reply.status(202).send({ runs, refused })
  })

  app.get('/api/v1/proposal-runs/:id', {
    config: { access: 'match.read' },
    schema: {
      tags, summary: '推荐任务进度与结果 / run progress (percent and counts) and summary', params: IdParams,
      description: 'progress: { percent, population, eligible, proposed } (null: not counted yet). Charity staff of the project\'s organisation; civil affairs and auditors whose region overlaps the project\'s.',
      response: { 200: Type.Any(), ...errors }
    }
  }, async request => {
    const run = await app.db.selectFrom('proposal_runs').select(['id', 'project_id', 'status', 'as_of', 'summary', 'created_at', 'finished_at'])
      .where('id', '=', request.params.id).executeTakeFirst()
    if (!run) throw notFound('该推荐任务 (run)')
    ensureMayFollowProject(request.principal, await projectReach(app.db, run.project_id))
    const job = await jobOrNull(app.queues.proposals, proposalRunJobId(run.id))
    return {
      id: run.id, projectId: run.project_id, status: run.status, asOf: run.as_of,
      progress: runProgress(job ? await job.progress() : null, run.status, run.summary as RunSummary | null),
      summary: run.summary, createdAt: run.created_at.toISOString(), finishedAt: run.finished_at?.toISOString() ?? null
    }
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
      response: { 201: Type.Any(), ...errors }
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
      response: { 200: Type.Any(), ...errors }
    }
  }, async request => {
    const granted = proposalScope(request.principal, await projectReach(app.db, request.params.id))
    let query = app.db.selectFrom('proposals as pr').innerJoin('persons as p', 'p.id', 'pr.person_id')
      .select(['pr.id', 'pr.source', 'pr.household_id', 'pr.person_id', 'p.masked_name', 'pr.region_code', 'pr.rank', 'pr.score', 'pr.cost', 'pr.tags', 'pr.status',
        'pr.statement', 'pr.explanation', 'pr.duplicate_check', 'pr.reason', 'pr.override_reason'])
      .where('pr.project_id', '=', request.params.id).where('pr.status', '=', request.query.status)
      .where('pr.region_code', 'like', scopePattern(granted))
    if (request.query.source) query = query.where('pr.source', '=', request.query.source)
    // Applications are unranked (0): they come first.
    const rows = await query.orderBy('pr.rank').orderBy('pr.id').limit(request.query.limit).offset(request.query.offset).execute()
    return rows.map(r => ({
      id: r.id, source: r.source, householdId: r.household_id, personId: r.person_id, maskedName: r.masked_name, regionCode: r.region_code, rank: r.rank,
      score: r.score, cost: r.cost, tags: r.tags, status: r.status, statement: r.statement, explanation: r.explanation, duplicateCheck: r.duplicate_check,
      reason: r.reason, overrideReason: r.override_reason
    }))
  })

  app.post('/api/v1/proposals/:id/confirm', {
    config: { access: 'match.confirm' },
    schema: {
      tags, summary: '确认推荐（查重；重复需说明理由）/ confirm, with the duplicate check', params: IdParams,
      body: Type.Object({ overrideReason: Type.Optional(OverrideReason) }, { additionalProperties: false }),
      response: { 200: Type.Any(), ...errors }
    }
  }, async request => confirmOne(request, { id: request.params.id, overrideReason: request.body.overrideReason }))

  app.post('/api/v1/proposals/:id/reject', {
    config: { access: 'match.confirm' },
    schema: {
      tags, summary: '不予确认（须说明理由）/ reject with a reason', params: IdParams,
      body: Type.Object({ reason: RejectReason }, { additionalProperties: false }),
      response: { 200: Type.Any(), ...errors }
    }
  }, async request => rejectOne(request, request.params.id, request.body.reason))

  app.post('/api/v1/proposals/confirm', {
    config: { access: 'match.confirm' },
    schema: {
      tags, summary: '批量确认（逐条办理）/ confirm in a batch, each on its own', description: 'A result per item: confirmed, or refused with the error code; one refusal does not hold back the others.',
      body: Type.Object({
        items: Type.Array(Type.Object({ id: Type.Integer({ minimum: 1 }), overrideReason: Type.Optional(OverrideReason) }, { additionalProperties: false }), { minItems: 1, maxItems: BATCH_LIMIT })
      }, { additionalProperties: false }),
      response: { 200: BatchResults, ...errors }
    }
  }, async request => summarised(await eachOnItsOwn(request, request.body.items, item => confirmOne(request, item))))

  app.post('/api/v1/proposals/reject', {
    config: { access: 'match.confirm' },
    schema: {
      tags, summary: '批量不予确认（同一理由）/ reject in a batch with one reason', description: 'A result per item: rejected, or refused with the error code.',
      body: Type.Object({ ids: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: BATCH_LIMIT }), reason: RejectReason }, { additionalProperties: false }),
      response: { 200: BatchResults, ...errors }
    }
  }, async request => summarised(await eachOnItsOwn(request, request.body.ids.map(id => ({ id })), item => rejectOne(request, item.id, request.body.reason))))
}
