// The HTTP server's Meilisearch client over node:http: answers as with fetch, Meilisearch's
// errors with their codes, and a timeout as the client's own timeout error.
import t from 'tap'
import { createServer } from 'node:net'
import { once } from 'node:events'
import { Meilisearch, MeilisearchApiError, MeilisearchRequestTimeOutError } from 'meilisearch'
import { nodeHttpClient } from '../../../server/search/http-client.js'

const host = process.env.MEILI_URL as string
const apiKey = process.env.MEILI_MASTER_KEY as string

t.test('searches, errors and timeouts as the client expects them', async t => {
  const http = nodeHttpClient()
  t.teardown(http.close)
  const meili = new Meilisearch({ host, apiKey, httpClient: http.request })
  const uid = `httpclient_${Date.now()}`
  t.teardown(() => new Meilisearch({ host, apiKey }).deleteIndex(uid).catch(() => {}))
  await meili.createIndex(uid, { primaryKey: 'id' }).waitTask()
  await meili.index(uid).addDocuments([{ id: 1, item: '书包' }, { id: 2, item: '台灯' }]).waitTask()
  const found = await meili.index(uid).search('书包')
  t.same(found.hits, [{ id: 1, item: '书包' }])

  const missing = await meili.index(`${uid}_missing`).search('x').catch((error: Error) => error)
  const apiError = missing instanceof MeilisearchApiError ? missing : (missing as Error).cause
  t.ok(apiError instanceof MeilisearchApiError, 'Meilisearch\'s own error')
  t.equal((apiError as MeilisearchApiError).cause?.code, 'index_not_found')
  t.equal((apiError as MeilisearchApiError).response.status, 404)

  const silent = createServer(() => {}) // accepts and never answers
  silent.listen(0, '127.0.0.1')
  await once(silent, 'listening')
  t.teardown(() => silent.close())
  const port = (silent.address() as { port: number }).port
  const slow = new Meilisearch({ host: `http://127.0.0.1:${port}`, apiKey, timeout: 200, httpClient: http.request })
  const started = Date.now()
  const timedOut = await slow.health().catch((error: Error) => error)
  t.ok((timedOut as Error).cause instanceof MeilisearchRequestTimeOutError, 'the client\'s timeout error')
  t.ok(Date.now() - started < 2000, 'given up at the timeout')
})
