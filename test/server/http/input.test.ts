// The input rules of server/http/input.ts on the cases the hardening issue found, each with
// the exact answer: ids spelt other than in decimal digits, or beyond what the server can
// represent; NUL and unpaired surrogates in JSON, forms, sign-in names and upload names;
// non-finite numbers; lengths in any script; Content-Encoding; deep nesting.
import t from 'tap'
import { gzipSync } from 'node:zlib'
import type { LightMyRequestResponse } from 'fastify'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { MAX_DEPTH, textIssues } from '../../../server/http/input.js'

const refusal = (response: LightMyRequestResponse) => {
  const { error } = response.json()
  return { status: response.statusCode, code: error.code, fields: error.details.map((d: { field: string, code: string }) => `${d.field} ${d.code}`) }
}

t.test('ids are decimal digits within range; anything else is a 400 naming the id', async t => {
  const app = await appWithAccounts(t)
  const admin = await signIn(app, 'admin')
  // Account 1 exists (the first demo account): none of these spellings may reach it.
  t.equal((await admin.call({ method: 'GET', url: '/api/v1/users/1' })).statusCode, 200)
  for (const id of ['0x1', '00000000001', '1e0', '%201', '1.0', '+1']) {
    t.same(refusal(await admin.call({ method: 'GET', url: `/api/v1/users/${id}` })), { status: 400, code: 'validation_failed', fields: ['params.id decimal'] }, id)
  }
  for (const id of ['99999999999999999999', '9007199254740992']) {
    t.same(refusal(await admin.call({ method: 'GET', url: `/api/v1/users/${id}` })), { status: 400, code: 'validation_failed', fields: ['params.id maximum'] }, `${id}: beyond 2^53 − 1`)
  }
  t.equal((await admin.call({ method: 'GET', url: '/api/v1/users/9007199254740991' })).statusCode, 404, 'the largest exact id is an id like any other')
  const page = await app.inject({ method: 'GET', url: '/wishes/0x10' })
  t.equal(page.statusCode, 404, 'a page answers "not found"')
  t.match(page.headers['content-type'], /text\/html/)
})

t.test('NUL and unpaired surrogates are refused wherever text arrives, naming the field', async t => {
  const app = await appWithAccounts(t)
  const clerk = await signIn(app, 'mz-nanxun')
  const signInJson = (text: string) => app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', headers: { 'content-type': 'application/json' }, payload: text })
  const textRefusal = (field: string) => ({ status: 400, code: 'validation_failed', fields: [`${field} text`] })
  t.same(refusal(await signInJson('{"username":"ad\\u0000min","password":"whatever-it-is"}')), textRefusal('body.username'), 'NUL in a sign-in name')
  t.same(refusal(await signInJson('{"username":"admin","password":"pass\\ud800word"}')), textRefusal('body.password'), 'a lone high surrogate')
  t.same(refusal(await signInJson('{"username":"admin\\udc00","password":"whatever-it-is"}')), textRefusal('body.username'), 'a lone low surrogate')
  t.equal((await signInJson('{"username":"admin😀","password":"whatever-it-is"}')).statusCode, 401, 'a surrogate pair (an emoji) is text like any other')
  const form = await app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'username=ad%00min&password=whatever-it-is' })
  t.same(refusal(form), textRefusal('body.username'), 'NUL in a form field')
  const upload = await clerk.call({ method: 'POST', url: '/api/v1/imports?fileName=roster%00.csv', headers: { 'content-type': 'text/csv' }, payload: '户编号,姓名\n' })
  t.same(refusal(upload), textRefusal('querystring.fileName'), 'NUL in an uploaded file\'s name')
  t.same(refusal(await clerk.call({ method: 'GET', url: '/api/v1/households?text=%E5%BC%A0%00' })), textRefusal('querystring.text'), 'NUL in a search')
  t.equal(await app.db.selectFrom('import_runs').select('id').execute().then(rows => rows.length), 0, 'nothing was stored')
})

t.test('keys are checked too, and nesting is bounded', async t => {
  t.same(textIssues({ ok: 'fine', 'bad\u0000key': 1 }).map(i => [i.instancePath, i.keyword]), [['/bad\uFFFDkey', 'text']], 'the key is named without the NUL')
  let deep: unknown = 'x'
  for (let i = 0; i < 10_000; i++) deep = [deep]
  t.same(textIssues({ a: deep }).map(i => i.keyword), ['depth'], 'ten thousand levels are walked without recursion and refused once')
  t.same(textIssues({ a: [[['x']]] }), [], `${MAX_DEPTH} levels are plenty for every payload the API takes`)
})

t.test('numbers are finite and in range; lengths count characters in any script', async t => {
  const app = await appWithAccounts(t)
  const search = (query: string) => app.inject({ method: 'GET', url: `/api/v1/public/wishes?${query}` })
  t.same(refusal(await search('minValue=-Infinity')), { status: 400, code: 'validation_failed', fields: ['querystring.minValue decimal'] })
  t.same(refusal(await search('maxValue=1e400')), { status: 400, code: 'validation_failed', fields: ['querystring.maxValue decimal'] })
  t.same(refusal(await search(`maxValue=1${'0'.repeat(400)}`)), { status: 400, code: 'validation_failed', fields: ['querystring.maxValue decimal'] }, 'digits that overflow to Infinity')
  t.equal((await search('minValue=0&maxValue=150.5')).statusCode, 200, 'plain decimals pass')
  for (const [script, letter] of [['Latin', 'a'], ['Chinese', '书'], ['astral', '😀']] as const) {
    t.same(refusal(await search(`q=${encodeURIComponent(letter.repeat(101))}`)), { status: 400, code: 'validation_failed', fields: ['querystring.q maxLength'] }, `101 ${script} characters`)
    t.equal((await search(`q=${encodeURIComponent(letter.repeat(100))}`)).statusCode, 200, `100 ${script} characters`)
  }
  t.same(refusal(await search(`q=${encodeURIComponent('书'.repeat(5000))}`)), { status: 400, code: 'validation_failed', fields: ['querystring.q maxLength'] }, 'the 5,000-character Chinese query')
  const clerk = await signIn(app, 'mz-nanxun')
  const wish = await clerk.call({ method: 'POST', url: '/api/v1/wishes', headers: { 'content-type': 'application/json' }, payload: '{"personId":1e20,"category":"clothing","item":"冬衣","value":1e400,"story":""}' })
  t.same(refusal(wish), { status: 400, code: 'validation_failed', fields: ['body.personId maximum', 'body.value type'] }, 'a JSON body: beyond 2^53 − 1, and Infinity once parsed')
})

t.test('a body with a Content-Encoding is refused with 415, not read as plain', async t => {
  const app = await appWithAccounts(t)
  const admin = await signIn(app, 'admin')
  const body = JSON.stringify({ groups: [['书包', '双肩包']] })
  for (const [encoding, payload] of [['gzip', gzipSync(body)], ['br', Buffer.from(body)], ['identity, gzip', gzipSync(body)]] as const) {
    const response = await admin.call({ method: 'PUT', url: '/api/v1/search/synonyms/wishes', headers: { 'content-type': 'application/json', 'content-encoding': encoding }, payload })
    t.same(refusal(response), { status: 415, code: 'unsupported_content_encoding', fields: [] }, encoding)
  }
  t.equal((await admin.call({ method: 'PUT', url: '/api/v1/search/synonyms/wishes', headers: { 'content-type': 'application/json', 'content-encoding': 'identity' }, payload: body })).statusCode, 200, 'identity is no encoding')
  t.same((await admin.call({ method: 'GET', url: '/api/v1/search/synonyms/wishes' })).json().groups, [['书包', '双肩包']])
})

t.test('a path the router cannot read is answered in the error shape', async t => {
  const app = await appWithAccounts(t)
  t.same(refusal(await app.inject({ method: 'GET', url: '/wishes/%ED%A0%80' })), { status: 400, code: 'bad_url', fields: [] })
  t.same(refusal(await app.inject({ method: 'GET', url: `/api/v1/public/wishes/${'9'.repeat(200)}` })), { status: 414, code: 'uri_too_long', fields: [] })
})
