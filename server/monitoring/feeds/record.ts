// The feed_imports bookkeeping around runFeed: the upload is kept under DATA_DIR only until its
// job ends (it holds ID numbers in plain text), the run row records the counts, the problems
// (invalid rows) are stored with the reason, and the unmatched records are in feed_records.
import { createHash } from 'node:crypto'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Db } from '../../db/database.js'
import { scopePattern, type RegionScope } from '../../db/scope.js'
import { notFound } from '../../http/errors.js'
import type { FeedKind } from '../../../matching/monitoring/index.js'
import type { FeedImportDetail, FeedImportView } from '../../schemas/monitoring.js'
import type { FeedOutcome } from './run.js'
import type { FeedFormat } from './reader.js'

export function feedUploadPath (dataDir: string, importId: number, format: FeedFormat): string {
  return join(dataDir, 'feeds', `${importId}.${format}`)
}

export async function removeFeedUpload (dataDir: string, importId: number, format: FeedFormat): Promise<void> {
  await rm(feedUploadPath(dataDir, importId, format), { force: true })
}

export interface FeedUpload { kind: FeedKind, fileName: string, format: FeedFormat, scope: RegionScope, createdBy: number | null, content: Buffer }

export async function createFeedImport (db: Db, dataDir: string, upload: FeedUpload): Promise<number> {
  const row = await db.insertInto('feed_imports').values({
    kind: upload.kind, file_name: upload.fileName, file_sha256: createHash('sha256').update(upload.content).digest('hex'),
    format: upload.format, scope_prefix: upload.scope.regionPrefix, created_by: upload.createdBy
  }).returning('id').executeTakeFirstOrThrow()
  await mkdir(join(dataDir, 'feeds'), { recursive: true })
  await writeFile(feedUploadPath(dataDir, row.id, upload.format), upload.content, { mode: 0o600 })
  return row.id
}

export async function recordFeedOutcome (db: Db, importId: number, outcome: FeedOutcome): Promise<void> {
  await db.transaction().execute(async trx => {
    await trx.updateTable('feed_imports').set({
      status: 'completed', rows_read: outcome.rowsRead, matched: outcome.matched, unmatched: outcome.unmatched, invalid: outcome.invalid,
      already_imported: outcome.alreadyImported, warnings_raised: outcome.warningsRaised, chain_entries: outcome.chainEntries, finished_at: new Date()
    }).where('id', '=', importId).execute()
    for (let i = 0; i < outcome.problems.length; i += 1000) {
      await trx.insertInto('feed_problems').values(outcome.problems.slice(i, i + 1000).map(p => ({ import_id: importId, ...p }))).execute()
    }
  })
}

const COLUMNS = ['id', 'kind', 'file_name', 'format', 'status', 'rows_read', 'matched', 'unmatched', 'invalid', 'already_imported', 'warnings_raised', 'chain_entries', 'created_at', 'finished_at'] as const

function toView (r: { id: number, kind: string, file_name: string, format: string, status: string, rows_read: number, matched: number, unmatched: number, invalid: number, already_imported: number, warnings_raised: number, chain_entries: number, created_at: Date, finished_at: Date | null }): FeedImportView {
  return {
    id: r.id, kind: r.kind, fileName: r.file_name, format: r.format, status: r.status, rowsRead: r.rows_read, matched: r.matched, unmatched: r.unmatched,
    invalid: r.invalid, alreadyImported: r.already_imported, warningsRaised: r.warnings_raised, chainEntries: r.chain_entries,
    createdAt: r.created_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null
  }
}

/** Imports made within the reader's region (an administrator's, with no region, are for administrators). */
export async function listFeedImports (db: Db, scope: RegionScope, page: { limit: number, offset: number }): Promise<{ total: number, items: FeedImportView[] }> {
  const query = db.selectFrom('feed_imports').where('scope_prefix', 'like', scopePattern(scope))
  const [rows, count] = await Promise.all([
    query.select(COLUMNS).orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute(),
    query.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  ])
  return { total: Number(count.n), items: rows.map(toView) }
}

export async function getFeedImport (db: Db, scope: RegionScope, id: number, page: { limit: number, offset: number }): Promise<Omit<FeedImportDetail, 'progress'> & { format: FeedFormat }> {
  const run = await db.selectFrom('feed_imports').select(COLUMNS).where('id', '=', id).where('scope_prefix', 'like', scopePattern(scope)).executeTakeFirst()
  if (!run) throw notFound('该数据导入 (feed import)')
  const [problems, problemCount, unmatched, unmatchedCount] = await Promise.all([
    db.selectFrom('feed_problems').select(['line', 'field', 'code', 'reason']).where('import_id', '=', id).orderBy('line').limit(page.limit).offset(page.offset).execute(),
    db.selectFrom('feed_problems').select(eb => eb.fn.countAll<number>().as('n')).where('import_id', '=', id).executeTakeFirstOrThrow(),
    db.selectFrom('feed_records').select(['line', 'id_masked', 'occurred_on', 'reason']).where('import_id', '=', id).where('status', '=', 'unmatched').orderBy('line').limit(page.limit).offset(page.offset).execute(),
    db.selectFrom('feed_records').select(eb => eb.fn.countAll<number>().as('n')).where('import_id', '=', id).where('status', '=', 'unmatched').executeTakeFirstOrThrow()
  ])
  return {
    ...toView(run),
    format: run.format as FeedFormat,
    problems,
    problemCount: Number(problemCount.n),
    unmatchedRecords: unmatched.map(u => ({ line: u.line, idMasked: u.id_masked, occurredOn: u.occurred_on, reason: u.reason ?? '' })),
    unmatchedCount: Number(unmatchedCount.n)
  }
}
