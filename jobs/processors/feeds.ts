import type { Job } from 'bull'
import { today } from '../../server/clock.js'
import { importStoredFeed } from '../../server/monitoring/feeds/import.js'
import type { FeedJob } from '../queues.js'
import type { JobContext } from './context.js'

/**
 * Runs a queued department feed and records its outcome; progress is the number of rows read.
 * The upload (ID numbers in plain text) is removed when the job ends, whatever the outcome.
 */
export async function processFeed (job: Job<FeedJob>, { db, config, log }: JobContext): Promise<void> {
  const { feedImportId } = job.data
  const outcome = await importStoredFeed(db, config, feedImportId, today(), async rowsRead => { await job.progress({ rowsRead }) })
  log.info({ feedImportId, matched: outcome.matched, unmatched: outcome.unmatched, invalid: outcome.invalid, warnings: outcome.warningsRaised }, 'feed imported')
}
