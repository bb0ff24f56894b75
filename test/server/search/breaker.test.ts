// The circuit breaker on plain data: a failure to answer turns callers away for the cool-down,
// then one caller probes while the rest keep away; an answer — even a refusal — closes it.
import t from 'tap'
import { MeilisearchApiError, MeilisearchRequestError, MeilisearchRequestTimeOutError } from 'meilisearch'
import { CircuitBreaker, isOutage, withFallback } from '../../../server/search/breaker.js'

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
