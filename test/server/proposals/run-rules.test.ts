// What a run may spend and whom it may propose: only open projects with a cost per place, the
// budget net of open applications, the project's own score weights and its funding donor's
// preferences, and one writer per project when runs and confirmations meet.
import t from 'tap'
import { runProposals } from '../../../server/proposals/run.js'
import { today } from '../../../server/clock.js'
import { insertProject, register, runFor, world, type World } from './setup.js'

const RULES = { categories: ['dibao'], regionCodes: ['330503'] }

/** Per-capita monthly income 300, 600, 900 (南浔镇) and 400 (双林镇): all 低保. */
async function fourHouseholds ({ county }: World): Promise<number[]> {
  return [
    await register(county, '330503101001', 3600), await register(county, '330503101001', 7200),
    await register(county, '330503101001', 10800), await register(county, '330503102001', 4800)
  ]
}

const openProposals = async (w: World, project: number) =>
  (await w.charity.call({ method: 'GET', url: `/api/v1/projects/${project}/proposals?status=open` })).json() as Array<{ id: number, householdId: number, personId: number, cost: number, explanation: { weights: Record<string, number>, factors: Array<{ factor: string, value: unknown }> } }>

t.test('only open projects with a cost per place are matched', async t => {
  const w = await world(t)
  await fourHouseholds(w)
  const start = async (project: number) => (await w.charity.call({ method: 'POST', url: `/api/v1/projects/${project}/proposal-runs`, payload: {} })).json()
  const costless = await insertProject(w.app, { kind: 'fund', budget: 10000, capacity: 5, eligibility: JSON.stringify(RULES) })
  t.equal((await start(costless)).error.code, 'no_cost_basis', 'no unit cost and no per-item limit: nothing to share the budget by')
  const draft = await insertProject(w.app, { kind: 'fund', budget: 10000, unit_cost: 3000, capacity: 5, eligibility: JSON.stringify(RULES), status: 'draft' })
  t.equal((await start(draft)).error.code, 'project_not_open')

  const limited = await insertProject(w.app, { kind: 'fund', budget: 1000, per_item_limit: 400, capacity: 5, eligibility: JSON.stringify(RULES) })
  t.match((await runFor(w.charity, limited)).summary, { proposed: 2, totalCost: 800 }, 'a per-item limit is the most a place may take: two of ¥400 within ¥1,000')
  t.same((await openProposals(w, limited)).map(p => p.cost), [400, 400])

  await w.app.db.updateTable('projects').set({ status: 'closed' }).where('id', '=', limited).execute()
  const [proposal] = await openProposals(w, limited)
  const refused = await w.county.call({ method: 'POST', url: `/api/v1/proposals/${proposal?.id}/confirm`, payload: {} })
  t.equal(refused.json().error.code, 'project_not_open', 'a closed project confirms nobody')
})

t.test('open applications hold their amounts: a run shares out only the rest', async t => {
  const w = await world(t)
  const households = await fourHouseholds(w)
  const project = await insertProject(w.app, { kind: 'fund', budget: 10000, unit_cost: 3000, capacity: 5, eligibility: JSON.stringify(RULES) })
  const applied = await w.county.call({ method: 'POST', url: `/api/v1/projects/${project}/applications`, payload: { householdId: households[3], statement: '患病住院，急需帮扶', amount: 5000 } })
  t.equal(applied.statusCode, 201, applied.body)
  const run = await runFor(w.charity, project)
  t.match(run.summary, { proposed: 1, totalCost: 3000 }, '¥10,000 less the ¥5,000 asked for leaves one place at ¥3,000')
  t.same((await openProposals(w, project)).map(p => p.householdId).sort(), [households[0], households[3]].sort(), 'the application and the best-ranked household')
})

t.test('a project\'s own weights and its funding donor decide the order', async t => {
  const w = await world(t)
  const households = await fourHouseholds(w)
  const donor = await w.app.db.insertInto('donors').values({ kind: 'enterprise', name: '双林爱心企业', preferences: JSON.stringify({ regionCodes: ['330503102'] }) }).returning('id').executeTakeFirstOrThrow()
  const order = async (fields: { score_weights?: string, funding_donor_id?: number }) => {
    const project = await insertProject(w.app, { kind: 'wish', budget: 10000, unit_cost: 300, capacity: 10, eligibility: JSON.stringify(RULES), ...fields })
    await runFor(w.charity, project)
    return openProposals(w, project)
  }
  const byDefault = await order({})
  t.same(byDefault.map(p => p.householdId), [households[0], households[3], households[1], households[2]], 'by default the lowest income first')
  t.same(byDefault[0]?.explanation.factors.find(f => f.factor === 'donor_fit')?.value, 'no funding donor')

  // Donor fit above all, the income gap only to order the rest.
  const donorFirst = JSON.stringify({ severity: 0, hardship: 0, income_gap: 0.01, little_recent_help: 0, waiting: 0, proximity: 0, donor_fit: 1, urgency: 0 })
  const funded = await order({ score_weights: donorFirst, funding_donor_id: donor.id })
  t.same(funded.map(p => p.householdId), [households[3], households[0], households[1], households[2]], 'the donor\'s town (双林镇) first, then the lowest income')
  t.same(funded[0]?.explanation.weights, JSON.parse(donorFirst), 'the explanation shows the weights used')

  const unfunded = await order({ score_weights: donorFirst })
  t.same(unfunded.map(p => p.householdId), [households[0], households[3], households[1], households[2]], 'with no funding donor nobody fits: income alone')

  t.equal((await w.county.call({ method: 'PATCH', url: `/api/v1/households/${households[2]}`, payload: { hardships: ['serious_illness'] } })).statusCode, 200)
  const caring = await w.app.db.insertInto('donors').values({ kind: 'individual', name: '关爱重病家庭的赵女士', preferences: JSON.stringify({ hardships: ['serious_illness'] }) }).returning('id').executeTakeFirstOrThrow()
  const byHardship = await order({ score_weights: donorFirst, funding_donor_id: caring.id })
  t.equal(byHardship[0]?.householdId, households[2], 'a donor who prefers serious illness: that household first')
})

t.test('two runs of one project at once leave one set of open proposals', async t => {
  const w = await world(t)
  await fourHouseholds(w)
  const project = await insertProject(w.app, { kind: 'wish', budget: 10000, unit_cost: 300, capacity: 3, eligibility: JSON.stringify(RULES) })
  const runs = await w.app.db.insertInto('proposal_runs').values([{ project_id: project, as_of: today() }, { project_id: project, as_of: today() }]).returning('id').execute()
  const summaries = await Promise.all(runs.map(run => runProposals(w.app.db, run.id)))
  t.same(summaries.map(s => s.proposed), [3, 3])
  const open = await openProposals(w, project)
  t.equal(open.length, 3, 'the later writer superseded the earlier one\'s proposals')
  t.equal(new Set(open.map(p => p.personId)).size, 3, 'nobody twice')
})
