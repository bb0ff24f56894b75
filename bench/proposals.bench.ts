// Proposal runs for 200 open projects over ~300,000 households (~1,000,000 persons), end to
// end, as the worker runs them: one live population (server/proposals/live-population.ts) is
// loaded by the first run of the day; before every run it is brought up to date from the change
// log; each run ranks its regions, chooses within budget and writes its proposals with their
// explanations. Staff keep working meanwhile: every tenth run follows 500 household changes,
// which the next run's look reloads.
// Run: node --import tsx bench/proposals.bench.ts [households] [projects]
import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { createRandom } from '../matching/random.js'
import { generateDataset, DEFAULT_AS_OF, type Dataset } from '../scripts/demo-data/index.js'
import { loadDataset } from '../scripts/demo-data/load.js'
import { LivePopulation } from '../server/proposals/live-population.js'
import { runProposals } from '../server/proposals/run.js'
import { machine, median, withDatabase } from './services.js'

const size = Number(process.argv[2] ?? 300000)
const projects = Number(process.argv[3] ?? 200)
const random = createRandom('proposal-bench')
const seconds = (ms: number) => (ms / 1000).toFixed(1)
const CHANGES_EVERY = 10
const CHANGED_HOUSEHOLDS = 500

/**
 * The generated registry with its wishes left verified: they are open needs (the waiting factor
 * reads them) without the hour of one-by-one publication that the runs never look at.
 */
const unpublished = (data: Dataset): Dataset => ({
  ...data,
  households: function * () {
    for (const household of data.households()) yield { ...household, wishes: household.wishes.map(w => ({ ...w, state: 'verified' as const })) }
  }
})

await withDatabase(async db => {
  const data = generateDataset({ seed: 1, households: size })
  const loadStarted = Date.now()
  const counts = await loadDataset(db, { piiEncryptionKey: randomBytes(32), blindIndexKey: randomBytes(32) }, unpublished(data), { asOf: DEFAULT_AS_OF })
  console.log(`registry loaded: ${counts.households} households, ${counts.persons} persons, ${counts.wishes} wishes in ${seconds(Date.now() - loadStarted)} s (not part of the runs)`)

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
  const householdIds = (await db.selectFrom('households').select('id').execute()).map(h => h.id)

  const live = new LivePopulation(db, () => DEFAULT_AS_OF)
  const looks: number[] = []
  let firstLoad = 0
  let changing = 0
  let proposed = 0
  let exact = 0
  const started = Date.now()
  for (const [i, projectId] of projectIds.entries()) {
    if (i > 0 && i % CHANGES_EVERY === 0) {
      const changeStarted = Date.now()
      const ids = Array.from({ length: CHANGED_HOUSEHOLDS }, () => random.pick(householdIds))
      await sql`UPDATE households SET annual_income = annual_income + 12 WHERE id = ANY(${ids}::int[])`.execute(db)
      changing += Date.now() - changeStarted
    }
    const run = await db.insertInto('proposal_runs').values({ project_id: projectId, as_of: DEFAULT_AS_OF }).returning('id').executeTakeFirstOrThrow()
    let lookStarted = Date.now()
    const summary = await runProposals(db, run.id, async progress => {
      if (progress.percent === 5) lookStarted = Date.now()
      if (progress.percent === 40) {
        if (live.lastFreshening.full) firstLoad += Date.now() - lookStarted
        else looks.push(Date.now() - lookStarted)
      }
    }, live)
    proposed += summary.proposed
    if (summary.exact) exact++
  }
  const total = Date.now() - started
  const lookTotal = looks.reduce((a, b) => a + b, 0)
  console.log(`${projects} runs: ${seconds(total - changing)} s end to end (registry changes between runs, ${seconds(changing)} s, not counted)`)
  console.log(`  first look, loading the whole registry: ${seconds(firstLoad)} s`)
  console.log(`  the other ${looks.length} looks: ${seconds(lookTotal)} s in all, median ${median(looks)} ms (with ${CHANGED_HOUSEHOLDS} households changed before every ${CHANGES_EVERY}th run)`)
  console.log(`  ranking, choice and writes: ${seconds(total - changing - firstLoad - lookTotal)} s; ${proposed} proposals written; ${exact} of ${projects} choices exact; RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`)
})
console.log(machine())
