// Proposal runs as jobs: progress with counts, who may follow a run, a failed run retried by
// bull (its writes are all or nothing), and the inputs a run now reads: the half-year deadline
// of training vouchers and how long a household's open need has waited.
import t from 'tap'
import { sql } from 'kysely'
import { runProposals, type RunProgress } from '../../../server/proposals/run.js'
import { now, setClock, today } from '../../../server/clock.js'
import { signIn } from '../../helpers/accounts.js'
import { finishedRun, insertProject, register, runFor, world } from './setup.js'

const FUND = { kind: 'fund' as const, budget: 10000, unit_cost: 3000, capacity: 5, eligibility: JSON.stringify({ categories: ['dibao'], regionCodes: ['330503'] }) }
const daysAgo = (days: number) => new Date(now() - days * 86_400_000)

t.test('progress reports percent and counts; the job\'s report outlives the job', async t => {
  const { app, county, charity } = await world(t)
  for (const income of [3600, 7200, 10800, 4800]) await register(county, income === 4800 ? '330503102001' : '330503101001', income)
  const project = await insertProject(app, FUND)
  const run = await app.db.insertInto('proposal_runs').values({ project_id: project, as_of: today() }).returning('id').executeTakeFirstOrThrow()
  const reports: RunProgress[] = []
  await runProposals(app.db, run.id, async progress => { reports.push(progress) })
  t.same(reports.map(r => r.percent), [5, 40, 70, 99, 100])
  t.same(reports[1], { percent: 40, population: 4, eligible: null, proposed: 0 }, 'population first, eligible not counted yet')
  t.same(reports.at(-1), { percent: 100, population: 4, eligible: 4, proposed: 3 })

  const started = (await charity.call({ method: 'POST', url: `/api/v1/projects/${project}/proposal-runs`, payload: {} })).json()
  t.match(await finishedRun(charity, started.runId), { progress: { percent: 100, population: 4, eligible: 4, proposed: 3 } })
  await (await app.queues.proposals.getJob(`proposal-run-${started.runId}`))?.remove()
  t.match((await charity.call({ method: 'GET', url: `/api/v1/proposal-runs/${started.runId}` })).json(), { status: 'completed', progress: { percent: 100, population: 4, eligible: 4, proposed: 3 } }, 'from the summary once bull dropped the job')
})

t.test('who may follow a run', async t => {
  const { app, county, town, charity } = await world(t)
  const other = await app.db.insertInto('organisations').values({ name: '双林镇慈善分会', region_code: '330503102' }).returning('id').executeTakeFirstOrThrow()
  const theirs = await insertProject(app, { ...FUND, organisation_id: other.id, eligibility: JSON.stringify({ regionCodes: ['330503102'] }) })
  const ours = await insertProject(app, { ...FUND, eligibility: JSON.stringify({ regionCodes: ['330503101'] }) })
  const admin = await signIn(app, 'admin')
  const theirRun = (await admin.call({ method: 'POST', url: `/api/v1/projects/${theirs}/proposal-runs`, payload: {} })).json().runId
  const ourRun = (await charity.call({ method: 'POST', url: `/api/v1/projects/${ours}/proposal-runs`, payload: {} })).json().runId
  const status = async (session: typeof county, runId: number) => (await session.call({ method: 'GET', url: `/api/v1/proposal-runs/${runId}` })).statusCode
  const auditor = await signIn(app, 'auditor')
  const donor = await signIn(app, 'donor-person')
  t.same([await status(charity, ourRun), await status(charity, theirRun)], [200, 403], 'charity staff: their organisation\'s runs only')
  t.same([await status(town, ourRun), await status(town, theirRun)], [200, 403], '南浔镇 staff: runs of projects reaching 南浔镇')
  t.same([await status(county, ourRun), await status(county, theirRun)], [200, 200], 'the county reaches both towns')
  t.same([await status(auditor, theirRun), await status(admin, theirRun), await status(donor, ourRun)], [200, 200, 403])
  t.equal(await status(admin, 999999), 404)
})

t.test('a failed run is retried by bull and writes its proposals once', async t => {
  const { app, county, charity } = await world(t)
  for (const income of [3600, 7200, 10800]) await register(county, '330503101001', income)
  const project = await insertProject(app, FUND)
  await runFor(charity, project)
  const firstIds = (await app.db.selectFrom('proposals').select('id').where('status', '=', 'open').execute()).map(p => p.id)
  t.equal(firstIds.length, 3)

  // The rerun's write fails once, after it has superseded the open proposals in its transaction.
  await sql`
    CREATE SEQUENCE fail_once;
    CREATE FUNCTION fail_once () RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF nextval('fail_once') = 1 THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NULL; END $$;
    CREATE TRIGGER fail_once BEFORE INSERT ON proposals FOR EACH STATEMENT EXECUTE FUNCTION fail_once ();
  `.execute(app.db)
  const runId = (await charity.call({ method: 'POST', url: `/api/v1/projects/${project}/proposal-runs`, payload: {} })).json().runId
  t.match(await finishedRun(charity, runId), { status: 'failed' })
  t.same((await app.db.selectFrom('proposals').select('id').where('status', '=', 'open').execute()).map(p => p.id), firstIds, 'nothing of the failed attempt remains')

  const job = await app.queues.proposals.getJob(`proposal-run-${runId}`)
  t.ok(await job?.isFailed())
  await job?.retry()
  // The run still reads failed until the retried job starts: wait for the job itself.
  await (await app.queues.proposals.getJob(`proposal-run-${runId}`))?.finished()
  t.match(await finishedRun(charity, runId), { status: 'completed', summary: { proposed: 3 } })
  const proposals = await app.db.selectFrom('proposals').select(['person_id', 'status', 'run_id']).execute()
  t.same(proposals.filter(p => p.status === 'open').map(p => p.run_id), [runId, runId, runId], 'the retry wrote one set')
  t.equal(proposals.filter(p => p.status === 'superseded').length, 3, 'the first run\'s proposals were superseded once')
})

t.test('training vouchers carry the half-year deadline; waiting counts from the oldest open need', async t => {
  // 1 October, noon in China: 92 of the second half-year's 184 days have passed.
  const at = Date.parse('2026-10-01T12:00:00+08:00')
  setClock(() => at)
  t.teardown(() => setClock())
  const { app, county, charity } = await world(t)
  const child = await register(county, '330503101001', 3600, [['2014-05-01', 'primary']])
  const waiting = await register(county, '330503101001', 3600)
  const persons = await app.db.selectFrom('persons').select(['id', 'household_id']).where('household_id', 'in', [child, waiting]).orderBy('id').execute()
  const head = persons.find(p => p.household_id === waiting)?.id as number
  const wish = { person_id: head, household_id: waiting, region_code: '330503101001', category: 'clothing', item: '冬衣', value: 200 }
  await app.db.insertInto('wishes').values([
    { ...wish, state: 'verified', created_at: daysAgo(200) },
    { ...wish, state: 'draft', created_at: daysAgo(300) } // not yet verified: not a need anyone can meet
  ]).execute()
  const room = { region_code: '330503101001', room_condition: '漏雨', budget_estimate: 15000 }
  await app.db.insertInto('dream_rooms').values({ ...room, household_id: waiting, person_id: head, created_at: daysAgo(100) }).execute()
  // A surveyed room a project already funds waits for nobody.
  const funder = await insertProject(app, { kind: 'dream_room', budget: 15000, unit_cost: 15000, capacity: 1 })
  const childId = persons.filter(p => p.household_id === child).at(-1)?.id as number
  await app.db.insertInto('dream_rooms').values({ ...room, household_id: child, person_id: childId, project_id: funder, created_at: daysAgo(300) }).execute()

  const voucher = await insertProject(app, { kind: 'training_voucher', budget: 8000, unit_cost: 800, capacity: 10, eligibility: JSON.stringify({ schoolStages: ['primary', 'junior'] }) })
  await runFor(charity, voucher)
  const [placed] = (await charity.call({ method: 'GET', url: `/api/v1/projects/${voucher}/proposals` })).json()
  t.equal(placed.explanation.parameters.asOf, '2026-10-01')
  t.equal(placed.explanation.parameters.deadline, 0.5, 'how far into the half-year today is')
  t.match(placed.explanation.factors.find((f: { factor: string }) => f.factor === 'urgency'), { normalised: 0.75, value: 'deadline 0.50; not yet helped this half-year' }, 'half the deadline, half not yet helped')

  const fund = await insertProject(app, FUND)
  await runFor(charity, fund)
  const proposals = (await charity.call({ method: 'GET', url: `/api/v1/projects/${fund}/proposals` })).json()
  const waitingFor = (household: number) => proposals.find((p: { householdId: number }) => p.householdId === household).explanation.factors.find((f: { factor: string }) => f.factor === 'waiting').value
  t.equal(waitingFor(waiting), 200, 'the verified wish raised 200 days ago (the draft does not count)')
  t.equal(waitingFor(child), 0, 'its surveyed room is funded: no open need')
})

t.test('one call starts the runs of every open project of the organisation, each refused on its own', async t => {
  const { app, county, charity } = await world(t)
  for (const income of [3600, 7200]) await register(county, '330503101001', income)
  const fund = await insertProject(app, FUND)
  const wishes = await insertProject(app, { ...FUND, kind: 'wish', unit_cost: 300 })
  const costless = await insertProject(app, { ...FUND, unit_cost: null })
  await insertProject(app, { ...FUND, status: 'draft' })
  const other = await app.db.insertInto('organisations').values({ name: '双林镇慈善分会', region_code: '330503102' }).returning('id').executeTakeFirstOrThrow()
  const theirs = await insertProject(app, { ...FUND, organisation_id: other.id })

  const all = await charity.call({ method: 'POST', url: '/api/v1/proposal-runs', payload: {} })
  t.equal(all.statusCode, 202, all.body)
  t.same(all.json().runs.map((r: { projectId: number }) => r.projectId), [fund, wishes], 'the open projects of 南浔区慈善总会 (not the draft, not another organisation\'s)')
  t.same(all.json().refused, [{ projectId: costless, error: { code: 'no_cost_basis', message: all.json().refused[0]?.error.message } }])
  for (const { runId } of all.json().runs) t.match(await finishedRun(charity, runId), { status: 'completed', summary: { proposed: 2 } })

  const named = (await charity.call({ method: 'POST', url: '/api/v1/proposal-runs', payload: { projectIds: [theirs, 999999, fund] } })).json()
  t.same(named.runs.map((r: { projectId: number }) => r.projectId), [fund])
  t.same(named.refused.map((r: { projectId: number, error: { code: string } }) => [r.projectId, r.error.code]), [[999999, 'not_found'], [theirs, 'forbidden']])
  t.equal((await county.call({ method: 'POST', url: '/api/v1/proposal-runs', payload: {} })).statusCode, 403, 'civil affairs do not start runs')
})
