import t from 'tap'
import { Type } from 'typebox'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { testApp } from '../helpers/services.js'

t.test('health, readiness and the API document', async t => {
  const app = await testApp(t)
  const health = await app.inject({ method: 'GET', url: '/health' })
  t.equal(health.statusCode, 200)
  t.same(health.json(), { status: 'ok' })

  const ready = await app.inject({ method: 'GET', url: '/ready' })
  t.equal(ready.statusCode, 200)
  t.same(ready.json(), { status: 'ready', services: { postgres: 'up', meilisearch: 'up', redis: 'up' } })

  const docs = await app.inject({ method: 'GET', url: '/docs/json' })
  t.equal(docs.statusCode, 200)
  const paths = Object.keys(docs.json().paths)
  t.ok(paths.includes('/ready') && paths.includes('/health'), 'routes appear in the OpenAPI document')
  const ui = await app.inject({ method: 'GET', url: '/docs/' })
  t.equal(ui.statusCode, 200)
  t.match(ui.headers['content-type'], /text\/html/)
})

t.test('request ids are returned, and taken from the caller when well-formed', async t => {
  const app = await testApp(t)
  const given = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'abc-12345678' } })
  t.equal(given.headers['x-request-id'], 'abc-12345678')
  const generated = await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': '<script>' } })
  t.match(generated.headers['x-request-id'], /^[0-9a-f-]{36}$/)
})

t.test('every error has the same shape', async t => {
  const app = await testApp(t)
  app.withTypeProvider<TypeBoxTypeProvider>().post('/api/test/echo', {
    config: { access: 'public' },
    schema: {
      body: Type.Object({
        amount: Type.Number({ minimum: 0 }),
        kind: Type.Union([Type.Literal('wish'), Type.Literal('fund')]),
        members: Type.Array(Type.Object({ birthDate: Type.String({ format: 'date' }) }), { minItems: 1 })
      }, { additionalProperties: false })
    }
  }, async request => request.body)
  for (const url of ['/api/test/crash', '/test/page-crash']) {
    app.get(url, { config: { access: 'public' } }, async () => {
      throw new Error('duplicate key value violates unique constraint "persons_id_blind_index_key" SELECT * FROM persons')
    })
  }

  const invalid = await app.inject({ method: 'POST', url: '/api/test/echo', payload: { amount: -1, kind: 'gift', members: [{ birthDate: '2025-02-30x' }], extra: 1 } })
  t.equal(invalid.statusCode, 400)
  const body = invalid.json()
  t.equal(body.error.code, 'validation_failed')
  t.match(body.error.message, /请求参数不合法/)
  const fields = body.error.details.map((d: { field: string }) => d.field)
  t.ok(fields.includes('body.amount'), 'negative amount named')
  t.ok(fields.includes('body.members.0.birthDate'), 'bad date named by its path')
  t.ok(fields.includes('body.extra'), 'unknown property named')
  t.ok(fields.some((f: string) => f === 'body.kind'), 'unknown enum value named')
  for (const detail of body.error.details) t.type(detail.message, 'string')

  const missing = await app.inject({ method: 'POST', url: '/api/test/echo', payload: {} })
  t.same(missing.json().error.details.map((d: { field: string }) => d.field).sort(), ['body.amount', 'body.kind', 'body.members'])

  const badJson = await app.inject({ method: 'POST', url: '/api/test/echo', headers: { 'content-type': 'application/json' }, payload: '{"amount":' })
  t.equal(badJson.statusCode, 400)
  t.equal(badJson.json().error.code, 'invalid_json')

  const pageCrash = await app.inject({ method: 'GET', url: '/test/page-crash' })
  t.equal(pageCrash.statusCode, 500, 'outside the API, a crash is a page…')
  t.match(pageCrash.body, /<h1>出错了<\/h1>/)
  t.notMatch(pageCrash.body, /SELECT|persons|constraint|at /, '…that leaks nothing either')

  const crash = await app.inject({ method: 'GET', url: '/api/test/crash' })
  t.equal(crash.statusCode, 500)
  t.same(crash.json(), { error: { code: 'internal_error', message: '服务器内部错误，请稍后重试 (internal error)', details: [] } })
  t.notMatch(crash.body, /SELECT|persons|constraint|at /, 'no SQL or stack trace leaks')

  const unknown = await app.inject({ method: 'DELETE', url: '/api/v1/nothing?x=1' })
  t.equal(unknown.statusCode, 404)
  t.same(unknown.json(), { error: { code: 'route_not_found', message: '接口不存在：DELETE /api/v1/nothing (no such route)', details: [] } })
})
