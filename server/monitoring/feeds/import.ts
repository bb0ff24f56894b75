// A stored feed upload taken from queued to completed (or failed): the job's work, also used
// by the demo data to import its feeds on days in the recent past. The upload (ID numbers in
// plain text) is removed when it ends, whatever the outcome.
import type { FeedKind } from '../../../matching/monitoring/index.js'
import type { Db } from '../../db/database.js'
import type { PiiKeys } from '../../privacy/pii.js'
import { feedUploadPath, recordFeedOutcome, removeFeedUpload } from './record.js'
import type { FeedFormat } from './reader.js'
import { runFeed, type FeedOutcome } from './run.js'

export async function importStoredFeed (db: Db, keys: PiiKeys & { dataDir: string }, feedImportId: number, asOf: string, onProgress?: (rowsRead: number) => Promise<void>): Promise<FeedOutcome> {
  const run = await db.updateTable('feed_imports').set({ status: 'running' }).where('id', '=', feedImportId)
    .returning(['kind', 'format', 'scope_prefix', 'created_by']).executeTakeFirstOrThrow()
  const format = run.format as FeedFormat
  try {
    const importer = run.created_by === null ? undefined : await db.selectFrom('users').select(['id', 'username']).where('id', '=', run.created_by).executeTakeFirst()
    const outcome = await runFeed(db, {
      importId: feedImportId, path: feedUploadPath(keys.dataDir, feedImportId, format), format, kind: run.kind as FeedKind,
      scope: { regionPrefix: run.scope_prefix }, asOf, keys,
      ...(importer ? { actor: { id: importer.id, name: importer.username } } : {})
    }, onProgress)
    await recordFeedOutcome(db, feedImportId, outcome)
    return outcome
  } catch (error) {
    await db.updateTable('feed_imports').set({ status: 'failed', finished_at: new Date() }).where('id', '=', feedImportId).execute()
    throw error
  } finally {
    await removeFeedUpload(keys.dataDir, feedImportId, format)
  }
}
