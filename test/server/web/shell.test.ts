// The page shell and the account pages, as a browser meets them (without one): sign-in that
// says plainly what went wrong and keeps the username, goes back where the person came from
// but never to another site, expired sessions, CSRF on every post, errors beside their fields
// in Chinese, flash messages shown once, refusal pages that name the role, htmx fragments and
// cached assets.
import t from 'tap'
import { sql } from 'kysely'
import { gunzipSync } from 'node:zlib'
import { appWithAccounts } from '../../helpers/accounts.js'
import { testApp } from '../../helpers/services.js'
import { PageClient, fieldError, inputValue, textOf, unescaped } from '../../helpers/pages.js'
import { ACCOUNT_FAILURE_LIMIT } from '../../../server/auth/sign-in-throttle.js'

t.test('sign-in: plain failures with the username kept, the way back, never another site', async t => {
  const app = await appWithAccounts(t)
  const browser = new PageClient(app)
  const form = await browser.get('/login?next=%2Fwishes%3Fq%3D%E4%B9%A6%E5%8C%85%26sort%3Dnewest')
  t.equal(form.statusCode, 200)
  const action = /<form method="post" action="([^"]+)"/.exec(unescaped(form.body))?.[1] as string
  t.equal(new URL(action, 'http://localhost').searchParams.get('next'), '/wishes?q=%E4%B9%A6%E5%8C%85&sort=newest', 'the form posts back with the way back, whole')

  const wrong = await browser.post('/login?next=%2Fwishes', { username: 'Donor-Person', password: 'not-the-password' })
  t.equal(wrong.statusCode, 401)
  t.match(textOf(wrong.body), /请修改以下问题后再提交 用户名或密码错误/)
  t.equal(inputValue(wrong.body, 'username'), 'Donor-Person', 'the username is kept…')
  t.equal(inputValue(wrong.body, 'password'), '', 'the password field comes back empty…')
  t.notMatch(wrong.body, /not-the-password/, '…the password never')

  const empty = await browser.post('/login', { username: '', password: '' })
  t.equal(empty.statusCode, 400)
  t.equal(fieldError(empty.body, 'username'), '请填写用户名')
  t.equal(fieldError(empty.body, 'password'), '请填写密码')

  const back = await browser.post('/login?next=%2Fwishes%3Fq%3D%E4%B9%A6%E5%8C%85', { username: 'donor-person', password: 'shanqiao-demo-2025' })
  t.equal(back.statusCode, 303)
  t.equal(back.headers.location, '/wishes?q=%E4%B9%A6%E5%8C%85')
  const landed = await browser.follow(back)
  t.match(textOf(landed.body), /欢迎回来，爱心人士 赵女士。/, 'a welcome, once')
  t.notMatch(textOf((await browser.get('/wishes')).body), /欢迎回来/)

  for (const next of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)']) {
    const other = new PageClient(app)
    const response = await other.post(`/login?next=${encodeURIComponent(next)}`, { username: 'donor-person', password: 'shanqiao-demo-2025' })
    t.equal(response.headers.location, '/me/claims', `next=${next}: to the donor's own page instead`)
  }
  t.equal((await new PageClient(app).post('/login', { username: 'mz-nanxun', password: 'shanqiao-demo-2025' })).headers.location, '/', 'staff without a next page: home')
})

t.test('sign-in on the page is throttled like the API, and says so', async t => {
  const app = await appWithAccounts(t)
  const browser = new PageClient(app, '10.7.0.1')
  for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i++) t.equal((await browser.post('/login', { username: 'cszh', password: `guess-${i}` })).statusCode, 401)
  const locked = await browser.post('/login', { username: 'cszh', password: 'shanqiao-demo-2025' })
  t.equal(locked.statusCode, 423)
  t.match(textOf(locked.body), /连续登录失败次数过多，账号已临时锁定，请 \d+ 秒后再试/)
  t.equal(inputValue(locked.body, 'username'), 'cszh')
  const trail = await app.db.selectFrom('audit_records').select('action').where('action', 'in', ['auth.sign_in_failed', 'auth.locked_out']).orderBy('id').execute()
  t.same(trail.map(r => r.action), [...new Array(ACCOUNT_FAILURE_LIMIT).fill('auth.sign_in_failed'), 'auth.locked_out'], 'the same audit records as the API: each failure, the lock-out once')
})

t.test('signed out or expired: to the sign-in page, and back afterwards', async t => {
  const app = await appWithAccounts(t)
  const browser = new PageClient(app)
  const out = await browser.get('/me/claims?group=ended')
  t.equal(out.statusCode, 303)
  t.equal(out.headers.location, '/login?next=%2Fme%2Fclaims%3Fgroup%3Dended')

  await browser.signIn('donor-person')
  t.equal((await browser.get('/me/claims')).statusCode, 200)
  await sql`UPDATE sessions SET expires_at = now() - interval '1 second'`.execute(app.db)
  const expired = await browser.get('/me/messages')
  t.equal(expired.headers.location, '/login?next=%2Fme%2Fmessages&reason=expired')
  t.match(textOf((await browser.follow(expired)).body), /登录已过期，请重新登录。登录后会回到您刚才的页面。/)

  // A form posted after the session ended: back to the page that held the form.
  const late = await browser.request({ method: 'POST', url: '/me/messages/read-all', headers: { referer: 'http://localhost:80/me/messages?page=2' } })
  t.equal(late.headers.location, '/login?next=%2Fme%2Fmessages%3Fpage%3D2&reason=expired')
})

t.test('every page post needs the CSRF token; public posts must come from our own pages', async t => {
  const app = await appWithAccounts(t)
  const browser = new PageClient(app)
  await browser.signIn('donor-person')
  await browser.get('/me/messages')
  const forged = await browser.post('/me/messages/read-all', {}, { csrf: false })
  t.equal(forged.statusCode, 403)
  t.match(textOf(forged.body), /页面已过期 表单已失效或来自其他网站/)
  t.equal((await browser.post('/me/messages/read-all')).statusCode, 303, 'with the token it works')

  const foreign = await new PageClient(app).post('/login', { username: 'donor-person', password: 'shanqiao-demo-2025' }, { headers: { 'sec-fetch-site': 'cross-site' } })
  t.equal(foreign.statusCode, 403, 'login CSRF: a foreign page cannot sign anyone in')
  t.equal(foreign.cookies.find(c => c.name === 'sq_session'), undefined)
})

t.test('refusals and missing pages: in Chinese, in the layout, naming the role needed', async t => {
  const app = await appWithAccounts(t)
  const clerk = new PageClient(app)
  await clerk.signIn('mz-nanxun')
  const refused = await clerk.get('/me/claims')
  t.equal(refused.statusCode, 403)
  t.match(textOf(refused.body), /没有权限 您的账号不能查看或办理这项内容。 这项内容需要以下角色之一：爱心人士 \/ 爱心企业。/)
  t.match(refused.body, /<html lang="zh-CN">/)
  t.match(refused.body, /南浔镇 社会事务办 李干事/, 'the shell still says who is signed in')

  const missing = await clerk.get('/no/such/page')
  t.equal(missing.statusCode, 404)
  t.match(textOf(missing.body), /没有找到 您访问的页面不存在，或地址有误。/)
  const donor = new PageClient(app)
  await donor.signIn('donor-person')
  t.equal((await donor.get('/me/claims/abc')).statusCode, 404, 'a malformed id in the address is a missing page')
  t.equal((await clerk.get('/api/v1/nothing')).json().error.code, 'route_not_found', 'the API keeps its error shape')
})

t.test('registration: errors beside the fields in Chinese, then the code (shown only in demo mode)', async t => {
  for (const demo of [true, false]) {
    const app = demo ? await appWithAccounts(t) : await testApp(t, { SHANQIAO_DEMO: 'off' })
    app.messages.send = async () => {}
    const browser = new PageClient(app, demo ? '10.8.0.1' : '10.8.0.2')
    await browser.get('/register')
    const bad = await browser.post('/register', { kind: 'individual', name: '李华', contact: '12345', username: 'Li Hua', password: 'short' })
    t.equal(bad.statusCode, 400)
    t.equal(fieldError(bad.body, 'contact'), '手机号或邮箱的格式不正确')
    t.equal(fieldError(bad.body, 'username'), '用户名的格式不正确')
    t.equal(fieldError(bad.body, 'password'), '密码至少 10 个字符')
    t.equal(inputValue(bad.body, 'name'), '李华', 'what was typed is kept')
    t.equal(inputValue(bad.body, 'contact'), '12345')
    t.match(bad.body, /<a href="#contact">手机号或邮箱的格式不正确<\/a>/, 'the summary links to the field')

    const made = await browser.post('/register', { kind: 'enterprise', name: '华美公司', contact: '13900001234', username: `huamei${demo ? 1 : 2}`, password: 'a-long-password-1' })
    t.equal(made.headers.location, '/account/verify')
    const verify = textOf((await browser.follow(made)).body)
    t.match(verify, /注册成功，欢迎您，华美公司！验证码已发送到 13900001234/)
    if (demo) t.match(verify, /演示模式：验证码为 \d{6}/)
    else t.notMatch(verify, /演示模式|验证码为 \d{6}/, 'outside demo mode the code is never on a page')
  }
})

t.test('the contact is verified on the page; a wrong code is said beside the field', async t => {
  const app = await appWithAccounts(t)
  const codes: string[] = []
  app.messages.send = async ({ text }) => { codes.push(/\d{6}/.exec(text)?.[0] ?? '') }
  const browser = new PageClient(app)
  await browser.get('/register')
  await browser.post('/register', { kind: 'individual', name: '小周', contact: 'zhou@example.org', username: 'xiaozhou', password: 'a-long-password-1' })
  await browser.get('/account/verify')
  const wrong = await browser.post('/account/verify', { code: codes[0] === '111111' ? '222222' : '111111' })
  t.equal(wrong.statusCode, 400)
  t.equal(fieldError(wrong.body, 'code'), '验证码错误或已过期，请重新获取')
  await browser.post('/account/verify/resend')
  const ok = await browser.post('/account/verify', { code: codes[1] as string })
  t.equal(ok.headers.location, '/me/claims')
  t.match(textOf((await browser.follow(ok)).body), /联系方式已验证。现在可以认领心愿了。/)
})

t.test('the account page: name and contact, password change with its errors in its own form, sign out everywhere', async t => {
  const app = await appWithAccounts(t)
  app.messages.send = async () => {}
  const browser = new PageClient(app)
  await browser.signIn('donor-company')
  const page = await browser.get('/account')
  t.equal(inputValue(page.body, 'displayName'), '南浔爱心企业有限公司')
  const wrong = await browser.post('/account/password', { currentPassword: 'wrong-one', newPassword: 'a-new-password-9' })
  t.equal(wrong.statusCode, 401)
  t.equal(fieldError(wrong.body, 'currentPassword'), '当前密码不正确')
  t.equal(inputValue(wrong.body, 'displayName'), '南浔爱心企业有限公司', 'the other form is shown as it was')
  const renamed = await browser.post('/account', { displayName: '南浔爱心企业', contact: '' })
  t.match(textOf((await browser.follow(renamed)).body), /账号信息已保存。/)
  t.equal((await app.db.selectFrom('users').select('display_name').where('username', '=', 'donor-company').executeTakeFirstOrThrow()).display_name, '南浔爱心企业')
  const everywhere = await browser.post('/account/sign-out-everywhere')
  t.equal(everywhere.headers.location, '/login')
  t.equal((await browser.get('/account')).statusCode, 303, 'signed out here too')
})

t.test('forgotten password on the pages: the same answer for a made-up name', async t => {
  const app = await testApp(t, { SHANQIAO_DEMO: 'off' })
  const browser = new PageClient(app)
  await browser.get('/password/forgot')
  const answer = await browser.post('/password/forgot', { login: 'nobody-here' })
  t.equal(answer.headers.location, '/password/reset?login=nobody-here')
  const page = await browser.follow(answer)
  t.match(textOf(page.body), /如果该账号存在且已验证联系方式，验证码已发送到其手机或邮箱，15 分钟内有效。/)
  t.equal(inputValue(page.body, 'login'), 'nobody-here')
  const reset = await browser.post('/password/reset', { login: 'nobody-here', code: '123456', newPassword: 'a-long-password-1' })
  t.equal(reset.statusCode, 400)
  t.equal(fieldError(reset.body, 'code'), '验证码错误或已过期，请重新获取')
})

t.test('htmx gets the results alone; assets are cached by their content', async t => {
  const app = await appWithAccounts(t)
  const browser = new PageClient(app)
  const whole = await browser.get('/wishes')
  const part = await browser.get('/wishes?sort=newest', { 'hx-request': 'true' })
  t.match(whole.body, /<html lang="zh-CN">/)
  t.notMatch(part.body, /<html|<header/, 'a fragment, not a page')
  t.match(part.body, /共 0 个心愿/)
  t.match(String(part.headers.vary), /HX-Request/)
  const boosted = await browser.get('/wishes', { 'hx-request': 'true', 'hx-boosted': 'true' })
  t.match(boosted.body, /<html lang="zh-CN">/, 'a boosted navigation gets the whole page')

  const css = /href="(\/assets\/app\.css\?v=[\w-]+)"/.exec(unescaped(whole.body))?.[1] as string
  t.ok(css, 'the stylesheet is linked with its content hash')
  const first = await browser.get(css)
  t.equal(first.headers['cache-control'], 'public, max-age=31536000, immutable')
  t.equal((await browser.get(css, { 'if-none-match': String(first.headers.etag) })).statusCode, 304)
  t.equal((await browser.get('/assets/app.css?v=old')).headers['cache-control'], 'public, max-age=0, must-revalidate', 'an old page\'s link is revalidated')
  const htmx = /src="(\/assets\/htmx\.min\.js\?v=[\w-]+)"/.exec(unescaped(whole.body))?.[1] as string
  t.match((await browser.get(htmx)).body, /htmx/, 'htmx comes from our own origin')
  const zipped = await browser.get(htmx, { 'accept-encoding': 'gzip, br' })
  t.equal(zipped.headers['content-encoding'], 'gzip', 'gzipped for browsers that take it')
  t.ok(zipped.rawPayload.length < 20_000, `htmx gzipped is ${zipped.rawPayload.length} bytes`)
  t.match(gunzipSync(zipped.rawPayload).toString(), /htmx/)
  t.equal((await browser.get('/assets/nothing.js')).statusCode, 404)
})
