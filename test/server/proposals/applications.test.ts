// Fund applications: civil-affairs staff of the household's region apply for an open fund
// project; the matcher checks the household (a refusal names the rule); the application is
// an open proposal that runs leave alone and that is confirmed and fulfilled like the others.
import t from 'tap'
import { signIn } from '../../helpers/accounts.js'
import { insertProject, lastAudit, register, runFor, world } from './setup.js'

const FUND = { kind: 'fund' as const, budget: 20000, unit_cost: 3000, per_item_limit: 5000, capacity: 2, eligibility: JSON.stringify({ categories: ['dibao', 'dibao_edge'], regionCodes: ['330503'], tags: ['industry'] }) }

t.test('an application is checked by the matcher and waits for confirmation with the proposals', async t => {
  const w = await world(t)
  const { app, county, town, charity } = w
  const poor = await register(county, '330503101001', 3600, [['2012-02-01', 'junior']])
  const other = await register(county, '330503101001', 4800)
  const rich = await register(county, '330503101001', 240000)
  const elsewhere = await register(county, '330503102001', 3600)
  const project = await insertProject(app, FUND)
  const apply = (session: typeof town, payload: Record<string, unknown>, id = project) => session.call({ method: 'POST', url: `/api/v1/projects/${id}/applications`, payload })
  const statement = '家中主要劳动力因病失去收入，申请产业帮扶资金购买种苗'

  const submitted = await apply(town, { householdId: poor, statement, amount: 4000 })
  t.equal(submitted.statusCode, 201, submitted.body)
  const head = await app.db.selectFrom('persons').select('id').where('household_id', '=', poor).orderBy('id').executeTakeFirstOrThrow()
  t.match(submitted.json(), { householdId: poor, personId: head.id, cost: 4000, status: 'open' })
  t.match(await lastAudit(app, 'match.apply'), { record_id: String(submitted.json().id), after: { statement } })
  const listed = (await charity.call({ method: 'GET', url: `/api/v1/projects/${project}/proposals?source=application` })).json()
  t.match(listed, [{ id: submitted.json().id, source: 'application', rank: 0, cost: 4000, statement, tags: ['industry'], explanation: { application: { statement, amount: 4000 }, windows: [{ id: 'fund_12_months' }] } }])
  t.ok(listed[0].explanation.factors.length === 8 && listed[0].score > 0, 'explained like a run\'s proposal')
  t.same((await charity.call({ method: 'GET', url: `/api/v1/projects/${project}/proposals?source=run` })).json(), [])

  const refusal = async (session: typeof town, payload: Record<string, unknown>, id = project) => {
    const response = await apply(session, payload, id)
    return [response.statusCode, response.json().error?.code]
  }
  const notEligible = await apply(town, { householdId: rich, statement })
  t.match(notEligible.json().error, { code: 'not_eligible', message: /低收入类别不符/, details: [{ code: 'category' }] }, 'the refusal names the rule')
  t.same(await refusal(town, { householdId: poor, statement }), [409, 'already_proposed'])
  t.same(await refusal(town, { householdId: elsewhere, statement }), [404, 'not_found'], 'another town\'s household is out of reach')
  t.same(await refusal(town, { householdId: other, personId: head.id, statement }), [409, 'person_not_in_household'])
  t.same(await refusal(town, { householdId: other, statement, amount: 6000 }), [409, 'over_item_limit'])
  t.same(await refusal(charity, { householdId: other, statement }), [403, 'forbidden'], 'charity staff do not apply for households')
  const wishes = await insertProject(app, { kind: 'wish', budget: 3000, unit_cost: 300, capacity: 10 })
  t.same(await refusal(town, { householdId: other, statement }, wishes), [409, 'not_a_fund_project'])
  const closed = await insertProject(app, { ...FUND, status: 'closed' })
  t.same(await refusal(town, { householdId: other, statement }, closed), [409, 'project_not_open'])
  t.same(await refusal(town, { householdId: other, statement: '短' }), [400, 'validation_failed'])

  // A run leaves the open application alone, keeps its place, and proposes the rest.
  const run = await runFor(charity, project)
  t.match(run.summary, { eligible: 4, proposed: 1 }, 'two eligible households besides the applicant, but capacity 2 and one place held by the application')
  const open = (await charity.call({ method: 'GET', url: `/api/v1/projects/${project}/proposals` })).json()
  t.same(open.map((p: { source: string, householdId: number }) => [p.source, p.householdId]), [['application', poor], ['run', elsewhere]])

  // Confirmed and fulfilled through the same path.
  const confirmed = await town.call({ method: 'POST', url: `/api/v1/proposals/${submitted.json().id}/confirm`, payload: {} })
  t.match(confirmed.json(), { status: 'confirmed', duplicateCheck: { verdict: 'clear' } })
  t.match((await town.call({ method: 'GET', url: `/api/v1/proposals/${submitted.json().id}/fulfilment` })).json(), { state: 'in_progress', kind: 'fund' })
  const { committed } = await app.db.selectFrom('projects').select('committed').where('id', '=', project).executeTakeFirstOrThrow()
  t.equal(committed, 4000, 'the amount applied for is committed')
  await runFor(charity, project)
  t.match((await charity.call({ method: 'GET', url: `/api/v1/projects/${project}/proposals?status=confirmed` })).json(), [{ source: 'application', householdId: poor }], 'a rerun keeps it')

  const auditor = await signIn(app, 'auditor')
  t.equal((await apply(auditor, { householdId: other, statement })).statusCode, 403, 'auditors change nothing')
})
