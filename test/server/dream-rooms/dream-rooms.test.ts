// 梦想小屋 through the API: the survey and its refusals (not a child, an open room, a room
// delivered within 36 months, bad input), the stages in order each with its evidence, the
// handover that completes the room, writes the chain and settles the project's account,
// cancellation, due dates and the overdue list.
import t from 'tap'
import { today } from '../../../server/clock.js'
import { addDays } from '../../../matching/dates.js'
import { complete, dreamProject, PDF, readyForHandover, registerFamily, setUp, survey, surveyed, TOWN_VILLAGE, OTHER_VILLAGE, upload } from './setup.js'

t.test('a survey for a child: default due dates, refusals, and bad input named', async t => {
  const f = await setUp(t)
  const family = await registerFamily(f.town, TOWN_VILLAGE, 1)
  const created = await survey(f.town, family.childId)
  t.equal(created.statusCode, 201, created.body)
  const on = today()
  t.match(created.json(), { stage: 'survey', householdId: family.householdId, maskedName: '王**', regionCode: TOWN_VILLAGE, budgetEstimate: 15000, areaM2: 9.5, project: null, overdue: false, evidence: [], ledger: [] })
  t.same(created.json().stages.map((s: { stage: string, dueOn: string }) => [s.stage, s.dueOn]),
    [['survey', addDays(on, 14)], ['design', addDays(on, 30)], ['build', addDays(on, 75)], ['handover', addDays(on, 90)]], 'defaults from the survey day')

  const adult = await survey(f.town, family.parentId)
  t.equal(adult.statusCode, 400)
  t.match(adult.json().error.details, [{ field: 'body.personId', code: 'not_a_child' }])
  const again = await survey(f.town, family.childId)
  t.equal(again.statusCode, 409)
  t.match(again.json().error, { code: 'open_room_exists', details: [{ roomId: created.json().id, stage: 'survey' }] })

  const bad = await f.town.call({ method: 'POST', url: '/api/v1/dream-rooms', payload: { personId: family.childId, budgetEstimate: -5, colour: 'blue', dueDates: { build: 'soon' } } })
  t.equal(bad.statusCode, 400)
  const fields = bad.json().error.details.map((d: { field: string }) => d.field)
  for (const field of ['body.roomCondition', 'body.budgetEstimate', 'body.colour', 'body.dueDates.build']) t.ok(fields.includes(field), `${field} named`)
  const early = await survey(f.county, (await registerFamily(f.county, TOWN_VILLAGE, 2)).childId, { dueDates: { design: addDays(on, -1), handover: addDays(on, 120) } })
  t.equal(early.statusCode, 400)
  t.same(early.json().error.details.map((d: { field: string, code: string }) => [d.field, d.code]), [['body.dueDates.design', 'before_survey']])

  const elsewhere = await registerFamily(f.county, OTHER_VILLAGE, 3)
  t.equal((await survey(f.town, elsewhere.childId)).statusCode, 403, 'a town clerk surveys only in the town')
  t.equal((await survey(f.charity, elsewhere.childId)).statusCode, 403, 'charity staff do not survey')
  t.equal((await survey(f.town, 999999)).statusCode, 404)
})

t.test('no second room within 36 months of one delivered: refused with the chain entry named', async t => {
  const f = await setUp(t)
  const recent = await registerFamily(f.county, TOWN_VILLAGE, 1)
  const long = await registerFamily(f.county, TOWN_VILLAGE, 2, '李')
  const entry = await f.app.db.insertInto('assistance_entries').values({ household_id: recent.householdId, source: 'charity', kind: 'dream_room', value: 15000, occurred_on: addDays(today(), -730), provider: '区慈善总会' })
    .returning('id').executeTakeFirstOrThrow()
  await f.app.db.insertInto('assistance_entries').values({ household_id: long.householdId, source: 'charity', kind: 'dream_room', value: 15000, occurred_on: addDays(today(), -1160), provider: '区慈善总会' }).execute()

  const refused = await survey(f.county, recent.childId)
  t.equal(refused.statusCode, 409)
  t.match(refused.json().error, { code: 'duplicate_assistance', details: [{ code: 'dream_room_36_months', entryId: entry.id, occurredOn: addDays(today(), -730), provider: '区慈善总会' }] })
  t.match(refused.json().error.message, new RegExp(`救助链第 ${entry.id} 条`))
  t.equal((await survey(f.county, long.childId)).statusCode, 201, 'more than 36 months ago: a new room may be surveyed')
})

t.test('stages in order, each closed by its evidence; the handover completes the room once and settles the account', async t => {
  const f = await setUp(t)
  const family = await registerFamily(f.town, TOWN_VILLAGE, 1)
  const project = await dreamProject(f, 40000)
  const room = await surveyed(f.town, family.childId)

  const skip = await complete(f.town, room, 'design')
  t.equal(skip.statusCode, 409, 'no skipping')
  t.match(skip.json().error, { code: 'illegal_transition', details: [{ stage: 'survey' }] })
  t.equal((await complete(f.town, room, 'survey')).json().error.code, 'evidence_required')
  t.match((await upload(f.town, room, 'design')).json().error, { code: 'illegal_transition', details: [{ stage: 'survey' }] }, 'no evidence ahead of the room')
  const fake = await f.town.call({ method: 'POST', url: `/api/v1/dream-rooms/${room}/evidence?stage=survey`, headers: { 'content-type': 'image/jpeg' }, payload: Buffer.from('not a photo at all') })
  t.equal(fake.statusCode, 415, 'the bytes decide, not the declared type')
  t.equal((await f.town.call({ method: 'POST', url: `/api/v1/dream-rooms/${room}/evidence?stage=attic`, headers: { 'content-type': 'image/png' }, payload: PDF })).statusCode, 400)
  t.equal((await upload(f.town, room, 'survey')).statusCode, 201)
  t.match((await complete(f.town, room, 'survey', { note: '已拍照' })).json(), { id: room, from: 'survey', to: 'design' })
  const twice = await complete(f.town, room, 'survey')
  t.equal(twice.statusCode, 409, 'no completing twice')
  t.match(twice.json().error.details, [{ stage: 'design' }])

  t.equal((await upload(f.charity, room, 'design')).statusCode, 403, 'charity staff act only on rooms they fund')
  const funded = await f.charity.call({ method: 'POST', url: `/api/v1/dream-rooms/${room}/funding`, payload: { projectId: project } })
  t.equal(funded.statusCode, 200, funded.body)
  t.match(funded.json(), { id: room, project: { id: project }, stage: 'design' })
  t.equal((await upload(f.charity, room, 'design', PDF)).statusCode, 201, 'the funder uploads the design plan')
  t.equal((await f.charity.call({ method: 'POST', url: `/api/v1/dream-rooms/${room}/funding`, payload: { projectId: project } })).json().error.code, 'already_funded')
  t.equal((await complete(f.charity, room, 'design')).statusCode, 200)
  t.equal((await upload(f.town, room, 'build')).statusCode, 201)
  const early = await complete(f.town, room, 'build', { actualCost: 100 })
  t.match(early.json().error, { code: 'validation_failed', details: [{ field: 'body.actualCost', code: 'handover_only' }] })
  t.equal((await complete(f.town, room, 'build')).statusCode, 200)
  t.equal((await upload(f.town, room, 'handover', PDF)).statusCode, 201)
  const over = await complete(f.town, room, 'handover', { actualCost: 16000 })
  t.equal(over.statusCode, 400)
  t.match(over.json().error.details, [{ field: 'body.actualCost', code: 'over_commitment' }])

  const handed = await complete(f.town, room, 'handover', { actualCost: 14200 })
  t.equal(handed.statusCode, 200, handed.body)
  t.match(handed.json(), { from: 'handover', to: 'completed', chainEntryId: Number })
  t.match((await complete(f.town, room, 'handover')).json().error, { code: 'illegal_transition', details: [{ stage: 'completed' }] })

  const chain = (await f.town.call({ method: 'GET', url: `/api/v1/households/${family.householdId}/assistance` })).json()
  t.same(chain.map((e: { id: number, source: string, kind: string, value: number, reference: string }) => [e.id, e.source, e.kind, e.value, e.reference]),
    [[handed.json().chainEntryId, 'charity', 'dream_room', 14200, `dream_room:${room}`]])
  const view = (await f.town.call({ method: 'GET', url: `/api/v1/dream-rooms/${room}` })).json()
  t.match(view, { stage: 'completed', overdue: false, project: { id: project, budget: 40000, committed: 14200, spent: 14200 } })
  t.ok(view.stages.every((s: { completedOn: string | null }) => s.completedOn === today()))
  t.same(view.stages.map((s: { evidenceCount: number }) => s.evidenceCount), [1, 1, 1, 1])
  t.same(view.evidence.map((e: { stage: string, contentType: string }) => [e.stage, e.contentType]),
    [['survey', 'image/png'], ['design', 'application/pdf'], ['build', 'image/png'], ['handover', 'application/pdf']])
  t.same(view.ledger.map((l: { movement: string, amount: number }) => [l.movement, l.amount]), [['commit', 15000], ['spend', 14200], ['release', 800]], 'the unspent estimate goes back')

  const next = await survey(f.town, family.childId)
  t.match(next.json().error, { code: 'duplicate_assistance', details: [{ entryId: handed.json().chainEntryId }] }, 'the delivered room now blocks a second one')
  const audited = await f.app.db.selectFrom('audit_records').select(['action', 'region_code']).where('action', 'like', 'dream_room.%').orderBy('id').execute()
  t.same(audited.map(a => a.action).filter(a => a !== 'dream_room.evidence'),
    ['dream_room.survey', 'dream_room.complete_stage', 'dream_room.fund', 'dream_room.complete_stage', 'dream_room.complete_stage', 'dream_room.complete_stage'])
  t.same(new Set(audited.map(a => a.region_code)), new Set([TOWN_VILLAGE]), 'every record under the room\'s village, for its auditors')
})

t.test('cancellation needs a reason, releases the commitment, and closes the room to every step', async t => {
  const f = await setUp(t)
  const family = await registerFamily(f.town, TOWN_VILLAGE, 1)
  const project = await dreamProject(f, 20000)
  const room = await surveyed(f.town, family.childId)
  t.equal((await f.charity.call({ method: 'POST', url: `/api/v1/dream-rooms/${room}/funding`, payload: { projectId: project } })).statusCode, 200)

  t.match((await f.town.call({ method: 'POST', url: `/api/v1/dream-rooms/${room}/cancel`, payload: {} })).json().error.details, [{ field: 'body.reason' }])
  t.equal((await f.charity.call({ method: 'POST', url: `/api/v1/dream-rooms/${room}/cancel`, payload: { reason: '家庭搬迁' } })).statusCode, 403, 'civil affairs cancel')
  const cancelled = await f.town.call({ method: 'POST', url: `/api/v1/dream-rooms/${room}/cancel`, payload: { reason: '家庭已搬迁至外地' } })
  t.same(cancelled.json(), { id: room, stage: 'cancelled', released: 15000 })
  const audit = await f.app.db.selectFrom('audit_records').select(['after', 'region_code']).where('action', '=', 'dream_room.cancel').executeTakeFirstOrThrow()
  t.match(audit, { after: { stage: 'cancelled', reason: '家庭已搬迁至外地', released: 15000 }, region_code: TOWN_VILLAGE }, 'audited under the room\'s village')
  const account = await f.app.db.selectFrom('projects').select(['committed', 'spent']).where('id', '=', project).executeTakeFirstOrThrow()
  t.same(account, { committed: 0, spent: 0 })

  for (const [what, response] of [
    ['complete', await complete(f.town, room, 'survey')],
    ['upload', await upload(f.town, room, 'survey')],
    ['fund', await f.charity.call({ method: 'POST', url: `/api/v1/dream-rooms/${room}/funding`, payload: { projectId: project } })],
    ['due dates', await f.town.call({ method: 'PATCH', url: `/api/v1/dream-rooms/${room}/due-dates`, payload: { design: addDays(today(), 60) } })],
    ['cancel', await f.town.call({ method: 'POST', url: `/api/v1/dream-rooms/${room}/cancel`, payload: { reason: '再次取消' } })]
  ] as const) {
    t.equal(response.statusCode, 409, what)
    t.match(response.json().error, { code: 'illegal_transition', details: [{ stage: 'cancelled' }] }, what)
  }
  t.match((await f.town.call({ method: 'GET', url: `/api/v1/dream-rooms/${room}` })).json(), { stage: 'cancelled', reason: '家庭已搬迁至外地' })
  t.equal((await survey(f.town, family.childId)).statusCode, 201, 'nothing was delivered: the household may be surveyed again')
})

t.test('due dates move for stages not yet done; overdue stages are flagged and listed', async t => {
  const f = await setUp(t)
  const late = await surveyed(f.town, (await registerFamily(f.town, TOWN_VILLAGE, 1)).childId)
  const onTime = await surveyed(f.town, (await registerFamily(f.town, TOWN_VILLAGE, 2, '李')).childId)
  // Time passes: the late room's survey was due three days ago.
  await f.app.db.updateTable('dream_room_stages').set({ due_on: addDays(today(), -3) }).where('room_id', '=', late).where('stage', '=', 'survey').execute()

  const overdue = (await f.town.call({ method: 'GET', url: '/api/v1/dream-rooms?overdue=true' })).json()
  t.same(overdue.items.map((r: { id: number }) => r.id), [late])
  t.match(overdue.items[0], { overdue: true, stages: [{ stage: 'survey', overdue: true }, { stage: 'design', overdue: false }] })
  t.same((await f.town.call({ method: 'GET', url: '/api/v1/dream-rooms?overdue=false' })).json().items.map((r: { id: number }) => r.id), [onTime])
  t.equal((await f.town.call({ method: 'GET', url: '/api/v1/dream-rooms?stage=design' })).json().total, 0)

  const moved = await f.town.call({ method: 'PATCH', url: `/api/v1/dream-rooms/${late}/due-dates`, payload: { survey: addDays(today(), 7) } })
  t.equal(moved.statusCode, 200, moved.body)
  t.equal(moved.json().dueDates.survey, addDays(today(), 7))
  t.equal((await f.town.call({ method: 'GET', url: `/api/v1/dream-rooms/${late}` })).json().overdue, false, 'a moved due date is no longer overdue')
  const audit = await f.app.db.selectFrom('audit_records').select(['before', 'after', 'region_code']).where('action', '=', 'dream_room.due_dates').executeTakeFirstOrThrow()
  t.match(audit, { before: { survey: addDays(today(), -3) }, after: { survey: addDays(today(), 7) }, region_code: TOWN_VILLAGE }, 'old and new dates audited, under the room\'s village')

  await upload(f.town, late, 'survey')
  await complete(f.town, late, 'survey')
  const done = await f.town.call({ method: 'PATCH', url: `/api/v1/dream-rooms/${late}/due-dates`, payload: { survey: addDays(today(), 9), design: addDays(today(), 40) } })
  t.equal(done.statusCode, 400)
  t.same(done.json().error.details.map((d: { field: string, code: string }) => [d.field, d.code]), [['body.survey', 'stage_completed']])
  t.equal((await f.town.call({ method: 'PATCH', url: `/api/v1/dream-rooms/${late}/due-dates`, payload: {} })).statusCode, 400, 'at least one date')
  t.equal((await f.town.call({ method: 'PATCH', url: `/api/v1/dream-rooms/${late}/due-dates`, payload: { design: addDays(today(), -1) } })).json().error.details[0].field, 'body.design')
})

t.test('a project funds a room only when it can: its kind, status, region and budget', async t => {
  const f = await setUp(t)
  const room = await surveyed(f.town, (await registerFamily(f.town, TOWN_VILLAGE, 1)).childId)
  const closed = await dreamProject(f, 100000, { status: 'closed' })
  const fund = await dreamProject(f, 100000, { kind: 'fund' })
  const small = await dreamProject(f, 10000)
  const other = await f.app.db.insertInto('organisations').values({ name: '湖州市慈善总会', region_code: '330503' }).returning('id').executeTakeFirstOrThrow()
  const theirs = await dreamProject(f, 100000, { organisationId: other.id })
  const tryFund = async (projectId: number) => f.charity.call({ method: 'POST', url: `/api/v1/dream-rooms/${room}/funding`, payload: { projectId } })

  t.equal((await tryFund(closed)).json().error.code, 'project_not_open')
  t.equal((await tryFund(fund)).json().error.code, 'wrong_project_kind')
  t.equal((await tryFund(small)).json().error.code, 'budget_exceeded')
  t.equal((await tryFund(theirs)).statusCode, 403, 'only from the organisation\'s own projects')
  t.equal((await tryFund(424242)).statusCode, 404)
  t.equal((await f.town.call({ method: 'POST', url: `/api/v1/dream-rooms/${room}/funding`, payload: { projectId: small } })).statusCode, 403, 'civil affairs do not fund')
  const nowhere = await dreamProject(f, 100000)
  await f.app.db.updateTable('projects').set({ eligibility: JSON.stringify({ regionCodes: ['330503102'] }) }).where('id', '=', nowhere).execute()
  t.equal((await tryFund(nowhere)).json().error.code, 'outside_project_region')
  t.equal((await f.charity.call({ method: 'POST', url: `/api/v1/dream-rooms/${room}/funding`, payload: { projectId: 'x' } })).json().error.details[0].field, 'body.projectId')
})

t.test('the whole way through for a room funded then handed over by the funder', async t => {
  const f = await setUp(t)
  const room = await surveyed(f.town, (await registerFamily(f.town, TOWN_VILLAGE, 1)).childId)
  const project = await dreamProject(f, 15000)
  await readyForHandover(f, room, project)
  await upload(f.charity, room, 'handover', PDF)
  const handed = await complete(f.charity, room, 'handover')
  t.match(handed.json(), { to: 'completed', chainEntryId: Number })
  const account = await f.app.db.selectFrom('projects').select(['committed', 'spent']).where('id', '=', project).executeTakeFirstOrThrow()
  t.same(account, { committed: 15000, spent: 15000 }, 'without an actual cost, the estimate is spent')
})
