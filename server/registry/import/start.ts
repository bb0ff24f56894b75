// Starting a roster import, as the API (POST /api/v1/imports) and the workbench's upload form
// both do: the run recorded with its file and audited under the importer's region, then queued.
import type { FastifyRequest } from 'fastify'
import { regionScopeFor } from '../../auth/policy.js'
import { importJobId, jobOrNull, queueImport, QueueUnavailable } from '../../../jobs/queues.js'
import type { RosterFormat } from './reader.js'
import { createImportRun } from './record.js'
import type { ImportMode } from './run.js'

export interface RosterUpload { fileName: string, format: RosterFormat, mode: ImportMode, content: Buffer }

/** Records the import run and queues it; answers its id. */
export async function startImport (request: FastifyRequest, upload: RosterUpload): Promise<number> {
  const { db, config, queues } = request.server
  const scope = regionScopeFor(request.principal, 'household.import')
  const id = await db.transaction().execute(async trx => {
    const created = await createImportRun(trx, config.dataDir, { ...upload, scope, createdBy: request.principal?.userId ?? null })
    // Under the importer's region (administrators import everywhere: no region).
    await request.audit({ action: 'household.import', record: { type: 'import_run', id: created, regionCode: scope.regionPrefix || null }, details: { fileName: upload.fileName, mode: upload.mode, bytes: upload.content.length } }, trx)
    return created
  })
  // Queued once the run row is committed, so that the worker finds it. The row and the file are
  // the durable record: when Redis does not take the job now, the worker's queue sweep queues it later.
  await queueImport(queues, id).catch(error => {
    if (!(error instanceof QueueUnavailable)) throw error
    request.log.warn({ importId: id }, 'import recorded; the queue sweep will queue it once Redis answers')
  })
  return id
}

/** The running job's tally (rows read, households, problems so far); null when there is no job or Redis does not answer. */
export async function importProgress (request: FastifyRequest, importId: number): Promise<{ rowsRead: number, households?: number, householdsRejected?: number, problems?: number } | 0 | null> {
  const job = await jobOrNull(request.server.queues.imports, importJobId(importId))
  return job ? await job.progress() as { rowsRead: number } | 0 : null
}
