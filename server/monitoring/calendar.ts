// The holiday calendar working days are counted on: a table of holidays and adjusted working
// weekends, by year. It is seeded from the `chinese-days` package (the State Council's notices,
// kept up to date by its maintainers), and administrators replace a year when a notice comes out
// that the installed package does not have yet — nothing is typed in by hand otherwise.
import { createRequire } from 'node:module'
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { AppError } from '../http/errors.js'
import { workCalendar, type CalendarDay, type WorkCalendar } from '../../matching/monitoring/index.js'

const require = createRequire(import.meta.url)

interface PackageData { holidays: Record<string, string>, workdays: Record<string, string> }

/** The package's data and version (its JSON: "English name,中文名,days"). */
function packageCalendar (): { version: string, days: Array<CalendarDay & { name: string }> } {
  const data = require('chinese-days/dist/chinese-days.json') as PackageData
  const { version } = require('chinese-days/package.json') as { version: string }
  const name = (text: string) => text.split(',')[1] ?? text
  return {
    version,
    days: [
      ...Object.entries(data.holidays).map(([day, text]) => ({ day, kind: 'holiday' as const, name: name(text) })),
      ...Object.entries(data.workdays).map(([day, text]) => ({ day, kind: 'workday' as const, name: `${name(text)}调休上班` }))
    ]
  }
}

/** Years the installed package knows. */
export function packageYears (): number[] {
  return [...new Set(packageCalendar().days.map(d => Number(d.day.slice(0, 4))))].sort()
}

/**
 * Writes the package's years that the table does not have yet (or, with `years`, those years,
 * replacing what is there). Returns the years written. Run at start-up and by the demo loader.
 */
export async function seedCalendar (db: Db, options: { years?: number[], by?: number | null } = {}): Promise<number[]> {
  const { version, days } = packageCalendar()
  const known = new Set((await db.selectFrom('holiday_calendar_years').select('year').execute()).map(r => r.year))
  const wanted = options.years ?? [...new Set(days.map(d => Number(d.day.slice(0, 4))))].filter(year => !known.has(year))
  const source = `chinese-days ${version}`
  for (const year of wanted) {
    const ofYear = days.filter(d => d.day.startsWith(`${year}-`))
    if (ofYear.length === 0) throw new AppError(404, 'not_found', `chinese-days ${version} 没有 ${year} 年的放假安排 (the package has no data for ${year})`)
    await replaceYear(db, year, ofYear, source, options.by ?? null)
  }
  return wanted
}

/** Replaces a year's days (one transaction: the year is never half written). */
export async function replaceYear (db: Db, year: number, days: ReadonlyArray<CalendarDay & { name: string }>, source: string, by: number | null): Promise<void> {
  // Checked here rather than in the route's schema, so that a wrong body is named even when the year is wrong too.
  if (year > 2100) throw new AppError(400, 'validation_failed', `没有 ${year} 年的安排 (years 2000–2100)`, [{ field: 'params.year', code: 'maximum', message: '年份须在 2000 到 2100 之间' }])
  const outside = days.find(d => !d.day.startsWith(`${year}-`))
  if (outside) throw new AppError(400, 'validation_failed', `${outside.day} 不在 ${year} 年 (a day outside the year)`, [{ field: 'body.days', code: 'outside_year', message: `${outside.day} 不在 ${year} 年` }])
  await db.transaction().execute(async trx => {
    await trx.deleteFrom('holiday_calendar').where(sql<boolean>`extract(year FROM day) = ${year}`).execute()
    if (days.length > 0) await trx.insertInto('holiday_calendar').values(days.map(d => ({ day: d.day, kind: d.kind, name: d.name, source }))).execute()
    await trx.insertInto('holiday_calendar_years').values({ year, source, updated_by: by })
      .onConflict(oc => oc.column('year').doUpdateSet({ source, updated_by: by, updated_at: new Date() })).execute()
  })
}

export async function loadCalendar (db: Db): Promise<WorkCalendar> {
  const [days, years] = await Promise.all([
    db.selectFrom('holiday_calendar').select(['day', 'kind']).execute(),
    db.selectFrom('holiday_calendar_years').select('year').execute()
  ])
  return workCalendar(days, years.map(y => y.year))
}

export interface CalendarYear { year: number, source: string, updatedAt: string, days: Array<{ day: string, kind: 'holiday' | 'workday', name: string }> }

/** The years on record, each with its days (for the administrators' page and the API). */
export async function calendarYears (db: Db): Promise<CalendarYear[]> {
  const [years, days] = await Promise.all([
    db.selectFrom('holiday_calendar_years').selectAll().orderBy('year', 'desc').execute(),
    db.selectFrom('holiday_calendar').select(['day', 'kind', 'name']).orderBy('day').execute()
  ])
  return years.map(y => ({ year: y.year, source: y.source, updatedAt: y.updated_at.toISOString(), days: days.filter(d => d.day.startsWith(`${y.year}-`)) }))
}

/**
 * A year's days as an administrator types them, one a line: "2027-02-06 holiday 春节" or
 * "2027-02-06 放假 春节" / "2027-01-31 上班 春节调休". Problems name their line.
 */
export function parseCalendarText (text: string): { days: Array<CalendarDay & { name: string }>, problems: string[] } {
  const days: Array<CalendarDay & { name: string }> = []
  const problems: string[] = []
  const seen = new Set<string>()
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim()
    if (line === '' || line.startsWith('#')) return
    const [day = '', word = '', ...rest] = line.split(/[\s,，]+/)
    const kind = word === 'holiday' || word === '放假' || word === '休' ? 'holiday' : word === 'workday' || word === '上班' || word === '班' ? 'workday' : undefined
    const valid = /^\d{4}-\d{2}-\d{2}$/.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) === day
    if (!valid) problems.push(`第 ${i + 1} 行：日期应写成 2027-02-06`)
    else if (!kind) problems.push(`第 ${i + 1} 行：请写“放假”或“上班”`)
    else if (seen.has(day)) problems.push(`第 ${i + 1} 行：${day} 重复`)
    else {
      seen.add(day)
      days.push({ day, kind, name: rest.join(' ') || (kind === 'holiday' ? '放假' : '调休上班') })
    }
  })
  return { days, problems }
}
