// The charity workbench beyond projects, as a browser uses it: confirmed help followed to
// delivery with evidence, a dream room funded and carried through a stage, and a donor read
// (audited) and sent a note that is checked for anything naming the family first.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { fieldError, PageClient, postFile, textOf } from '../../helpers/pages.js'
import { signIn } from '../../helpers/accounts.js'
import { PNG, publishedWish, registerHousehold } from '../../helpers/needs.js'
import { insertProject, register, runFor, world } from '../proposals/setup.js'

const lastAction = async (app: FastifyInstance, action: string) =>
  app.db.selectFrom('audit_records').select(['action', 'record_type', 'record_id', 'details']).where('action', '=', action).orderBy('id', 'desc').executeTakeFirst()

t.test('confirmed help followed to delivery with evidence', async t => {
  const w = await world(t)
  const { app } = w
  await register(w.county, '330503101001', 3600)
  const project = await insertProject(app, { kind: 'fund', title: '助学金', budget: 10000, unit_cost: 3000, eligibility: JSON.stringify({ regionCodes: ['330503'] }) })
  const run = await runFor(w.charity, project)
  t.equal(run.summary.proposed, 1)
  const [proposal] = (await w.charity.call({ method: 'GET', url: `/api/v1/projects/${project}/proposals` })).json()
  t.equal((await w.town.call({ method: 'POST', url: `/api/v1/proposals/${proposal.id}/confirm`, payload: {} })).statusCode, 200)

  const browser = new PageClient(app)
  await browser.signIn('cszh')
  const list = textOf((await browser.get('/charity/fulfilments')).body)
  t.match(list, /助学金 测\* · 南浔镇 东大街社区 · ¥3,000 落实中/)
  t.match(textOf((await browser.get('/charity/fulfilments?overdue=true')).body), /这里没有帮扶/, 'nothing is overdue yet')

  const page = await browser.get(`/charity/fulfilments/${proposal.id}`)
  t.equal(page.statusCode, 200)
  const early = await browser.post(`/charity/fulfilments/${proposal.id}/delivered`, { note: '已发放' })
  t.equal(early.statusCode, 409, 'delivery needs evidence first')
  t.match(textOf(early.body), /请先上传送达凭证（照片或签收单）/)

  await browser.get(`/charity/fulfilments/${proposal.id}`)
  const noFile = await postFile(browser, `/charity/fulfilments/${proposal.id}/evidence`, {})
  t.equal(noFile.statusCode, 400)
  t.equal(fieldError(noFile.body, 'photo'), '请先选择或拍摄一张照片')
  const uploaded = await postFile(browser, `/charity/fulfilments/${proposal.id}/evidence`, {}, { name: '签收单.png', type: 'image/png', content: PNG })
  t.equal(uploaded.statusCode, 303)
  const withPhoto = await browser.follow(uploaded)
  t.match(textOf(withPhoto.body), /凭证已上传/)
  const photo = /<img src="(\/charity\/fulfilments\/\d+\/evidence\/\d+)"/.exec(withPhoto.body)?.[1]
  t.ok(photo, 'the photo is shown')
  const file = await browser.get(photo as string)
  t.equal(file.statusCode, 200)
  t.equal(file.headers['content-type'], 'image/png')

  const delivered = await browser.post(`/charity/fulfilments/${proposal.id}/delivered`, { note: '已发放到户' })
  t.equal(delivered.statusCode, 303)
  t.match(textOf((await browser.follow(delivered)).body), /已登记送达/)
  t.equal((await app.db.selectFrom('fulfilments').select('state').where('proposal_id', '=', proposal.id).executeTakeFirstOrThrow()).state, 'delivered')
  t.match(await lastAction(app, 'fulfilment.delivered'), { record_type: 'proposal', record_id: String(proposal.id) })
  const cancel = await browser.post(`/charity/fulfilments/${proposal.id}/cancel`, { reason: '家庭搬走了' })
  t.equal(cancel.statusCode, 409, 'delivered help is not cancelled')

  // Another charity's help is not ours to see.
  const other = new PageClient(app)
  await other.signIn('mz-nanxun')
  t.equal((await other.get(`/charity/fulfilments/${proposal.id}`)).statusCode, 200, 'the region\'s staff follow it too')
  t.equal((await other.post(`/charity/fulfilments/${proposal.id}/delivered`, {})).statusCode, 403, 'but only the charity delivers')
})

t.test('a dream room funded from the organisation\'s project and carried through its survey', async t => {
  const w = await world(t)
  const { app } = w
  const family = await registerHousehold(w.town, [{ name: '王大海', birthDate: '1980-03-03', sex: 'male' }, { name: '王小雨', birthDate: '2016-05-05', sex: 'female', schoolStage: 'primary' }])
  const surveyed = await w.town.call({ method: 'POST', url: '/api/v1/dream-rooms', payload: { personId: family.personIds[1], roomCondition: '墙面发霉，王小雨没有书桌', budgetEstimate: 12000 } })
  t.equal(surveyed.statusCode, 201)
  const room = surveyed.json().id as number
  const rooms = await insertProject(app, { kind: 'dream_room', title: '梦想小屋改造计划', budget: 30000, unit_cost: 15000 })

  const browser = new PageClient(app)
  await browser.signIn('cszh')
  const offers = await browser.get('/charity/dream-rooms')
  const shown = textOf(offers.body)
  t.match(shown, /王同学/, 'the child by a title')
  t.notMatch(offers.body, /王小雨|王大海/, 'never a name, not even in the room\'s description')
  t.match(shown, /墙面发霉，【已隐去】没有书桌/)
  t.match(offers.body, new RegExp(`<option value="${rooms}">梦想小屋改造计划（尚可安排 ¥30,000）</option>`))

  const funded = await browser.post(`/charity/dream-rooms/${room}/fund`, { projectId: String(rooms) })
  t.equal(funded.statusCode, 303)
  t.equal(funded.headers.location, `/charity/dream-rooms/${room}`)
  t.match((await app.db.selectFrom('projects').select('committed').where('id', '=', rooms).executeTakeFirstOrThrow()), { committed: 12000 })
  const again = await browser.post(`/charity/dream-rooms/${room}/fund`, { projectId: String(rooms) })
  t.equal(again.statusCode, 409, 'a room is funded once')

  const roomPage = await browser.follow(funded)
  t.match(textOf(roomPage.body), /完成“入户调查”阶段/)
  const early = await browser.post(`/charity/dream-rooms/${room}/stages/survey/complete`, { note: '调查完成' })
  t.equal(early.statusCode, 409, 'a stage needs its evidence')
  await browser.get(`/charity/dream-rooms/${room}`)
  const uploaded = await postFile(browser, `/charity/dream-rooms/${room}/evidence`, { stage: 'survey' }, { name: '现状.png', type: 'image/png', content: PNG })
  t.equal(uploaded.statusCode, 303)
  const done = await browser.post(`/charity/dream-rooms/${room}/stages/survey/complete`, { note: '调查完成' })
  t.equal(done.statusCode, 303)
  t.match(textOf((await browser.follow(done)).body), /“入户调查”阶段已完成，进入“设计”/)
  t.equal((await app.db.selectFrom('dream_rooms').select('stage').where('id', '=', room).executeTakeFirstOrThrow()).stage, 'design')
  t.match(textOf((await browser.get('/charity/dream-rooms?show=funded')).body), /王同学/)
})

t.test('a donor read with an audit record, and a note checked before it is sent', async t => {
  const w = await world(t)
  const { app } = w
  const family = await registerHousehold(w.town, [{ name: '韩大平', birthDate: '1979-07-07', sex: 'male' }, { name: '韩小安', birthDate: '2015-07-07', sex: 'male', schoolStage: 'primary' }])
  const wish = await publishedWish(w.town, family.personIds[1] as number)
  const donor = await signIn(app, 'donor-person')
  t.equal((await donor.call({ method: 'POST', url: `/api/v1/wishes/${wish.id}/claim` })).statusCode, 201)
  const donorId = (await app.db.selectFrom('users').select('donor_id').where('username', '=', 'donor-person').executeTakeFirstOrThrow()).donor_id as number

  const browser = new PageClient(app)
  await browser.signIn('cszh')
  const list = await browser.get('/charity/donors?verified=true')
  t.equal(list.statusCode, 200)
  t.match(textOf(list.body), /联系方式已验证/)
  const read = await lastAction(app, 'donor.read_contacts')
  t.ok((read?.details as { donorIds: number[] }).donorIds.includes(donorId), 'the list read is audited, naming the donors shown')

  const page = await browser.get(`/charity/donors/${donorId}`)
  t.equal(page.statusCode, 200)
  t.match(textOf(page.body), /认领的心愿（1）/)
  t.match(await lastAction(app, 'donor.read_contacts'), { details: { donorIds: [donorId] } }, 'one donor read, audited')

  const naming = await browser.post(`/charity/donors/${donorId}/notes/check`, { kind: 'thanks', body: '感谢您帮助韩小安，他的电话是 13800001111。' })
  t.equal(naming.statusCode, 400)
  t.equal(fieldError(naming.body, 'body'), '内容可能让人认出受助家庭，请删去下面标出的部分后再检查')
  t.match(textOf(naming.body), /姓名：“韩小安”.*电话：“13800001111”/)
  const sentAnyway = await browser.post(`/charity/donors/${donorId}/notes`, { kind: 'thanks', body: '感谢您帮助韩小安，他的电话是 13800001111。' })
  t.equal(sentAnyway.statusCode, 400, 'sending it regardless is refused by the same check')
  t.equal(await app.db.selectFrom('donor_messages').select('id').where('donor_id', '=', donorId).where('sender', 'is not', null).executeTakeFirst(), undefined)

  const body = '您认领的心愿已经送到孩子手中，孩子让我们转达谢意！'
  const clean = await browser.post(`/charity/donors/${donorId}/notes/check`, { kind: 'thanks', body })
  t.equal(clean.statusCode, 200)
  t.match(textOf(clean.body), /检查通过：对方将读到/)
  const sent = await browser.post(`/charity/donors/${donorId}/notes`, { kind: 'thanks', body })
  t.equal(sent.statusCode, 303)
  t.match(textOf((await browser.follow(sent)).body), /感谢信已发送/)
  t.match(await app.db.selectFrom('donor_messages').select(['kind', 'sender', 'body']).where('donor_id', '=', donorId).orderBy('id', 'desc').executeTakeFirstOrThrow(), { kind: 'thanks', sender: '南浔区慈善总会', body })
  t.match(await lastAction(app, 'donor.note'), { record_type: 'donor', record_id: String(donorId) })

  const reader = new PageClient(app)
  await reader.signIn('donor-person')
  t.match(textOf((await reader.get('/me/messages')).body), /感谢信.*您认领的心愿已经送到孩子手中/)
  t.match(textOf((await reader.get('/notifications')).body), /南浔区慈善总会给您发来一封感谢信/)
})
