// The charity federation's dashboard (/charity/dashboard): its projects' budgets committed
// against spent, the households its help reached by town and category, donors' activity and
// wishes fulfilled month by month in its region, and where the money comes from. Charity staff
// see their own organisation; administrators see every organisation together.
import { sql } from 'kysely'
import { CATEGORIES, CATEGORY_NAMES, HELP_KIND_NAMES, type Category } from '../../matching/domain.js'
import type { Db } from '../db/database.js'
import { notFound } from '../http/errors.js'
import { areaView, inPeriod, sums, total, type AreaView } from './figures.js'
import { shortMonthLabel, trailingMonths, type Period } from './periods.js'
import { ensureFigures, sameFigures, type Freshness } from './refresh.js'
import { totalsRow, type Section } from './tables.js'
import { grouped, money } from './numbers.js'

const SOURCE_NAMES: Record<string, string> = { enterprise: '爱心企业', individual: '爱心人士', '': '本会自有及未指定捐赠方' }
const STATUS_NAMES: Record<string, string> = { open: '进行中', closed: '已结束' }

export interface CharityFigures {
  projects: Array<{ id: number, title: string, kind: string, status: string, budget: number, committed: number, spent: number, available: number }>
  helped: { households: number, helps: number, value: number }
  byKind: Array<{ kind: string, helps: number, households: number, value: number }>
  wishes: { claimed: number, fulfilled: number, fulfilledValue: number }
  sources: Array<{ source: string, projects: number, budget: number, spent: number, wishValue: number }>
}

export interface CharityDashboard {
  organisation: { id: number, name: string, regionCode: string } | null
  view: AreaView
  period: Period
  freshness: Freshness
  figures: CharityFigures
  sections: Section[]
}

/** Help given through the organisation's projects (every organisation's for null), in the period and area. */
function helpRows (db: Db, organisationId: number | null, period: Period, prefix: string) {
  return db.selectFrom('stat_charity_help')
    .where(eb => organisationId === null ? eb('organisation_id', 'is not', null) : eb('organisation_id', '=', organisationId))
    .where('month', '>=', period.first).where('month', '<', period.end)
    .where('region_code', 'like', `${prefix}%`)
}

export async function charityDashboard (db: Db, organisationId: number | null, regionCode: string | undefined, period: Period): Promise<CharityDashboard> {
  const freshness = await ensureFigures(db)
  return sameFigures(db, freshness, `charity|${organisationId ?? ''}|${regionCode ?? ''}|${period.first}|${period.last}|${period.kind}`, () => computeCharity(db, freshness, organisationId, regionCode, period))
}

async function computeCharity (db: Db, freshness: Freshness, organisationId: number | null, regionCode: string | undefined, period: Period): Promise<CharityDashboard> {
  const organisation = organisationId === null ? null : await db.selectFrom('organisations').select(['id', 'name', 'region_code as regionCode']).where('id', '=', organisationId).executeTakeFirst() ?? null
  if (organisationId !== null && organisation === null) throw notFound('该机构 (organisation)')
  const reach = organisation?.regionCode ?? ''
  const view = await areaView(db, reach, regionCode, 'village')
  const trend = trailingMonths(period, 12)
  const [projects, byPartCategory, byPart, byKind, overall, flows, trendFlows, activeDonors, trendHelp] = await Promise.all([
    db.selectFrom('projects as p').leftJoin('donors as d', 'd.id', 'p.funding_donor_id')
      .select(['p.id', 'p.title', 'p.kind', 'p.status', 'p.budget', 'p.committed', 'p.spent', 'd.kind as donorKind'])
      .where(eb => organisationId === null ? eb.lit(true) : eb('p.organisation_id', '=', organisationId))
      .where('p.status', '<>', 'draft').orderBy('p.status', 'desc').orderBy('p.id').execute(),
    helpRows(db, organisationId, period, view.prefix)
      .select([sql<string>`left(region_code, ${view.partDigits})`.as('part'), 'category', sql<number>`count(DISTINCT household_id)`.as('households'), sql<number>`count(*)`.as('helps'), sql<number>`sum(value)`.as('value')])
      .groupBy([sql`1`, 'category']).execute(),
    helpRows(db, organisationId, period, view.prefix)
      .select([sql<string>`left(region_code, ${view.partDigits})`.as('part'), sql<number>`count(DISTINCT household_id)`.as('households')])
      .groupBy(sql`1`).execute(),
    helpRows(db, organisationId, period, view.prefix)
      .select(['kind', sql<number>`count(DISTINCT household_id)`.as('households'), sql<number>`count(*)`.as('helps'), sql<number>`sum(value)`.as('value')])
      .groupBy('kind').orderBy('kind').execute(),
    helpRows(db, organisationId, period, view.prefix)
      .select([sql<number>`count(DISTINCT household_id)`.as('households'), sql<number>`count(*)`.as('helps'), sql<number>`coalesce(sum(value), 0)`.as('value')])
      .executeTakeFirstOrThrow(),
    sums(db, 'stat_flow', ['wish_claimed', 'wish_fulfilled'], view.prefix, inPeriod(period)),
    sums(db, 'stat_flow', ['wish_claimed', 'wish_fulfilled'], view.prefix, { from: trend[0], end: period.end, byMonth: true }),
    sums(db, 'stat_flow', ['donors_active'], view.prefix, { from: trend[0], end: period.end, byMonth: true, exact: true }),
    helpRows(db, organisationId, { ...period, first: trend[0] as string }, view.prefix)
      .select([sql<string>`month::text`.as('month'), sql<number>`count(*)`.as('helps'), sql<number>`sum(value)`.as('value')])
      .groupBy('month').execute()
  ])
  const num = (v: unknown) => Number(v ?? 0)
  const byDonorKind = (kind: string) => total(flows, r => r.metric === 'wish_fulfilled' && r.k2 === kind).amount
  const sourceKinds = ['enterprise', 'individual', '']
  const figures: CharityFigures = {
    projects: projects.map(p => ({ id: p.id, title: p.title, kind: p.kind, status: p.status, budget: p.budget, committed: p.committed, spent: p.spent, available: Math.round((p.budget - p.committed) * 100) / 100 })),
    helped: { households: num(overall.households), helps: num(overall.helps), value: num(overall.value) },
    byKind: byKind.map(k => ({ kind: k.kind, helps: num(k.helps), households: num(k.households), value: num(k.value) })),
    wishes: { claimed: total(flows, r => r.metric === 'wish_claimed').n, fulfilled: total(flows, r => r.metric === 'wish_fulfilled').n, fulfilledValue: total(flows, r => r.metric === 'wish_fulfilled').amount },
    sources: sourceKinds.map(source => {
      const own = projects.filter(p => (p.donorKind ?? '') === source)
      return { source, projects: own.length, budget: own.reduce((a, p) => a + p.budget, 0), spent: own.reduce((a, p) => a + p.spent, 0), wishValue: source === '' ? 0 : byDonorKind(source) }
    })
  }

  const partLabel = view.parts[0]?.level === 'county' ? '区县' : view.parts[0]?.level === 'town' ? '镇（街道）' : '村（社区）'
  const categories = CATEGORIES.filter(c => byPartCategory.some(r => r.category === c))
  const helpedRows = view.parts.map(part => {
    const cells = categories.map(c => num(byPartCategory.find(r => r.part === part.code && r.category === c)?.households))
    const other = byPartCategory.filter(r => r.part === part.code && !(CATEGORIES as readonly string[]).includes(r.category)).reduce((a, r) => a + num(r.households), 0)
    return { label: part.name, href: view.drillable ? `?region=${part.code}` : undefined, cells: [...cells, other, num(byPart.find(r => r.part === part.code)?.households)] }
  })
  const helpedColumns = [...categories.map(c => CATEGORY_NAMES[c as Category]), '不在册', '合计']
  const projectRows = figures.projects.map(p => ({ label: p.title, cells: [HELP_KIND_NAMES[p.kind as keyof typeof HELP_KIND_NAMES] ?? p.kind, STATUS_NAMES[p.status] ?? p.status, p.budget, p.committed, p.spent, p.available] }))
  const monthRows = trend.map(month => {
    const here = (metric: string) => total(trendFlows, r => r.metric === metric && r.month === month).n
    const donors = total(activeDonors, r => r.month === month).n
    const help = trendHelp.find(r => r.month === month)
    return { label: shortMonthLabel(month), cells: [donors, here('wish_claimed'), here('wish_fulfilled'), num(help?.helps), num(help?.value)] }
  })
  const sourceRows = figures.sources.map(s => ({ label: SOURCE_NAMES[s.source] as string, cells: [s.projects, s.budget, s.spent, s.wishValue] }))
  const who = organisation?.name ?? '各慈善组织'
  const sections: Section[] = [
    {
      id: 'projects',
      title: '项目预算：已承诺与已支出',
      lead: figures.projects.length > 0 ? `${who}共有 ${figures.projects.length} 个项目，预算合计 ¥${sum(figures.projects.map(p => p.budget))}，已承诺 ¥${sum(figures.projects.map(p => p.committed))}，已支出 ¥${sum(figures.projects.map(p => p.spent))}。` : `${who}还没有开始的项目。`,
      // Each project's budget as one bar of 100 %: spent, committed but not yet spent, still available.
      // Drawn in yuan, a large fund's budget flattened every small project's committed and spent to nothing.
      chart: {
        id: 'chart-projects', title: '各项目的预算使用：已支出、已承诺未支出、可用（占预算的百分比）', kind: 'bar', horizontal: true, stacked: true, unit: '%', categories: projectRows.map(r => r.label),
        series: ([['已支出', '#17663a'], ['已承诺未支出', '#1d4ed8'], ['可用', '#cbd2d9']] as const).map(([name, color], j) => ({ name, color, values: figures.projects.map(p => budgetShares(p)[j] as number) }))
      },
      tables: [{ id: 'projects', title: '项目预算（当前数）', rowHeader: '项目', columns: ['类型', '状态', '预算（元）', '已承诺（元）', '已支出（元）', '可用（元）'], units: ['text', 'text', 'yuan', 'yuan', 'yuan', 'yuan'], rows: projectRows, totals: totalsRow('合计', projectRows, 6), note: '已承诺含已支出：确认帮扶时承诺，受助家庭确认收到时支出。' }]
    },
    {
      id: 'helped',
      title: '帮扶到的家庭',
      lead: `${period.label}${who}的项目帮扶 ${figures.helped.households} 户、${figures.helped.helps} 次，共 ¥${grouped(figures.helped.value)}。`,
      chart: { id: 'chart-helped', title: `帮扶户数：按${partLabel}和类别`, kind: 'bar', horizontal: true, stacked: true, unit: '户', categories: helpedRows.map(r => r.label), series: [...categories.map(c => CATEGORY_NAMES[c as Category]), '不在册'].map((name, j) => ({ name, values: helpedRows.map(r => r.cells[j] as number) })).filter(s => s.values.some(v => v > 0)) },
      tables: [
        { id: 'helped', title: `帮扶户数（${period.label}，按${partLabel}和类别）`, rowHeader: partLabel, columns: helpedColumns, rows: helpedRows, totals: totalsRow('合计', helpedRows, helpedColumns.length), note: '期内救助链记入本会项目帮扶的家庭，每户只计一次；类别为家庭当前的认定类别。' },
        { id: 'help-kinds', title: `帮扶方式（${period.label}）`, rowHeader: '方式', columns: ['次数', '户数', '金额（元）'], units: ['count', 'count', 'yuan'], rows: figures.byKind.map(k => ({ label: HELP_KIND_NAMES[k.kind as keyof typeof HELP_KIND_NAMES] ?? k.kind, cells: [k.helps, k.households, k.value] })) }
      ]
    },
    {
      id: 'activity',
      title: '爱心人士与心愿（按月）',
      lead: `${period.label}，爱心人士认领心愿 ${figures.wishes.claimed} 个，受助家庭确认收到 ${figures.wishes.fulfilled} 个（¥${grouped(figures.wishes.fulfilledValue)}）。`,
      chart: { id: 'chart-activity', title: '近 12 个月：参与认领的爱心人士和实现的心愿', kind: 'line', unit: '', categories: monthRows.map(r => r.label), series: [['参与认领的爱心人士', 0], ['认领心愿', 1], ['实现心愿', 2]].map(([name, j]) => ({ name: name as string, values: monthRows.map(r => r.cells[j as number] as number) })) },
      tables: [{ id: 'activity', title: '近 12 个月（按月）', rowHeader: '月份', columns: ['参与认领的爱心人士', '认领心愿', '实现心愿', '项目帮扶次数', '项目帮扶金额（元）'], units: ['count', 'count', 'count', 'count', 'yuan'], rows: monthRows, note: '心愿和爱心人士按本会所在地区计；每月参与认领的爱心人士每人只计一次，各月相加不是全年人数，所以不列合计。' }]
    },
    {
      id: 'sources',
      title: '资金来源',
      lead: `项目预算中，爱心企业出资 ¥${money(figures.sources[0]?.budget ?? 0)}，爱心人士出资 ¥${money(figures.sources[1]?.budget ?? 0)}；${period.label}爱心人士和企业认领实现的心愿价值 ¥${grouped(figures.wishes.fulfilledValue)}。`,
      chart: { id: 'chart-sources', title: '资金来源：项目预算和心愿价值', kind: 'bar', horizontal: true, unit: '元', categories: sourceRows.map(r => r.label), series: [['项目预算', 1], ['心愿价值', 3]].map(([name, j]) => ({ name: name as string, values: sourceRows.map(r => r.cells[j as number] as number) })) },
      tables: [{ id: 'sources', title: '资金来源', rowHeader: '来源', columns: ['项目数', '项目预算（元）', '项目已支出（元）', `心愿价值（元，${period.label}）`], units: ['count', 'yuan', 'yuan', 'yuan'], rows: sourceRows, totals: totalsRow('合计', sourceRows, 4), note: '项目按指定的出资方（爱心企业或爱心人士）归类，未指定的计入本会自有；心愿价值为期内确认收到的心愿，按认领人归类。' }]
    }
  ]
  return { organisation, view, period, freshness, figures, sections }
}

const sum = (values: number[]) => money(Math.round(values.reduce((a, b) => a + b, 0) * 100) / 100)

/** Spent, committed but not spent, and available, as percentages of the budget (one decimal; they add up to 100). */
export function budgetShares (project: { budget: number, committed: number, spent: number }): [number, number, number] {
  if (project.budget <= 0) return [0, 0, 0]
  const share = (amount: number) => Math.round(Math.max(0, amount) / project.budget * 1000) / 10
  const spent = share(project.spent)
  const committed = Math.min(share(project.committed - project.spent), Math.round((100 - spent) * 10) / 10)
  return [spent, committed, Math.round(Math.max(0, 100 - spent - committed) * 10) / 10]
}
