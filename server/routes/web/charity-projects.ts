// The charity workbench (/charity): what needs attention today, the organisation's projects —
// drafted with field-level errors, previewed for their reach before saving, opened, paused,
// resumed and closed — their proposal runs with a live progress bar and a history of what each
// proposed and left out, the proposals with their scores explained, the ledger and the XLSX
// report. Each action calls the function its API twin calls (supply/project-actions.ts,
// proposals/start.ts, proposals/follow.ts, supply/reach.ts, supply/report.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { CATEGORIES, CATEGORY_NAMES, HARDSHIP_NAMES, HARDSHIPS, HELP_KIND_NAMES, HELP_KINDS, HOUSEHOLD_STATUSES, SCHOOL_STAGES, type HelpKind } from '../../../matching/domain.js'
import { DEFAULT_WEIGHTS, SCORE_FACTORS, type ScoreFactor } from '../../../matching/score.js'
import { ensureAllowed, reachesFor } from '../../auth/policy.js'
import { formBody } from '../../auth/csrf.js'
import { today } from '../../clock.js'
import { AppError } from '../../http/errors.js'
import { ensureMayFollowProject, projectReach, proposalScope } from '../../proposals/access.js'
import { runHistory, runOutcome, runWithProgress } from '../../proposals/follow.js'
import { runnableProject } from '../../proposals/runs.js'
import { startRun } from '../../proposals/start.js'
import { listProposals, proposalCounts, type ProposalView } from '../../proposals/views.js'
import { listOrganisations, organisationRegion } from '../../registry/bindings.js'
import { placeOf, regionNames, townsUnder } from '../../registry/regions.js'
import { eligibilityFields, projectFields, type ProjectInput, type ProjectView, type ReachPreview, type ReachPreviewInput } from '../../schemas/projects.js'
import { IdParams } from '../../schemas/needs.js'
import type { RunSummarySchema } from '../../schemas/proposals.js'
import { charityOverview } from '../../supply/overview.js'
import { changeProject, draftProject, draftsVisibleTo, makeProjectMove, organisationFor } from '../../supply/project-actions.js'
import { movesFrom, MOVE_NAMES, PROJECT_MOVES, PROJECT_STATUS_NAMES, PROJECT_STATUSES, isLive, type ProjectMove, type ProjectStatus } from '../../supply/project-states.js'
import { getProject, listProjects, OPEN_FIELDS, projectLedger } from '../../supply/projects.js'
import { previewReach } from '../../supply/reach.js'
import { projectReportXlsx } from '../../supply/report.js'
import { XLSX_TYPE } from '../api/v1/projects.js'
import { actOrSayWhy } from '../../web/actions.js'
import { setFlash } from '../../web/flash.js'
import { blankForm, submitForm } from '../../web/forms.js'
import { categoryName, explainFactors, HOUSEHOLD_STATUS_NAMES, points, ruleName, SCHOOL_STAGE_NAMES } from '../../web/names.js'
import { pagination } from '../../web/pagination.js'

const PER_PAGE = 20
const SEASONAL_TAGS = [{ code: 'winter_clothing', name: '冬衣（每户每季一次）' }]

// —— The project form: the API's fields, flat (a form cannot nest), each checked by the API's own schema ——
const WEIGHT_FIELD = (factor: ScoreFactor) => `weight_${factor}`
const { eligibility: _eligibility, scoreWeights: _weights, ...plainFields } = projectFields
const weightFields = Object.fromEntries(SCORE_FACTORS.map(factor => [WEIGHT_FIELD(factor), Type.Optional(Type.Number({ minimum: 0, maximum: 1 }))]))
const formFields = { ...plainFields, ...eligibilityFields, ...weightFields, organisationId: Type.Optional(Type.Integer({ minimum: 1 })) }
const partialFields = Type.Partial(Type.Object(formFields)).properties
const CreateForm = formBody(formFields)
const EditForm = formBody(partialFields)
const PreviewForm = formBody({ ...partialFields, kind: projectFields.kind })

const FACTOR_LABELS: Record<ScoreFactor, string> = {
  severity: '困难类别', hardship: '困难情形', income_gap: '收入差距', little_recent_help: '近期受助少', waiting: '等待时间', proximity: '就近', donor_fit: '资助人偏好', urgency: '紧迫程度'
}
const LABELS: Record<string, string> = {
  organisationId: '慈善组织', kind: '项目类型', title: '项目名称', description: '项目说明', budget: '总预算', unitCost: '每人（户）成本', perItemLimit: '单项限额', capacity: '名额',
  startsOn: '开始日期', endsOn: '结束日期', categories: '适用类别', regionCodes: '适用地区', minAge: '最小年龄', maxAge: '最大年龄', schoolStages: '在学阶段',
  hardships: '困难情形', statuses: '家庭状态', notHelpedSameKindMonths: '未获同类帮扶的月数', seasonalTags: '每季一次的帮扶', fundingDonorId: '资助人编号',
  weights: '评分权重', ...Object.fromEntries(SCORE_FACTORS.map(factor => [WEIGHT_FIELD(factor), `“${FACTOR_LABELS[factor]}”的权重`]))
}

type FormBody = Record<string, unknown>
const ELIGIBILITY_KEYS = Object.keys(eligibilityFields)

/** The API's project from the flat form: every field (a draft's full replacement), or only what an open project may change. */
function projectInputOf (body: FormBody, live: boolean): Partial<ProjectInput> {
  const eligibility = Object.fromEntries(ELIGIBILITY_KEYS.filter(key => body[key] !== undefined).map(key => [key, body[key]]))
  const scoreWeights = Object.fromEntries(SCORE_FACTORS.filter(f => body[WEIGHT_FIELD(f)] !== undefined).map(f => [f, body[WEIGHT_FIELD(f)] as number]))
  const full: Partial<ProjectInput> = {
    ...(body.kind !== undefined ? { kind: body.kind as HelpKind } : {}),
    ...(body.title !== undefined ? { title: body.title as string } : {}),
    ...(body.budget !== undefined ? { budget: body.budget as number } : {}),
    description: (body.description as string | undefined) ?? '',
    unitCost: (body.unitCost as number | undefined) ?? null,
    perItemLimit: (body.perItemLimit as number | undefined) ?? null,
    capacity: (body.capacity as number | undefined) ?? null,
    startsOn: (body.startsOn as string | undefined) ?? null,
    endsOn: (body.endsOn as string | undefined) ?? null,
    fundingDonorId: (body.fundingDonorId as number | undefined) ?? null,
    eligibility,
    scoreWeights
  }
  return live ? Object.fromEntries(Object.entries(full).filter(([key]) => OPEN_FIELDS.has(key))) : full
}

/** A saved project as the form shows it. */
function formValuesOf (project: ProjectView): FormBody {
  return {
    ...project,
    ...project.eligibility,
    ...Object.fromEntries(SCORE_FACTORS.map(f => [WEIGHT_FIELD(f), project.scoreWeights[f]])),
    unitCost: project.unitCost ?? '', perItemLimit: project.perItemLimit ?? '', capacity: project.capacity ?? '', startsOn: project.startsOn ?? '', endsOn: project.endsOn ?? '', fundingDonorId: project.fundingDonorId ?? ''
  }
}

/** The domain names nested fields (body.eligibility.maxAge, body.scoreWeights): the form shows them beside its flat ones. */
async function withFlatFields<T> (work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    if (error instanceof AppError) {
      for (const detail of error.details) {
        if (typeof detail.field === 'string') detail.field = detail.field.replace(/^body\.eligibility\.([A-Za-z]+).*$/, 'body.$1').replace(/^body\.scoreWeights.*$/, 'body.weights')
      }
    }
    throw error
  }
}

const statusTag = (status: ProjectStatus) => ({ name: PROJECT_STATUS_NAMES[status], css: status === 'open' ? 'ok' : status === 'draft' ? '' : 'muted' })
const share = (part: number, whole: number) => whole > 0 ? Math.min(100, Math.round(part / whole * 100)) : 0

/** A project as the workbench lists it. */
function projectCard (project: ProjectView) {
  return { ...project, kindName: HELP_KIND_NAMES[project.kind], statusTag: statusTag(project.status), committedShare: share(project.committed, project.budget), spentShare: share(project.spent, project.budget) }
}

/** The project's rules in words, for its page. */
function rulesInWords (project: ProjectView, names: Map<string, string>): string[] {
  const e = project.eligibility
  const words: string[] = []
  words.push(e.categories?.length ? `类别：${e.categories.map(c => CATEGORY_NAMES[c]).join('、')}` : '类别：所有低收入人口')
  words.push(`地区：${e.regionCodes?.length ? e.regionCodes.map(c => names.get(c) ?? c).join('、') : '本机构所在地区'}`)
  if (e.minAge !== undefined || e.maxAge !== undefined) words.push(`年龄：${e.minAge ?? 0}–${e.maxAge ?? 120} 岁`)
  if (e.schoolStages?.length) words.push(`在学阶段：${e.schoolStages.map(s => SCHOOL_STAGE_NAMES[s]).join('、')}`)
  if (e.hardships?.length) words.push(`须有困难情形之一：${e.hardships.map(h => HARDSHIP_NAMES[h]).join('、')}`)
  words.push(`家庭状态：${(e.statuses ?? ['active', 'gradual_exit']).map(s => HOUSEHOLD_STATUS_NAMES[s]).join('、')}`)
  if (e.notHelpedSameKindMonths) words.push(`${e.notHelpedSameKindMonths} 个月内未获同类帮扶`)
  if (e.seasonalTags?.length) words.push('冬衣每户每季一次')
  return words
}

export const charityProjectPages: FastifyPluginAsyncTypebox = async app => {
  const hide = { hide: true }
  const write = { config: { access: 'project.write' as const } }
  const follow = { config: { access: 'match.read' as const } }

  /** The choices of the project form: kinds, categories, the organisation's towns, stages, hardships, statuses; organisations for administrators. */
  const formChoices = async (request: FastifyRequest) => {
    const organisationId = request.principal?.organisationId ?? null
    const region = organisationId !== null ? await organisationRegion(app.db, organisationId) : undefined
    const organisations = organisationId === null ? await listOrganisations(app.db) : []
    const towns = await townsUnder(app.db, region ? [region] : organisations.map(o => o.regionCode))
    const counties = [...new Set((region ? [region] : organisations.map(o => o.regionCode)).map(code => code.slice(0, 6)))]
    const countyNames = await regionNames(app.db, counties)
    return {
      organisations,
      kinds: HELP_KINDS.map(code => ({ code, name: HELP_KIND_NAMES[code] })),
      categories: CATEGORIES.map(code => ({ code, name: CATEGORY_NAMES[code] })),
      regions: [...counties.map(code => ({ code, name: `${countyNames.get(code) ?? code}（全区）` })), ...towns],
      schoolStages: SCHOOL_STAGES.filter(s => s !== 'none').map(code => ({ code, name: SCHOOL_STAGE_NAMES[code] })),
      hardships: HARDSHIPS.map(code => ({ code, name: HARDSHIP_NAMES[code] })),
      statuses: HOUSEHOLD_STATUSES.map(code => ({ code, name: HOUSEHOLD_STATUS_NAMES[code] })),
      seasonalTags: SEASONAL_TAGS,
      weights: SCORE_FACTORS.map(factor => ({ name: WEIGHT_FIELD(factor), label: FACTOR_LABELS[factor], hint: `默认 ${DEFAULT_WEIGHTS[factor]}` }))
    }
  }

  const formPage = async (request: FastifyRequest, project?: ProjectView) => ({
    title: project ? `修改项目：${project.title}` : '新建慈善项目',
    breadcrumbs: [{ label: '慈善工作台', href: '/charity' }, { label: '项目', href: '/charity/projects' }, ...(project ? [{ label: project.title, href: `/charity/projects/${project.id}` }, { label: '修改' }] : [{ label: '新建' }])],
    tab: 'projects',
    project: project && { ...project, live: isLive(project.status), kindName: HELP_KIND_NAMES[project.kind] },
    action: project ? `/charity/projects/${project.id}` : '/charity/projects',
    previewAction: project ? `/charity/projects/${project.id}/preview#preview` : '/charity/projects/preview#preview',
    ...await formChoices(request)
  })

  /** A project the signed-in person may manage: its organisation's staff, or an administrator. */
  const manageable = async (request: FastifyRequest, id: number) => {
    const project = await getProject(app.db, id)
    ensureAllowed(request.principal, 'project.write', { organisationId: project.organisationId })
    return project
  }

  // —— The workbench's first page ——
  app.get('/charity', { ...write, schema: hide }, async (request, reply) => {
    const organisationId = reachesFor(request.principal, 'project.write').includes('all') ? null : request.principal?.organisationId ?? null
    const overview = await charityOverview(app.db, organisationId, today())
    const recent = await listProjects(app.db, { status: 'open', ...(organisationId !== null ? { organisationId } : {}), limit: 6, offset: 0 }, draftsVisibleTo(request))
    return reply.page('charity/home', {
      title: '慈善工作台', tab: 'home', breadcrumbs: [{ label: '慈善工作台' }],
      overview, projects: recent.map(projectCard), committedShare: share(overview.committed, overview.budget), spentShare: share(overview.spent, overview.budget)
    })
  })

  // —— Projects ——
  const ProjectList = Type.Object({
    status: Type.Optional(Type.Enum(PROJECT_STATUSES)),
    kind: Type.Optional(Type.Enum(HELP_KINDS)),
    page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 })
  }, { additionalProperties: false })

  app.get('/charity/projects', { ...write, attachValidation: true, schema: { ...hide, querystring: ProjectList } }, async (request, reply) => {
    const query = request.validationError ? { page: 1 } as { status?: ProjectStatus, kind?: HelpKind, page: number } : request.query
    const organisationId = reachesFor(request.principal, 'project.write').includes('all') ? undefined : request.principal?.organisationId ?? undefined
    const found = await listProjects(app.db, { status: query.status, kind: query.kind, organisationId, limit: PER_PAGE + 1, offset: (query.page - 1) * PER_PAGE }, draftsVisibleTo(request))
    const link = (changes: Record<string, unknown>) => {
      const params = new URLSearchParams(Object.entries({ ...query, ...changes }).filter(([key, value]) => value !== undefined && !(key === 'page' && value === 1)).map(([k, v]) => [k, String(v)] as [string, string]))
      return `/charity/projects${params.size > 0 ? `?${params.toString()}` : ''}`
    }
    return reply.page('charity/projects', {
      title: '慈善项目', tab: 'projects', breadcrumbs: [{ label: '慈善工作台', href: '/charity' }, { label: '项目' }],
      query,
      statuses: [{ label: '全部', href: link({ status: undefined, page: 1 }), current: query.status === undefined },
        ...PROJECT_STATUSES.map(status => ({ label: PROJECT_STATUS_NAMES[status], href: link({ status, page: 1 }), current: query.status === status }))],
      kinds: HELP_KINDS.map(code => ({ code, name: HELP_KIND_NAMES[code] })),
      projects: found.slice(0, PER_PAGE).map(projectCard),
      pages: pagination(query.page, query.page + (found.length > PER_PAGE ? 1 : 0), page => link({ page }))
    })
  })

  app.get('/charity/projects/new', { ...write, schema: hide }, async (request, reply) => {
    return reply.page('charity/project-form', { ...await formPage(request), form: blankForm({ statuses: ['active', 'gradual_exit'] }) })
  })

  app.post('/charity/projects', { ...write, attachValidation: true, schema: { ...hide, body: CreateForm } }, async (request, reply) => {
    return submitForm(request, reply, { view: 'charity/project-form', data: () => formPage(request), labels: LABELS }, async () => {
      const body = request.body as FormBody
      const created = await withFlatFields(() => draftProject(request, { ...projectInputOf(body, false) as ProjectInput, organisationId: body.organisationId as number | undefined }))
      setFlash(request, reply, 'success', `项目“${created.title}”已保存为草稿。检查无误后点“开放项目”，爱心人士就能看到它，也可以生成推荐名单。`)
      return reply.redirect(`/charity/projects/${created.id}`, 303)
    })
  })

  /** The reach of what the form holds: a new project's fields, or a saved project with the changes typed (those it may still take). */
  const showPreview = async (request: FastifyRequest, project: ProjectView | undefined) => {
    const body = request.body as FormBody
    const saved = project && { kind: project.kind, budget: project.budget, unitCost: project.unitCost, perItemLimit: project.perItemLimit, capacity: project.capacity, eligibility: project.eligibility, scoreWeights: project.scoreWeights, fundingDonorId: project.fundingDonorId }
    const input = { ...saved, ...projectInputOf(body, project !== undefined && isLive(project.status)) } as ReachPreviewInput
    const organisation = project ? project.organisationId : organisationFor(request, body.organisationId as number | undefined)
    return previewView(await withFlatFields(() => previewReach(app.db, organisation, input, today())))
  }

  app.post('/charity/projects/preview', { ...write, attachValidation: true, schema: { ...hide, body: PreviewForm } }, async (request, reply) => {
    return submitForm(request, reply, { view: 'charity/project-form', data: () => formPage(request), labels: LABELS }, async () => {
      const result = await showPreview(request, undefined)
      return reply.page('charity/project-form', { ...await formPage(request), form: blankForm(keep(request.body as FormBody)), preview: result })
    })
  })

  app.get('/charity/projects/:id', { ...write, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const project = await manageable(request, request.params.id)
    const [runs, counts, names] = await Promise.all([
      runHistory(request, project.id, { limit: 5, offset: 0 }),
      proposalCounts(app.db, project.id, { regionPrefix: '' }),
      regionNames(app.db, project.eligibility.regionCodes ?? [])
    ])
    const latest = runs[0]
    const running = latest && (latest.status === 'queued' || latest.status === 'running') ? await runWithProgress(request, latest.id) : undefined
    return reply.page('charity/project', {
      title: project.title, tab: 'projects',
      breadcrumbs: [{ label: '慈善工作台', href: '/charity' }, { label: '项目', href: '/charity/projects' }, { label: project.title }],
      project: projectCard(project),
      moves: movesFrom(project.status).map(move => ({ move, name: PROJECT_MOVES[move].name, danger: move === 'close' })),
      editable: project.status !== 'closed',
      canRun: project.status === 'open' && (project.unitCost !== null || project.perItemLimit !== null),
      noCostBasis: project.unitCost === null && project.perItemLimit === null,
      rules: rulesInWords(project, names),
      weights: SCORE_FACTORS.map(f => ({ label: FACTOR_LABELS[f], value: project.scoreWeights[f] })),
      running: running && runCard(running),
      runs: runs.map(runCard),
      counts: { open: counts.open ?? 0, confirmed: counts.confirmed ?? 0, rejected: counts.rejected ?? 0, cancelled: counts.cancelled ?? 0 }
    })
  })

  app.get('/charity/projects/:id/edit', { ...write, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const project = await manageable(request, request.params.id)
    if (project.status === 'closed') throw new AppError(409, 'project_closed', '项目已结束，不能修改 (the project is closed)')
    return reply.page('charity/project-form', { ...await formPage(request, project), form: blankForm(formValuesOf(project)) })
  })

  app.post('/charity/projects/:id', { ...write, attachValidation: true, schema: { ...hide, params: IdParams, body: EditForm } }, async (request, reply) => {
    const project = await manageable(request, request.params.id)
    return submitForm(request, reply, { view: 'charity/project-form', data: () => formPage(request, project), labels: LABELS }, async () => {
      const changes = projectInputOf(request.body as FormBody, isLive(project.status))
      const after = await withFlatFields(() => changeProject(request, project.id, changes))
      setFlash(request, reply, 'success', `项目“${after.title}”已保存。`)
      return reply.redirect(`/charity/projects/${project.id}`, 303)
    })
  })

  app.post('/charity/projects/:id/preview', { ...write, attachValidation: true, schema: { ...hide, params: IdParams, body: EditForm } }, async (request, reply) => {
    const project = await manageable(request, request.params.id)
    return submitForm(request, reply, { view: 'charity/project-form', data: () => formPage(request, project), labels: LABELS }, async () => {
      const result = await showPreview(request, project)
      return reply.page('charity/project-form', { ...await formPage(request, project), form: blankForm(keep(request.body as FormBody)), preview: result })
    })
  })

  const MOVE_FLASH: Record<ProjectMove, string> = {
    open: '项目已开放：爱心人士可以在“慈善项目”中看到它，现在可以生成推荐名单。',
    pause: '项目已暂停：不再生成推荐、受理申请或确认新的帮扶；已确认的帮扶照常落实。',
    resume: '项目已恢复，可以继续生成推荐和确认帮扶。',
    close: '项目已结束。账目和帮扶记录都会保留。'
  }
  for (const move of MOVE_NAMES) {
    app.post(`/charity/projects/:id/${move}`, { ...write, schema: { ...hide, params: IdParams } }, async (request, reply) => {
      const back = `/charity/projects/${request.params.id}`
      return actOrSayWhy(request, reply, back, async () => {
        await makeProjectMove(request, request.params.id, move)
        setFlash(request, reply, 'success', MOVE_FLASH[move])
        return reply.redirect(back, 303)
      })
    })
  }

  // —— Runs ——
  app.post('/charity/projects/:id/runs', { config: { access: 'match.run' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const project = await runnableProject(app.db, request.params.id)
    return actOrSayWhy(request, reply, `/charity/projects/${project.id}`, async () => {
      const runId = await startRun(request, project, undefined)
      setFlash(request, reply, 'info', '推荐任务已开始，进度会在下面自动更新。')
      return reply.redirect(`/charity/runs/${runId}`, 303)
    })
  })

  app.get('/charity/projects/:id/runs', { ...follow, attachValidation: true, schema: { ...hide, params: IdParams, querystring: Type.Object({ page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }) }, { additionalProperties: false }) } }, async (request, reply) => {
    const page = request.validationError ? 1 : request.query.page
    const project = await getProject(app.db, request.params.id)
    const runs = await runHistory(request, project.id, { limit: PER_PAGE + 1, offset: (page - 1) * PER_PAGE })
    return reply.page('charity/runs', {
      title: `推荐记录：${project.title}`, tab: 'projects',
      breadcrumbs: [{ label: '慈善工作台', href: '/charity' }, { label: project.title, href: `/charity/projects/${project.id}` }, { label: '推荐记录' }],
      project, runs: runs.slice(0, PER_PAGE).map(runCard),
      pages: pagination(page, page + (runs.length > PER_PAGE ? 1 : 0), p => `/charity/projects/${project.id}/runs?page=${p}`)
    })
  })

  app.get('/charity/runs/:id', { ...follow, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const run = await runWithProgress(request, request.params.id)
    const card = runCard(run)
    if (request.wantsFragment) {
      // Finished while the page watched: the whole page, with what the run proposed, replaces the bar.
      if (!card.going) reply.header('hx-refresh', 'true')
      return reply.fragment('charity/run-progress', { run: card })
    }
    const project = await getProject(app.db, run.projectId)
    const outcome = card.going ? { proposed: [], leftOut: [] } : await runOutcome(request, run.id)
    const names = await regionNames(app.db, [...outcome.proposed.map(p => p.regionCode), ...outcome.leftOut.map(l => l.regionCode)].flatMap(code => [code, code.slice(0, 9)]))
    return reply.page('charity/run', {
      title: `推荐任务 ${run.id}`, tab: 'projects',
      breadcrumbs: [{ label: '慈善工作台', href: '/charity' }, { label: project.title, href: `/charity/projects/${project.id}` }, { label: `推荐任务 ${run.id}` }],
      project, run: card,
      proposed: outcome.proposed.map(p => proposalCard(p, names)),
      leftOut: outcome.leftOut.map(l => ({ ...l, place: placeOf(names, l.regionCode), points: points(l.score) })),
      leftOutCount: run.summary?.leftOut?.count ?? 0
    })
  })

  // —— Proposals ——
  const PROPOSAL_STATUSES = ['open', 'confirmed', 'rejected', 'superseded', 'cancelled'] as const
  const PROPOSAL_STATUS_NAMES: Record<typeof PROPOSAL_STATUSES[number], string> = { open: '待民政确认', confirmed: '已确认', rejected: '未通过', superseded: '已被新名单替换', cancelled: '已取消' }
  const ProposalList = Type.Object({
    status: Type.Enum(PROPOSAL_STATUSES, { default: 'open' }),
    page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 })
  }, { additionalProperties: false })

  app.get('/charity/projects/:id/proposals', { ...follow, attachValidation: true, schema: { ...hide, params: IdParams, querystring: ProposalList } }, async (request, reply) => {
    const query = request.validationError ? { status: 'open' as const, page: 1 } : request.query
    const project = await getProject(app.db, request.params.id)
    const reach = await projectReach(app.db, project.id)
    ensureMayFollowProject(request.principal, reach)
    const scope = proposalScope(request.principal, reach)
    const [found, counts] = await Promise.all([
      listProposals(app.db, project.id, scope, { status: query.status, limit: PER_PAGE + 1, offset: (query.page - 1) * PER_PAGE }),
      proposalCounts(app.db, project.id, scope)
    ])
    const names = await regionNames(app.db, found.flatMap(p => [p.regionCode, p.regionCode.slice(0, 9)]))
    return reply.page('charity/proposals', {
      title: `推荐名单：${project.title}`, tab: 'projects',
      breadcrumbs: [{ label: '慈善工作台', href: '/charity' }, { label: project.title, href: `/charity/projects/${project.id}` }, { label: '推荐名单' }],
      project, status: query.status, statusName: PROPOSAL_STATUS_NAMES[query.status],
      tabs: PROPOSAL_STATUSES.map(status => ({ href: `/charity/projects/${project.id}/proposals?status=${status}`, label: `${PROPOSAL_STATUS_NAMES[status]}（${counts[status] ?? 0}）`, current: status === query.status })),
      proposals: found.slice(0, PER_PAGE).map(p => proposalCard(p, names)),
      pages: pagination(query.page, query.page + (found.length > PER_PAGE ? 1 : 0), p => `/charity/projects/${project.id}/proposals?status=${query.status}&page=${p}`)
    })
  })

  // —— Money ——
  app.get('/charity/projects/:id/ledger', { ...follow, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const project = await getProject(app.db, request.params.id)
    ensureMayFollowProject(request.principal, await projectReach(app.db, project.id))
    const entries = await projectLedger(app.db, project.id)
    const total = (movement: string) => entries.filter(e => e.movement === movement).reduce((sum, e) => sum + e.amount, 0)
    return reply.page('charity/ledger', {
      title: `资金台账：${project.title}`, tab: 'projects',
      breadcrumbs: [{ label: '慈善工作台', href: '/charity' }, { label: project.title, href: `/charity/projects/${project.id}` }, { label: '资金台账' }],
      project: projectCard(project),
      totals: { committed: total('commit'), released: total('release'), spent: project.spent, held: project.committed - project.spent, left: project.available },
      entries: [...entries].reverse().map(e => ({ ...e, movementName: { commit: '承诺', release: '释放', spend: '支出' }[e.movement], referenceName: referenceName(e.reference) }))
    })
  })

  app.get('/charity/projects/:id/report.xlsx', { ...follow, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const project = await getProject(app.db, request.params.id)
    const reach = await projectReach(app.db, project.id)
    ensureMayFollowProject(request.principal, reach)
    const file = await projectReportXlsx(app.db, project, proposalScope(request.principal, reach), today())
    return reply.type(XLSX_TYPE).header('content-disposition', `attachment; filename="project-${project.id}.xlsx"; filename*=UTF-8''${encodeURIComponent(`项目报表-${project.title}.xlsx`)}`).send(file)
  })
}

/** What typed values the form keeps when it comes back (everything but the CSRF token). */
function keep (body: FormBody): FormBody {
  const { _csrf: _token, ...values } = body
  return values
}

/** A ledger reference in words: 推荐 42, 培训券 7, 梦想小屋 3. */
function referenceName (reference: string): string {
  const [kind, id] = reference.split(':')
  return `${{ proposal: '推荐', voucher: '培训券', dream_room: '梦想小屋' }[kind ?? ''] ?? kind} ${id ?? ''}`.trim()
}

const RUN_STATUS_NAMES: Record<string, string> = { queued: '排队中', running: '正在计算', completed: '已完成', failed: '未能完成' }

interface RunLike { id: number, status: string, asOf: string, createdAt: string, finishedAt: string | null, summary: Static<typeof RunSummarySchema> | null, progress?: { percent: number, population: number | null, eligible: number | null, proposed: number } | null, startedBy?: string | null }

/** A run as the pages show it: its state in words, how far, and its summary's numbers. */
export function runCard (run: RunLike) {
  const going = run.status === 'queued' || run.status === 'running'
  const s = run.summary
  const percent = run.progress?.percent ?? (run.status === 'completed' ? 100 : 0)
  return {
    ...run,
    going,
    statusName: RUN_STATUS_NAMES[run.status] ?? run.status,
    percent,
    counts: run.progress ?? (s ? { population: s.population, eligible: s.eligible, proposed: s.proposed } : null),
    excluded: s ? Object.entries(s.excluded ?? {}).filter(([, n]) => n > 0).map(([rule, n]) => ({ rule: ruleName(rule), n })) : [],
    leftOutCount: s?.leftOut?.count ?? 0
  }
}

/** A proposal as its card shows it: where, the score in points and each factor in words. */
function proposalCard (p: ProposalView, names: Map<string, string>) {
  const factors = explainFactors(p.explanation.factors)
  return {
    ...p,
    place: placeOf(names, p.regionCode),
    points: points(p.score),
    factors,
    sourceName: p.source === 'application' ? '民政申请' : `第 ${p.rank} 名`,
    category: categoryName(String(p.explanation.factors?.find(f => f.factor === 'severity')?.value ?? 'none')),
    duplicate: p.duplicateCheck && p.duplicateCheck.verdict !== 'clear' ? (p.duplicateCheck.verdict === 'duplicate' ? '与已有帮扶重复（已说明理由）' : '与已有帮扶互补') : null
  }
}

/** The reach preview as the form shows it. */
function previewView (preview: ReachPreview) {
  return {
    ...preview,
    excluded: preview.excluded.map(e => ({ rule: ruleName(e.rule), count: e.count })),
    top: preview.top.map(t => ({ ...t, categoryName: categoryName(t.category), points: points(t.score), factors: explainFactors(t.factors) })),
    fewerPlaces: preview.places !== null && preview.places < preview.households
  }
}
