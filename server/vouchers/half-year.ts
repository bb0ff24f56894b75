// Half-years as the API names them: '2026H1' is January–June, '2026H2' July–December
// (the voucher's period, 000_6379457d8a0eea12.txt 三(二) "每半年至少参加一个培训班").
import { epochDay, halfYearOf, ymd } from '../../matching/dates.js'
import { conflict } from '../http/errors.js'

export const HALF_YEAR_PATTERN = '^[0-9]{4}H[12]$'

export function halfYearLabel (date: string): string {
  const key = halfYearOf(ymd(date))
  return `${Math.floor(key / 2)}H${key % 2 + 1}`
}

function halfYearBounds (label: string): { start: string, end: string } {
  const year = label.slice(0, 4)
  return label.endsWith('H1') ? { start: `${year}-01-01`, end: `${year}-06-30` } : { start: `${year}-07-01`, end: `${year}-12-31` }
}

/**
 * The day a child's age and urgency are taken on for the half-year: today while it runs, its
 * first day before it starts (a course for 6–8-year-olds in H2 counts who is 6 by 1 July).
 */
export function referenceDay (label: string, asOf: string): string {
  const { start, end } = halfYearBounds(label)
  return asOf < start ? start : asOf > end ? end : asOf
}

/** Whole days after `asOf` until the half-year's last day (0 on that day and after). */
export function daysLeft (label: string, asOf: string): number {
  return epochDay(ymd(halfYearBounds(label).end)) - epochDay(ymd(referenceDay(label, asOf)))
}

/** Nothing new is issued or placed for a half-year that has ended. */
export function ensureNotOver (label: string, asOf: string, field: string): void {
  const { end } = halfYearBounds(label)
  if (end < asOf) throw conflict('half_year_over', `${label} 已于 ${end} 结束 (the half-year is over)`, [{ field, code: 'half_year_over', message: end }])
}
