// One's own account through the API: a forgotten password is reset by a one-time code sent to
// the verified contact, and the answer never tells whether an account exists; the contact and
// name can be changed (a new contact must be verified again, and is the donor's contact too).
import t from 'tap'
import { sql } from 'kysely'
import { appWithAccounts, signIn, signInRequest } from '../../helpers/accounts.js'
import { donorAccount, PASSWORD } from '../../helpers/needs.js'
import type { OutgoingMessage } from '../../../server/messaging/senders.js'
import { CODES_PER_TARGET_HOUR } from '../../../server/auth/one-time-codes.js'

const codeIn = (message: OutgoingMessage | undefined) => /\b(\d{6})\b/.exec(message?.text ?? '')?.[1] ?? ''
const otherThan = (code: string) => code === '000000' ? '000001' : '000000'

t.test('a forgotten password: the same answer for everyone, a code that works once, every session ended', async t => {
  const app = await appWithAccounts(t)
  const sent: OutgoingMessage[] = []
  app.messages.send = async message => { sent.push(message) }
  await donorAccount(app, 'forgetful')
  const old = await signIn(app, 'forgetful', PASSWORD)
  const request = (login: string, remoteAddress = '10.4.0.1') => app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/request', payload: { login }, remoteAddress })
  const reset = (body: Record<string, string>) => app.inject({ method: 'POST', url: '/api/v1/auth/password-reset', payload: body })

  const known = await request('forgetful')
  const unknown = await request('nobody-at-all')
  await app.db.updateTable('users').set({ contact_verified_at: null }).where('username', '=', 'mz-nanxun').execute()
  const unverified = await request('mz-nanxun')
  for (const response of [known, unknown, unverified]) {
    t.equal(response.statusCode, 202)
    t.same(response.json(), { message: '如果该账号存在且已验证联系方式，验证码已发送到其手机或邮箱，15 分钟内有效。' })
  }
  await new Promise(resolve => setImmediate(resolve))
  t.same(sent.map(m => [m.to, m.subject]), [['13800000000', '善桥 重置密码验证码']], 'only the account with a verified contact gets a code')
  const code = codeIn(sent[0])
  t.match(sent[0]?.text, /重置密码.*15 分钟内有效，仅可使用一次/)

  const weak = await reset({ login: 'forgetful', code, newPassword: 'forgetful-again-1' })
  t.equal(weak.statusCode, 400, 'a password with the username is refused…')
  t.same(weak.json().error.details.map((d: { field: string }) => d.field), ['body.newPassword'])
  t.equal((await reset({ login: 'nobody-at-all', code: '123456', newPassword: 'a-fine-new-password' })).json().error.code, 'code_invalid', 'an unknown account: the answer a wrong code gets')
  t.equal((await reset({ login: 'forgetful', code, newPassword: 'a-fine-new-password' })).statusCode, 204, '…and did not use up the code')
  t.equal((await reset({ login: 'forgetful', code, newPassword: 'another-new-password' })).json().error.code, 'code_invalid', 'once only')

  t.equal((await old.call({ method: 'GET', url: '/api/v1/auth/session' })).statusCode, 401, 'the old session is over')
  t.equal((await signInRequest(app, 'forgetful', PASSWORD)).statusCode, 401, 'the old password is gone')
  t.equal((await signInRequest(app, 'forgetful', 'a-fine-new-password')).statusCode, 200)
  const trail = await app.db.selectFrom('audit_records').select(['action', 'details']).where('action', '=', 'auth.password_reset').execute()
  t.same(trail, [{ action: 'auth.password_reset', details: { sessionsEnded: 1 } }])

  // By contact, a wrong guess discards the code, and a code expires.
  await request('13800000000')
  await new Promise(resolve => setImmediate(resolve))
  const second = codeIn(sent[1])
  t.equal((await reset({ login: '13800000000', code: otherThan(second), newPassword: 'yet-another-password' })).json().error.code, 'code_invalid')
  t.equal((await reset({ login: '13800000000', code: second, newPassword: 'yet-another-password' })).json().error.code, 'code_invalid', 'a wrong guess used the code up')
  await request('forgetful')
  await new Promise(resolve => setImmediate(resolve))
  await sql`UPDATE users SET reset_code_expires = now() - interval '1 second' WHERE username = 'forgetful'`.execute(app.db)
  t.equal((await reset({ login: 'forgetful', code: codeIn(sent[2]), newPassword: 'yet-another-password' })).json().error.code, 'code_invalid', 'an expired code')
})

t.test('asking for reset codes is limited the same way whether or not the account exists', async t => {
  const app = await appWithAccounts(t)
  app.messages.send = async () => {}
  const ask = (login: string) => app.inject({ method: 'POST', url: '/api/v1/auth/password-reset/request', payload: { login }, remoteAddress: '10.5.0.1' })
  await donorAccount(app, 'real-donor')
  const statuses = async (login: string) => { const out: number[] = []; for (let i = 0; i <= CODES_PER_TARGET_HOUR; i++) out.push((await ask(login)).statusCode); return out }
  const expected = [...new Array(CODES_PER_TARGET_HOUR).fill(202), 429]
  t.same(await statuses('real-donor'), expected)
  t.same(await statuses('made-up-name'), expected)
})

t.test('the contact and the name: a new contact must be verified again, and is the donor\'s contact', async t => {
  const app = await appWithAccounts(t)
  const sent: OutgoingMessage[] = []
  app.messages.send = async message => { sent.push(message) }
  await donorAccount(app, 'mover')
  const donor = await signIn(app, 'mover', PASSWORD)
  const changed = await donor.call({ method: 'PATCH', url: '/api/v1/auth/account', payload: { displayName: '新名字', contact: 'mover@example.org' } })
  t.equal(changed.statusCode, 200)
  t.match(changed.json(), { username: 'mover', displayName: '新名字', contactVerified: false })
  t.same(sent.map(m => [m.to, m.subject]), [['mover@example.org', '善桥 联系方式验证码']])
  const row = await app.db.selectFrom('users as u').innerJoin('donors as d', 'd.id', 'u.donor_id').select(['u.contact', 'd.phone', 'd.email']).where('u.username', '=', 'mover').executeTakeFirstOrThrow()
  t.same(row, { contact: 'mover@example.org', phone: null, email: 'mover@example.org' })
  t.equal((await donor.call({ method: 'POST', url: '/api/v1/auth/verify-contact', payload: { code: codeIn(sent[0]) } })).statusCode, 204)
  t.equal((await donor.call({ method: 'GET', url: '/api/v1/auth/session' })).json().user.contactVerified, true)
  const sameAgain = await donor.call({ method: 'PATCH', url: '/api/v1/auth/account', payload: { contact: 'mover@example.org' } })
  t.equal(sameAgain.json().contactVerified, true, 'the same contact again stays verified and sends nothing')
  t.equal(sent.length, 1)
  const bad = await donor.call({ method: 'PATCH', url: '/api/v1/auth/account', payload: { contact: 'not a contact' } })
  t.equal(bad.statusCode, 400)
  t.same(bad.json().error.details.map((d: { field: string }) => d.field), ['body.contact'])
  const trail = await app.db.selectFrom('audit_records').select(['action', 'before', 'after', 'details']).where('action', '=', 'user.account_changed').orderBy('id').execute()
  t.same(trail[0], { action: 'user.account_changed', before: { displayName: '爱心人士mover' }, after: { displayName: '新名字' }, details: { fields: ['displayName', 'contact'] } }, 'which fields changed; the contact itself stays out of the trail')
})

t.test('registration signs the donor in; the code cannot be sent → a clear 503, and the account stays', async t => {
  const app = await appWithAccounts(t)
  app.messages.send = async () => { throw new Error('gateway down') }
  const response = await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { username: 'new-giver', password: 'a-long-password-1', kind: 'enterprise', name: '某某公司', contact: 'giver@example.org' } })
  t.equal(response.statusCode, 503)
  t.same(response.json().error, { code: 'message_not_sent', message: '验证码发送失败，请稍后重试 (the message could not be sent)', details: [] })
  const user = await app.db.selectFrom('users').select(['username', 'contact']).where('username', '=', 'new-giver').executeTakeFirst()
  t.same(user, { username: 'new-giver', contact: 'giver@example.org' }, 'registered; a new code can be asked for')
  app.messages.send = async () => {}
  const ok = await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: { username: 'newer-giver', password: 'a-long-password-1', kind: 'individual', name: '王先生', contact: '13911112222' } })
  t.equal(ok.statusCode, 201)
  const cookie = ok.cookies.find(c => c.name === 'sq_session')
  t.ok(cookie?.value, 'a session cookie')
  const session = await app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: `sq_session=${cookie?.value}` } })
  t.equal(session.json().user.username, 'newer-giver')
  t.equal(session.json().csrfToken, ok.json().csrfToken)
})
