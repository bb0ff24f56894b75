// How a dashboard's figures appear on its page: the charts drawn, the tables' numbers written
// as a clerk reads them (¥1,234, 56.7%), links that keep the period while drilling down, the
// period switcher and the words about how fresh the figures are.
import { dateTime } from '../web/format.js'
import { renderChart, type RenderedChart } from './charts.js'
import type { AreaView } from './figures.js'
import { PERIOD_KINDS, PERIOD_NAMES, periodQueryString, resolvePeriod, type Period } from './periods.js'
import type { Freshness } from './refresh.js'
import type { CellValue, FigureTable, Section } from './tables.js'
import { grouped, money } from './numbers.js'

export interface ShownTable {
  id: string
  title: string
  rowHeader: string
  columns: string[]
  rows: Array<{ label: string, href?: string, cells: string[] }>
  totals?: { label: string, cells: string[] }
  note?: string
  csvHref: string
}

export interface ShownSection {
  id: string
  title: string
  lead: string
  chart?: RenderedChart
  tables: ShownTable[]
}

export function formatCell (value: CellValue | undefined, unit: NonNullable<FigureTable['units']>[number] = 'count'): string {
  if (value === null || value === undefined) return '—'
  if (typeof value === 'string') return value
  switch (unit) {
    case 'yuan': return `¥${money(value)}`
    case 'percent': return `${value}%`
    case 'days': return `${value} 天`
    default: return grouped(value)
  }
}

/** The address of the same dashboard for another area (null: the top), keeping the period. */
export function areaHref (base: string, period: Period, regionCode: string | null): string {
  return `${base}?${periodQueryString(period)}${regionCode ? `&region=${regionCode}` : ''}`
}

function showTable (table: FigureTable, base: string, period: Period, regionCode: string | null): ShownTable {
  const unit = (j: number) => table.units?.[j] ?? 'count'
  return {
    id: table.id,
    title: table.title,
    rowHeader: table.rowHeader,
    columns: table.columns,
    rows: table.rows.map(row => ({
      label: row.label,
      href: row.href ? areaHref(base, period, row.href.replace('?region=', '')) : undefined,
      cells: row.cells.map((cell, j) => formatCell(cell, unit(j)))
    })),
    totals: table.totals && { label: table.totals.label, cells: table.totals.cells.map((cell, j) => formatCell(cell, unit(j))) },
    note: table.note,
    csvHref: `${base}/${table.id}.csv?${periodQueryString(period)}${regionCode ? `&region=${regionCode}` : ''}`
  }
}

export function showSections (sections: Section[], base: string, period: Period, regionCode: string | null): ShownSection[] {
  return sections.map(section => ({
    id: section.id,
    title: section.title,
    lead: section.lead,
    chart: section.chart && section.chart.categories.length > 0 && section.chart.series.length > 0 ? renderChart(section.chart) : undefined,
    tables: section.tables.map(table => showTable(table, base, period, regionCode))
  }))
}

/** The tabs of the period kinds, the inputs of the current one, and the neighbouring periods. */
export function periodControls (base: string, period: Period, regionCode: string | null, today: string) {
  const year = Number(today.slice(0, 4))
  const quarters: string[] = []
  for (let y = year; y >= year - 2; y--) for (let q = 4; q >= 1; q--) if (`${y}-Q${q}` <= `${year}-Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`) quarters.push(`${y}-Q${q}`)
  const years = Array.from({ length: 6 }, (_, i) => String(year - i))
  // Months as selects with Chinese names (a month input shows the browser's own language).
  const thisMonth = year * 12 + Number(today.slice(5, 7)) - 1
  const months = Array.from({ length: 36 }, (_, i) => { const m = thisMonth - i; return `${Math.floor(m / 12)}-${String(m % 12 + 1).padStart(2, '0')}` })
  const monthOptions = (selected: string) => months.map(m => ({ value: m, label: `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`, selected: m === selected }))
  const region = regionCode ? `&region=${regionCode}` : ''
  const kindHref = (kind: typeof PERIOD_KINDS[number]) => `${base}?${periodQueryString(resolvePeriod({ ...period.values, period: kind }, today))}${region}`
  const step = (months: number) => {
    const index = Number(period.first.slice(0, 4)) * 12 + Number(period.first.slice(5, 7)) - 1 + months
    const ym = `${Math.floor(index / 12)}-${String(index % 12 + 1).padStart(2, '0')}`
    const values = { ...period.values, month: ym, quarter: `${ym.slice(0, 4)}-Q${Math.floor((index % 12) / 3) + 1}`, year: ym.slice(0, 4) }
    return `${base}?${periodQueryString(resolvePeriod(values, today))}${region}`
  }
  const span = period.kind === 'month' ? 1 : period.kind === 'quarter' ? 3 : 12
  return {
    action: base,
    tabs: PERIOD_KINDS.map(kind => ({ href: kindHref(kind), label: PERIOD_NAMES[kind], current: kind === period.kind })),
    values: period.values,
    isMonth: period.kind === 'month',
    isQuarter: period.kind === 'quarter',
    isYear: period.kind === 'year',
    isCustom: period.kind === 'custom',
    quarters: quarters.map(q => ({ value: q, label: `${q.slice(0, 4)}年第${'一二三四'[Number(q.slice(6)) - 1] as string}季度`, selected: q === period.values.quarter })),
    years: years.map(y => ({ value: y, label: `${y}年`, selected: y === period.values.year })),
    months: monthOptions(period.values.month),
    fromMonths: monthOptions(period.values.from),
    toMonths: monthOptions(period.values.to),
    regionCode,
    previous: period.kind === 'custom' ? undefined : { href: step(-span), label: period.kind === 'month' ? '上个月' : period.kind === 'quarter' ? '上一季度' : '上一年' },
    next: period.kind === 'custom' || period.end > `${today.slice(0, 7)}-01` ? undefined : { href: step(span), label: period.kind === 'month' ? '下个月' : period.kind === 'quarter' ? '下一季度' : '下一年' }
  }
}

/** Drill-up links: the top of the reader's reach, then each area down to the one shown. */
export function areaTrail (base: string, period: Period, view: AreaView, topLabel: string | null) {
  const links = view.trail.map(area => ({ label: area.name, href: areaHref(base, period, area.code) }))
  if (topLabel !== null) links.unshift({ label: topLabel, href: areaHref(base, period, null) })
  const last = links.pop()
  return { links, current: last?.label }
}

/** How fresh the figures are, in words. */
let lastFreshness: { at: string | null, text: string } | undefined

export function freshnessText (freshness: Freshness): string {
  if (lastFreshness?.at === freshness.at) return lastFreshness.text
  const when = freshness.at ? `数据截至 ${dateTime(freshness.at)}` : '数据尚未汇总'
  const text = `${when}。后台任务每 ${freshness.everyMinutes} 分钟重新汇总一次，刚办理的事项最迟 ${freshness.everyMinutes} 分钟后计入。`
  lastFreshness = { at: freshness.at, text }
  return text
}
