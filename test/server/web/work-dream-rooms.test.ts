// Dream rooms on the civil-affairs workbench without a browser: the county sees the rooms of
// both towns and a town officer only their own (403 for the other, as the API); the home's count
// links to the list; a stage is completed with a photo (flash, completion date, the photo shown
// and served, the audit record); a bad form shows its error beside the field, in Chinese.
import t from 'tap'
import { appWithAccounts, signIn, type Session } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { OTHER_VILLAGE, PNG, registerHousehold } from '../../helpers/needs.js'
import { fieldError, PageClient, postFile, textOf } from '../../helpers/pages.js'
import { addDays } from '../../../matching/dates.js'
import { today } from '../../../server/clock.js'

async function room (clerk: Session, personId: number, dueDates?: Record<string, string>): Promise<number> {
  const created = await clerk.call({ method: 'POST', url: '/api/v1/dream-rooms', payload: { personId, roomCondition: '和父母挤一间，没有书桌。', budgetEstimate: 15000, ...(dueDates ? { dueDates } : {}) } })
  if (created.statusCode !== 201) throw new Error(created.body)
  return created.json().id
}

async function world (t: Parameters<typeof appWithAccounts>[0]) {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const county = await signIn(app, 'mz-county')
  const town = await registerHousehold(county, [{ name: '韩大平', birthDate: '1979-07-07', sex: 'male' }, { name: '韩小安', birthDate: '2015-07-07', sex: 'male', schoolStage: 'primary' }])
  const other = await registerHousehold(county, [{ name: '沈长生', birthDate: '1980-03-03', sex: 'male' }, { name: '沈小林', birthDate: '2014-03-03', sex: 'male', schoolStage: 'primary' }], { regionCode: OTHER_VILLAGE })
  // 南浔镇's room: its survey due in three days (counted as due); 双林镇's: the default fourteen.
  const nanxun = await room(county, town.personIds[1] as number, { survey: addDays(today(), 3) })
  const shuanglin = await room(county, other.personIds[1] as number)
  return { app, nanxun, shuanglin }
}

t.test('the county sees both towns\' rooms, a town officer only their own', async t => {
  const { app, nanxun, shuanglin } = await world(t)
  const clerk = new PageClient(app)
  await clerk.signIn('mz-county')
  const county = textOf((await clerk.get('/work/dream-rooms')).body)
  t.match(county, /共 2 间/)
  t.match(textOf((await clerk.get('/work/dream-rooms?stage=survey&overdue=true')).body), /这一类里没有梦想小屋。/, 'nothing is overdue')
  t.equal((await clerk.get(`/work/dream-rooms/${shuanglin}`)).statusCode, 200)

  const officer = new PageClient(app)
  await officer.signIn('mz-nanxun')
  const home = await officer.get('/work')
  t.match(home.body, /href="\/work\/dream-rooms"/, 'the home\'s count links to the list')
  t.match(textOf(home.body), /1 7 天内到期或已逾期的梦想小屋阶段/)
  const list = await officer.get('/work/dream-rooms')
  t.match(textOf(list.body), /共 1 间/)
  t.match(list.body, `/work/dream-rooms/${nanxun}"`)
  t.notMatch(list.body, `/work/dream-rooms/${shuanglin}"`, 'another town\'s room is not listed')
  t.match(textOf(list.body), /韩\*\* 的房间 .*入户调查 .*还剩 3 天 .*¥15,000 等待慈善机构资助/)
  const api = await (await signIn(app, 'mz-nanxun')).call({ method: 'GET', url: `/api/v1/dream-rooms/${shuanglin}` })
  t.equal(api.statusCode, 403)
  t.equal((await officer.get(`/work/dream-rooms/${shuanglin}`)).statusCode, 403, 'nor shown: the page answers as the API does')
})

t.test('a stage completed with a photo; errors beside their fields', async t => {
  const { app, nanxun } = await world(t)
  const officer = new PageClient(app)
  await officer.signIn('mz-nanxun')
  const url = `/work/dream-rooms/${nanxun}`
  await officer.get(url)

  const early = await officer.post(`${url}/stages/survey/complete`, {})
  t.equal(early.statusCode, 409, 'a stage needs its evidence first')
  t.match(textOf(early.body), /房间现状照片/)

  const noFile = await postFile(officer, `${url}/evidence`, { stage: 'survey' })
  t.equal(noFile.statusCode, 400)
  t.equal(fieldError(noFile.body, 'photo'), '请先拍照或选择一张照片')
  const uploaded = await postFile(officer, `${url}/evidence`, { stage: 'survey' }, { name: '房间.png', type: 'image/png', content: PNG })
  t.equal(uploaded.statusCode, 303)
  const withPhoto = await officer.follow(uploaded)
  t.match(textOf(withPhoto.body), /“入户调查”阶段的照片已上传。照片齐了就可以完成这一阶段。/)
  t.match(textOf(withPhoto.body), /已上传 1 份照片。/)
  const photo = /<img src="(\/work\/dream-rooms\/\d+\/evidence\/\d+)"/.exec(withPhoto.body)?.[1]
  t.ok(photo, 'the photo is shown under its stage')
  const file = await officer.get(photo as string)
  t.equal(file.statusCode, 200)
  t.equal(file.headers['content-type'], 'image/png')

  const tooLong = await officer.post(`${url}/stages/survey/complete`, { note: '很'.repeat(501) })
  t.equal(tooLong.statusCode, 400)
  t.equal(fieldError(tooLong.body, 'note'), '说明最多 500 个字符')

  const done = await officer.post(`${url}/stages/survey/complete`, { note: '已入户，照片两张。' })
  t.equal(done.statusCode, 303)
  const after = textOf((await officer.follow(done)).body)
  t.match(after, /“入户调查”阶段已完成，进入“设计”。/)
  t.match(after, /入户调查 \d{4}年\d{1,2}月\d{1,2}日 完成/)
  t.match(after, /完成“设计”阶段/, 'the next stage is offered')
  const stage = await app.db.selectFrom('dream_room_stages').select(['completed_on', 'note']).where('room_id', '=', nanxun).where('stage', '=', 'survey').executeTakeFirstOrThrow()
  t.same({ completedOn: stage.completed_on, note: stage.note }, { completedOn: today(), note: '已入户，照片两张。' })
  const audit = await app.db.selectFrom('audit_records').select(['record_type', 'record_id']).where('action', '=', 'dream_room.complete_stage').executeTakeFirstOrThrow()
  t.same(audit, { record_type: 'dream_room', record_id: String(nanxun) })

  const auditor = new PageClient(app)
  await auditor.signIn('auditor')
  const read = await auditor.get(url)
  t.equal(read.statusCode, 200, 'an auditor reads the room')
  t.notMatch(read.body, /上传阶段照片/, 'but is offered no upload')
})
