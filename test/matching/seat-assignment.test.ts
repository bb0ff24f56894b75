import t from 'tap'
import { assignSeats, assignSeatsUnmerged, placementCost, type SeatChild, type SeatCourse, type SeatOptions } from '../../matching/seat-assignment.js'
import { createRandom } from '../../matching/random.js'

function bruteForce (children: SeatChild[], courses: SeatCourse[], options: SeatOptions): { assigned: number, totalCost: number } {
  let best = { assigned: 0, totalCost: 0 }
  const seats = courses.map(c => c.seats)
  const walk = (i: number, assigned: number, cost: number) => {
    if (i === children.length) {
      if (assigned > best.assigned || (assigned === best.assigned && cost < best.totalCost)) best = { assigned, totalCost: cost }
      return
    }
    walk(i + 1, assigned, cost)
    courses.forEach((course, j) => {
      const c = placementCost(children[i] as SeatChild, course, options)
      if (c === null || (seats[j] as number) === 0) return
      seats[j] = (seats[j] as number) - 1
      walk(i + 1, assigned + 1, cost + c)
      seats[j] = (seats[j] as number) + 1
    })
  }
  walk(0, 0, 0)
  return best
}

function instance (seed: string, children: number, courses: number, towns: number) {
  const random = createRandom(seed)
  const townName = () => `T${random.int(1, towns)}`
  return {
    children: Array.from({ length: children }, (_, id) => ({ id, town: townName(), age: random.int(3, 15), urgency: random.int(0, 3) })),
    courses: Array.from({ length: courses }, (_, id) => {
      const minAge = random.pick([3, 5, 6, 8, 10])
      return { id, town: townName(), seats: random.int(0, 4), minAge, maxAge: minAge + random.int(2, 6) }
    })
  }
}

function check (t: Pick<typeof tap, 'fail' | 'equal'>, result: ReturnType<typeof assignSeats>, children: SeatChild[], courses: SeatCourse[], options: SeatOptions) {
  const used = new Map<number, number>()
  let cost = 0
  for (const { childId, courseId } of result.assignments) {
    used.set(courseId, (used.get(courseId) ?? 0) + 1)
    const c = placementCost(children.find(x => x.id === childId) as SeatChild, courses.find(x => x.id === courseId) as SeatCourse, options)
    if (c === null) t.fail(`child ${childId} placed where it may not go`)
    cost += c ?? 0
  }
  for (const [courseId, n] of used) if (n > (courses.find(c => c.id === courseId)?.seats ?? 0)) t.fail(`course ${courseId} overfilled`)
  t.equal(new Set(result.assignments.map(a => a.childId)).size, result.assignments.length, 'each child placed once')
  t.equal(cost, result.totalCost, 'the placements add up to the reported cost')
}
const tap = t

t.test('equals brute force on tiny instances', async t => {
  for (let round = 0; round < 60; round++) {
    const { children, courses } = instance(`tiny${round}`, 6, 3, 2)
    const options = round % 2 === 0 ? {} : { crossTownCost: 25 }
    const result = assignSeats(children, courses, options)
    const best = bruteForce(children, courses, options)
    t.same({ assigned: result.assignments.length, totalCost: result.totalCost }, best, `round ${round}`)
    check(t, result, children, courses, options)
  }
})

t.test('merging identical children and courses changes nothing (mid-size, against the unmerged network)', async t => {
  for (const [seed, options] of [['mid1', {}], ['mid2', { crossTownCost: 15 }], ['mid3', { crossTownCost: 40, urgencyWeight: 7 }]] as const) {
    const { children, courses } = instance(seed, 400, 60, 4)
    const merged = assignSeats(children, courses, options)
    const reference = assignSeatsUnmerged(children, courses, options)
    t.same({ assigned: merged.assignments.length, totalCost: merged.totalCost }, reference, seed)
    check(t, merged, children, courses, options)
    t.equal(merged.assignments.length + merged.unassigned.length, children.length)
  }
})

t.test('urgent children get the scarce seats; travel only when allowed', async t => {
  const children = [{ id: 1, town: 'A', age: 8, urgency: 0 }, { id: 2, town: 'A', age: 8, urgency: 3 }]
  const courses = [{ id: 10, town: 'A', seats: 1, minAge: 6, maxAge: 10 }, { id: 11, town: 'B', seats: 1, minAge: 6, maxAge: 10 }]
  t.same(assignSeats(children, courses).assignments, [{ childId: 2, courseId: 10 }])
  t.same(assignSeats(children, courses).unassigned, [1])
  const travel = assignSeats(children, courses, { crossTownCost: 5 })
  t.equal(travel.assignments.length, 2, 'with travel allowed both are placed')
  t.same(travel.assignments.find(a => a.childId === 2), { childId: 2, courseId: 10 }, 'the urgent child stays in town')
  t.equal(placementCost({ id: 3, town: 'A', age: 16, urgency: 0 }, courses[0] as SeatCourse), null, 'too old')
})
