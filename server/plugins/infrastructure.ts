// Connections to PostgreSQL, Meilisearch and Redis, decorated onto the app and closed on
// shutdown. Readiness checks live here too, next to the connections they test.
import fp from 'fastify-plugin'
import { Meilisearch } from 'meilisearch'
import { Redis } from 'ioredis'
import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.js'
import { createDb, type Db } from '../db/database.js'
import { closeQueues, openQueues, type Queues } from '../../jobs/queues.js'
import { CircuitBreaker, SEARCH_RETRY_MS } from '../search/breaker.js'
import { FacetCache } from '../search/facet-cache.js'
import { nodeHttpClient } from '../search/http-client.js'

export type ServiceName = 'postgres' | 'meilisearch' | 'redis'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
    db: Db
    meili: Meilisearch
    /** Whether donor searches should ask Meilisearch now, or fall back at once (search/breaker.ts). */
    searchBreaker: CircuitBreaker
    /** Facet counts of recent donor searches (search/facet-cache.ts). */
    facetCache: FacetCache
    queues: Queues
    /** Resolves when the service answers; rejects with the reason otherwise. */
    checks: Record<ServiceName, () => Promise<void>>
  }
}

const CHECK_TIMEOUT_MS = 2000

function withTimeout (promise: Promise<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)
    promise.then(() => resolve(), reject).finally(() => clearTimeout(timer))
  })
}

export const infrastructure = fp(async function infrastructure (app: FastifyInstance, { config }: { config: Config }) {
  // A request waits at most this long for a database connection, then is answered 503.
  const db = createDb(config.databaseUrl, 10, { connectTimeoutMs: 10_000 })
  // Donor searches fall back to PostgreSQL when Meilisearch does not answer within this time.
  const meiliHttp = nodeHttpClient()
  const search = new Meilisearch({ host: config.meiliUrl, apiKey: config.meiliMasterKey, timeout: 3000, httpClient: meiliHttp.request })
  const queues = openQueues(config)
  // bull's own connections retry forever; this one gives up on a command after one failed
  // reconnect, so /ready can say "down" instead of waiting.
  const redisProbe = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 })
  redisProbe.on('error', () => {})

  app.decorate('config', config)
  app.decorate('db', db)
  app.decorate('meili', search)
  app.decorate('searchBreaker', new CircuitBreaker(SEARCH_RETRY_MS))
  app.decorate('facetCache', new FacetCache(config.facetCacheSeconds * 1000))
  app.decorate('queues', queues)
  app.decorate('checks', {
    postgres: () => withTimeout(sql`SELECT 1`.execute(db)),
    meilisearch: () => withTimeout(search.health()),
    redis: () => withTimeout(redisProbe.ping())
  })

  app.addHook('onClose', async () => {
    await closeQueues(queues)
    redisProbe.disconnect()
    meiliHttp.close()
    await db.destroy()
  })
})
