// Department feeds end to end: upload (CSV, XLSX, JSON; page or API token), the bull job,
// matching by ID number through the blind index, every unmatched and invalid record kept and
// counted with its reason, re-imports that create nothing, other departments' help written to
// the chain once, and the warnings raised with their working-day deadlines.
import t from 'tap'
import ExcelJS from 'exceljs'
import { signIn } from '../../helpers/accounts.js'
import { csvOf, family, importFeed, monitoringWorld, residentId } from '../../helpers/monitoring.js'
import { setClock } from '../../../server/clock.js'
import { createFeedImport, feedUploadPath } from '../../../server/monitoring/feeds/record.js'
import { runFeed } from '../../../server/monitoring/feeds/run.js'
import { parseFeedRow, recordKey } from '../../../server/monitoring/feeds/columns.js'
import { blindIndex } from '../../../server/privacy/pii.js'
import { sql } from 'kysely'

t.teardown(() => setClock())

const setUp = monitoringWorld

const MEDICAL = ['身份证号', '姓名', '结算日期', '自付金额', '医疗总费用']

t.test('a medical feed: matched, unmatched, invalid — each counted with its reason; the warning due in working days', async t => {
  const { app, clerk, county } = await setUp(t)
  const household = await family(clerk, [{ birthDate: '1978-03-03' }, { birthDate: '2012-04-04' }])
  t.equal(household.category, 'dibao')
  const stranger = residentId('1960-01-01')
  const badChecksum = household.idNumbers[1]!.slice(0, 17) + (household.idNumbers[1]!.endsWith('1') ? '2' : '1')
  const file = csvOf([
    MEDICAL,
    [household.idNumbers[0]!, '周大成', '2026-02-05', '"12,500"', '40000'], // line 2: crosses the first tier (a quoted amount with a thousands separator)
    [stranger, '王某', '2026-02-06', '800', ''], // line 3: not in the registry
    [badChecksum, '周小成', '2026-02-06', '300', ''], // line 4: invalid ID number
    [household.idNumbers[1]!, '周小成', '', '300', ''], // line 5: no date
    [household.idNumbers[0]!, '周大成', '2026-02-05', '12500', '40000'], // line 6: line 2 again
    [household.idNumbers[1]!, '周小成', '2026-03-01', '300', ''] // line 7: a day still to come
  ])
  const run = await importFeed(clerk, 'medical', file)
  t.match(run, { status: 'completed', kind: 'medical', rowsRead: 6, matched: 1, unmatched: 1, invalid: 4, alreadyImported: 0, warningsRaised: 1, problemCount: 4, unmatchedCount: 1 })
  t.same(run.problems.map((p: { line: number, code: string }) => [p.line, p.code]), [[4, 'id_checksum'], [5, 'required'], [6, 'duplicate_in_file'], [7, 'future_date']])
  t.same(run.unmatchedRecords, [{ line: 3, idMasked: `${stranger.slice(0, 6)}********${stranger.slice(14)}`, occurredOn: '2026-02-06', reason: '不在低收入人口监测数据库中' }])
  t.notMatch(JSON.stringify(await app.db.selectFrom('feed_records').selectAll().execute()), new RegExp(household.idNumbers[0]!), 'no ID number is stored in the clear')

  // The surge goes to the county's medical-security desk (001 三(四)), 10 working days across the Spring Festival.
  const list = (await county.call({ method: 'GET', url: '/api/v1/warnings' })).json()
  t.equal(list.total, 1)
  t.match(list.items[0], {
    personId: household.personIds[0], warningClass: 'new_hardship', rule: 'spending_surge', department: 'medical_security', deskRegion: '330503',
    lowIncome: true, raisedOn: '2026-02-11', workingDays: 10, dueOn: '2026-03-03', daysLeft: 10, overdue: false, maskedName: '周**'
  })
  t.match(list.items[0].summary, /¥12,500/)
  // The town officer sees the warning of a household of the town, though the county's desk holds it.
  t.equal((await clerk.call({ method: 'GET', url: '/api/v1/warnings' })).json().total, 1)
  t.equal((await clerk.call({ method: 'GET', url: '/api/v1/warnings?desk=330503101' })).json().total, 0, 'not at the town\'s own desk')

  // Importing the same file again creates nothing new.
  const again = await importFeed(clerk, 'medical', file)
  t.match(again, { rowsRead: 6, matched: 0, unmatched: 0, invalid: 4, alreadyImported: 2, warningsRaised: 0, unmatchedCount: 0 })
  t.equal(Number((await app.db.selectFrom('feed_records').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n), 2)
  t.equal(Number((await app.db.selectFrom('warnings').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n), 1)

  // The county's officer heard of it once; the town's not (not their desk).
  const bell = async (who: typeof clerk) => (await who.call({ method: 'GET', url: '/api/v1/notifications' })).json().items.map((n: { kind: string }) => n.kind)
  t.same(await bell(county), ['warnings_new'])
  t.same(await bell(clerk), [])
})

t.test('duplicate suppression: no second open warning for the same person and cause; after closing, a new surge warns again', async t => {
  const { app, clerk, county } = await setUp(t)
  const household = await family(clerk, [{ birthDate: '1978-03-03' }])
  const bill = (day: string, amount: string) => csvOf([MEDICAL, [household.idNumbers[0]!, '', day, amount, '']])
  t.equal((await importFeed(clerk, 'medical', bill('2026-01-05', '11000'))).warningsRaised, 1)
  const second = await importFeed(clerk, 'medical', bill('2026-01-20', '25000'))
  t.match(second, { matched: 1, warningsRaised: 0 }, 'crossing the second tier while the first warning is open raises nothing')
  const [warning] = (await county.call({ method: 'GET', url: '/api/v1/warnings' })).json().items
  const closed = await county.call({ method: 'POST', url: `/api/v1/warnings/${warning.id}/actions`, payload: { action: 'referred', note: '已转区医保局落实医疗救助' } })
  t.same(closed.json(), { status: 'closed', assistanceEntryId: null })
  const third = await importFeed(clerk, 'medical', bill('2026-02-01', '50000'))
  t.match(third, { warningsRaised: 1 }, 'a new crossing (the complex line) warns again once the first is closed')
  const open = (await county.call({ method: 'GET', url: '/api/v1/warnings' })).json().items
  t.same(open.map((w: { warningClass: string }) => w.warningClass), ['complex'], '¥86,000 in the window: 一事一议 at the county')
  t.equal(Number((await app.db.selectFrom('warnings').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n), 2)
})

t.test('deaths, unemployment, disability and disasters; monitored persons outside the population are judged by the classifier', async t => {
  const { app, clerk, county } = await setUp(t)
  const low = await family(clerk, [{ birthDate: '1970-01-01' }, { birthDate: '1985-05-05' }, { birthDate: '2010-10-10' }])
  const alone = await family(clerk, [{ birthDate: '1940-02-02', laborCapacity: 'none' }])
  // A family above every line that a year of medical bills would bring down (Nanxun 二: 刚性支出).
  const outside = await family(clerk, [{ birthDate: '1975-07-07', employed: true }, { birthDate: '1976-08-08', employed: true }], { annualIncome: 80000, status: 'monitored_other' })
  t.equal(outside.category, 'none')

  const deaths = await importFeed(clerk, 'death', csvOf([['身份证号', '死亡日期'], [low.idNumbers[1]!, '2026-02-02'], [alone.idNumbers[0]!, '2026-02-03']]))
  t.match(deaths, { matched: 2, warningsRaised: 2 })
  const unemployment = await importFeed(clerk, 'unemployment', csvOf([['身份证号', '登记日期'], [low.idNumbers[0]!, '2026-02-04']]))
  t.match(unemployment, { warningsRaised: 1 })
  const certificates = await importFeed(clerk, 'disability', csvOf([['身份证号', '发证日期', '残疾等级', '残疾类别'], [low.idNumbers[2]!, '2026-02-05', '三级', '精神']]))
  t.match(certificates, { warningsRaised: 1 })
  const losses = await importFeed(clerk, 'disaster', csvOf([['身份证号', '灾害日期', '损失金额', '灾害类型'], [low.idNumbers[0]!, '2026-01-30', '8000', '洪涝']]))
  t.match(losses, { warningsRaised: 1 })
  const bills = await importFeed(clerk, 'medical', csvOf([MEDICAL, [outside.idNumbers[0]!, '', '2026-02-06', '40000', '90000']]))
  t.match(bills, { matched: 1, warningsRaised: 1 })

  const rows = await app.db.selectFrom('warnings').select(['person_id', 'rule', 'warning_class', 'department', 'desk_region', 'low_income', 'working_days', 'due_on']).orderBy('id').execute()
  t.same(rows.map(r => [r.person_id, r.rule, r.warning_class, r.department, r.desk_region, r.working_days, r.due_on]), [
    [low.personIds[1], 'income_drop_death', 'new_hardship', 'civil_affairs', '330503101', 10, '2026-03-03'],
    [alone.personIds[0], 'sole_member_death', 'no_longer_eligible', 'civil_affairs', '330503', 10, '2026-03-03'],
    [low.personIds[0], 'income_drop_unemployment', 'new_hardship', 'human_resources', '330503', 10, '2026-03-03'],
    [low.personIds[2], 'severe_disability', 'new_hardship', 'disabled_federation', '330503', 10, '2026-03-03'],
    [low.personIds[0], 'disaster_loss', 'new_hardship', 'emergency_management', '330503', 10, '2026-03-03'],
    // Another monitored person: 15 working days (000 四(三)), possibly eligible, to the town's civil affairs.
    [outside.personIds[0], 'may_now_qualify', 'possibly_eligible', 'civil_affairs', '330503101', 15, '2026-03-10']
  ])
  const detail = (await county.call({ method: 'GET', url: `/api/v1/warnings/${(await app.db.selectFrom('warnings').select('id').where('rule', '=', 'may_now_qualify').executeTakeFirstOrThrow()).id}` })).json()
  t.match(detail.evidence, { feed: { kind: 'medical', line: 2, facts: { outOfPocket: 40000 } }, reclassified: { category: 'rigid_expense', categoryName: '刚性支出困难家庭' }, values: { category: 'rigid_expense', alsoMet: 'spending_surge' } })
  t.match(detail.ruleVersion, { rule: 'may_now_qualify', source: /000_6379457d8a0eea12\.txt 四\(三\)/ })
  t.match(detail.route, { department: 'civil_affairs', level: 'town', source: /001_8cb5f20805feca87\.txt 三\(四\)/ })
  t.same(detail.household.members.map((m: { maskedName: string }) => m.maskedName), ['周**', '周**'])
  t.same(detail.events.map((e: { kind: string }) => e.kind), ['raised'])
})

t.test('other departments\' help goes into the chain once; XLSX and JSON are read like CSV', async t => {
  const { app, clerk } = await setUp(t)
  const household = await family(clerk, [{ birthDate: '1978-03-03' }])
  const json = JSON.stringify({ records: [
    { idNumber: household.idNumbers[0], occurredOn: '2026-01-15', assistanceKind: '医疗救助', value: 3000, provider: '区医保局', reference: 'YB-1' },
    { idNumber: household.idNumbers[0], occurredOn: '2026-01-20', assistanceKind: '岗位推介', value: 0, provider: '区人力社保局', reference: 'RS-7' },
    { idNumber: household.idNumbers[0], occurredOn: '2026-01-20', assistanceKind: '岗位推介', value: 0, provider: '区人力社保局' },
    'not a record'
  ] })
  const run = await importFeed(clerk, 'assistance', json, 'application/json')
  t.match(run, { rowsRead: 4, matched: 2, invalid: 2, chainEntries: 2, warningsRaised: 0 })
  t.same(run.problems.map((p: { line: number, code: string }) => [p.line, p.code]), [[3, 'required'], [4, 'invalid_record']])
  const chain = async () => (await clerk.call({ method: 'GET', url: `/api/v1/households/${household.id}/assistance` })).json().map((e: { kind: string, value: number, provider: string, reference: string, source: string }) => [e.source, e.kind, e.value, e.provider, e.reference])
  t.same(await chain(), [['government', 'medical_assistance', 3000, '区医保局', 'YB-1'], ['government', 'job_recommendation', 0, '区人力社保局', 'RS-7']])
  t.match(await importFeed(clerk, 'assistance', json, 'application/json'), { alreadyImported: 2, chainEntries: 0 })
  t.equal((await chain()).length, 2, 'importing it again writes nothing twice')

  const workbook = new ExcelJS.Workbook()
  const sheet = workbook.addWorksheet('失业登记')
  sheet.addRow(['身份证号', '姓名', '登记日期'])
  sheet.addRow([household.idNumbers[0], '周大成', '2026-02-02'])
  const xlsx = Buffer.from(await workbook.xlsx.writeBuffer())
  const fromXlsx = await importFeed(clerk, 'unemployment', xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  t.match(fromXlsx, { format: 'xlsx', rowsRead: 1, matched: 1, warningsRaised: 1 })

  const missing = await importFeed(clerk, 'death', csvOf([['身份证号', '姓名'], [household.idNumbers[0]!, '周大成']]))
  t.match(missing, { status: 'completed', rowsRead: 0, problems: [{ line: 1, code: 'missing_column', field: '死亡日期' }] }, 'a missing column is said at once')
  t.equal((await app.db.selectFrom('feed_imports').select('id').execute()).length, 4)
})

t.test('a department\'s system sends a feed with an API token scoped to feed.import', async t => {
  const { app, clerk } = await setUp(t)
  const household = await family(clerk, [{ birthDate: '1978-03-03' }])
  const admin = await signIn(app, 'admin')
  const user = (await app.db.selectFrom('users').select('id').where('username', '=', 'mz-county').executeTakeFirstOrThrow()).id
  const created = await admin.call({ method: 'POST', url: `/api/v1/users/${user}/tokens`, payload: { name: '区医保局数据接口', scopes: ['feed.import', 'feed.read'], expiresAt: new Date(Date.now() + 86400_000 * 30).toISOString() } })
  t.equal(created.statusCode, 201)
  const token = { cookie: '', csrf: '', call: (options: Parameters<typeof clerk.call>[0]) => app.inject({ ...options, headers: { ...options.headers, authorization: `Bearer ${created.json().token}` } }) }
  const run = await importFeed(token, 'medical', csvOf([MEDICAL, [household.idNumbers[0]!, '', '2026-02-01', '15000', '']]))
  t.match(run, { matched: 1, warningsRaised: 1 })
  t.equal((await token.call({ method: 'GET', url: '/api/v1/warnings' })).statusCode, 403, 'the token reads no warnings: not in its scopes')
  t.equal((await token.call({ method: 'GET', url: '/api/v1/households' })).statusCode, 403)
})

t.test('bills spread over batches: each is judged with every bill before it, stored in earlier batches or earlier in its own', async t => {
  const { app, clerk } = await setUp(t)
  const household = await family(clerk, [{ birthDate: '1978-03-03' }])
  const id = household.idNumbers[0]!
  // Batches of two (a feed of millions is written 10,000 at a time, the next read meanwhile):
  // 4,000 + 3,000 | 2,000 + 1,500 | 500 — the first tier (10,000) is crossed by the fourth bill.
  const csv = csvOf([MEDICAL, ...[['2026-01-02', '4000'], ['2026-01-03', '3000'], ['2026-01-04', '2000'], ['2026-01-05', '1500'], ['2026-01-06', '500']].map(([day, amount]) => [id, '', day as string, amount as string, ''])])
  const upload = { kind: 'medical' as const, fileName: 'batches.csv', format: 'csv' as const, scope: { regionPrefix: '330503' }, createdBy: null, content: Buffer.from(csv) }
  const importId = await createFeedImport(app.db, app.config.dataDir, upload)
  const outcome = await runFeed(app.db, { importId, path: feedUploadPath(app.config.dataDir, importId, 'csv'), format: 'csv', kind: 'medical', scope: upload.scope, asOf: '2026-02-11', keys: app.config, batchSize: 2 })
  t.match(outcome, { rowsRead: 5, matched: 5, unmatched: 0, invalid: 0, warningsRaised: 1 })
  const warnings = await app.db.selectFrom('warnings').select(['rule', 'evidence']).where('person_id', '=', household.personIds[0]!).execute()
  t.same(warnings.map(w => [w.rule, (w.evidence as { values: unknown }).values, (w.evidence as { feed: { line: number } }).feed.line]),
    [['spending_surge', { outOfPocket: 1500, totalInWindow: 10500, before: 9000, tier: 1, windowMonths: 12 }, 5]])
})

t.test('an import run again after a failure: what the failed run stored is skipped and still counts in the bill history', async t => {
  const { app, clerk } = await setUp(t)
  const household = await family(clerk, [{ birthDate: '1978-03-03' }])
  const id = household.idNumbers[0]!
  const bills = [['2026-01-02', '4000'], ['2026-01-03', '3000'], ['2026-01-04', '2000'], ['2026-01-05', '1500'], ['2026-01-06', '500']].map(([day, amount]) => [id, '', day as string, amount as string, ''])
  const upload = (rows: string[][]) => createFeedImport(app.db, app.config.dataDir, {
    kind: 'medical', fileName: 'bills.csv', format: 'csv', scope: { regionPrefix: '330503' }, createdBy: null, content: Buffer.from(csvOf([MEDICAL, ...rows]))
  })
  const importId = await upload(bills)
  // The failed run got as far as the first batch: its file stands in for the part it read.
  const firstPart = feedUploadPath(app.config.dataDir, await upload(bills.slice(0, 2)), 'csv')
  const run = (path: string) => runFeed(app.db, { importId, path, format: 'csv', kind: 'medical', scope: { regionPrefix: '330503' }, asOf: '2026-02-11', keys: app.config, batchSize: 2 })
  t.match(await run(firstPart), { matched: 2, warningsRaised: 0 })
  t.match(await run(feedUploadPath(app.config.dataDir, importId, 'csv')), { rowsRead: 5, matched: 3, alreadyImported: 2, warningsRaised: 1 })
  const warnings = await app.db.selectFrom('warnings').select(['rule', 'evidence']).where('person_id', '=', household.personIds[0]!).execute()
  t.same(warnings.map(w => [w.rule, (w.evidence as { values: unknown }).values, (w.evidence as { feed: { line: number } }).feed.line]),
    [['spending_surge', { outOfPocket: 1500, totalInWindow: 10500, before: 9000, tier: 1, windowMonths: 12 }, 5]], 'the fourth bill crosses the tier, judged with the two stored by the failed run')
})

t.test('records stored before, met part way through a feed: the batch is stored again with each record looked up, and the later ones too', async t => {
  const { app, clerk } = await setUp(t)
  const household = await family(clerk, [{ birthDate: '1978-03-03' }])
  const id = household.idNumbers[0]!
  const bill = (day: string) => [id, '', day, '100', '']
  const upload = (name: string, days: string[]) => createFeedImport(app.db, app.config.dataDir, {
    kind: 'medical', fileName: name, format: 'csv', scope: { regionPrefix: '330503' }, createdBy: null, content: Buffer.from(csvOf([MEDICAL, ...days.map(bill)]))
  })
  const run = (importId: number) => runFeed(app.db, { importId, path: feedUploadPath(app.config.dataDir, importId, 'csv'), format: 'csv', kind: 'medical', scope: { regionPrefix: '330503' }, asOf: '2026-02-11', keys: app.config, batchSize: 2 })
  t.match(await run(await upload('first.csv', ['2026-01-02', '2026-01-03'])), { matched: 2, alreadyImported: 0 })
  // Batches: [01-04, 01-05] new | [01-03 stored before, 01-06] | [01-02 stored before, 01-07]
  const outcome = await run(await upload('second.csv', ['2026-01-04', '2026-01-05', '2026-01-03', '2026-01-06', '2026-01-02', '2026-01-07']))
  t.match(outcome, { rowsRead: 6, matched: 4, alreadyImported: 2, invalid: 0 })
  const stored = await app.db.selectFrom('feed_records').select(['occurred_on', 'import_id']).where('person_id', '=', household.personIds[0]!).orderBy('occurred_on').execute()
  t.same(stored.map(r => r.occurred_on), ['2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05', '2026-01-06', '2026-01-07'], 'each bill stored once')
})

t.test('a record that another import is storing at that moment: skipped if that import commits it, stored if it rolls back', async t => {
  const { app, clerk } = await setUp(t)
  const household = await family(clerk, [{ birthDate: '1978-03-03' }])
  const id = household.idNumbers[0]!
  const days = ['2026-01-02', '2026-01-03']
  const upload = (name: string) => createFeedImport(app.db, app.config.dataDir, {
    kind: 'medical', fileName: name, format: 'csv', scope: { regionPrefix: '330503' }, createdBy: null, content: Buffer.from(csvOf([MEDICAL, ...days.map(day => [id, '', day, '100', ''])]))
  })
  const run = (importId: number) => runFeed(app.db, { importId, path: feedUploadPath(app.config.dataDir, importId, 'csv'), format: 'csv', kind: 'medical', scope: { regionPrefix: '330503' }, asOf: '2026-02-11', keys: app.config })
  const idIndex = blindIndex(app.config, id)
  const parsed = parseFeedRow('medical', 2, new Map([['idNumber', id], ['occurredOn', days[0]!], ['outOfPocket', '100']]), '2026-02-11').record!
  for (const end of ['COMMIT', 'ROLLBACK'] as const) {
    const other = await upload(`other-${end}.csv`)
    const mine = await upload(`mine-${end}.csv`)
    await app.db.connection().execute(async c => {
      // The other import has stored the first bill but not committed yet.
      await sql`BEGIN`.execute(c)
      await c.insertInto('feed_records').values({
        kind: 'medical', record_key: recordKey('medical', parsed, idIndex), import_id: other, line: 2, id_blind_index: idIndex, id_masked: '330503********0000',
        person_id: household.personIds[0]!, household_id: household.id, region_code: null, occurred_on: days[0]!, facts: JSON.stringify(parsed.facts), status: 'matched', reason: null
      }).execute()
      let settled = false
      const running = run(mine).finally(() => { settled = true })
      await new Promise(resolve => setTimeout(resolve, 1000))
      t.notOk(settled, `${end}: my import waits for the other's transaction`)
      await sql.raw(end).execute(c)
      const outcome = await running
      if (end === 'COMMIT') t.match(outcome, { matched: 1, alreadyImported: 1 }, 'committed by the other import: skipped')
      else t.match(outcome, { matched: 2, alreadyImported: 0 }, 'rolled back by the other import: mine stores it')
    })
    const count = await app.db.selectFrom('feed_records').select(eb => eb.fn.countAll<string>().as('n')).where('person_id', '=', household.personIds[0]!).where('occurred_on', '=', days[0]!).executeTakeFirstOrThrow()
    t.equal(Number(count.n), 1, `${end}: the first bill is stored once`)
    await app.db.deleteFrom('feed_records').where('person_id', '=', household.personIds[0]!).execute()
  }
})

t.test('a CSV with an unclosed quote: the rows before it are imported and the rest is one problem at its line', async t => {
  const { app, clerk } = await setUp(t)
  const household = await family(clerk, [{ birthDate: '1978-03-03' }])
  const id = household.idNumbers[0]!
  const csv = `${MEDICAL.join(',')}\n${id},,2026-01-02,100,\n${id},,2026-01-03,200,\n${id},"周,2026-01-04,300,\n${id},,2026-01-05,400,\n`
  const upload = { kind: 'medical' as const, fileName: 'quote.csv', format: 'csv' as const, scope: { regionPrefix: '330503' }, createdBy: null, content: Buffer.from(csv) }
  const importId = await createFeedImport(app.db, app.config.dataDir, upload)
  const outcome = await runFeed(app.db, { importId, path: feedUploadPath(app.config.dataDir, importId, 'csv'), format: 'csv', kind: 'medical', scope: upload.scope, asOf: '2026-02-11', keys: app.config })
  t.match(outcome, { rowsRead: 3, matched: 2, invalid: 1 })
  t.same(outcome.problems, [{ line: 4, field: '', code: 'unreadable_csv', reason: '第 4 行的引号没有闭合：文件可能不完整，或单元格中的引号应写成两个（""）' }])
})
