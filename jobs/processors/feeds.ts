import type { Job } from 'bull'
import { today } from '../../server/clock.js'
import { runFeed } from '../../server/monitoring/feeds/run.js'
import { feedUploadPath, recordFeedOutcome, removeFeedUpload } from '../../server/monitoring/feeds/record.js'
import type { FeedFormat } from '../../server/monitoring/feeds/reader.js'
import type { FeedKind } from '../../matching/monitoring/index.js'
import type { FeedJob } from '../queues.js'
import type { JobContext } from './context.js'

/**
 * Runs a queued department feed and records its outcome; progress is the number of rows read.
 * The upload (ID numbers in plain text) is removed when the job ends, whatever the outcome.
 */
export async function processFeed (job: Job<FeedJob>, { db, config, log }: JobContext): Promise<void> {
  const { feedImportId } = job.data
  const run = await db.updateTable('feed_imports').set({ status: 'running' }).where('id', '=', feedImportId)
    .returning(['kind', 'format', 'scope_prefix', 'created_by']).executeTakeFirstOrThrow()
  const format = run.format as FeedFormat
  try {
    const importer = run.created_by === null ? undefined : await db.selectFrom('users').select(['id', 'username']).where('id', '=', run.created_by).executeTakeFirst()
    const outcome = await runFeed(db, {
      importId: feedImportId, path: feedUploadPath(config.dataDir, feedImportId, format), format, kind: run.kind as FeedKind,
      scope: { regionPrefix: run.scope_prefix }, asOf: today(), keys: config,
      ...(importer ? { actor: { id: importer.id, name: importer.username } } : {})
    }, rowsRead => job.progress({ rowsRead }))
    await recordFeedOutcome(db, feedImportId, outcome)
    log.info({ feedImportId, matched: outcome.matched, unmatched: outcome.unmatched, invalid: outcome.invalid, warnings: outcome.warningsRaised }, 'feed imported')
  } catch (error) {
    await db.updateTable('feed_imports').set({ status: 'failed', finished_at: new Date() }).where('id', '=', feedImportId).execute()
    throw error
  } finally {
    await removeFeedUpload(config.dataDir, feedImportId, format)
  }
}
