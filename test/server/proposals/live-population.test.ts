// The worker's live population: loaded once for its day, then each look reloads exactly the
// households the change log names — whatever wrote them (routes, direct SQL, a transaction
// that began before the look and committed after it) — and reloads everything when a policy
// parameter moves the income lines. Runs read it and count only their project's regions.
import t from 'tap'
import { sql } from 'kysely'
import { LivePopulation, pruneChangeLog } from '../../../server/proposals/live-population.js'
import { runProposals } from '../../../server/proposals/run.js'
import { today } from '../../../server/clock.js'
import { signIn } from '../../helpers/accounts.js'
import { makeResidentId } from '../../../matching/resident-id.js'
import { insertProject, register, world } from './setup.js'

t.test('a look reloads what changed since the last one, and only that', async t => {
  const { app, county } = await world(t)
  const first = await register(county, '330503101001', 3600)
  const second = await register(county, '330503102001', 7200)
  const live = new LivePopulation(app.db)

  const population = await live.current(today())
  t.same(live.lastFreshening, { full: true, households: 2 }, 'the first look loads everything')
  t.equal(population?.size.persons, 2)
  t.equal(await live.current('2020-01-01'), undefined, 'another day is not served: that run loads its own regions')

  t.equal(await live.current(today()), population, 'the same store, kept')
  t.same(live.lastFreshening, { full: false, households: 0 }, 'nothing changed, nothing read')

  const changed = await county.call({ method: 'PATCH', url: `/api/v1/households/${first}`, payload: { annualIncome: 1200 } })
  t.equal(changed.statusCode, 200, changed.body)
  await live.current(today())
  t.same(live.lastFreshening, { full: false, households: 1 }, 'one household changed through the API')
  t.equal(population?.get(first)?.perCapitaMonthlyIncome, 100, 'its new income is in the store')

  const third = await register(county, '330503101001', 4800)
  await app.db.insertInto('assistance_entries').values({ household_id: second, source: 'charity', kind: 'wish', value: 300, occurred_on: today(), provider: '测试慈善', reference: 'test' }).execute()
  await live.current(today())
  t.same(live.lastFreshening, { full: false, households: 2 }, 'a new household and a chain entry written by hand')
  t.equal(population?.get(third)?.perCapitaMonthlyIncome, 400)
  t.equal(population?.get(second)?.charityValueLast12Months, 300)

  // A transaction that began before a look and commits after it: its change is not lost.
  let commit!: () => void
  const held = new Promise<void>(resolve => { commit = resolve })
  const late = app.db.transaction().execute(async trx => {
    await trx.updateTable('households').set({ hardships: ['disaster'] }).where('id', '=', third).execute()
    await held
  })
  await live.current(today())
  t.same(population?.get(third)?.hardships, [], 'not committed yet: not seen')
  commit()
  await late
  await live.current(today())
  t.same(population?.get(third)?.hardships, ['disaster'], 'committed after the look began: picked up by the next one')
  t.same(live.lastFreshening, { full: false, households: 1 }, 'and only that household')

  const admin = await signIn(app, 'admin')
  const version = await admin.call({ method: 'POST', url: '/api/v1/policy/profiles/nanxun-2025/parameters', payload: { key: 'dibaoMonthly', value: 1100, effectiveFrom: '2026-06-01', note: '新标准' } })
  t.equal(version.statusCode, 201, version.body)
  const reloaded = await live.current(today())
  t.same(live.lastFreshening, { full: true, households: 3 }, 'a new standard moves every income line: everything is read again')
  t.equal(reloaded?.get(first)?.incomeLine, 2200, 'the edge line at the new standard (2 × 1,100, under the minimum wage)')
})

t.test('a run over the live population counts its own regions only, and sees the chain of a moment ago', async t => {
  const { app, county } = await world(t)
  await register(county, '330503101001', 3600)
  const elsewhere = await register(county, '330503102001', 3600)
  const project = await insertProject(app, { kind: 'fund', budget: 9000, unit_cost: 3000, capacity: 3, eligibility: JSON.stringify({ regionCodes: ['330503101'] }) })
  const live = new LivePopulation(app.db)
  const run = async () => {
    const row = await app.db.insertInto('proposal_runs').values({ project_id: project, as_of: today() }).returning('id').executeTakeFirstOrThrow()
    return runProposals(app.db, row.id, undefined, live)
  }
  t.match(await run(), { population: 1, eligible: 1, proposed: 1, excluded: { region: 0 } }, '双林镇 is outside the project, not excluded from it')
  t.equal((await live.current(today()))?.size.households, 2, 'while the store holds the whole registry')

  // Households do not move through the API (a move is a new registration); a records office's direct correction still reaches the store.
  await app.db.updateTable('households').set({ region_code: '330503101001' }).where('id', '=', elsewhere).execute()
  t.match(await run(), { population: 2, eligible: 2 }, 'a household moved into the town is in the next run')
})

t.test('income is measured as the household\'s classification assessed it', async t => {
  const { app, county } = await world(t)
  const registered = await county.call({
    method: 'POST', url: '/api/v1/households',
    payload: {
      regionCode: '330503101001', annualIncome: 24000, propertyCompliant: true,
      members: [{ name: '吴师傅', idNumber: makeResidentId('330503', '1980-08-08', 7, 'male'), relation: 'head', laborCapacity: 'full', employed: true }]
    }
  })
  t.equal(registered.statusCode, 201, registered.body)
  const id = registered.json().id
  const decision = await app.db.selectFrom('category_decisions').select('per_capita_monthly_income').where('household_id', '=', id).executeTakeFirstOrThrow()
  t.equal(decision.per_capita_monthly_income, 1500, 'gross ¥2,000 a month less Nanxun\'s demo deduction of ¥500 for the employed member')
  t.equal((await new LivePopulation(app.db).current(today()))?.get(id)?.perCapitaMonthlyIncome, 1500, 'the income-gap factor reads the assessed income')
})

t.test('the change log is pruned beyond the life of a population', async t => {
  const { app, county } = await world(t)
  await register(county, '330503101001', 3600)
  await sql`INSERT INTO population_changes (household_id, changed_at) VALUES (1, now() - interval '3 days'), (2, now() - interval '47 hours')`.execute(app.db)
  const before = await app.db.selectFrom('population_changes').select(eb => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  t.equal(await pruneChangeLog(app.db), 1, 'only the row older than two days')
  const after = await app.db.selectFrom('population_changes').select(eb => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()
  t.equal(Number(after.n), Number(before.n) - 1)
})
