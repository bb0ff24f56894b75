import t from 'tap'
import { sql } from 'kysely'
import { appWithAccounts, signIn, signInRequest } from '../../helpers/accounts.js'
import { ACCOUNT_FAILURE_LIMIT, ADDRESS_FAILURE_LIMIT, beginPasswordAttempt, passwordAccepted, passwordRefused, pruneLoginAttempts, type Consequences } from '../../../server/auth/sign-in-throttle.js'
import { DEMO_PASSWORD } from '../../../server/auth/demo-accounts.js'

t.test('sign-in sets a hardened session cookie and stores only its hash', async t => {
  const app = await appWithAccounts(t)
  const response = await signInRequest(app, 'MZ-Nanxun ')
  t.equal(response.statusCode, 200, 'username is case- and space-insensitive')
  const body = response.json()
  t.equal(body.user.username, 'mz-nanxun')
  t.same(body.user.roles, ['civil_affairs'])
  t.equal(body.user.regionCode, '330503101')
  t.notOk('passwordHash' in body.user || 'password_hash' in body.user)
  const cookie = response.cookies.find(c => c.name === 'sq_session')!
  t.equal(cookie.httpOnly, true)
  t.equal(cookie.sameSite, 'Lax')
  t.equal(cookie.path, '/')
  t.notOk(cookie.secure, 'not Secure without TLS (COOKIE_SECURE off in tests)')
  const stored = await app.db.selectFrom('sessions').select(['id', 'csrf_token']).execute()
  t.equal(stored.length, 1)
  t.notSame(stored[0]!.id.toString('base64url'), cookie.value, 'the table holds a hash, not the cookie value')
  t.equal(stored[0]!.csrf_token, body.csrfToken)

  const me = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: `sq_session=${cookie.value}` } })
  t.equal(me.statusCode, 200)
  t.equal(me.json().user.username, 'mz-nanxun')
  t.equal(me.json().csrfToken, body.csrfToken)

  const audit = await app.db.selectFrom('audit_records').select(['action', 'actor', 'record_id', 'region_code', 'ip']).execute()
  t.same(audit, [{ action: 'auth.sign_in', actor: 'mz-nanxun', record_id: String(body.user.id), region_code: '330503101', ip: '127.0.0.1' }])
})

t.test('secure cookies behind TLS use the __Host- prefix', async t => {
  const app = await appWithAccounts(t, { COOKIE_SECURE: 'true' })
  const response = await signInRequest(app, 'admin')
  const cookie = response.cookies.find(c => c.name === '__Host-sq_session')
  t.ok(cookie, '__Host- cookie set')
  t.equal(cookie?.secure, true)
  t.match(response.headers['strict-transport-security'], /max-age=/)
})

t.test('wrong password and unknown user look the same; disabled accounts cannot sign in', async t => {
  const app = await appWithAccounts(t)
  const wrong = await signInRequest(app, 'admin', 'not-the-password')
  const unknown = await signInRequest(app, 'nobody-here', 'not-the-password')
  t.equal(wrong.statusCode, 401)
  t.same(wrong.json(), unknown.json())
  t.same(wrong.json(), { error: { code: 'invalid_credentials', message: '用户名或密码错误 (wrong username or password)', details: [] } })
  await app.db.updateTable('users').set({ disabled_at: new Date() }).where('username', '=', 'auditor').execute()
  t.equal((await signInRequest(app, 'auditor')).statusCode, 401)
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/auth/session' })).json().error.code, 'unauthenticated')
})

t.test('repeated failures lock the account (423), also for unknown names; success resets', async t => {
  const app = await appWithAccounts(t)
  for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i++) {
    t.equal((await signInRequest(app, 'mz-county', `wrong-${i}-password`)).statusCode, 401)
  }
  const locked = await signInRequest(app, 'mz-county')
  t.equal(locked.statusCode, 423, 'even the right password is refused while locked')
  t.equal(locked.json().error.code, 'account_locked')
  const wait = locked.json().error.details[0].retryAfter
  t.ok(wait > 890 && wait <= 900, `retry after about 15 minutes (${wait} s)`)
  t.equal((await signInRequest(app, 'ghost', 'x')).statusCode, 401)
  for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i++) await signInRequest(app, 'ghost', 'x')
  t.equal((await signInRequest(app, 'ghost', 'x')).statusCode, 423, 'unknown names lock the same way')

  // Fifteen minutes later the lock is over.
  await sql`UPDATE login_attempts SET at = at - interval '16 minutes' WHERE username = 'mz-county'`.execute(app.db)
  t.equal((await signInRequest(app, 'mz-county')).statusCode, 200)
  // Failures before a success do not count towards the next lock.
  for (let i = 0; i < ACCOUNT_FAILURE_LIMIT - 1; i++) await signInRequest(app, 'mz-county', 'wrong-password')
  t.equal((await signInRequest(app, 'mz-county')).statusCode, 200)
})

t.test('a burst of parallel guesses gets no more password checks than the limit', async t => {
  const app = await appWithAccounts(t)
  const burst = await Promise.all(Array.from({ length: 12 }, (_, i) => signInRequest(app, 'mz-county', `wrong-${i}-password`)))
  const statuses = burst.map(r => r.statusCode).sort()
  t.same(statuses, [...Array(ACCOUNT_FAILURE_LIMIT).fill(401), ...Array(12 - ACCOUNT_FAILURE_LIMIT).fill(423)],
    'as many wrong-password answers as the limit allows; the rest refused before checking')
  t.equal((await signInRequest(app, 'mz-county')).statusCode, 423, 'the account is locked afterwards, even for the right password')
  const attempts = await app.db.selectFrom('login_attempts').select(['succeeded']).where('username', '=', 'mz-county').execute()
  t.same(attempts, Array(ACCOUNT_FAILURE_LIMIT).fill({ succeeded: false }), 'refused attempts are not recorded: only the checked ones count')
  const lockOuts = await app.db.selectFrom('audit_records').select('action').where('action', '=', 'auth.locked_out').execute()
  t.equal(lockOuts.length, 1, 'the lock-out is reported once')
})

t.test('too many failures from one address are throttled (429) across accounts', async t => {
  const app = await appWithAccounts(t)
  for (let i = 0; i < ADDRESS_FAILURE_LIMIT; i++) {
    await signInRequest(app, `user-${i}`, 'wrong-password', '10.0.0.9')
  }
  const throttled = await signInRequest(app, 'admin', DEMO_PASSWORD, '10.0.0.9')
  t.equal(throttled.statusCode, 429)
  t.equal(throttled.json().error.code, 'too_many_attempts')
  t.match(throttled.json().error.message, /尝试次数过多/)
  t.equal((await signInRequest(app, 'admin', DEMO_PASSWORD, '10.0.0.10')).statusCode, 200, 'other addresses are not affected')
})

t.test('behind a named proxy the client address is the proxy\'s view, not the client\'s own claim', async t => {
  const app = await appWithAccounts(t, { TRUST_PROXY: '127.0.0.1' })
  const forged = { 'x-forwarded-for': '6.6.6.6, 10.0.0.5' }
  await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username: 'admin', password: 'wrong-password' }, headers: forged })
  // A request that does not come from the proxy has its header ignored.
  await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username: 'admin', password: 'wrong-password' }, headers: forged, remoteAddress: '10.9.9.9' })
  const attempts = await app.db.selectFrom('login_attempts').select('ip').orderBy('id').execute()
  t.same(attempts.map(a => a.ip), ['10.0.0.5', '10.9.9.9'])
})

t.test('state-changing requests with a cookie session need the CSRF token', async t => {
  const app = await appWithAccounts(t)
  const admin = await signIn(app, 'admin')
  const payload = { username: 'mz-new', displayName: '新同事', password: 'long-enough-pass-1', roles: ['civil_affairs'], regionCode: '330503101' }
  const without = await admin.call({ method: 'POST', url: '/api/v1/users', payload, csrf: false })
  t.equal(without.statusCode, 403)
  t.equal(without.json().error.code, 'csrf_rejected')
  const wrong = await admin.call({ method: 'POST', url: '/api/v1/users', payload, csrf: false, headers: { 'x-csrf-token': 'x'.repeat(43) } })
  t.equal(wrong.json().error.code, 'csrf_rejected')
  // An HTML form post without the hidden field is refused; with it, accepted.
  const form = (fields: Record<string, string>) => admin.call({
    method: 'POST', url: '/api/v1/auth/sign-out-everywhere', csrf: false,
    headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(fields).toString()
  })
  t.equal((await form({})).json().error.code, 'csrf_rejected')
  t.equal((await form({ _csrf: 'forged' })).json().error.code, 'csrf_rejected')
  t.equal((await admin.call({ method: 'POST', url: '/api/v1/users', payload })).statusCode, 201, 'with the header')
  const viaForm = await form({ _csrf: admin.csrf })
  t.equal(viaForm.statusCode, 200)
  t.same(viaForm.json(), { sessionsEnded: 1 })
  t.equal((await admin.call({ method: 'GET', url: '/api/v1/auth/session' })).statusCode, 401, 'signed out')
})

t.test('sessions expire, and sign-out ends one or every session', async t => {
  const app = await appWithAccounts(t)
  const first = await signIn(app, 'cszh')
  const second = await signIn(app, 'cszh')
  const other = await signIn(app, 'training')
  const me = (s: typeof first) => s.call({ method: 'GET', url: '/api/v1/auth/session' }).then(r => r.statusCode)

  t.equal((await first.call({ method: 'POST', url: '/api/v1/auth/sign-out' })).statusCode, 204)
  t.equal(await me(first), 401)
  t.equal(await me(second), 200, 'the other session of the same user lives on')

  const third = await signIn(app, 'cszh')
  const everywhere = await second.call({ method: 'POST', url: '/api/v1/auth/sign-out-everywhere' })
  t.same(everywhere.json(), { sessionsEnded: 2 })
  t.equal(await me(second), 401)
  t.equal(await me(third), 401)
  t.equal(await me(other), 200, 'other users are not signed out')

  await sql`UPDATE sessions SET expires_at = now() - interval '1 second'`.execute(app.db)
  t.equal(await me(other), 401, 'an expired session is refused')
})

t.test('idle sessions are extended, but never past the absolute limit', async t => {
  const app = await appWithAccounts(t)
  const session = await signIn(app, 'auditor')
  await sql`UPDATE sessions SET created_at = now() - interval '11 hours 59 minutes', last_seen_at = now() - interval '5 minutes'`.execute(app.db)
  t.equal((await session.call({ method: 'GET', url: '/api/v1/auth/session' })).statusCode, 200)
  const { rows } = await sql<{ left: number }>`SELECT extract(epoch FROM expires_at - now())::int AS left FROM sessions`.execute(app.db)
  t.ok(rows[0]!.left <= 60 && rows[0]!.left > 0, `capped at 12 h after sign-in (${rows[0]!.left} s left)`)
})

t.test('password change checks the policy and ends the other sessions', async t => {
  const app = await appWithAccounts(t)
  const here = await signIn(app, 'donor-person')
  const elsewhere = await signIn(app, 'donor-person')
  const change = (currentPassword: string, newPassword: string) =>
    here.call({ method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword, newPassword } })
  t.equal((await change('wrong-current-pw', 'a-brand-new-pass')).statusCode, 401)
  const weak = await change(DEMO_PASSWORD, 'short')
  t.equal(weak.statusCode, 400)
  t.same(weak.json().error.details.map((d: { message: string }) => d.message), ['密码至少 10 个字符'])
  t.equal((await change(DEMO_PASSWORD, 'donor-person-123')).json().error.details[0].message, '密码不能包含用户名')
  t.equal((await change(DEMO_PASSWORD, 'a-brand-new-pass')).statusCode, 204)
  t.equal((await here.call({ method: 'GET', url: '/api/v1/auth/session' })).statusCode, 200)
  t.equal((await elsewhere.call({ method: 'GET', url: '/api/v1/auth/session' })).statusCode, 401)
  t.equal((await signInRequest(app, 'donor-person')).statusCode, 401, 'old password no longer works')
  t.equal((await signInRequest(app, 'donor-person', 'a-brand-new-pass')).statusCode, 200)
})

t.test('guessing the current password to change it is throttled like sign-in', async t => {
  const app = await appWithAccounts(t)
  const stolen = await signIn(app, 'donor-person')
  const change = (currentPassword: string) =>
    stolen.call({ method: 'POST', url: '/api/v1/auth/password', payload: { currentPassword, newPassword: 'a-brand-new-pass' } })
  const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => change(`guess-${i}-password`)))
  t.same(burst.map(r => r.statusCode).sort(), [...Array(ACCOUNT_FAILURE_LIMIT).fill(401), ...Array(8 - ACCOUNT_FAILURE_LIMIT).fill(423)])
  const locked = await change(DEMO_PASSWORD)
  t.equal(locked.statusCode, 423, 'the right password is refused while locked')
  t.equal(locked.json().error.code, 'account_locked')
  t.equal((await signInRequest(app, 'donor-person')).statusCode, 423, 'one count for the account: sign-in is locked too')
  const user = await app.db.selectFrom('users').select(['id', 'password_hash']).where('username', '=', 'donor-person').executeTakeFirstOrThrow()
  const trail = await app.db.selectFrom('audit_records').select(['action', 'record_id', 'details']).where('action', 'in', ['auth.password_change_failed', 'auth.locked_out']).orderBy('id').execute()
  t.same(trail.map(r => r.action), [...Array(ACCOUNT_FAILURE_LIMIT).fill('auth.password_change_failed'), 'auth.locked_out'])
  t.same(trail[0], { action: 'auth.password_change_failed', record_id: String(user.id), details: { username: 'donor-person', reason: 'wrong_password' } })

  // Once the lock has passed, the right password changes it, and that success ends the count.
  await sql`UPDATE login_attempts SET at = at - interval '16 minutes'`.execute(app.db)
  t.equal((await change(DEMO_PASSWORD)).statusCode, 204)
  t.same((await app.db.selectFrom('login_attempts').select('succeeded').orderBy('id', 'desc').limit(1).execute()), [{ succeeded: true }])
})

t.test('a lock-out is decided when the limit-th failure is, whatever order parallel checks end in', async t => {
  const app = await appWithAccounts(t)
  // The password checks of a burst end in any order (the hash runs outside the locks): here
  // the last one to begin ends first. Each refusal says what it set off.
  const attempts = []
  for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i++) attempts.push(await beginPasswordAttempt(app.db, 'donor-person', '10.0.0.9'))
  const said: Consequences[] = []
  for (const attempt of [...attempts].reverse()) await passwordRefused(app.db, attempt, async (_trx, consequences) => { said.push(consequences) })
  t.same(said.map(c => c.accountLocked), [...Array(ACCOUNT_FAILURE_LIMIT - 1).fill(false), true], 'the lock-out comes with the last failure decided, not the last begun')
  t.equal((await signInRequest(app, 'donor-person')).statusCode, 423)

  // One of a burst proves right after the others are refused: it ends the count, and no
  // lock-out was ever reported for failures that did not reach the limit.
  const more = []
  for (let i = 0; i < ACCOUNT_FAILURE_LIMIT; i++) more.push(await beginPasswordAttempt(app.db, 'auditor', '10.0.0.10'))
  const [right, ...wrong] = more
  const refusals: Consequences[] = []
  for (const attempt of wrong) await passwordRefused(app.db, attempt, async (_trx, consequences) => { refusals.push(consequences) })
  await passwordAccepted(app.db, right!)
  t.same(refusals.map(c => c.accountLocked), Array(ACCOUNT_FAILURE_LIMIT - 1).fill(false))
  t.equal((await signInRequest(app, 'auditor')).statusCode, 200, 'not locked: a success came after the failures')
})

t.test('donors register themselves and verify their contact with a one-try code', async t => {
  const app = await appWithAccounts(t)
  const sent: string[] = []
  app.messages.send = async ({ text }) => { sent.push(/\d{6}/.exec(text)?.[0] ?? '') }
  const register = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/v1/auth/register', payload })
  const good = { username: 'xiaoming', password: 'my-long-password', kind: 'individual', name: '小明', contact: '13800138000' }
  const created = await register(good)
  t.equal(created.statusCode, 201)
  t.same(created.json().user.roles, ['donor'])
  t.equal(created.json().user.contactVerified, false)
  t.equal(sent.length, 1)
  t.equal((await register(good)).statusCode, 409, 'username taken')
  // Valid, unused usernames: only the kind or the extra field can be what is refused.
  const staffKind = await register({ ...good, username: 'xiaohong', kind: 'admin' })
  t.equal(staffKind.statusCode, 400, 'cannot register as staff')
  t.same(new Set(staffKind.json().error.details.map((d: { field: string }) => d.field)), new Set(['body.kind']))
  const extraField = await register({ ...good, username: 'xiaogang', roles: ['admin'] })
  t.equal(extraField.statusCode, 400, 'no extra fields')
  t.same(extraField.json().error.details.map((d: { field: string }) => d.field), ['body.roles'])

  const donor = await signIn(app, 'xiaoming', 'my-long-password')
  const wrongCode = sent[0] === '000000' ? '000001' : '000000'
  const verify = (code: string) => donor.call({ method: 'POST', url: '/api/v1/auth/verify-contact', payload: { code } })
  t.equal((await verify(wrongCode)).json().error.code, 'code_invalid')
  t.equal((await verify(sent[0]!)).json().error.code, 'code_invalid', 'a wrong guess discards the code')
  t.equal((await donor.call({ method: 'POST', url: '/api/v1/auth/verify-contact/resend' })).statusCode, 204)
  t.equal((await verify(sent[1]!)).statusCode, 204)
  t.equal((await donor.call({ method: 'GET', url: '/api/v1/auth/session' })).json().user.contactVerified, true)
})

t.test('failed sign-ins and the lock-out they cause are in the audit trail, never the password', async t => {
  const app = await appWithAccounts(t)
  const trail = async () => (await app.db.selectFrom('audit_records').select(['action', 'record_id', 'region_code', 'details']).orderBy('id').execute())
  t.equal((await signInRequest(app, 'mz-nanxun', 'secret-guess-1')).statusCode, 401)
  t.equal((await signInRequest(app, 'hunter2-typed-as-name', 'secret-guess-2')).statusCode, 401)
  const user = await app.db.selectFrom('users').select('id').where('username', '=', 'mz-nanxun').executeTakeFirstOrThrow()
  t.same(await trail(), [
    { action: 'auth.sign_in_failed', record_id: String(user.id), region_code: '330503101', details: { username: 'mz-nanxun', reason: 'wrong_password' } },
    { action: 'auth.sign_in_failed', record_id: null, region_code: null, details: { reason: 'unknown_user' } }
  ], 'an unknown name is not kept: it may be a password typed in the wrong field')

  for (let i = 2; i <= ACCOUNT_FAILURE_LIMIT; i++) await signInRequest(app, 'mz-nanxun', `secret-guess-${i + 1}`)
  t.equal((await signInRequest(app, 'mz-nanxun')).statusCode, 423)
  t.equal((await signInRequest(app, 'mz-nanxun')).statusCode, 423)
  const actions = (await trail()).map(r => r.action)
  t.equal(actions.filter(a => a === 'auth.sign_in_failed').length, ACCOUNT_FAILURE_LIMIT + 1)
  t.equal(actions.filter(a => a === 'auth.locked_out').length, 1, 'the lock-out once, not at every refused try')
  const everything = JSON.stringify(await app.db.selectFrom('audit_records').selectAll().execute())
  t.notMatch(everything, /secret-guess|hunter2/, 'no password (nor a name that may be one) anywhere in the trail')

  // Different names, so that no account lock stops the count first.
  for (let i = 0; i < ADDRESS_FAILURE_LIMIT; i++) await signInRequest(app, `guess-${i}`, 'wrong-password', '10.0.0.7')
  const throttled = await app.db.selectFrom('audit_records').select(['ip']).where('action', '=', 'auth.address_throttled').execute()
  t.same(throttled, [{ ip: '10.0.0.7' }], 'the address throttle, once')
})

t.test('old sign-in attempts are pruned; the recent ones that decide lock-outs stay', async t => {
  const app = await appWithAccounts(t)
  for (let i = 0; i < 3; i++) await signInRequest(app, 'admin', 'wrong-password')
  await sql`UPDATE login_attempts SET at = now() - interval '25 hours' WHERE id IN (SELECT min(id) FROM login_attempts)`.execute(app.db)
  t.equal(await pruneLoginAttempts(app.db), 1)
  t.equal(await pruneLoginAttempts(app.db, 60), 0, 'never inside the throttle window, whatever is asked')
  t.equal((await app.db.selectFrom('login_attempts').select('id').execute()).length, 2)
})
