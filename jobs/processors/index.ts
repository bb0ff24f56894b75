import type { Logger } from 'pino'
import type { Config } from '../../server/config.js'
import type { Db } from '../../server/db/database.js'
import type { Queues } from '../queues.js'
import { processImport } from './import.js'
import { processProposalRun } from './proposals.js'
import { MAINTENANCE_TASKS } from './maintenance.js'

export interface JobContext {
  db: Db
  config: Config
  log: Logger
}

export function registerProcessors (queues: Queues, context: JobContext): void {
  void queues.imports.process(1, job => processImport(job, context))
  void queues.proposals.process(1, job => processProposalRun(job, context))
  for (const [name, task] of Object.entries(MAINTENANCE_TASKS)) void queues.maintenance.process(name, 1, () => task.run(context))
}

/** Repeatable housekeeping, scheduled once by the worker (bull keeps one schedule per name). */
export async function scheduleMaintenance (queues: Queues): Promise<void> {
  for (const [name, task] of Object.entries(MAINTENANCE_TASKS)) {
    await queues.maintenance.add(name, {}, { repeat: { every: task.everyMs }, jobId: name, removeOnComplete: 10 })
  }
}
