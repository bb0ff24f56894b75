// The time filter of the dashboards: a month, a quarter, a year, or a custom run of months.
// The aggregates are kept per calendar month (China time), so every period is a whole number
// of months, from its first month to its last, both included.
import { Type, type Static } from 'typebox'

export const PERIOD_KINDS = ['month', 'quarter', 'year', 'custom'] as const
export type PeriodKind = typeof PERIOD_KINDS[number]
export const PERIOD_NAMES: Record<PeriodKind, string> = { month: '按月', quarter: '按季度', year: '按年', custom: '自定义' }

const MONTH = '^[0-9]{4}-(0[1-9]|1[0-2])$'

/** The query string every dashboard takes (and its CSV and report links carry along). */
export const PeriodQuery = Type.Object({
  period: Type.Enum(PERIOD_KINDS, { default: 'month', description: '时间范围：按月、按季度、按年、自定义' }),
  month: Type.Optional(Type.String({ pattern: MONTH, description: '月份 YYYY-MM（按月）' })),
  quarter: Type.Optional(Type.String({ pattern: '^[0-9]{4}-Q[1-4]$', description: '季度 YYYY-Qn' })),
  year: Type.Optional(Type.String({ pattern: '^[0-9]{4}$', description: '年份 YYYY' })),
  from: Type.Optional(Type.String({ pattern: MONTH, description: '自定义：起始月份 YYYY-MM' })),
  to: Type.Optional(Type.String({ pattern: MONTH, description: '自定义：结束月份 YYYY-MM' }))
}, { additionalProperties: false })
export type PeriodInput = Static<typeof PeriodQuery>

export interface Period {
  kind: PeriodKind
  /** First day of the first month and of the last month ('YYYY-MM-01'). */
  first: string
  last: string
  /** How the page names it: '2025年3月', '2025年第一季度', '2025年', '2025年1月至6月'. */
  label: string
  /** The month after `last` ('YYYY-MM-01'), the period's exclusive end. */
  end: string
  /** Every month of the period, in order ('YYYY-MM-01'). */
  months: string[]
  /** What the filter form shows, and the query string of the same period. */
  values: { period: PeriodKind, month: string, quarter: string, year: string, from: string, to: string }
}

const QUARTER_NAMES = ['第一季度', '第二季度', '第三季度', '第四季度']
/** Custom periods are bounded: a dashboard over more than ten years says nothing a year's does not. */
export const MAX_MONTHS = 120

const monthIndex = (ym: string) => Number(ym.slice(0, 4)) * 12 + Number(ym.slice(5, 7)) - 1
const monthOf = (index: number) => `${Math.floor(index / 12)}-${String(index % 12 + 1).padStart(2, '0')}`
const monthName = (ym: string) => `${Number(ym.slice(0, 4))}年${Number(ym.slice(5, 7))}月`

/** The months from `from` to `to` ('YYYY-MM', both included), as first days. */
export function monthsBetween (from: string, to: string): string[] {
  const months: string[] = []
  for (let i = monthIndex(from); i <= monthIndex(to); i++) months.push(`${monthOf(i)}-01`)
  return months
}

/** The period asked for, with today's month, quarter or year for what was not given. */
export function resolvePeriod (input: Partial<PeriodInput>, today: string): Period {
  const kind = input.period ?? 'month'
  const thisMonth = today.slice(0, 7)
  const thisQuarter = `${today.slice(0, 4)}-Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`
  let from: string
  let to: string
  let label: string
  const values = { period: kind, month: input.month ?? thisMonth, quarter: input.quarter ?? thisQuarter, year: input.year ?? today.slice(0, 4), from: input.from ?? `${today.slice(0, 4)}-01`, to: input.to ?? thisMonth }
  switch (kind) {
    case 'month':
      from = to = values.month
      label = monthName(from)
      break
    case 'quarter': {
      const q = Number(values.quarter.slice(6))
      from = `${values.quarter.slice(0, 4)}-${String(q * 3 - 2).padStart(2, '0')}`
      to = monthOf(monthIndex(from) + 2)
      label = `${values.quarter.slice(0, 4)}年${QUARTER_NAMES[q - 1] as string}`
      break
    }
    case 'year':
      from = `${values.year}-01`
      to = `${values.year}-12`
      label = `${values.year}年`
      break
    case 'custom': {
      // Given the wrong way round, the months are simply swapped; too long a run is cut at MAX_MONTHS.
      const [a, b] = [values.from, values.to].sort() as [string, string]
      from = a
      to = monthIndex(b) - monthIndex(a) >= MAX_MONTHS ? monthOf(monthIndex(a) + MAX_MONTHS - 1) : b
      values.from = from
      values.to = to
      label = from === to ? monthName(from) : from.slice(0, 4) === to.slice(0, 4) ? `${monthName(from)}至${Number(to.slice(5, 7))}月` : `${monthName(from)}至${monthName(to)}`
      break
    }
  }
  const months = monthsBetween(from, to)
  return { kind, first: `${from}-01`, last: `${to}-01`, end: `${monthOf(monthIndex(to) + 1)}-01`, label, months, values }
}

/** The query string of a period (only what its kind reads), for links that keep it. */
export function periodQueryString (period: Period): string {
  const { values } = period
  const params = new URLSearchParams({ period: values.period })
  if (values.period === 'month') params.set('month', values.month)
  if (values.period === 'quarter') params.set('quarter', values.quarter)
  if (values.period === 'year') params.set('year', values.year)
  if (values.period === 'custom') { params.set('from', values.from); params.set('to', values.to) }
  return params.toString()
}

/** '2025-03-01' → '2025年3月' (a month of a trend). */
export function monthLabel (firstDay: string): string {
  return monthName(firstDay.slice(0, 7))
}

/** '2025-03-01' → '25年3月': short enough for a chart's axis on a phone. */
export function shortMonthLabel (firstDay: string): string {
  return `${firstDay.slice(2, 4)}年${Number(firstDay.slice(5, 7))}月`
}

/** The last `count` months up to the period's last, for trends that show what led up to it. */
export function trailingMonths (period: Period, count: number): string[] {
  const last = monthIndex(period.last.slice(0, 7))
  return monthsBetween(monthOf(last - count + 1), monthOf(last))
}
