// Handling warnings: what was done (a visit keeps it open; policy applied — with help written to
// the chain —, referred, not needed close it), extensions in working days with a reason,
// referral to charity in one step, reminders before the deadline and escalation after it on the
// controlled clock (each once), the policy-gap scan, and the settings (routing, rules, calendar).
import t from 'tap'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { clockAt, csvOf, family, importFeed, monitoringWorld } from '../../helpers/monitoring.js'
import { setClock, today } from '../../../server/clock.js'
import { MAINTENANCE_TASKS } from '../../../jobs/processors/maintenance.js'
import { jobContext } from '../../helpers/worker.js'
import { PNG } from '../../helpers/needs.js'

t.teardown(() => setClock())

async function setUp (t: Parameters<typeof appWithAccounts>[0]) {
  const { app, clerk, county } = await monitoringWorld(t)
  const household = await family(clerk, [{ birthDate: '1970-01-01' }, { birthDate: '1985-05-05' }])
  // A death of a working-age member: the town's civil affairs (desk 330503101), due 3 March (10 working days over the Spring Festival).
  await importFeed(clerk, 'death', csvOf([['身份证号', '死亡日期'], [household.idNumbers[1]!, '2026-02-02']]))
  const warning = (await clerk.call({ method: 'GET', url: '/api/v1/warnings?desk=330503101' })).json().items[0]
  return { app, clerk, county, household, warning }
}

const bell = async (session: Awaited<ReturnType<typeof signIn>>) => (await session.call({ method: 'GET', url: '/api/v1/notifications' })).json().items
  .map((n: { kind: string, link: string }) => `${n.kind} ${n.link}`).sort()

t.test('reminders before the deadline and escalation after it, on the controlled clock, each once', async t => {
  const { app, clerk, county, warning } = await setUp(t)
  t.match(warning, { dueOn: '2026-03-03', rule: 'income_drop_death', deskRegion: '330503101' })
  const reminders = MAINTENANCE_TASKS['warning-reminders']!
  const context = jobContext(app)
  const link = `/work/warnings/${warning.id}`

  clockAt('2026-02-27') // Friday: the Saturday worked, 2 and 3 March: 3 working days left
  t.equal(await reminders.run(context), 0, 'three working days left: no reminder yet (remindBefore 2)')
  clockAt('2026-02-28') // the Saturday worked: 2 left
  t.equal(await reminders.run(context), 1, 'two working days left: reminded')
  t.equal(await reminders.run(context), 0, 'once')
  t.same(await bell(clerk), [`warning_due ${link}`, 'warnings_new /work/warnings'])
  t.same(await bell(county), [], 'the county is not yet involved')

  clockAt('2026-03-03')
  t.equal(await reminders.run(context), 0, 'due today: not overdue')
  clockAt('2026-03-04')
  t.equal(await reminders.run(context), 1, 'the day after: overdue')
  t.equal(await reminders.run(context), 0, 'once')
  t.same(await bell(clerk), [`warning_due ${link}`, `warning_overdue ${link}`, 'warnings_new /work/warnings'])
  t.same(await bell(county), [`warning_escalated ${link}`], 'escalated to the supervisor: the county above the town desk')
  const detail = (await clerk.call({ method: 'GET', url: `/api/v1/warnings/${warning.id}` })).json()
  t.match(detail, { overdue: true, daysLeft: -1, escalatedTo: '330503' })
  t.same(detail.events.map((e: { kind: string }) => e.kind), ['raised', 'reminded', 'overdue', 'escalated'])
})

t.test('an extension moves the deadline by working days, with the reason, and the reminders start again', async t => {
  const { app, clerk, warning } = await setUp(t)
  const reminders = MAINTENANCE_TASKS['warning-reminders']!
  clockAt('2026-03-04')
  await reminders.run(jobContext(app))
  const refused = await clerk.call({ method: 'POST', url: `/api/v1/warnings/${warning.id}/extension`, payload: { workingDays: 5 } })
  t.equal(refused.statusCode, 400, 'a reason is required')
  const extended = await clerk.call({ method: 'POST', url: `/api/v1/warnings/${warning.id}/extension`, payload: { workingDays: 5, reason: '家庭情况复杂，需召开一事一议会议' } })
  t.same(extended.json(), { dueOn: '2026-03-10', previousDueOn: '2026-03-03' }, '3 March + 5 working days')
  const detail = (await clerk.call({ method: 'GET', url: `/api/v1/warnings/${warning.id}` })).json()
  t.match(detail, { dueOn: '2026-03-10', workingDays: 15, overdue: false, daysLeft: 4 })
  t.match(detail.events.at(-1), { kind: 'extended', note: '家庭情况复杂，需召开一事一议会议', details: { from: '2026-03-03', to: '2026-03-10', workingDays: 5 } })
  clockAt('2026-03-11')
  t.equal(await reminders.run(jobContext(app)), 1, 'overdue again after the new deadline')
})

t.test('handling: a visit keeps it open; the policy applied writes the chain and closes it; a closed warning refuses', async t => {
  const { app, clerk, warning, household } = await setUp(t)
  const visit = await clerk.call({ method: 'POST', url: `/api/v1/warnings/${warning.id}/actions`, payload: { action: 'visit', note: '已入户走访，家中失去主要劳动力' } })
  t.same(visit.json(), { status: 'in_progress', assistanceEntryId: null })
  const wrong = await clerk.call({ method: 'POST', url: `/api/v1/warnings/${warning.id}/actions`, payload: { action: 'note', note: '记录', assistanceKind: 'temporary_assistance', assistanceValue: 500 } })
  t.equal(wrong.statusCode, 400, 'help is recorded with "policy applied" only')
  const upload = await clerk.call({ method: 'POST', url: `/api/v1/warnings/${warning.id}/evidence?fileName=走访记录.png`, headers: { 'content-type': 'image/png' }, payload: PNG })
  t.equal(upload.statusCode, 201)
  const applied = await clerk.call({ method: 'POST', url: `/api/v1/warnings/${warning.id}/actions`, payload: { action: 'policy_applied', note: '已发放临时救助', assistanceKind: 'temporary_assistance', assistanceValue: 2000 } })
  t.equal(applied.statusCode, 200)
  t.match(applied.json(), { status: 'closed', assistanceEntryId: Number })
  const chain = (await clerk.call({ method: 'GET', url: `/api/v1/households/${household.id}/assistance` })).json()
  t.match(chain, [{ source: 'government', kind: 'temporary_assistance', value: 2000, provider: '民政', reference: `warning:${warning.id}`, occurredOn: today() }])
  const after = await clerk.call({ method: 'POST', url: `/api/v1/warnings/${warning.id}/actions`, payload: { action: 'note', note: '补充' } })
  t.equal(after.statusCode, 409)
  t.equal(after.json().error.code, 'warning_closed')
  const detail = (await clerk.call({ method: 'GET', url: `/api/v1/warnings/${warning.id}?` })).json()
  t.match(detail, { status: 'closed', outcome: 'policy_applied' })
  t.same(detail.events.map((e: { kind: string }) => e.kind), ['raised', 'visit', 'evidence', 'policy_applied'])
  t.same(detail.files.map((f: { fileName: string }) => f.fileName), ['走访记录.png'])
  const audit = await app.db.selectFrom('audit_records').select(['action', 'region_code']).where('record_type', '=', 'warning').orderBy('id').execute()
  t.same(audit.map(a => a.action), ['warning.handle', 'warning.evidence', 'warning.handle'])
  t.equal(audit[0]?.region_code, '330503101001', 'audited under the household\'s village')
  t.equal((await clerk.call({ method: 'GET', url: '/api/v1/warnings' })).json().total, 0, 'no longer in the worklist')
  t.equal((await clerk.call({ method: 'GET', url: '/api/v1/warnings?status=closed' })).json().total, 1)
})

t.test('referral to charity: a wish for verification, or a fund application, in one step', async t => {
  const { app, clerk, warning, household } = await setUp(t)
  const incomplete = await clerk.call({ method: 'POST', url: `/api/v1/warnings/${warning.id}/referral`, payload: { kind: 'wish', category: 'daily_goods' } })
  t.equal(incomplete.statusCode, 400)
  t.equal(incomplete.json().error.details[0].field, 'body.item')
  const referred = await clerk.call({ method: 'POST', url: `/api/v1/warnings/${warning.id}/referral`, payload: { kind: 'wish', personId: household.personIds[0], category: 'daily_goods', item: '电饭煲', value: 300, story: '家里的电饭煲坏了。' } })
  t.equal(referred.statusCode, 201)
  const { wishId } = referred.json()
  t.match((await clerk.call({ method: 'GET', url: `/api/v1/wishes/${wishId}` })).json(), { state: 'submitted', item: '电饭煲', personId: household.personIds[0] })
  t.match((await clerk.call({ method: 'GET', url: `/api/v1/warnings/${warning.id}` })).json(), { status: 'closed', outcome: 'referred_to_charity' })

  // A second warning of the household, to a fund project.
  const other = await importFeed(clerk, 'disaster', csvOf([['身份证号', '灾害日期', '损失金额'], [household.idNumbers[0]!, '2026-02-01', '9000']]))
  t.equal(other.warningsRaised, 1)
  const second = (await app.db.selectFrom('warnings').select('id').where('rule', '=', 'disaster_loss').executeTakeFirstOrThrow()).id
  const organisation = (await app.db.selectFrom('organisations').select('id').executeTakeFirstOrThrow()).id
  const project = (await app.db.insertInto('projects').values({ organisation_id: organisation, kind: 'fund', title: '灾后重建互助金', budget: 50000, unit_cost: 2000, status: 'open' }).returning('id').executeTakeFirstOrThrow()).id
  const county = await signIn(app, 'mz-county')
  const fund = await county.call({ method: 'POST', url: `/api/v1/warnings/${second}/referral`, payload: { kind: 'fund', projectId: project, statement: '洪涝损失严重，申请灾后重建互助金' } })
  t.equal(fund.statusCode, 201, fund.body)
  const proposal = await app.db.selectFrom('proposals').select(['source', 'status', 'household_id', 'cost']).where('id', '=', fund.json().proposalId).executeTakeFirstOrThrow()
  t.same(proposal, { source: 'application', status: 'open', household_id: household.id, cost: 2000 })
})

t.test('the policy-gap scan: job recommendations too few, stale economic checks; once per period', async t => {
  const { app, clerk, household } = await setUp(t)
  const jobless = await family(clerk, [{ birthDate: '1988-08-08' }], { propertyCheckedOn: '2026-01-10' })
  const stale = await family(clerk, [{ birthDate: '1950-05-05', laborCapacity: 'none' }], { propertyCheckedOn: '2025-06-30' })
  await importFeed(clerk, 'unemployment', csvOf([['身份证号', '登记日期'], [jobless.idNumbers[0]!, '2026-01-12']]))
  await importFeed(clerk, 'assistance', csvOf([['身份证号', '救助日期', '救助类型', '金额', '实施部门', '业务编号'], [jobless.idNumbers[0]!, '2026-02-01', '岗位推介', '0', '区人力社保局', 'RS-1']]))
  const scan = MAINTENANCE_TASKS['warning-policy-gaps']!
  clockAt('2026-02-11')
  t.equal(await scan.run(jobContext(app)), 1, 'in February: only the check of June 2025, valid to 29 December, is stale')
  clockAt('2026-10-15')
  t.equal(await scan.run(jobContext(app)), 3, 'in October: one job recommendation of three for the jobless member, and the January checks are stale too')
  t.equal(await scan.run(jobContext(app)), 0, 'nothing twice')
  const rows = await app.db.selectFrom('warnings').select(['person_id', 'rule', 'cause', 'warning_class', 'department', 'desk_region'])
    .where('rule', 'in', ['job_recommendation_gap', 'economic_check_stale']).orderBy('rule', 'desc').orderBy('person_id').execute()
  t.same(rows, [
    { person_id: jobless.personIds[0], rule: 'job_recommendation_gap', cause: 'job_recommendation_gap:2026', warning_class: 'policy_not_applied', department: 'human_resources', desk_region: '330503' },
    { person_id: household.personIds[0], rule: 'economic_check_stale', cause: 'economic_check_stale:2026-01-05', warning_class: 'policy_not_applied', department: 'civil_affairs', desk_region: '330503101' },
    { person_id: jobless.personIds[0], rule: 'economic_check_stale', cause: 'economic_check_stale:2026-01-10', warning_class: 'policy_not_applied', department: 'civil_affairs', desk_region: '330503101' },
    { person_id: stale.personIds[0], rule: 'economic_check_stale', cause: 'economic_check_stale:2025-06-30', warning_class: 'policy_not_applied', department: 'civil_affairs', desk_region: '330503101' }
  ])
})

t.test('settings: the routing table, rule versions and the calendar (administrators; read by staff)', async t => {
  const { app, clerk } = await setUp(t)
  const admin = await signIn(app, 'admin')
  const table = (await clerk.call({ method: 'GET', url: '/api/v1/monitoring/routes' })).json()
  t.equal(table.length, 11)
  t.equal((await clerk.call({ method: 'PUT', url: '/api/v1/monitoring/routes', payload: { warningClass: 'new_hardship', cause: 'income_drop_death', department: 'civil_affairs', level: 'county', note: '区民政局统一处理' } })).statusCode, 403)
  const set = await admin.call({ method: 'PUT', url: '/api/v1/monitoring/routes', payload: { warningClass: 'new_hardship', cause: 'income_drop_death', department: 'civil_affairs', level: 'county', note: '区民政局统一处理' } })
  t.equal(set.statusCode, 200)
  const household = await family(clerk, [{ birthDate: '1970-01-01' }, { birthDate: '1980-01-01' }])
  await importFeed(clerk, 'death', csvOf([['身份证号', '死亡日期'], [household.idNumbers[1]!, '2026-02-02']]))
  const raised = await app.db.selectFrom('warnings').select(['desk_region']).where('person_id', '=', household.personIds[1]!).executeTakeFirstOrThrow()
  t.equal(raised.desk_region, '330503', 'the edited row routes the next warning to the county')

  const version = { profile: 'nanxun-2025', rule: 'disaster_loss', enabled: true, params: { threshold: 20000, complexAt: 100000 }, effectiveFrom: '2026-02-11', note: '区应急管理局 2026 年标准' }
  t.equal((await admin.call({ method: 'POST', url: '/api/v1/monitoring/rules', payload: { ...version, params: { threshold: 20000 } } })).statusCode, 400)
  t.equal((await admin.call({ method: 'POST', url: '/api/v1/monitoring/rules', payload: version })).statusCode, 201)
  t.equal((await admin.call({ method: 'POST', url: '/api/v1/monitoring/rules', payload: version })).statusCode, 409, 'one version per rule and day')
  const rules = (await clerk.call({ method: 'GET', url: '/api/v1/monitoring/rules?profile=nanxun-2025' })).json()
  t.match(rules.find((r: { rule: string }) => r.rule === 'disaster_loss'), { effectiveFrom: '2026-02-11', params: [{ name: 'threshold', value: 20000 }, { name: 'complexAt', value: 100000 }], versions: [{ staff: false }, { staff: true }] })
  t.equal((await importFeed(clerk, 'disaster', csvOf([['身份证号', '灾害日期', '损失金额'], [household.idNumbers[0]!, '2026-02-01', '9000']]))).warningsRaised, 0, '¥9,000 is below the new threshold')

  const calendar = (await clerk.call({ method: 'GET', url: '/api/v1/monitoring/calendar' })).json()
  t.match(calendar.find((y: { year: number }) => y.year === 2026), { source: /^chinese-days / })
  t.ok(calendar.find((y: { year: number }) => y.year === 2026).days.some((d: { day: string, kind: string }) => d.day === '2026-02-14' && d.kind === 'workday'))
  const year = await admin.call({ method: 'PUT', url: '/api/v1/monitoring/calendar/2027', payload: { days: [{ day: '2027-02-06', kind: 'holiday', name: '春节' }, { day: '2027-01-31', kind: 'workday', name: '春节调休上班' }], note: '国办发明电〔2026〕X号（测试）' } })
  t.same(year.json(), { year: 2027, days: 2 })
  t.equal((await admin.call({ method: 'PUT', url: '/api/v1/monitoring/calendar/2027', payload: { days: [{ day: '2026-02-06', kind: 'holiday', name: '春节' }], note: '错年份' } })).statusCode, 400, 'a day of another year')
  const far = await admin.call({ method: 'PUT', url: '/api/v1/monitoring/calendar/2101', payload: { days: [], note: '太远' } })
  t.same([far.statusCode, far.json().error.details], [400, [{ field: 'params.year', code: 'maximum', message: '年份须在 2000 到 2100 之间' }]], 'years 2000–2100')
  const y2027 = (await clerk.call({ method: 'GET', url: '/api/v1/monitoring/calendar' })).json().find((y: { year: number }) => y.year === 2027)
  t.match(y2027, { source: 'admin：国办发明电〔2026〕X号（测试）', days: [{ day: '2027-01-31', kind: 'workday' }, { day: '2027-02-06', kind: 'holiday' }] })
})
