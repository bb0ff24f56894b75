// The donor's journey in a real browser at a phone's width, without touching the API: a new
// donor registers, verifies the contact, finds a wish by a Chinese word, claims it, uploads a
// photo from the "camera", reports it delivered and reads the thanks once staff confirm. And
// the journeys around it: two donors racing for one wish, a signed-out visitor who presses
// claim, a donor at someone else's claim.
import t from 'tap'
import { signIn } from '../helpers/accounts.js'
import { PNG, registerHousehold } from '../helpers/needs.js'
import { browserWorld, checkPage, shown, signInOnPage } from '../helpers/browser.js'
import { completeWishFeedback } from '../../server/needs/feedback.js'

/** Raises and publishes a wish with a word nothing else in the demo county uses. */
async function uniqueWish (clerk: Awaited<ReturnType<typeof signIn>>, personId: number, item: string): Promise<number> {
  const raised = await clerk.call({ method: 'POST', url: '/api/v1/wishes', payload: { personId, category: 'other', item, value: 260, story: `孩子很想学${item}。`, submit: true } })
  const id = raised.json().id as number
  await clerk.call({ method: 'POST', url: `/api/v1/wishes/${id}/verify`, payload: { visitNote: '已入户核实' } })
  await clerk.call({ method: 'POST', url: `/api/v1/wishes/${id}/publish` })
  return id
}

t.test('a new donor, from registration to the thank-you note, on a phone', async t => {
  const world = await browserWorld(t)
  const clerk = await signIn(world.app, 'mz-nanxun')
  const family = await registerHousehold(clerk, [{ name: '钱大江', birthDate: '1980-04-04', sex: 'male' }, { name: '钱小苗', birthDate: '2014-04-04', sex: 'female', schoolStage: 'primary' }])
  const wishId = await uniqueWish(clerk, family.personIds[1] as number, '电子琴')
  await world.sync()

  const context = await world.context()
  const page = await context.newPage()
  await page.goto('/register')
  await page.getByLabel('爱心人士（个人）').check()
  await page.getByLabel('名称').fill('孙先生')
  await page.getByLabel('手机号或邮箱').fill('13955556666')
  await page.getByLabel('用户名').fill('sun-xiansheng')
  await page.getByLabel('密码').fill('sun-long-password-1')
  await page.getByRole('button', { name: '注册' }).click()
  await page.waitForURL('**/account/verify')
  const notice = await page.getByText(/演示模式：验证码为 \d{6}/).textContent()
  const code = /\d{6}/.exec(notice ?? '')?.[0] as string
  await page.getByLabel('验证码').fill(code)
  await page.getByRole('button', { name: '验证', exact: true }).click()
  await page.waitForURL('**/me/claims')
  await shown(page.getByText('联系方式已验证。现在可以认领心愿了。'))

  // Find it by a Chinese word; with JavaScript on, the results change without a reload.
  await page.goto('/wishes')
  await page.getByLabel('关键词').fill('电子琴')
  await shown(page.getByText('共 1 个心愿与“电子琴”有关'))
  t.match(page.url(), /q=%E7%94%B5%E5%AD%90%E7%90%B4/, 'the address bar holds the search')
  await page.getByRole('link', { name: '我来认领' }).click()
  await shown(page.getByRole('heading', { name: '认领这个心愿' }))
  await shown(page.getByText('“送达”是指'))
  await page.getByRole('button', { name: /确认认领/ }).click()
  await shown(page.getByText(/已认领，请在 \d+月\d+日 前送达。/))
  t.match(page.url(), new RegExp(`/wishes/${wishId}(#claim)?$`), 'claimed without leaving the page')

  await page.getByRole('link', { name: '去我的认领' }).click()
  await shown(page.getByRole('heading', { name: /电子琴/ }))
  await page.getByLabel('拍照或选择照片').setInputFiles({ name: '送达.png', mimeType: 'image/png', buffer: PNG })
  await shown(page.getByAltText('将要上传的照片'))
  await page.getByRole('button', { name: '上传凭证' }).click()
  await shown(page.getByText('凭证已上传。'))
  await shown(page.getByAltText('已上传的凭证：送达.png'))
  await page.getByLabel('送达说明（选填）').fill('已交到孩子父亲手中')
  await page.getByRole('button', { name: '已送达' }).click()
  await shown(page.getByText(/已登记送达。/))

  // Staff record the household's receipt (their pages come with the workbench); the feedback job thanks the donor.
  const claim = await world.app.db.selectFrom('claims').select('id').where('wish_id', '=', wishId).executeTakeFirstOrThrow()
  t.equal((await clerk.call({ method: 'POST', url: `/api/v1/claims/${claim.id}/confirm`, payload: {} })).statusCode, 200)
  await completeWishFeedback(world.app.db, claim.id)

  await page.goto('/me/claims?group=confirmed')
  await shown(page.getByRole('link', { name: '通知，2 条未读' }))
  await page.getByRole('link', { name: '通知，2 条未读' }).click()
  await shown(page.getByText(/已确认收到您送去的「电子琴」/))
  // On a phone the pages of one's role are behind the menu.
  await page.locator('summary', { hasText: '菜单' }).click()
  await page.locator('.menu').getByRole('link', { name: '感谢与消息' }).click()
  await shown(page.getByText(/您认领的微心愿「电子琴」已于\d{4}年\d+月\d+日送到南浔镇的.*手中，心愿已经实现。/))
  await checkPage(t, page, 'journey-messages-after-thanks')
  await context.close()
})

t.test('two donors race for one wish: the second is told it is taken', async t => {
  const world = await browserWorld(t, 60)
  const clerk = await signIn(world.app, 'mz-nanxun')
  const family = await registerHousehold(clerk, [{ name: '冯大林', birthDate: '1981-05-05', sex: 'male' }])
  const wishId = await uniqueWish(clerk, family.personIds[0] as number, '手风琴')
  const [first, second] = [await (await world.context()).newPage(), await (await world.context()).newPage()]
  await signInOnPage(first, 'donor-person')
  await signInOnPage(second, 'donor-company')
  await first.goto(`/wishes/${wishId}`)
  await second.goto(`/wishes/${wishId}`)
  await first.getByRole('button', { name: /确认认领/ }).click()
  await shown(first.getByText(/已认领，请在/))
  await second.getByRole('button', { name: /确认认领/ }).click()
  await shown(second.getByRole('heading', { name: '这个心愿已被认领' }))
  await shown(second.getByText('该微心愿已被其他爱心人士认领或已关闭'))
  await checkPage(t, second, 'wish-taken')
  const claims = await world.app.db.selectFrom('claims').select('donor_id').where('wish_id', '=', wishId).execute()
  t.equal(claims.length, 1, 'one claim')
})

t.test('a signed-out visitor who presses claim signs in and is back on the wish', async t => {
  const world = await browserWorld(t, 60)
  const wish = await world.app.db.selectFrom('wishes').select(['id', 'item']).where('state', '=', 'published').orderBy('id').executeTakeFirstOrThrow()
  const page = await (await world.context()).newPage()
  await page.goto(`/wishes/${wish.id}`)
  await page.getByRole('link', { name: '登录后认领' }).click()
  await page.waitForURL('**/login?next=*')
  await page.getByLabel('用户名').fill('donor-person')
  await page.getByLabel('密码').fill('shanqiao-demo-2025')
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL(`**/wishes/${wish.id}`)
  await shown(page.getByRole('button', { name: /确认认领/ }))
})

t.test('a donor cannot open another donor\'s claim', async t => {
  const world = await browserWorld(t, 60)
  const theirs = await world.app.db.selectFrom('claims as c').innerJoin('donors as d', 'd.id', 'c.donor_id').select('c.id')
    .where('d.external_key', '=', 'demo-account:individual').orderBy('c.id').executeTakeFirstOrThrow()
  const page = await (await world.context()).newPage()
  await signInOnPage(page, 'donor-company')
  const response = await page.goto(`/me/claims/${theirs.id}`)
  t.equal(response?.status(), 404)
  await shown(page.getByRole('heading', { name: '没有找到' }))
  await shown(page.getByText('未找到该认领'))
})
