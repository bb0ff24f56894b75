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
  for (const headers of own) {
    t.equal((await post('/api/v1/auth/sign-in', credentials, headers)).statusCode, 200, `accepted: ${JSON.stringify(headers)}`)
  }
  t.equal((await post('/api/v1/auth/register', registration, { 'sec-fetch-site': 'same-origin' })).statusCode, 201)
})
