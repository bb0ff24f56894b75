// Sign-in and registration have no session whose CSRF token could guard them; they refuse
// posts that browsers say come from another site's page instead.
import t from 'tap'
import { appWithAccounts } from '../../helpers/accounts.js'
import { DEMO_PASSWORD } from '../../../server/auth/demo-accounts.js'

t.test('sign-in and registration refuse posts from other sites (login CSRF)', async t => {
  const app = await appWithAccounts(t)
  const post = (url: string, payload: object, headers: Record<string, string>) => app.inject({ method: 'POST', url, payload, headers })
  const credentials = { username: 'admin', password: DEMO_PASSWORD }
  const foreign: Array<Record<string, string>> = [
    { 'sec-fetch-site': 'cross-site' },
    { 'sec-fetch-site': 'same-site' },
    { origin: 'https://evil.example', host: 'shanqiao.example' },
    { origin: 'null', host: 'shanqiao.example' },
    { referer: 'https://evil.example/login.html', host: 'shanqiao.example' }
  ]
  for (const headers of foreign) {
    const refused = await post('/api/v1/auth/sign-in', credentials, headers)
    t.equal(refused.statusCode, 403, JSON.stringify(headers))
    t.equal(refused.json().error.code, 'csrf_rejected')
  }
  t.equal((await app.db.selectFrom('sessions').select('id').execute()).length, 0, 'no session was made for a foreign page')
  const registration = { username: 'xiaoli', password: 'my-long-password', kind: 'individual', name: '小李', contact: 'li@example.com' }
  t.equal((await post('/api/v1/auth/register', registration, { 'sec-fetch-site': 'cross-site' })).statusCode, 403)

  const own: Array<Record<string, string>> = [
    { 'sec-fetch-site': 'same-origin' },
    { 'sec-fetch-site': 'none' },
    { origin: 'https://shanqiao.example', host: 'shanqiao.example' },
    { referer: 'https://shanqiao.example/sign-in', host: 'shanqiao.example' },
    {}
  ]
  for (const [index, headers] of own.entries()) {
    const accepted = await post('/api/v1/auth/sign-in', credentials, headers)
    t.equal(accepted.statusCode, 200, `accepted: ${JSON.stringify(headers)}`)
    const body = accepted.json()
    t.equal(body.user.username, 'admin', 'signed in as the account asked for')
    t.match(body.csrfToken, /^\S{20,}$/, 'with a CSRF token for the session')
    const cookie = accepted.cookies.find(c => c.name === 'sq_session')
    t.ok(cookie?.value, 'and its session cookie')
    t.equal((await app.inject({ method: 'GET', url: '/api/v1/auth/session', cookies: { sq_session: cookie?.value ?? '' } })).json().csrfToken, body.csrfToken, 'a session the server knows')
    t.equal((await app.db.selectFrom('sessions').select('id').execute()).length, index + 1, 'one session per sign-in')
  }
  const registered = await post('/api/v1/auth/register', registration, { 'sec-fetch-site': 'same-origin' })
  t.equal(registered.statusCode, 201)
  t.match(registered.json().user, { username: 'xiaoli', roles: ['donor'] }, 'the donor account was made')
})
