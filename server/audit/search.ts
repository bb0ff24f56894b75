// Searching the audit trail (by user, record, action, time) and exporting it as CSV.
// Region-scoped readers see only records tied to their region subtree.
import ExcelJS from 'exceljs'
import type { FastifyRequest } from 'fastify'
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

/** The most records one XLSX export holds (a workbook is built in memory; the CSV streams any number). */
export const XLSX_EXPORT_LIMIT = 50_000

const XLSX_HEADERS: Record<typeof CSV_COLUMNS[number], string> = {
  id: '编号', at: '时间', actorId: '操作人编号', actor: '操作人', action: '操作', recordType: '对象类型', recordId: '对象编号',
  regionCode: '行政区划', ip: '来源地址', before: '变更前', after: '变更后', details: '其他情况', prevHash: '前一条哈希', hash: '本条哈希'
}

/** The matching records (newest first, at most XLSX_EXPORT_LIMIT) as a workbook with Chinese headers, JSON parts as text. */
export async function auditXlsx (db: Kysely<Database>, scope: RegionScope, filter: AuditFilter): Promise<{ file: Buffer, rows: number, truncated: boolean }> {
  const book = new ExcelJS.Workbook()
  book.creator = '善桥 Shanqiao'
  const sheet = book.addWorksheet('审计记录', { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = CSV_COLUMNS.map(key => ({ header: XLSX_HEADERS[key], key, width: key === 'prevHash' || key === 'hash' ? 66 : key === 'before' || key === 'after' || key === 'details' ? 40 : 16 }))
  sheet.getRow(1).font = { bold: true }
  let beforeId = filter.beforeId
  let rows = 0
  for (;;) {
    const page = await searchAudit(db, scope, { ...filter, beforeId }, Math.min(1000, XLSX_EXPORT_LIMIT - rows))
    for (const record of page) {
      // Text, not formulas: a value a spreadsheet would read as one keeps csvCell's apostrophe.
      sheet.addRow(Object.fromEntries(CSV_COLUMNS.map(key => [key, key === 'id' || key === 'actorId' ? record[key] : record[key] === null || record[key] === undefined ? '' : typeof record[key] === 'object' ? JSON.stringify(record[key]) : String(record[key]).replace(/^[=+\-@]/, "'$&")])))
    }
    rows += page.length
    if (page.length === 0) break
    beforeId = page[page.length - 1]!.id
    if (rows >= XLSX_EXPORT_LIMIT) break
  }
  const truncated = rows >= XLSX_EXPORT_LIMIT && (await searchAudit(db, scope, { ...filter, beforeId }, 1)).length > 0
  return { file: Buffer.from(await book.xlsx.writeBuffer()), rows, truncated }
}

/**
 * An export of the trail, for the API and the pages alike: who took a copy is itself worth
 * knowing, also to the auditors of the region exported (the exporter's own; none for an
 * administrator's whole trail), so it is recorded first.
 */
export async function recordExport (request: FastifyRequest, scope: RegionScope, format: 'csv' | 'xlsx', filter: AuditFilter): Promise<void> {
  const region = scope.regionPrefix === '' ? null : scope.regionPrefix
  await request.audit({ action: 'audit.exported', record: { type: 'audit_trail', id: region ?? '*', regionCode: region }, details: { filter, format } })
}
