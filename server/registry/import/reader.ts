// Streams the rows of a CSV or XLSX roster as arrays of cell texts with their line number
// (the header is line 1), so that 100,000 rows never sit in memory at once.
import { createReadStream } from 'node:fs'
import { parse } from 'csv-parse'
import ExcelJS from 'exceljs'

export type RosterFormat = 'csv' | 'xlsx'

export interface RosterRow {
  line: number
  cells: string[]
}

export async function * readRoster (path: string, format: RosterFormat): AsyncGenerator<RosterRow> {
  if (format === 'csv') yield * readCsv(path)
  else yield * readXlsx(path)
}

async function * readCsv (path: string): AsyncGenerator<RosterRow> {
  // bom: Excel saves "CSV UTF-8" with a byte-order mark; relax_column_count lets us report
  // a short row by line instead of failing the whole file.
  const parser = createReadStream(path).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true, trim: true }))
  for await (const record of parser as AsyncIterable<{ record: string[], info: { lines: number } }>) {
    yield { line: record.info.lines, cells: record.record }
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
