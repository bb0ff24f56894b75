// A proposal run for 200 open projects over ~300,000 households (~950,000 persons), end to
// end: the population loaded once from PostgreSQL, then for each project ranking, the
// budget choice and the proposals written with their explanations. Run:
//   node --import tsx bench/proposals.bench.ts [households] [projects]
import { randomBytes } from 'node:crypto'
import { createRandom } from '../matching/random.js'
import { generateDataset, DEFAULT_AS_OF } from '../scripts/demo-data/index.js'
import { loadDataset } from '../scripts/demo-data/load.js'
import { loadPopulation } from '../server/proposals/population.js'
import { runProposals } from '../server/proposals/run.js'
import { machine, withDatabase } from './services.js'

const size = Number(process.argv[2] ?? 300000)
const projects = Number(process.argv[3] ?? 200)
const random = createRandom('proposal-bench')

await withDatabase(async db => {
  const data = generateDataset({ seed: 1, households: size })
  const loadStarted = Date.now()
  await loadDataset(db, { piiEncryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) }, data, { asOf: DEFAULT_AS_OF })
  console.log(`registry loaded: ${size} households in ${((Date.now() - loadStarted) / 1000).toFixed(1)} s (not part of the run)`)

  const organisation = await db.selectFrom('organisations').select('id').executeTakeFirstOrThrow()
  const towns = data.regions.filter(r => r.level === 'town').map(r => r.code)
  const kinds = ['wish', 'dream_room', 'training_voucher', 'fund'] as const
  const runIds: number[] = []
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
    runIds.push((await db.insertInto('proposal_runs').values({ project_id: project.id, as_of: DEFAULT_AS_OF }).returning('id').executeTakeFirstOrThrow()).id)
  }

  const started = Date.now()
  const population = await loadPopulation(db, { regionPrefixes: [] }, DEFAULT_AS_OF)
  const loaded = Date.now()
  let proposed = 0
  for (const runId of runIds) proposed += (await runProposals(db, runId, async () => {}, population)).proposed
  const finished = Date.now()
  console.log(`${projects} projects over ${population.size.persons} persons: ${((finished - started) / 1000).toFixed(1)} s end to end ` +
    `(population from PostgreSQL ${((loaded - started) / 1000).toFixed(1)} s; ranking, choice and writes ${((finished - loaded) / 1000).toFixed(1)} s); ${proposed} proposals written`)
  console.log(`RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`)
})
console.log(machine())
