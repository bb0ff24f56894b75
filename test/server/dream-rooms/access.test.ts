// Who sees what of a room: staff of the region see it whole (masked name), lists are scoped
// to the region; charity staff see rooms awaiting a funder and the rooms their own projects
// fund, de-identified — every field of every response is scanned for personal data.
import t, { type Test } from 'tap'
import { signIn, type Session } from '../../helpers/accounts.js'
import { dreamProject, registerFamily, setUp, surveyed, TOWN_VILLAGE, OTHER_VILLAGE, upload, type Family } from './setup.js'

const DEIDENTIFIED_KEYS = ['id', 'stage', 'title', 'ageBand', 'town', 'townCode', 'roomCondition', 'areaM2', 'budgetEstimate', 'overdue', 'stages', 'project', 'createdAt']
const STAGE_KEYS = ['stage', 'dueOn', 'completedOn', 'overdue', 'evidenceCount']

/** Fails for any personal value anywhere in the body, and for any field the de-identified room does not have. */
function scan (t: Test, body: unknown, families: Family[]): void {
  const text = JSON.stringify(body)
  for (const { secrets } of families) {
    for (const value of [...secrets.names, ...secrets.idNumbers, secrets.address, '东大街88号', secrets.phone, secrets.illness, '6000']) {
      t.notOk(text.includes(value), `no ${value}`)
    }
  }
  const rooms = (body as { items?: unknown[] }).items ?? [body]
  for (const room of rooms as Array<Record<string, unknown> & { stages: Array<Record<string, unknown>> }>) {
    t.same(Object.keys(room).sort(), [...DEIDENTIFIED_KEYS].sort(), 'only the de-identified fields')
    for (const stage of room.stages) t.same(Object.keys(stage).sort(), [...STAGE_KEYS].sort())
  }
}

t.test('staff lists and records are scoped to the region', async t => {
  const f = await setUp(t)
  const inTown = await surveyed(f.county, (await registerFamily(f.county, TOWN_VILLAGE, 1)).childId)
  const elsewhere = await surveyed(f.county, (await registerFamily(f.county, OTHER_VILLAGE, 2, '李')).childId)
  const ids = async (session: Session, query = '') => (await session.call({ method: 'GET', url: `/api/v1/dream-rooms${query}` })).json().items.map((r: { id: number }) => r.id)

  t.same(await ids(f.town), [inTown], 'the town clerk sees the town')
  t.same(await ids(f.county), [elsewhere, inTown], 'the county clerk sees the county')
  t.same(await ids(f.county, '?regionCode=330503102'), [elsewhere])
  const auditor = await signIn(f.app, 'auditor')
  t.same(await ids(auditor), [elsewhere, inTown], 'auditors read')
  t.equal((await f.town.call({ method: 'GET', url: `/api/v1/dream-rooms/${elsewhere}` })).statusCode, 403)
  t.equal((await f.town.call({ method: 'POST', url: `/api/v1/dream-rooms/${elsewhere}/cancel`, payload: { reason: '不在本镇' } })).statusCode, 403)
  t.equal((await f.town.call({ method: 'PATCH', url: `/api/v1/dream-rooms/${elsewhere}/due-dates`, payload: { design: '2099-01-01' } })).statusCode, 403)
  t.equal((await upload(f.town, elsewhere, 'survey')).statusCode, 403)
  t.equal((await auditor.call({ method: 'POST', url: `/api/v1/dream-rooms/${inTown}/cancel`, payload: { reason: '审计' } })).statusCode, 403, 'auditors change nothing')
  for (const who of ['donor-person', 'training']) {
    const session = await signIn(f.app, who)
    for (const url of ['/api/v1/dream-rooms', `/api/v1/dream-rooms/${inTown}`, '/api/v1/dream-rooms/offers', '/api/v1/dream-rooms/funded', `/api/v1/dream-rooms/${inTown}/summary`]) {
      t.equal((await session.call({ method: 'GET', url })).statusCode, 403, `${who} ${url}`)
    }
  }
  t.equal((await f.charity.call({ method: 'GET', url: '/api/v1/dream-rooms' })).statusCode, 403, 'charity staff never get the staff view')
  t.equal((await f.charity.call({ method: 'GET', url: `/api/v1/dream-rooms/${inTown}` })).statusCode, 403)
})

t.test('charity staff see rooms de-identified: those awaiting a funder, then those their projects fund', async t => {
  const f = await setUp(t)
  const families = [await registerFamily(f.county, TOWN_VILLAGE, 1), await registerFamily(f.county, OTHER_VILLAGE, 2, '欧阳')]
  const [mine, waiting] = [
    await surveyed(f.county, families[0]!.childId, { roomCondition: '王小明的房间在东大街88号3幢201室，电话13912345678，身份证号见档案，墙面发霉' }),
    await surveyed(f.county, families[1]!.childId)
  ]
  await upload(f.county, mine, 'survey')

  const offers = await f.charity.call({ method: 'GET', url: '/api/v1/dream-rooms/offers' })
  t.equal(offers.statusCode, 200)
  t.same(offers.json().items.map((r: { id: number }) => r.id), [waiting, mine])
  scan(t, offers.json(), families)
  const first = offers.json().items.find((r: { id: number }) => r.id === mine)
  t.match(first, { title: '王同学', ageBand: '6-11岁', town: '南浔镇', townCode: '330503101', project: null, stages: [{ stage: 'survey', evidenceCount: 1 }] })
  t.match(first.roomCondition, /墙面发霉/)
  t.equal(offers.json().items.find((r: { id: number }) => r.id === waiting).title, '欧阳同学')

  const project = await dreamProject(f, 50000)
  const funded = await f.charity.call({ method: 'POST', url: `/api/v1/dream-rooms/${mine}/funding`, payload: { projectId: project } })
  scan(t, funded.json(), families)
  t.same((await f.charity.call({ method: 'GET', url: '/api/v1/dream-rooms/offers' })).json().items.map((r: { id: number }) => r.id), [waiting], 'a funded room is no longer offered')
  const list = await f.charity.call({ method: 'GET', url: `/api/v1/dream-rooms/funded?projectId=${project}` })
  t.same(list.json().items.map((r: { id: number }) => r.id), [mine])
  scan(t, list.json(), families)
  const summary = await f.charity.call({ method: 'GET', url: `/api/v1/dream-rooms/${mine}/summary` })
  t.equal(summary.statusCode, 200)
  scan(t, summary.json(), families)
  t.equal((await f.charity.call({ method: 'GET', url: `/api/v1/dream-rooms/${waiting}/summary` })).statusCode, 403, 'not a room the organisation funds')

  // Staff of another charity see neither the room's summary nor it in their list, nor act on it.
  const other = await f.app.db.insertInto('organisations').values({ name: '湖州市慈善总会', region_code: '330503' }).returning('id').executeTakeFirstOrThrow()
  const admin = await signIn(f.app, 'admin')
  const created = await admin.call({ method: 'POST', url: '/api/v1/users', payload: { username: 'hz-charity', displayName: '市慈善总会 孙干事', password: 'long-enough-pass-1', roles: ['charity_staff'], organisationId: other.id } })
  t.equal(created.statusCode, 201, created.body)
  const stranger = await signIn(f.app, 'hz-charity', 'long-enough-pass-1')
  t.equal((await stranger.call({ method: 'GET', url: `/api/v1/dream-rooms/${mine}/summary` })).statusCode, 403)
  t.same((await stranger.call({ method: 'GET', url: '/api/v1/dream-rooms/funded' })).json(), { total: 0, items: [] })
  t.equal((await upload(stranger, mine, 'survey')).statusCode, 403)
  t.equal((await upload(f.charity, mine, 'survey')).statusCode, 201, 'the funder acts on its room')
  t.same((await admin.call({ method: 'GET', url: '/api/v1/dream-rooms/funded' })).json().items.map((r: { id: number }) => r.id), [mine], 'administrators see every funded room')
})
