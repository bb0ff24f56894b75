import type { Job } from 'bull'
import { today } from '../../server/clock.js'
import { runImport } from '../../server/registry/import/run.js'
import { recordImportOutcome, removeUpload, uploadPath } from '../../server/registry/import/record.js'
import { problemValues } from '../../server/registry/import/values.js'
import type { ImportJob } from '../queues.js'
import type { JobContext } from './context.js'

/**
 * Runs a queued roster import and records its outcome; progress is the tally so far (rows read, households, problems).
 * The uploaded file is removed when the job ends, completed, rejected or failed (jobs are not
 * retried: a failed import is uploaded again).
 */
export async function processImport (job: Job<ImportJob>, { db, config, log }: JobContext): Promise<void> {
  const { importId } = job.data
  const run = await db.updateTable('import_runs').set({ status: 'running' }).where('id', '=', importId)
    .returning(['format', 'mode', 'scope_prefix']).executeTakeFirstOrThrow()
  try {
    const outcome = await runImport(db, {
      path: uploadPath(config.dataDir, importId, run.format),
      format: run.format,
      mode: run.mode,
      scope: { regionPrefix: run.scope_prefix },
      asOf: today(),
      keys: config
    }, tally => job.progress(tally))
    // The upload is still here: the cells the problems name are read back from it (identity masked).
    const values = await problemValues(uploadPath(config.dataDir, importId, run.format), run.format, outcome.problems)
    await recordImportOutcome(db, importId, outcome, values)
    log.info({ importId, status: outcome.status, created: outcome.householdsCreated, problems: outcome.problems.length }, 'import finished')
  } catch (error) {
    await db.updateTable('import_runs').set({ status: 'failed', finished_at: new Date() }).where('id', '=', importId).execute()
    throw error
  } finally {
    await removeUpload(config.dataDir, importId, run.format)
  }
}
