import t from 'tap'
import { sql } from 'kysely'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { secretHash } from '../../../server/auth/secrets.js'

t.test('API tokens: shown once, stored hashed, limited to scopes and region, expire, revocable', async t => {
  const app = await appWithAccounts(t)
  const admin = await signIn(app, 'admin')
  const auditorId = (await app.db.selectFrom('users').select('id').where('username', '=', 'auditor').executeTakeFirstOrThrow()).id
  const inAMonth = new Date(Date.now() + 30 * 86400_000).toISOString()
  const create = (payload: Record<string, unknown>) => admin.call({ method: 'POST', url: `/api/v1/users/${auditorId}/tokens`, payload })

  const bad = await create({ name: 'x', scopes: ['audit.read', 'everything'], expiresAt: new Date(Date.now() - 1000).toISOString() })
  t.equal(bad.statusCode, 400)
  t.same(bad.json().error.details.map((d: { field: string }) => d.field), ['body.scopes', 'body.expiresAt'])
  t.equal((await create({ name: 'x', scopes: ['audit.read'], expiresAt: new Date(Date.now() + 400 * 86400_000).toISOString() })).statusCode, 400, 'at most a year')

  const created = await create({ name: '区审计局系统', scopes: ['audit.read'], expiresAt: inAMonth })
  t.equal(created.statusCode, 201)
  const { token, id } = created.json()
  t.match(token, /^sqt_[A-Za-z0-9_-]{43}$/)
  const stored = await app.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
  t.same(stored.token_hash, secretHash(token), 'only the hash is stored')
  const listed = await admin.call({ method: 'GET', url: `/api/v1/users/${auditorId}/tokens` })
  t.notMatch(listed.body, token, 'never shown again')
  t.equal(listed.json().tokens[0].name, '区审计局系统')
  const trail = await app.db.selectFrom('audit_records').select(['action', 'after']).where('action', '=', 'token.created').executeTakeFirstOrThrow()
  t.notMatch(JSON.stringify(trail.after), token, 'the secret is not in the audit trail')

  const bearer = (url: string, method: 'GET' | 'POST' = 'GET', value = token) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${value}` }, ...(method === 'POST' ? { payload: {} } : {}) })
  t.equal((await bearer('/api/v1/audit')).statusCode, 200, 'in scope; no CSRF token needed')
  t.equal((await bearer('/api/v1/users')).statusCode, 403, 'the auditor may list users, the token may not')
  t.equal((await bearer('/api/v1/audit/verify')).statusCode, 403, 'out of scope')
  t.equal((await bearer('/api/v1/auth/session')).statusCode, 403, 'tokens are not sessions')
  t.equal((await bearer('/api/v1/auth/sign-out-everywhere', 'POST')).statusCode, 403)
  const forged = await bearer('/api/v1/audit', 'GET', 'sqt_' + 'A'.repeat(43))
  t.equal(forged.statusCode, 401)
  t.match(forged.json().error.message, /API 令牌无效/)

  const used = await app.db.selectFrom('api_tokens').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow()
  t.ok(used.last_used_at, 'last use is recorded')

  await sql`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = ${id}`.execute(app.db)
  t.equal((await bearer('/api/v1/audit')).statusCode, 401, 'expired')
  await sql`UPDATE api_tokens SET expires_at = now() + interval '1 day' WHERE id = ${id}`.execute(app.db)
  t.equal((await bearer('/api/v1/audit')).statusCode, 200)

  const revoked = await admin.call({ method: 'DELETE', url: `/api/v1/users/${auditorId}/tokens/${id}` })
  t.equal(revoked.statusCode, 200)
  t.equal(revoked.json().revoked, true)
  t.equal((await bearer('/api/v1/audit')).statusCode, 401, 'revoked')
  t.equal((await admin.call({ method: 'DELETE', url: `/api/v1/users/${auditorId}/tokens/9999` })).statusCode, 404)

  // Disabling the account stops its tokens as well.
  const second = (await create({ name: 'again', scopes: ['audit.read'], expiresAt: inAMonth })).json().token
  t.equal((await bearer('/api/v1/audit', 'GET', second)).statusCode, 200)
  t.equal((await admin.call({ method: 'PATCH', url: `/api/v1/users/${auditorId}`, payload: { disabled: true } })).statusCode, 200)
  t.equal((await bearer('/api/v1/audit', 'GET', second)).statusCode, 401)
})

t.test('only administrators manage tokens', async t => {
  const app = await appWithAccounts(t)
  const auditor = await signIn(app, 'auditor')
  const response = await auditor.call({ method: 'POST', url: '/api/v1/users/1/tokens', payload: { name: 'x', scopes: ['audit.read'], expiresAt: new Date(Date.now() + 86400_000).toISOString() } })
  t.equal(response.statusCode, 403)
})
