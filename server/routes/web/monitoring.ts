// The monitoring pages: the warnings worklist per desk (soonest deadline first, days left in
// working days) and a warning with its evidence, household, rule, history and actions; the
// department feed import with its live progress and unmatched report; and, for administrators,
// the routing table, the rules and the holiday calendar. Each action calls the step the API
// calls (server/monitoring/steps.ts).
import { createReadStream } from 'node:fs'
import { join } from 'node:path'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import ExcelJS from 'exceljs'
import { CATEGORY_NAMES, WISH_CATEGORIES, WISH_CATEGORY_NAMES } from '../../../matching/domain.js'
import { addWorkingDays, DEPARTMENT_NAMES, DEPARTMENTS, DESK_LEVEL_NAMES, DESK_LEVELS, FEED_KIND_NAMES, FEED_KINDS, RULE_KEYS, RULE_SPECS, WARNING_CLASS_NAMES, WARNING_CLASS_SOURCES, WARNING_CLASSES, type FeedKind, type RuleKey, type WarningClass } from '../../../matching/monitoring/index.js'
import { DOCUMENTS, PROFILE_IDS, PROFILES, type ProfileId } from '../../../matching/policy/index.js'
import { authorize, regionScopeFor } from '../../auth/policy.js'
import { formBody } from '../../auth/csrf.js'
import type { UploadedFile } from '../../auth/plugin.js'
import { today } from '../../clock.js'
import { AppError } from '../../http/errors.js'
import { calendarYears, loadCalendar, packageYears, parseCalendarText, seedCalendar } from '../../monitoring/calendar.js'
import { FEED_FIELDS } from '../../monitoring/feeds/columns.js'
import { recordedDeaths } from '../../monitoring/deaths.js'
import { getFeedImport, listFeedImports } from '../../monitoring/feeds/record.js'
import { rulesInForce } from '../../monitoring/rule-versions.js'
import { routingTableView } from '../../monitoring/routing-table.js'
import { changeRoute, extendDeadline, feedFormatOf, newRuleVersion, readWarning, recordHandling, referWarning, removeRoute, setCalendarYear, startFeedImport, uploadWarningEvidence } from '../../monitoring/steps.js'
import { DUE_SOON_WORKING_DAYS, listWarnings, openFundProjects, warningCounts, warningFile } from '../../monitoring/warnings.js'
import { nameRegionsIn, townsByCounty } from '../../registry/regions.js'
import { ExtensionSchema, HandlingSchema, ReferralSchema, RouteChangeSchema } from '../../schemas/monitoring.js'
import { IdParams } from '../../schemas/needs.js'
import { CalendarDate } from '../../schemas/household.js'
import { setFlash } from '../../web/flash.js'
import { blankForm, submitForm } from '../../web/forms.js'
import { fullDate, monthDay } from '../../web/format.js'
import { pagination } from '../../web/pagination.js'
import { feedJobId, jobOrNull } from '../../../jobs/queues.js'

const PER_PAGE = 20
const STATUS_NAMES: Record<string, string> = { open: '待处置', in_progress: '处置中', closed: '已办结' }
const OUTCOME_NAMES: Record<string, string> = { policy_applied: '已落实政策', referred: '已转办相关部门', referred_to_charity: '已转慈善帮扶', closed_not_needed: '核实无需处置' }
const EVENT_NAMES: Record<string, string> = {
  raised: '生成预警', reminded: '到期提醒', overdue: '已逾期', escalated: '报上级督办', extended: '延长时限', visit: '入户走访', note: '记录',
  policy_applied: '已落实政策', referred: '已转办相关部门', closed_not_needed: '核实无需处置', referred_to_charity: '转慈善帮扶', evidence: '上传凭证'
}
const ACTION_OPTIONS = [
  ['visit', '入户走访（继续处置）'], ['note', '记录情况（继续处置）'], ['policy_applied', '已落实救助政策（办结）'],
  ['referred', '已转办相关部门（办结）'], ['closed_not_needed', '核实后无需处置（办结）']
] as const
const HOUSEHOLD_STATUS_NAMES: Record<string, string> = { active: '在册', gradual_exit: '渐退期', exited: '已退出', refused: '申请未获批', monitored_other: '其他监测对象' }
const RELATION_NAMES: Record<string, string> = { head: '户主', spouse: '配偶', child: '子女', parent: '父母', grandchild: '孙子女', grandparent: '祖父母', sibling: '兄弟姐妹', other: '其他' }
const FEED_STATUS_NAMES: Record<string, string> = { queued: '排队中', running: '正在导入', completed: '已完成', failed: '失败' }
const TRIGGER_NAMES: Record<string, string> = { feed: '部门数据触发', scan: '定期排查', setting: '时限设置' }
const FACT_NAMES: Record<string, string> = {
  occurredOn: '日期', outOfPocket: '自付金额（元）', totalCost: '医疗总费用（元）', level: '残疾等级', disabilityKind: '残疾类别', loss: '损失金额（元）', disasterKind: '灾害类型',
  assistanceKind: '救助类型', value: '金额（元）', provider: '实施部门', reference: '业务编号'
}

/** What the rule compared, named as a clerk would. */
const VALUE_NAMES: Record<string, string> = {
  age: '年龄（岁）', diedOn: '死亡日期', registeredOn: '失业登记日期', level: '残疾等级', disabilityKind: '残疾类别', previousLevel: '原残疾等级（0 为无）',
  outOfPocket: '本次自付（元）', totalInWindow: '期间累计自付（元）', before: '此前累计自付（元）', tier: '达到档次', windowMonths: '统计期间（月）',
  loss: '损失金额（元）', threshold: '预警起点（元）', complex: '困难情形复杂',
  category: '测算类别', profileVersion: '参数版本', alsoMet: '同时触发的规则',
  halfYear: '半年度', progress: '半年进度', year: '年度', recommendations: '本年岗位推介次数', perYear: '每年应推介次数', unemployedSince: '失业登记日期',
  checkedOn: '上次经济状况核对', validUntil: '核对结果有效至', validityMonths: '有效期（月）'
}
const DISABILITY_KIND_NAMES: Record<string, string> = { physical: '肢体', intellectual: '智力', mental: '精神', visual: '视力', hearing: '听力', speech: '言语', multiple: '多重' }

function valueText (name: string, value: unknown): string {
  if (typeof value === 'boolean') return value ? '是' : '否'
  if (name === 'category') return label(CATEGORY_NAMES, String(value))
  if (name === 'disabilityKind') return DISABILITY_KIND_NAMES[String(value)] ?? String(value)
  if (name === 'alsoMet') return String(value).split(',').filter(Boolean).map(rule => RULE_SPECS[rule as RuleKey]?.name ?? rule).join('、') || '无'
  if (name === 'progress') return `${Math.round(Number(value) * 100)}%`
  return String(value)
}

/** Citations name the policy documents by their files; a clerk knows them by issuer and number. */
const DOCUMENT_TITLES = Object.entries(DOCUMENTS).map(([profile, file]) => [file, PROFILES[profile as ProfileId].title] as const)
function plainSource (text: string): string {
  return DOCUMENT_TITLES.reduce((result, [file, title]) => result.replaceAll(file, `《${title}》`), text)
    // and say it in Chinese only: the English glosses in parentheses are for developers.
    .replace(/\s*\([^()]*[A-Za-z]{2,}[^()]*\)/g, '')
}

const WorklistQuery = Type.Object({
  desk: Type.Enum(['mine', 'all'] as const, { default: 'mine' }),
  warningClass: Type.Optional(Type.Enum(WARNING_CLASSES)),
  town: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })),
  due: Type.Optional(Type.Enum(['soon', 'overdue'] as const)),
  department: Type.Optional(Type.Enum(DEPARTMENTS)),
  status: Type.Enum(['open', 'closed'] as const, { default: 'open' }),
  feed: Type.Optional(Type.Integer({ minimum: 1 })),
  page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 })
}, { additionalProperties: false })
const Paged = Type.Object({ page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }) }, { additionalProperties: false })
const EvidenceParams = Type.Object({ id: Type.Integer({ minimum: 1 }), evidenceId: Type.Integer({ minimum: 1 }) })
const HandlingForm = formBody(HandlingSchema.properties)
const ExtensionForm = formBody(ExtensionSchema.properties)
const ReferralForm = formBody(ReferralSchema.properties)
const RouteForm = formBody(RouteChangeSchema.properties)
const RouteResetForm = formBody({ warningClass: Type.Enum(WARNING_CLASSES), cause: Type.Optional(Type.Union([Type.Enum(RULE_KEYS), Type.Literal('')], { default: '' })) })
/** A rule version from the page: the rule's parameters as fields of their own (the API takes them as `params`). */
const PARAM_NAMES = [...new Set(Object.values(RULE_SPECS).flatMap(spec => Object.keys(spec.params)))]
const RuleForm = formBody({
  profile: Type.Enum(PROFILE_IDS),
  rule: Type.Enum(RULE_KEYS),
  enabled: Type.Boolean({ default: true }),
  effectiveFrom: CalendarDate,
  note: Type.String({ minLength: 2, maxLength: 200 }),
  ...Object.fromEntries(PARAM_NAMES.map(name => [name, Type.Optional(Type.Number({ minimum: 0, maximum: 100_000_000 }))]))
})
const RulesQuery = Type.Object({ profile: Type.Enum(PROFILE_IDS, { default: 'nanxun-2025' }) }, { additionalProperties: false })
const YearParams = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) })
const CalendarForm = formBody({ days: Type.String({ maxLength: 10_000 }), note: Type.String({ minLength: 2, maxLength: 200 }) })
const TemplateParams = Type.Object({ kind: Type.Enum(FEED_KINDS) })
const TemplateQuery = Type.Object({ format: Type.Enum(['csv', 'xlsx'] as const, { default: 'csv' }) }, { additionalProperties: false })

const HANDLING_LABELS = { action: '处置情况', note: '说明', assistanceKind: '救助类型', assistanceValue: '救助金额', assistanceOn: '救助日期' }
const EXTENSION_LABELS = { workingDays: '延长的工作日', reason: '延期理由' }
const REFERRAL_LABELS = { kind: '转为', personId: '心愿人', category: '心愿类别', item: '心愿物品或服务', value: '估计价值', story: '心愿故事', projectId: '慈善基金项目', statement: '申请说明', amount: '申请金额' }
const ROUTE_LABELS = { warningClass: '预警类别', cause: '规则', department: '承办部门', level: '承办层级', note: '调整依据' }
const RULE_LABELS = { profile: '政策', rule: '规则', enabled: '启用', effectiveFrom: '生效日期', note: '依据', ...Object.fromEntries(PARAM_NAMES.map(n => [n, n])) }

/** How a deadline reads in working days. */
function deadlineText (w: { status: string, daysLeft: number, overdue: boolean, dueOn: string }) {
  if (w.status === 'closed') return { text: `${monthDay(w.dueOn)}到期`, overdue: false, soon: false }
  if (w.overdue) return { text: w.daysLeft < 0 ? `已逾期 ${-w.daysLeft} 个工作日` : '已逾期', overdue: true, soon: false }
  if (w.daysLeft === 0) return { text: '今天到期', overdue: false, soon: true }
  return { text: `还剩 ${w.daysLeft} 个工作日`, overdue: false, soon: w.daysLeft <= DUE_SOON_WORKING_DAYS }
}

const label = <T extends string>(names: Record<T, string>, code: string) => names[code as T] ?? code

function warningCard (w: Awaited<ReturnType<typeof listWarnings>>['items'][number]) {
  return {
    ...w,
    className: label(WARNING_CLASS_NAMES, w.warningClass),
    ruleName: RULE_SPECS[w.rule as RuleKey]?.name ?? w.rule,
    departmentName: label(DEPARTMENT_NAMES, w.department),
    statusName: STATUS_NAMES[w.status] ?? w.status,
    outcomeName: w.outcome ? OUTCOME_NAMES[w.outcome] ?? w.outcome : null,
    due: deadlineText(w),
    dueText: fullDate(w.dueOn),
    deskName: w.deskRegion.length === 9 ? w.townName : '区（县）本级',
    who: w.lowIncome ? '低收入人口' : '其他监测对象'
  }
}

/** Query string of the worklist with one thing changed. */
function worklistHref (query: Record<string, unknown>, change: Record<string, unknown>): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries({ ...query, ...change })) {
    if (value === undefined || value === '' || (key === 'page' && value === 1) || (key === 'desk' && value === 'mine') || (key === 'status' && value === 'open')) continue
    params.set(key, String(value))
  }
  const text = params.toString()
  return `/work/warnings${text ? `?${text}` : ''}`
}

const feedProgressPercent = (run: { status: string, rowsRead: number }, progress: { rowsRead: number } | 0 | null) =>
  run.status === 'completed' ? 100 : progress && typeof progress === 'object' ? Math.min(95, 5 + Math.round(Math.log10(progress.rowsRead + 1) * 18)) : 5

export const monitoringPages: FastifyPluginAsyncTypebox = async app => {
  const hide = { hide: true }

  // —— The worklist ——
  app.get('/work/warnings', { config: { access: 'warning.read' }, attachValidation: true, schema: { ...hide, querystring: WorklistQuery } }, async (request, reply) => {
    const query = request.validationError ? { desk: 'mine' as const, status: 'open' as const, page: 1 } : request.query
    const principal = request.principal
    const scope = regionScopeFor(principal, 'warning.read')
    const asOf = today()
    const calendar = await loadCalendar(app.db)
    // "My desk" is the desk of the person's own region; administrators (no region) see every desk.
    const ownDesk = principal?.regionCode ?? null
    const desk = query.desk === 'mine' && ownDesk ? ownDesk : undefined
    const filters = {
      ...(desk ? { desk } : {}), ...(query.warningClass ? { warningClass: query.warningClass } : {}), ...(query.town ? { town: query.town } : {}),
      ...(query.due ? { due: query.due } : {}), ...(query.department ? { department: query.department } : {}), ...(query.feed ? { feedImportId: query.feed } : {}),
      status: query.status, limit: PER_PAGE, offset: (query.page - 1) * PER_PAGE
    }
    const [{ total, items }, counts, towns] = await Promise.all([
      listWarnings(app.db, scope, filters, calendar, asOf),
      warningCounts(app.db, desk ? { regionPrefix: scope.regionPrefix } : scope, calendar, asOf),
      townsByCounty(app.db).then(counties => counties.flatMap(county => county.towns))
    ])
    const visibleTowns = towns.filter(town => town.code.startsWith(scope.regionPrefix) || scope.regionPrefix.startsWith(town.code))
    const anyFilter = Boolean(query.warningClass || query.town || query.due || query.department || query.feed)
    return reply.page('monitoring/warnings', {
      title: '预警处置',
      breadcrumbs: [{ label: '预警处置' }],
      query,
      warnings: items.map(warningCard),
      total,
      counts,
      dueSoonDays: DUE_SOON_WORKING_DAYS,
      soonUntil: fullDate(addWorkingDays(calendar, asOf, DUE_SOON_WORKING_DAYS)),
      today: fullDate(asOf),
      ownDesk,
      tabs: ownDesk
        ? [{ href: worklistHref(query, { desk: 'mine', page: 1 }), label: '本窗口待办', current: query.desk === 'mine' }, { href: worklistHref(query, { desk: 'all', page: 1 }), label: '辖区全部预警', current: query.desk === 'all' }]
        : [],
      statusTabs: [{ href: worklistHref(query, { status: 'open', page: 1 }), label: '未办结', current: query.status === 'open' }, { href: worklistHref(query, { status: 'closed', page: 1 }), label: '已办结', current: query.status === 'closed' }],
      overdueHref: worklistHref(query, { due: 'overdue', page: 1 }),
      dueSoonHref: worklistHref(query, { due: 'soon', page: 1 }),
      classes: WARNING_CLASSES.map(code => ({ code, name: WARNING_CLASS_NAMES[code] })),
      departments: DEPARTMENTS.map(code => ({ code, name: DEPARTMENT_NAMES[code] })),
      towns: visibleTowns,
      anyFilter,
      clearHref: worklistHref({ desk: query.desk, status: query.status }, {}),
      canImport: authorize(principal, 'feed.import'),
      pages: pagination(query.page, Math.ceil(total / PER_PAGE), p => worklistHref(query, { page: p }))
    })
  })

  // —— A warning ——
  const warningPage = async (request: FastifyRequest, id: number) => {
    const warning = await readWarning(request, id)
    const card = warningCard(warning)
    const evidence = warning.evidence as { feed?: { kind: string, kindName: string, importId: number, line: number, facts: Record<string, unknown> }, values?: Record<string, unknown>, reclassified?: { categoryName: string, profileVersion: string }, scan?: Record<string, unknown> }
    const version = warning.ruleVersion as { rule: RuleKey, params: Record<string, number>, effectiveFrom: string, source: string, demo?: boolean }
    const route = warning.route as { department: string, level: string, source: string }
    const spec = RULE_SPECS[version.rule]
    const canHandle = authorize(request.principal, 'warning.handle', { regionCode: warning.regionCode }) && warning.status !== 'closed'
    const [projects, deaths, notes] = await Promise.all([
      canHandle ? openFundProjects(app.db) : [],
      recordedDeaths(app.db, warning.household.members.map(m => m.id)),
      nameRegionsIn(app.db, warning.events.map(e => e.note))
    ])
    // A wish is for someone living: after a death, the family's first other member.
    const died = version.rule === 'income_drop_death' || version.rule === 'sole_member_death'
    // Nor for a member a death record names whose leaving is not recorded yet.
    const living = warning.household.members.filter(m => !m.left && !deaths.has(m.id))
    const wishFor = died ? living.find(m => m.id !== warning.personId)?.id ?? warning.personId : warning.personId
    return {
      title: `预警：${card.ruleName}`,
      breadcrumbs: [{ label: '预警处置', href: '/work/warnings' }, { label: `第 ${id} 号预警` }],
      warning: card,
      classSource: plainSource(WARNING_CLASS_SOURCES[warning.warningClass as WarningClass]),
      feed: evidence.feed ? {
        ...evidence.feed,
        facts: Object.entries(evidence.feed.facts).filter(([key, value]) => key !== 'kind' && value !== null && value !== '').map(([key, value]) => ({ name: FACT_NAMES[key] ?? key, value: String(value) }))
      } : null,
      scan: evidence.scan ?? null,
      reclassified: evidence.reclassified ?? null,
      values: Object.entries(evidence.values ?? {}).filter(([, value]) => value !== '' && value !== null).map(([name, value]) => ({ name: VALUE_NAMES[name] ?? name, value: valueText(name, value) })),
      rule: {
        name: spec?.name ?? version.rule, effectiveFrom: fullDate(version.effectiveFrom), source: plainSource(version.source), demo: version.demo === true,
        params: Object.entries(version.params).map(([name, value]) => ({ name, value, description: spec?.params[name]?.description ?? name, unit: spec?.params[name]?.unit ?? '' }))
      },
      route: { departmentName: label(DEPARTMENT_NAMES, route.department), levelName: label(DESK_LEVEL_NAMES, route.level), source: plainSource(route.source) },
      household: {
        ...warning.household,
        categoryName: warning.household.category ? label(CATEGORY_NAMES, warning.household.category) : '未纳入',
        statusName: HOUSEHOLD_STATUS_NAMES[warning.household.status] ?? warning.household.status,
        members: warning.household.members.map(m => ({ ...m, relationName: RELATION_NAMES[m.relation] ?? m.relation, isSubject: m.id === warning.personId, died: deaths.get(m.id) }))
      },
      // The history as recorded, with the desks' region codes named and each person by their display name.
      events: warning.events.map((e, i) => ({ ...e, note: notes[i], kindName: EVENT_NAMES[e.kind] ?? e.kind })),
      files: warning.files.map(f => ({ ...f, href: `/work/warnings/${id}/evidence/${f.id}`, image: f.contentType.startsWith('image/') })),
      missingYears: warning.calendarMissingYears.join('、'),
      canHandle,
      actions: ACTION_OPTIONS.map(([code, name]) => ({ code, name })),
      wishCategories: WISH_CATEGORIES.map(code => ({ code, name: WISH_CATEGORY_NAMES[code] })),
      members: living.filter(m => !(died && m.id === warning.personId)).map(m => ({ id: m.id, label: `${m.maskedName}（${RELATION_NAMES[m.relation] ?? m.relation}，${m.age} 岁）`, isSubject: m.id === wishFor })),
      projects,
      handleForm: blankForm({ action: 'visit' }),
      extendForm: blankForm({ workingDays: 5 }),
      referForm: blankForm({ kind: 'wish', personId: wishFor })
    }
  }

  app.get('/work/warnings/:id', { config: { access: 'warning.read' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    return reply.page('monitoring/warning', await warningPage(request, request.params.id))
  })

  app.get('/work/warnings/:id/evidence/:evidenceId', { config: { access: 'warning.read' }, schema: { ...hide, params: EvidenceParams } }, async (request, reply) => {
    const file = await warningFile(app.db, regionScopeFor(request.principal, 'warning.read'), request.params.id, request.params.evidenceId)
    const extension = file.contentType === 'image/png' ? 'png' : file.contentType === 'image/jpeg' ? 'jpg' : 'pdf'
    return reply.type(file.contentType).header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff')
      .send(createReadStream(join(app.config.dataDir, 'evidence', `${file.sha256}.${extension}`)))
  })

  const handle = { config: { access: 'warning.handle' as const }, attachValidation: true }

  app.post('/work/warnings/:id/actions', { ...handle, schema: { ...hide, params: IdParams, body: HandlingForm } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'monitoring/warning', data: () => warningPage(request, id), labels: HANDLING_LABELS, as: 'handleForm' }, async () => {
      const { _csrf: _token, ...input } = request.body
      const result = await recordHandling(request, id, input)
      setFlash(request, reply, 'success', result.status === 'closed'
        ? `预警已办结。${result.assistanceEntryId ? '救助已写入该户的救助链。' : ''}`
        : '已记录处置情况。预警仍在处置中，请在时限内办结。')
      return reply.redirect(`/work/warnings/${id}`, 303)
    })
  })

  app.post('/work/warnings/:id/extension', { ...handle, schema: { ...hide, params: IdParams, body: ExtensionForm } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'monitoring/warning', data: () => warningPage(request, id), labels: EXTENSION_LABELS, as: 'extendForm' }, async () => {
      const { _csrf: _token, ...input } = request.body
      const result = await extendDeadline(request, id, input)
      setFlash(request, reply, 'success', `处置时限已延长至 ${fullDate(result.dueOn)}。`)
      return reply.redirect(`/work/warnings/${id}`, 303)
    })
  })

  app.post('/work/warnings/:id/referral', { ...handle, schema: { ...hide, params: IdParams, body: ReferralForm } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'monitoring/warning', data: () => warningPage(request, id), labels: REFERRAL_LABELS, as: 'referForm' }, async () => {
      const { _csrf: _token, ...input } = request.body
      const result = await referWarning(request, id, input)
      setFlash(request, reply, 'success', result.wishId
        ? `已转为微心愿（第 ${result.wishId} 号），进入待核实；入户核实后即可发布给爱心人士。预警已办结。`
        : `已提交慈善基金项目申请（第 ${result.proposalId} 号），待确认。预警已办结。`)
      return reply.redirect(`/work/warnings/${id}`, 303)
    })
  })

  app.post('/work/warnings/:id/evidence', { config: { access: 'warning.handle' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'monitoring/warning', data: () => warningPage(request, id), labels: { photo: '照片或文件' }, as: 'uploadForm' }, async () => {
      const photo = (request.body as { photo?: UploadedFile } | undefined)?.photo
      if (!photo?.content?.length) throw new AppError(400, 'validation_failed', '请先选择或拍摄一张照片', [{ field: 'body.photo', code: 'required', message: '请先选择或拍摄一张照片' }])
      await uploadWarningEvidence(request, id, photo.fileName.slice(0, 200) || '处置凭证', photo.content)
      setFlash(request, reply, 'success', '凭证已上传。')
      return reply.redirect(`/work/warnings/${id}`, 303)
    })
  })

  // —— Feeds ——
  const feedsPage = async (request: FastifyRequest, page: number) => {
    const { total, items } = await listFeedImports(app.db, regionScopeFor(request.principal, 'feed.read'), { limit: PER_PAGE, offset: (page - 1) * PER_PAGE })
    return {
      title: '部门数据导入',
      breadcrumbs: [{ label: '部门数据导入' }],
      imports: items.map(run => ({ ...run, kindName: label(FEED_KIND_NAMES, run.kind), statusName: FEED_STATUS_NAMES[run.status] ?? run.status })),
      kinds: FEED_KINDS.map(kind => ({
        code: kind, name: FEED_KIND_NAMES[kind],
        columns: FEED_FIELDS[kind].map(f => ({ header: f.headers[0], required: f.required, description: f.description, example: f.example }))
      })),
      canImport: authorize(request.principal, 'feed.import'),
      pages: pagination(page, Math.ceil(total / PER_PAGE), p => `/work/feeds?page=${p}`)
    }
  }

  app.get('/work/feeds', { config: { access: 'feed.read' }, attachValidation: true, schema: { ...hide, querystring: Paged } }, async (request, reply) => {
    const page = request.validationError ? 1 : request.query.page
    return reply.page('monitoring/feeds', { ...await feedsPage(request, page), form: blankForm({ kind: 'medical' }) })
  })

  app.post('/work/feeds', { config: { access: 'feed.import' }, schema: hide }, async (request, reply) => {
    return submitForm(request, reply, { view: 'monitoring/feeds', data: () => feedsPage(request, 1), labels: { kind: '数据类型', file: '文件' } }, async () => {
      const body = (request.body ?? {}) as { kind?: unknown, file?: UploadedFile }
      const kind = typeof body.kind === 'string' && (FEED_KINDS as readonly string[]).includes(body.kind) ? body.kind as FeedKind : undefined
      if (!kind) throw new AppError(400, 'validation_failed', '请选择数据类型', [{ field: 'body.kind', code: 'required', message: '请选择数据类型' }])
      const file = body.file
      if (!file?.content?.length) throw new AppError(400, 'validation_failed', '请选择要导入的文件', [{ field: 'body.file', code: 'required', message: '请选择要导入的文件' }])
      const format = feedFormatOf(undefined, file.fileName)
      if (!format) throw new AppError(400, 'validation_failed', '文件须为 CSV、XLSX 或 JSON', [{ field: 'body.file', code: 'format', message: '文件须为 CSV（.csv）、Excel（.xlsx）或 JSON（.json）' }])
      const id = await startFeedImport(request, kind, file.fileName.slice(0, 200) || kind, format, file.content)
      setFlash(request, reply, 'info', '文件已上传，正在导入。导入完成后会显示匹配结果和未匹配的记录。')
      return reply.redirect(`/work/feeds/${id}`, 303)
    })
  })

  const feedPage = async (request: FastifyRequest, id: number, page: number) => {
    const run = await getFeedImport(app.db, regionScopeFor(request.principal, 'feed.read'), id, { limit: PER_PAGE, offset: (page - 1) * PER_PAGE })
    const running = run.status === 'queued' || run.status === 'running'
    const job = running ? await jobOrNull(app.queues.feeds, feedJobId(id)) : null
    const progress = job ? await job.progress() as { rowsRead: number } | 0 : null
    const most = Math.max(run.problemCount, run.unmatchedCount)
    return {
      title: `数据导入：${run.fileName}`,
      breadcrumbs: [{ label: '部门数据导入', href: '/work/feeds' }, { label: run.fileName }],
      run: { ...run, kindName: label(FEED_KIND_NAMES, run.kind), statusName: FEED_STATUS_NAMES[run.status] ?? run.status },
      running,
      rowsSoFar: progress && typeof progress === 'object' ? progress.rowsRead : run.rowsRead,
      percent: feedProgressPercent(run, progress),
      pages: pagination(page, Math.ceil(most / PER_PAGE), p => `/work/feeds/${id}?page=${p}`)
    }
  }

  app.get('/work/feeds/:id', { config: { access: 'feed.read' }, attachValidation: true, schema: { ...hide, params: IdParams, querystring: Paged } }, async (request, reply) => {
    const page = request.validationError?.validationContext === 'querystring' ? 1 : request.query.page
    if (request.validationError && request.validationError.validationContext !== 'querystring') throw request.validationError
    const data = await feedPage(request, request.params.id, page)
    // While the job runs, htmx asks every second for the progress part; once done it takes the whole page.
    if (request.wantsFragment) return data.running ? reply.fragment('monitoring/feed-progress', data) : reply.header('hx-redirect', `/work/feeds/${request.params.id}`).send('')
    return reply.page('monitoring/feed', data)
  })

  app.get('/work/feeds/templates/:kind', { config: { access: 'feed.read' }, attachValidation: true, schema: { ...hide, params: TemplateParams, querystring: TemplateQuery } }, async (request, reply) => {
    if (request.validationError?.validationContext === 'params') throw new AppError(404, 'not_found', '没有这种数据类型的模板')
    // A download has no page to list a bad parameter on: it is refused, naming it.
    if (request.validationError) throw request.validationError
    const kind = request.params.kind
    const format = request.query.format
    const fields = FEED_FIELDS[kind]
    const name = encodeURIComponent(`${FEED_KIND_NAMES[kind]}模板.${format}`)
    if (format === 'xlsx') {
      const workbook = new ExcelJS.Workbook()
      const sheet = workbook.addWorksheet(FEED_KIND_NAMES[kind].slice(0, 30))
      sheet.addRow(fields.map(f => f.headers[0]))
      sheet.addRow(fields.map(f => f.example))
      const body = Buffer.from(await workbook.xlsx.writeBuffer())
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', `attachment; filename*=UTF-8''${name}`).send(body)
    }
    // With a byte-order mark, so that Excel opens the Chinese headers as UTF-8.
    const csv = `\uFEFF${fields.map(f => f.headers[0]).join(',')}\r\n${fields.map(f => f.example).join(',')}\r\n`
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename*=UTF-8''${name}`).send(csv)
  })

  // —— Settings (administrators change them; staff and auditors read them) ——
  const routesPage = async (request: FastifyRequest) => ({
    title: '预警路由表',
    breadcrumbs: [{ label: '预警设置' }, { label: '路由表' }],
    settingsTabs: settingsTabs('/admin/monitoring/routes'),
    rows: (await routingTableView(app.db)).map(r => ({
      ...r, source: plainSource(r.source), className: WARNING_CLASS_NAMES[r.warningClass], ruleName: r.cause ? RULE_SPECS[r.cause].name : '该类别的全部预警',
      departmentName: DEPARTMENT_NAMES[r.department], levelName: DESK_LEVEL_NAMES[r.level],
      defaultText: r.defaultDepartment ? `${label(DEPARTMENT_NAMES, r.defaultDepartment)} · ${label(DESK_LEVEL_NAMES, r.defaultLevel ?? '')}` : '（文件未规定）'
    })),
    classes: WARNING_CLASSES.map(code => ({ code, name: WARNING_CLASS_NAMES[code], source: WARNING_CLASS_SOURCES[code] })),
    rules: RULE_KEYS.filter(rule => RULE_SPECS[rule].trigger !== 'setting').map(code => ({ code, name: RULE_SPECS[code].name })),
    departments: DEPARTMENTS.map(code => ({ code, name: DEPARTMENT_NAMES[code] })),
    levels: DESK_LEVELS.map(code => ({ code, name: DESK_LEVEL_NAMES[code] })),
    canConfigure: authorize(request.principal, 'monitoring.configure')
  })

  app.get('/admin/monitoring/routes', { config: { access: 'monitoring.read' }, schema: hide }, async (request, reply) => {
    return reply.page('monitoring/routes', { ...await routesPage(request), form: blankForm({ level: 'town' }) })
  })

  app.post('/admin/monitoring/routes', { config: { access: 'monitoring.configure' }, attachValidation: true, schema: { ...hide, body: RouteForm } }, async (request, reply) => {
    return submitForm(request, reply, { view: 'monitoring/routes', data: () => routesPage(request), labels: ROUTE_LABELS }, async () => {
      const { _csrf: _token, ...change } = request.body
      await changeRoute(request, { ...change, cause: change.cause ?? '' })
      setFlash(request, reply, 'success', `已设置：${WARNING_CLASS_NAMES[change.warningClass]}${change.cause ? `（${RULE_SPECS[change.cause].name}）` : ''} → ${DEPARTMENT_NAMES[change.department]} · ${DESK_LEVEL_NAMES[change.level]}。新生成的预警按此转办。`)
      return reply.redirect('/admin/monitoring/routes', 303)
    })
  })

  app.post('/admin/monitoring/routes/reset', { config: { access: 'monitoring.configure' }, attachValidation: true, schema: { ...hide, body: RouteResetForm } }, async (request, reply) => {
    if (request.validationError) throw new AppError(400, 'validation_failed', '要恢复的路由行不正确')
    await removeRoute(request, request.body.warningClass, request.body.cause ?? '')
    setFlash(request, reply, 'success', '已恢复为文件规定的转办。')
    return reply.redirect('/admin/monitoring/routes', 303)
  })

  const rulesPage = async (request: FastifyRequest, profile: ProfileId) => {
    const rules = await rulesInForce(app.db, today(), profile)
    return {
      title: '预警规则',
      breadcrumbs: [{ label: '预警设置' }, { label: '预警规则' }],
      settingsTabs: settingsTabs('/admin/monitoring/rules'),
      profile,
      profiles: PROFILE_IDS.map(id => ({ id, title: PROFILES[id].title, href: `/admin/monitoring/rules?profile=${id}`, current: id === profile })),
      rules: rules.map(r => ({
        ...r, source: plainSource(r.source), triggerName: TRIGGER_NAMES[r.trigger] ?? r.trigger, effectiveText: fullDate(r.effectiveFrom),
        versions: r.versions.map(v => ({ ...v, source: plainSource(v.source), effectiveText: fullDate(v.effectiveFrom), paramsText: Object.entries(v.params).map(([k, value]) => `${r.params.find(p => p.name === k)?.description ?? k}：${value}`).join('；'), enabledText: v.enabled ? '启用' : '停用' }))
      })),
      canConfigure: authorize(request.principal, 'monitoring.configure'),
      today: today()
    }
  }

  app.get('/admin/monitoring/rules', { config: { access: 'monitoring.read' }, attachValidation: true, schema: { ...hide, querystring: RulesQuery } }, async (request, reply) => {
    const profile = request.validationError ? 'nanxun-2025' : request.query.profile
    return reply.page('monitoring/rules', { ...await rulesPage(request, profile), form: blankForm() })
  })

  app.post('/admin/monitoring/rules', { config: { access: 'monitoring.configure' }, attachValidation: true, schema: { ...hide, body: RuleForm } }, async (request, reply) => {
    const body = request.body as Record<string, unknown>
    const profile = (PROFILE_IDS as readonly string[]).includes(String(body?.profile)) ? body.profile as ProfileId : 'nanxun-2025'
    return submitForm(request, reply, { view: 'monitoring/rules', data: () => rulesPage(request, profile), labels: RULE_LABELS }, async () => {
      const { profile: chosen, rule, enabled, effectiveFrom, note } = request.body
      const params = Object.fromEntries(Object.keys(RULE_SPECS[rule].params).map(name => [name, (request.body as unknown as Record<string, number | undefined>)[name] as number]))
      await newRuleVersion(request, { profile: chosen, rule, enabled, params, effectiveFrom, note })
      setFlash(request, reply, 'success', `已新增“${RULE_SPECS[rule].name}”的版本，自 ${fullDate(effectiveFrom)} 起适用。`)
      return reply.redirect(`/admin/monitoring/rules?profile=${chosen}`, 303)
    })
  })

  const calendarPage = async (request: FastifyRequest) => {
    const years = await calendarYears(app.db)
    const known = new Set(years.map(y => y.year))
    return {
      title: '节假日与调休',
      breadcrumbs: [{ label: '预警设置' }, { label: '节假日与调休' }],
      settingsTabs: settingsTabs('/admin/monitoring/calendar'),
      years: years.filter(y => y.year >= Number(today().slice(0, 4)) - 1).map(y => ({
        ...y,
        holidays: y.days.filter(d => d.kind === 'holiday').length,
        workdays: y.days.filter(d => d.kind === 'workday').map(d => `${monthDay(d.day)}（${d.name.replace('调休上班', '')}）`).join('、'),
        text: y.days.map(d => `${d.day} ${d.kind === 'holiday' ? '放假' : '上班'} ${d.name}`).join('\n')
      })),
      missing: [Number(today().slice(0, 4)), Number(today().slice(0, 4)) + 1].filter(year => !known.has(year)),
      packageYears: packageYears().filter(year => year >= Number(today().slice(0, 4)) - 1),
      canConfigure: authorize(request.principal, 'monitoring.configure'),
      nextYear: Number(today().slice(0, 4)) + 1
    }
  }

  app.get('/admin/monitoring/calendar', { config: { access: 'monitoring.read' }, schema: hide }, async (request, reply) => {
    return reply.page('monitoring/calendar', { ...await calendarPage(request), form: blankForm() })
  })

  app.post('/admin/monitoring/calendar/:year', { config: { access: 'monitoring.configure' }, attachValidation: true, schema: { ...hide, params: YearParams, body: CalendarForm } }, async (request, reply) => {
    return submitForm(request, reply, { view: 'monitoring/calendar', data: () => calendarPage(request), labels: { days: '放假与调休安排', note: '依据' } }, async () => {
      const { days, problems } = parseCalendarText(request.body.days)
      if (problems.length > 0) throw new AppError(400, 'validation_failed', problems.join('；'), [{ field: 'body.days', code: 'format', message: problems.slice(0, 3).join('；') }])
      await setCalendarYear(request, request.params.year, days, request.body.note)
      setFlash(request, reply, 'success', `${request.params.year} 年的放假与调休安排已保存（${days.length} 天）。此后生成的预警按新安排计算工作日。`)
      return reply.redirect('/admin/monitoring/calendar', 303)
    })
  })

  app.post('/admin/monitoring/calendar/:year/seed', { config: { access: 'monitoring.configure' }, schema: { ...hide, params: YearParams } }, async (request, reply) => {
    const year = request.params.year
    await seedCalendar(app.db, { years: [year], by: request.principal?.userId ?? null })
    await request.audit({ action: 'monitoring.calendar', record: { type: 'holiday_calendar', id: year }, details: { seededFrom: 'chinese-days' } })
    setFlash(request, reply, 'success', `已按 chinese-days 数据包更新 ${year} 年的放假与调休安排。`)
    return reply.redirect('/admin/monitoring/calendar', 303)
  })
}

function settingsTabs (current: string) {
  return [
    { href: '/admin/monitoring/rules', label: '预警规则' },
    { href: '/admin/monitoring/routes', label: '路由表' },
    { href: '/admin/monitoring/calendar', label: '节假日与调休' }
  ].map(tab => ({ ...tab, current: tab.href === current }))
}

