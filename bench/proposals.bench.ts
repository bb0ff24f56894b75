// Proposal runs for 200 open projects over ~300,000 households (~950,000 persons), end to
// end, two ways:
//   1. as the server's job runs them: each run loads its project's regions from PostgreSQL
//      (households, members, chain, help confirmed but not received, open needs), ranks,
//      chooses within budget and writes its proposals with their explanations;
//   2. as a batch sharing one population loaded once (runProposals' `population` argument;
//      no server job does this yet).
// Run: node --import tsx bench/proposals.bench.ts [households] [projects]
import { randomBytes } from 'node:crypto'
import { createRandom } from '../matching/random.js'
import { generateDataset, DEFAULT_AS_OF } from '../scripts/demo-data/index.js'
import { loadDataset } from '../scripts/demo-data/load.js'
import type { Population } from '../matching/population.js'
import type { Db } from '../server/db/database.js'
import { loadPopulation } from '../server/proposals/population.js'
import { runProposals } from '../server/proposals/run.js'
import { machine, withDatabase } from './services.js'

const size = Number(process.argv[2] ?? 300000)
const projects = Number(process.argv[3] ?? 200)
const random = createRandom('proposal-bench')
const seconds = (ms: number) => (ms / 1000).toFixed(1)

/** A run of every project; returns the time spent loading populations and the runs' totals. */
async function runAll (db: Db, projectIds: number[], population?: Population) {
  let loading = 0
  let proposed = 0
  let exact = 0
  let candidates = 0
  for (const projectId of projectIds) {
    const run = await db.insertInto('proposal_runs').values({ project_id: projectId, as_of: DEFAULT_AS_OF }).returning('id').executeTakeFirstOrThrow()
    let started = Date.now()
    const summary = await runProposals(db, run.id, async progress => {
      if (progress.percent === 5) started = Date.now()
      if (progress.percent === 40) loading += Date.now() - started
    }, population)
    proposed += summary.proposed
    candidates += summary.candidates
    if (summary.exact) exact++
  }
  return { loading, proposed, exact, candidates }
}

await withDatabase(async db => {
  const data = generateDataset({ seed: 1, households: size })
  const loadStarted = Date.now()
  await loadDataset(db, { piiEncryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) }, data, { asOf: DEFAULT_AS_OF })
  console.log(`registry loaded: ${size} households in ${seconds(Date.now() - loadStarted)} s (not part of the runs)`)

  const organisation = await db.selectFrom('organisations').select('id').executeTakeFirstOrThrow()
  const towns = data.regions.filter(r => r.level === 'town').map(r => r.code)
  const kinds = ['wish', 'dream_room', 'training_voucher', 'fund'] as const
  const projectIds: number[] = []
  for (let i = 0; i < projects; i++) {
    const kind = random.pick(kinds)
    const unitCost = kind === 'dream_room' ? 15000 : kind === 'fund' ? 3000 : kind === 'training_voucher' ? 800 : 300
    const capacity = random.int(20, 400)
    const eligibility = {
      categories: random.chance(0.5) ? ['tekun', 'dibao', 'dibao_edge'] : ['dibao', 'dibao_edge', 'rigid_expense', 'low_income_support', 'fanpin_monitor'],
      regionCodes: random.chance(0.6) ? [random.pick(towns)] : [random.pick(['330503', '419001'])],
      ...(kind === 'training_voucher' ? { schoolStages: ['kindergarten', 'primary', 'junior'] } : {}),
      ...(kind === 'dream_room' ? { minAge: 6, maxAge: 16, notHelpedSameKindMonths: 36 } : {})
    }
    const project = await db.insertInto('projects').values({
      organisation_id: organisation.id, kind, title: `项目 ${i + 1}`, budget: unitCost * capacity * random.int(5, 10) / 10, unit_cost: unitCost, capacity,
      eligibility: JSON.stringify(eligibility), status: 'open'
    }).returning('id').executeTakeFirstOrThrow()
    projectIds.push(project.id)
  }

  const report = (label: string, started: number, result: Awaited<ReturnType<typeof runAll>>, loading = result.loading) =>
    console.log(`${label}: ${seconds(Date.now() - started)} s end to end (populations from PostgreSQL ${seconds(loading)} s); ` +
      `${result.proposed} proposals written; ${result.exact} of ${projects} choices exact over their ${result.candidates} candidates; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`)

  const perRun = Date.now()
  report(`${projects} runs as the job runs them (each loads its regions)`, perRun, await runAll(db, projectIds))

  // The same projects again (the first runs' open proposals are superseded), sharing one population.
  const batch = Date.now()
  const population = await loadPopulation(db, { regionPrefixes: [] }, DEFAULT_AS_OF)
  const loaded = Date.now() - batch
  report(`${projects} runs sharing one population of ${population.size.persons} persons`, batch, await runAll(db, projectIds, population), loaded)
})
console.log(machine())
