import type { Job } from 'bull'
import { completeWishFeedback } from '../../server/needs/feedback.js'
import type { IndexName } from '../../server/search/indexes.js'
import { rebuildIndex } from '../../server/search/maintenance.js'
import { syncSearchIndex } from '../../server/search/outbox.js'
import type { FeedbackJob } from '../queues.js'
import type { JobContext } from './context.js'

/** Writes a confirmed wish back: chain entry, thanks, closed (idempotent; bull retries it). */
export async function processFeedback (job: Job<FeedbackJob>, { db, log }: JobContext): Promise<void> {
  const result = await completeWishFeedback(db, job.data.claimId)
  log.info({ claimId: job.data.claimId, ...result }, 'wish feedback written')
}

/** Drains the search outbox into Meilisearch; a failure leaves the rows for the next run. */
export async function processSearchSync ({ db, meili, config, log }: JobContext): Promise<number> {
  const result = await syncSearchIndex(db, meili, config.searchPrefix)
  if (result.rows > 0) log.info(result, 'search index synced')
  return result.rows
}

/** Rebuilds one index from the database; progress is the number of documents written. */
export async function processReindex (job: Job<{ index: IndexName }>, { db, meili, config, log }: JobContext): Promise<number> {
  const count = await rebuildIndex(db, meili, config.searchPrefix, job.data.index, documents => job.progress({ documents }))
  log.info({ index: job.data.index, documents: count }, 'search index rebuilt')
  return count
}
