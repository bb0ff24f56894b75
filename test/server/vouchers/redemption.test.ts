// Redemption by the institution that holds the seat, exactly once under parallel requests,
// with the chain entry and the project's spending; what institutions see of the children.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { appWithAccounts, signIn, type Session } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { today } from '../../../server/clock.js'
import { insertChild, insertCourse, insertProject, insertVoucher, NOW } from './fixtures.js'

interface Placed { app: FastifyInstance, town: Session, school: Session, voucher: number, course: number, project: number, householdId: number }

async function placed (t: Parameters<typeof appWithAccounts>[0]): Promise<Placed> {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const project = await insertProject(app, 8000)
  const child = await insertChild(app, { age: 8, surname: '欧阳' })
  const voucher = await insertVoucher(app, child)
  await app.db.updateTable('vouchers').set({ project_id: project }).execute()
  const course = await insertCourse(app)
  const town = await signIn(app, 'mz-nanxun')
  const chosen = await town.call({ method: 'POST', url: `/api/v1/vouchers/${voucher}/choice`, payload: { courseId: course } })
  if (chosen.statusCode !== 200) throw new Error(chosen.body)
  return { app, town, school: await signIn(app, 'training'), voucher, course, project, householdId: child.householdId }
}

t.test('parallel redemptions: one succeeds, the chain gets one entry, the project spends once', async t => {
  const { app, school, voucher, project, householdId } = await placed(t)
  const attendance = { sessionsTotal: 12, sessionsAttended: 10 }
  const responses = await Promise.all([1, 2, 3, 4, 5, 6].map(() => school.call({ method: 'POST', url: `/api/v1/vouchers/${voucher}/redemption`, payload: attendance })))
  t.same(responses.map(r => r.statusCode).sort(), [200, 409, 409, 409, 409, 409])
  const ok = responses.find(r => r.statusCode === 200)?.json()
  t.match(ok, { voucherId: voucher, appended: true, spent: 800 })
  for (const r of responses.filter(r => r.statusCode === 409)) t.match(r.json().error, { code: 'illegal_transition', details: [{ state: 'redeemed' }] })

  const chain = await app.db.selectFrom('assistance_entries').selectAll().where('household_id', '=', householdId).execute()
  t.equal(chain.length, 1)
  t.match(chain[0], { id: ok.chainEntryId, source: 'charity', kind: 'training_voucher', tags: ['voucher'], value: 800, origin: `voucher:${voucher}`, occurred_on: today(), provider: '南浔区阳光培训学校（书法兴趣班）' })
  t.match(await app.db.selectFrom('projects').select(['committed', 'spent']).where('id', '=', project).executeTakeFirstOrThrow(), { committed: 800, spent: 800 })
  t.match(await app.db.selectFrom('vouchers').selectAll().where('id', '=', voucher).executeTakeFirstOrThrow(), { state: 'redeemed', sessions_total: 12, sessions_attended: 10 })
  t.equal((await app.db.selectFrom('audit_records').select('id').where('action', '=', 'voucher.redeem').execute()).length, 1)
})

t.test('illegal transitions and bad attendance are refused', async t => {
  const { app, town, school, voucher, course } = await placed(t)
  const issued = await insertVoucher(app, await insertChild(app, { age: 9 }))
  const redeem = (id: number, payload: object = { sessionsTotal: 8, sessionsAttended: 8 }) => school.call({ method: 'POST', url: `/api/v1/vouchers/${id}/redemption`, payload })
  // An issued voucher has no seat: nobody can redeem it, and the institution learns nothing of it.
  t.equal((await redeem(issued)).statusCode, 404)
  await app.db.updateTable('vouchers').set({ state: 'lapsed' }).where('id', '=', issued).execute()
  t.equal((await redeem(issued)).statusCode, 404)

  const over = await redeem(voucher, { sessionsTotal: 8, sessionsAttended: 9 })
  t.equal(over.statusCode, 400)
  t.same(over.json().error.details.map((d: { field: string }) => d.field), ['body.sessionsAttended'])
  const missing = await redeem(voucher, { sessionsTotal: 0 })
  t.same(missing.json().error.details.map((d: { field: string }) => d.field).sort(), ['body.sessionsAttended', 'body.sessionsTotal'])
  t.equal((await town.call({ method: 'POST', url: `/api/v1/vouchers/${voucher}/redemption`, payload: { sessionsTotal: 8, sessionsAttended: 8 } })).statusCode, 403, 'civil affairs do not redeem')
  t.equal((await (await signIn(app, 'admin')).call({ method: 'POST', url: `/api/v1/vouchers/${voucher}/redemption`, payload: { sessionsTotal: 8, sessionsAttended: 8 } })).statusCode, 403, 'nor administrators')

  t.equal((await redeem(voucher)).statusCode, 200)
  t.equal((await town.call({ method: 'POST', url: `/api/v1/vouchers/${voucher}/choice`, payload: { courseId: course } })).json().error.code, 'illegal_transition', 'a redeemed voucher is not placed again')
  t.equal((await town.call({ method: 'POST', url: `/api/v1/vouchers/${voucher}/release`, payload: { reason: '误操作' } })).json().error.code, 'illegal_transition')
  const view = (await town.call({ method: 'GET', url: `/api/v1/vouchers/${voucher}` })).json()
  t.match(view, { state: 'redeemed', sessionsTotal: 8, sessionsAttended: 8, course: { id: course } })
})

t.test('an institution sees its own courses and the children placed in them, de-identified', async t => {
  const { app, school, voucher, course } = await placed(t)
  const admin = await signIn(app, 'admin')
  const other = await app.db.insertInto('institutions').values({ name: '双林启航培训中心', region_code: '330503102' }).returning('id').executeTakeFirstOrThrow()
  const created = await admin.call({ method: 'POST', url: '/api/v1/users', payload: { username: 'qihang', displayName: '启航培训中心', password: 'long-enough-pass-1', roles: ['institution'], institutionId: other.id } })
  t.equal(created.statusCode, 201, created.body)
  const rival = await signIn(app, 'qihang', 'long-enough-pass-1')

  const roster = await school.call({ method: 'GET', url: `/api/v1/courses/${course}/vouchers` })
  t.equal(roster.statusCode, 200, roster.body)
  t.same(roster.json(), [{ voucherId: voucher, halfYear: NOW, state: 'assigned', courseId: course, child: '欧阳同学', ageBand: '6-11岁', assignedAt: roster.json()[0].assignedAt, sessionsTotal: null, sessionsAttended: null, redeemedAt: null }],
    'a title and an age band: no name, ID number, address or category')
  t.notMatch(roster.body, /low_income|\*\*|330503101001|birth/)

  t.equal((await rival.call({ method: 'GET', url: `/api/v1/courses/${course}/vouchers` })).statusCode, 403, 'not another institution\'s roster')
  t.same((await rival.call({ method: 'GET', url: '/api/v1/courses' })).json(), [])
  t.equal((await rival.call({ method: 'POST', url: `/api/v1/vouchers/${voucher}/redemption`, payload: { sessionsTotal: 8, sessionsAttended: 8 } })).statusCode, 404, 'nor its vouchers')
  t.equal((await rival.call({ method: 'GET', url: `/api/v1/vouchers/${voucher}` })).statusCode, 403)

  // Staff: the county reads the roster; a clerk of another town sees none of this town's children.
  t.equal((await (await signIn(app, 'mz-county')).call({ method: 'GET', url: `/api/v1/courses/${course}/vouchers` })).json().length, 1)
  const clerk = await admin.call({ method: 'POST', url: '/api/v1/users', payload: { username: 'shuanglin', displayName: '双林镇民政', password: 'long-enough-pass-1', roles: ['civil_affairs'], regionCode: '330503102' } })
  t.equal(clerk.statusCode, 201, clerk.body)
  t.same((await (await signIn(app, 'shuanglin', 'long-enough-pass-1')).call({ method: 'GET', url: `/api/v1/courses/${course}/vouchers` })).json(), [])
})
