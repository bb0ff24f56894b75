// The dashboards: civil affairs' (/work/dashboard, the reader's region), the charity
// federation's (/charity/dashboard, the reader's organisation) and the public impact page
// (/impact, de-identified and suppressed below k). Each chart has its table beneath it, and
// each table its CSV; civil affairs also download the month's report as XLSX. Exports hold
// aggregates only — no person, household or donor — so they are not audited as personal data.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'
import { listScope, regionScopeFor } from '../../auth/policy.js'
import { today } from '../../clock.js'
import { charityDashboard } from '../../statistics/charity.js'
import { civilDashboard } from '../../statistics/civil.js'
import { publicImpact } from '../../statistics/impact.js'
import { PeriodQuery, periodQueryString, resolvePeriod, type Period } from '../../statistics/periods.js'
import { areaTrail, freshnessText, periodControls, showSections } from '../../statistics/present.js'
import { monthlyReport } from '../../statistics/report.js'
import type { Section } from '../../statistics/tables.js'
import { tableCsv } from '../../statistics/tables.js'
import { grouped, money } from '../../statistics/numbers.js'

const REGION = '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$'
export const DashboardQuery = Type.Object({
  ...PeriodQuery.properties,
  region: Type.Optional(Type.String({ pattern: REGION, description: '地区代码（区县 6 位、镇 9 位、村 12 位）' }))
}, { additionalProperties: false })
type DashboardQuery = Static<typeof DashboardQuery>
const PublicQuery = Type.Object({
  ...PeriodQuery.properties,
  period: Type.Enum(['month', 'quarter', 'year', 'custom'], { default: 'year' }),
  region: Type.Optional(Type.String({ pattern: '^[0-9]{6}([0-9]{3})?$', description: '地区代码（区县 6 位、镇 9 位）' }))
}, { additionalProperties: false })
const TableParams = Type.Object({ table: Type.String({ pattern: '^[a-z][a-z-]{1,40}$' }) })

/** The query as given, or the defaults when the address was mistyped (the shell names the problems). */
function queryOf<S extends typeof DashboardQuery | typeof PublicQuery> (request: FastifyRequest, schema: S): Static<S> {
  return request.validationError ? Value.Default(schema, {}) as Static<S> : request.query as Static<S>
}

function csvReply (reply: FastifyReply, sections: Section[], id: string, name: string) {
  const table = sections.flatMap(s => s.tables).find(t => t.id === id)
  if (!table) return reply.callNotFound()
  reply.header('content-type', 'text/csv; charset=utf-8')
  reply.header('content-disposition', `attachment; filename="${id}.csv"; filename*=UTF-8''${encodeURIComponent(`${name}-${table.title}.csv`)}`)
  return reply.send(tableCsv(table))
}

export const dashboardPages: FastifyPluginAsyncTypebox = async app => {
  const hide = { hide: true }

  // —— Civil affairs ——
  const civil = (request: FastifyRequest, query: DashboardQuery, period: Period) =>
    civilDashboard(app.db, regionScopeFor(request.principal, 'statistics.region').regionPrefix, query.region, period, today())

  app.get('/work/dashboard', { config: { access: 'statistics.region' }, attachValidation: true, schema: { ...hide, querystring: DashboardQuery } }, async (request, reply) => {
    const query = queryOf(request, DashboardQuery)
    const period = resolvePeriod(query, today())
    const dashboard = await civil(request, query, period)
    const base = '/work/dashboard'
    const region = dashboard.view.area?.code ?? null
    const f = dashboard.figures
    return reply.page('dashboards/work', {
      title: `统计看板：${dashboard.view.area?.name ?? '全部地区'}`,
      breadcrumbs: [{ label: '统计看板' }],
      areaName: dashboard.view.area?.name ?? '全部地区',
      trail: areaTrail(base, period, dashboard.view, regionScopeFor(request.principal, 'statistics.region').regionPrefix === '' ? '全部地区' : null),
      period,
      controls: periodControls(base, period, region, today()),
      freshness: freshnessText(dashboard.freshness),
      headline: [
        { label: '在册人数', value: grouped(f.coverage.persons), note: `${grouped(f.coverage.households)} 户` },
        { label: '新登记家庭', value: grouped(f.changes.newHouseholds), note: `退出 ${f.changes.exited} 户` },
        { label: '实现的心愿', value: grouped(f.wishes.fulfilled), note: f.wishes.rate === null ? '当期没有发布心愿' : `当期发布的已实现 ${f.wishes.rate}%` },
        { label: '发布到收到（中位数）', value: f.wishes.medianDays === null ? '—' : `${f.wishes.medianDays} 天`, note: `${f.wishes.fulfilled} 个心愿` },
        { label: '查重拦截', value: grouped(f.duplicates.count), note: `¥${grouped(f.duplicates.value)}` },
        { label: '培训券未安排', value: grouped(f.vouchers.unplaced), note: `共 ${f.vouchers.entitled} 人应享受` }
      ],
      sections: showSections(dashboard.sections, base, period, region),
      reportHref: `${base}/report.xlsx?${periodQueryString(period)}${region ? `&region=${region}` : ''}`,
      reportName: period.kind === 'month' ? '统计月报' : '统计报表'
    })
  })

  app.get('/work/dashboard/report.xlsx', { config: { access: 'statistics.region' }, schema: { ...hide, querystring: DashboardQuery } }, async (request, reply) => {
    const period = resolvePeriod(request.query, today())
    const report = await monthlyReport(app.db, regionScopeFor(request.principal, 'statistics.region').regionPrefix, request.query.region, period, today())
    reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    reply.header('content-disposition', `attachment; filename="report.xlsx"; filename*=UTF-8''${encodeURIComponent(report.fileName)}`)
    return reply.send(report.body)
  })

  app.get('/work/dashboard/:table.csv', { config: { access: 'statistics.region' }, schema: { ...hide, params: TableParams, querystring: DashboardQuery } }, async (request, reply) => {
    const period = resolvePeriod(request.query, today())
    const dashboard = await civil(request, request.query, period)
    return csvReply(reply, dashboard.sections, request.params.table, `${dashboard.view.area?.name ?? '全部地区'}-${period.label}`)
  })

  // —— The charity federation ——
  const charity = (request: FastifyRequest, query: DashboardQuery, period: Period) => {
    const scope = listScope(request.principal, 'statistics.charity')
    return charityDashboard(app.db, scope.everywhere ? null : scope.organisationId ?? -1, query.region, period)
  }

  app.get('/charity/dashboard', { config: { access: 'statistics.charity' }, attachValidation: true, schema: { ...hide, querystring: DashboardQuery } }, async (request, reply) => {
    const query = queryOf(request, DashboardQuery)
    const period = resolvePeriod(query, today())
    const dashboard = await charity(request, query, period)
    const base = '/charity/dashboard'
    const region = query.region ?? null
    const f = dashboard.figures
    const name = dashboard.organisation?.name ?? '全部慈善组织'
    return reply.page('dashboards/charity', {
      title: `慈善统计：${name}`,
      breadcrumbs: [{ label: '慈善统计' }],
      organisationName: name,
      trail: areaTrail(base, period, dashboard.view, dashboard.organisation ? null : '全部地区'),
      period,
      controls: periodControls(base, period, region, today()),
      freshness: freshnessText(dashboard.freshness),
      headline: [
        { label: '项目预算', value: `¥${sumOf(f.projects.map(p => p.budget))}`, note: `${f.projects.length} 个项目` },
        { label: '已承诺', value: `¥${sumOf(f.projects.map(p => p.committed))}`, note: `已支出 ¥${sumOf(f.projects.map(p => p.spent))}` },
        { label: '帮扶家庭', value: grouped(f.helped.households), note: `${f.helped.helps} 次，¥${grouped(f.helped.value)}` },
        { label: '实现的心愿', value: grouped(f.wishes.fulfilled), note: `认领 ${f.wishes.claimed} 个` }
      ],
      sections: showSections(dashboard.sections, base, period, region)
    })
  })

  app.get('/charity/dashboard/:table.csv', { config: { access: 'statistics.charity' }, schema: { ...hide, params: TableParams, querystring: DashboardQuery } }, async (request, reply) => {
    const period = resolvePeriod(request.query, today())
    const dashboard = await charity(request, request.query, period)
    return csvReply(reply, dashboard.sections, request.params.table, `${dashboard.organisation?.name ?? '全部慈善组织'}-${period.label}`)
  })

  // —— The public's view ——
  app.get('/impact', { config: { access: 'public' }, attachValidation: true, schema: { ...hide, querystring: PublicQuery } }, async (request, reply) => {
    const query = queryOf(request, PublicQuery)
    const period = resolvePeriod(query, today())
    const impact = await publicImpact(app.db, app.config.kAnonymity, query.region, period)
    const base = '/impact'
    const region = query.region ?? null
    const yuanOf = (cell: { suppressed: boolean, amount: number | null }) => cell.suppressed ? '—' : `¥${money(cell.amount ?? 0)}`
    const count = (cell: { suppressed: boolean, n: number | null }) => cell.suppressed ? '—' : grouped(cell.n ?? 0)
    return reply.page('dashboards/impact', {
      title: '公益成效',
      breadcrumbs: [{ label: '公益成效' }],
      trail: areaTrail(base, period, impact.view, '全部地区'),
      period,
      k: impact.k,
      controls: periodControls(base, period, region, today()),
      freshness: freshnessText(impact.freshness),
      headline: [
        { label: '受助家庭', value: count(impact.headline.households), note: '户' },
        { label: '帮扶', value: count(impact.headline.helps), note: `次，${yuanOf(impact.headline.helps)}` },
        { label: '实现的心愿', value: count(impact.headline.wishes), note: `个，${yuanOf(impact.headline.wishes)}` }
      ],
      sections: showSections(impact.sections, base, period, region)
    })
  })

  app.get('/impact/:table.csv', { config: { access: 'public' }, schema: { ...hide, params: TableParams, querystring: PublicQuery } }, async (request, reply) => {
    const period = resolvePeriod(request.query, today())
    const impact = await publicImpact(app.db, app.config.kAnonymity, request.query.region, period)
    return csvReply(reply, impact.sections, request.params.table, `公益成效-${period.label}`)
  })
}

const sumOf = (values: number[]) => money(Math.round(values.reduce((a, b) => a + b, 0) * 100) / 100)
