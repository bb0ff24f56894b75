// How a CSV roster or feed is read: rows and the line each ends on, whatever the chunks.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { CsvError, CsvParser, parseCsv, readCsvInChunks } from '../../../server/registry/import/csv.js'
import { readRoster, readRosterInChunks } from '../../../server/registry/import/reader.js'

const rows = (text: string) => parseCsv([text]).map(row => [row.line, row.cells])

/** The same text cut in two at every byte: each cut must give the same rows as the whole. */
function everyCut (t: Test, text: string, expected: unknown): void {
  const bytes = Buffer.from(text)
  for (let cut = 0; cut <= bytes.length; cut++) {
    const got = parseCsv([bytes.subarray(0, cut), bytes.subarray(cut)]).map(row => [row.line, row.cells])
    if (JSON.stringify(got) !== JSON.stringify(expected)) { t.strictSame(got, expected, `cut at byte ${cut}`); return }
  }
  t.pass(`the same rows at each of ${bytes.length + 1} cuts`)
}

t.test('a byte-order mark is dropped; LF and CRLF end records', async t => {
  const expected = [[1, ['身份证号', '姓名']], [2, ['330503198001010012', '张三']], [3, ['330503198001010020', '李四']]]
  t.strictSame(rows('\uFEFF身份证号,姓名\n330503198001010012,张三\n330503198001010020,李四\n'), expected)
  t.strictSame(rows('\uFEFF身份证号,姓名\r\n330503198001010012,张三\r\n330503198001010020,李四\r\n'), expected)
  t.strictSame(rows('身份证号,姓名\r\n330503198001010012,张三\n330503198001010020,李四'), expected, 'mixed endings, no break at the end')
  t.strictSame(rows('a,\uFEFFb\n'), [[1, ['a', '\uFEFFb']]], 'only a mark at the very start is dropped')
  everyCut(t, '\uFEFF身份证号,姓名\r\n330503198001010012,张三\r\n', expected.slice(0, 2))
})

t.test('quoted fields hold commas, doubled quotes and line breaks; lines count the breaks', async t => {
  const text = 'a,b,c\n"1,5","说""好""",x\n"第一行\n第二行\r\n第三行",y,z\n"",  " 内 " ,"a\rb"\nlast,"q"\n'
  const expected = [
    [1, ['a', 'b', 'c']],
    [2, ['1,5', '说"好"', 'x']],
    [5, ['第一行\n第二行\r\n第三行', 'y', 'z']],
    [6, ['', ' 内 ', 'a\rb']],
    [7, ['last', 'q']]
  ]
  t.strictSame(rows(text), expected)
  everyCut(t, text, expected)
  t.strictSame(rows('"a\n\nb"\n\nc\n'), [[3, ['a\n\nb']], [5, ['c']]], 'a quoted field may hold an empty line')
})

t.test('empty and blank lines are skipped but counted', async t => {
  t.strictSame(rows('h1,h2\n\n  \r\n\t\n1,2\r\n\r\n\n3,4\n\n'), [[1, ['h1', 'h2']], [5, ['1', '2']], [8, ['3', '4']]])
  t.strictSame(rows('h\n,\n""\n'), [[1, ['h']], [2, ['', '']], [3, ['']]], 'a lone comma and a quoted empty cell are rows')
  t.strictSame(rows('h\n\u3000 \u3000\n'), [[1, ['h']]], 'a line of full-width spaces is blank too (csv-parse gave it as a row of one empty cell)')
})

t.test('cells are trimmed outside their quotes', async t => {
  t.strictSame(rows('  a  ,\tb\t, c \r\n'), [[1, ['a', 'b', 'c']]])
  t.strictSame(rows('  " a " , "b"\t\n'), [[1, [' a ', 'b']]])
  t.strictSame(rows(' 张 三 ,x\n'), [[1, ['张 三', 'x']]], 'spaces inside a cell are kept')
  t.strictSame(rows('\u3000张三\u3000,\u00a0x\u00a0\n'), [[1, ['\u3000张三', '\u00a0x']]], 'as csv-parse: only ASCII blanks before a cell, any whitespace after it')
})

t.test('short and long rows are read as they are', async t => {
  t.strictSame(rows('a,b,c\n1\n1,2,3,4,5\n1,2,\n'), [[1, ['a', 'b', 'c']], [2, ['1']], [3, ['1', '2', '3', '4', '5']], [4, ['1', '2', '']]])
})

t.test('stray quotes are text, not errors', async t => {
  t.strictSame(rows('ab"c,d\n'), [[1, ['ab"c', 'd']]], 'a quote inside an unquoted cell')
  t.strictSame(rows('x"y"z,"ab"c, "d" e\n'), [[1, ['x"y"z', 'abc', 'de']]], 'text after a closing quote joins the cell (csv-parse refused the file)')
})

t.test('a character split across chunks is read whole', async t => {
  const bytes = Buffer.from('姓名\n张三\n')
  // 姓 is three bytes: cut inside it, and inside 张 (bytes 7–9), one byte at a time too.
  t.strictSame(parseCsv([bytes.subarray(0, 1), bytes.subarray(1, 8), bytes.subarray(8)]).map(r => r.cells), [['姓名'], ['张三']])
  t.strictSame(parseCsv(Array.from(bytes, b => Buffer.from([b]))).map(r => [r.line, r.cells]), [[1, ['姓名']], [2, ['张三']]])
  const bom = Buffer.from('\uFEFF张,"李\n四"\n')
  t.strictSame(parseCsv(Array.from(bom, b => Buffer.from([b]))).map(r => [r.line, r.cells]), [[2, ['张', '李\n四']]], 'a mark arriving a byte at a time is still dropped')
})

t.test('a file read in tiny chunks gives every row, chunk by chunk', async t => {
  const dir = t.testdir({})
  const path = join(dir, 'roster.csv')
  const lines = ['\uFEFF身份证号,姓名,备注']
  for (let i = 0; i < 50; i++) lines.push(i % 7 === 0 ? `3305031980010100${String(i).padStart(2, '0')},"张${i}","多,行\n备注"` : `3305031980010100${String(i).padStart(2, '0')},张${i},`)
  writeFileSync(path, lines.join('\r\n') + '\r\n')
  const whole = parseCsv([lines.join('\r\n') + '\r\n'])
  t.equal(whole.length, 51)
  t.strictSame(whole[1], { line: 3, cells: ['330503198001010000', '张0', '多,行\n备注'] })
  t.strictSame(whole[49], { line: 57, cells: ['330503198001010048', '张48', ''] })
  t.strictSame(whole[50], { line: 59, cells: ['330503198001010049', '张49', '多,行\n备注'] })
  const chunks: unknown[][] = []
  for await (const chunk of readCsvInChunks(path, { highWaterMark: 5 })) chunks.push(chunk)
  t.ok(chunks.length > 40, `read in ${chunks.length} chunks`)
  t.ok(chunks.every(chunk => chunk.length > 0), 'no empty chunk is handed over')
  t.strictSame(chunks.flat(), whole)
  const inRosterChunks: unknown[] = []
  for await (const chunk of readRosterInChunks(path, 'csv')) inRosterChunks.push(...chunk)
  t.strictSame(inRosterChunks, whole)
  const oneByOne: unknown[] = []
  for await (const row of readRoster(path, 'csv')) oneByOne.push(row)
  t.strictSame(oneByOne, whole)
})

t.test('a quote left open at the end of the file is an error naming its line', async t => {
  t.throws(() => parseCsv(['a,b\n1,2\n3,"4\n5,6\n']), new CsvError(3, '第 3 行的引号没有闭合：文件可能不完整，或单元格中的引号应写成两个（""）'))
  t.throws(() => parseCsv(['a,b\n1,"2""']), { name: 'CsvError', line: 2 }, 'a doubled quote does not close it')
  const dir = t.testdir({ 'cut.csv': '身份证号,姓名\n330503198001010012,"张\n' })
  const read: unknown[] = []
  await t.rejects(async () => { for await (const row of readRoster(join(dir, 'cut.csv'), 'csv')) read.push(row) }, { name: 'CsvError', line: 2 })
  t.strictSame(read, [{ line: 1, cells: ['身份证号', '姓名'] }], 'the rows before it were read')
})

t.test('a record that never ends is refused once it passes a million characters', async t => {
  const parser = new CsvParser()
  t.strictSame(parser.push('a\n"'), [{ line: 1, cells: ['a'] }])
  t.throws(() => { for (let i = 0; i < 20; i++) parser.push('x'.repeat(65536)) }, { name: 'CsvError', line: 2 })
})

t.test('an empty file and a file of only a header', async t => {
  t.strictSame(parseCsv([]), [])
  t.strictSame(rows(''), [])
  t.strictSame(rows('\uFEFF'), [])
  t.strictSame(rows('\n\r\n  \n'), [])
  t.strictSame(rows('身份证号,姓名'), [[1, ['身份证号', '姓名']]])
  t.strictSame(rows('\uFEFF身份证号,姓名\r\n\r\n'), [[1, ['身份证号', '姓名']]])
  const dir = t.testdir({ 'empty.csv': '', 'header.csv': '身份证号,姓名\n' })
  const chunks: unknown[] = []
  for await (const chunk of readRosterInChunks(join(dir, 'empty.csv'), 'csv')) chunks.push(chunk)
  t.strictSame(chunks, [])
  for await (const chunk of readRosterInChunks(join(dir, 'header.csv'), 'csv')) chunks.push(chunk)
  t.strictSame(chunks, [[{ line: 1, cells: ['身份证号', '姓名'] }]])
})
