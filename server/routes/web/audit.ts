// The audit trail for auditors and administrators (/audit): the records, newest first, filtered
// by who acted, the action, the record and the days; verifying the hash chain with its result
// in plain words (and where it breaks); exports of the same filter as CSV and XLSX (a bad
// filter is refused there rather than exporting everything). The same
// functions and scoping as the API's twins (audit/search.ts, audit.verify).
import { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import { auditCsv, auditXlsx, recordExport, searchAudit, type AuditFilter } from '../../audit/search.js'
import { regionScopeFor } from '../../auth/policy.js'
import { CalendarDate } from '../../schemas/household.js'
import { XLSX_TYPE } from '../api/v1/projects.js'

const PER_PAGE = 50
const TrailQuery = Type.Object({
  actor: Type.Optional(Type.String({ maxLength: 100 })),
  action: Type.Optional(Type.String({ pattern: '^[a-z_]+(\\.([a-z_]+|\\*))*$', maxLength: 60 })),
  recordType: Type.Optional(Type.String({ maxLength: 40 })),
  recordId: Type.Optional(Type.String({ maxLength: 60 })),
  from: Type.Optional(CalendarDate),
  to: Type.Optional(CalendarDate),
  beforeId: Type.Optional(Type.Integer({ minimum: 1 }))
}, { additionalProperties: false })
type TrailQuery = Static<typeof TrailQuery>

/** The page's days (Beijing time, both ends included) as the trail's filter. */
function filterOf (query: TrailQuery): AuditFilter {
  const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00+08:00`) + 86400_000).toISOString()
  return {
    actor: query.actor, action: query.action, recordType: query.recordType, recordId: query.recordId,
    from: query.from ? new Date(`${query.from}T00:00:00+08:00`).toISOString() : undefined,
    to: query.to ? nextDay(query.to) : undefined,
    beforeId: query.beforeId
  }
}

const searchOf = (query: TrailQuery) => new URLSearchParams(Object.entries(query).filter(([key, value]) => value !== undefined && key !== 'beforeId').map(([key, value]) => [key, String(value)] as [string, string])).toString()

export const auditPages: FastifyPluginAsyncTypebox = async app => {
  const hide = { hide: true }

  app.get('/audit', { config: { access: 'audit.read' }, attachValidation: true, schema: { ...hide, querystring: TrailQuery } }, async (request, reply) => {
    const query: TrailQuery = request.validationError ? {} : request.query
    const records = await searchAudit(app.db, regionScopeFor(request.principal, 'audit.read'), filterOf(query), PER_PAGE + 1)
    const shown = records.slice(0, PER_PAGE)
    const search = searchOf(query)
    const more = records.length > PER_PAGE ? shown[shown.length - 1]!.id : null
    return reply.page('audit/trail', {
      title: '审计记录', breadcrumbs: [{ label: '审计记录' }],
      query, search, filtered: search !== '',
      records: shown.map(r => ({ ...r, changes: [r.before, r.after, r.details].some(part => part !== null && part !== undefined), beforeText: r.before == null ? null : JSON.stringify(r.before, null, 1), afterText: r.after == null ? null : JSON.stringify(r.after, null, 1), detailsText: r.details == null ? null : JSON.stringify(r.details, null, 1) })),
      next: more === null ? null : `/audit?${new URLSearchParams([...new URLSearchParams(search), ['beforeId', String(more)]]).toString()}`,
      first: query.beforeId !== undefined ? `/audit${search ? `?${search}` : ''}` : null
    })
  })

  app.get('/audit/verify', { config: { access: 'audit.verify' }, schema: hide }, async (_request, reply) => {
    const result = await app.audit.verify()
    return reply.page('audit/verify', { title: '校验审计记录', breadcrumbs: [{ label: '审计记录', href: '/audit' }, { label: '校验' }], result })
  })

  app.get('/audit/export.csv', { config: { access: 'audit.read' }, schema: { ...hide, querystring: TrailQuery } }, async (request, reply) => {
    const query: TrailQuery = request.query
    const scope = regionScopeFor(request.principal, 'audit.read')
    const filter = filterOf(query)
    await recordExport(request, scope, 'csv', filter)
    reply.header('content-type', 'text/csv; charset=utf-8')
    reply.header('content-disposition', 'attachment; filename="audit.csv"')
    return reply.send(Readable.from(auditCsv(app.db, scope, filter)))
  })

  app.get('/audit/export.xlsx', { config: { access: 'audit.read' }, schema: { ...hide, querystring: TrailQuery } }, async (request, reply) => {
    const query: TrailQuery = request.query
    const scope = regionScopeFor(request.principal, 'audit.read')
    const filter = filterOf(query)
    await recordExport(request, scope, 'xlsx', filter)
    const { file, truncated } = await auditXlsx(app.db, scope, filter)
    return reply.type(XLSX_TYPE).header('content-disposition', 'attachment; filename="audit.xlsx"').header('x-truncated', String(truncated)).send(file)
  })
}
