// Charity projects: charity-federation staff draft, open, pause and close their organisation's
// projects; everyone signed in reads open and closed ones (drafts only within the
// organisation); the budget ledger and the report are for those who follow the project's
// matching (server/proposals/access.ts). Donors and the public search open projects through
// /api/v1/public/projects.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { HELP_KINDS } from '../../../../matching/domain.js'
import { today } from '../../../clock.js'
import { errorResponseSchema } from '../../../http/errors.js'
import { IdParams } from '../../../schemas/needs.js'
import { ProjectLedgerSchema, ProjectViewSchema, projectFields, ReachPreviewInputSchema, ReachPreviewSchema } from '../../../schemas/projects.js'
import { ensureMayFollowProject, projectReach, proposalScope } from '../../../proposals/access.js'
import { changeProject, draftProject, draftsVisibleTo, makeProjectMove, organisationFor, readableProject } from '../../../supply/project-actions.js'
import { MOVE_NAMES, PROJECT_STATUSES } from '../../../supply/project-states.js'
import { listProjects, projectLedger } from '../../../supply/projects.js'
import { previewReach } from '../../../supply/reach.js'
import { projectReportXlsx } from '../../../supply/report.js'

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const tags = ['projects']
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const XlsxFile = Type.Unsafe<Buffer>(Type.String({ format: 'binary' }))

const MOVE_SUMMARIES = {
  open: '开放项目（爱心人士可见）/ open the project',
  pause: '暂停项目（不再生成推荐、受理申请、确认或资助；已确认的帮扶继续落实）/ pause the project',
  resume: '恢复暂停的项目 / resume a paused project',
  close: '结束项目 / close the project'
}

export const projectRoutes: FastifyPluginAsyncTypebox = async app => {
  app.post('/api/v1/projects', {
    config: { access: 'project.write' },
    schema: {
      tags, summary: '发布慈善项目（草稿）/ draft a project',
      body: Type.Object({ ...projectFields, organisationId: Type.Optional(Type.Integer({ minimum: 1, description: '管理员代发时指定' })) }, { additionalProperties: false }),
      response: { 201: ProjectViewSchema, ...errors }
    }
  }, async (request, reply) => reply.status(201).send(await draftProject(request, request.body)))

  app.post('/api/v1/projects/reach-preview', {
    config: { access: 'project.write' },
    schema: {
      tags, summary: '预览项目规则覆盖多少家庭，以及得分最高的 20 人（户）/ preview a draft\'s reach and its top twenty, scores explained',
      description: 'Nothing is stored. The matcher on the population a run of the project would load (its regions, as of today); people are shown as donors see them.',
      body: ReachPreviewInputSchema,
      response: { 200: ReachPreviewSchema, ...errors }
    }
  }, async request => previewReach(app.db, organisationFor(request, request.body.organisationId), request.body, today()))

  app.get('/api/v1/projects', {
    config: { access: 'project.read' },
    schema: {
      tags, summary: '慈善项目与预算执行情况 / projects with their budget account',
      querystring: Type.Object({
        status: Type.Optional(Type.Enum(PROJECT_STATUSES)),
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
  }, async request => readableProject(request, request.params.id))

  app.get('/api/v1/projects/:id/ledger', {
    config: { access: 'match.read' },
    schema: { tags, summary: '预算台账（承诺、释放、支出）/ the budget ledger', params: IdParams, response: { 200: ProjectLedgerSchema, ...errors } }
  }, async request => {
    const project = await readableProject(request, request.params.id)
    ensureMayFollowProject(request.principal, await projectReach(app.db, project.id))
    return { project: { id: project.id, budget: project.budget, committed: project.committed, spent: project.spent, available: project.available }, entries: await projectLedger(app.db, project.id) }
  })

  app.get('/api/v1/projects/:id/report.xlsx', {
    config: { access: 'match.read' },
    schema: {
      tags, summary: '项目报表（XLSX，中文表头：按镇和类别的帮扶户数与金额、帮扶明细、资金台账）/ the project\'s report as XLSX', params: IdParams,
      description: 'Readers bound to a region get their region\'s part (and no ledger, which is the whole project\'s).',
      response: { 200: { description: 'XLSX workbook', content: { [XLSX_TYPE]: { schema: XlsxFile } } }, ...errors }
    }
  }, async (request, reply) => {
    const project = await readableProject(request, request.params.id)
    const reach = await projectReach(app.db, project.id)
    ensureMayFollowProject(request.principal, reach)
    const file = await projectReportXlsx(app.db, project, proposalScope(request.principal, reach), today())
    return reply.type(XLSX_TYPE).header('content-disposition', `attachment; filename="project-${project.id}.xlsx"; filename*=UTF-8''${encodeURIComponent(`项目报表-${project.title}.xlsx`)}`).send(file)
  })

  app.patch('/api/v1/projects/:id', {
    config: { access: 'project.write' },
    schema: { tags, summary: '修改项目（开放后仅可改说明、结束日期、预算与名额）/ change a project', params: IdParams, body: Type.Partial(Type.Object(projectFields), { additionalProperties: false, minProperties: 1 }), response: { 200: ProjectViewSchema, ...errors } }
  }, async request => changeProject(request, request.params.id, request.body))

  for (const move of MOVE_NAMES) {
    app.post(`/api/v1/projects/:id/${move}`, {
      config: { access: 'project.write' },
      schema: { tags, summary: MOVE_SUMMARIES[move], params: IdParams, response: { 200: ProjectViewSchema, ...errors } }
    }, async request => makeProjectMove(request, request.params.id, move))
  }
}
