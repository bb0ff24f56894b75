// An independent optimality check of a seat assignment, child by child and course by course
// (no merging): the assignment is feasible, and the potentials it comes with prove it optimal
// by linear-programming duality — every edge of the unmerged residual network (source → town
// → child → course → sink, the towns' minimum-share places at the solver's bonus) has a
// non-negative reduced cost cost(u, v) + π(u) − π(v), so no cycle lowers the cost; and
// π(sink) − π(source) exceeds the cost of any simple path, so no augmenting path is left.
// Checking is linear in children × towns, so it runs on the full-size instance.
import { placementCost, placementCostBound, requiredPlaces, shareBonus, type SeatChild, type SeatCourse, type SeatOptions, type SeatResult } from './seat-assignment.js'

export interface SeatCertificate {
  /** Empty when the assignment is proven a minimum-cost maximum placement. */
  problems: string[]
  placed: number
  totalCost: number
}

const TOLERANCE = 1e-6

/**
 * An independent proof that `result` is a feasible minimum-cost maximum placement, checked on
 * the unmerged network (every child and course) from the result's dual values.
 */
export function certifySeatAssignment (children: readonly SeatChild[], courses: readonly SeatCourse[], options: SeatOptions, result: SeatResult): SeatCertificate {
  const problems: string[] = []
  const { dual } = result
  const reduced = (cost: number, from: number | undefined, to: number | undefined, what: () => string) => {
    if (from === undefined || to === undefined) problems.push(`no potential for ${what()}`)
    else if (cost + from - to < -TOLERANCE && problems.length < 20) problems.push(`negative reduced cost ${cost + from - to} on ${what()}`)
  }

  // Feasibility, and the flow on every edge.
  const childById = new Map(children.map(c => [c.id, c]))
  const courseById = new Map(courses.map(c => [c.id, c]))
  const courseOf = new Map<number, number>()
  const used = new Map<number, number>()
  let totalCost = 0
  for (const { childId, courseId } of result.assignments) {
    const child = childById.get(childId)
    const course = courseById.get(courseId)
    const cost = child && course ? placementCost(child, course, options) : null
    if (!child || !course || cost === null) { problems.push(`child ${childId} may not be placed in course ${courseId}`); continue }
    if (courseOf.has(childId)) problems.push(`child ${childId} placed twice`)
    courseOf.set(childId, courseId)
    used.set(courseId, (used.get(courseId) ?? 0) + 1)
    totalCost += cost
  }
  for (const [courseId, n] of used) if (n > (courseById.get(courseId)?.seats ?? 0)) problems.push(`course ${courseId} overfilled`)

  // Source → town: the share's places (at −bonus) fill first, the rest at 0.
  const share = options.minShareByTown ?? 0
  const bonus = shareBonus(children, options)
  const townSize = new Map<string, number>()
  const townPlaced = new Map<string, number>()
  for (const child of children) {
    townSize.set(child.town, (townSize.get(child.town) ?? 0) + 1)
    if (courseOf.has(child.id)) townPlaced.set(child.town, (townPlaced.get(child.town) ?? 0) + 1)
  }
  for (const [town, size] of townSize) {
    const required = requiredPlaces(share, size)
    const placed = townPlaced.get(town) ?? 0
    const inShare = Math.min(placed, required)
    const π = dual.town.get(town)
    if (inShare < required) reduced(-bonus, dual.source, π, () => `source → ${town} (share)`)
    if (inShare > 0) reduced(bonus, π, dual.source, () => `${town} → source (share)`)
    if (placed - inShare < size - required) reduced(0, dual.source, π, () => `source → ${town}`)
    if (placed - inShare > 0) reduced(0, π, dual.source, () => `${town} → source`)
  }

  // Course → sink, and the best course potential per town and age, for the child → course edges.
  const open = courses.filter(c => c.seats > 0)
  const maxAge = children.reduce((max, c) => Math.max(max, c.age), 0)
  const bestCourse = new Map<string, Array<SeatCourse | undefined>>()
  for (const course of open) {
    const n = used.get(course.id) ?? 0
    const π = dual.course.get(course.id)
    if (n < course.seats) reduced(0, π, dual.sink, () => `course ${course.id} → sink`)
    if (n > 0) reduced(0, dual.sink, π, () => `sink → course ${course.id}`)
    const byAge = bestCourse.get(course.town) ?? new Array<SeatCourse | undefined>(maxAge + 1)
    bestCourse.set(course.town, byAge)
    for (let age = Math.max(0, course.minAge); age <= Math.min(maxAge, course.maxAge); age++) {
      const best = byAge[age]
      if (!best || (π ?? -Infinity) > (dual.course.get(best.id) ?? -Infinity)) byAge[age] = course
    }
  }

  // Town ↔ child, and child ↔ course. A placement's cost depends on the course only through
  // its town and age range, so for the edges into one town the course of highest potential
  // among those that fit is the binding one (checking it checks them all; a child's own
  // course is included, which is stricter than needed).
  for (const child of children) {
    const π = dual.child.get(child.id)
    const placedIn = courseOf.get(child.id)
    if (placedIn === undefined) reduced(0, dual.town.get(child.town), π, () => `${child.town} → child ${child.id}`)
    else {
      reduced(0, π, dual.town.get(child.town), () => `child ${child.id} → ${child.town}`)
      const course = courseById.get(placedIn) as SeatCourse
      reduced(-(placementCost(child, course, options) as number), dual.course.get(placedIn), π, () => `course ${placedIn} → child ${child.id}`)
    }
    for (const byAge of bestCourse.values()) {
      const course = byAge[child.age]
      const cost = course ? placementCost(child, course, options) : null
      if (course && cost !== null) reduced(cost, π, dual.course.get(course.id), () => `child ${child.id} → course ${course.id}`)
    }
  }

  // No augmenting path: π(sink) − π(source) beyond the cost of any simple path.
  const nodes = children.length + open.length + townSize.size + 2
  const margin = nodes * (bonus + placementCostBound(children, options)) + 1
  if (dual.sink - dual.source < margin) problems.push(`π(sink) − π(source) = ${dual.sink - dual.source} does not prove the placement maximal (needs ≥ ${margin})`)
  if (Math.abs(totalCost - result.totalCost) > TOLERANCE) problems.push(`reported cost ${result.totalCost}, placements add up to ${totalCost}`)
  return { problems, placed: courseOf.size, totalCost }
}
