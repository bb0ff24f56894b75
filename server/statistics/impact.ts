// What the public sees of the platform's work (/impact, and the figures on the home page):
// charity help recorded in the households' assistance chains — wishes, dream rooms, training
// vouchers, fund projects — as totals, by area (counties, then towns; never villages) and by
// month. Nothing personal: counts and money only, and every count of fewer than k (the
// platform's K_ANONYMITY) is hidden with its money, with the secondary cells that would give
// it away (suppression.ts).
import { sql } from 'kysely'
import { HELP_KINDS, HELP_KIND_NAMES } from '../../matching/domain.js'
import type { Db } from '../db/database.js'
import { areaView, type AreaView } from './figures.js'
import { shortMonthLabel, trailingMonths, type Period } from './periods.js'
import { ensureFigures, sameFigures, type Freshness } from './refresh.js'
import { suppressOne, suppressTable, type PublicCell, type SuppressedTable } from './suppression.js'
import type { CellValue, FigureTable, Section } from './tables.js'
import { money } from './numbers.js'

export interface PublicImpact {
  k: number
  view: AreaView
  period: Period
  freshness: Freshness
  headline: { households: PublicCell, helps: PublicCell, wishes: PublicCell }
  byArea: SuppressedTable
  byMonth: SuppressedTable
  sections: Section[]
}

const HIDDEN = '—'
const shown = (cell: PublicCell, money = false): CellValue => cell.suppressed ? HIDDEN : money ? cell.amount : cell.n
const SUPPRESSION_NOTE = (k: number) => `“${HIDDEN}”：少于 ${k} 次（户）的数字不公开，为防止由合计推算，同行或同列的另一个数字也一并隐去。`

/** Charity help in an area and months, grouped as asked; `wish` counts only the wishes fulfilled. */
function help (db: Db, prefix: string, first: string, end: string) {
  return db.selectFrom('stat_charity_help').where('region_code', 'like', `${prefix}%`).where('month', '>=', first).where('month', '<', end)
}

export async function publicImpact (db: Db, k: number, regionCode: string | undefined, period: Period): Promise<PublicImpact> {
  const freshness = await ensureFigures(db)
  return sameFigures(db, freshness, `impact|${k}|${regionCode ?? ''}|${period.first}|${period.last}|${period.kind}`, () => computeImpact(db, freshness, k, regionCode, period))
}

async function computeImpact (db: Db, freshness: Freshness, k: number, regionCode: string | undefined, period: Period): Promise<PublicImpact> {
  const view = await areaView(db, '', regionCode, 'town')
  const trend = trailingMonths(period, 12)
  const [byPartKind, overall, byMonth] = await Promise.all([
    help(db, view.prefix, period.first, period.end)
      .select([sql<string>`left(region_code, ${view.partDigits})`.as('part'), 'kind', sql<number>`count(*)`.as('n'), sql<number>`sum(value)`.as('amount')])
      .groupBy([sql`1`, 'kind']).execute(),
    help(db, view.prefix, period.first, period.end)
      .select([sql<number>`count(DISTINCT household_id)`.as('households'), sql<number>`count(*)`.as('helps'), sql<number>`coalesce(sum(value), 0)`.as('value'),
        sql<number>`count(*) FILTER (WHERE kind = 'wish')`.as('wishes'), sql<number>`coalesce(sum(value) FILTER (WHERE kind = 'wish'), 0)`.as('wishValue')])
      .executeTakeFirstOrThrow(),
    help(db, view.prefix, trend[0] as string, period.end)
      .select([sql<string>`month::text`.as('month'), 'kind', sql<number>`count(*)`.as('n'), sql<number>`sum(value)`.as('amount')])
      .groupBy(['month', 'kind']).execute()
  ])
  const grid = <R extends { n: number, amount: number }>(rowKeys: string[], match: (row: R, key: string, kind: string) => boolean, rows: R[]) => {
    const counts = rowKeys.map(key => HELP_KINDS.map(kind => rows.filter(r => match(r, key, kind)).reduce((a, r) => a + Number(r.n), 0)))
    const amounts = rowKeys.map(key => HELP_KINDS.map(kind => rows.filter(r => match(r, key, kind)).reduce((a, r) => a + Number(r.amount), 0)))
    return suppressTable(counts, amounts, k)
  }
  const byArea = grid(view.parts.map(p => p.code), (r, key, kind) => r.part === key && r.kind === kind, byPartKind)
  const monthly = grid(trend, (r, key, kind) => r.month === key && r.kind === kind, byMonth)
  const headline = {
    households: suppressOne(Number(overall.households), Number(overall.value), k),
    helps: suppressOne(Number(overall.helps), Number(overall.value), k),
    wishes: suppressOne(Number(overall.wishes), Number(overall.wishValue), k)
  }
  const partLabel = view.parts[0]?.level === 'county' ? '区县' : '镇（街道）'
  const kindColumns = [...HELP_KINDS.map(kind => HELP_KIND_NAMES[kind]), '合计']
  const areaTable: FigureTable = {
    id: 'impact-areas', title: `帮扶次数（${period.label}，按${partLabel}和方式）`, rowHeader: partLabel, columns: kindColumns,
    rows: view.parts.map((part, i) => ({ label: part.name, href: view.drillable ? `?region=${part.code}` : undefined, cells: [...(byArea.cells[i] ?? []).map(c => shown(c)), shown(byArea.rowTotals[i] as PublicCell)] })),
    totals: { label: '合计', cells: [...byArea.columnTotals.map(c => shown(c)), shown(byArea.total)] },
    note: SUPPRESSION_NOTE(k)
  }
  const moneyTable: FigureTable = {
    id: 'impact-money', title: `帮扶金额（元，${period.label}，按${partLabel}和方式）`, rowHeader: partLabel, columns: kindColumns,
    units: kindColumns.map(() => 'yuan'),
    rows: view.parts.map((part, i) => ({ label: part.name, cells: [...(byArea.cells[i] ?? []).map(c => shown(c, true)), shown(byArea.rowTotals[i] as PublicCell, true)] })),
    totals: { label: '合计', cells: [...byArea.columnTotals.map(c => shown(c, true)), shown(byArea.total, true)] },
    note: SUPPRESSION_NOTE(k)
  }
  const monthTable: FigureTable = {
    id: 'impact-months', title: '近 12 个月的帮扶次数（按月和方式）', rowHeader: '月份', columns: kindColumns,
    rows: trend.map((month, i) => ({ label: shortMonthLabel(month), cells: [...(monthly.cells[i] ?? []).map(c => shown(c)), shown(monthly.rowTotals[i] as PublicCell)] })),
    totals: { label: '合计', cells: [...monthly.columnTotals.map(c => shown(c)), shown(monthly.total)] },
    note: SUPPRESSION_NOTE(k)
  }
  const numberOf = (cell: PublicCell) => cell.suppressed ? null : cell.n
  const sections: Section[] = [
    {
      id: 'areas', title: `各${partLabel}的帮扶`,
      lead: headline.helps.suppressed ? `${period.label}的帮扶次数较少，为保护受助家庭不公开。` : `${period.label}共帮扶 ${headline.helps.n} 次、¥${money(headline.helps.amount ?? 0)}。`,
      chart: { id: 'chart-impact-areas', title: `帮扶次数：按${partLabel}`, kind: 'bar', horizontal: true, unit: '次', categories: view.parts.map(p => p.name), series: [{ name: '帮扶次数', values: byArea.rowTotals.map(numberOf) }] },
      tables: [areaTable, moneyTable]
    },
    {
      id: 'months', title: '每月的帮扶',
      lead: '近 12 个月每月的帮扶次数，按帮扶方式分列。',
      chart: { id: 'chart-impact-months', title: '近 12 个月每月的帮扶次数', kind: 'line', unit: '次', categories: trend.map(shortMonthLabel), series: [{ name: '帮扶次数', values: monthly.rowTotals.map(numberOf) }] },
      tables: [monthTable]
    }
  ]
  return { k, view, period, freshness, headline, byArea, byMonth: monthly, sections }
}

export interface HomeImpact {
  households: PublicCell
  value: PublicCell
  wishes: PublicCell
  /** The last 12 months' help, as a small chart (suppressed months are gaps). */
  trend: { categories: string[], values: Array<number | null> }
  freshness: Freshness
}

/** The home page's figures: all charity help so far, and the last 12 months. */
export async function homeImpact (db: Db, k: number, asOf: string): Promise<HomeImpact> {
  const freshness = await ensureFigures(db)
  return sameFigures(db, freshness, `home|${k}|${asOf.slice(0, 7)}`, () => computeHome(db, freshness, k, asOf))
}

async function computeHome (db: Db, freshness: Freshness, k: number, asOf: string): Promise<HomeImpact> {
  const months = trailingMonths({ last: `${asOf.slice(0, 7)}-01` } as Period, 12)
  const [overall, byMonth] = await Promise.all([
    db.selectFrom('stat_charity_help').select([sql<number>`count(DISTINCT household_id)`.as('households'), sql<number>`count(*)`.as('helps'), sql<number>`coalesce(sum(value), 0)`.as('value'), sql<number>`count(*) FILTER (WHERE kind = 'wish')`.as('wishes')]).executeTakeFirstOrThrow(),
    db.selectFrom('stat_charity_help').select([sql<string>`month::text`.as('month'), sql<number>`count(*)`.as('n')]).where('month', '>=', months[0] as string).groupBy('month').execute()
  ])
  const counts = months.map(m => [Number(byMonth.find(r => r.month === m)?.n ?? 0)])
  const monthly = suppressTable(counts, counts.map(() => [0]), k)
  return {
    households: suppressOne(Number(overall.households), 0, k),
    value: suppressOne(Number(overall.helps), Number(overall.value), k),
    wishes: suppressOne(Number(overall.wishes), 0, k),
    trend: { categories: months.map(shortMonthLabel), values: monthly.cells.map(row => row[0]?.suppressed ? null : row[0]?.n ?? 0) },
    freshness
  }
}
