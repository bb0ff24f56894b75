// Proposal runs: a bull job per run (the worker ranks and chooses, server/proposals/run.ts),
// started for one project or several, and its progress and summary read back here.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { reachesFor } from '../../../auth/policy.js'
import { AppError, errorResponseSchema, notFound } from '../../../http/errors.js'
import { runHistory, runOutcome, runWithProgress } from '../../../proposals/follow.js'
import { projectsToRun, runnableProject } from '../../../proposals/runs.js'
import { startRun } from '../../../proposals/start.js'
import { CalendarDate } from '../../../schemas/household.js'
import { LeftOutSchema, ProposalSchema, RunListItemSchema, RunsStartedSchema, RunViewSchema } from '../../../schemas/proposals.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const tags = ['matching']
const BATCH_LIMIT = 200

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
      response: { 200: RunViewSchema, ...errors }
    }
  }, async request => runWithProgress(request, request.params.id))

  app.get('/api/v1/projects/:id/proposal-runs', {
    config: { access: 'match.read' },
    schema: {
      tags, summary: '项目的推荐任务记录（新的在前）/ a project\'s run history, newest first', params: IdParams,
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 20 }), offset: Type.Integer({ minimum: 0, default: 0 }) }, { additionalProperties: false }),
      response: { 200: Type.Array(RunListItemSchema), ...errors }
    }
  }, async request => runHistory(request, request.params.id, request.query))

  app.get('/api/v1/proposal-runs/:id/outcome', {
    config: { access: 'match.read' },
    schema: {
      tags, summary: '推荐任务的结果：推荐了谁，因预算或名额不足未推荐谁 / what a run proposed and left out for lack of budget', params: IdParams,
      description: 'proposed: every proposal the run made, whatever became of it since; leftOut: the best ranked of the candidates the budget and places left out (at most 50). Within the reader\'s part of the project, as for its proposals.',
      response: { 200: Type.Object({ proposed: Type.Array(ProposalSchema), leftOut: Type.Array(LeftOutSchema) }), ...errors }
    }
  }, async request => runOutcome(request, request.params.id))
}
