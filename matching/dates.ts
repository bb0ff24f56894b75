// Calendar arithmetic for the matcher on dates held as the integer YYYYMMDD: compact in typed
// arrays, ordered like the dates, and an age is one subtraction. Nothing here reads a clock.

/** 'YYYY-MM-DD' → YYYYMMDD. */
export const ymd = (date: string) => Number(date.slice(0, 4)) * 10000 + Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10))

/** YYYYMMDD → 'YYYY-MM-DD'. */
export const ymdText = (value: number) =>
  `${Math.floor(value / 10000)}-${String(Math.floor(value / 100) % 100).padStart(2, '0')}-${String(value % 100).padStart(2, '0')}`

/** Whole years completed between a birth date and a day. */
export const ageOn = (birth: number, day: number) => Math.floor((day - birth) / 10000)

/** Days since 1970-01-01, for day counts. */
export const epochDay = (value: number) => Date.UTC(Math.floor(value / 10000), Math.floor(value / 100) % 100 - 1, value % 100) / 86_400_000

const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
const daysInMonth = (year: number, month: number) => month === 2 ? (isLeapYear(year) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31

/** Whether year, month and day name a day of the calendar (2026-02-30 does not). */
export const isCalendarDay = (year: number, month: number, day: number) =>
  year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)

/**
 * A day as people write it in a spreadsheet — 2026-02-03, 2026/2/3, 2026.02.03, 2026年2月3日,
 * 20260203 — as YYYY-MM-DD; undefined when the text is no date or the calendar lacks the day
 * (2025-02-29). Rosters and department feeds read their date cells with it.
 */
export function readDay (text: string): string | undefined {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text)
  if (!m || !isCalendarDay(Number(m[1]), Number(m[2]), Number(m[3]))) return undefined
  return `${m[1]}-${(m[2] as string).padStart(2, '0')}-${(m[3] as string).padStart(2, '0')}`
}

/** The same day `months` months earlier, clamped to the month's end (2026-03-31 − 1 → 2026-02-28). */
export function monthsBefore (value: number, months: number): number {
  const total = Math.floor(value / 10000) * 12 + Math.floor(value / 100) % 100 - 1 - months
  const year = Math.floor(total / 12)
  const month = total % 12 + 1
  return year * 10000 + month * 100 + Math.min(value % 100, daysInMonth(year, month))
}

/**
 * Seasons for seasonal help (winter clothing): winter November–February, spring March–April,
 * summer May–August, autumn September–October. The key is year·10 + season, where a winter
 * belongs to the year it starts in (2025-12-03 and 2026-02-10 are the same winter).
 */
export function seasonOf (value: number): number {
  const year = Math.floor(value / 10000)
  const month = Math.floor(value / 100) % 100
  if (month >= 11) return year * 10
  if (month <= 2) return (year - 1) * 10
  return year * 10 + (month <= 4 ? 1 : month <= 8 ? 2 : 3)
}

const SEASON_NAMES = ['winter', 'spring', 'summer', 'autumn'] as const
export const seasonName = (key: number) => `${Math.floor(key / 10)}-${SEASON_NAMES[key % 10] as string}`

/** Half-years for training vouchers: H1 January–June, H2 July–December. */
export const halfYearOf = (value: number) => Math.floor(value / 10000) * 2 + (Math.floor(value / 100) % 100 > 6 ? 1 : 0)

/** How far into its half-year a day is: 0 on 1 January / 1 July, approaching 1 on 30 June / 31 December. */
export function halfYearProgress (value: number): number {
  const year = Math.floor(value / 10000)
  const secondHalf = Math.floor(value / 100) % 100 > 6
  const start = epochDay(year * 10000 + (secondHalf ? 701 : 101))
  const end = epochDay(secondHalf ? (year + 1) * 10000 + 101 : year * 10000 + 701)
  return (epochDay(value) - start) / (end - start)
}

/** 'YYYY-MM-DD' `days` calendar days later (earlier when negative). */
export function addDays (date: string, days: number): string {
  const d = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)) + days))
  return d.toISOString().slice(0, 10)
}

/** 'YYYY-MM-DD' `months` months later, clamped to the month's end (2025-08-31 + 1 → 2025-09-30). */
export const addMonths = (date: string, months: number) => ymdText(monthsBefore(ymd(date), -months))

/** The last day of a period of `months` months starting on `date` (2025-03-02 + 6 → 2025-09-01). */
export function periodEnd (date: string, months: number): string {
  // Integer arithmetic rather than Date: classification computes this for every household.
  const end = monthsBefore(ymd(date), -months)
  if (end % 100 > 1) return ymdText(end - 1)
  const previous = monthsBefore(end, 1)
  const year = Math.floor(previous / 10000)
  const month = Math.floor(previous / 100) % 100
  return ymdText(year * 10000 + month * 100 + daysInMonth(year, month))
}

/** The first day of the month `months` after the month of `date` ('YYYY-MM-DD' or 'YYYY-MM'). */
export const monthStart = (date: string, months: number) => addMonths(`${date.slice(0, 7)}-01`, months)
