// Charity projects against the real services: drafted by charity staff for their organisation,
// opened and closed (and nothing else), drafts seen only inside the organisation, what an open
// project may still change, the search index following, and a budget that parallel
// commitments can never overrun, with every movement in the ledger.
import t from 'tap'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { syncIndex } from '../../helpers/needs.js'
import { commitBudget, releaseBudget, spendBudget } from '../../../server/supply/budget.js'

const PROJECT = {
  kind: 'wish', title: '“微心愿”冬季暖心行动', description: '为困难老人和孩子实现冬季小心愿。', budget: 10000, unitCost: 300, capacity: 30,
  eligibility: { categories: ['dibao', 'dibao_edge'], regionCodes: ['330503'], notHelpedSameKindMonths: 12, seasonalTags: ['winter_clothing'] },
  startsOn: '2026-11-01', endsOn: '2027-02-28'
}

t.test('draft, open, close — and every other move refused', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const charity = await signIn(app, 'cszh')
  const created = await charity.call({ method: 'POST', url: '/api/v1/projects', payload: PROJECT })
  t.equal(created.statusCode, 201, created.body)
  const project = created.json()
  t.match(project, { status: 'draft', organisation: '南浔区慈善总会', budget: 10000, committed: 0, spent: 0, available: 10000, placesTaken: 0, eligibility: PROJECT.eligibility })

  const donor = await signIn(app, 'donor-person')
  t.equal((await donor.call({ method: 'GET', url: `/api/v1/projects/${project.id}` })).statusCode, 403, 'a draft is not public')
  t.same((await donor.call({ method: 'GET', url: '/api/v1/projects' })).json(), [])
  t.equal((await charity.call({ method: 'GET', url: '/api/v1/projects' })).json().length, 1, 'the organisation sees its draft')
  t.equal((await charity.call({ method: 'POST', url: `/api/v1/projects/${project.id}/close` })).json().error.code, 'illegal_transition', 'a draft is not closed')

  const opened = await charity.call({ method: 'POST', url: `/api/v1/projects/${project.id}/open` })
  t.equal(opened.json().status, 'open')
  t.equal((await charity.call({ method: 'POST', url: `/api/v1/projects/${project.id}/open` })).statusCode, 409, 'not twice')
  t.equal((await donor.call({ method: 'GET', url: `/api/v1/projects/${project.id}` })).statusCode, 200, 'open projects are for everyone')
  await syncIndex(app)
  const found = (await app.inject({ method: 'GET', url: `/api/v1/public/projects?q=${encodeURIComponent('暖心')}` })).json()
  t.match(found, { source: 'search', totalHits: 1, hits: [{ id: project.id, kindName: '微心愿', available: 10000, organisation: '南浔区慈善总会' }] })

  const locked = await charity.call({ method: 'PATCH', url: `/api/v1/projects/${project.id}`, payload: { unitCost: 100, eligibility: {} } })
  t.equal(locked.statusCode, 409)
  t.same(locked.json().error.details.map((d: { field: string }) => d.field), ['body.unitCost', 'body.eligibility'])
  t.equal((await charity.call({ method: 'PATCH', url: `/api/v1/projects/${project.id}`, payload: { budget: 12000 } })).json().budget, 12000, 'the budget can grow')

  t.equal((await charity.call({ method: 'POST', url: `/api/v1/projects/${project.id}/close` })).json().status, 'closed')
  t.equal((await charity.call({ method: 'PATCH', url: `/api/v1/projects/${project.id}`, payload: { description: '已结项' } })).json().error.code, 'project_closed')
  await syncIndex(app)
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/public/projects' })).json().totalHits, 0, 'a closed project leaves the index')
  const trail = await app.db.selectFrom('audit_records').select('action').where('record_type', '=', 'project').orderBy('id').execute()
  t.same(trail.map(r => r.action), ['project.create', 'project.open', 'project.update', 'project.close'])
})

t.test('only the organisation\'s staff (and administrators) post and change its projects', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const other = await app.db.insertInto('organisations').values({ name: '双林镇慈善分会', region_code: '330503102' }).returning('id').executeTakeFirstOrThrow()
  const charity = await signIn(app, 'cszh')
  t.equal((await charity.call({ method: 'POST', url: '/api/v1/projects', payload: { ...PROJECT, organisationId: other.id } })).statusCode, 403)
  const admin = await signIn(app, 'admin')
  const theirs = await admin.call({ method: 'POST', url: '/api/v1/projects', payload: { ...PROJECT, organisationId: other.id } })
  t.equal(theirs.statusCode, 201)
  t.equal((await admin.call({ method: 'POST', url: '/api/v1/projects', payload: PROJECT })).json().error.details[0].field, 'body.organisationId', 'an administrator names the organisation')
  t.equal((await charity.call({ method: 'PATCH', url: `/api/v1/projects/${theirs.json().id}`, payload: { budget: 1 } })).statusCode, 403)
  t.equal((await charity.call({ method: 'GET', url: `/api/v1/projects/${theirs.json().id}` })).statusCode, 403, 'nor see another organisation\'s draft')
  for (const who of ['mz-county', 'donor-person', 'training', 'auditor']) {
    t.equal((await (await signIn(app, who)).call({ method: 'POST', url: '/api/v1/projects', payload: PROJECT })).statusCode, 403, `${who} posts no project`)
  }
})

t.test('bad projects are refused field by field', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const charity = await signIn(app, 'cszh')
  const schema = await charity.call({ method: 'POST', url: '/api/v1/projects', payload: { kind: 'raffle', title: 'x', budget: -1, eligibility: { categories: ['rich'], minAge: -3 } } })
  t.equal(schema.statusCode, 400)
  t.same(schema.json().error.details.map((d: { field: string }) => d.field).sort(), ['body.budget', 'body.eligibility.categories.0', 'body.eligibility.minAge', 'body.kind', 'body.title'])
  const rules = await charity.call({ method: 'POST', url: '/api/v1/projects', payload: { ...PROJECT, budget: 200, startsOn: '2027-03-01', eligibility: { regionCodes: ['330599'], minAge: 10, maxAge: 6 } } })
  t.equal(rules.statusCode, 400)
  t.same(rules.json().error.details.map((d: { field: string }) => d.field), ['body.endsOn', 'body.unitCost', 'body.eligibility.maxAge', 'body.eligibility.regionCodes.0'])
})

t.test('a budget is never overcommitted, however many commitments race; the ledger accounts for each', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const charity = await signIn(app, 'cszh')
  const project = (await charity.call({ method: 'POST', url: '/api/v1/projects', payload: { ...PROJECT, budget: 1000, unitCost: 300 } })).json()
  const attempts = await Promise.allSettled(Array.from({ length: 10 }, (_, i) =>
    app.db.transaction().execute(trx => commitBudget(trx, project.id, 300, `test:${i}`))))
  t.equal(attempts.filter(a => a.status === 'fulfilled').length, 3, 'three places of 300 fit in 1,000')
  t.ok(attempts.filter(a => a.status === 'rejected').every(a => (a as PromiseRejectedResult).reason.code === 'budget_exceeded'))
  await app.db.transaction().execute(async trx => {
    await spendBudget(trx, project.id, 250, 'test:spent')
    await releaseBudget(trx, project.id, 300, 'test:released')
  })
  t.match((await charity.call({ method: 'GET', url: `/api/v1/projects/${project.id}` })).json(), { committed: 600, spent: 250, available: 400 })
  t.equal((await charity.call({ method: 'PATCH', url: `/api/v1/projects/${project.id}`, payload: { budget: 500 } })).json().error.code, 'budget_below_committed')
  const ledger = (await charity.call({ method: 'GET', url: `/api/v1/projects/${project.id}/ledger` })).json()
  t.same(ledger.entries.map((e: { movement: string, amount: number }) => [e.movement, e.amount]), [['commit', 300], ['commit', 300], ['commit', 300], ['spend', 250], ['release', 300]])
  t.match(ledger.entries.at(-1), { committedAfter: 600, spentAfter: 250 }, 'the running account ends where the project stands')
  t.equal((await (await signIn(app, 'donor-person')).call({ method: 'GET', url: `/api/v1/projects/${project.id}/ledger` })).statusCode, 403, 'donors do not read the ledger')
})

t.test('a project\'s score weights and funding donor are checked and shown', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const charity = await signIn(app, 'cszh')
  const create = (fields: object) => charity.call({ method: 'POST', url: '/api/v1/projects', payload: { ...PROJECT, ...fields } })
  const fields = (response: { json: () => { error: { details: Array<{ field: string, code: string }> } } }) => response.json().error.details.map(d => [d.field, d.code])

  t.same(fields(await create({ scoreWeights: { urgency: 2 } })), [['body.scoreWeights.urgency', 'maximum']])
  t.same(fields(await create({ scoreWeights: { luck: 0.5 } })), [['body.scoreWeights.luck', 'additionalProperties']])
  const zero = { severity: 0, hardship: 0, income_gap: 0, little_recent_help: 0, waiting: 0, proximity: 0, donor_fit: 0, urgency: 0 }
  t.same(fields(await create({ scoreWeights: zero, fundingDonorId: 999999 })), [['body.scoreWeights', 'all_zero'], ['body.fundingDonorId', 'unknown_donor']])

  const donor = await app.db.selectFrom('donors').select('id').executeTakeFirstOrThrow()
  const created = await create({ scoreWeights: { hardship: 0.4 }, fundingDonorId: donor.id })
  t.equal(created.statusCode, 201, created.body)
  t.match(created.json(), { fundingDonorId: donor.id, scoreWeights: { hardship: 0.4, severity: 0.25, urgency: 0.05 } }, 'the weights its runs use: the project\'s where set, else the defaults')
})

t.test('donors see what is still available: commitments and releases reach the projects index', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const charity = await signIn(app, 'cszh')
  const project = (await charity.call({ method: 'POST', url: '/api/v1/projects', payload: { ...PROJECT, budget: 1000, unitCost: 300 } })).json()
  await charity.call({ method: 'POST', url: `/api/v1/projects/${project.id}/open` })
  await syncIndex(app)
  const available = async () => (await app.inject({ method: 'GET', url: '/api/v1/public/projects' })).json().hits.map((h: { id: number, available: number }) => [h.id, h.available])
  t.same(await available(), [[project.id, 1000]])

  await app.db.transaction().execute(trx => commitBudget(trx, project.id, 300, 'test:place'))
  const queued = await app.db.selectFrom('search_outbox').select(['index_name', 'document_id']).execute()
  t.same(queued, [{ index_name: 'projects', document_id: project.id }], 'the commitment queued the project in its own transaction')
  await syncIndex(app)
  t.same(await available(), [[project.id, 700]], 'committing lowers what donors see as available')

  const refused = await app.db.transaction().execute(trx => commitBudget(trx, project.id, 800, 'test:too-much')).catch(error => error.code)
  t.equal(refused, 'budget_exceeded')
  await app.db.transaction().execute(trx => spendBudget(trx, project.id, 100, 'test:spent'))
  t.same(await app.db.selectFrom('search_outbox').select('id').execute(), [], 'a refused commitment and a spending queue nothing: available did not move')

  await app.db.transaction().execute(trx => releaseBudget(trx, project.id, 200, 'test:back'))
  await syncIndex(app)
  t.same(await available(), [[project.id, 900]], 'a release raises it again')
})
