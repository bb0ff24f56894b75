// 爱心培训券: placing children in course seats. Min-cost max-flow: as many children as the
// seats allow, and among those placements the cheapest, where a placement costs its travel
// (0 within the child's town; another town costs `crossTownCost`, or is not allowed) minus
// the child's urgency (no class yet this half-year, the half-year ending). Children who are
// identical for the cost (same town, age and urgency) and courses that are identical for it
// (same town and age range) are merged first: the optimum is the same, the graph is tiny.
import { MinCostFlow } from './min-cost-flow.js'

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
}

export interface SeatResult {
  assignments: Array<{ childId: number, courseId: number }>
  unassigned: number[]
  totalCost: number
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

export function assignSeats (children: readonly SeatChild[], courses: readonly SeatCourse[], options: SeatOptions = {}): SeatResult {
  const classes = [...groupBy(children, c => `${c.town}|${c.age}|${c.urgency}`).values()]
  const groups = [...groupBy(courses.filter(c => c.seats > 0), c => `${c.town}|${c.minAge}|${c.maxAge}`).values()]
  const source = 0
  const sink = 1 + classes.length + groups.length
  const network = new MinCostFlow(sink + 1)
  classes.forEach((members, i) => network.addEdge(source, 1 + i, members.length, 0))
  groups.forEach((list, j) => network.addEdge(1 + classes.length + j, sink, list.reduce((n, c) => n + c.seats, 0), 0))
  const links: Array<{ classIndex: number, groupIndex: number, edge: number }> = []
  classes.forEach((members, i) => {
    const representative = members[0] as SeatChild
    groups.forEach((list, j) => {
      const cost = placementCost(representative, list[0] as SeatCourse, options)
      if (cost !== null) links.push({ classIndex: i, groupIndex: j, edge: network.addEdge(1 + i, 1 + classes.length + j, members.length, cost) })
    })
  })
  const { cost } = network.run(source, sink)

  // Back from classes and groups to children and courses: any child of a class, any free seat of a group.
  const nextChild = new Array<number>(classes.length).fill(0)
  const seatsLeft = groups.map(list => list.map(course => course.seats))
  const courseCursor = new Array<number>(groups.length).fill(0)
  const assignments: SeatResult['assignments'] = []
  for (const { classIndex, groupIndex, edge } of links) {
    let flow = network.flowOn(edge)
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
  return { assignments, unassigned: children.filter(c => !placed.has(c.id)).map(c => c.id), totalCost: cost }
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
