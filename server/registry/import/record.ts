// The import_runs bookkeeping around runImport: the upload is kept under DATA_DIR only until
// its job finishes (it holds names and ID numbers in plain text), a run row is created and a
// bull job queued; the worker records the outcome and every problem, and
// audits the 一人一次 lookups that hit another region.
import { createHash } from 'node:crypto'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { appendAudit } from '../../audit/chain.js'
import type { Db } from '../../db/database.js'
import { clashAudit } from '../households.js'
import type { RegionScope } from '../../db/scope.js'
import type { ImportMode, ImportOutcome } from './run.js'
import type { RosterFormat } from './reader.js'

export interface ImportUpload {
  fileName: string
  format: RosterFormat
  mode: ImportMode
  scope: RegionScope
  createdBy: number | null
  content: Buffer
}

/** One file per run: the same roster uploaded twice is two files, each removed by its own job. */
export function uploadPath (dataDir: string, importId: number, format: RosterFormat): string {
  return join(dataDir, 'imports', `${importId}.${format}`)
}

/** The upload is gone once its job has finished, whatever the outcome (the worker calls this). */
export async function removeUpload (dataDir: string, importId: number, format: RosterFormat): Promise<void> {
  await rm(uploadPath(dataDir, importId, format), { force: true })
}

export async function createImportRun (db: Db, dataDir: string, upload: ImportUpload): Promise<number> {
  const sha256 = createHash('sha256').update(upload.content).digest('hex')
  const row = await db.insertInto('import_runs').values({
    file_name: upload.fileName,
    file_sha256: sha256,
    format: upload.format,
    mode: upload.mode,
    scope_prefix: upload.scope.regionPrefix,
    created_by: upload.createdBy
  }).returning('id').executeTakeFirstOrThrow()
  await mkdir(join(dataDir, 'imports'), { recursive: true })
  await writeFile(uploadPath(dataDir, row.id, upload.format), upload.content, { mode: 0o600 })
  return row.id
}

export async function recordImportOutcome (db: Db, importId: number, outcome: ImportOutcome): Promise<void> {
  await db.transaction().execute(async trx => {
    await trx.updateTable('import_runs').set({
      status: outcome.status,
      rows_read: outcome.rowsRead,
      households_created: outcome.householdsCreated,
      households_unchanged: outcome.householdsUnchanged,
      households_rejected: outcome.householdsRejected,
      finished_at: new Date()
    }).where('id', '=', importId).execute()
    const rows = [
      ...outcome.problems.map(p => ({ ...p, severity: 'error' as const })),
      ...outcome.warnings.map(p => ({ ...p, severity: 'warning' as const }))
    ]
    for (let i = 0; i < rows.length; i += 1000) {
      await trx.insertInto('import_problems')
        .values(rows.slice(i, i + 1000).map(p => ({ import_id: importId, line: p.line, column: p.column, code: p.code, reason: p.reason, severity: p.severity })))
        .execute()
    }
    if (outcome.clashesElsewhere.length === 0) return
    const importer = await trx.selectFrom('import_runs as r').leftJoin('users as u', 'u.id', 'r.created_by')
      .select(['r.created_by', 'u.username']).where('r.id', '=', importId).executeTakeFirstOrThrow()
    const actor = { id: importer.created_by, name: importer.username ?? 'system' }
    for (const { line, owner } of outcome.clashesElsewhere) {
      await appendAudit(trx, { actor, ...clashAudit(owner, { attempted: 'household.import', importId, line }) })
    }
  })
}

export async function getImportRun (db: Db, scope: RegionScope, importId: number, page: { limit: number, offset: number }) {
  const run = await db.selectFrom('import_runs').selectAll().where('id', '=', importId)
    .where('scope_prefix', 'like', `${scope.regionPrefix}%`).executeTakeFirst()
  if (!run) return undefined
  const problems = await db.selectFrom('import_problems').select(['line', 'column', 'code', 'reason'])
    .where('import_id', '=', importId).where('severity', '=', 'error').orderBy('line').limit(page.limit).offset(page.offset).execute()
  const { count } = await db.selectFrom('import_problems').select(eb => eb.fn.countAll<number>().as('count'))
    .where('import_id', '=', importId).where('severity', '=', 'error').executeTakeFirstOrThrow()
  // Warnings are few (one per unknown column): all of them, on every page.
  const warnings = await db.selectFrom('import_problems').select(['line', 'column', 'code', 'reason'])
    .where('import_id', '=', importId).where('severity', '=', 'warning').orderBy('column').execute()
  return {
    id: run.id,
    fileName: run.file_name,
    format: run.format,
    mode: run.mode,
    status: run.status,
    rowsRead: run.rows_read,
    householdsCreated: run.households_created,
    householdsUnchanged: run.households_unchanged,
    householdsRejected: run.households_rejected,
    createdAt: run.created_at.toISOString(),
    finishedAt: run.finished_at?.toISOString() ?? null,
    problemCount: Number(count),
    problems,
    warnings
  }
}
