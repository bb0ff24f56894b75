// Turns roster rows into typed values, reporting every bad cell by line and column.
import { readDay } from '../../../matching/dates.js'
import { COLUMNS, type ColumnSpec } from './columns.js'

export interface RowProblem {
  line: number
  /** The column header as written in the file (or the field name when a column is missing). */
  column: string
  code: string
  reason: string
}

export interface HeaderMap {
  columns: Array<{ spec: ColumnSpec, header: string } | undefined>
  problems: RowProblem[]
}

const normalise = (header: string) => header.replace(/\s+/g, '').toLowerCase()

export function mapHeaders (cells: string[], line = 1): HeaderMap {
  const byHeader = new Map<string, ColumnSpec>()
  for (const spec of COLUMNS) for (const name of [spec.field, ...spec.headers]) byHeader.set(normalise(name), spec)
  const problems: RowProblem[] = []
  const seen = new Set<string>()
  const columns = cells.map(header => {
    const spec = byHeader.get(normalise(header))
    if (!spec) {
      if (header !== '') problems.push({ line, column: header, code: 'unknown_column', reason: `无法识别的列“${header}” (unknown column)` })
      return undefined
    }
    if (seen.has(spec.field)) problems.push({ line, column: header, code: 'duplicate_column', reason: `列“${header}”重复 (duplicate column)` })
    seen.add(spec.field)
    return { spec, header }
  })
  for (const spec of COLUMNS) {
    if (spec.required && !seen.has(spec.field)) {
      problems.push({ line, column: spec.headers[0] ?? spec.field, code: 'missing_column', reason: `缺少必需列“${spec.headers[0]}” (missing column)` })
    }
  }
  return { columns, problems }
}

export type CellValue = string | number | boolean | string[]

function parseCell (spec: ColumnSpec, raw: string): { value?: CellValue, reason?: string, code?: string } {
  const text = raw.trim()
  const mapped = spec.values?.[text] ?? spec.values?.[text.toLowerCase()] ?? text
  switch (spec.kind) {
    case 'text':
      return { value: text }
    case 'money': {
      const amount = Number(text.replace(/[,，]/g, ''))
      if (!Number.isFinite(amount)) return { code: 'not_a_number', reason: `“${text}”不是数字 (not a number)` }
      if (amount < 0) return { code: 'negative', reason: `金额不能为负：${text} (must not be negative)` }
      return { value: Math.round(amount * 100) / 100 }
    }
    case 'integer': {
      const n = Number(mapped)
      if (!Number.isInteger(n) || n < 1 || n > 4) return { code: 'out_of_range', reason: `应为 1–4 的等级：“${text}” (expected 1–4)` }
      return { value: n }
    }
    case 'boolean':
      if (mapped === 'true' || mapped === 'false') return { value: mapped === 'true' }
      return { code: 'not_yes_no', reason: `应填“是”或“否”：“${text}” (expected yes/no)` }
    case 'date': {
      const day = readDay(text)
      return day === undefined ? { code: 'bad_date', reason: `日期无效：“${text}” (expected YYYY-MM-DD)` } : { value: day }
    }
    case 'enum':
      if (spec.codes?.includes(mapped)) return { value: mapped }
      return { code: 'unknown_value', reason: `无法识别的取值“${text}” (unknown value)` }
    case 'enum_list': {
      const items = text.split(/[、,，;；\s]+/).filter(Boolean).map(item => spec.values?.[item] ?? item)
      const unknown = items.filter(item => !spec.codes?.includes(item))
      if (unknown.length > 0) return { code: 'unknown_value', reason: `无法识别的取值“${unknown.join('、')}” (unknown value)` }
      return { value: [...new Set(items)] }
    }
  }
}

export function parseRow (line: number, cells: string[], map: HeaderMap): { values: Record<string, CellValue>, problems: RowProblem[] } {
  const values: Record<string, CellValue> = {}
  const problems: RowProblem[] = []
  map.columns.forEach((column, index) => {
    if (!column) return
    const raw = cells[index] ?? ''
    if (raw.trim() === '') {
      if (column.spec.required) problems.push({ line, column: column.header, code: 'required', reason: `“${column.header}”不能为空 (required)` })
      return
    }
    const parsed = parseCell(column.spec, raw)
    if (parsed.value !== undefined) values[column.spec.field] = parsed.value
    else problems.push({ line, column: column.header, code: parsed.code ?? 'invalid', reason: parsed.reason ?? 'invalid' })
  })
  return { values, problems }
}
