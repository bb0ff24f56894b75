import t from 'tap'
import { assignSeats, assignSeatsUnmerged, placementCost, voucherUrgency, type SeatChild, type SeatCourse, type SeatOptions } from '../../matching/seat-assignment.js'
import { createRandom } from '../../matching/random.js'
import { certifySeatAssignment } from '../../matching/seat-certificate.js'

/** Every placement tried: most children placed, then most of the towns' required places met, then least cost. */
function bruteForce (children: SeatChild[], courses: SeatCourse[], options: SeatOptions): { assigned: number, quotaMet: number, totalCost: number } {
  let best = { assigned: 0, quotaMet: 0, totalCost: 0 }
  const seats = courses.map(c => c.seats)
  const towns = [...new Set(children.map(c => c.town))]
  const required = towns.map(town => Math.ceil((options.minShareByTown ?? 0) * children.filter(c => c.town === town).length - 1e-9))
  const placedIn = towns.map(() => 0)
  const walk = (i: number, assigned: number, cost: number) => {
    if (i === children.length) {
      const quotaMet = towns.reduce((sum, _, t) => sum + Math.min(placedIn[t] as number, required[t] as number), 0)
      if (assigned > best.assigned || (assigned === best.assigned && (quotaMet > best.quotaMet || (quotaMet === best.quotaMet && cost < best.totalCost)))) best = { assigned, quotaMet, totalCost: cost }
      return
    }
    walk(i + 1, assigned, cost)
    const t = towns.indexOf((children[i] as SeatChild).town)
    courses.forEach((course, j) => {
      const c = placementCost(children[i] as SeatChild, course, options)
      if (c === null || (seats[j] as number) === 0) return
      seats[j] = (seats[j] as number) - 1
      placedIn[t] = (placedIn[t] as number) + 1
      walk(i + 1, assigned + 1, cost + c)
      placedIn[t] = (placedIn[t] as number) - 1
      seats[j] = (seats[j] as number) + 1
    })
  }
  walk(0, 0, 0)
  return best
}

const quotaMet = (result: ReturnType<typeof assignSeats>) => result.towns.reduce((sum, town) => sum + Math.min(town.placed, town.required), 0)

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
    t.same({ assigned: result.assignments.length, quotaMet: 0, totalCost: result.totalCost }, best, `round ${round}`)
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

t.test('a minimum share per town: equals brute force on tiny instances', async t => {
  for (let round = 0; round < 60; round++) {
    const { children, courses } = instance(`share${round}`, 6, 3, 2)
    const options = { crossTownCost: 5 + round % 30, minShareByTown: [0.3, 0.5, 1][round % 3] as number }
    const result = assignSeats(children, courses, options)
    t.same({ assigned: result.assignments.length, quotaMet: quotaMet(result), totalCost: result.totalCost }, bruteForce(children, courses, options), `round ${round}`)
    check(t, result, children, courses, options)
  }
})

t.test('a minimum share gives a town its places when the seats are elsewhere', async t => {
  // Town B has the only course; its own, more urgent children would take every seat.
  const children = [
    { id: 1, town: 'A', age: 8, urgency: 0 }, { id: 2, town: 'A', age: 8, urgency: 0 },
    { id: 3, town: 'B', age: 8, urgency: 3 }, { id: 4, town: 'B', age: 8, urgency: 3 }, { id: 5, town: 'B', age: 8, urgency: 3 }
  ]
  const courses = [{ id: 10, town: 'B', seats: 3, minAge: 6, maxAge: 10 }]
  const plain = assignSeats(children, courses, { crossTownCost: 5 })
  t.same(plain.assignments.map(a => a.childId).sort(), [3, 4, 5])
  t.same(plain.towns, [{ town: 'A', children: 2, required: 0, placed: 0 }, { town: 'B', children: 3, required: 0, placed: 3 }])
  const shared = assignSeats(children, courses, { crossTownCost: 5, minShareByTown: 0.5 })
  t.same(shared.towns, [{ town: 'A', children: 2, required: 1, placed: 1 }, { town: 'B', children: 3, required: 2, placed: 2 }])
  t.equal(shared.totalCost, 5 - 30 - 30, 'one A child travels; two urgent B children stay')
  t.throws(() => assignSeats(children, courses, { minShareByTown: 1.5 }), /between 0 and 1/)
})

t.test('urgency rises without a class this half-year and near its end', async t => {
  t.equal(voucherUrgency('2026-03-01', true), 0)
  t.equal(voucherUrgency('2026-03-01', false), 2)
  t.equal(voucherUrgency('2026-05-01', true), 0, 'day 120 of 181 is not yet the last third')
  t.equal(voucherUrgency('2026-05-02', true), 1, 'day 121 of 181 is')
  t.equal(voucherUrgency('2026-12-20', false), 3)
  t.equal(voucherUrgency('2026-07-01', false), 2, 'a new half-year starts calm')
})

t.test('the dual certificate proves the solver optimal, unmerged, and catches worse assignments', async t => {
  for (const [seed, options] of [['cert1', {}], ['cert2', { crossTownCost: 15 }], ['cert3', { crossTownCost: 40, urgencyWeight: 7, minShareByTown: 0.6 }]] as const) {
    const { children, courses } = instance(seed, 400, 60, 4)
    const result = assignSeats(children, courses, options)
    const certificate = certifySeatAssignment(children, courses, options, result)
    t.same(certificate, { problems: [], placed: result.assignments.length, totalCost: result.totalCost }, `${seed} certified`)

    // Leave one placed child out: no longer maximal.
    const dropped = { ...result, assignments: result.assignments.slice(1), totalCost: result.totalCost - (placementCost(children.find(c => c.id === result.assignments[0]?.childId) as SeatChild, courses.find(c => c.id === result.assignments[0]?.courseId) as SeatCourse, options) as number) }
    t.ok(certifySeatAssignment(children, courses, options, dropped).problems.length > 0, `${seed}: one child fewer is refused`)
  }
  // Give the urgent child's seat to the calm one: same count, higher cost.
  const children = [{ id: 1, town: 'A', age: 8, urgency: 0 }, { id: 2, town: 'A', age: 8, urgency: 3 }]
  const courses = [{ id: 10, town: 'A', seats: 1, minAge: 6, maxAge: 10 }]
  const best = assignSeats(children, courses)
  t.same(certifySeatAssignment(children, courses, {}, best).problems, [])
  const worse = { ...best, assignments: [{ childId: 1, courseId: 10 }], unassigned: [2], totalCost: 0 }
  t.match(certifySeatAssignment(children, courses, {}, worse).problems, [/negative reduced cost/])
  const overfull = { ...best, assignments: [{ childId: 1, courseId: 10 }, { childId: 2, courseId: 10 }], totalCost: -30 }
  t.match(certifySeatAssignment(children, courses, {}, overfull).problems, [/course 10 overfilled/])
})
