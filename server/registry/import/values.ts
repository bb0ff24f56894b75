// The cell each problem of an import names, read back from the upload before it is deleted,
// so that the problems table and its XLSX say what was written as well as what is wrong.
// Names, ID numbers, phones and addresses are masked: the upload goes, its identities must
// not stay behind in the problem list.
import { maskName } from '../../privacy/pii.js'
import { COLUMNS } from './columns.js'
import { readRoster, type RosterFormat } from './reader.js'
import type { RowProblem } from './rows.js'

const MAX_VALUE = 100
const normalise = (header: string) => header.replace(/\s+/g, '').toLowerCase()
const fieldOfHeader = new Map(COLUMNS.flatMap(spec => [spec.field, ...spec.headers].map(header => [normalise(header), spec.field] as const)))

/** A cell as a problem list may keep it: identity columns masked, long text cut. */
export function shownValue (field: string | undefined, text: string): string {
  const value = text.trim()
  if (value === '') return value
  switch (field) {
    case 'name': return maskName(value)
    case 'idNumber': return value.length >= 10 ? `${value.slice(0, 6)}${'*'.repeat(value.length - 10)}${value.slice(-4)}` : '*'.repeat(value.length)
    case 'phone': return value.length >= 7 ? `${value.slice(0, 3)}****${value.slice(-4)}` : '*'.repeat(value.length)
    case 'address': return `${Array.from(value).slice(0, 6).join('')}…`
    default: return Array.from(value).slice(0, MAX_VALUE).join('')
  }
}

/** `line:column` → the value found there (null where the row has no such cell). */
export type ProblemValues = Map<string, string | null>
export const valueKey = (line: number, column: string) => `${line}:${column}`

export async function problemValues (path: string, format: RosterFormat, problems: readonly RowProblem[]): Promise<ProblemValues> {
  const wanted = new Map<number, string[]>()
  for (const p of problems) wanted.set(p.line, [...wanted.get(p.line) ?? [], p.column])
  const values: ProblemValues = new Map()
  if (wanted.size === 0) return values
  const last = Math.max(...wanted.keys())
  let headers: string[] | undefined
  try {
    for await (const row of readRoster(path, format)) {
      if (!headers) { headers = row.cells; continue }
      const columns = wanted.get(row.line)
      for (const column of columns ?? []) {
        const index = headers.indexOf(column)
        values.set(valueKey(row.line, column), index === -1 ? null : shownValue(fieldOfHeader.get(normalise(column)), row.cells[index] ?? ''))
      }
      if (row.line >= last) break
    }
  } catch {
    // A file the import could not read has no values to show; its problems say why.
  }
  return values
}

/** The data rows of a CSV (non-blank lines after the header), for the progress bar; an estimate when a quoted cell holds a line break. */
export function csvRows (content: Buffer): number {
  let rows = 0
  let blank = true
  for (const byte of content) {
    if (byte === 0x0a) { if (!blank) rows++; blank = true } else if (byte !== 0x0d && byte !== 0x20) blank = false
  }
  if (!blank) rows++
  return Math.max(0, rows - 1)
}
