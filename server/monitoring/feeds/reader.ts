// Reads a feed file — CSV (UTF-8), XLSX (first sheet) or JSON (an array of records, or
// { "records": [...] }) — as rows of field → text, in chunks (a million rows one by one through
// async generators cost seconds), streaming the spreadsheets. JSON records are numbered from 1
// (line = the record's position); CSV and XLSX by their line, the header being 1.
import { readFile } from 'node:fs/promises'
import { CsvError } from '../../registry/import/csv.js'
import { readRosterInChunks } from '../../registry/import/reader.js'
import type { FeedKind } from '../../../matching/monitoring/index.js'
import { mapFeedHeaders, type FeedProblem } from './columns.js'

export type FeedFormat = 'csv' | 'xlsx' | 'json'

export type FeedRow = { line: number, values: Map<string, string> } | { line: number, problem: FeedProblem }

export async function * readFeedInChunks (path: string, format: FeedFormat, kind: FeedKind): AsyncGenerator<FeedRow[]> {
  if (format === 'json') {
    yield * readJson(path, kind)
    return
  }
  try {
    yield * readSheet(path, format, kind)
  } catch (error) {
    // The rows before it are read; from an unclosed quote on, the file cannot be split into rows.
    if (!(error instanceof CsvError)) throw error
    yield [{ line: error.line, problem: { line: error.line, field: '', code: 'unreadable_csv', reason: error.message } }]
  }
}

async function * readSheet (path: string, format: 'csv' | 'xlsx', kind: FeedKind): AsyncGenerator<FeedRow[]> {
  let fields: Array<string | undefined> | undefined
  for await (const rows of readRosterInChunks(path, format)) {
    const chunk: FeedRow[] = []
    for (const row of rows) {
      if (!fields) {
        const mapped = mapFeedHeaders(kind, row.cells)
        if (mapped.problems.length > 0) {
          yield mapped.problems.map(problem => ({ line: row.line, problem }))
          return
        }
        fields = mapped.fields
        continue
      }
      const values = new Map<string, string>()
      for (let i = 0; i < row.cells.length; i++) {
        const field = fields[i]
        if (field) values.set(field, row.cells[i] as string)
      }
      chunk.push({ line: row.line, values })
    }
    if (chunk.length > 0) yield chunk
  }
}

async function * readJson (path: string, kind: FeedKind): AsyncGenerator<FeedRow[]> {
  let parsed: unknown
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'))
  } catch {
    yield [{ line: 1, problem: { line: 1, field: '', code: 'invalid_json', reason: '文件不是合法的 JSON' } }]
    return
  }
  const records = Array.isArray(parsed) ? parsed : (parsed as { records?: unknown })?.records
  if (!Array.isArray(records)) {
    yield [{ line: 1, problem: { line: 1, field: '', code: 'invalid_json', reason: 'JSON 应为记录数组，或 { "records": [...] }' } }]
    return
  }
  // The whole array is in memory already: one chunk.
  yield records.map((record: unknown, i): FeedRow => {
    const line = i + 1
    if (!record || typeof record !== 'object' || Array.isArray(record)) {
      return { line, problem: { line, field: '', code: 'invalid_record', reason: `第 ${line} 条记录不是对象` } }
    }
    const keys = Object.keys(record)
    const { fields } = mapFeedHeaders(kind, keys)
    const values = new Map<string, string>()
    keys.forEach((key, k) => {
      const field = fields[k]
      const value = (record as Record<string, unknown>)[key]
      if (field && (typeof value === 'string' || typeof value === 'number')) values.set(field, String(value))
    })
    return { line, values }
  })
}
