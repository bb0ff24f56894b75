// Courses training institutions offer for vouchers: held in a town of the institution's
// county, for an age range, in one half-year. seats_taken counts the vouchers placed in a
// course (the table's CHECK keeps it within seats); once a child holds a seat, what the
// placement was checked against (ages, town) stays fixed and seats cannot drop below it.
import type { Updateable } from 'kysely'
import type { ListScope } from '../auth/policy.js'
import type { Db } from '../db/database.js'
import type { CourseTable } from '../db/schema.js'
import { conflict, invalid, notFound } from '../http/errors.js'
import { ensureNotOver } from './half-year.js'
import { camelRow, type RowOf } from '../db/rows.js'
import type { CourseView } from '../schemas/vouchers.js'

export type CourseStatus = 'open' | 'closed'

export interface CourseInput {
  title: string
  seats: number
  minAge: number
  maxAge: number
  /** The town (9-digit code) where the course is held. */
  regionCode: string
  schedule: string
  halfYear: string
}

export type CourseChanges = Partial<Omit<CourseInput, 'halfYear'>> & { status?: CourseStatus }

export const COURSE_NAME = '该课程 (course)'

function courseQuery (db: Db) {
  return db.selectFrom('courses as c').innerJoin('institutions as i', 'i.id', 'c.institution_id').innerJoin('regions as r', 'r.code', 'c.region_code')
    .select(['c.id', 'c.institution_id', 'i.name as institution', 'i.region_code as institution_region', 'c.title', 'c.seats', 'c.seats_taken',
      'c.min_age', 'c.max_age', 'c.region_code', 'r.name as town_name', 'c.schedule', 'c.half_year', 'c.status'])
}
type CourseRow = RowOf<typeof courseQuery>

const toView = ({ institution_region: _institutionRegion, region_code: code, town_name: name, ...r }: CourseRow): CourseView => ({
  ...camelRow(r),
  seatsFree: r.seats - r.seats_taken,
  town: { code, name }
})

export async function getCourse (db: Db, id: number): Promise<CourseView> {
  const row = await courseQuery(db).where('c.id', '=', id).executeTakeFirst()
  if (!row) throw notFound(COURSE_NAME)
  return toView(row)
}

export interface CourseFilters {
  halfYear?: string
  regionCode?: string
  status?: CourseStatus
  limit: number
  offset: number
}

/** Courses within the scope (an institution sees its own), newest half-year first. */
export async function listCourses (db: Db, scope: ListScope, filters: CourseFilters): Promise<CourseView[]> {
  let query = courseQuery(db)
  if (!scope.everywhere) query = query.where('c.institution_id', '=', scope.institutionId ?? -1)
  if (filters.halfYear) query = query.where('c.half_year', '=', filters.halfYear)
  if (filters.regionCode) query = query.where('c.region_code', 'like', `${filters.regionCode}%`)
  if (filters.status) query = query.where('c.status', '=', filters.status)
  const rows = await query.orderBy('c.half_year', 'desc').orderBy('c.id').limit(filters.limit).offset(filters.offset).execute()
  return rows.map(toView)
}

/** A course is held in a town of the institution's county: near enough for its children to come. */
async function checkTown (db: Db, institutionRegion: string, regionCode: string): Promise<void> {
  const region = await db.selectFrom('regions').select(['code', 'level']).where('code', '=', regionCode).executeTakeFirst()
  if (!region || region.level !== 'town' || !region.code.startsWith(institutionRegion.slice(0, 6))) {
    throw invalid([{ field: 'body.regionCode', code: 'invalid_town', message: `须为培训机构所在区县的乡镇（街道）代码 (a town of the institution's county, ${institutionRegion.slice(0, 6)})` }])
  }
}

function checkAges (minAge: number, maxAge: number): void {
  if (minAge > maxAge) throw invalid([{ field: 'body.maxAge', code: 'age_range', message: `最大年龄不能小于最小年龄 ${minAge} (maxAge below minAge)` }])
}

export async function createCourse (trx: Db, institutionId: number, input: CourseInput, asOf: string): Promise<CourseView> {
  const institution = await trx.selectFrom('institutions').select('region_code').where('id', '=', institutionId).executeTakeFirst()
  if (!institution) throw notFound('该培训机构 (institution)')
  ensureNotOver(input.halfYear, asOf, 'body.halfYear')
  checkAges(input.minAge, input.maxAge)
  await checkTown(trx, institution.region_code, input.regionCode)
  const row = await trx.insertInto('courses').values({
    institution_id: institutionId, title: input.title, seats: input.seats, min_age: input.minAge, max_age: input.maxAge,
    region_code: input.regionCode, schedule: input.schedule, half_year: input.halfYear
  }).returning('id').executeTakeFirstOrThrow()
  return getCourse(trx, row.id)
}

/** Changes a course under a row lock, so that no seat is taken between the checks and the write. */
export async function updateCourse (trx: Db, id: number, changes: CourseChanges): Promise<CourseView> {
  const current = await courseQuery(trx).where('c.id', '=', id).forUpdate('c').executeTakeFirst()
  if (!current) throw notFound(COURSE_NAME)
  if (changes.seats !== undefined && changes.seats < current.seats_taken) {
    throw conflict('seats_below_taken', `已有 ${current.seats_taken} 个名额被占用，名额不能少于此数 (seats cannot drop below the seats taken)`, [{ field: 'body.seats', code: 'seats_below_taken', message: String(current.seats_taken), seatsTaken: current.seats_taken }])
  }
  const placementTerms = (['minAge', 'maxAge', 'regionCode'] as const).filter(key => changes[key] !== undefined)
  if (placementTerms.length > 0 && current.seats_taken > 0) {
    throw conflict('course_has_placements', '已有学生入班，年龄范围和上课乡镇不能再改 (ages and town are fixed once a seat is taken)', placementTerms.map(key => ({ field: `body.${key}`, code: 'course_has_placements', message: 'fixed' })))
  }
  checkAges(changes.minAge ?? current.min_age, changes.maxAge ?? current.max_age)
  if (changes.regionCode !== undefined) await checkTown(trx, current.institution_region, changes.regionCode)
  const patch: Updateable<CourseTable> = {
    ...(changes.title !== undefined ? { title: changes.title } : {}),
    ...(changes.seats !== undefined ? { seats: changes.seats } : {}),
    ...(changes.minAge !== undefined ? { min_age: changes.minAge } : {}),
    ...(changes.maxAge !== undefined ? { max_age: changes.maxAge } : {}),
    ...(changes.regionCode !== undefined ? { region_code: changes.regionCode } : {}),
    ...(changes.schedule !== undefined ? { schedule: changes.schedule } : {}),
    ...(changes.status !== undefined ? { status: changes.status } : {})
  }
  if (Object.keys(patch).length > 0) await trx.updateTable('courses').set(patch).where('id', '=', id).execute()
  return getCourse(trx, id)
}
