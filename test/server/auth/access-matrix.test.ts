// What the route matrix (route-matrix.test.ts) does not show: a town auditor's accounts and
// trail (search and export) hold only its town's records, the security headers and limits,
// and strangers refused before their upload is read.
import t from 'tap'
import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { appWithAccounts, OTHER_TOWN, signIn } from '../../helpers/accounts.js'
import { auditPiiRead } from '../../../server/audit/pii-read.js'

const TOWN = '330503101'

async function household (app: FastifyInstance, regionCode: string): Promise<number> {
  const row = await app.db.insertInto('households').values({ region_code: regionCode, annual_income: 12000, property_compliant: true })
    .returning('id').executeTakeFirstOrThrow()
  return row.id
}

function testRoutes (app: FastifyInstance): void {
  app.get('/test/households/:id/pii', { config: { access: 'household.read_pii' } }, async request => {
    const regionCode = await auditPiiRead(request, Number((request.params as { id: string }).id), ['name', 'id_number'])
    return { regionCode }
  })
}

t.test('lists never leak rows from outside the reader\'s region', async t => {
  const app = await appWithAccounts(t)
  testRoutes(app)
  const admin = await signIn(app, 'admin')
  const created = await admin.call({
    method: 'POST', url: '/api/v1/users',
    payload: { username: 'audit-town', displayName: '镇审计', password: 'long-enough-pass-1', roles: ['auditor'], regionCode: TOWN }
  })
  t.equal(created.statusCode, 201)
  await admin.call({
    method: 'POST', url: '/api/v1/users',
    payload: { username: 'mz-shuanglin', displayName: '双林镇干事', password: 'long-enough-pass-1', roles: ['civil_affairs'], regionCode: OTHER_TOWN }
  })
  const inTown = await household(app, TOWN)
  const elsewhere = await household(app, OTHER_TOWN)
  const county = await signIn(app, 'mz-county')
  t.equal((await county.call({ method: 'GET', url: `/test/households/${inTown}/pii` })).statusCode, 200)
  t.equal((await county.call({ method: 'GET', url: `/test/households/${elsewhere}/pii` })).statusCode, 200)

  const townAuditor = await signIn(app, 'audit-town', 'long-enough-pass-1')
  const users = (await townAuditor.call({ method: 'GET', url: '/api/v1/users' })).json().users as Array<{ username: string, regionCode: string }>
  t.same(users.map(u => u.username).sort(), ['audit-town', 'mz-nanxun'], 'only accounts bound inside 南浔镇')
  t.equal((await townAuditor.call({ method: 'GET', url: `/api/v1/users/${created.json().id}` })).statusCode, 200)
  const outsider = await app.db.selectFrom('users').select('id').where('username', '=', 'mz-shuanglin').executeTakeFirstOrThrow()
  t.equal((await townAuditor.call({ method: 'GET', url: `/api/v1/users/${outsider.id}` })).statusCode, 404, 'a single account outside the region is not found')

  const townTrail = (await townAuditor.call({ method: 'GET', url: '/api/v1/audit?action=household.read_pii' })).json().records as Array<{ recordId: string, regionCode: string }>
  t.same(townTrail.map(r => r.recordId), [String(inTown)], 'the town auditor sees the town household read only')
  t.ok((await townAuditor.call({ method: 'GET', url: '/api/v1/audit' })).json().records.every((r: { regionCode: string }) => r.regionCode.startsWith(TOWN)))
  const csv = (await townAuditor.call({ method: 'GET', url: '/api/v1/audit/export.csv?action=household.*' })).body
  t.equal(csv.trim().split('\r\n').length, 2, 'header and one row in the export')
  t.notMatch(csv, new RegExp(`,household,${elsewhere},`))

  const countyAuditor = await signIn(app, 'auditor')
  const countyTrail = (await countyAuditor.call({ method: 'GET', url: '/api/v1/audit?action=household.read_pii' })).json().records as Array<{ recordId: string }>
  t.same(countyTrail.map(r => r.recordId), [String(elsewhere), String(inTown)], 'the county auditor sees both, newest first')
})

t.test('security headers and limits', async t => {
  const app = await appWithAccounts(t)
  const response = await app.inject({ method: 'GET', url: '/health' })
  const csp = String(response.headers['content-security-policy'])
  t.match(csp, /default-src 'self'/)
  t.match(csp, /script-src 'self'(;|$)/, 'no inline scripts')
  t.match(csp, /frame-ancestors 'none'/)
  t.notMatch(csp, /unsafe-inline|unsafe-eval/)
  t.equal(response.headers['x-content-type-options'], 'nosniff')
  t.notOk(response.headers['strict-transport-security'], 'no HSTS over plain HTTP')
  const docs = await app.inject({ method: 'GET', url: '/docs/' })
  t.equal(docs.statusCode, 200, 'the API docs stay public')
  t.notMatch(docs.body, /<script>(?!\s*<\/script>)|<script(?![^>]*\bsrc=)[^>]*>\s*\S/, 'the docs page has no inline script the CSP would block')

  const big = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username: 'admin', password: 'x'.repeat(20_000) } })
  t.equal(big.statusCode, 413, 'sign-in bodies are small')
  t.equal(big.json().error.code, 'payload_too_large')

  let last
  for (let i = 0; i < 61; i++) last = await app.inject({ method: 'GET', url: `/wp-admin/${i}.php`, remoteAddress: '10.1.1.1' })
  t.equal(last!.statusCode, 429, 'unknown routes are throttled per address')
  t.match(last!.body, /<h1>请稍后再试<\/h1>/, 'outside the API, the refusal is a page')
  t.ok(Number(last!.headers['retry-after']) > 0)
  const api = await app.inject({ method: 'GET', url: '/api/v1/wp-admin', remoteAddress: '10.1.1.1' })
  t.equal(api.statusCode, 429, 'the same count covers the API')
  t.equal(api.json().error.code, 'too_many_attempts', 'where the refusal has the error shape')
  t.equal((await app.inject({ method: 'GET', url: '/wp-admin/x.php', remoteAddress: '10.1.1.2' })).statusCode, 404)
})

t.test('strangers are refused before their body is read', async t => {
  const app = await appWithAccounts(t)
  const huge = Buffer.alloc(65 * 1024 * 1024, 'a')
  const injected = await app.inject({ method: 'POST', url: '/api/v1/imports', headers: { 'content-type': 'text/csv' }, payload: huge })
  t.equal(injected.statusCode, 401, 'a body over the upload limit gets 401, not 413: it was never parsed')
  t.equal(injected.json().error.code, 'unauthenticated')
  const donor = await signIn(app, 'donor-person')
  const refused = await donor.call({ method: 'POST', url: '/api/v1/imports', headers: { 'content-type': 'text/csv' }, payload: huge })
  t.equal(refused.statusCode, 403, 'a signed-in user without the right is refused before parsing too')

  // Over a real socket: the answer comes while the client has sent 1 KiB of a declared 50 MiB.
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as AddressInfo
  const status = await new Promise<number>((resolve, reject) => {
    const upload = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/imports', headers: { 'content-type': 'text/csv', 'content-length': 50 * 1024 * 1024 } })
    upload.on('response', response => {
      response.resume()
      resolve(response.statusCode ?? 0)
      upload.destroy()
    })
    upload.on('error', reject)
    upload.setTimeout(5000, () => {
      upload.destroy()
      reject(new Error('no answer before the body was sent: the server waited for it'))
    })
    upload.write(Buffer.alloc(1024, 'a'))
  })
  t.equal(status, 401)
})
