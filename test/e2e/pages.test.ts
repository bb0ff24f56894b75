// Every page of the shell and the donor's pages, as the public, a donor and a member of staff
// see them: screenshotted at 375 and 1280 px (test-output/screenshots), free of serious and
// critical accessibility problems (axe-core), and never wider than a phone's screen. Forms
// are shown with their errors too, since that is where people get stuck.
import t from 'tap'
import { browserWorld, checkPage, shown, signInOnPage } from '../helpers/browser.js'

t.test('every page, for everyone who can open it', async t => {
  const world = await browserWorld(t)
  const { db } = world.app
  const wish = await db.selectFrom('wishes').select('id').where('state', '=', 'published').orderBy('published_at', 'desc').executeTakeFirstOrThrow()
  const taken = await db.selectFrom('wishes').select('id').where('state', '=', 'claimed').orderBy('id').executeTakeFirstOrThrow()
  const project = await db.selectFrom('projects').select('id').where('external_key', '=', 'P004').executeTakeFirstOrThrow()
  const claimOf = (state: 'active' | 'confirmed') => db.selectFrom('claims as c').innerJoin('donors as d', 'd.id', 'c.donor_id').select('c.id')
    .where('d.external_key', '=', 'demo-account:individual').where('c.state', '=', state).orderBy('c.due_on').executeTakeFirstOrThrow()
  const [active, confirmed] = [await claimOf('active'), await claimOf('confirmed')]

  const visitor = await (await world.context()).newPage()
  const publicPages: Array<[string, string, string]> = [
    ['/', 'home', '让每一份爱心找到需要它的家庭'],
    ['/wishes', 'wishes', '微心愿'],
    [`/wishes?q=${encodeURIComponent('书包')}&sort=urgency`, 'wishes-search', '微心愿'],
    [`/wishes?q=${encodeURIComponent('不存在的东西')}`, 'wishes-empty', '微心愿'],
    [`/wishes/${wish.id}`, 'wish', ''],
    [`/wishes/${taken.id}`, 'wish-claimed', ''],
    ['/projects', 'projects', '慈善项目'],
    ['/projects?status=closed', 'projects-closed', '慈善项目'],
    [`/projects/${project.id}`, 'project', '共富产业帮扶基金'],
    ['/login', 'login', '登录'],
    ['/register', 'register', '注册成为爱心人士'],
    ['/password/forgot', 'password-forgot', '忘记密码'],
    ['/password/reset?login=donor-person', 'password-reset', '设置新密码'],
    ['/no/such/page', 'not-found', '没有找到']
  ]
  for (const [path, name, heading] of publicPages) {
    await visitor.goto(path)
    if (heading) await shown(visitor.getByRole('heading', { level: 1, name: heading }))
    await checkPage(t, visitor, name)
  }

  // Forms with their errors, as a careless hand leaves them.
  await visitor.goto('/login')
  await visitor.getByLabel('用户名').fill('donor-person')
  await visitor.getByLabel('密码').fill('a-wrong-password')
  await visitor.getByRole('button', { name: '登录' }).click()
  await shown(visitor.getByText('用户名或密码错误').first())
  await checkPage(t, visitor, 'login-failed')
  await visitor.goto('/register')
  await visitor.getByLabel('手机号或邮箱').fill('123')
  await visitor.getByRole('button', { name: '注册' }).click()
  await shown(visitor.getByText('请修改以下问题后再提交'))
  await checkPage(t, visitor, 'register-errors')

  const donor = await (await world.context()).newPage()
  await signInOnPage(donor, 'donor-person')
  const donorPages: Array<[string, string, string]> = [
    ['/me/claims', 'my-claims', '我的认领'],
    ['/me/claims?group=confirmed', 'my-claims-fulfilled', '我的认领'],
    ['/me/claims?group=ended', 'my-claims-ended', '我的认领'],
    [`/me/claims/${active.id}`, 'my-claim-active', ''],
    [`/me/claims/${confirmed.id}`, 'my-claim-fulfilled', ''],
    ['/me/messages', 'my-messages', '感谢与消息'],
    ['/me/recommendations', 'my-recommendations', '为我推荐'],
    ['/me/preferences', 'my-preferences', '捐赠偏好'],
    ['/notifications', 'notifications', '通知'],
    ['/account', 'account', '我的账号'],
    ['/account/verify', 'account-verify', '验证联系方式'],
    [`/wishes/${wish.id}`, 'wish-signed-in', '']
  ]
  for (const [path, name, heading] of donorPages) {
    await donor.goto(path)
    if (heading) await shown(donor.getByRole('heading', { level: 1, name: heading }))
    await checkPage(t, donor, name)
  }
  // The menu, open, on a phone.
  await donor.goto('/me/claims')
  await donor.locator('summary', { hasText: '菜单' }).click()
  await shown(donor.locator('.menu').getByRole('link', { name: '捐赠偏好' }))
  await checkPage(t, donor, 'menu-open')
  // Giving up without a reason: the error beside the field.
  await donor.goto(`/me/claims/${active.id}`)
  await donor.getByRole('button', { name: '放弃认领' }).click()
  await shown(donor.getByText('请填写放弃的原因').first())
  await checkPage(t, donor, 'my-claim-give-up-error')

  const clerk = await (await world.context()).newPage()
  await signInOnPage(clerk, 'mz-nanxun')
  await clerk.goto('/me/claims')
  await shown(clerk.getByRole('heading', { level: 1, name: '没有权限' }))
  await checkPage(t, clerk, 'forbidden')
})
