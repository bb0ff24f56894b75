// Dynamic monitoring (动态监测): department feeds uploaded by staff or sent by a department's
// system with an API token (scope feed.import), the warnings they raise and their handling,
// and the settings administrators keep: the warning rules, the routing table and the holiday
// calendar. Feed schemas: README "Dynamic monitoring".
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { regionScopeFor } from '../../../auth/policy.js'
import { today } from '../../../clock.js'
import { acceptUploads } from '../../../files/evidence.js'
import { AppError, errorResponseSchema } from '../../../http/errors.js'
import { calendarYears, loadCalendar } from '../../../monitoring/calendar.js'
import { FEED_FIELDS } from '../../../monitoring/feeds/columns.js'
import { getFeedImport, listFeedImports } from '../../../monitoring/feeds/record.js'
import { rulesInForce } from '../../../monitoring/rule-versions.js'
import { routingTableView } from '../../../monitoring/routing-table.js'
import { changeRoute, extendDeadline, feedFormatOf, newRuleVersion, readWarning, recordHandling, referWarning, setCalendarYear, startFeedImport, uploadWarningEvidence } from '../../../monitoring/steps.js'
import { listWarnings } from '../../../monitoring/warnings.js'
import { CalendarDate } from '../../../schemas/household.js'
import {
  CalendarYearInputSchema, CalendarYearSchema, ExtensionSchema, FeedImportDetailSchema, FeedImportSchema, FeedKindSchema, HandlingSchema, NewRuleVersionSchema,
  ReferralResultSchema, ReferralSchema, RouteChangeSchema, RouteSchema, RuleInForceSchema, WarningClassSchema, WarningDetailSchema, WarningListSchema
} from '../../../schemas/monitoring.js'
import { IdParams } from '../../../schemas/needs.js'
import { DEPARTMENTS, FEED_KINDS } from '../../../../matching/monitoring/index.js'
import { PROFILE_IDS } from '../../../../matching/policy/index.js'
import { feedJobId, jobOrNull } from '../../../../jobs/queues.js'

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema, 413: errorResponseSchema, 415: errorResponseSchema }
const tags = ['monitoring']
const MAX_FEED_BYTES = 64 * 1024 * 1024
const FEED_TYPES = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']

/** Each feed's columns, for the upload route's description (the README has the same table). */
const feedSchemaText = FEED_KINDS.map(kind => `${kind}: ${FEED_FIELDS[kind].map(f => `${f.headers[0]} (${f.field}${f.required ? ', required' : ''})`).join(', ')}`).join('; ')

export const monitoringRoutes: FastifyPluginAsyncTypebox = async app => {
  app.addContentTypeParser(FEED_TYPES, { parseAs: 'buffer', bodyLimit: MAX_FEED_BYTES }, (_request, body, done) => done(null, body))
  acceptUploads(app)

  // —— Feeds ——
  app.post('/api/v1/feeds', {
    config: { access: 'feed.import' },
    bodyLimit: MAX_FEED_BYTES,
    schema: {
      tags,
      summary: '导入部门数据（CSV、XLSX 或 JSON，作为请求体上传）/ import a department feed',
      description: `Content-Type text/csv (UTF-8), the XLSX type, or application/json (an array of records, or { "records": [...] }, keyed by the field names). Columns per kind — ${feedSchemaText}. Records are matched by ID number; re-importing the same records creates nothing new. Progress and the unmatched and invalid records: GET /api/v1/feeds/:id.`,
      querystring: Type.Object({
        kind: FeedKindSchema,
        fileName: Type.String({ minLength: 1, maxLength: 200, default: 'feed' })
      }, { additionalProperties: false }),
      response: { 202: Type.Object({ id: Type.Integer(), status: Type.String() }), ...errors }
    }
  }, async (request, reply) => {
    const format = feedFormatOf(request.headers['content-type'])
    const body = request.body
    const content = Buffer.isBuffer(body) ? body : format === 'json' && body !== undefined ? Buffer.from(JSON.stringify(body)) : undefined
    if (!format || !content || content.length === 0) throw new AppError(415, 'unsupported_media_type', '请上传 CSV、XLSX 或 JSON 文件 (upload CSV, XLSX or JSON)')
    const id = await startFeedImport(request, request.query.kind, request.query.fileName, format, content)
    return reply.status(202).send({ id, status: 'queued' })
  })

  app.get('/api/v1/feeds', {
    config: { access: 'feed.read' },
    schema: {
      tags, summary: '部门数据导入记录 / feed imports',
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }), offset: Type.Integer({ minimum: 0, default: 0 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(FeedImportSchema) }), ...errors }
    }
  }, async request => listFeedImports(app.db, regionScopeFor(request.principal, 'feed.read'), request.query))

  app.get('/api/v1/feeds/:id', {
    config: { access: 'feed.read' },
    schema: {
      tags, summary: '导入进度、未匹配与无效记录 / a feed import: progress, unmatched and invalid records',
      params: IdParams,
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }), offset: Type.Integer({ minimum: 0, default: 0 }) }, { additionalProperties: false }),
      response: { 200: FeedImportDetailSchema, ...errors }
    }
  }, async request => {
    const run = await getFeedImport(app.db, regionScopeFor(request.principal, 'feed.read'), request.params.id, request.query)
    const job = run.status === 'queued' || run.status === 'running' ? await jobOrNull(app.queues.feeds, feedJobId(run.id)) : null
    return { ...run, progress: job ? await job.progress() as { rowsRead: number } | 0 : null }
  })

  // —— Warnings ——
  app.get('/api/v1/warnings', {
    config: { access: 'warning.read' },
    schema: {
      tags, summary: '预警工作台（按到期日排序，剩余工作日）/ warnings, soonest due first',
      querystring: Type.Object({
        desk: Type.Optional(Type.String({ pattern: '^[0-9]{6}([0-9]{3})?$', description: '承办窗口：镇（9 位）或县（6 位）代码' })),
        department: Type.Optional(Type.Enum(DEPARTMENTS)),
        warningClass: Type.Optional(WarningClassSchema),
        town: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })),
        due: Type.Optional(Type.Enum(['soon', 'overdue'] as const, { description: 'soon：3 个工作日内到期；overdue：已逾期' })),
        status: Type.Enum(['open', 'closed', 'all'] as const, { default: 'open' }),
        feedImportId: Type.Optional(Type.Integer({ minimum: 1 })),
        householdId: Type.Optional(Type.Integer({ minimum: 1 })),
        limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        offset: Type.Integer({ minimum: 0, default: 0 })
      }, { additionalProperties: false }),
      response: { 200: WarningListSchema, ...errors }
    }
  }, async request => listWarnings(app.db, regionScopeFor(request.principal, 'warning.read'), request.query, await loadCalendar(app.db), today()))

  app.get('/api/v1/warnings/:id', {
    config: { access: 'warning.read' },
    schema: { tags, summary: '预警详情：证据、家庭、规则与参数、处置记录 / one warning', params: IdParams, response: { 200: WarningDetailSchema, ...errors } }
  }, async request => readWarning(request, request.params.id))

  app.post('/api/v1/warnings/:id/actions', {
    config: { access: 'warning.handle' },
    schema: {
      tags, summary: '登记处置（走访、记录、已落实政策、已转办、无需处置）/ record what was done',
      params: IdParams, body: HandlingSchema,
      response: { 200: Type.Object({ status: Type.String(), assistanceEntryId: Type.Union([Type.Integer(), Type.Null()]) }), ...errors }
    }
  }, async request => recordHandling(request, request.params.id, request.body))

  app.post('/api/v1/warnings/:id/extension', {
    config: { access: 'warning.handle' },
    schema: { tags, summary: '延长处置时限（工作日，须说明理由）/ extend the deadline', params: IdParams, body: ExtensionSchema, response: { 200: Type.Object({ dueOn: Type.String(), previousDueOn: Type.String() }), ...errors } }
  }, async request => extendDeadline(request, request.params.id, request.body))

  app.post('/api/v1/warnings/:id/referral', {
    config: { access: 'warning.handle' },
    schema: { tags, summary: '转慈善帮扶：一步生成微心愿或慈善基金项目申请 / refer to charity', params: IdParams, body: ReferralSchema, response: { 201: ReferralResultSchema, ...errors } }
  }, async (request, reply) => reply.status(201).send(await referWarning(request, request.params.id, request.body)))

  app.post('/api/v1/warnings/:id/evidence', {
    config: { access: 'warning.handle' },
    bodyLimit: 5 * 1024 * 1024 + 1,
    schema: {
      tags, summary: '上传处置凭证（JPEG、PNG 或 PDF，≤ 5 MB，作为请求体）/ evidence of the handling',
      params: IdParams, querystring: Type.Object({ fileName: Type.String({ minLength: 1, maxLength: 200, default: '凭证' }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ id: Type.Integer() }), ...errors }
    }
  }, async (request, reply) => reply.status(201).send({ id: await uploadWarningEvidence(request, request.params.id, request.query.fileName, request.body) }))

  // —— Settings ——
  app.get('/api/v1/monitoring/rules', {
    config: { access: 'monitoring.read' },
    schema: {
      tags, summary: '预警规则及现行版本 / warning rules in force, with their versions',
      querystring: Type.Object({ asOf: Type.Optional(CalendarDate), profile: Type.Optional(Type.Enum(PROFILE_IDS)) }, { additionalProperties: false }),
      response: { 200: Type.Array(RuleInForceSchema), ...errors }
    }
  }, async request => rulesInForce(app.db, request.query.asOf ?? today(), request.query.profile))

  app.post('/api/v1/monitoring/rules', {
    config: { access: 'monitoring.configure' },
    schema: { tags, summary: '新增规则版本（自生效日起适用）/ add a rule version', body: NewRuleVersionSchema, response: { 201: Type.Object({ id: Type.Integer() }), ...errors } }
  }, async (request, reply) => reply.status(201).send({ id: (await newRuleVersion(request, request.body)).id }))

  app.get('/api/v1/monitoring/routes', {
    config: { access: 'monitoring.read' },
    schema: { tags, summary: '预警路由表 / the routing table', response: { 200: Type.Array(RouteSchema), ...errors } }
  }, async () => routingTableView(app.db))

  app.put('/api/v1/monitoring/routes', {
    config: { access: 'monitoring.configure' },
    schema: { tags, summary: '设置路由行（覆盖文件默认）/ set a row of the routing table', body: RouteChangeSchema, response: { 200: Type.Object({ warningClass: Type.String(), cause: Type.String(), department: Type.String(), level: Type.String(), source: Type.String() }), ...errors } }
  }, async request => changeRoute(request, { ...request.body, cause: request.body.cause ?? '' }))

  app.get('/api/v1/monitoring/calendar', {
    config: { access: 'monitoring.read' },
    schema: { tags, summary: '节假日与调休安排（按年）/ the holiday calendar', response: { 200: Type.Array(CalendarYearSchema), ...errors } }
  }, async () => calendarYears(app.db))

  app.put('/api/v1/monitoring/calendar/:year', {
    config: { access: 'monitoring.configure' },
    schema: {
      tags, summary: '替换一年的放假与调休安排 / replace a year of the calendar',
      params: Type.Object({ year: Type.Integer({ minimum: 2000, description: '2000–2100' }) }), body: CalendarYearInputSchema,
      response: { 200: Type.Object({ year: Type.Integer(), days: Type.Integer() }), ...errors }
    }
  }, async request => {
    const { year } = request.params
    await setCalendarYear(request, year, request.body.days, request.body.note)
    return { year, days: request.body.days.length }
  })
}

