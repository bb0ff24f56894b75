import type { Logger } from 'pino'
import type { Config } from '../../server/config.js'
import type { Db } from '../../server/db/database.js'
import type { Queues } from '../queues.js'

export interface JobContext {
  db: Db
  config: Config
  log: Logger
}

export function registerProcessors (queues: Queues, context: JobContext): void {
  queues.classification.process(1, async job => {
    context.log.info({ job: job.id }, 'classification job received')
  })
}
