// Charity projects: charity-federation staff draft, open and close their organisation's
// projects; everyone signed in reads open and closed ones (drafts only within the
// organisation); the budget ledger is for those who follow the project's matching
// (server/proposals/access.ts). Donors and the public search open projects through
// /api/v1/public/projects.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { HELP_KINDS } from '../../../../matching/domain.js'
import { ensureAllowed, reachesFor } from '../../../auth/policy.js'
import { AppError, errorResponseSchema } from '../../../http/errors.js'
import { IdParams } from '../../../schemas/needs.js'
import { ProjectLedgerSchema, ProjectViewSchema, projectFields, type ProjectView } from '../../../schemas/projects.js'
import { ensureMayFollowProject, projectReach } from '../../../proposals/access.js'
import { createProject, getProject, listProjects, moveProject, projectLedger, projectRecord, updateProject } from '../../../supply/projects.js'

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const tags = ['projects']

/** The organisation a charity worker acts for; an administrator names it. */
function organisationFor (request: FastifyRequest, given: number | undefined): number {
  const principal = request.principal
  if (principal?.organisationId != null) {
    if (given !== undefined && given !== principal.organisationId) ensureAllowed(principal, 'project.write', { organisationId: given })
    return given ?? principal.organisationId
  }
  if (given === undefined) throw new AppError(400, 'validation_failed', '请指定发布项目的慈善组织 (organisationId is required)', [{ field: 'body.organisationId', code: 'required', message: 'required for administrators' }])
  ensureAllowed(principal, 'project.write', { organisationId: given })
  return given
}

/** Whose drafts a reader sees: all (administrators), their organisation's, or none. */
function draftsVisibleTo (request: FastifyRequest): number | null | undefined {
  if (reachesFor(request.principal, 'project.write').includes('all')) return null
  return request.principal?.organisationId ?? undefined
}

/** Drafts are for their organisation (and administrators) only. */
function ensureMayRead (request: FastifyRequest, project: ProjectView): void {
  if (project.status === 'draft') ensureAllowed(request.principal, 'project.write', { organisationId: project.organisationId })
}

export const projectRoutes: FastifyPluginAsyncTypebox = async app => {
  app.post('/api/v1/projects', {
    config: { access: 'project.write' },
    schema: {
      tags, summary: '发布慈善项目（草稿）/ draft a project',
      body: Type.Object({ ...projectFields, organisationId: Type.Optional(Type.Integer({ minimum: 1, description: '管理员代发时指定' })) }, { additionalProperties: false }),
      response: { 201: ProjectViewSchema, ...errors }
    }
  }, async (request, reply) => {
    const { organisationId, ...input } = request.body
    const project = await app.db.transaction().execute(async trx => {
      const created = await createProject(trx, organisationFor(request, organisationId), input, request.principal?.userId ?? null)
      await request.audit({ action: 'project.create', record: await projectRecord(trx, created), after: created }, trx)
      return created
    })
    return reply.status(201).send(project)
  })

  app.get('/api/v1/projects', {
    config: { access: 'project.read' },
    schema: {
      tags, summary: '慈善项目与预算执行情况 / projects with their budget account',
      querystring: Type.Object({
        status: Type.Optional(Type.Enum(['draft', 'open', 'closed'])),
        kind: Type.Optional(Type.Enum(HELP_KINDS)),
        organisationId: Type.Optional(Type.Integer({ minimum: 1 })),
        limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        offset: Type.Integer({ minimum: 0, default: 0 })
      }, { additionalProperties: false }),
      response: { 200: Type.Array(ProjectViewSchema), ...errors }
    }
  }, async request => listProjects(app.db, request.query, draftsVisibleTo(request)))

  app.get('/api/v1/projects/:id', {
    config: { access: 'project.read' },
    schema: { tags, summary: '项目详情 / one project', params: IdParams, response: { 200: ProjectViewSchema, ...errors } }
  }, async request => {
    const project = await getProject(app.db, request.params.id)
    ensureMayRead(request, project)
    return project
  })

  app.get('/api/v1/projects/:id/ledger', {
    config: { access: 'match.read' },
    schema: { tags, summary: '预算台账（承诺、释放、支出）/ the budget ledger', params: IdParams, response: { 200: ProjectLedgerSchema, ...errors } }
  }, async request => {
    const project = await getProject(app.db, request.params.id)
    ensureMayRead(request, project)
    ensureMayFollowProject(request.principal, await projectReach(app.db, project.id))
    return { project: { id: project.id, budget: project.budget, committed: project.committed, spent: project.spent, available: project.available }, entries: await projectLedger(app.db, project.id) }
  })

  app.patch('/api/v1/projects/:id', {
    config: { access: 'project.write' },
    schema: { tags, summary: '修改项目（开放后仅可改说明、结束日期、预算与名额）/ change a project', params: IdParams, body: Type.Partial(Type.Object(projectFields), { additionalProperties: false, minProperties: 1 }), response: { 200: ProjectViewSchema, ...errors } }
  }, async request => app.db.transaction().execute(async trx => {
    const before = await getProject(trx, request.params.id)
    ensureAllowed(request.principal, 'project.write', { organisationId: before.organisationId })
    const after = await updateProject(trx, before.id, request.body)
    await request.audit({ action: 'project.update', record: await projectRecord(trx, before), before, after }, trx)
    return after
  }))

  for (const [path, from, to, summary] of [
    ['open', 'draft', 'open', '开放项目（爱心人士可见）/ open the project'],
    ['close', 'open', 'closed', '结束项目 / close the project']
  ] as const) {
    app.post(`/api/v1/projects/:id/${path}`, {
      config: { access: 'project.write' },
      schema: { tags, summary, params: IdParams, response: { 200: ProjectViewSchema, ...errors } }
    }, async request => app.db.transaction().execute(async trx => {
      const before = await getProject(trx, request.params.id)
      ensureAllowed(request.principal, 'project.write', { organisationId: before.organisationId })
      const after = await moveProject(trx, before.id, from, to)
      await request.audit({ action: `project.${path}`, record: await projectRecord(trx, before), before: { status: before.status }, after: { status: after.status } }, trx)
      return after
    }))
  }
}
