// Streams the rows of a CSV or XLSX roster as arrays of cell texts with their line number
// (the header is line 1), so that 100,000 rows never sit in memory at once. Readers that keep
// up with a million-row feed take them in chunks (readRosterInChunks); readRoster is the same
// rows one at a time.
import ExcelJS from 'exceljs'
import { readCsvInChunks, type CsvRow } from './csv.js'

export type RosterFormat = 'csv' | 'xlsx'

export type RosterRow = CsvRow

/** Rows of an XLSX roster per chunk. */
const XLSX_CHUNK = 1000

/**
 * The roster's rows in order, in chunks: for a CSV the rows completed by each chunk read from the
 * file (see csv.ts: byte-order mark dropped, cells trimmed, blank lines skipped, rows of any length);
 * for an XLSX up to 1,000 rows at a time.
 */
export async function * readRosterInChunks (path: string, format: RosterFormat): AsyncGenerator<RosterRow[]> {
  if (format === 'csv') {
    yield * readCsvInChunks(path)
    return
  }
  let chunk: RosterRow[] = []
  for await (const row of readXlsx(path)) {
    chunk.push(row)
    if (chunk.length === XLSX_CHUNK) { yield chunk; chunk = [] }
  }
  if (chunk.length > 0) yield chunk
}

/** The roster's rows one at a time. */
export async function * readRoster (path: string, format: RosterFormat): AsyncGenerator<RosterRow> {
  for await (const rows of readRosterInChunks(path, format)) {
    for (const row of rows) yield row
  }
}

function cellText (value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return ''
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  if (typeof value === 'object') {
    if ('text' in value && typeof value.text === 'string') return value.text
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue)
    if ('richText' in value) return value.richText.map(part => part.text).join('')
  }
  return String(value).trim()
}

async function * readXlsx (path: string): AsyncGenerator<RosterRow> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit' })
  // Only the first worksheet is the roster.
  for await (const worksheet of workbook) {
    for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
      const values = Array.isArray(row.values) ? row.values.slice(1) : []
      const cells = Array.from(values, cellText)
      if (cells.some(cell => cell !== '')) yield { line: row.number, cells }
    }
    break
  }
}
