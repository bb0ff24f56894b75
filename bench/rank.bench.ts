// Ranking the whole population for one project: ~1,000,000 persons (315,000 generated
// households), eligibility + score + full sort, once the population is in memory; and the
// resident memory that population takes. Run: node --import tsx bench/rank.bench.ts [households]
import { Population } from '../matching/population.js'
import { rank, type ProjectSpec } from '../matching/rank.js'
import { CATEGORIES } from '../matching/domain.js'
import { createRandom } from '../matching/random.js'
import { generateDataset, DEFAULT_AS_OF } from '../scripts/demo-data/index.js'
import { machine, median } from './services.js'

const size = Number(process.argv[2] ?? 315000)
const random = createRandom('rank-bench')
const before = process.memoryUsage().rss
const population = new Population(DEFAULT_AS_OF, size * 3.3)
let id = 0
let entryId = 0
for (const h of generateDataset({ seed: 5, households: size }).households()) {
  id++
  const chain = random.chance(0.3)
    ? [{ id: ++entryId, source: 'charity' as const, kind: random.pick(['wish', 'fund', 'dream_room']), tags: [], value: random.int(100, 15000), occurredOn: `2026-0${random.int(1, 9)}-15`, reverses: null }]
    : []
  population.upsert({
    id, regionCode: h.regionCode, category: h.intendedCategory, status: h.status, hardships: h.hardships,
    perCapitaMonthlyIncome: h.annualIncome / h.members.length / 12, incomeLine: 2400, chain
  }, h.members.map((m, i) => ({ id: id * 10 + i, birthDate: m.birthDate, schoolStage: m.schoolStage })))
}
global.gc?.()
const rss = process.memoryUsage().rss
const { persons } = population.size
console.log(`population: ${size} households, ${persons} persons; RSS ${(rss / 2 ** 20).toFixed(0)} MiB (process before loading: ${(before / 2 ** 20).toFixed(0)} MiB)`)

const project: ProjectSpec = { rules: { kind: 'wish', categories: [...CATEGORIES], notHelpedSameKindMonths: 6 }, near: '330503101', urgency: 0.2 }
rank(population, project, DEFAULT_AS_OF)
const times: number[] = []
let ranked = 0
for (let run = 0; run < 5; run++) {
  const started = process.hrtime.bigint()
  ranked = rank(population, project, DEFAULT_AS_OF).personIds.length
  times.push(Number(process.hrtime.bigint() - started) / 1e9)
}
console.log(`rank ${persons} persons for one project: median ${median(times).toFixed(3)} s (runs ${times.map(t => t.toFixed(3)).join(' ')}); ${ranked} eligible and sorted`)
console.log(machine())
