// The civil-affairs dashboard (/work/dashboard): for the reader's region — a county, a town, a
// village — who is covered, what changed, the needs raised against the help given, how fast
// wishes are fulfilled, the help the duplicate check held back, and the training vouchers of
// the half-year. Every figure is a sum of the aggregates (refresh.ts) over the area and period.
import { CATEGORIES, CATEGORY_NAMES, HELP_KIND_NAMES, type Category } from '../../matching/domain.js'
import { WARNING_CLASSES, WARNING_CLASS_NAMES, type WarningClass } from '../../matching/monitoring/index.js'
import type { Db } from '../db/database.js'
import { daysLeft as halfYearDaysLeft, halfYearLabel } from '../vouchers/half-year.js'
import { areaView, histogramMedian, inPeriod, percent, sums, total, type AreaView, type MetricSum, type Sum } from './figures.js'
import { shortMonthLabel, trailingMonths, type Period } from './periods.js'
import { ensureFigures, sameFigures, type Freshness } from './refresh.js'
import { totalsRow, type Section } from './tables.js'
import { grouped } from './numbers.js'

/** Statuses under which a household is covered: on assistance, or in its 渐退期 (still receiving it). */
export const COVERED_STATUSES = ['active', 'gradual_exit']
const SHORT_CATEGORY: Record<Category, string> = {
  tekun: '特困', dibao: '低保', fanpin_monitor: '防返贫监测', dibao_edge: '低保边缘', rigid_expense: '刚性支出困难', low_income_support: '低收入帮扶', other: '其他困难'
}

export interface CivilFigures {
  coverage: { households: number, persons: number, byCategory: Record<Category, { households: number, persons: number }> }
  changes: { newHouseholds: number, exited: number, gradualExit: number, reclassified: number }
  wishes: { raised: number, published: number, claimed: number, fulfilled: number, fulfilledValue: number, cohortPublished: number, cohortFulfilled: number, rate: number | null, medianDays: number | null }
  rooms: { surveyed: number, completed: number }
  vouchers: { halfYear: string, daysLeft: number, entitled: number, placed: number, redeemed: number, unplaced: number, lapsed: number }
  projects: { confirmed: number, confirmedValue: number, received: number, receivedValue: number }
  duplicates: { count: number, value: number }
  aid: { government: number, charity: number }
  warnings: WarningFigures & { byClass: Record<WarningClass, WarningFigures> }
}

/** Warnings raised in the period and how they stand on the day looked at. */
export interface WarningFigures { raised: number, onTime: number, late: number, overdue: number, pending: number }

export interface CivilDashboard {
  view: AreaView
  period: Period
  freshness: Freshness
  figures: CivilFigures
  sections: Section[]
}

const halfYearName = (label: string) => `${label.slice(0, 4)}年${label.endsWith('H1') ? '上' : '下'}半年`
const count = (rows: readonly MetricSum[], metric: string, keep: (row: MetricSum) => boolean = () => true) => total(rows, row => row.metric === metric && keep(row))

export async function civilDashboard (db: Db, scopePrefix: string, regionCode: string | undefined, period: Period, asOf: string): Promise<CivilDashboard> {
  const freshness = await ensureFigures(db)
  return sameFigures(db, freshness, `civil|${scopePrefix}|${regionCode ?? ''}|${period.first}|${period.last}|${period.kind}|${asOf}`, () => computeCivil(db, freshness, scopePrefix, regionCode, period, asOf))
}

async function computeCivil (db: Db, freshness: Freshness, scopePrefix: string, regionCode: string | undefined, period: Period, asOf: string): Promise<CivilDashboard> {
  const view = await areaView(db, scopePrefix, regionCode)
  const halfYear = halfYearLabel(period.last < asOf.slice(0, 7) + '-01' ? period.last : asOf)
  const trend = trailingMonths(period, 12)
  const [byPart, flows, trendRows, flowsByPart, stock] = await Promise.all([
    sums(db, 'stat_stock', ['households', 'persons', 'vouchers'], view.prefix, { partDigits: view.partDigits }),
    sums(db, 'stat_flow', ['hh_new', 'hh_status', 'reclassified', 'wish_raised', 'wish_published', 'wish_claimed', 'wish_fulfilled', 'wish_cohort', 'wish_days',
      'room_surveyed', 'room_completed', 'voucher_issued', 'voucher_assigned', 'voucher_redeemed', 'project_confirmed', 'project_received', 'duplicate_prevented', 'aid', 'aid_households'], view.prefix, inPeriod(period)),
    sums(db, 'stat_flow', ['wish_raised', 'wish_published', 'wish_fulfilled'], view.prefix, { from: trend[0], end: period.end, byMonth: true }),
    sums(db, 'stat_flow', ['hh_new', 'hh_status', 'reclassified', 'warning_cohort'], view.prefix, { ...inPeriod(period), partDigits: view.partDigits }),
    sums(db, 'stat_stock', ['vouchers'], view.prefix)
  ])
  const covered = (row: Sum) => COVERED_STATUSES.includes(row.k2) && (CATEGORIES as readonly string[]).includes(row.k1)
  const byCategory = Object.fromEntries(CATEGORIES.map(c => [c, {
    households: count(byPart, 'households', r => covered(r) && r.k1 === c).n,
    persons: count(byPart, 'persons', r => covered(r) && r.k1 === c).n
  }])) as CivilFigures['coverage']['byCategory']
  const days = new Map<number, number>()
  for (const row of flows) if (row.metric === 'wish_days') days.set(Number(row.k1), (days.get(Number(row.k1)) ?? 0) + row.n)
  const cohortPublished = count(flows, 'wish_cohort').n
  const cohortFulfilled = count(flows, 'wish_cohort', r => r.k1 === 'fulfilled').n
  const voucher = (state?: string) => count(stock, 'vouchers', r => r.k1 === halfYear && (state === undefined || r.k2 === state)).n
  const figures: CivilFigures = {
    coverage: { households: count(byPart, 'households', covered).n, persons: count(byPart, 'persons', covered).n, byCategory },
    changes: {
      newHouseholds: count(flows, 'hh_new').n,
      exited: count(flows, 'hh_status', r => r.k1 === 'exited').n,
      gradualExit: count(flows, 'hh_status', r => r.k1 === 'gradual_exit').n,
      reclassified: count(flows, 'reclassified').n
    },
    wishes: {
      raised: count(flows, 'wish_raised').n,
      published: count(flows, 'wish_published').n,
      claimed: count(flows, 'wish_claimed').n,
      fulfilled: count(flows, 'wish_fulfilled').n,
      fulfilledValue: count(flows, 'wish_fulfilled').amount,
      cohortPublished,
      cohortFulfilled,
      rate: percent(cohortFulfilled, cohortPublished),
      medianDays: histogramMedian(days)
    },
    rooms: { surveyed: count(flows, 'room_surveyed').n, completed: count(flows, 'room_completed').n },
    vouchers: { halfYear, daysLeft: halfYearDaysLeft(halfYear, asOf), entitled: voucher(), placed: voucher('assigned'), redeemed: voucher('redeemed'), unplaced: voucher('issued'), lapsed: voucher('lapsed') },
    projects: {
      confirmed: count(flows, 'project_confirmed').n, confirmedValue: count(flows, 'project_confirmed').amount,
      received: count(flows, 'project_received').n, receivedValue: count(flows, 'project_received').amount
    },
    duplicates: { count: count(flows, 'duplicate_prevented').n, value: count(flows, 'duplicate_prevented').amount },
    aid: { government: count(flows, 'aid', r => r.k1 === 'government').amount, charity: count(flows, 'aid', r => r.k1 === 'charity').amount },
    warnings: {
      ...warningFigures(flowsByPart, asOf),
      byClass: Object.fromEntries(WARNING_CLASSES.map(c => [c, warningFigures(flowsByPart, asOf, r => r.k1 === c)])) as Record<WarningClass, WarningFigures>
    }
  }
  const sections = civilSections(view, period, figures, { byPart, flows, trendRows, trend, flowsByPart, halfYear, asOf })
  return { view, period, freshness, figures, sections }
}

/**
 * The period's warnings (by the day raised) and where they stand on `asOf`: closed by the due day
 * (000 四(三): handled within the working days set) or after it; open past the due day, or
 * still within it. The four add up to those raised.
 */
export function warningFigures (rows: readonly MetricSum[], asOf: string, keep: (row: MetricSum) => boolean = () => true): WarningFigures {
  const of = (test: (row: MetricSum) => boolean) => count(rows, 'warning_cohort', r => keep(r) && test(r)).n
  return {
    raised: of(() => true),
    onTime: of(r => r.k2 === 'on_time'),
    late: of(r => r.k2 === 'late'),
    overdue: of(r => r.k2.startsWith('due:') && r.k2.slice(4) < asOf),
    pending: of(r => r.k2.startsWith('due:') && r.k2.slice(4) >= asOf)
  }
}

const warningCells = (w: WarningFigures) => [w.raised, w.onTime, w.late, w.overdue, w.pending]
export const WARNING_COLUMNS = ['预警数', '按时办结', '逾期办结', '未办结·已逾期', '未办结·未到期']

interface Rows {
  asOf: string
  byPart: MetricSum[]
  flows: MetricSum[]
  trendRows: MetricSum[]
  trend: string[]
  flowsByPart: MetricSum[]
  halfYear: string
}

function civilSections (view: AreaView, period: Period, f: CivilFigures, rows: Rows): Section[] {
  const partLabel = view.parts[0]?.level === 'county' ? '区县' : view.parts[0]?.level === 'town' ? '镇（街道）' : '村（社区）'
  const covered = (row: Sum) => COVERED_STATUSES.includes(row.k2)
  const partRows = (metric: string, keep: (row: Sum) => boolean) => view.parts.map(part => ({
    label: part.name,
    href: view.drillable ? `?region=${part.code}` : undefined,
    cells: CATEGORIES.map(c => count(rows.byPart, metric, r => r.part === part.code && keep(r) && r.k1 === c).n) as number[]
  }))
  const withTotal = (list: Array<{ label: string, href?: string, cells: number[] }>) => list.map(r => ({ ...r, cells: [...r.cells, r.cells.reduce((a, b) => a + b, 0)] }))
  const personsRows = withTotal(partRows('persons', covered))
  const householdsRows = withTotal(partRows('households', covered))
  const categoryColumns = [...CATEGORIES.map(c => CATEGORY_NAMES[c]), '合计']

  const coverage: Section = {
    id: 'coverage',
    title: '低收入人口覆盖',
    lead: `在册（含渐退期）${f.coverage.households} 户、${f.coverage.persons} 人。${CATEGORIES.filter(c => f.coverage.byCategory[c].persons > 0).map(c => `${SHORT_CATEGORY[c]} ${f.coverage.byCategory[c].persons} 人`).join('，') || '暂无在册人员'}。`,
    chart: {
      id: 'chart-coverage', title: `在册人数：按${partLabel}和类别`, kind: 'bar', horizontal: true, stacked: true, unit: '人',
      categories: personsRows.map(r => r.label),
      series: CATEGORIES.filter(c => f.coverage.byCategory[c].persons > 0).map(c => ({ name: SHORT_CATEGORY[c], values: personsRows.map(r => r.cells[CATEGORIES.indexOf(c)] as number) }))
    },
    tables: [
      { id: 'coverage-persons', title: `在册人数（按${partLabel}和类别）`, rowHeader: partLabel, columns: categoryColumns, rows: personsRows, totals: totalsRow('合计', personsRows, categoryColumns.length), note: '当前数：在册和渐退期家庭的现有成员，按家庭的认定类别（就高）计。' },
      { id: 'coverage-households', title: `在册户数（按${partLabel}和类别）`, rowHeader: partLabel, columns: categoryColumns, rows: householdsRows, totals: totalsRow('合计', householdsRows, categoryColumns.length) }
    ]
  }

  const changeRows = view.parts.map(part => {
    const here = (metric: string, keep: (row: Sum) => boolean = () => true) => count(rows.flowsByPart, metric, r => r.part === part.code && keep(r)).n
    return { label: part.name, href: view.drillable ? `?region=${part.code}` : undefined, cells: [here('hh_new'), here('hh_status', r => r.k1 === 'exited'), here('hh_status', r => r.k1 === 'gradual_exit'), here('reclassified')] }
  })
  const changeColumns = ['新登记家庭', '退出', '进入渐退期', '认定类别变更']
  const changes: Section = {
    id: 'changes',
    title: `${period.label}的变化`,
    lead: `新登记 ${f.changes.newHouseholds} 户，退出 ${f.changes.exited} 户，进入渐退期 ${f.changes.gradualExit} 户，认定类别变更 ${f.changes.reclassified} 户次。`,
    chart: {
      id: 'chart-changes', title: `${period.label}的变化：按${partLabel}`, kind: 'bar', horizontal: true, unit: '户', categories: changeRows.map(r => r.label),
      // A change that did not happen in the period is said in the lead, not drawn as a row of empty bars.
      series: changeColumns.map((name, j) => ({ name, values: changeRows.map(r => r.cells[j] as number) })).filter(series => series.values.some(v => v > 0))
    },
    tables: [{ id: 'changes', title: `${period.label}的变化（按${partLabel}）`, rowHeader: partLabel, columns: changeColumns, rows: changeRows, totals: totalsRow('合计', changeRows, changeColumns.length), note: '退出和进入渐退期按状态开始之日计，认定类别变更按重新认定之日计（仅计类别有变化的）。' }]
  }

  const steps: Array<[string, string, number, number | null]> = [
    [HELP_KIND_NAMES.wish, '提出', f.wishes.raised, count(rows.flows, 'wish_raised').amount],
    [HELP_KIND_NAMES.wish, '发布', f.wishes.published, count(rows.flows, 'wish_published').amount],
    [HELP_KIND_NAMES.wish, '被认领', f.wishes.claimed, count(rows.flows, 'wish_claimed').amount],
    [HELP_KIND_NAMES.wish, '实现（确认收到）', f.wishes.fulfilled, f.wishes.fulfilledValue],
    [HELP_KIND_NAMES.dream_room, '入户勘查', f.rooms.surveyed, count(rows.flows, 'room_surveyed').amount],
    [HELP_KIND_NAMES.dream_room, '交付', f.rooms.completed, count(rows.flows, 'room_completed').amount],
    [HELP_KIND_NAMES.training_voucher, '发放', count(rows.flows, 'voucher_issued').n, null],
    [HELP_KIND_NAMES.training_voucher, '安排课程', count(rows.flows, 'voucher_assigned').n, null],
    [HELP_KIND_NAMES.training_voucher, '完成培训', count(rows.flows, 'voucher_redeemed').n, null],
    [HELP_KIND_NAMES.fund, '确认帮扶', f.projects.confirmed, f.projects.confirmedValue],
    [HELP_KIND_NAMES.fund, '到户（确认收到）', f.projects.received, f.projects.receivedValue]
  ]
  const supplyRows = steps.map(([kind, step, n, amount]) => ({ label: `${kind}·${step}`, cells: [n, amount] }))
  const supply: Section = {
    id: 'supply',
    title: '需求与供给',
    lead: `${period.label}提出微心愿 ${f.wishes.raised} 个、实现 ${f.wishes.fulfilled} 个；梦想小屋勘查 ${f.rooms.surveyed} 间、交付 ${f.rooms.completed} 间；慈善项目确认帮扶 ${f.projects.confirmed} 人次。`,
    chart: { id: 'chart-supply', title: `${period.label}各类帮扶的进展`, kind: 'bar', horizontal: true, unit: '个', categories: supplyRows.map(r => r.label), series: [{ name: '数量', values: supplyRows.map(r => r.cells[0] as number) }] },
    tables: [{ id: 'supply', title: `需求与供给（${period.label}）`, rowHeader: '帮扶环节', columns: ['数量', '金额（元）'], units: ['count', 'yuan'], rows: supplyRows, note: '各环节按发生之日计入当期：心愿按提出、发布、认领、确认收到之日；梦想小屋按勘查、交付之日；培训券按发放、安排、完成之日；慈善项目按确认、收到之日。慈善项目包括基金、梦想小屋和培训券项目的推荐名额。' }]
  }

  const trendRows = rows.trend.map(month => {
    const here = (metric: string) => count(rows.trendRows, metric, r => r.month === month).n
    return { label: shortMonthLabel(month), cells: [here('wish_raised'), here('wish_published'), here('wish_fulfilled')] }
  })
  const fulfilment: Section = {
    id: 'fulfilment',
    title: '心愿实现',
    lead: `${period.label}发布的 ${f.wishes.cohortPublished} 个心愿中已实现 ${f.wishes.cohortFulfilled} 个（实现率 ${f.wishes.rate === null ? '—' : `${f.wishes.rate}%`}）；${f.wishes.medianDays === null ? `${period.label}没有确认收到的心愿` : `${period.label}确认收到的 ${f.wishes.fulfilled} 个心愿，从发布到收到的天数中位数为 ${f.wishes.medianDays} 天`}。`,
    chart: { id: 'chart-wish-trend', title: '近 12 个月的微心愿', kind: 'line', unit: '个', categories: trendRows.map(r => r.label), series: ['提出', '发布', '实现'].map((name, j) => ({ name, values: trendRows.map(r => r.cells[j] as number) })) },
    tables: [{ id: 'wish-trend', title: '近 12 个月的微心愿（按月）', rowHeader: '月份', columns: ['提出', '发布', '实现'], rows: trendRows, totals: totalsRow('合计', trendRows, 3) }]
  }

  const duplicateRows = [...new Set(rows.flows.filter(r => r.metric === 'duplicate_prevented').map(r => r.k1))].sort().map(kind => {
    const sum = count(rows.flows, 'duplicate_prevented', r => r.k1 === kind)
    return { label: HELP_KIND_NAMES[kind as keyof typeof HELP_KIND_NAMES] ?? kind, cells: [sum.n, sum.amount] }
  })
  const duplicates: Section = {
    id: 'duplicates',
    title: '查重拦截的重复帮扶',
    lead: f.duplicates.count > 0
      ? `${period.label}，匹配时的救助链查重拦下 ${f.duplicates.count} 次重复帮扶，涉及 ¥${grouped(f.duplicates.value)}。`
      : `${period.label}，匹配时的救助链查重没有拦下重复帮扶。`,
    tables: [{ id: 'duplicates', title: `查重拦截（${period.label}）`, rowHeader: '帮扶类型', columns: ['次数', '金额（元）'], units: ['count', 'yuan'], rows: duplicateRows, totals: totalsRow('合计', duplicateRows, 2), note: '确认推荐或提出心愿时，救助链查重发现与已有帮扶重复而未办理的；之后填写理由仍然办理的不计。' }]
  }

  const voucherRows = view.parts.map(part => {
    const here = (state?: string) => count(rows.byPart, 'vouchers', r => r.part === part.code && r.k1 === rows.halfYear && (state === undefined || r.k2 === state)).n
    return { label: part.name, href: view.drillable ? `?region=${part.code}` : undefined, cells: [here(), here('assigned'), here('redeemed'), here('issued'), here('lapsed')] }
  })
  const v = f.vouchers
  const vouchers: Section = {
    id: 'vouchers',
    title: `爱心培训券（${halfYearName(v.halfYear)}）`,
    lead: v.entitled > 0
      ? `应享受 ${v.entitled} 人，已安排课程 ${v.placed} 人、已完成培训 ${v.redeemed} 人；${v.unplaced} 人还没有课程${v.unplaced > 0 ? `，半年还剩 ${v.daysLeft} 天，有落空风险` : ''}。`
      : '本半年尚未发放培训券。',
    chart: { id: 'chart-vouchers', title: `培训券落实情况：按${partLabel}`, kind: 'bar', horizontal: true, stacked: true, unit: '人', categories: voucherRows.map(r => r.label), series: ([['已完成培训', 2, '#17663a'], ['已安排课程', 1, '#1d4ed8'], ['未安排（有风险）', 3, '#b42318']] as const).map(([name, j, color]) => ({ name, color, values: voucherRows.map(r => r.cells[j] as number) })) },
    tables: [{ id: 'vouchers', title: `爱心培训券（${halfYearName(v.halfYear)}，按${partLabel}）`, rowHeader: partLabel, columns: ['应享受', '已安排课程', '已完成培训', '未安排（有风险）', '已失效'], rows: voucherRows, totals: totalsRow('合计', voucherRows, 5), note: '南浔 三(二)：每半年至少参加一个培训班。应享受为本半年已发放的培训券；已失效为半年结束仍未使用的。当前数。' }]
  }

  const aidKinds = [...new Set(rows.flows.filter(r => r.metric === 'aid').map(r => `${r.k1}|${r.k2}`))].sort()
  const aidRows = aidKinds.map(key => {
    const [source, kind] = key.split('|') as [string, string]
    const entries = count(rows.flows, 'aid', r => r.k1 === source && r.k2 === kind)
    const households = count(rows.flows, 'aid_households', r => r.k1 === source && r.k2 === kind)
    return { label: `${source === 'government' ? '政府' : '慈善'}·${HELP_KIND_NAMES[kind as keyof typeof HELP_KIND_NAMES] ?? kind}`, cells: [entries.n, households.n, entries.amount] }
  })
  const aid: Section = {
    id: 'aid',
    title: '救助链记录的帮扶',
    lead: `${period.label}救助链记录政府救助 ¥${grouped(f.aid.government)}、慈善帮扶 ¥${grouped(f.aid.charity)}。`,
    tables: [{ id: 'aid', title: `救助链记录的帮扶（${period.label}）`, rowHeader: '来源·类别', columns: ['笔数', '户次', '金额（元）'], units: ['count', 'count', 'yuan'], rows: aidRows, totals: totalsRow('合计', aidRows, 3), note: '按发放（发生）之日计；已冲正的记录和冲正记录都不计。户次：每户每月计一次。' }]
  }
  const w = f.warnings
  const classRows = WARNING_CLASSES.map(c => ({ label: WARNING_CLASS_NAMES[c], cells: warningCells(w.byClass[c]) }))
  const warningAreaRows = view.parts.map(part => ({
    label: part.name,
    href: view.drillable ? `?region=${part.code}` : undefined,
    cells: warningCells(warningFigures(rows.flowsByPart, rows.asOf, r => r.part === part.code))
  }))
  const closedShare = percent(w.onTime, w.raised)
  const warnings: Section = {
    id: 'warnings',
    title: '预警处置',
    lead: w.raised > 0
      ? `${period.label}发出预警 ${w.raised} 条：按时办结 ${w.onTime} 条（${closedShare}%），逾期办结 ${w.late} 条；未办结 ${w.overdue + w.pending} 条，其中已逾期 ${w.overdue} 条。`
      : `${period.label}没有发出预警。`,
    chart: {
      id: 'chart-warnings', title: `${period.label}发出的预警：按预警类别`, kind: 'bar', horizontal: true, stacked: true, unit: '条',
      categories: w.raised > 0 ? classRows.map(r => r.label) : [],
      series: ([['按时办结', 1, '#17663a'], ['逾期办结', 2, '#b54708'], ['未办结·已逾期', 3, '#b42318'], ['未办结·未到期', 4, '#1d4ed8']] as const)
        .map(([name, j, color]) => ({ name, color, values: classRows.map(r => r.cells[j] as number) }))
        .filter(series => series.values.some(v => v > 0))
    },
    tables: [
      { id: 'warnings-by-class', title: `预警处置（${period.label}，按预警类别）`, rowHeader: '预警类别', columns: WARNING_COLUMNS, rows: classRows, totals: totalsRow('合计', classRows, WARNING_COLUMNS.length), note: '按发出预警之日计入当期；办结情况和是否逾期按今天计。按时办结：在处置期限（含延期）内办结；湖北 三(四)、济源 三(四)的五类预警。' },
      { id: 'warnings-by-area', title: `预警处置（${period.label}，按${partLabel}）`, rowHeader: partLabel, columns: WARNING_COLUMNS, rows: warningAreaRows, totals: totalsRow('合计', warningAreaRows, WARNING_COLUMNS.length), note: '按预警对象家庭所在地计。' }
    ]
  }
  return [coverage, changes, supply, fulfilment, vouchers, warnings, duplicates, aid]
}
