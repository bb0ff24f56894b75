// Roster imports end to end: upload through the API, the bull job through Redis, the
// outcome and every bad row read back.
import t from 'tap'
import ExcelJS from 'exceljs'
import pino from 'pino'
import type { FastifyInstance } from 'fastify'
import { makeResidentId } from '../../../matching/resident-id.js'
import { registerProcessors } from '../../../jobs/processors/index.js'
import { appWithAccounts, signIn, type Session } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'

const V = '330503101001'
const id1 = makeResidentId('330503', '1949-10-01', 11, 'male')
const id2 = makeResidentId('330503', '2015-06-01', 12, 'female')
const badChecksum = (() => { const good = makeResidentId('330503', '1970-01-01', 13, 'male'); return good.slice(0, 17) + (good.endsWith('0') ? '1' : '0') })()
const id6 = makeResidentId('330503', '1980-05-05', 15, 'female')

const HEADER = ['户编号', '村社区代码', '姓名', '身份证号', '与户主关系', '劳动能力', '有收入来源', '有赡养人', '残疾等级', '残疾类别', '患重病', '在学阶段', '就业', '家庭年收入', '医疗支出', '教育支出', '财产符合', '防返贫监测', '困难情形', '地址', '电话']
const ROWS = [
  ['H1', V, '张三', id1, '户主', '无', '否', '否', '', '', '否', '无', '否', '5000', '0', '0', '是', '否', '', '东大街1号', '13900000001'],
  ['H1', '', '张小妹', id2, '孙子女', '无', '否', '否', '2', '肢体', '否', '小学', '否', '', '', '', '', '', '', '', ''],
  ['H2', V, '李四', badChecksum, '户主', '完全', '是', '否', '', '', '否', '无', '是', '30000', '0', '0', '是', '否', '', '', ''],
  ['H3', V, '王五', makeResidentId('330503', '1975-03-03', 14, 'male'), '户主', '完全', '是', '否', '', '', '否', '无', '是', '-100', '0', '0', '是', '否', '', '', ''],
  ['H4', V, '赵六', id1, '户主', '部分', '是', '否', '', '', '否', '无', '否', '8000', '0', '0', '是', '否', '', '', ''],
  ['H5', '330503199999', '钱七', makeResidentId('330503', '1965-07-07', 16, 'male'), '户主', '部分', '是', '否', '', '', '否', '无', '否', '8000', '0', '0', '是', '否', '', '', ''],
  ['H6', V, '孙八', id6, '户主', '部分', '是', '否', '', '', '是', '无', '否', '9000', '20000', '0', '否', '否', '重大疾病', '', '']
]
const csv = [HEADER, ...ROWS].map(row => row.join(',')).join('\n') + '\n'

// Lines are 1-based with the header on line 1: H2 is line 4, H3 line 5, H4 line 6, H5 line 7.
const EXPECTED_PROBLEMS = [
  { line: 4, column: '身份证号', code: 'id_checksum' },
  { line: 5, column: '家庭年收入', code: 'negative' },
  { line: 6, column: '身份证号', code: 'duplicate_in_file' },
  { line: 7, column: '村社区代码', code: 'unknown_region' }
]

async function setUp (t: Parameters<typeof appWithAccounts>[0]): Promise<{ app: FastifyInstance, clerk: Session }> {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  registerProcessors(app.queues, { db: app.db, config: app.config, meili: app.meili, queues: app.queues, log: pino({ level: 'silent' }) })
  return { app, clerk: await signIn(app, 'mz-nanxun') }
}

async function importFile (clerk: Session, body: Buffer | string, contentType: string, mode: string) {
  const queued = await clerk.call({ method: 'POST', url: `/api/v1/imports?mode=${mode}&fileName=roster`, headers: { 'content-type': contentType }, payload: body })
  if (queued.statusCode !== 202) throw new Error(queued.body)
  for (let i = 0; i < 300; i++) {
    const run = (await clerk.call({ method: 'GET', url: `/api/v1/imports/${queued.json().id}` })).json()
    if (!['queued', 'running'].includes(run.status)) return run
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error('import did not finish')
}

const problemsOf = (run: { problems: Array<{ line: number, column: string, code: string }> }) =>
  run.problems.map(({ line, column, code }) => ({ line, column, code }))

t.test('all-or-nothing reports every bad row and writes nothing', async t => {
  const { app, clerk } = await setUp(t)
  const run = await importFile(clerk, csv, 'text/csv', 'all_or_nothing')
  t.match(run, { status: 'rejected', rowsRead: 7, householdsCreated: 0, householdsRejected: 4, problemCount: 4 })
  t.same(problemsOf(run), EXPECTED_PROBLEMS)
  for (const problem of run.problems) t.type(problem.reason, 'string')
  const { n } = await app.db.selectFrom('households').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  t.equal(Number(n), 0, 'nothing was written')
})

t.test('valid-rows-only keeps the good households; the same file twice creates nothing new', async t => {
  const { app, clerk } = await setUp(t)
  const first = await importFile(clerk, csv, 'text/csv', 'valid_rows_only')
  t.match(first, { status: 'completed', rowsRead: 7, householdsCreated: 2, householdsUnchanged: 0, householdsRejected: 4 })
  t.same(problemsOf(first), EXPECTED_PROBLEMS)
  const households = await app.db.selectFrom('households').select(['external_key', 'category', 'hardships', 'property_compliant']).orderBy('external_key').execute()
  t.same(households.map(h => h.external_key), ['H1', 'H6'])
  t.same(households[1]?.hardships, ['serious_illness'])
  const members = await app.db.selectFrom('persons').select(['masked_name', 'relation', 'disability_level', 'disability_kind', 'school_stage', 'birth_date']).orderBy('id').execute()
  t.same(members.slice(0, 2), [
    { masked_name: '张*', relation: 'head', disability_level: null, disability_kind: null, school_stage: 'none', birth_date: '1949-10-01' },
    { masked_name: '张**', relation: 'grandchild', disability_level: 2, disability_kind: 'physical', school_stage: 'primary', birth_date: '2015-06-01' }
  ])
  const decisions = await app.db.selectFrom('category_decisions').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  t.equal(Number(decisions.n), 2, 'each imported household was classified')

  const second = await importFile(clerk, csv, 'text/csv', 'valid_rows_only')
  t.match(second, { status: 'completed', householdsCreated: 0, householdsUnchanged: 2 })
  const { n } = await app.db.selectFrom('households').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  t.equal(Number(n), 2)
})

t.test('XLSX rosters and bad headers', async t => {
  const { app, clerk } = await setUp(t)
  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('花名册')
  sheet.addRow(HEADER)
  for (const row of ROWS) sheet.addRow(row.map((cell, i) => HEADER[i] === '家庭年收入' && cell !== '' ? Number(cell) : cell))
  const xlsx = Buffer.from(await workbook.xlsx.writeBuffer())
  const run = await importFile(clerk, xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'valid_rows_only')
  t.match(run, { status: 'completed', rowsRead: 7, householdsCreated: 2 })
  t.same(problemsOf(run), EXPECTED_PROBLEMS)

  const noIdColumn = await importFile(clerk, '户编号,村社区代码,姓名\nH9,330503101001,某某\n', 'text/csv', 'all_or_nothing')
  t.equal(noIdColumn.status, 'rejected')
  t.same(problemsOf(noIdColumn).map(p => [p.line, p.code]), [[1, 'missing_column'], [1, 'missing_column'], [1, 'missing_column']])
  t.same(problemsOf(noIdColumn).map(p => p.column).sort(), ['与户主关系', '劳动能力', '身份证号'].sort())

  const wrongType = await clerk.call({ method: 'POST', url: '/api/v1/imports', headers: { 'content-type': 'application/json' }, payload: '{}' })
  t.equal(wrongType.statusCode, 415)
  const donor = await signIn(app, 'donor-person')
  t.equal((await donor.call({ method: 'POST', url: '/api/v1/imports', headers: { 'content-type': 'text/csv' }, payload: csv })).statusCode, 403)
})
