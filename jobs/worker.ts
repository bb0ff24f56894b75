// The bull worker process: takes jobs from the queues and runs their processors with their
// own database pool. Started by scripts/start.ts next to the HTTP server.
import { pino } from 'pino'
import { ConfigError, loadConfig } from '../server/config.js'
import { createDb } from '../server/db/database.js'
import { onShutdownSignal } from '../server/shutdown.js'
import { closeQueues, openQueues } from './queues.js'
import { Meilisearch } from 'meilisearch'
import { registerProcessors, resumeWhenRedisReturns, scheduleRepeatableJobs } from './processors/index.js'
import { configuredSender } from '../server/messaging/senders.js'

try {
  const config = loadConfig()
  const log = pino({ level: config.logLevel, name: 'worker' })
  const db = createDb(config.databaseUrl, 4)
  const queues = openQueues(config)
  const meili = new Meilisearch({ host: config.meiliUrl, apiKey: config.meiliMasterKey, timeout: 60_000 })
  const context = { db, config, meili, queues, log, messages: configuredSender(config, log) }
  registerProcessors(queues, context)
  await scheduleRepeatableJobs(queues)
  resumeWhenRedisReturns(queues, context)
  onShutdownSignal(async signal => {
    log.info({ signal }, 'worker shutting down: finishing active jobs')
    await closeQueues(queues)
    await db.destroy()
  })
  log.info('worker ready')
  process.send?.({ type: 'ready' })
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
}
