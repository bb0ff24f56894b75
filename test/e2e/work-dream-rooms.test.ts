// Dream rooms on the civil-affairs workbench in a real browser: a town officer on a phone follows
// the home's count of stages due to the list, opens the room, photographs the room as it is and
// completes the survey stage; an empty tab says what to do next. Every page is checked at
// 375 and 1280 px (screenshots, axe-core, no horizontal scroll).
import t from 'tap'
import { signIn } from '../helpers/accounts.js'
import { PNG, registerHousehold } from '../helpers/needs.js'
import { browserWorld, checkPage, shown, signInOnPage } from '../helpers/browser.js'
import { addDays } from '../../matching/dates.js'
import { today } from '../../server/clock.js'

t.test('a town officer carries a dream room through its survey stage, on a phone', async t => {
  const world = await browserWorld(t, 60)
  const { app } = world
  const clerk = await signIn(app, 'mz-nanxun')
  const family = await registerHousehold(clerk, [{ name: '蒋国平', birthDate: '1978-04-04', sex: 'male' }, { name: '蒋小雨', birthDate: '2014-09-09', sex: 'female', schoolStage: 'primary' }])
  const created = await clerk.call({ method: 'POST', url: '/api/v1/dream-rooms', payload: { personId: family.personIds[1], roomCondition: '和父母挤一间，没有书桌，墙面返潮。', areaM2: 9, budgetEstimate: 15000, dueDates: { survey: addDays(today(), 2) } } })
  t.equal(created.statusCode, 201, 'a room is surveyed')
  const roomId = created.json().id as number

  const context = await world.context()
  const page = await context.newPage()
  await signInOnPage(page, 'mz-nanxun')
  await page.locator('[data-queue="room-stages-due"] a').first().click()
  await page.waitForURL(/\/work\/dream-rooms$/)
  await shown(page.getByRole('heading', { name: '梦想小屋', level: 1 }))
  await shown(page.getByText('还剩 2 天'))
  await checkPage(t, page, 'work-dream-rooms')

  // The demo's rooms (scripts/demo-data/dream-rooms.ts): one completed, none cancelled.
  await page.getByRole('link', { name: '已完成' }).click()
  const completed = await app.db.selectFrom('dream_rooms').select('id').where('stage', '=', 'completed').where('region_code', 'like', '330503101%').execute()
  t.equal(completed.length, 1, 'the demo completed one room in the town (the first it makes)')
  t.equal(await page.locator('td.main a').count(), 1, 'and the tab lists it')
  await page.getByRole('link', { name: '已取消' }).click()
  await shown(page.getByText('这一类里没有梦想小屋。'))
  await checkPage(t, page, 'work-dream-rooms-empty')

  await page.goto('/work/dream-rooms?stage=survey')
  await page.locator(`a[href="/work/dream-rooms/${roomId}"]`).click()
  await shown(page.getByRole('heading', { name: '四个阶段' }))
  t.notOk(await page.getByText('蒋小雨').count(), 'the child\'s name is masked')
  await checkPage(t, page, 'work-dream-room')

  await page.getByLabel('拍照或选择照片').setInputFiles({ name: '房间现状.png', mimeType: 'image/png', buffer: PNG })
  await shown(page.getByAltText('将要上传的照片'))
  await page.getByRole('button', { name: '上传凭证' }).click()
  await shown(page.getByText('“入户调查”阶段的照片已上传。'))
  await shown(page.getByAltText('入户调查阶段照片：房间现状.png'))
  await checkPage(t, page, 'work-dream-room-photo')

  await page.getByLabel('说明（选填）').fill('已入户，孩子和家长都同意改造。')
  await page.getByRole('button', { name: '完成“入户调查”阶段' }).click()
  await shown(page.getByText('“入户调查”阶段已完成，进入“设计”。'))
  await shown(page.getByRole('heading', { name: '完成“设计”阶段' }))
  await checkPage(t, page, 'work-dream-room-design')
  const stage = await app.db.selectFrom('dream_room_stages').select('completed_on').where('room_id', '=', roomId).where('stage', '=', 'survey').executeTakeFirstOrThrow()
  t.equal(stage.completed_on, today(), 'the survey stage is done today')
  await context.close()
})
