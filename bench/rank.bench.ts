// The matcher over ~1,000,000 persons (315,000 generated households), the pure part only:
//   1. building the columnar population from plain records, and its resident memory;
//   2. ranking every person for one project (full sort), median of 5;
//   3. a proposal run's pure part for 200 open projects: ranking (bounded to 4 candidates a
//      place, as the server does) and the budget-and-capacity choice, median of 3;
//   4. replacing single households, as the server does on registry change events.
// Run: node --expose-gc --import tsx bench/rank.bench.ts [households]
import { Population, type PopulationHousehold } from '../matching/population.js'
import { rank, type ProjectSpec } from '../matching/rank.js'
import { knapsack } from '../matching/knapsack.js'
import { createRandom } from '../matching/random.js'
import { CATEGORIES, HELP_KINDS, type HelpKind } from '../matching/domain.js'
import type { ChainEntry } from '../matching/assistance-chain.js'
import { generateDataset, DEFAULT_AS_OF } from '../scripts/demo-data/index.js'
import { machine, median } from './services.js'

const size = Number(process.argv[2] ?? 315000)
const random = createRandom('rank-bench')
const seconds = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e9
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`

global.gc?.()
const before = process.memoryUsage().rss
let entryId = 0
const chainFor = (): ChainEntry[] => random.chance(0.3)
  ? [{ id: ++entryId, source: 'charity', kind: random.pick(HELP_KINDS), tags: random.chance(0.2) ? ['winter_clothing'] : [], value: random.int(100, 15000), occurredOn: `2026-0${random.int(1, 9)}-15`, reverses: null }]
  : []
const population = new Population(DEFAULT_AS_OF, size * 3.4)
const towns = new Set<string>()
let id = 0
let building = 0
for (const h of generateDataset({ seed: 5, households: size }).households()) {
  id++
  const household: PopulationHousehold = {
    id, regionCode: h.regionCode, category: h.intendedCategory, status: h.status, hardships: h.hardships,
    perCapitaMonthlyIncome: h.annualIncome / h.members.length / 12, incomeLine: 2400,
    needSince: random.chance(0.2) ? `2026-0${random.int(1, 9)}-01` : null, chain: chainFor()
  }
  const persons = h.members.map((m, i) => ({ id: id * 10 + i, birthDate: m.birthDate, schoolStage: m.schoolStage }))
  const started = process.hrtime.bigint()
  population.upsert(household, persons)
  building += seconds(started)
  towns.add(h.regionCode.slice(0, 9))
}
global.gc?.()
const rss = process.memoryUsage().rss
const { persons, households } = population.size
console.log(`population: ${households} households, ${persons} persons, ${towns.size} towns; built in ${building.toFixed(2)} s (upserts alone); RSS ${mib(rss)} (process before: ${mib(before)})`)

// 1. One project, everyone ranked.
const project: ProjectSpec = { rules: { kind: 'wish', categories: [...CATEGORIES], notHelpedSameKindMonths: 6, seasonalTags: ['winter_clothing'] }, near: '330503101', urgency: 0.2 }
rank(population, project, DEFAULT_AS_OF)
const times: number[] = []
let eligible = 0
for (let run = 0; run < 5; run++) {
  const started = process.hrtime.bigint()
  eligible = rank(population, project, DEFAULT_AS_OF).personIds.length
  times.push(seconds(started))
}
console.log(`rank ${persons} persons for one project: median ${median(times).toFixed(3)} s (runs ${times.map(t => t.toFixed(3)).join(' ')}); ${eligible} eligible, all sorted`)

// 2. 200 projects: 60 % for one town, 40 % county-wide; per-person costs differ for wishes and funds.
const townList = [...towns].sort()
const projects = Array.from({ length: 200 }, (_, i) => {
  const kind = random.pick(HELP_KINDS) as HelpKind
  const town = random.pick(townList)
  const region = random.chance(0.6) ? town : town.slice(0, 6)
  const capacity = random.int(20, 400)
  const unit = { wish: 400, dream_room: 15000, training_voucher: 600, fund: 3000 }[kind]
  const spec: ProjectSpec = {
    rules: {
      kind, regionCodes: [region], notHelpedSameKindMonths: kind === 'dream_room' ? 36 : 12,
      ...(kind === 'training_voucher' ? { schoolStages: ['kindergarten', 'primary', 'junior'] as const } : {}),
      ...(kind === 'dream_room' ? { minAge: 6, maxAge: 17 } : {})
    },
    near: town,
    donor: random.chance(0.3) ? { hardships: ['serious_illness'] } : null
  }
  return { spec, capacity, kind, unit, budget: Math.round(capacity * unit * (0.5 + random.next() / 2)), index: i }
})
const costOf = (kind: HelpKind, person: number, unit: number) =>
  kind === 'wish' ? 100 + (person * 7919) % 8 * 100 : kind === 'fund' ? 1000 + (person * 104729) % 5 * 1000 : unit
const runTimes: number[] = []
let summary = ''
for (let run = 0; run < 3; run++) {
  let rankSeconds = 0
  let chooseSeconds = 0
  let proposed = 0
  let exact = 0
  let worstGap = 0
  for (const p of projects) {
    const started = process.hrtime.bigint()
    const ranking = rank(population, p.spec, DEFAULT_AS_OF, undefined, p.capacity * 4)
    rankSeconds += seconds(started)
    const chooseStarted = process.hrtime.bigint()
    const items = Array.from(ranking.personIds, (person, i) => ({ id: i, value: ranking.scores[i] as number, cost: costOf(p.kind, person, p.unit) }))
    const choice = knapsack(items, p.budget, p.capacity)
    chooseSeconds += seconds(chooseStarted)
    proposed += choice.chosen.length
    if (choice.exact) exact++
    worstGap = Math.max(worstGap, choice.gap)
  }
  runTimes.push(rankSeconds + chooseSeconds)
  summary = `ranking ${rankSeconds.toFixed(2)} s + choice ${chooseSeconds.toFixed(2)} s; ${proposed} proposed; ${exact}/200 choices exact, largest proven gap ${(worstGap * 100).toFixed(3)} %`
}
console.log(`200 projects, ranking + budget choice: median ${median(runTimes).toFixed(2)} s (runs ${runTimes.map(t => t.toFixed(2)).join(' ')}); last run: ${summary}`)

// 3. Keeping it current: replace households one at a time.
const replaceTimes: number[] = []
for (let run = 0; run < 5; run++) {
  const started = process.hrtime.bigint()
  for (let k = 0; k < 10000; k++) {
    const householdId = random.int(1, size)
    const current = population.get(householdId)
    if (!current) continue
    population.upsert({ ...current, chain: chainFor() }, current.persons)
  }
  replaceTimes.push(seconds(started))
}
global.gc?.()
console.log(`replace 10,000 single households (read back, upsert with a new chain): median ${median(replaceTimes).toFixed(3)} s; RSS after ${mib(process.memoryUsage().rss)}`)
console.log(machine())
