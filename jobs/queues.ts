// The bull queues Shanqiao uses, opened the same way by the HTTP server (to add jobs) and
// by the worker (to process them). A prefix per instance keeps test files and side-by-side
// instances apart in one Redis.
import Bull from 'bull'
import { AppError } from '../server/http/errors.js'

export const QUEUE_NAMES = ['imports', 'proposals', 'maintenance', 'search', 'feedback', 'feeds'] as const
export type QueueName = typeof QUEUE_NAMES[number]
export type Queues = Record<QueueName, Bull.Queue>

export interface ImportJob {
  importId: number
}

export interface ProposalJob {
  runId: number
}

/** A wish's confirmed receipt to write back (chain entry, thanks, close). */
export interface FeedbackJob {
  claimId: number
}

/** A department feed's import (dynamic monitoring). */
export interface FeedJob {
  feedImportId: number
}

export const proposalRunJobId = (runId: number) => `proposal-run-${runId}`
export const feedJobId = (feedImportId: number) => `feed-${feedImportId}`
export const importJobId = (importId: number) => `import-${importId}`

/**
 * Queues a recorded proposal run or import. The job id is the record's, so queueing one again
 * (the sweep) while its job exists adds nothing: it is never run twice.
 */
export async function queueProposalRun (queues: Queues, runId: number): Promise<void> {
  await enqueue(queues.proposals, queue => queue.add({ runId } satisfies ProposalJob, { jobId: proposalRunJobId(runId) }))
}

export async function queueImport (queues: Queues, importId: number): Promise<void> {
  await enqueue(queues.imports, queue => queue.add({ importId } satisfies ImportJob, { jobId: importJobId(importId) }))
}

export async function queueFeed (queues: Queues, feedImportId: number): Promise<void> {
  await enqueue(queues.feeds, queue => queue.add({ feedImportId } satisfies FeedJob, { jobId: feedJobId(feedImportId) }))
}

/** Queues a wish's feedback; retried with backoff, since it is idempotent and must not be lost to a hiccup. */
export async function queueFeedback (queues: Queues, claimId: number): Promise<void> {
  await enqueue(queues.feedback, queue => queue.add({ claimId } satisfies FeedbackJob, { attempts: 5, backoff: { type: 'exponential', delay: 2000 } }))
}

/** How long a request waits for Redis to take a job (or answer about one) before giving up. */
export const QUEUE_WAIT_MS = 2000

/** Redis did not take the job: a 503 for the request, unless the caller has kept the work to queue later. */
export class QueueUnavailable extends AppError {
  constructor (queue: string) {
    super(503, 'queue_unavailable', `任务队列暂时不可用，请稍后重试 (the ${queue} queue is unavailable; try again later)`)
  }
}

/**
 * Runs `command` on the queue once its connection is ready, within QUEUE_WAIT_MS, or throws
 * QueueUnavailable. bull's connections otherwise keep a command until Redis comes back, and a
 * request that added a job while Redis was down got no answer at all. A command is only sent
 * on a ready connection, so one refused here is not carried out later behind the caller's back.
 */
export async function enqueue<T, R> (queue: Bull.Queue<T>, command: (queue: Bull.Queue<T>) => Promise<R>): Promise<R> {
  let timer: NodeJS.Timeout | undefined
  let onReady = () => {}
  const deadline = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new QueueUnavailable(queue.name)), QUEUE_WAIT_MS) })
  const client = queue.client
  try {
    if (client.status !== 'ready') await Promise.race([new Promise<void>(resolve => { onReady = resolve; client.once('ready', onReady) }), deadline])
    return await Promise.race([command(queue), deadline])
  } finally {
    clearTimeout(timer)
    client.removeListener('ready', onReady)
  }
}

/** A job by its id, or null when there is none or Redis does not answer in time (its progress is then unknown). */
export async function jobOrNull<T> (queue: Bull.Queue<T>, jobId: string): Promise<Bull.Job<T> | null> {
  return enqueue(queue, q => q.getJob(jobId)).catch(() => null)
}

/** How often the worker drains the search outbox. */
export const SEARCH_SYNC_EVERY_MS = 1000

export interface QueueSettings {
  redisUrl: string
  queuePrefix: string
}

export function openQueues ({ redisUrl, queuePrefix }: QueueSettings): Queues {
  const open = (name: QueueName) => new Bull(name, redisUrl, {
    prefix: queuePrefix,
    // Not retried automatically: a half-understood file or a failed run needs a person to look.
    defaultJobOptions: { attempts: 1, removeOnComplete: 1000, removeOnFail: 5000 }
  })
  return Object.fromEntries(QUEUE_NAMES.map(name => [name, open(name)])) as Queues
}

export async function closeQueues (queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map(queue => queue.close()))
}
