// Classification speed on the path the server uses, on one core: makeClassifier
// (server/registry/classify.ts) — each village's profile found once, each profile's parameters
// resolved once for the day — then, per household, the engine with its full trace, shaped as
// the decision the registry stores, each member's outcome included. Registration, import,
// reclassification and the demo-data load all call exactly this per household. Run:
//   node --import tsx bench/classify.bench.ts [households]
import { makeClassifier } from '../server/registry/classify.js'
import { administrativeVillage } from '../server/registry/context.js'
import { generateDataset, DEFAULT_AS_OF } from '../scripts/demo-data/index.js'
import { loadavg } from 'node:os'
import { machine, median } from './services.js'

const size = Number(process.argv[2] ?? 300000)
const data = generateDataset({ seed: 1, households: size })
// As the registry hands them over: whether the village is a 行政村 comes from its name. Added to
// each record in place: copies made by spreading records of several shapes are slow objects,
// which the registry (prepare.ts builds each household's facts field by field) never hands over.
const villages = new Map(data.regions.map(r => [r.code, administrativeVillage(r.name)]))
const households = [...data.households()].map(h => Object.assign(h, { administrativeVillage: villages.get(h.regionCode) ?? null }))
const persons = households.reduce((n, h) => n + h.members.length, 0)
const byProfile = new Map<string, number>()
for (const h of households) {
  const profile = data.regionPolicies.find(p => h.regionCode.startsWith(p.regionCode))?.profile ?? '?'
  byProfile.set(profile, (byProfile.get(profile) ?? 0) + 1)
}

/** Wall-clock and CPU seconds of one pass: on a shared machine the CPU time is what one core spent. */
function pass (): { wall: number, cpu: number } {
  // A fresh classifier per pass, as each import or request builds one for its day.
  const classifier = makeClassifier(data.regionPolicies, new Map(), DEFAULT_AS_OF)
  const started = process.hrtime.bigint()
  const cpu = process.cpuUsage()
  let steps = 0
  for (const h of households) steps += (classifier(h.regionCode, h).trace as unknown[]).length
  if (steps === 0) throw new Error('nothing classified')
  const used = process.cpuUsage(cpu)
  return { wall: Number(process.hrtime.bigint() - started) / 1e9, cpu: (used.user + used.system) / 1e6 }
}

pass() // warm-up
const runs = Array.from({ length: 5 }, pass)
const wall = median(runs.map(r => r.wall))
const cpu = median(runs.map(r => r.cpu))
const rate = (seconds: number) => Math.round(size / seconds).toLocaleString('en')
console.log(`server path (makeClassifier, full trace), ${size} households, ${persons} persons (${[...byProfile].map(([p, n]) => `${p} ${n}`).join(', ')}), median of 5:`)
console.log(`  wall clock ${rate(wall)} households/s (${wall.toFixed(3)} s; runs ${runs.map(r => r.wall.toFixed(3)).join(' ')})`)
console.log(`  CPU time   ${rate(cpu)} households/s (${cpu.toFixed(3)} s; runs ${runs.map(r => r.cpu.toFixed(3)).join(' ')})`)
console.log(`${machine()}, load average ${loadavg().map(l => l.toFixed(2)).join(' ')}`)
