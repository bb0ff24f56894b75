// A dashboard's figures as tables: what the page shows under each chart ("table view"), what
// its CSV holds, and what the monthly XLSX report is made of. One shape for all three, so the
// download is exactly what was on the screen.
import type { ChartSpec } from './charts.js'

export type CellValue = number | string | null

export interface TableRow {
  label: string
  /** A link to look one level further down (the row's area), when there is one. */
  href?: string
  cells: CellValue[]
}

export interface FigureTable {
  /** The CSV's name: /work/dashboard/<id>.csv */
  id: string
  title: string
  /** The first column's header (what the rows are), then one per cell. */
  rowHeader: string
  columns: string[]
  /** How each column's numbers read: a count, yuan, a percentage, or text. */
  units?: Array<'count' | 'yuan' | 'percent' | 'days' | 'text'>
  rows: TableRow[]
  totals?: TableRow
  /** Said under the table (what a figure means, where it comes from). */
  note?: string
}

export interface Section {
  id: string
  title: string
  /** One or two sentences: the figures that matter, in words. */
  lead: string
  chart?: ChartSpec
  tables: FigureTable[]
}

/** Adds up each column of the rows (text columns stay empty). */
export function totalsRow (label: string, rows: readonly TableRow[], columns: number): TableRow {
  const cells: CellValue[] = []
  for (let j = 0; j < columns; j++) {
    const values = rows.map(r => r.cells[j])
    cells.push(values.every(v => typeof v === 'number') ? Math.round(values.reduce<number>((a, v) => a + (v as number), 0) * 100) / 100 : null)
  }
  return { label, cells }
}

/** RFC 4180 CSV with a byte-order mark, so that a spreadsheet opens the Chinese as UTF-8. */
export function tableCsv (table: FigureTable): string {
  const quote = (value: CellValue | undefined) => {
    const text = value === null || value === undefined ? '' : String(value)
    // A cell a spreadsheet would run as a formula is written as text.
    const safe = /^[=+\-@\t\r]/.test(text) && typeof value !== 'number' ? `'${text}` : text
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
  }
  const lines = [[table.rowHeader, ...table.columns], ...table.rows.map(r => [r.label, ...r.cells]), ...(table.totals ? [[table.totals.label, ...table.totals.cells]] : [])]
  return `\uFEFF${lines.map(line => line.map(quote).join(',')).join('\r\n')}\r\n`
}
