import type { Logger } from 'pino'
import type { Config } from '../../server/config.js'
import type { Db } from '../../server/db/database.js'
import type { Queues } from '../queues.js'
import { processImport } from './import.js'
import { processProposalRun } from './proposals.js'

export interface JobContext {
  db: Db
  config: Config
  log: Logger
}

export function registerProcessors (queues: Queues, context: JobContext): void {
  void queues.imports.process(1, job => processImport(job, context))
  void queues.proposals.process(1, job => processProposalRun(job, context))
}
