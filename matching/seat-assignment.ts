// 爱心培训券: placing children in course seats. Min-cost max-flow: as many children as the
// seats allow, and among those placements the cheapest, where a placement costs its travel
// (0 within the child's town; another town costs `crossTownCost`, or is not allowed) minus
// the child's urgency (no class yet this half-year, the half-year ending). Children who are
// identical for the cost (same town, age and urgency) and courses that are identical for it
// (same town and age range) are merged first: the optimum is the same, the graph is tiny.
// An optional minimum share per town is met whenever it costs no placements: each town's
// first ⌈share × its children⌉ placements carry a bonus larger than any difference in cost.
import { MinCostFlow } from './min-cost-flow.js'
import { halfYearProgress, ymd } from './dates.js'

export interface SeatChild {
  id: number
  town: string
  age: number
  /** 0 (can wait) … 3 (most urgent). */
  urgency: number
}

export interface SeatCourse {
  id: number
  town: string
  seats: number
  minAge: number
  maxAge: number
}

export interface SeatOptions {
  /** Cost of a seat in another town; null forbids it. Default null. */
  crossTownCost?: number | null
  /** Cost saved per urgency step. Default 10. */
  urgencyWeight?: number
  /** 0…1: each town should see at least this share of its children placed (when seats allow). */
  minShareByTown?: number
}

export interface TownPlacement {
  town: string
  children: number
  /** ⌈minShareByTown × children⌉ (0 without a minimum share). */
  required: number
  placed: number
}

export interface SeatResult {
  assignments: Array<{ childId: number, courseId: number }>
  unassigned: number[]
  /** Sum of the placements' costs. */
  totalCost: number
  towns: TownPlacement[]
  /** Node potentials of the optimum, per source, sink, town, child and course: checked by certifySeatAssignment. */
  dual: SeatDual
}

export interface SeatDual {
  source: number
  sink: number
  town: Map<string, number>
  child: Map<number, number>
  course: Map<number, number>
}

/** No placement costs more than this in absolute value. */
export function placementCostBound (children: readonly SeatChild[], options: SeatOptions): number {
  const urgency = children.reduce((max, c) => Math.max(max, Math.abs(c.urgency)), 0)
  return Math.abs(options.crossTownCost ?? 0) + Math.abs(options.urgencyWeight ?? 10) * urgency
}

/** The bonus of a place within a town's minimum share: more than any two placements' total costs can differ. */
export const shareBonus = (children: readonly SeatChild[], options: SeatOptions) => 2 * children.length * placementCostBound(children, options) + 1

/** ⌈share × n⌉, robust to the share's rounding. */
export const requiredPlaces = (share: number, children: number) => Math.ceil(share * children - 1e-9)

/**
 * A child's urgency level for the half-year of `asOf`: 2 for no class yet this half-year,
 * plus 1 in the last third of the half-year (whole steps keep identical children mergeable).
 */
export function voucherUrgency (asOf: string, hadClassThisHalfYear: boolean): number {
  return (hadClassThisHalfYear ? 0 : 2) + (halfYearProgress(ymd(asOf)) >= 2 / 3 ? 1 : 0)
}

export function placementCost (child: SeatChild, course: SeatCourse, options: SeatOptions = {}): number | null {
  if (child.age < course.minAge || child.age > course.maxAge) return null
  const crossTown = options.crossTownCost ?? null
  if (child.town !== course.town && crossTown === null) return null
  return (child.town === course.town ? 0 : crossTown as number) - (options.urgencyWeight ?? 10) * child.urgency
}

function groupBy<T> (items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const k = key(item)
    const list = groups.get(k)
    if (list) list.push(item)
    else groups.set(k, [item])
  }
  return groups
}

/**
 * Training-voucher seats by min-cost max-flow: as many children placed as the seats allow, at
 * the least total cost, with an optional minimum share placed in every town
 * (`options.minShareByTown`). The result carries the flow's dual values for the certificate.
 */
export function assignSeats (children: readonly SeatChild[], courses: readonly SeatCourse[], options: SeatOptions = {}): SeatResult {
  const share = options.minShareByTown ?? 0
  if (!(share >= 0 && share <= 1)) throw new Error(`minShareByTown must be between 0 and 1 (got ${share})`)
  const towns = [...groupBy(children, c => c.town)]
  const classes = towns.flatMap(([, members]) => [...groupBy(members, c => `${c.age}|${c.urgency}`).values()])
  const groups = [...groupBy(courses.filter(c => c.seats > 0), c => `${c.town}|${c.minAge}|${c.maxAge}`).values()]
  const links: Array<{ classIndex: number, groupIndex: number, cost: number, edge: number }> = []
  classes.forEach((members, i) => groups.forEach((list, j) => {
    const cost = placementCost(members[0] as SeatChild, list[0] as SeatCourse, options)
    if (cost !== null) links.push({ classIndex: i, groupIndex: j, cost, edge: -1 })
  }))
  // Source → town (the share's places first, at a bonus) → class → course group → sink.
  const townBase = 1
  const classBase = townBase + towns.length
  const groupBase = classBase + classes.length
  const sink = groupBase + groups.length
  const network = new MinCostFlow(sink + 1)
  const bonus = shareBonus(children, options)
  const required = towns.map(([, members]) => requiredPlaces(share, members.length))
  towns.forEach(([, members], t) => {
    if ((required[t] as number) > 0) network.addEdge(0, townBase + t, required[t] as number, -bonus)
    if (members.length > (required[t] as number)) network.addEdge(0, townBase + t, members.length - (required[t] as number), 0)
  })
  let classIndex = 0
  towns.forEach(([, members], t) => {
    for (const size of groupBy(members, c => `${c.age}|${c.urgency}`).values()) network.addEdge(townBase + t, classBase + classIndex++, size.length, 0)
  })
  groups.forEach((list, j) => network.addEdge(groupBase + j, sink, list.reduce((n, c) => n + c.seats, 0), 0))
  // Uncapped between class and group (the class's own edge caps it): the optimum is the same
  // and the network's potentials then certify the unmerged assignment (seat-certificate.ts).
  for (const link of links) link.edge = network.addEdge(classBase + link.classIndex, groupBase + link.groupIndex, children.length + 1, link.cost)
  network.run(0, sink)
  // The dual proof: with an edge sink → source dearer than any path, no negative cycle also means no augmenting path.
  const margin = (children.length + courses.length + towns.length + 2) * (bonus + placementCostBound(children, options)) + 1
  const pi = network.residualPotentials([[sink, 0, -margin]])
  const dual: SeatDual = { source: pi[0] as number, sink: pi[sink] as number, town: new Map(), child: new Map(), course: new Map() }
  towns.forEach(([town], t) => dual.town.set(town, pi[townBase + t] as number))
  classes.forEach((members, i) => { for (const child of members) dual.child.set(child.id, pi[classBase + i] as number) })
  groups.forEach((list, j) => { for (const course of list) dual.course.set(course.id, pi[groupBase + j] as number) })

  // Back from classes and groups to children and courses: any child of a class, any free seat of a group.
  const nextChild = new Array<number>(classes.length).fill(0)
  const seatsLeft = groups.map(list => list.map(course => course.seats))
  const courseCursor = new Array<number>(groups.length).fill(0)
  const assignments: SeatResult['assignments'] = []
  let totalCost = 0
  for (const { classIndex, groupIndex, cost, edge } of links) {
    let flow = network.flowOn(edge)
    totalCost += flow * cost
    while (flow > 0) {
      const list = groups[groupIndex] as SeatCourse[]
      const left = seatsLeft[groupIndex] as number[]
      while ((left[courseCursor[groupIndex] as number] as number) === 0) courseCursor[groupIndex] = (courseCursor[groupIndex] as number) + 1
      const k = courseCursor[groupIndex] as number
      const child = (classes[classIndex] as SeatChild[])[nextChild[classIndex] as number] as SeatChild
      nextChild[classIndex] = (nextChild[classIndex] as number) + 1
      left[k] = (left[k] as number) - 1
      assignments.push({ childId: child.id, courseId: (list[k] as SeatCourse).id })
      flow--
    }
  }
  const placed = new Set(assignments.map(a => a.childId))
  return {
    assignments,
    unassigned: children.filter(c => !placed.has(c.id)).map(c => c.id),
    totalCost,
    towns: towns.map(([town, members], t) => ({ town, children: members.length, required: required[t] as number, placed: members.filter(c => placed.has(c.id)).length })),
    dual
  }
}

/** The same problem without merging: one node per child and per course. For checking. */
export function assignSeatsUnmerged (children: readonly SeatChild[], courses: readonly SeatCourse[], options: SeatOptions = {}): { assigned: number, totalCost: number } {
  const source = 0
  const sink = 1 + children.length + courses.length
  const network = new MinCostFlow(sink + 1)
  children.forEach((_, i) => network.addEdge(source, 1 + i, 1, 0))
  courses.forEach((course, j) => network.addEdge(1 + children.length + j, sink, course.seats, 0))
  children.forEach((child, i) => courses.forEach((course, j) => {
    const cost = placementCost(child, course, options)
    if (cost !== null) network.addEdge(1 + i, 1 + children.length + j, 1, cost)
  }))
  const { flow, cost } = network.run(source, sink)
  return { assigned: flow, totalCost: cost }
}
