// Confirmation and rejection: in batches with a result per item, each decision committed
// with its audit record or not at all; help confirmed but not yet received counts against
// the next confirmation; a fund or a dream room is one place per household.
import t from 'tap'
import { sql } from 'kysely'
import { insertProject, lastAudit, register, runFor, world, type World } from './setup.js'

const FUND = { kind: 'fund' as const, budget: 20000, unit_cost: 3000, capacity: 10, eligibility: JSON.stringify({ categories: ['dibao'], regionCodes: ['330503'] }) }
const ROOM = { kind: 'dream_room' as const, budget: 60000, unit_cost: 15000, capacity: 4, eligibility: JSON.stringify({ minAge: 6, maxAge: 16 }) }

const proposalOf = async ({ charity }: World, project: number, household: number) =>
  (await charity.call({ method: 'GET', url: `/api/v1/projects/${project}/proposals` })).json().find((p: { householdId: number }) => p.householdId === household)

t.test('batch confirmation: one result per item, each on its own, audited per item', async t => {
  const w = await world(t)
  const { app, county, town } = w
  const [inTown, elsewhere, helped] = [await register(county, '330503101001', 3600), await register(county, '330503102001', 3600), await register(county, '330503101001', 4800)]
  const project = await insertProject(app, FUND)
  await runFor(w.charity, project)
  const [a, b, c] = [await proposalOf(w, project, inTown), await proposalOf(w, project, elsewhere), await proposalOf(w, project, helped)]
  await app.db.insertInto('assistance_entries').values({ household_id: helped, source: 'charity', kind: 'fund', value: 2000, occurred_on: new Date(Date.now() - 30 * 86_400_000).toISOString().slice(0, 10), provider: '区慈善总会' }).execute()

  const batch = await town.call({
    method: 'POST', url: '/api/v1/proposals/confirm',
    payload: { items: [{ id: a.id }, { id: b.id }, { id: c.id }, { id: c.id, overrideReason: '因灾新增困难，村民代表会议同意' }, { id: 999999 }] }
  })
  t.equal(batch.statusCode, 200, batch.body)
  t.match(batch.json(), {
    decided: 2, refused: 3,
    results: [
      { id: a.id, status: 'confirmed', duplicateCheck: { verdict: 'clear' } },
      { id: b.id, status: 'refused', error: { code: 'not_found' } },
      { id: c.id, status: 'refused', error: { code: 'duplicate_assistance' } },
      { id: c.id, status: 'confirmed', overrideReason: '因灾新增困难，村民代表会议同意' },
      { id: 999999, status: 'refused', error: { code: 'not_found' } }
    ]
  }, 'another town\'s proposal is out of reach; a duplicate needs a reason; the rest go through')
  const audited = await app.db.selectFrom('audit_records').select(['action', 'record_id', 'region_code']).where('action', 'like', 'match.confirm%').orderBy('id').execute()
  t.same(audited, [{ action: 'match.confirm', record_id: String(a.id), region_code: '330503101001' }, { action: 'match.confirm_override', record_id: String(c.id), region_code: '330503101001' }], 'one record per decision, none for refusals')

  const rejected = await county.call({ method: 'POST', url: '/api/v1/proposals/reject', payload: { ids: [b.id, a.id], reason: '户籍已迁出' } })
  t.match(rejected.json(), { decided: 1, refused: 1, results: [{ id: b.id, status: 'rejected', reason: '户籍已迁出' }, { id: a.id, status: 'refused', error: { code: 'proposal_not_open' } }] })
  t.match(await lastAudit(app, 'match.reject'), { record_id: String(b.id), after: { status: 'rejected', reason: '户籍已迁出' } })
  t.equal((await town.call({ method: 'POST', url: '/api/v1/proposals/confirm', payload: { items: [] } })).statusCode, 400)
  t.equal((await town.call({ method: 'POST', url: '/api/v1/proposals/reject', payload: { ids: [a.id] } })).statusCode, 400, 'a reason is required')
  t.equal((await w.charity.call({ method: 'POST', url: '/api/v1/proposals/confirm', payload: { items: [{ id: a.id }] } })).statusCode, 403)
})

t.test('a confirmation commits with its audit record or not at all', async t => {
  const w = await world(t)
  const household = await register(w.county, '330503101001', 3600)
  const project = await insertProject(w.app, FUND)
  await runFor(w.charity, project)
  const proposal = await proposalOf(w, project, household)
  await sql`
    CREATE FUNCTION refuse_audit () RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit store unavailable'; END $$;
    CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_records FOR EACH ROW WHEN (NEW.action = 'match.confirm') EXECUTE FUNCTION refuse_audit ();
  `.execute(w.app.db)
  t.equal((await w.town.call({ method: 'POST', url: `/api/v1/proposals/${proposal.id}/confirm`, payload: {} })).statusCode, 500)
  const after = await w.app.db.selectFrom('proposals as pr').innerJoin('projects as p', 'p.id', 'pr.project_id').select(['pr.status', 'p.committed']).where('pr.id', '=', proposal.id).executeTakeFirstOrThrow()
  t.same(after, { status: 'open', committed: 0 }, 'no confirmation, no commitment, without the record')
  t.equal((await w.app.db.selectFrom('fulfilments').selectAll().execute()).length, 0)
})

t.test('help confirmed but not yet received counts; a fund or a room is one place per household', async t => {
  const w = await world(t)
  const { app, county, town } = w
  const family = await register(county, '330503101001', 6000, [['2013-03-01', 'junior'], ['2016-09-01', 'primary']])
  const [elder, younger] = (await app.db.selectFrom('persons').select('id').where('household_id', '=', family).orderBy('id').offset(1).execute()).map(p => p.id)
  const first = await insertProject(app, ROOM)
  const second = await insertProject(app, ROOM)
  await runFor(w.charity, first)
  await runFor(w.charity, second)
  const [one, two] = [await proposalOf(w, first, family), await proposalOf(w, second, family)]
  t.same([one.personId, two.personId], [elder, elder], 'a room project proposes the household once, by its first eligible child')

  // Two rooms for one household, confirmed at the same moment: one wins, the other sees its promise.
  const both = await Promise.all([one, two].map(p => town.call({ method: 'POST', url: `/api/v1/proposals/${p.id}/confirm`, payload: {} })))
  t.same(both.map(r => r.statusCode).sort(), [200, 409])
  const loser = both.find(r => r.statusCode === 409)?.json()
  const winner = both.find(r => r.statusCode === 200)?.json()
  t.match(loser.error, { code: 'duplicate_assistance', details: [{ code: 'dream_room_36_months', entryId: winner.id, pending: `proposal:${winner.id}` }] }, 'the other room, confirmed and not yet received, is a duplicate')

  // The next run of the other project does not propose what confirmation would block.
  const other = winner.id === one.id ? second : first
  const rerun = await runFor(w.charity, other)
  t.match(rerun.summary, { excluded: { recent_same_kind: 3 } }, 'the whole household, by the room already promised')

  // Two open proposals for the household in one room project (e.g. an older run's): only one place.
  const won = winner.id === one.id ? first : second
  const run = await app.db.selectFrom('proposals').select('run_id').where('id', '=', winner.id).executeTakeFirstOrThrow()
  const sibling = await app.db.insertInto('proposals').values({ run_id: run.run_id, project_id: won, household_id: family, person_id: younger as number, region_code: '330503101001', rank: 2, score: 0.5, cost: 15000, explanation: '{}' }).returning('id').executeTakeFirstOrThrow()
  const refused = await town.call({ method: 'POST', url: `/api/v1/proposals/${sibling.id}/confirm`, payload: { overrideReason: '两个孩子都需要房间' } })
  t.match(refused.json().error, { code: 'household_has_place', details: [{ proposalId: winner.id }] }, 'not even with a reason')

  // Wishes serve each child; the promised room is noted as complementary.
  const wishes = await insertProject(app, { kind: 'wish', budget: 3000, unit_cost: 300, capacity: 10, eligibility: JSON.stringify({ schoolStages: ['primary', 'junior'], tags: ['school_supplies'] }) })
  await runFor(w.charity, wishes)
  const wishProposals = (await w.charity.call({ method: 'GET', url: `/api/v1/projects/${wishes}/proposals` })).json()
  t.same(wishProposals.map((p: { personId: number }) => p.personId).sort(), [elder, younger].sort(), 'siblings each')
  const confirmed = (await town.call({ method: 'POST', url: '/api/v1/proposals/confirm', payload: { items: wishProposals.map((p: { id: number }) => ({ id: p.id })) } })).json()
  t.match(confirmed, { decided: 2, results: [{ duplicateCheck: { verdict: 'complementary', complementary: [{ kind: 'dream_room', pending: `proposal:${winner.id}` }] } }, {}] })
  const stored = (await w.charity.call({ method: 'GET', url: `/api/v1/projects/${wishes}/proposals?status=confirmed` })).json()
  t.match(stored[0], { tags: ['school_supplies'], duplicateCheck: { verdict: 'complementary', complementary: [{ kind: 'dream_room', value: 15000 }] } }, 'what was complementary is kept on the proposal')
})

t.test('a room a project funds outside the proposals counts as promised until handed over', async t => {
  const w = await world(t)
  const family = await register(w.county, '330503101001', 6000, [['2013-03-01', 'junior']])
  const child = await w.app.db.selectFrom('persons').select('id').where('household_id', '=', family).orderBy('id', 'desc').executeTakeFirstOrThrow()
  const funder = await insertProject(w.app, ROOM)
  const room = await w.app.db.insertInto('dream_rooms').values({ household_id: family, person_id: child.id, region_code: '330503101001', project_id: funder, stage: 'build', room_condition: '墙面霉变', budget_estimate: 14000 })
    .returning('id').executeTakeFirstOrThrow()
  const other = await insertProject(w.app, ROOM)
  t.match((await runFor(w.charity, other)).summary, { eligible: 0, proposed: 0, excluded: { recent_same_kind: 2 } }, 'the room being built is a dream room within 36 months')
  await w.app.db.updateTable('dream_rooms').set({ stage: 'cancelled', reason: '家庭搬迁' }).where('id', '=', room.id).execute()
  t.match((await runFor(w.charity, other)).summary, { proposed: 1 }, 'a cancelled room promises nothing')
})

t.test('a project never confirms more places than its capacity', async t => {
  const w = await world(t)
  const households = [await register(w.county, '330503101001', 3600), await register(w.county, '330503101001', 4800)]
  const project = await insertProject(w.app, { ...FUND, capacity: 2 })
  await runFor(w.charity, project)
  await w.app.db.updateTable('projects').set({ capacity: 1 }).where('id', '=', project).execute()
  const ids = await Promise.all(households.map(async h => ({ id: (await proposalOf(w, project, h)).id })))
  t.match((await w.town.call({ method: 'POST', url: '/api/v1/proposals/confirm', payload: { items: ids } })).json(), { decided: 1, results: [{ status: 'confirmed' }, { status: 'refused', error: { code: 'capacity_reached' } }] })
})
