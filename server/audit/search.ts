// Searching the audit trail (by user, record, action, time) and exporting it as CSV.
// Region-scoped readers see only records tied to their region subtree.
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { scopePattern, type RegionScope } from '../db/scope.js'
import { fromRow, type AuditRecord } from './chain.js'

export interface AuditFilter {
  actorId?: number | undefined
  actor?: string | undefined
  action?: string | undefined
  recordType?: string | undefined
  recordId?: string | undefined
  from?: string | undefined
  to?: string | undefined
  /** Keyset paging, newest first: records with a smaller id than this. */
  beforeId?: number | undefined
}

function query (db: Kysely<Database>, scope: RegionScope, filter: AuditFilter) {
  let q = db.selectFrom('audit_records').selectAll()
  if (scope.regionPrefix !== '') q = q.where('region_code', 'like', scopePattern(scope))
  if (filter.actorId !== undefined) q = q.where('actor_id', '=', filter.actorId)
  if (filter.actor !== undefined) q = q.where('actor', '=', filter.actor)
  if (filter.action !== undefined) {
    // 'household.*' searches a whole family of actions.
    q = filter.action.endsWith('.*')
      ? q.where('action', 'like', `${filter.action.slice(0, -1).replace(/[\\%_]/g, '\\$&')}%`)
      : q.where('action', '=', filter.action)
  }
  if (filter.recordType !== undefined) q = q.where('record_type', '=', filter.recordType)
  if (filter.recordId !== undefined) q = q.where('record_id', '=', filter.recordId)
  if (filter.from !== undefined) q = q.where('at', '>=', new Date(filter.from))
  if (filter.to !== undefined) q = q.where('at', '<', new Date(filter.to))
  if (filter.beforeId !== undefined) q = q.where('id', '<', filter.beforeId)
  return q.orderBy('id', 'desc')
}

export async function searchAudit (db: Kysely<Database>, scope: RegionScope, filter: AuditFilter, limit: number): Promise<AuditRecord[]> {
  const rows = await query(db, scope, filter).limit(limit).execute()
  return rows.map(fromRow)
}

export const CSV_COLUMNS = ['id', 'at', 'actorId', 'actor', 'action', 'recordType', 'recordId', 'regionCode', 'ip', 'before', 'after', 'details', 'prevHash', 'hash'] as const

/** RFC 4180 quoting, plus a leading apostrophe where a spreadsheet would see a formula. */
export function csvCell (value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** The matching records as CSV lines (header first), fetched page by page. */
export async function * auditCsv (db: Kysely<Database>, scope: RegionScope, filter: AuditFilter, pageSize = 1000): AsyncGenerator<string> {
  // A byte-order mark, so that spreadsheet programs read the Chinese text as UTF-8.
  yield `\uFEFF${CSV_COLUMNS.join(',')}\r\n`
  let beforeId = filter.beforeId
  for (;;) {
    const page = await searchAudit(db, scope, { ...filter, beforeId }, pageSize)
    if (page.length === 0) return
    yield page.map(record => CSV_COLUMNS.map(column => csvCell(record[column])).join(',') + '\r\n').join('')
    beforeId = page[page.length - 1]!.id
  }
}
