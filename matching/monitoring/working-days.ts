// Working days on the official Chinese calendar (国务院办公厅 holiday notices): Monday to
// Friday, except the public holidays, plus the adjusted working weekends (调休上班). Warnings
// are handled within a number of working days (Nanxun 000 四(三): 10 for low-income persons,
// 15 for other monitored persons). The calendar is plain data — the holidays and adjusted
// working days of the years it knows — that the server loads from the table administrators
// keep; nothing here reads a clock.
import { addDays } from '../dates.js'

export interface WorkCalendar {
  /** Public holidays (YYYY-MM-DD), weekdays or not. */
  holidays: ReadonlySet<string>
  /** Weekend days that are working days (调休上班). */
  workdays: ReadonlySet<string>
  /** The years the calendar has the official notice for; other years count Monday to Friday only. */
  years: ReadonlySet<number>
}

export interface CalendarDay { day: string, kind: 'holiday' | 'workday' }

/** A calendar from its days; `years` defaults to the years the days fall in. */
export function workCalendar (days: readonly CalendarDay[], years?: Iterable<number>): WorkCalendar {
  const holidays = new Set<string>()
  const workdays = new Set<string>()
  for (const { day, kind } of days) (kind === 'holiday' ? holidays : workdays).add(day)
  return { holidays, workdays, years: new Set(years ?? days.map(d => Number(d.day.slice(0, 4)))) }
}

/** 0 Sunday … 6 Saturday. */
const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay()

export function isWorkingDay (calendar: WorkCalendar, day: string): boolean {
  if (calendar.workdays.has(day)) return true
  if (calendar.holidays.has(day)) return false
  const w = weekday(day)
  return w !== 0 && w !== 6
}

/** The `count`-th working day after `from` (`from` itself not counted): a deadline of `count` working days. */
export function addWorkingDays (calendar: WorkCalendar, from: string, count: number): string {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`working days must be a whole number ≥ 0, not ${count}`)
  let day = from
  for (let left = count; left > 0;) {
    day = addDays(day, 1)
    if (isWorkingDay(calendar, day)) left--
  }
  return day
}

/** Working days in (from, to]: 0 when to ≤ from. */
export function workingDaysBetween (calendar: WorkCalendar, from: string, to: string): number {
  let n = 0
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (isWorkingDay(calendar, day)) n++
  return n
}

export interface DaysLeft {
  /** Working days left after today up to the due day (0: due today); negative: working days overdue. */
  days: number
  overdue: boolean
}

/**
 * How a deadline stands on `today`, in working days: 3 left, 0 (due today), or overdue by the
 * working days that have passed since the due day (a weekend after a Friday deadline is
 * overdue by 0 working days — still overdue).
 */
export function daysLeft (calendar: WorkCalendar, today: string, due: string): DaysLeft {
  if (today <= due) return { days: workingDaysBetween(calendar, today, due), overdue: false }
  return { days: -workingDaysBetween(calendar, due, today), overdue: true }
}

/** Years between two days (inclusive) that the calendar has no notice for: their arithmetic counts weekdays only. */
export function yearsMissing (calendar: WorkCalendar, from: string, to: string): number[] {
  const missing: number[] = []
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) if (!calendar.years.has(year)) missing.push(year)
  return missing
}
