// The bull queues Shanqiao uses, opened the same way by the HTTP server (to add jobs) and
// by the worker (to process them). A prefix per instance keeps test files and side-by-side
// instances apart in one Redis.
import Bull from 'bull'

export const QUEUE_NAMES = ['imports', 'proposals', 'maintenance', 'search', 'feedback'] as const
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

/** Queues a wish's feedback; retried with backoff, since it is idempotent and must not be lost to a hiccup. */
export async function queueFeedback (queues: Queues, claimId: number): Promise<void> {
  await queues.feedback.add({ claimId } satisfies FeedbackJob, { attempts: 5, backoff: { type: 'exponential', delay: 2000 } })
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
