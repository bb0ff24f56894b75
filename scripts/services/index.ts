// Starts the infrastructure Shanqiao needs, embedded unless the environment points at
// existing servers, and stops what it started in reverse order. Start-up can be abandoned
// half-way (Ctrl-C): whatever is already running, or half-started, is stopped again.
import { join } from 'node:path'
import { freePort } from './process.js'
import { startPostgres } from './postgres.js'
import { startMeilisearch } from './meilisearch.js'
import { startRedis } from './redis.js'
import type { RunningService } from './types.js'

export interface ServiceEndpoints {
  databaseUrl: string
  meiliUrl: string
  meiliMasterKey: string
  redisUrl: string
}

export interface StartedServices extends ServiceEndpoints {
  /** Stops the embedded services in reverse start order; external ones are left alone. */
  stop: () => Promise<void>
}

export interface ServiceOptions {
  dataDir: string
  durable: boolean
  /** Existing servers to use instead of starting embedded ones. */
  external: Partial<ServiceEndpoints>
  log?: (line: string) => void
  /** Aborting it stops what has started so far; startServices then rejects. */
  signal?: AbortSignal | undefined
  /** Restart an embedded service that dies, with backoff, logging it (npm start). */
  supervise?: boolean
}

/**
 * A free port is only free until someone else binds it (parallel tests, other instances):
 * if a service fails to start, try again on another port.
 */
async function onSomePort<T> (what: string, start: (port: number) => Promise<T>, log: (line: string) => void, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted()
    try {
      return await start(await freePort())
    } catch (error) {
      if (attempt === 3 || signal?.aborted) throw error
      log(`${what} did not start (${(error as Error).message.split('\n')[0]}); trying another port`)
    }
  }
}

export async function startServices ({ dataDir, durable, external, log = console.log, signal, supervise = false }: ServiceOptions): Promise<StartedServices> {
  const started: RunningService[] = []
  const watchdog = supervise ? log : undefined
  const stop = async () => {
    for (const service of [...started].reverse()) await service.stop()
  }
  try {
    let databaseUrl = external.databaseUrl
    if (!databaseUrl) {
      log('starting embedded PostgreSQL …')
      const postgres = await onSomePort('PostgreSQL', port => startPostgres({ dir: join(dataDir, 'postgres'), port, durable, log, signal, supervise: watchdog }), log, signal)
      started.push(postgres)
      databaseUrl = postgres.url
    }
    let meiliUrl = external.meiliUrl
    let meiliMasterKey = external.meiliMasterKey
    if (!meiliUrl || !meiliMasterKey) {
      log('starting Meilisearch …')
      const meili = await onSomePort('Meilisearch', port => startMeilisearch({ dir: join(dataDir, 'meilisearch'), port, signal, supervise: watchdog }), log, signal)
      started.push(meili)
      meiliUrl = meili.url
      meiliMasterKey = meili.masterKey
    }
    let redisUrl = external.redisUrl
    if (!redisUrl) {
      log('starting Redis …')
      const redis = await onSomePort('Redis', port => startRedis({ dir: join(dataDir, 'redis'), port, durable, signal, supervise: watchdog }), log, signal)
      started.push(redis)
      redisUrl = redis.url
    }
    return { databaseUrl, meiliUrl, meiliMasterKey, redisUrl, stop }
  } catch (error) {
    await stop()
    throw error
  }
}
