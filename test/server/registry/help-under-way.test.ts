// "Has open help", the household list's filter (issue 17): a flag on the household that
// triggers keep (migration 0170) as a wish, a proposal and its fulfilment, a dream room and a
// training voucher open and close — checked through the list a clerk filters, with exact ids.
import t from 'tap'
import { sql } from 'kysely'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { registerHousehold } from '../../helpers/needs.js'
import { listHouseholds } from '../../../server/registry/households.js'

t.test('the open-help flag follows wishes, proposals, fulfilments, dream rooms and vouchers', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const a = await registerHousehold(clerk, [{ name: '陆建华', birthDate: '1970-03-03', sex: 'male' }, { name: '陆小燕', birthDate: '2015-05-05', sex: 'female', schoolStage: 'primary' }])
  const b = await registerHousehold(clerk, [{ name: '钱秀英', birthDate: '1950-01-01', sex: 'female' }])
  const scope = { regionPrefix: '330503101' }
  const withHelp = async (openHelp: boolean) => (await listHouseholds(app.db, scope, app.config, { openHelp, limit: 50, offset: 0 })).items.map(h => h.id).sort((x, y) => x - y)
  const flags = async () => (await app.db.selectFrom('households').select(['id', 'help_under_way']).where('id', 'in', [a.id, b.id]).orderBy('id').execute()).map(r => r.help_under_way)

  t.same(await withHelp(true), [], 'no help yet')
  t.same(await withHelp(false), [a.id, b.id])

  // A wish: a draft is not yet help under way; submitted it is; withdrawn it is not.
  const raised = await clerk.call({ method: 'POST', url: '/api/v1/wishes', payload: { personId: a.personIds[1], category: 'school_supplies', item: '书包', value: 120, story: '书包破了。' } })
  t.equal(raised.statusCode, 201)
  const wish = raised.json().id as number
  t.same(await flags(), [false, false], 'a draft wish')
  t.equal((await clerk.call({ method: 'POST', url: `/api/v1/wishes/${wish}/submit` })).statusCode, 200)
  t.same(await withHelp(true), [a.id], 'a submitted wish')
  t.same(await withHelp(false), [b.id])
  t.equal((await clerk.call({ method: 'POST', url: `/api/v1/wishes/${wish}/withdraw`, payload: { reason: '家庭已自行解决' } })).statusCode, 200)
  t.same(await flags(), [false, false], 'withdrawn')

  // A dream room while open; cancelled, none.
  const room = await clerk.call({ method: 'POST', url: '/api/v1/dream-rooms', payload: { personId: a.personIds[1], roomCondition: '没有书桌。', budgetEstimate: 12000 } })
  t.equal(room.statusCode, 201)
  t.same(await flags(), [true, false], 'a room being surveyed')
  t.equal((await clerk.call({ method: 'POST', url: `/api/v1/dream-rooms/${room.json().id}/cancel`, payload: { reason: '家庭搬走了' } })).statusCode, 200)
  t.same(await flags(), [false, false], 'the room cancelled')

  // A voucher issued, then used.
  await sql`INSERT INTO vouchers (person_id, household_id, region_code, half_year, state) VALUES (${b.personIds[0]}, ${b.id}, '330503101001', '2026H2', 'issued')`.execute(app.db)
  t.same(await flags(), [false, true], 'a voucher issued')
  await sql`UPDATE vouchers SET state = 'lapsed' WHERE household_id = ${b.id}`.execute(app.db)
  t.same(await flags(), [false, false], 'the voucher lapsed')

  // A proposal: open is help under way; confirmed, while its fulfilment is in progress; received, no more.
  const org = await app.db.insertInto('organisations').values({ name: '测试慈善会', region_code: '330503' }).returning('id').executeTakeFirstOrThrow()
  const project = await app.db.insertInto('projects').values({ organisation_id: org.id, kind: 'fund', title: '助学金', budget: 10000, unit_cost: 1000, status: 'open' }).returning('id').executeTakeFirstOrThrow()
  const proposal = await app.db.insertInto('proposals').values({ project_id: project.id, household_id: b.id, person_id: b.personIds[0]!, region_code: '330503101001', rank: 1, score: 0.5, cost: 1000, explanation: '{}', status: 'open', source: 'application' })
    .returning('id').executeTakeFirstOrThrow()
  t.same(await flags(), [false, true], 'an open proposal')
  await app.db.updateTable('proposals').set({ status: 'confirmed', decided_at: new Date() }).where('id', '=', proposal.id).execute()
  t.same(await flags(), [false, false], 'confirmed, nothing under way yet')
  await app.db.insertInto('fulfilments').values({ proposal_id: proposal.id, state: 'in_progress', due_on: '2027-01-31' }).execute()
  t.same(await flags(), [false, true], 'its fulfilment in progress')
  await app.db.updateTable('fulfilments').set({ state: 'received', received_on: '2026-12-20' }).where('proposal_id', '=', proposal.id).execute()
  t.same(await flags(), [false, false], 'received')
  t.same(await withHelp(false), [a.id, b.id])
})

t.test('two people changing one household\'s help at once: the flag is what both left behind', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const household = await registerHousehold(clerk, [{ name: '钱秀英', birthDate: '1950-01-01', sex: 'female' }])
  const issue = (db: typeof app.db, halfYear: string) => sql<{ id: number }>`INSERT INTO vouchers (person_id, household_id, region_code, half_year, state)
    VALUES (${household.personIds[0]}, ${household.id}, '330503101001', ${halfYear}, 'issued') RETURNING id`.execute(db)
  const first = (await issue(app.db, '2026H1')).rows[0]!.id
  const flag = async () => (await app.db.selectFrom('households').select('help_under_way').where('id', '=', household.id).executeTakeFirstOrThrow()).help_under_way
  t.equal(await flag(), true)

  // One issues a second voucher and has not committed yet when the other closes the first: the
  // second waits for the first's commit and then sees its voucher.
  let closing: Promise<unknown> | undefined
  await app.db.transaction().execute(async issuing => {
    await issue(issuing, '2026H2')
    closing = app.db.transaction().execute(trx => sql`UPDATE vouchers SET state = 'lapsed' WHERE id = ${first}`.execute(trx))
    await new Promise(resolve => setTimeout(resolve, 300))
  })
  await closing
  t.equal(await flag(), true, 'the second voucher is open, so help is under way')
})

t.test('the flag changing is not a change of the matcher\'s population; the household changing is', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const household = await registerHousehold(clerk, [{ name: '钱秀英', birthDate: '1950-01-01', sex: 'female' }])
  const noted = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM population_changes WHERE household_id = ${household.id}`.execute(app.db)).rows[0]!.n)
  const before = await noted()
  await sql`INSERT INTO vouchers (person_id, household_id, region_code, half_year, state) VALUES (${household.personIds[0]}, ${household.id}, '330503101001', '2026H2', 'issued')`.execute(app.db)
  t.equal((await app.db.selectFrom('households').select('help_under_way').where('id', '=', household.id).executeTakeFirstOrThrow()).help_under_way, true)
  t.equal(await noted(), before, 'a voucher issued set the flag and noted nothing for the proposal runs')
  await app.db.updateTable('households').set({ annual_income: 12345 }).where('id', '=', household.id).execute()
  t.equal(await noted(), before + 1, 'an income changed is noted')
})
