// The circuit breaker on plain data: a failure to answer turns callers away for the cool-down,
// then one caller probes while the rest keep away; an answer — even a refusal — closes it;
// and the errors the real client gives over our transport are classified the same way.
import t from 'tap'
import { createServer } from 'node:net'
import { once } from 'node:events'
import { Meilisearch, MeilisearchApiError, MeilisearchRequestError, MeilisearchRequestTimeOutError } from 'meilisearch'
import { CircuitBreaker, isOutage, withFallback } from '../../../server/search/breaker.js'
import { nodeHttpClient } from '../../../server/search/http-client.js'

function clock () {
  const time = { now: 1_000_000 }
  return { time, breaker: new CircuitBreaker(30_000, () => time.now) }
}

const refused = (status: number) => new MeilisearchApiError(new Response(null, { status }), { message: 'refused', code: 'index_not_found', type: 'invalid_request', link: '' })

t.test('what counts as Meilisearch being down', async t => {
  t.equal(isOutage(new MeilisearchRequestError('http://127.0.0.1:7700/indexes', new Error('ECONNREFUSED'))), true, 'no connection')
  t.equal(isOutage(new MeilisearchRequestTimeOutError(3000, {})), true, 'no answer in time')
  t.equal(isOutage(refused(503)), true, 'a server error')
  t.equal(isOutage(refused(404)), false, 'a refusal is an answer (e.g. no index yet)')
})

t.test('a failure keeps callers away for the cool-down; then one probes', async t => {
  const { time, breaker } = clock()
  t.equal(breaker.allow(), true, 'closed at first')
  breaker.answered(new MeilisearchRequestTimeOutError(3000, {}))
  t.equal(breaker.allow(), false, 'open after a timeout')
  time.now += 29_999
  t.equal(breaker.allow(), false, 'still within the cool-down')
  time.now += 1
  t.equal(breaker.allow(), true, 'one probe after it')
  t.equal(breaker.allow(), false, 'while the others keep away')
  breaker.answered()
  t.equal(breaker.allow(), true, 'an answer closes it')
  t.equal(breaker.allow(), true)
  breaker.answered(refused(404))
  t.equal(breaker.allow(), true, 'a refusal does not open it')
})

t.test('withFallback asks the primary only while the breaker allows, and hears each failure once', async t => {
  const { breaker } = clock()
  const calls: string[] = []
  const failures: unknown[] = []
  const down = new MeilisearchRequestError('http://127.0.0.1:7700', new Error('ECONNREFUSED'))
  const primary = async () => { calls.push('primary'); throw down }
  const fallback = async () => { calls.push('fallback'); return 'from the database' }
  t.equal(await withFallback(breaker, primary, fallback, error => failures.push(error)), 'from the database')
  t.equal(await withFallback(breaker, primary, fallback, error => failures.push(error)), 'from the database')
  t.same(calls, ['primary', 'fallback', 'fallback'], 'the second call goes straight to the fallback')
  t.same(failures, [down])
  const answering = new CircuitBreaker(30_000)
  t.equal(await withFallback(answering, async () => 'from the index', fallback, () => {}), 'from the index')
})

t.test('the real client over our node:http transport: a refusal is an answer, no connection is an outage', async t => {
  const host = process.env.MEILI_URL as string
  const apiKey = process.env.MEILI_MASTER_KEY as string
  const http = nodeHttpClient()
  t.teardown(http.close)
  const meili = new Meilisearch({ host, apiKey, timeout: 3000, httpClient: http.request })
  const uid = `breaker_${Date.now()}`
  t.teardown(() => new Meilisearch({ host, apiKey }).deleteIndex(uid).catch(() => {}))
  await meili.createIndex(uid, { primaryKey: 'id' }).waitTask()
  const failure = (promise: Promise<unknown>) => promise.then(() => { throw new Error('expected a refusal') }, (error: unknown) => error)

  const missing = await failure(meili.index(`${uid}_missing`).search('x'))
  t.equal(isOutage(missing), false, 'a missing index (404) is an answer')
  const badFilter = await failure(meili.index(uid).search('x', { filter: 'no_such_field = 1' }))
  t.equal(isOutage(badFilter), false, 'a bad filter (400) is an answer')

  const { breaker } = clock()
  breaker.answered(badFilter)
  t.equal(breaker.allow(), true, 'the refusal leaves the breaker closed')

  const closed = createServer()
  closed.listen(0, '127.0.0.1')
  await once(closed, 'listening')
  const port = (closed.address() as { port: number }).port
  closed.close()
  await once(closed, 'close')
  const nobody = new Meilisearch({ host: `http://127.0.0.1:${port}`, apiKey, timeout: 3000, httpClient: http.request })
  t.equal(isOutage(await failure(nobody.index(uid).search('x'))), true, 'no connection is an outage')
})
