// Proposal runs: a bull job per run (the worker ranks and chooses, server/proposals/run.ts),
// started for one project or several, and its progress and summary read back here.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { ensureAllowed, reachesFor } from '../../../auth/policy.js'
import { today } from '../../../clock.js'
import { AppError, conflict, errorResponseSchema, notFound } from '../../../http/errors.js'
import { ensureMayFollowProject, projectReach } from '../../../proposals/access.js'
import { placeCost } from '../../../proposals/run.js'
import { createRun, getRun, projectsToRun, runnableProject, runProgress, type RunnableProject } from '../../../proposals/runs.js'
import { CalendarDate } from '../../../schemas/household.js'
import { RunsStartedSchema, RunViewSchema } from '../../../schemas/proposals.js'
import { projectRecord } from '../../../supply/projects.js'
import { jobOrNull, proposalRunJobId, queueProposalRun, QueueUnavailable } from '../../../../jobs/queues.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const tags = ['matching']
const BATCH_LIMIT = 200

/** Starts a run of an open project with a cost per place, if this user may: the run row, its job, the audit record. */
async function startRun (app: FastifyInstance, request: FastifyRequest, project: RunnableProject, asOf: string | undefined): Promise<number> {
  ensureAllowed(request.principal, 'match.run', { organisationId: project.organisation_id })
  if (project.status !== 'open') throw conflict('project_not_open', `项目当前为“${project.status}”状态，开放后才能生成推荐 (only open projects are matched)`)
  placeCost(project)
  const runId = await app.db.transaction().execute(async trx => {
    const created = await createRun(trx, project.id, asOf ?? today(), request.principal?.userId ?? null)
    await request.audit({ action: 'match.run', record: await projectRecord(trx, { id: project.id, organisationId: project.organisation_id }), details: { runId: created } }, trx)
    return created
  })
  // Queued once the run row is committed, so that the worker finds it. The row is the durable
  // record: when Redis does not take the job now, the worker's queue sweep queues it later.
  await queueProposalRun(app.queues, runId).catch(error => {
    if (!(error instanceof QueueUnavailable)) throw error
    request.log.warn({ runId }, 'proposal run recorded; the queue sweep will queue it once Redis answers')
  })
  return runId
}

export const proposalRunRoutes: FastifyPluginAsyncTypebox = async app => {
  app.post('/api/v1/projects/:id/proposal-runs', {
    config: { access: 'match.run' },
    schema: {
      tags, summary: '为项目生成推荐名单（后台任务）/ start a proposal run', params: IdParams,
      body: Type.Object({ asOf: Type.Optional(CalendarDate) }, { additionalProperties: false }),
      response: { 202: Type.Object({ runId: Type.Integer(), status: Type.String() }), ...errors }
    }
  }, async (request, reply) => {
    const project = await runnableProject(app.db, request.params.id)
    return reply.status(202).send({ runId: await startRun(app, request, project, request.body.asOf), status: 'queued' })
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
      response: { 202: RunsStartedSchema, ...errors }
    }
  }, async (request, reply) => {
    const { projectIds, asOf } = request.body
    const everyOrganisation = reachesFor(request.principal, 'match.run').includes('all')
    const projects = await projectsToRun(app.db, projectIds ? { projectIds } : everyOrganisation ? {} : { organisationId: request.principal?.organisationId ?? -1 })
    const runs: Array<{ projectId: number, runId: number }> = []
    const refused: Array<{ projectId: number, error: { code: string, message: string } }> = []
    const refuse = (projectId: number, { code, message }: AppError) => refused.push({ projectId, error: { code, message } })
    for (const id of projectIds ?? []) if (!projects.some(p => p.id === id)) refuse(id, notFound('该项目 (project)'))
    for (const project of projects) {
      try {
        runs.push({ projectId: project.id, runId: await startRun(app, request, project, asOf) })
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
      response: { 200: RunViewSchema, ...errors }
    }
  }, async request => {
    const run = await getRun(app.db, request.params.id)
    ensureMayFollowProject(request.principal, await projectReach(app.db, run.projectId))
    const job = await jobOrNull(app.queues.proposals, proposalRunJobId(run.id))
    return { ...run, progress: runProgress(job ? await job.progress() : null, run) }
  })
}
