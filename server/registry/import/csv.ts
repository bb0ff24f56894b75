// A streaming CSV reader for rosters and feeds (RFC 4180), fed chunk by chunk so that a
// million rows never sit in memory at once and cost well under a microsecond each.
// - fields are separated by commas, records by LF or CRLF; a UTF-8 byte-order mark at the start is dropped;
// - a field may be double-quoted and then hold commas, line breaks (kept as they are, CR included) and "" for ";
// - every cell is trimmed outside its quotes as csv-parse's `trim: true` did: spaces, tabs, CR, LF
//   and form feeds before it, any whitespace after it (a full-width space too);
// - lines holding nothing but whitespace are skipped, yet counted;
// - rows may be shorter or longer than the header (the callers report short rows by line);
// - a quote inside an unquoted field (ab"c) is text; text after a closing quote ("ab"c) is appended (abc);
// - a quote left open at the end of the file is an error naming the line it opened on (the
//   imports report it as one bad row there), never a last row silently missing.
// A row's `line` is the physical line (1-based, counting every line break, those inside quoted
// fields and those of skipped lines too) on which its record ends — what csv-parse's info.lines gave.
import { createReadStream } from 'node:fs'
import { StringDecoder } from 'node:string_decoder'

export interface CsvRow {
  line: number
  cells: string[]
}

/** A file that cannot be read as CSV from a line on; its message says where, in Chinese, for the import's report. */
export class CsvError extends Error {
  constructor (readonly line: number, message: string) {
    super(message)
    this.name = 'CsvError'
  }
}

const QUOTE = 34
const COMMA = 44
const NEWLINE = 10
/** Characters a record may reach before its end is read (a roster's row is a few hundred). */
const MAX_RECORD = 1_000_000

/** The characters csv-parse's `trim` removed before a cell: tab, LF, form feed, CR, space. */
const isBlank = (code: number) => code === 32 || code === 9 || code === 13 || code === 10 || code === 12

/** What csv-parse's `trim` left of a cell: those blanks gone before it, any whitespace after it (full-width spaces too). */
function trimCell (text: string): string {
  let start = 0
  while (start < text.length && isBlank(text.charCodeAt(start))) start++
  return (start === 0 ? text : text.slice(start)).trimEnd()
}

/**
 * Turns chunks of a CSV file into rows: `push` each chunk (bytes, split anywhere — a character
 * cut in two is joined again — or text), then `end()`. Each call returns the rows completed by it.
 */
export class CsvParser {
  private readonly decoder = new StringDecoder('utf8')
  /** Text of the record not yet complete (from its first character). */
  private pending = ''
  /** Physical lines before `pending`. */
  private lines = 0
  private started = false

  push (chunk: Buffer | string): CsvRow[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.write(chunk)
    return this.parse(text, false)
  }

  end (): CsvRow[] {
    return this.parse(this.decoder.end(), true)
  }

  private parse (text: string, last: boolean): CsvRow[] {
    if (!this.started && text.length > 0) {
      this.started = true
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    }
    const buffer = this.pending.length === 0 ? text : this.pending + text
    const rows: CsvRow[] = []
    const length = buffer.length
    let pos = 0
    let lines = this.lines
    // The next quote at or after pos (length when none): lines before it take the fast path.
    let quote = buffer.indexOf('"')
    if (quote === -1) quote = length
    while (pos < length) {
      let newline = buffer.indexOf('\n', pos)
      if (newline === -1) {
        if (!last) break
        newline = length
      }
      if (quote >= newline) {
        // No quote in this line: split it.
        lines++
        const cells = buffer.slice(pos, newline).split(',')
        for (let i = 0; i < cells.length; i++) cells[i] = trimCell(cells[i]!)
        if (cells.length > 1 || cells[0] !== '') rows.push({ line: lines, cells })
        pos = newline + 1
        continue
      }
      const record = this.quoted(buffer, pos, last, lines)
      if (!record) break
      lines = record.lines
      if (record.cells) rows.push({ line: lines, cells: record.cells })
      pos = record.end
      quote = buffer.indexOf('"', pos)
      if (quote === -1) quote = length
    }
    this.pending = pos >= length ? '' : buffer.slice(pos)
    this.lines = lines
    if (this.pending.length > MAX_RECORD) {
      // Each chunk reads the unfinished record again: refuse one that never ends rather than crawl through the file.
      throw new CsvError(lines + 1, `第 ${lines + 1} 行起的一条记录超过 100 万个字符仍未结束：多半是引号没有闭合（单元格中的引号应写成两个：""），或文件不是按行分隔的 CSV`)
    }
    return rows
  }

  /**
   * Reads the record at pos, which holds a quote, character by character. Returns where the next
   * record starts and the lines counted up to the end of this one, or undefined when the record
   * runs past the text read so far (it is read again with the next chunk).
   */
  private quoted (buffer: string, pos: number, last: boolean, linesBefore: number): { cells: string[] | undefined, end: number, lines: number } | undefined {
    const length = buffer.length
    const cells: string[] = []
    let lines = linesBefore + 1
    let anyQuoted = false
    let i = pos
    for (;;) {
      // One field from i: skip the blanks before it (not a line break, which ends the record).
      let start = i
      while (start < length && buffer.charCodeAt(start) !== NEWLINE && isBlank(buffer.charCodeAt(start))) start++
      let cell: string
      let stop: number
      if (start < length && buffer.charCodeAt(start) === QUOTE) {
        anyQuoted = true
        const openedOn = lines
        let value = ''
        let from = start + 1
        for (;;) {
          const close = buffer.indexOf('"', from)
          if (close === -1 || (close + 1 === length && !last)) {
            if (!last) return undefined
            throw new CsvError(openedOn, `第 ${openedOn} 行的引号没有闭合：文件可能不完整，或单元格中的引号应写成两个（""）`)
          }
          value += buffer.slice(from, close)
          if (buffer.charCodeAt(close + 1) === QUOTE) {
            value += '"'
            from = close + 2
            continue
          }
          from = close + 1
          break
        }
        for (let n = value.indexOf('\n'); n !== -1; n = value.indexOf('\n', n + 1)) lines++
        // Whatever follows the closing quote up to the next comma or line break joins the cell.
        stop = nextDelimiter(buffer, from)
        if (stop === length && !last) return undefined
        cell = value + trimCell(buffer.slice(from, stop))
      } else {
        stop = nextDelimiter(buffer, start)
        if (stop === length && !last) return undefined
        cell = trimCell(buffer.slice(start, stop))
      }
      cells.push(cell)
      if (stop < length && buffer.charCodeAt(stop) === COMMA) {
        i = stop + 1
        continue
      }
      // A line break or the end of the file ends the record.
      const empty = !anyQuoted && cells.length === 1 && cells[0] === ''
      return { cells: empty ? undefined : cells, end: stop + 1, lines }
    }
  }
}

function nextDelimiter (buffer: string, from: number): number {
  const comma = buffer.indexOf(',', from)
  const newline = buffer.indexOf('\n', from)
  if (comma === -1) return newline === -1 ? buffer.length : newline
  return newline === -1 || comma < newline ? comma : newline
}

/** Every row of CSV text or chunks (for tests and small inputs). */
export function parseCsv (chunks: Iterable<Buffer | string>): CsvRow[] {
  const parser = new CsvParser()
  const rows: CsvRow[] = []
  for (const chunk of chunks) for (const row of parser.push(chunk)) rows.push(row)
  for (const row of parser.end()) rows.push(row)
  return rows
}

/** The rows of a CSV file, one array per chunk read (chunks that complete no row yield nothing). */
export async function * readCsvInChunks (path: string, options: { highWaterMark?: number } = {}): AsyncGenerator<CsvRow[]> {
  const parser = new CsvParser()
  for await (const chunk of createReadStream(path, options)) {
    const rows = parser.push(chunk as Buffer)
    if (rows.length > 0) yield rows
  }
  const rows = parser.end()
  if (rows.length > 0) yield rows
}
