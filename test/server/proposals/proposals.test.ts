// A proposal run end to end: the bull job ranks and chooses within budget, staff of the
// household's region confirm (with the duplicate check) or reject, reruns keep confirmations.
import t from 'tap'
import pino from 'pino'
import type { FastifyInstance } from 'fastify'
import { makeResidentId } from '../../../matching/resident-id.js'
import { registerProcessors } from '../../../jobs/processors/index.js'
import { appWithAccounts, signIn, type Session } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'

async function register (clerk: Session, regionCode: string, sequence: number, annualIncome: number): Promise<number> {
  const response = await clerk.call({
    method: 'POST', url: '/api/v1/households',
    payload: { regionCode, annualIncome, propertyCompliant: true, members: [{ name: '测试', idNumber: makeResidentId('330503', '1970-01-01', sequence * 2, 'male'), relation: 'head', laborCapacity: 'weak', hasIncomeSource: true }] }
  })
  if (response.statusCode !== 201) throw new Error(response.body)
  return response.json().id
}

async function finishedRun (session: Session, runId: number) {
  for (let i = 0; i < 200; i++) {
    const run = (await session.call({ method: 'GET', url: `/api/v1/proposal-runs/${runId}` })).json()
    if (run.status === 'completed' || run.status === 'failed') return run
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error('run did not finish')
}

async function setUp (t: Parameters<typeof appWithAccounts>[0]): Promise<{ app: FastifyInstance, project: number, households: number[] }> {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  registerProcessors(app.queues, { db: app.db, config: app.config, meili: app.meili, queues: app.queues, log: pino({ level: 'silent' }) })
  const county = await signIn(app, 'mz-county')
  // Per-capita monthly income 300, 600, 900 (南浔镇) and 400 (双林镇): all 低保 under the 1,200 demo standard.
  const households = [
    await register(county, '330503101001', 1, 3600), await register(county, '330503101001', 2, 7200),
    await register(county, '330503101001', 3, 10800), await register(county, '330503102001', 4, 4800)
  ]
  const organisation = await app.db.selectFrom('organisations').select('id').where('name', '=', '南浔区慈善总会').executeTakeFirstOrThrow()
  const project = await app.db.insertInto('projects').values({
    organisation_id: organisation.id, kind: 'fund', title: '共富产业帮扶基金', budget: 10000, unit_cost: 3000, capacity: 5, status: 'open',
    eligibility: JSON.stringify({ categories: ['tekun', 'dibao', 'dibao_edge'], regionCodes: ['330503'] })
  }).returning('id').executeTakeFirstOrThrow()
  return { app, project: project.id, households }
}

t.test('a run proposes within budget, explains itself, and staff decide in their region', async t => {
  const { app, project, households } = await setUp(t)
  const charity = await signIn(app, 'cszh')
  const town = await signIn(app, 'mz-nanxun')

  t.equal((await town.call({ method: 'POST', url: `/api/v1/projects/${project}/proposal-runs`, payload: {} })).statusCode, 403, 'civil affairs do not start runs')
  const started = await charity.call({ method: 'POST', url: `/api/v1/projects/${project}/proposal-runs`, payload: {} })
  t.equal(started.statusCode, 202, started.body)
  const run = await finishedRun(charity, started.json().runId)
  t.match(run, { status: 'completed', progress: 100, summary: { eligible: 4, proposed: 3, totalCost: 9000, exact: true } }, '¥10,000 buys three places at ¥3,000')

  const all = (await charity.call({ method: 'GET', url: `/api/v1/projects/${project}/proposals` })).json()
  t.same(all.map((p: { householdId: number }) => p.householdId), [households[0], households[3], households[1]], 'lowest income first; the fourth does not fit the budget')
  t.same(all[0].explanation.factors.map((f: { factor: string }) => f.factor), ['severity', 'hardship', 'income_gap', 'little_recent_help', 'waiting', 'proximity', 'donor_fit', 'urgency'])
  t.match(all[0].explanation, { budget: { remaining: 10000, chosenTotal: 9000 }, excludedByRule: { category: 0 } })
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
  await app.db.insertInto('assistance_entries').values({ household_id: households[1] as number, source: 'charity', kind: 'fund', value: 2000, occurred_on: twoMonthsAgo, provider: '区慈善总会' }).execute()
  const second = all.find((p: { householdId: number }) => p.householdId === households[1])
  const blocked = await town.call({ method: 'POST', url: `/api/v1/proposals/${second.id}/confirm`, payload: {} })
  t.equal(blocked.statusCode, 409)
  t.equal(blocked.json().error.code, 'duplicate_assistance')
  const overridden = await town.call({ method: 'POST', url: `/api/v1/proposals/${second.id}/confirm`, payload: { overrideReason: '家中新增重病患者，经村委会议同意再次帮扶' } })
  t.equal(overridden.statusCode, 200)
  t.equal(overridden.json().overrideReason, '家中新增重病患者，经村委会议同意再次帮扶')
  const audited = await app.db.selectFrom('audit_records').select('action').where('action', '=', 'match.confirm_override').execute()
  t.equal(audited.length, 1, 'the override is audited')
  const { committed } = await app.db.selectFrom('projects').select('committed').where('id', '=', project).executeTakeFirstOrThrow()
  t.equal(committed, 6000)

  const county = await signIn(app, 'mz-county')
  t.equal((await county.call({ method: 'POST', url: `/api/v1/proposals/${elsewhere.id}/reject`, payload: {} })).statusCode, 400, 'a reason is required')
  const rejected = await county.call({ method: 'POST', url: `/api/v1/proposals/${elsewhere.id}/reject`, payload: { reason: '已获其他项目帮扶' } })
  t.match(rejected.json(), { status: 'rejected', reason: '已获其他项目帮扶' })

  // A rerun: confirmations stay; ¥4,000 is left, enough for one place.
  const rerun = await finishedRun(charity, (await charity.call({ method: 'POST', url: `/api/v1/projects/${project}/proposal-runs`, payload: {} })).json().runId)
  t.match(rerun.summary, { proposed: 1, totalCost: 3000 })
  const confirmed = (await charity.call({ method: 'GET', url: `/api/v1/projects/${project}/proposals?status=confirmed` })).json()
  t.equal(confirmed.length, 2)
  const open = (await charity.call({ method: 'GET', url: `/api/v1/projects/${project}/proposals` })).json()
  t.equal(open.length, 1)
  t.equal(open[0].householdId, households[2], 'neither the confirmed nor the rejected household is proposed again')

  await app.db.updateTable('projects').set({ committed: 9000 }).where('id', '=', project).execute()
  const broke = await town.call({ method: 'POST', url: `/api/v1/proposals/${open[0].id}/confirm`, payload: {} })
  t.equal(broke.statusCode, 409)
  t.equal(broke.json().error.code, 'budget_exceeded', 'a project never commits more than its budget')
})

t.test('fulfilment with evidence, receipt written back once, and the next run sees it', async t => {
  const { app, project, households } = await setUp(t)
  const charity = await signIn(app, 'cszh')
  const town = await signIn(app, 'mz-nanxun')
  await finishedRun(charity, (await charity.call({ method: 'POST', url: `/api/v1/projects/${project}/proposal-runs`, payload: {} })).json().runId)
  const proposal = (await charity.call({ method: 'GET', url: `/api/v1/projects/${project}/proposals` })).json()[0]
  t.equal(proposal.householdId, households[0])
  t.equal((await town.call({ method: 'POST', url: `/api/v1/proposals/${proposal.id}/confirm`, payload: {} })).statusCode, 200)

  const state = (await town.call({ method: 'GET', url: `/api/v1/proposals/${proposal.id}/fulfilment` })).json()
  t.match(state, { state: 'in_progress', overdue: false, evidence: [] })
  t.equal((await charity.call({ method: 'POST', url: `/api/v1/proposals/${proposal.id}/delivered`, payload: {} })).json().error.code, 'evidence_required')
  const fake = await charity.call({ method: 'POST', url: `/api/v1/proposals/${proposal.id}/evidence?fileName=photo.png`, headers: { 'content-type': 'image/png' }, payload: Buffer.from('MZ not really a picture') })
  t.equal(fake.statusCode, 415, 'the content decides, not the declared type')
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)])
  t.equal((await charity.call({ method: 'POST', url: `/api/v1/proposals/${proposal.id}/evidence?fileName=签收单.png`, headers: { 'content-type': 'image/png' }, payload: png })).statusCode, 201)
  t.equal((await town.call({ method: 'POST', url: `/api/v1/proposals/${proposal.id}/evidence`, headers: { 'content-type': 'image/png' }, payload: png })).statusCode, 403, 'civil affairs do not deliver')
  t.equal((await town.call({ method: 'POST', url: `/api/v1/proposals/${proposal.id}/received`, payload: {} })).json().error.code, 'not_delivered')
  const delivered = await charity.call({ method: 'POST', url: `/api/v1/proposals/${proposal.id}/delivered`, payload: { note: '已送达' } })
  t.match(delivered.json(), { state: 'delivered', evidence: [{ fileName: '签收单.png', contentType: 'image/png' }] })

  const received = await town.call({ method: 'POST', url: `/api/v1/proposals/${proposal.id}/received`, payload: {} })
  t.match(received.json(), { state: 'received', appended: true })
  const again = await town.call({ method: 'POST', url: `/api/v1/proposals/${proposal.id}/received`, payload: {} })
  t.match(again.json(), { state: 'received', appended: false, chainEntryId: received.json().chainEntryId }, 'a retry appends nothing')
  const chain = (await town.call({ method: 'GET', url: `/api/v1/households/${households[0]}/assistance` })).json()
  t.same(chain.map((e: { source: string, kind: string, value: number }) => [e.source, e.kind, e.value]), [['charity', 'fund', 3000]])
  const { spent } = await app.db.selectFrom('projects').select('spent').where('id', '=', project).executeTakeFirstOrThrow()
  t.equal(spent, 3000, 'spent once')

  // A second project of the same kind with a 12-month rule no longer proposes that household.
  const organisation = await app.db.selectFrom('organisations').select('id').where('name', '=', '南浔区慈善总会').executeTakeFirstOrThrow()
  const next = await app.db.insertInto('projects').values({
    organisation_id: organisation.id, kind: 'fund', title: '第二期产业基金', budget: 100000, unit_cost: 3000, capacity: 10, status: 'open',
    eligibility: JSON.stringify({ categories: ['dibao'], regionCodes: ['330503'], notHelpedSameKindMonths: 12 })
  }).returning('id').executeTakeFirstOrThrow()
  const run = await finishedRun(charity, (await charity.call({ method: 'POST', url: `/api/v1/projects/${next.id}/proposal-runs`, payload: {} })).json().runId)
  t.match(run.summary, { eligible: 3, proposed: 3, excluded: { recent_same_kind: 1 } })
  const proposed = (await charity.call({ method: 'GET', url: `/api/v1/projects/${next.id}/proposals` })).json()
  t.notOk(proposed.some((p: { householdId: number }) => p.householdId === households[0]))
})
