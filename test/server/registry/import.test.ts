// Roster imports end to end: upload through the API, the bull job through Redis, the
// outcome and every bad row read back.
import t from 'tap'
import ExcelJS from 'exceljs'
import type { FastifyInstance } from 'fastify'
import { makeResidentId } from '../../../matching/resident-id.js'
import { appWithAccounts, signIn, type Session } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { runImport } from '../../../server/registry/import/run.js'
import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startWorker } from '../../helpers/worker.js'

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
  startWorker(app)
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
  t.same(problemsOf(second), EXPECTED_PROBLEMS, 'the same bad rows, and nothing about the households already registered')
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

/** A roster of the given rows under HEADER, as CSV. */
const rosterOf = (rows: string[][], header = HEADER) => [header, ...rows].map(row => row.join(',')).join('\n') + '\n'
const row = (key: string, name: string, idNumber: string, overrides: Record<string, string> = {}) =>
  HEADER.map(h => overrides[h] ?? ({ 户编号: key, 村社区代码: V, 姓名: name, 身份证号: idNumber, 与户主关系: '户主', 劳动能力: '部分', 有收入来源: '是', 有赡养人: '否', 患重病: '否', 在学阶段: '无', 就业: '否', 家庭年收入: '8000', 医疗支出: '0', 教育支出: '0', 财产符合: '是', 防返贫监测: '否' } as Record<string, string>)[h] ?? '')

t.test('every row of a bad household is still checked, and its ID numbers count as seen', async t => {
  const { clerk } = await setUp(t)
  const a = makeResidentId('330503', '1961-01-01', 21, 'male')
  const b = makeResidentId('330503', '1962-02-02', 22, 'female')
  const run = await importFile(clerk, rosterOf([
    row('B1', '周一', a, { 家庭年收入: '-5' }),
    row('B1', '周二', badChecksum, { 与户主关系: '配偶' }),
    row('B1', '周三', b, { 与户主关系: '子女', 劳动能力: '什么' }),
    row('B2', '吴四', a),
    row('B3', '郑五', b)
  ]), 'text/csv', 'all-or-nothing')
  t.match(run, { status: 'rejected', mode: 'all_or_nothing', rowsRead: 5, householdsRejected: 3 })
  t.same(problemsOf(run), [
    { line: 2, column: '家庭年收入', code: 'negative' },
    { line: 3, column: '身份证号', code: 'id_checksum' },
    { line: 4, column: '劳动能力', code: 'unknown_value' },
    { line: 5, column: '身份证号', code: 'duplicate_in_file' },
    { line: 6, column: '身份证号', code: 'duplicate_in_file' }
  ], 'the checksum on line 3 is reported although line 2 already spoiled the household; lines 5 and 6 repeat IDs of the rejected household')
})

t.test('an ID number already in the database is reported through the import, for good and bad households', async t => {
  const { clerk } = await setUp(t)
  const registered = makeResidentId('330503', '1955-05-05', 31, 'male')
  const created = await clerk.call({
    method: 'POST', url: '/api/v1/households',
    payload: { regionCode: V, annualIncome: 6000, propertyCompliant: true, members: [{ name: '冯六', idNumber: registered, relation: 'head', laborCapacity: 'weak' }] }
  })
  t.equal(created.statusCode, 201, created.body)
  const other = makeResidentId('330503', '1956-06-06', 33, 'male')
  const run = await importFile(clerk, rosterOf([
    row('D1', '冯六', registered),
    row('D2', '陈七', other, { 家庭年收入: 'abc' }),
    row('D2', '陈八', registered.toLowerCase(), { 与户主关系: '配偶' })
  ]), 'text/csv', 'valid-rows-only')
  t.match(run, { status: 'completed', mode: 'valid_rows_only', householdsCreated: 0, householdsRejected: 2 })
  t.same(problemsOf(run), [
    { line: 2, column: '身份证号', code: 'id_already_registered' },
    { line: 3, column: '家庭年收入', code: 'not_a_number' },
    { line: 4, column: '身份证号', code: 'duplicate_in_file' }
  ])
  t.match(run.problems[0].reason, new RegExp(`#${created.json().id}.*一人一次`), 'the household that has the person is named')
  const second = await importFile(clerk, rosterOf([row('D3', '陈七', other), row('D4', '冯六', registered)]), 'text/csv', 'valid_rows_only')
  t.same(problemsOf(second), [{ line: 3, column: '身份证号', code: 'id_already_registered' }])
  t.match(second, { householdsCreated: 1, householdsRejected: 1 })
})

t.test('a person registered in another region is refused without naming the household; the lookup is audited', async t => {
  const { app, clerk } = await setUp(t)
  const county = await signIn(app, 'mz-county')
  const registered = makeResidentId('330503', '1957-07-07', 35, 'male')
  const theirs = await county.call({
    method: 'POST', url: '/api/v1/households',
    payload: { regionCode: '330503102001', annualIncome: 6000, propertyCompliant: true, members: [{ name: '冯九', idNumber: registered, relation: 'head', laborCapacity: 'weak' }] }
  })
  t.equal(theirs.statusCode, 201, theirs.body)
  const run = await importFile(clerk, rosterOf([row('E1', '冯九', registered)]), 'text/csv', 'valid-rows-only')
  t.same(run.problems, [{
    line: 2, column: '身份证号', code: 'id_already_registered',
    reason: '身份证号已在其他地区登记（一人一次），请联系县级民政部门核实 (ID number already registered elsewhere: contact the county civil-affairs bureau)',
    value: `${registered.slice(0, 6)}********${registered.slice(-4)}`
  }])
  const audited = await app.db.selectFrom('audit_records').select(['actor', 'record_id', 'region_code', 'details']).where('action', '=', 'household.registered_elsewhere').execute()
  t.same(audited, [{ actor: 'mz-nanxun', record_id: String(theirs.json().id), region_code: '330503102001', details: { attempted: 'household.import', importId: run.id, line: 2 } }])
})

t.test('the uploaded roster is deleted once its import has finished, completed or failed', async t => {
  const { app, clerk } = await setUp(t)
  const uploads = () => readdir(join(app.config.dataDir, 'imports'))
  const done = await importFile(clerk, csv, 'text/csv', 'valid_rows_only')
  t.equal(done.status, 'completed')
  t.same(await uploads(), [], 'names and ID numbers are not left lying in DATA_DIR')
  const again = await importFile(clerk, csv, 'text/csv', 'valid_rows_only')
  t.match(again, { status: 'completed', householdsCreated: 0 }, 'the same file again is a new upload of its own')
  const broken = await importFile(clerk, Buffer.from('PK\u0003\u0004 not a workbook'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'all_or_nothing')
  t.equal(broken.status, 'failed')
  t.same(await uploads(), [])
})

t.test('unknown columns are reported as warnings; status dates and the gradual-exit end are read', async t => {
  const { app, clerk } = await setUp(t)
  const header = [...HEADER, '备注', '状态', '状态日期', '渐退期截止日期']
  const c = makeResidentId('330503', '1971-01-01', 41, 'male')
  const d = makeResidentId('330503', '1972-02-02', 43, 'male')
  const withExtras = (cells: string[], extras: string[]) => [...cells, ...extras]
  const run = await importFile(clerk, rosterOf([
    withExtras(row('E1', '褚九', c), ['低保户', '渐退期', '2026-01-05', '2026-12-31']),
    withExtras(row('E2', '卫十', d), ['', '渐退期', '', ''])
  ], header), 'text/csv', 'valid_rows_only')
  t.match(run, { status: 'completed', householdsCreated: 1, householdsRejected: 1 })
  t.same(run.warnings.map((w: { line: number, column: string, code: string }) => [w.line, w.column, w.code]), [[1, '备注', 'unknown_column']])
  t.same(problemsOf(run), [{ line: 3, column: '渐退期截止日期', code: 'required' }], 'a gradual exit without its end')
  const stored = await app.db.selectFrom('households').select(['status', 'status_since', 'gradual_exit_until']).where('external_key', '=', 'E1').executeTakeFirstOrThrow()
  t.same(stored, { status: 'gradual_exit', status_since: '2026-01-05', gradual_exit_until: '2026-12-31' })
  const allOrNothing = await importFile(clerk, rosterOf([withExtras(row('E3', '蒋一', makeResidentId('330503', '1973-03-03', 45, 'male')), ['x', '', '', ''])], header), 'text/csv', 'all_or_nothing')
  t.match(allOrNothing, { status: 'completed', householdsCreated: 1, problemCount: 0 }, 'a warning does not block all-or-nothing')
})

t.test('progress: rows read, households and problems, reported while reading and at the end', async t => {
  const { app, clerk } = await setUp(t)
  const finished = await importFile(clerk, csv, 'text/csv', 'valid_rows_only')
  // Six households (H1–H6), four of them refused (H2–H5, one problem each).
  t.same(finished.progress, { rowsRead: 7, households: 6, householdsRejected: 4, problems: 4 }, 'the job\'s last progress is the whole file')
  t.equal(finished.rowsExpected, 7, 'a CSV\'s data rows are counted when it is uploaded')
  t.same(finished.problems.map((p: { line: number, value: string | null }) => [p.line, p.value]), [
    [4, `${badChecksum.slice(0, 6)}********${badChecksum.slice(-4)}`], [5, '-100'], [6, `${id1.slice(0, 6)}********${id1.slice(-4)}`], [7, '330503199999']
  ], 'each problem keeps the value it found, an ID number masked')
  const path = join(t.testdir(), 'roster.csv')
  await writeFile(path, csv)
  const seen: number[] = []
  await runImport(app.db, { path, format: 'csv', mode: 'all_or_nothing', scope: { regionPrefix: '330503' }, asOf: '2026-11-01', keys: app.config, progressEvery: 2 }, async tally => { seen.push(tally.rowsRead) })
  t.same(seen, [2, 4, 6, 7])
})

t.test('a different household under a registered 户编号 is a bad row, not "unchanged"', async t => {
  const { app, clerk } = await setUp(t)
  const a = makeResidentId('330503', '1961-03-03', 51, 'male')
  const b = makeResidentId('330503', '1963-04-04', 53, 'female')
  const c = makeResidentId('330503', '1964-05-05', 55, 'male')
  const household = rosterOf([row('K1', '朱一', a), row('K1', '朱二', b, { 与户主关系: '配偶' })])
  t.match(await importFile(clerk, household, 'text/csv', 'valid_rows_only'), { householdsCreated: 1, problemCount: 0 })
  const again = await importFile(clerk, household, 'text/csv', 'all_or_nothing')
  t.match(again, { status: 'completed', householdsCreated: 0, householdsUnchanged: 1, householdsRejected: 0, problemCount: 0 }, 'the identical household twice')

  const registered = await app.db.selectFrom('households').select('id').where('external_key', '=', 'K1').executeTakeFirstOrThrow()
  const other = await importFile(clerk, rosterOf([row('K2', '秦三', c), row('K1', '许四', makeResidentId('330503', '1966-06-06', 57, 'female'))]), 'text/csv', 'valid_rows_only')
  t.match(other, { status: 'completed', householdsCreated: 1, householdsUnchanged: 0, householdsRejected: 1 })
  t.same(problemsOf(other), [{ line: 3, column: '户编号', code: 'household_key_conflict' }])
  t.match(other.problems[0].reason, new RegExp(`户编号 K1 已被另一户使用（第 ${registered.id} 号家庭，成员不同；`))
  const fewer = await importFile(clerk, rosterOf([row('K1', '朱一', a)]), 'text/csv', 'all_or_nothing')
  t.match(fewer, { status: 'rejected', householdsCreated: 0, householdsUnchanged: 0 })
  t.same(problemsOf(fewer), [{ line: 2, column: '户编号', code: 'household_key_conflict' }], 'one member fewer is not the same household')
  const more = await importFile(clerk, rosterOf([row('K1', '朱一', a), row('K1', '朱二', b, { 与户主关系: '配偶' }), row('K1', '朱三', makeResidentId('330503', '1990-07-07', 59, 'male'), { 与户主关系: '子女' })]), 'text/csv', 'all_or_nothing')
  t.same(problemsOf(more), [{ line: 2, column: '户编号', code: 'household_key_conflict' }], 'nor is one more')
  const { n } = await app.db.selectFrom('persons').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  t.equal(Number(n), 3, 'K1 kept its two members; K2 added one')
})

t.test('a 户编号 registered outside the importer\'s region is not that household', async t => {
  const { app } = await setUp(t)
  const path = join(t.testdir(), 'roster.csv')
  const person = makeResidentId('330503', '1958-08-08', 61, 'male')
  await writeFile(path, rosterOf([row('S1', '何五', person, { 村社区代码: '330503102001' })]))
  const base = { path, format: 'csv' as const, mode: 'all_or_nothing' as const, asOf: '2025-09-01', keys: app.config }
  t.match(await runImport(app.db, { ...base, scope: { regionPrefix: '330503' } }), { status: 'completed', householdsCreated: 1 })
  await writeFile(path, rosterOf([row('S1', '何五', person)]))
  const town = await runImport(app.db, { ...base, scope: { regionPrefix: '330503101' } })
  t.match(town, { status: 'rejected', householdsUnchanged: 0 })
  t.same(problemsOf(town), [{ line: 2, column: '户编号', code: 'household_key_conflict' }, { line: 2, column: '身份证号', code: 'id_already_registered' }])
  t.match(town.problems[0]?.reason, /不在您的辖区/)
})

t.test('a village without a policy profile spoils its own households only', async t => {
  const { app, clerk } = await setUp(t)
  // Only 东大街社区 has a profile now: a new 西大街社区 of the same town has none.
  await app.db.insertInto('regions').values({ code: '330503101002', name: '西大街社区', level: 'village', parent_code: '330503101' }).execute()
  await app.db.deleteFrom('region_policies').execute()
  await app.db.insertInto('region_policies').values({ region_code: V, profile: 'nanxun-2025' }).execute()
  const roster = rosterOf([
    row('P1', '施一', makeResidentId('330503', '1960-01-01', 71, 'male')),
    row('P2', '张二', makeResidentId('330503', '1961-01-01', 73, 'male'), { 村社区代码: '330503101002' }),
    row('P2', '张三', makeResidentId('330503', '1962-01-01', 75, 'female'), { 与户主关系: '配偶' })
  ])
  const strict = await importFile(clerk, roster, 'text/csv', 'all_or_nothing')
  t.match(strict, { status: 'rejected', householdsCreated: 0, householdsRejected: 1 })
  t.same(problemsOf(strict), [{ line: 3, column: '村社区代码', code: 'no_policy_profile' }])
  t.match(strict.problems[0].reason, /330503101002 未配置认定政策/)
  const lenient = await importFile(clerk, roster, 'text/csv', 'valid_rows_only')
  t.match(lenient, { status: 'completed', householdsCreated: 1, householdsRejected: 1 })
  t.same(problemsOf(lenient), [{ line: 3, column: '村社区代码', code: 'no_policy_profile' }])
  t.same((await app.db.selectFrom('households').select('external_key').execute()).map(h => h.external_key), ['P1'])

  // A profile without a parameter in force on the import's day (Nanxun's takes effect 2025-06-28).
  const path = join(t.testdir(), 'early.csv')
  await writeFile(path, rosterOf([row('P3', '孔四', makeResidentId('330503', '1963-01-01', 77, 'male'))]))
  const early = await runImport(app.db, { path, format: 'csv', mode: 'valid_rows_only', scope: { regionPrefix: '330503' }, asOf: '2025-06-27', keys: app.config })
  t.match(early, { status: 'completed', householdsCreated: 0, householdsRejected: 1 })
  t.same(problemsOf(early), [{ line: 2, column: '村社区代码', code: 'parameter_missing' }])
})

t.test('the columns the person rules read: 户籍, public-sector post, monitoring days, other rigid spending, the illness', async t => {
  const { app, clerk } = await setUp(t)
  const [a, b, c, d] = [21, 23, 25, 27].map(n => makeResidentId('330503', '1968-08-08', n, 'male'))
  const chinese = [
    ['户编号', '村社区代码', '姓名', '身份证号', '与户主关系', '劳动能力', '患重病', '所患重病', '户籍', '行政事业单位人员', '监测开始日期', '监测结束日期', '家庭年收入', '医疗支出', '其他刚性支出', '财产符合'],
    ['H7', V, '周一', a, '户主', '完全', '是', '尿毒症', '农村', '否', '2025-01-05', '2025-06-30', '30000', '10000', '5000', '是'],
    ['H7', '', '周二', b, '配偶', '部分', '否', '', '城镇', '是', '', '', '', '', '', ''],
    ['H8', V, '吴三', c, '户主', '完全', '否', '', '居民', '否', '', '', '30000', '0', '0', '是'],
    ['H9', V, '郑四', d, '户主', '完全', '否', '', '农村', '否', '', '2025-06-30', '30000', '0', '0', '是']
  ]
  const run = await importFile(clerk, chinese.map(row => row.join(',')).join('\n') + '\n', 'text/csv', 'valid_rows_only')
  t.match(run, { status: 'completed', householdsCreated: 1, householdsRejected: 2 })
  t.same(problemsOf(run), [{ line: 4, column: '户籍', code: 'unknown_value' }, { line: 5, column: '监测开始日期', code: 'monitoring_incomplete' }])
  const h = await app.db.selectFrom('households').select(['id', 'other_rigid_expense']).where('external_key', '=', 'H7').executeTakeFirstOrThrow()
  t.equal(h.other_rigid_expense, 5000)
  const persons = await app.db.selectFrom('persons').select(['hukou', 'public_sector', 'monitored_from', 'monitored_until', 'illness_encrypted']).where('household_id', '=', h.id).orderBy('id').execute()
  t.match(persons, [
    { hukou: 'rural', public_sector: false, monitored_from: '2025-01-05', monitored_until: '2025-06-30' },
    { hukou: 'urban', public_sector: true, monitored_from: null, monitored_until: null, illness_encrypted: null }
  ])
  t.ok(persons[0]?.illness_encrypted, 'the illness is kept, encrypted')

  // The same columns under their English field names.
  const english = [
    ['householdKey', 'regionCode', 'name', 'idNumber', 'relation', 'laborCapacity', 'hukou', 'publicSector', 'monitoredFrom', 'annualIncome', 'otherExpense', 'propertyCompliant'],
    ['H10', V, '冯五', makeResidentId('330503', '1969-09-09', 31, 'male'), 'head', 'full', 'rural', 'no', '2025-02-01', '30000', '1200', 'yes']
  ]
  t.match(await importFile(clerk, english.map(row => row.join(',')).join('\n') + '\n', 'text/csv', 'all_or_nothing'), { status: 'completed', householdsCreated: 1 })
  const english10 = await app.db.selectFrom('households as h').innerJoin('persons as p', 'p.household_id', 'h.id')
    .select(['h.other_rigid_expense', 'p.hukou', 'p.monitored_from', 'p.monitored_until']).where('h.external_key', '=', 'H10').executeTakeFirstOrThrow()
  t.same(english10, { other_rigid_expense: 1200, hukou: 'rural', monitored_from: '2025-02-01', monitored_until: null })
})

t.test('an unclosed quote: the households before it are imported (valid rows only), the rest is one problem at its line, and the household it falls in is refused', async t => {
  const { app } = await setUp(t)
  const path = join(t.testdir(), 'roster.csv')
  const first = row('Q1', '孔一', makeResidentId('330503', '1955-01-01', 63, 'male'))
  const second = row('Q2', '孔二', makeResidentId('330503', '1956-02-02', 65, 'male'))
  const broken = row('Q2', '孔三', makeResidentId('330503', '1957-03-03', 67, 'female'), { 与户主关系: '配偶', 地址: '"南浔镇' })
  await writeFile(path, rosterOf([first, second, broken, row('Q3', '孔四', makeResidentId('330503', '1958-04-04', 69, 'male'))]))
  const base = { path, format: 'csv' as const, scope: { regionPrefix: '330503' }, asOf: '2026-11-01', keys: app.config }
  const kept = await runImport(app.db, { ...base, mode: 'valid_rows_only' })
  t.match(kept, { status: 'completed', householdsCreated: 1, householdsRejected: 1 })
  t.same(kept.problems, [{ line: 4, column: '', code: 'unreadable_csv', reason: '第 4 行的引号没有闭合：文件可能不完整，或单元格中的引号应写成两个（""）' }])
  const keys = await app.db.selectFrom('households').select('external_key').where('external_key', 'like', 'Q%').execute()
  t.same(keys.map(k => k.external_key), ['Q1'], 'Q2, whose second member lies past the quote, is not written with one member')
  t.match(await runImport(app.db, { ...base, mode: 'all_or_nothing' }), { status: 'rejected', problems: [{ line: 4, code: 'unreadable_csv' }] })
})
