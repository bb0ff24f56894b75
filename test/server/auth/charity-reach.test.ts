// Charity staff reach their own organisation: its projects' runs, proposals and ledger, and
// the vouchers its projects pay for; not another organisation's, and no donor's claims
// (server/proposals/access.ts, policy.ts).
import t from 'tap'
import { signIn } from '../../helpers/accounts.js'
import { insertProject, register, runFor, world } from '../proposals/setup.js'

t.test('charity staff of another organisation see nothing of a project, its vouchers or claims', async t => {
  const w = await world(t)
  const { app, charity, county } = w
  const admin = await signIn(app, 'admin')
  const otherOrganisation = await app.db.insertInto('organisations').values({ name: '双林镇慈善分会', region_code: '330503102' }).returning('id').executeTakeFirstOrThrow()
  const created = await admin.call({
    method: 'POST', url: '/api/v1/users',
    payload: { username: 'cs-shuanglin', displayName: '双林慈善', password: 'long-enough-pass-1', roles: ['charity_staff'], organisationId: otherOrganisation.id }
  })
  t.equal(created.statusCode, 201)
  const outsider = await signIn(app, 'cs-shuanglin', 'long-enough-pass-1')

  const household = await register(county, '330503101001', 3600, [['2015-03-01', 'primary']])
  const project = await insertProject(app, { kind: 'fund', budget: 10000, unit_cost: 3000, capacity: 5, eligibility: JSON.stringify({ regionCodes: ['330503101'] }) })
  const run = await runFor(charity, project)
  t.equal(run.status, 'completed')

  const proposals = await charity.call({ method: 'GET', url: `/api/v1/projects/${project}/proposals` })
  t.equal(proposals.statusCode, 200)
  t.same(proposals.json().map((p: { householdId: number }) => p.householdId), [household], 'the organisation sees its project\'s proposals')
  // Nothing confirmed yet: the whole budget available, no movement.
  const emptyLedger = { project: { id: project, budget: 10000, committed: 0, spent: 0, available: 10000 }, entries: [] }
  const ledger = await charity.call({ method: 'GET', url: `/api/v1/projects/${project}/ledger` })
  t.equal(ledger.statusCode, 200)
  t.same(ledger.json(), emptyLedger, 'the organisation reads its project\'s ledger')
  for (const url of [`/api/v1/projects/${project}/proposals`, `/api/v1/projects/${project}/ledger`, `/api/v1/proposal-runs/${run.id}`]) {
    const refused = await outsider.call({ method: 'GET', url })
    t.equal(refused.statusCode, 403, `another organisation: ${url}`)
    t.equal(refused.json().error.code, 'forbidden')
  }
  const countyLedger = await county.call({ method: 'GET', url: `/api/v1/projects/${project}/ledger` })
  t.equal(countyLedger.statusCode, 200)
  t.same(countyLedger.json(), emptyLedger, 'civil affairs of the project\'s region read its ledger')

  // Two vouchers of the town: one paid for by the project, one by no project.
  const child = await app.db.selectFrom('persons').select('id').where('household_id', '=', household).where('relation', '=', 'child').executeTakeFirstOrThrow()
  const voucher = (projectId: number | null, halfYear: string) => app.db.insertInto('vouchers')
    .values({ person_id: child.id, household_id: household, region_code: '330503101001', half_year: halfYear, project_id: projectId }).returning('id').executeTakeFirstOrThrow()
  const funded = await voucher(project, '2026H1')
  const unfunded = await voucher(null, '2026H2')
  const listed = async (who: typeof charity, halfYear: string) => (await who.call({ method: 'GET', url: `/api/v1/vouchers?halfYear=${halfYear}` })).json()
  t.same((await listed(charity, '2026H1')).items.map((v: { id: number }) => v.id), [funded.id], 'the voucher the organisation pays for')
  t.same(await listed(charity, '2026H2'), { total: 0, items: [] }, 'not a voucher no project of theirs pays for')
  t.same(await listed(outsider, '2026H1'), { total: 0, items: [] }, 'another organisation: none')
  const read = await charity.call({ method: 'GET', url: `/api/v1/vouchers/${funded.id}` })
  t.equal(read.statusCode, 200)
  const { id, projectId, halfYear, state, householdId, personId, regionCode, course } = read.json()
  t.same({ id, projectId, halfYear, state, householdId, personId, regionCode, course },
    { id: funded.id, projectId: project, halfYear: '2026H1', state: 'issued', householdId: household, personId: child.id, regionCode: '330503101001', course: null }, 'the voucher the organisation pays for')
  for (const [who, id, what] of [[charity, unfunded.id, 'a voucher no project of theirs pays for'], [outsider, funded.id, 'another organisation\'s']] as const) {
    const hidden = await who.call({ method: 'GET', url: `/api/v1/vouchers/${id}` })
    t.equal(hidden.statusCode, 404, what)
    t.equal(hidden.json().error.code, 'not_found', 'answered as for a voucher that does not exist')
  }
  t.equal((await county.call({ method: 'GET', url: `/api/v1/vouchers?halfYear=2026H2` })).json().total, 1, 'region staff still see their region\'s')

  const claims = await charity.call({ method: 'GET', url: '/api/v1/claims' })
  t.equal(claims.statusCode, 403, 'claims are between donors and wishes: charity staff are no party to them')
})
