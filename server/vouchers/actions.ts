// What an institution (or an administrator for one) does with courses and vouchers, for the
// API and the pages alike: offering and changing a course, redeeming a voucher with
// attendance — each checked against the policy and audited in its transaction — and the
// children whose place would lapse unused soon. And for civil-affairs staff: who reads which
// vouchers, and the region-wide steps (issuing, the seat assignment), each audited with its report.
import type { FastifyRequest } from 'fastify'
import { ensureAllowed, listScope } from '../auth/policy.js'
import { forbidden } from '../auth/errors.js'
import { today } from '../clock.js'
import type { Db } from '../db/database.js'
import { invalid } from '../http/errors.js'
import type { CourseView, PlacedChildView } from '../schemas/vouchers.js'
import { createCourse, getCourse, listCourses, updateCourse, type CourseChanges, type CourseInput } from './courses.js'
import { daysLeft } from './half-year.js'
import { redeemVoucher, type Attendance, type Redemption } from './redeem.js'
import { issueVouchers, type IssueReport, type IssueRequest } from './issue.js'
import { assignRegionSeats, type AssignmentReport, type AssignmentRequest } from './matcher.js'
import { courseRoster, type VoucherReader } from './views.js'

/**
 * Staff read the vouchers of their region; charity staff those their organisation's projects
 * pay for; an institution reads only its courses' rosters (de-identified), not these views.
 */
export function voucherReader (request: FastifyRequest): VoucherReader {
  const scope = listScope(request.principal, 'voucher.read')
  if (scope.everywhere) return { regionPrefix: '' }
  if (scope.regionPrefix !== undefined) return { regionPrefix: scope.regionPrefix }
  if (scope.organisationId !== undefined) return { organisationId: scope.organisationId }
  throw forbidden()
}

/** A change across a region (issuing, the matcher): staff of that region, audited with its report in the same transaction. */
export async function regionWide<R> (request: FastifyRequest, regionCode: string, action: string, run: (trx: Db) => Promise<R>, details: (report: R) => unknown = report => report): Promise<R> {
  ensureAllowed(request.principal, 'voucher.manage', { regionCode })
  return request.server.db.transaction().execute(async trx => {
    const report = await run(trx)
    await request.audit({ action, record: { type: 'region', id: regionCode, regionCode }, details: details(report) }, trx)
    return report
  })
}

/** Issues the half-year's vouchers of a region (idempotent), for the API and the pages alike. */
export async function issueVouchersFor (request: FastifyRequest, input: IssueRequest): Promise<IssueReport> {
  return regionWide(request, input.regionCode, 'voucher.issue', trx => issueVouchers(trx, input, today()))
}

/** Runs the seat assignment over a region's unplaced children, in one transaction; the audit keeps the summary, not every placement. */
export async function assignSeatsFor (request: FastifyRequest, input: AssignmentRequest): Promise<AssignmentReport> {
  return regionWide(request, input.regionCode, 'voucher.assign', trx => assignRegionSeats(trx, input, today()),
    ({ placements, ...summary }) => ({ ...summary, placements: placements.length }))
}

export async function createCourseFor (request: FastifyRequest, input: CourseInput & { institutionId?: number | undefined }): Promise<CourseView> {
  const { institutionId: given, ...course } = input
  const institutionId = given ?? request.principal?.institutionId
  if (!institutionId) throw invalid([{ field: 'body.institutionId', code: 'required', message: '管理员须指明培训机构 (name the institution)' }])
  ensureAllowed(request.principal, 'course.write', { institutionId })
  return request.server.db.transaction().execute(async trx => {
    const created = await createCourse(trx, institutionId, course, today())
    await request.audit({ action: 'course.create', record: { type: 'course', id: created.id, regionCode: created.town.code }, after: created }, trx)
    return created
  })
}

export async function updateCourseFor (request: FastifyRequest, id: number, changes: CourseChanges): Promise<CourseView> {
  const before = await getCourse(request.server.db, id)
  ensureAllowed(request.principal, 'course.write', { institutionId: before.institutionId })
  return request.server.db.transaction().execute(async trx => {
    const after = await updateCourse(trx, id, changes)
    await request.audit({ action: 'course.update', record: { type: 'course', id: after.id, regionCode: after.town.code }, before, after }, trx)
    return after
  })
}

export async function redeemVoucherFor (request: FastifyRequest, voucherId: number, attendance: Attendance): Promise<Omit<Redemption, 'regionCode'>> {
  const { regionCode: _regionCode, ...result } = await request.server.db.transaction().execute(async trx => {
    const redeemed = await redeemVoucher(trx, listScope(request.principal, 'voucher.redeem'), voucherId, attendance, request.principal?.userId ?? null, today())
    await request.audit({ action: 'voucher.redeem', record: { type: 'voucher', id: redeemed.voucherId, regionCode: redeemed.regionCode }, after: { state: 'redeemed', ...attendance }, details: { chainEntryId: redeemed.chainEntryId } }, trx)
    return redeemed
  })
  return result
}

export interface ExpiringPlace extends PlacedChildView { course: { id: number, title: string }, daysLeft: number }

/** The children placed in the institution's open courses and not yet redeemed, whose half-year ends within `days`, soonest first. */
export async function expiringPlaces (request: FastifyRequest, days: number): Promise<ExpiringPlace[]> {
  const db = request.server.db
  const asOf = today()
  const courses = await listCourses(db, listScope(request.principal, 'course.read'), { status: 'open', limit: 500, offset: 0 })
  const places = await Promise.all(courses.map(async course => (await courseRoster(db, listScope(request.principal, 'voucher.read'), course.id, asOf))
    .filter(child => child.state === 'assigned')
    .map(child => ({ ...child, course: { id: course.id, title: course.title }, daysLeft: daysLeft(child.halfYear, asOf) }))))
  return places.flat().filter(place => place.daysLeft <= days).sort((a, b) => a.daysLeft - b.daysLeft || a.voucherId - b.voucherId)
}
