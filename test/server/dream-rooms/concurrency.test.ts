// Money and the chain under parallel requests: one open room per household however many
// surveys arrive at once, funding many rooms from a small budget commits only what fits, one
// room is funded once, and a handover completed many times at once writes one chain entry
// and spends once.
import t from 'tap'
import { complete, dreamProject, PDF, readyForHandover, registerFamily, setUp, survey, surveyed, TOWN_VILLAGE, upload } from './setup.js'

t.test('parallel surveys of one household open one room', async t => {
  const f = await setUp(t)
  const family = await registerFamily(f.town, TOWN_VILLAGE, 1)
  const responses = await Promise.all([f.town, f.county, f.town, f.county].map(clerk => survey(clerk, family.childId)))
  t.same(responses.map(r => r.statusCode).sort(), [201, 409, 409, 409])
  t.ok(responses.filter(r => r.statusCode === 409).every(r => r.json().error.code === 'open_room_exists'))
})

t.test('parallel funding against a small budget commits only what fits', async t => {
  const f = await setUp(t)
  const project = await dreamProject(f, 40000)
  const rooms: number[] = []
  for (let i = 1; i <= 5; i++) rooms.push(await surveyed(f.town, (await registerFamily(f.town, TOWN_VILLAGE, i)).childId))

  const responses = await Promise.all(rooms.map(room => f.charity.call({ method: 'POST', url: `/api/v1/dream-rooms/${room}/funding`, payload: { projectId: project } })))
  const statuses = responses.map(r => r.statusCode).sort()
  t.same(statuses, [200, 200, 409, 409, 409], 'two rooms of ¥15,000 fit a ¥40,000 budget')
  t.ok(responses.filter(r => r.statusCode === 409).every(r => r.json().error.code === 'budget_exceeded'))
  const account = await f.app.db.selectFrom('projects').select(['committed']).where('id', '=', project).executeTakeFirstOrThrow()
  t.equal(account.committed, 30000)
  const commits = await f.app.db.selectFrom('project_ledger').select('reference').where('project_id', '=', project).where('movement', '=', 'commit').execute()
  const funded = await f.app.db.selectFrom('dream_rooms').select('id').where('project_id', '=', project).execute()
  t.same(commits.map(c => c.reference).sort(), funded.map(r => `dream_room:${r.id}`).sort(), 'a ledger line for each funded room and no other')

  // One room, two projects at once: one funds it.
  const room = await surveyed(f.town, (await registerFamily(f.town, TOWN_VILLAGE, 6)).childId)
  const [a, b] = [await dreamProject(f, 50000), await dreamProject(f, 50000)]
  const both = await Promise.all([a, b].map(projectId => f.charity.call({ method: 'POST', url: `/api/v1/dream-rooms/${room}/funding`, payload: { projectId } })))
  t.same(both.map(r => r.statusCode).sort(), [200, 409])
  t.equal(both.find(r => r.statusCode === 409)?.json().error.code, 'already_funded')
  const totals = await f.app.db.selectFrom('projects').select(eb => eb.fn.sum<number>('committed').as('committed')).where('id', 'in', [a, b]).executeTakeFirstOrThrow()
  t.equal(Number(totals.committed), 15000, 'committed once')
})

t.test('a handover completed in parallel writes the chain once and spends once', async t => {
  const f = await setUp(t)
  const family = await registerFamily(f.town, TOWN_VILLAGE, 1)
  const room = await surveyed(f.town, family.childId)
  const project = await dreamProject(f, 30000)
  await readyForHandover(f, room, project)
  await upload(f.town, room, 'handover', PDF)

  const responses = await Promise.all(Array.from({ length: 6 }, (_, i) => complete(i % 2 === 0 ? f.town : f.charity, room, 'handover', { actualCost: 13000 })))
  t.same(responses.map(r => r.statusCode).sort(), [200, 409, 409, 409, 409, 409])
  t.ok(responses.filter(r => r.statusCode === 409).every(r => r.json().error.details[0].stage === 'completed'))
  const entries = await f.app.db.selectFrom('assistance_entries').select(['kind', 'value']).where('household_id', '=', family.householdId).execute()
  t.same(entries, [{ kind: 'dream_room', value: 13000 }], 'one chain entry')
  const account = await f.app.db.selectFrom('projects').select(['committed', 'spent']).where('id', '=', project).executeTakeFirstOrThrow()
  t.same(account, { committed: 13000, spent: 13000 }, 'spent once, the rest released once')
})
