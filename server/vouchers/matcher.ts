// The seat matcher for a region's half-year: every voucher without a seat is offered the free
// seats of open courses in the region's county, and matching/assignSeats places as many
// children as the seats allow at the least cost (travel between towns, minus urgency), by
// min-cost max-flow, optionally with a minimum share per town. certifySeatAssignment proves
// the result optimal child by child before anything is written; the placements, seats and
// budget commitments are written in the caller's transaction, with the vouchers and courses
// locked (vouchers first, like every other move) so that a family's choice made meanwhile
// either lands first and is respected or waits.
import { assignSeats, type SeatChild, type SeatCourse, type SeatOptions, type SeatResult } from '../../matching/seat-assignment.js'
import { certifySeatAssignment, type SeatCertificate } from '../../matching/seat-certificate.js'
import type { Db } from '../db/database.js'
import { commitBudget } from '../supply/budget.js'
import { ensureNotOver } from './half-year.js'
import { placeCost, voucherReference } from './placement.js'
import { childFacts, voucherQuery } from './views.js'

export interface AssignmentRequest {
  halfYear: string
  regionCode: string
  /** 0…1: each town should see at least this share of its children placed, when seats allow. */
  minTownShare?: number
  /** Cost of a seat in another town of the county; absent: children stay in their town. */
  crossTownCost?: number
}

export interface AssignmentReport {
  halfYear: string
  regionCode: string
  /** Vouchers without a seat when the run began. */
  children: number
  placed: number
  /** Still without a seat (no seat fits, or unfunded). */
  unplaced: number
  /** Left out because their project's remaining budget pays for no more places. */
  unfunded: number
  totalCost: number
  towns: Array<{ code: string, name: string, children: number, required: number, placed: number }>
  certificate: SeatCertificate & { proven: boolean }
  placements: Array<{ voucherId: number, courseId: number }>
}

interface FundedChild extends SeatChild {
  projectId: number | null
}

/**
 * Places the children; where a project got more places than its remaining budget pays for,
 * keeps its most urgent placed children, leaves its others out and places again. A project
 * never commits beyond its budget, and no child is left out for one the seats could not take.
 */
function placeWithinBudgets (children: FundedChild[], courses: SeatCourse[], options: SeatOptions, places: Map<number, number>): { pool: FundedChild[], result: SeatResult } {
  let pool = children
  for (;;) {
    const result = assignSeats(pool, courses, options)
    const placed = new Set(result.assignments.map(a => a.childId))
    const kept = new Set<number>()
    const over = new Set<number>()
    for (const [projectId, funded] of places) {
      const theirs = pool.filter(c => c.projectId === projectId && placed.has(c.id))
      if (theirs.length <= funded) continue
      over.add(projectId)
      for (const child of theirs.sort((a, b) => b.urgency - a.urgency || a.id - b.id).slice(0, funded)) kept.add(child.id)
    }
    if (over.size === 0) return { pool, result }
    pool = pool.filter(c => c.projectId === null || !over.has(c.projectId) || kept.has(c.id))
  }
}

export async function assignRegionSeats (trx: Db, request: AssignmentRequest, asOf: string): Promise<AssignmentReport> {
  ensureNotOver(request.halfYear, asOf, 'body.halfYear')
  const vouchers = await voucherQuery(trx).where('v.half_year', '=', request.halfYear).where('v.state', '=', 'issued')
    .where('v.region_code', 'like', `${request.regionCode}%`).orderBy('v.id').forUpdate('v').execute()
  const courseRows = await trx.selectFrom('courses').select(['id', 'region_code', 'seats', 'seats_taken', 'min_age', 'max_age'])
    .where('half_year', '=', request.halfYear).where('status', '=', 'open').where(eb => eb('seats_taken', '<', eb.ref('seats')))
    .where('region_code', 'like', `${request.regionCode.slice(0, 6)}%`).orderBy('id').forUpdate().execute()
  const children: FundedChild[] = vouchers.map(v => {
    const { age, urgency } = childFacts(v, asOf)
    return { id: v.id, town: v.town_code, age, urgency, projectId: v.project_id }
  })
  const courses: SeatCourse[] = courseRows.map(c => ({ id: c.id, town: c.region_code, seats: c.seats - c.seats_taken, minAge: c.min_age, maxAge: c.max_age }))
  const options: SeatOptions = {
    ...(request.crossTownCost !== undefined ? { crossTownCost: request.crossTownCost } : {}),
    ...(request.minTownShare !== undefined ? { minShareByTown: request.minTownShare } : {})
  }
  // How many places each project's remaining budget pays for (its row locked until commit).
  const costs = new Map<number, number>()
  const places = new Map<number, number>()
  for (const projectId of new Set(children.flatMap(c => c.projectId === null ? [] : [c.projectId]))) {
    const cost = await placeCost(trx, projectId)
    const project = await trx.selectFrom('projects').select(['budget', 'committed']).where('id', '=', projectId).forUpdate().executeTakeFirstOrThrow()
    costs.set(projectId, cost)
    if (cost > 0) places.set(projectId, Math.floor((project.budget - project.committed) / cost + 1e-9))
  }
  const { pool, result } = placeWithinBudgets(children, courses, options, places)
  const certificate = certifySeatAssignment(pool, courses, options, result)
  // Never write a placement that is not proven: that would be a defect of the matcher.
  if (certificate.problems.length > 0) throw new Error(`seat assignment not certified: ${certificate.problems.join('; ')}`)

  const byCourse = new Map<number, number[]>()
  for (const { childId, courseId } of result.assignments) byCourse.set(courseId, [...byCourse.get(courseId) ?? [], childId])
  for (const [courseId, ids] of byCourse) {
    await trx.updateTable('vouchers').set({ state: 'assigned', course_id: courseId, assigned_via: 'matcher', assigned_at: new Date() }).where('id', 'in', ids).execute()
    await trx.updateTable('courses').set(eb => ({ seats_taken: eb('seats_taken', '+', ids.length) })).where('id', '=', courseId).execute()
  }
  const projectOf = new Map(children.map(c => [c.id, c.projectId]))
  for (const { childId } of result.assignments) {
    const projectId = projectOf.get(childId) ?? null
    if (projectId !== null) await commitBudget(trx, projectId, costs.get(projectId) as number, voucherReference(childId))
  }

  const towns = result.towns.map(t => t.town)
  const names = new Map(towns.length === 0 ? [] : (await trx.selectFrom('regions').select(['code', 'name']).where('code', 'in', towns).execute()).map(r => [r.code, r.name]))
  return {
    halfYear: request.halfYear,
    regionCode: request.regionCode,
    children: vouchers.length,
    unfunded: children.length - pool.length,
    placed: result.assignments.length,
    unplaced: vouchers.length - result.assignments.length,
    totalCost: result.totalCost,
    towns: result.towns.map(t => ({ code: t.town, name: names.get(t.town) ?? t.town, children: t.children, required: t.required, placed: t.placed })),
    certificate: { ...certificate, proven: true },
    placements: result.assignments.map(a => ({ voucherId: a.childId, courseId: a.courseId }))
  }
}
