// A proposal run end to end: the bull job ranks and chooses within budget, staff of the
// household's region confirm (with the duplicate check) or reject, reruns keep confirmations;
// and the full loop — run, confirm, fulfil, chain — after which the next run ranks the
// household lower by its score alone.
import t, { type Test } from 'tap'
import { insertProject, lastAudit, register, runFor, world, type World } from './setup.js'

const FUND_RULES = { categories: ['tekun', 'dibao', 'dibao_edge'], regionCodes: ['330503'] }

/** Per-capita monthly income 300, 600, 900 (南浔镇) and 400 (双林镇): all 低保 under the 1,200 demo standard. */
async function fourHouseholds ({ county }: World): Promise<number[]> {
  return [
    await register(county, '330503101001', 3600), await register(county, '330503101001', 7200),
    await register(county, '330503101001', 10800), await register(county, '330503102001', 4800)
  ]
}

const proposalsOf = async (w: World, project: number, query = '') => (await w.charity.call({ method: 'GET', url: `/api/v1/projects/${project}/proposals${query}` })).json()

t.test('a run proposes within budget, explains itself, and staff decide in their region', async t => {
  const w = await world(t)
  const { app, charity, town } = w
  const households = await fourHouseholds(w)
  const project = await insertProject(app, { kind: 'fund', budget: 10000, unit_cost: 3000, capacity: 5, eligibility: JSON.stringify(FUND_RULES) })

  t.equal((await town.call({ method: 'POST', url: `/api/v1/projects/${project}/proposal-runs`, payload: {} })).statusCode, 403, 'civil affairs do not start runs')
  const run = await runFor(charity, project)
  t.match(run, { status: 'completed', progress: { percent: 100, population: 4, eligible: 4, proposed: 3 }, summary: { eligible: 4, candidates: 4, proposed: 3, totalCost: 9000, exact: true } }, '¥10,000 buys three places at ¥3,000')

  const all = await proposalsOf(w, project)
  t.same(all.map((p: { householdId: number }) => p.householdId), [households[0], households[3], households[1]], 'lowest income first; the fourth does not fit the budget')
  t.same(all[0].explanation.factors.map((f: { factor: string }) => f.factor), ['severity', 'hardship', 'income_gap', 'little_recent_help', 'waiting', 'proximity', 'donor_fit', 'urgency'])
  t.match(all[0].explanation, { budget: { remaining: 10000, chosenTotal: 9000 }, excludedByRule: { category: 0 }, windows: [{ id: 'fund_12_months' }] })
  t.match(all[0].explanation.factors.find((f: { factor: string }) => f.factor === 'donor_fit'), { value: 'no funding donor', contribution: 0 }, 'projects have no funding donor, and the explanation says so')
  const mine = (await town.call({ method: 'GET', url: `/api/v1/projects/${project}/proposals` })).json()
  t.same(mine.map((p: { regionCode: string }) => p.regionCode.slice(0, 9)), ['330503101', '330503101'], 'a town clerk sees the town\'s proposals only')

  const elsewhere = all.find((p: { householdId: number }) => p.householdId === households[3])
  t.equal((await town.call({ method: 'POST', url: `/api/v1/proposals/${elsewhere.id}/confirm`, payload: {} })).statusCode, 404)
  const first = await town.call({ method: 'POST', url: `/api/v1/proposals/${all[0].id}/confirm`, payload: {} })
  t.equal(first.statusCode, 200, first.body)
  t.match(first.json(), { status: 'confirmed', duplicateCheck: { verdict: 'clear' } })
  t.equal((await town.call({ method: 'POST', url: `/api/v1/proposals/${all[0].id}/confirm`, payload: {} })).statusCode, 409, 'only open proposals')

  // The second household had a charity fund grant two months ago: a duplicate.
  const twoMonthsAgo = new Date(Date.now() - 60 * 86_400_000).toISOString().slice(0, 10)
  const grant = await app.db.insertInto('assistance_entries').values({ household_id: households[1] as number, source: 'charity', kind: 'fund', value: 2000, occurred_on: twoMonthsAgo, provider: '区慈善总会' }).returning('id').executeTakeFirstOrThrow()
  const second = all.find((p: { householdId: number }) => p.householdId === households[1])
  const blocked = await town.call({ method: 'POST', url: `/api/v1/proposals/${second.id}/confirm`, payload: {} })
  t.equal(blocked.statusCode, 409)
  t.match(blocked.json().error, { code: 'duplicate_assistance', details: [{ code: 'fund_12_months', entryId: grant.id, pending: null }] })
  const reason = '家中新增重病患者，经村委会议同意再次帮扶'
  const overridden = await town.call({ method: 'POST', url: `/api/v1/proposals/${second.id}/confirm`, payload: { overrideReason: reason } })
  t.equal(overridden.statusCode, 200)
  t.equal(overridden.json().overrideReason, reason)
  const audited = await lastAudit(app, 'match.confirm_override')
  t.match(audited, { record_id: String(second.id), after: { status: 'confirmed', overrideReason: reason, duplicateCheck: { verdict: 'duplicate', rule: 'fund_12_months' } } }, 'the override and its reason are audited')
  const { committed } = await app.db.selectFrom('projects').select('committed').where('id', '=', project).executeTakeFirstOrThrow()
  t.equal(committed, 6000)

  const { county } = w
  t.equal((await county.call({ method: 'POST', url: `/api/v1/proposals/${elsewhere.id}/reject`, payload: {} })).statusCode, 400, 'a reason is required')
  const rejected = await county.call({ method: 'POST', url: `/api/v1/proposals/${elsewhere.id}/reject`, payload: { reason: '已获其他项目帮扶' } })
  t.match(rejected.json(), { status: 'rejected', reason: '已获其他项目帮扶' })

  // A rerun: confirmations stay; ¥4,000 is left, enough for one place.
  const rerun = await runFor(charity, project)
  t.match(rerun.summary, { proposed: 1, totalCost: 3000 })
  const confirmed = await proposalsOf(w, project, '?status=confirmed')
  t.equal(confirmed.length, 2)
  t.match(confirmed.find((p: { id: number }) => p.id === second.id), { overrideReason: reason, duplicateCheck: { verdict: 'duplicate', conflicting: { id: grant.id } } }, 'the verdict is kept with the proposal')
  const open = await proposalsOf(w, project)
  t.equal(open.length, 1)
  t.equal(open[0].householdId, households[2], 'neither the confirmed nor the rejected household is proposed again')

  await app.db.updateTable('projects').set({ committed: 9000 }).where('id', '=', project).execute()
  const broke = await town.call({ method: 'POST', url: `/api/v1/proposals/${open[0].id}/confirm`, payload: {} })
  t.equal(broke.statusCode, 409)
  t.equal(broke.json().error.code, 'budget_exceeded', 'a project never commits more than its budget')
})

/** Evidence, delivery and receipt of one confirmed proposal; returns the receipt's body. */
async function fulfil (t: Test, { app, charity, town }: World, proposal: number) {
  t.match((await town.call({ method: 'GET', url: `/api/v1/proposals/${proposal}/fulfilment` })).json(), { state: 'in_progress', overdue: false, evidence: [] })
  t.equal((await charity.call({ method: 'POST', url: `/api/v1/proposals/${proposal}/delivered`, payload: {} })).json().error.code, 'evidence_required')
  const fake = await charity.call({ method: 'POST', url: `/api/v1/proposals/${proposal}/evidence?fileName=photo.png`, headers: { 'content-type': 'image/png' }, payload: Buffer.from('MZ not really a picture') })
  t.equal(fake.statusCode, 415, 'the content decides, not the declared type')
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)])
  t.equal((await charity.call({ method: 'POST', url: `/api/v1/proposals/${proposal}/evidence?fileName=签收单.png`, headers: { 'content-type': 'image/png' }, payload: png })).statusCode, 201)
  t.equal((await town.call({ method: 'POST', url: `/api/v1/proposals/${proposal}/evidence`, headers: { 'content-type': 'image/png' }, payload: png })).statusCode, 403, 'civil affairs do not deliver')
  t.equal((await town.call({ method: 'POST', url: `/api/v1/proposals/${proposal}/received`, payload: {} })).json().error.code, 'not_delivered')
  t.match((await charity.call({ method: 'POST', url: `/api/v1/proposals/${proposal}/delivered`, payload: { note: '已送达' } })).json(), { state: 'delivered', evidence: [{ fileName: '签收单.png', contentType: 'image/png' }] })
  const received = await town.call({ method: 'POST', url: `/api/v1/proposals/${proposal}/received`, payload: {} })
  t.match(received.json(), { state: 'received', appended: true })
  t.match((await town.call({ method: 'POST', url: `/api/v1/proposals/${proposal}/received`, payload: {} })).json(), { state: 'received', appended: false, chainEntryId: received.json().chainEntryId }, 'a retry appends nothing')
  t.ok(await lastAudit(app, 'fulfilment.received'))
  return received.json()
}

t.test('the full loop: run, confirm, fulfil, chain — and the next run ranks the household lower', async t => {
  const w = await world(t)
  const { app, charity, town } = w
  const households = await fourHouseholds(w)
  // A wish campaign: no default window for wishes, so the next run sees the help only in the score.
  const rules = { ...FUND_RULES, tags: ['school_supplies'] }
  const first = await insertProject(app, { kind: 'wish', budget: 10000, unit_cost: 800, capacity: 10, eligibility: JSON.stringify(rules) })
  await runFor(charity, first)
  const before = await proposalsOf(w, first)
  t.same(before.map((p: { householdId: number }) => p.householdId), [households[0], households[3], households[1], households[2]])
  t.same(before[0].tags, ['school_supplies'], 'the proposal carries the project\'s tags')
  t.equal((await town.call({ method: 'POST', url: `/api/v1/proposals/${before[0].id}/confirm`, payload: {} })).statusCode, 200)

  await fulfil(t, w, before[0].id)
  const chain = (await town.call({ method: 'GET', url: `/api/v1/households/${households[0]}/assistance` })).json()
  t.same(chain.map((e: { source: string, kind: string, value: number, tags: string[] }) => [e.source, e.kind, e.value, e.tags]), [['charity', 'wish', 800, ['school_supplies']]], 'written to the chain with its tags')
  const { spent } = await app.db.selectFrom('projects').select('spent').where('id', '=', first).executeTakeFirstOrThrow()
  t.equal(spent, 800, 'spent once')

  // The next campaign of the same kind and rules: nobody is excluded, the household ranks lower.
  const next = await insertProject(app, { kind: 'wish', budget: 10000, unit_cost: 800, capacity: 10, eligibility: JSON.stringify(rules) })
  const run = await runFor(charity, next)
  t.match(run.summary, { eligible: 4, proposed: 4 })
  t.same(Object.values(run.summary.excluded).filter(n => n !== 0), [], 'no rule excluded anyone')
  const after = await proposalsOf(w, next)
  const was = before.find((p: { householdId: number }) => p.householdId === households[0])
  const now = after.find((p: { householdId: number }) => p.householdId === households[0])
  t.same(after.map((p: { householdId: number }) => p.householdId), [households[3], households[1], households[0], households[2]])
  t.same([was.rank, now.rank], [1, 3], 'the household helped last time falls from first to third')
  // Only two factors moved: help in the last 12 months (¥800) and "not yet helped this half-year".
  type Factor = { factor: string, value: unknown, contribution: number }
  const changed = now.explanation.factors.filter((f: Factor, i: number) => f.contribution !== was.explanation.factors[i].contribution)
  t.same(changed.map((f: Factor) => [f.factor, f.value]), [['little_recent_help', 800], ['urgency', 'deadline 0.00; helped this half-year']])
  t.ok(Math.abs(was.score - now.score - (0.15 * 800 / 5000 + 0.05 * 0.5)) < 1e-9, `the score fell by exactly those contributions (${was.score} → ${now.score})`)

  // A project that does not want households helped with wishes in the last 12 months excludes it by rule.
  const strict = await insertProject(app, { kind: 'wish', budget: 10000, unit_cost: 800, capacity: 10, eligibility: JSON.stringify({ ...rules, notHelpedSameKindMonths: 12 }) })
  t.match((await runFor(charity, strict)).summary, { eligible: 3, excluded: { recent_same_kind: 1 } })
})
