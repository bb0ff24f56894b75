// A voucher's seat: taken when the family's choice is recorded (or by the matcher, matcher.ts),
// given back when a placement is released or the half-year ends unredeemed. The state moves
// issued → assigned → redeemed, or to lapsed; every move locks the voucher row first and then
// the course, so that concurrent moves queue rather than deadlock, and a seat is taken by one
// conditional UPDATE on courses.seats_taken (the table's CHECK is the last word).
// A voucher paid by a project commits the project's unit cost when placed, releases it when
// the seat is given back, and spends it when redeemed (redeem.ts).
import { ageOn } from '../../matching/policy/index.js'
import type { Db } from '../db/database.js'
import { inScope, type RegionScope } from '../db/scope.js'
import { AppError, conflict, notFound } from '../http/errors.js'
import { commitBudget, releaseBudget } from '../supply/budget.js'
import { COURSE_NAME } from './courses.js'
import { ensureNotOver, halfYearLabel, referenceDay } from './half-year.js'
import { VOUCHER_NAME, type VoucherState } from './views.js'

export function illegalVoucherTransition (current: string, from: readonly VoucherState[], to: string): AppError {
  return conflict('illegal_transition', `培训券当前为“${current}”状态，不能${to}（需处于：${from.join('、')}）(illegal transition)`,
    [{ code: 'illegal_transition', message: current, state: current, allowedFrom: [...from], to }])
}

/** The voucher, locked for the caller's transaction; 404 outside the scope, 409 unless in one of `from`. */
async function lockVoucher (trx: Db, scope: RegionScope, id: number, from: readonly VoucherState[], to: string) {
  const row = await trx.selectFrom('vouchers').select(['id', 'state', 'person_id', 'household_id', 'region_code', 'half_year', 'project_id', 'course_id'])
    .where('id', '=', id).forUpdate().executeTakeFirst()
  if (!row || !inScope(scope, row.region_code)) throw notFound(VOUCHER_NAME)
  if (!from.includes(row.state)) throw illegalVoucherTransition(row.state, from, to)
  return row
}

/** What one place costs the voucher's project: its unit cost (0 without a project or a unit cost). */
export async function placeCost (trx: Db, projectId: number | null): Promise<number> {
  if (projectId === null) return 0
  const project = await trx.selectFrom('projects').select('unit_cost').where('id', '=', projectId).executeTakeFirstOrThrow()
  return project.unit_cost ?? 0
}

/** What a voucher's budget movements and chain entry are recorded under. */
export const voucherReference = (voucherId: number) => `voucher:${voucherId}`

/** Records the family's chosen course: the course must be open, of the voucher's half-year, fit the child's age and have a free seat. */
export async function chooseCourse (trx: Db, scope: RegionScope, voucherId: number, courseId: number, asOf: string): Promise<void> {
  const voucher = await lockVoucher(trx, scope, voucherId, ['issued'], '选课')
  ensureNotOver(voucher.half_year, asOf, 'params.id')
  const course = await trx.selectFrom('courses').select(['id', 'half_year', 'status', 'min_age', 'max_age']).where('id', '=', courseId).executeTakeFirst()
  if (!course) throw notFound(COURSE_NAME)
  const detail = (code: string, message: string) => [{ field: 'body.courseId', code, message }]
  if (course.half_year !== voucher.half_year) throw conflict('half_year_mismatch', `课程属于 ${course.half_year}，培训券属于 ${voucher.half_year} (the course is for another half-year)`, detail('half_year_mismatch', course.half_year))
  if (course.status !== 'open') throw conflict('course_closed', '该课程已停止报名 (the course is closed)', detail('course_closed', course.status))
  const person = await trx.selectFrom('persons').select('birth_date').where('id', '=', voucher.person_id).executeTakeFirstOrThrow()
  const age = ageOn(person.birth_date, referenceDay(voucher.half_year, asOf))
  if (age < course.min_age || age > course.max_age) {
    throw conflict('age_out_of_range', `孩子 ${age} 岁，课程招收 ${course.min_age}–${course.max_age} 岁 (the child's age does not fit the course)`, detail('age_out_of_range', String(age)))
  }
  const taken = await trx.updateTable('courses').set(eb => ({ seats_taken: eb('seats_taken', '+', 1) }))
    .where('id', '=', courseId).where('status', '=', 'open').where(eb => eb('seats_taken', '<', eb.ref('seats'))).executeTakeFirst()
  if (taken.numUpdatedRows === 0n) throw conflict('course_full', '该课程名额已满 (no seat left in this course)', detail('course_full', String(courseId)))
  await trx.updateTable('vouchers').set({ state: 'assigned', course_id: courseId, assigned_via: 'family', assigned_at: new Date() }).where('id', '=', voucherId).execute()
  if (voucher.project_id !== null) await commitBudget(trx, voucher.project_id, await placeCost(trx, voucher.project_id), voucherReference(voucherId))
}

/** Takes a placement back (the family changed its mind, the child cannot attend): the voucher is issued again and its seat free. */
export async function releasePlacement (trx: Db, scope: RegionScope, voucherId: number): Promise<{ courseId: number }> {
  const voucher = await lockVoucher(trx, scope, voucherId, ['assigned'], '退回名额')
  const courseId = voucher.course_id as number
  await trx.updateTable('courses').set(eb => ({ seats_taken: eb('seats_taken', '-', 1) })).where('id', '=', courseId).execute()
  await trx.updateTable('vouchers').set({ state: 'issued', course_id: null, assigned_via: null, assigned_at: null }).where('id', '=', voucherId).execute()
  if (voucher.project_id !== null) await releaseBudget(trx, voucher.project_id, await placeCost(trx, voucher.project_id), voucherReference(voucherId))
  return { courseId }
}

export interface LapseReport {
  lapsed: number
  seatsFreed: number
}

/**
 * Vouchers of half-years that ended before `asOf` and were never redeemed lapse; seats they
 * held are freed and their projects' commitments released. Safe to repeat (a second run
 * finds nothing). For the maintenance task.
 */
export async function lapseVouchers (db: Db, asOf: string): Promise<LapseReport> {
  return db.transaction().execute(async trx => {
    const rows = await trx.selectFrom('vouchers').select(['id', 'state', 'course_id', 'project_id'])
      .where('half_year', '<', halfYearLabel(asOf)).where('state', 'in', ['issued', 'assigned']).orderBy('id').forUpdate().execute()
    if (rows.length === 0) return { lapsed: 0, seatsFreed: 0 }
    const seats = new Map<number, number>()
    const places = new Map<number, number>()
    for (const row of rows) {
      if (row.state !== 'assigned') continue
      seats.set(row.course_id as number, (seats.get(row.course_id as number) ?? 0) + 1)
      if (row.project_id !== null) places.set(row.project_id, (places.get(row.project_id) ?? 0) + 1)
    }
    // The rows are locked: the same condition finds exactly them.
    await trx.updateTable('vouchers').set({ state: 'lapsed', course_id: null })
      .where('half_year', '<', halfYearLabel(asOf)).where('state', 'in', ['issued', 'assigned']).execute()
    for (const [courseId, n] of seats) await trx.updateTable('courses').set(eb => ({ seats_taken: eb('seats_taken', '-', n) })).where('id', '=', courseId).execute()
    for (const [projectId, n] of places) await releaseBudget(trx, projectId, n * await placeCost(trx, projectId), `voucher-lapse:${asOf}`)
    return { lapsed: rows.length, seatsFreed: [...seats.values()].reduce((a, b) => a + b, 0) }
  })
}
