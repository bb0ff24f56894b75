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
import { csvRows, valueKey, type ProblemValues } from './values.js'

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
    created_by: upload.createdBy,
    rows_expected: upload.format === 'csv' ? csvRows(upload.content) : null
  }).returning('id').executeTakeFirstOrThrow()
  await mkdir(join(dataDir, 'imports'), { recursive: true })
  await writeFile(uploadPath(dataDir, row.id, upload.format), upload.content, { mode: 0o600 })
  return row.id
}

export async function recordImportOutcome (db: Db, importId: number, outcome: ImportOutcome, values: ProblemValues = new Map()): Promise<void> {
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
        .values(rows.slice(i, i + 1000).map(p => ({ import_id: importId, line: p.line, column: p.column, code: p.code, reason: p.reason, severity: p.severity, value: values.get(valueKey(p.line, p.column)) ?? null })))
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
  const problems = await db.selectFrom('import_problems').select(['line', 'column', 'code', 'reason', 'value'])
    .where('import_id', '=', importId).where('severity', '=', 'error').orderBy('line').orderBy('column').limit(page.limit).offset(page.offset).execute()
  const { count } = await db.selectFrom('import_problems').select(eb => eb.fn.countAll<number>().as('count'))
    .where('import_id', '=', importId).where('severity', '=', 'error').executeTakeFirstOrThrow()
  // Warnings are few (one per unknown column): all of them, on every page.
  const warnings = await db.selectFrom('import_problems').select(['line', 'column', 'code', 'reason', 'value'])
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
    rowsExpected: run.rows_expected,
    problemCount: Number(count),
    problems,
    warnings
  }
}

/** An import as its list shows it: the file, who and when, where it got, how many problems. */
export interface ImportSummary {
  id: number
  fileName: string
  format: 'csv' | 'xlsx'
  mode: ImportMode
  status: string
  rowsRead: number
  householdsCreated: number
  householdsUnchanged: number
  householdsRejected: number
  problemCount: number
  createdBy: string | null
  createdAt: string
  finishedAt: string | null
}

function summaries (db: Db, scope: RegionScope) {
  return db.selectFrom('import_runs as r').leftJoin('users as u', 'u.id', 'r.created_by')
    .select(['r.id', 'r.file_name', 'r.format', 'r.mode', 'r.status', 'r.rows_read', 'r.households_created', 'r.households_unchanged', 'r.households_rejected', 'r.created_at', 'r.finished_at', 'u.display_name'])
    .select(eb => eb.selectFrom('import_problems as p').select(eb.fn.countAll<string>().as('n')).whereRef('p.import_id', '=', 'r.id').where('p.severity', '=', 'error').as('problem_count'))
    .where('r.scope_prefix', 'like', `${scope.regionPrefix}%`)
}

/** The imports made within the scope (as getImportRun reads them), newest first, with the total. */
export async function listImports (db: Db, scope: RegionScope, page: { limit: number, offset: number }): Promise<{ total: number, items: ImportSummary[] }> {
  const [rows, count] = await Promise.all([
    summaries(db, scope).orderBy('r.id', 'desc').limit(page.limit).offset(page.offset).execute(),
    db.selectFrom('import_runs').select(eb => eb.fn.countAll<string>().as('n')).where('scope_prefix', 'like', `${scope.regionPrefix}%`).executeTakeFirstOrThrow()
  ])
  return {
    total: Number(count.n),
    items: rows.map(r => ({
      id: r.id, fileName: r.file_name, format: r.format, mode: r.mode, status: r.status, rowsRead: r.rows_read, householdsCreated: r.households_created,
      householdsUnchanged: r.households_unchanged, householdsRejected: r.households_rejected, problemCount: Number(r.problem_count ?? 0),
      createdBy: r.display_name, createdAt: r.created_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null
    }))
  }
}

/** Imports of the last `days` days (to `asOf`) that were refused, failed or left problems: what the workbench counts. */
export async function countImportsWithProblems (db: Db, scope: RegionScope, asOf: string, days = 30): Promise<number> {
  const since = new Date(`${asOf}T00:00:00+08:00`)
  since.setUTCDate(since.getUTCDate() - days)
  const row = await db.selectFrom('import_runs as r').select(eb => eb.fn.countAll<string>().as('n'))
    .where('r.scope_prefix', 'like', `${scope.regionPrefix}%`).where('r.created_at', '>=', since)
    .where(eb => eb.or([eb('r.status', 'in', ['rejected', 'failed']), eb.exists(eb.selectFrom('import_problems as p').select('p.line').whereRef('p.import_id', '=', 'r.id').where('p.severity', '=', 'error'))]))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Every problem of an import, in line order, for its download (warnings after the errors). */
export async function allProblems (db: Db, importId: number): Promise<Array<{ line: number, column: string, reason: string, value: string | null, severity: string }>> {
  return db.selectFrom('import_problems').select(['line', 'column', 'reason', 'value', 'severity'])
    .where('import_id', '=', importId).orderBy('severity').orderBy('line').orderBy('column').execute()
}
