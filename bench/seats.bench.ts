// Training-voucher seats: 100,000 children into 5,000 courses (min-cost max-flow with
// identical children and courses merged). Exactness on the full instance: the dual
// certificate checked child by child on the unmerged network (seat-certificate.ts); and, on a
// smaller instance drawn the same way, the plain one-node-per-child network solved outright
// (with --unmerged also with cross-town travel, which takes minutes). Run:
//   node --import tsx bench/seats.bench.ts [children] [courses] [--unmerged]
import { assignSeats, assignSeatsUnmerged, type SeatChild, type SeatCourse } from '../matching/seat-assignment.js'
import { createRandom } from '../matching/random.js'
import { certifySeatAssignment } from '../matching/seat-certificate.js'
import { machine, median } from './services.js'

function instance (seed: string, children: number, courses: number) {
  const random = createRandom(seed)
  const towns = Array.from({ length: 15 }, (_, i) => `town${i + 1}`)
  return {
    children: Array.from({ length: children }, (_, id): SeatChild => ({ id, town: random.pick(towns), age: random.int(3, 15), urgency: random.weighted([[0, 4], [1, 3], [2, 2], [3, 1]] as const) })),
    courses: Array.from({ length: courses }, (_, id): SeatCourse => {
      const minAge = random.pick([3, 4, 6, 8, 10, 12])
      return { id, town: random.pick(towns), seats: random.int(10, 28), minAge, maxAge: Math.min(15, minAge + random.int(3, 6)) }
    })
  }
}

const args = process.argv.slice(2).filter(a => !a.startsWith('--'))
const children = Number(args[0] ?? 100000)
const courses = Number(args[1] ?? 5000)
const big = instance('seats', children, courses)
const seats = big.courses.reduce((n, c) => n + c.seats, 0)
for (const options of [{}, { crossTownCost: 30 }, { crossTownCost: 30, minShareByTown: 0.95 }]) {
  const times: number[] = []
  let result: ReturnType<typeof assignSeats> | undefined
  for (let run = 0; run < 5; run++) {
    const started = process.hrtime.bigint()
    result = assignSeats(big.children, big.courses, options)
    times.push(Number(process.hrtime.bigint() - started) / 1e9)
  }
  console.log(`${children} children, ${courses} courses (${seats} seats), ${JSON.stringify(options)}: median ${median(times).toFixed(3)} s (runs ${times.map(x => x.toFixed(3)).join(' ')}); placed ${result?.assignments.length}, cost ${result?.totalCost}`)
  if (!result) continue
  const started = process.hrtime.bigint()
  const certificate = certifySeatAssignment(big.children, big.courses, options, result)
  const short = result.towns.filter(t => t.placed < t.required).length
  console.log(`  certificate on the unmerged network: ${certificate.problems.length === 0 ? 'optimal' : certificate.problems.slice(0, 3).join('; ')} (${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(2)} s); towns short of their share: ${short}`)
  if (certificate.problems.length > 0) process.exitCode = 1
}

const small = instance('seats-check', 4000, 200)
for (const options of process.argv.includes('--unmerged') ? [{}, { crossTownCost: 30 }] : [{}]) {
  const merged = assignSeats(small.children, small.courses, options)
  const started = Date.now()
  const reference = assignSeatsUnmerged(small.children, small.courses, options)
  const same = reference.assigned === merged.assignments.length && reference.totalCost === merged.totalCost
  console.log(`check 4,000 × 200 ${JSON.stringify(options)}: merged ${merged.assignments.length}/${merged.totalCost}, unmerged ${reference.assigned}/${reference.totalCost} (${((Date.now() - started) / 1000).toFixed(1)} s) → ${same ? 'equal' : 'DIFFERENT'}`)
  if (!same) process.exitCode = 1
}
console.log(machine())
