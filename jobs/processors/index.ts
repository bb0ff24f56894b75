import { SEARCH_SYNC_EVERY_MS, type Queues } from '../queues.js'
import { processImport } from './import.js'
import { processFeed } from './feeds.js'
import { processProposalRun } from './proposals.js'
import { processFeedback, processReindex, processSearchSync } from './needs.js'
import { MAINTENANCE_TASKS } from './maintenance.js'
import { LivePopulation } from '../../server/proposals/live-population.js'
import type { JobContext } from './context.js'

export function registerProcessors (queues: Queues, context: JobContext): void {
  void queues.imports.process(1, job => processImport(job, context))
  void queues.feeds.process(1, job => processFeed(job, context))
  // One population per worker, kept current between runs (server/proposals/live-population.ts).
  const population = new LivePopulation(context.db)
  void queues.proposals.process(1, job => processProposalRun(job, context, population))
  void queues.feedback.process(1, job => processFeedback(job, context))
  void queues.search.process('sync', 1, () => processSearchSync(context))
  void queues.search.process('reindex', 1, job => processReindex(job, context))
  // One processor for every housekeeping task, two at a time: a processor per task kept one
  // waiting connection loop per task (bull warns past ten listeners), and they are all light.
  void queues.maintenance.process('*', 2, job => {
    const task = MAINTENANCE_TASKS[job.name]
    if (!task) throw new Error(`no maintenance task named ${job.name}`)
    return task.run(context)
  })
}

/**
 * After Redis comes back: it may have restarted without its data, forgetting the schedules and
 * the jobs queued before; and requests could not queue jobs while it was away. So each time
 * the connection is made again, the schedules are set again (the same ones: bull keeps one per
 * name) and the queue sweep runs at once.
 */
export function resumeWhenRedisReturns (queues: Queues, context: JobContext): void {
  queues.maintenance.client.on('ready', () => {
    scheduleRepeatableJobs(queues)
      .then(() => MAINTENANCE_TASKS['queue-sweep']!.run(context))
      .catch(error => context.log.warn({ err: error }, 'schedules or sweep after Redis returned failed; the next sweep retries'))
  })
}

/** Repeatable jobs, scheduled by the worker (bull keeps one schedule per name). */
export async function scheduleRepeatableJobs (queues: Queues): Promise<void> {
  for (const [name, task] of Object.entries(MAINTENANCE_TASKS)) {
    await queues.maintenance.add(name, {}, { repeat: { every: task.everyMs }, jobId: name, removeOnComplete: 10 })
  }
  await queues.search.add('sync', {}, { repeat: { every: SEARCH_SYNC_EVERY_MS }, jobId: 'sync', removeOnComplete: true, removeOnFail: 100 })
}
