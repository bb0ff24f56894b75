import t from 'tap'
import { makeResidentId } from '../../../matching/resident-id.js'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { sql } from 'kysely'
import { today } from '../../../server/clock.js'
import { expireGradualExits } from '../../../server/registry/decisions.js'
import { addDays, addMonths, monthStart, periodEnd } from '../../../matching/dates.js'
import { loadHouseholds } from '../../../server/proposals/population.js'

const VILLAGE = '330503101001' // in 南浔镇, the town of the demo account mz-nanxun
const OTHER_VILLAGE = '330503102001'

function member (overrides: Record<string, unknown> = {}) {
  return {
    name: '王建国', idNumber: makeResidentId('330503', '1958-04-12', 11, 'male'), relation: 'head',
    laborCapacity: 'none', hasIncomeSource: false, hasAbleSupporter: false, disability: null,
    seriousIllness: false, schoolStage: 'none', employed: false, ...overrides
  }
}

function household (overrides: Record<string, unknown> = {}) {
  return {
    regionCode: VILLAGE, address: '南浔镇东大街 12 号', phone: '13905721234',
    annualIncome: 6000, rigidExpenses: { medical: 0, education: 0 }, propertyCompliant: true,
    povertyMonitoring: false, hardships: [], members: [member()], ...overrides
  }
}

t.test('registering, reading, changing and auditing a household', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')

  const created = await clerk.call({ method: 'POST', url: '/api/v1/households', payload: household() })
  t.equal(created.statusCode, 201, created.body)
  const h = created.json()
  t.equal(h.regionCode, VILLAGE)
  t.equal(h.members.length, 1)
  t.match(h.members[0], { maskedName: '王**', birthDate: '1958-04-12', sex: 'male', relation: 'head' })
  t.notMatch(created.body, /王建国|13905721234|东大街/, 'no personal data in the ordinary view')
  t.equal(h.category, 'tekun', 'aged 67, no labour capacity, income source or supporter: 特困 (over 低保, 就高)')

  const piiReads = async () => (await app.db.selectFrom('audit_records').select('id').where('action', '=', 'household.read_pii').where('record_id', '=', String(h.id)).execute()).length
  const readsBefore = await piiReads()
  const decisions = await clerk.call({ method: 'GET', url: `/api/v1/households/${h.id}/decisions` })
  t.equal(decisions.json().length, 1)
  t.equal(await piiReads(), readsBefore + 1, 'the history (traces name ages, illness and disability) is an audited read')
  t.match(decisions.json()[0], { profile: 'nanxun-2025', category: 'tekun', perCapitaMonthlyIncome: 500 })
  t.match(decisions.json()[0].trace.find((s: { rule: string }) => s.rule === 'precedence'), { inputs: { applicable: ['tekun', 'dibao'], chosen: 'tekun' } })
  t.ok(decisions.json()[0].trace.length > 0, 'the decision carries its trace')

  // The masked view still shows birth dates, disability and serious illness: health details, audited.
  const viewed = await clerk.call({ method: 'GET', url: `/api/v1/households/${h.id}` })
  t.equal(viewed.statusCode, 200)
  t.match(viewed.json().members[0], { birthDate: '1958-04-12', disability: null, seriousIllness: false })
  const viewRecord = await app.db.selectFrom('audit_records').select(['actor', 'record_id', 'region_code', 'details']).where('action', '=', 'household.read_pii').executeTakeFirstOrThrow()
  t.same(viewRecord, { actor: 'mz-nanxun', record_id: String(h.id), region_code: VILLAGE, details: { fields: ['birth_date', 'health', 'disability'] } })

  const before = await app.db.selectFrom('audit_records').select(eb => eb.fn.countAll<number>().as('n')).where('action', '=', 'household.read_pii').executeTakeFirstOrThrow()
  const pii = await clerk.call({ method: 'GET', url: `/api/v1/households/${h.id}/pii` })
  t.equal(pii.statusCode, 200)
  t.match(pii.json(), { address: '南浔镇东大街 12 号', phone: '13905721234', members: [{ name: '王建国', idNumber: member().idNumber }] })
  const after = await app.db.selectFrom('audit_records').select(eb => eb.fn.countAll<number>().as('n')).where('action', '=', 'household.read_pii').executeTakeFirstOrThrow()
  t.equal(Number(after.n), Number(before.n) + 1, 'reading full personal data leaves an audit record')

  const changed = await clerk.call({ method: 'PATCH', url: `/api/v1/households/${h.id}`, payload: { annualIncome: 200000, members: [{ id: h.members[0].id, laborCapacity: 'full', hasIncomeSource: true }] } })
  t.equal(changed.statusCode, 200, changed.body)
  t.equal(changed.json().category, 'none', 'a high income leaves every category')
  t.equal(changed.json().annualIncome, 200000)
  const history = (await clerk.call({ method: 'GET', url: `/api/v1/households/${h.id}/decisions` })).json()
  t.same(history.map((d: { category: string }) => d.category), ['none', h.category], 'the old decision is kept, newest first')

  const notMember = await clerk.call({ method: 'PATCH', url: `/api/v1/households/${h.id}`, payload: { members: [{ id: 999999, employed: true }] } })
  t.equal(notMember.statusCode, 400)
  t.equal(notMember.json().error.details[0].code, 'not_a_member')
})

t.test('一人一次, bad ID numbers and region limits', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const first = await clerk.call({ method: 'POST', url: '/api/v1/households', payload: household() })
  t.equal(first.statusCode, 201)

  const again = await clerk.call({ method: 'POST', url: '/api/v1/households', payload: household({ members: [member({ name: '王建', idNumber: member().idNumber.toLowerCase() })] }) })
  t.equal(again.statusCode, 409)
  t.equal(again.json().error.code, 'id_already_registered')
  t.match(again.json().error.details[0], { field: 'body.members.0.idNumber', householdId: first.json().id })

  const badId = member().idNumber.slice(0, 17) + (member().idNumber.endsWith('0') ? '1' : '0')
  const bad = await clerk.call({
    method: 'POST', url: '/api/v1/households',
    payload: household({ members: [member({ idNumber: badId }), member({ relation: 'spouse', idNumber: '3305031980030152' })] })
  })
  t.equal(bad.statusCode, 400)
  t.same(bad.json().error.details.map((d: { field: string, code: string }) => [d.field, d.code]), [
    ['body.members.0.idNumber', 'id_checksum'],
    ['body.members.1.idNumber', 'id_format']
  ])

  const twoHeads = await clerk.call({ method: 'POST', url: '/api/v1/households', payload: household({ members: [member({ idNumber: makeResidentId('330503', '1990-01-01', 21, 'male') }), member({ idNumber: makeResidentId('330503', '1991-01-01', 22, 'female') })] }) })
  t.equal(twoHeads.statusCode, 400)
  t.equal(twoHeads.json().error.details[0].code, 'one_head')

  const elsewhere = await clerk.call({ method: 'POST', url: '/api/v1/households', payload: household({ regionCode: OTHER_VILLAGE, members: [member({ idNumber: makeResidentId('330503', '1960-01-01', 31, 'male') })] }) })
  t.equal(elsewhere.statusCode, 403, 'a town clerk registers only in their town')

  const invalid = await clerk.call({ method: 'POST', url: '/api/v1/households', payload: { ...household(), annualIncome: -5, members: [] } })
  t.equal(invalid.statusCode, 400)
  t.same(invalid.json().error.details.map((d: { field: string }) => d.field).sort(), ['body.annualIncome', 'body.members'])
})

t.test('一人一次 across regions: refused without naming the other region\'s household, and the lookup audited', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const county = await signIn(app, 'mz-county')
  const clerk = await signIn(app, 'mz-nanxun')
  const theirs = await county.call({ method: 'POST', url: '/api/v1/households', payload: household({ regionCode: OTHER_VILLAGE }) })
  t.equal(theirs.statusCode, 201)
  const { id } = theirs.json()

  const again = await clerk.call({ method: 'POST', url: '/api/v1/households', payload: household() })
  t.equal(again.statusCode, 409)
  t.same(again.json().error.details, [{
    field: 'body.members.0.idNumber', code: 'id_already_registered',
    message: '身份证号已在其他地区登记（一人一次），请联系县级民政部门核实 (ID number already registered elsewhere: contact the county civil-affairs bureau)'
  }], 'neither the household\'s id nor its 户编号')
  t.equal(await app.db.selectFrom('households').select('id').where('region_code', '=', VILLAGE).executeTakeFirst(), undefined, 'nothing written')
  const audited = await app.db.selectFrom('audit_records').select(['action', 'actor', 'record_id', 'region_code', 'details']).where('action', '=', 'household.registered_elsewhere').execute()
  t.same(audited, [{ action: 'household.registered_elsewhere', actor: 'mz-nanxun', record_id: String(id), region_code: OTHER_VILLAGE, details: { attempted: 'household.create', regionCode: VILLAGE } }],
    'the other region\'s auditors see who looked')

  const inCounty = await county.call({ method: 'POST', url: '/api/v1/households', payload: household() })
  t.match(inCounty.json().error.details[0], { householdId: id, message: `身份证号已登记在第 ${id} 号家庭（一人一次）` }, 'inside the caller\'s region the household is named')
  t.equal((await app.db.selectFrom('audit_records').select('id').where('action', '=', 'household.registered_elsewhere').execute()).length, 1, 'and that lookup is not a cross-region one')
})

t.test('outside the reader\'s region a household is not found, masked or full, and nothing is audited', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const county = await signIn(app, 'mz-county')
  const theirs = (await county.call({ method: 'POST', url: '/api/v1/households', payload: household({ regionCode: OTHER_VILLAGE }) })).json()
  const clerk = await signIn(app, 'mz-nanxun')
  for (const url of [`/api/v1/households/${theirs.id}`, `/api/v1/households/${theirs.id}/pii`, '/api/v1/households/999999', '/api/v1/households/999999/pii']) {
    const response = await clerk.call({ method: 'GET', url })
    t.equal(response.statusCode, 404, url)
    t.equal(response.json().error.code, 'not_found')
  }
  t.same(await app.db.selectFrom('audit_records').select('id').where('action', '=', 'household.read_pii').execute(), [])
})

t.test('lists are region-scoped and searchable', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const county = await signIn(app, 'mz-county')
  const ids = [makeResidentId('330503', '1950-02-02', 41, 'male'), makeResidentId('330503', '1952-03-03', 42, 'female')]
  for (const [i, regionCode] of [VILLAGE, OTHER_VILLAGE].entries()) {
    const response = await county.call({ method: 'POST', url: '/api/v1/households', payload: household({ regionCode, members: [member({ idNumber: ids[i], name: i === 0 ? '李明' : '赵丽' })] }) })
    t.equal(response.statusCode, 201, response.body)
  }
  const all = await county.call({ method: 'GET', url: '/api/v1/households' })
  t.equal(all.json().total, 2)
  const page = await county.call({ method: 'GET', url: '/api/v1/households?limit=1&offset=1' })
  t.match(page.json(), { total: 2, items: [{ regionCode: OTHER_VILLAGE }] }, 'querystrings are still read as numbers')
  const town = await signIn(app, 'mz-nanxun')
  const mine = await town.call({ method: 'GET', url: '/api/v1/households' })
  t.equal(mine.json().total, 1, 'a town clerk sees only the town')
  t.equal(mine.json().items[0].regionCode, VILLAGE)
  const other = await town.call({ method: 'GET', url: `/api/v1/households?text=${ids[1]}` })
  t.equal(other.json().total, 0, 'not even by exact ID number')
  const byId = await county.call({ method: 'GET', url: `/api/v1/households?text=${ids[1]}` })
  t.equal(byId.json().total, 1)
  t.equal(byId.json().items[0].regionCode, OTHER_VILLAGE)
  const bySurname = await county.call({ method: 'GET', url: `/api/v1/households?text=${encodeURIComponent('李')}` })
  t.equal(bySurname.json().total, 1)
  const otherTown = await town.call({ method: 'GET', url: `/api/v1/households/${byId.json().items[0].id}` })
  t.equal(otherTown.statusCode, 404)
  const donor = await signIn(app, 'donor-person')
  t.equal((await donor.call({ method: 'GET', url: '/api/v1/households' })).statusCode, 403)
})

t.test('the assistance chain through the API', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const h = (await clerk.call({ method: 'POST', url: '/api/v1/households', payload: household() })).json()
  const entry = await clerk.call({ method: 'POST', url: `/api/v1/households/${h.id}/assistance`, payload: { kind: 'temporary_assistance', value: 1500, occurredOn: '2025-09-10', provider: '南浔镇人民政府', reference: '临救〔2025〕12号' } })
  t.equal(entry.statusCode, 201, entry.body)
  t.equal(entry.json().reversalReason, null, 'an entry that reverses nothing has no reason')
  const reversal = await clerk.call({ method: 'POST', url: `/api/v1/assistance/${entry.json().id}/reversal`, payload: { reason: '金额录入错误' } })
  t.equal(reversal.statusCode, 201)
  t.match(reversal.json(), { reference: '临救〔2025〕12号', reversalReason: '金额录入错误', reverses: entry.json().id }, 'the reversal keeps the reference and says why')
  const stored = await app.db.selectFrom('assistance_entries').select(['reference', 'reversal_reason']).where('id', '=', reversal.json().id).executeTakeFirstOrThrow()
  t.same(stored, { reference: '临救〔2025〕12号', reversal_reason: '金额录入错误' })
  const chain = await clerk.call({ method: 'GET', url: `/api/v1/households/${h.id}/assistance` })
  t.same(chain.json().map((e: { value: number, source: string, reverses: number | null, reversalReason: string | null }) => [e.source, e.value, e.reverses, e.reversalReason]),
    [['government', 1500, null, null], ['government', -1500, entry.json().id, '金额录入错误']], 'the chain says why the reversing entry was made, and nothing on the original')
})

t.test('decisions are append-only, and a household with decisions is not deleted', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const h = (await clerk.call({ method: 'POST', url: '/api/v1/households', payload: household() })).json()
  await t.rejects(sql`UPDATE category_decisions SET category = 'dibao' WHERE household_id = ${h.id}`.execute(app.db), /append-only/)
  await t.rejects(sql`DELETE FROM category_decisions WHERE household_id = ${h.id}`.execute(app.db), /append-only/)
  await t.rejects(sql`DELETE FROM households WHERE id = ${h.id}`.execute(app.db), /category_decisions/)
  t.equal((await clerk.call({ method: 'GET', url: `/api/v1/households/${h.id}/decisions` })).json().length, 1, 'the history is intact')
})

t.test('渐退期: a dibao household whose income rises keeps its category for twelve months', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const worker = member({ idNumber: makeResidentId('330503', '1975-06-06', 51, 'male'), laborCapacity: 'full', hasIncomeSource: true })
  const h = (await clerk.call({ method: 'POST', url: '/api/v1/households', payload: household({ annualIncome: 9600, members: [worker] }) })).json()
  t.equal(h.category, 'dibao', '800 a month is below the 1,200 demo standard')

  const raised = await clerk.call({ method: 'PATCH', url: `/api/v1/households/${h.id}`, payload: { annualIncome: 120000 } })
  t.equal(raised.statusCode, 200)
  const now = today()
  const end = new Date(Date.UTC(Number(now.slice(0, 4)), Number(now.slice(5, 7)) + 12, 0)).toISOString().slice(0, 10)
  t.match(raised.json(), { category: 'dibao', status: 'gradual_exit', gradualExitUntil: end }, 'benefits continue until the end of the twelfth month after this one')
  const latest = (await clerk.call({ method: 'GET', url: `/api/v1/households/${h.id}/decisions` })).json()[0]
  t.match(latest.trace.at(-1), { rule: 'gradual_exit_keeps_category', inputs: { assessedCategory: 'none', keptCategory: 'dibao', until: end }, source: '000_6379457d8a0eea12.txt 三(一)' })

  const propertyFound = await clerk.call({ method: 'PATCH', url: `/api/v1/households/${h.id}`, payload: { propertyCompliant: false } })
  t.match(propertyFound.json(), { category: 'none', status: 'exited', gradualExitUntil: null }, 'property over the limit ends the gradual exit')

  const other = (await clerk.call({ method: 'POST', url: '/api/v1/households', payload: household({ annualIncome: 9600, members: [member({ idNumber: makeResidentId('330503', '1976-07-07', 53, 'male'), laborCapacity: 'full', hasIncomeSource: true })] }) })).json()
  const both = await clerk.call({ method: 'PATCH', url: `/api/v1/households/${other.id}`, payload: { annualIncome: 120000, propertyCompliant: false } })
  t.match(both.json(), { category: 'none', status: 'exited', gradualExitUntil: null }, 'no gradual exit when property exceeds')
})

t.test('渐退期 also when 低保 moves down to 边缘, counted from the month after the income changed', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const worker = (sequence: number) => member({ idNumber: makeResidentId('330503', '1975-06-06', sequence, 'male'), laborCapacity: 'full', hasIncomeSource: true })
  const now = today()

  const h = (await clerk.call({ method: 'POST', url: '/api/v1/households', payload: household({ annualIncome: 9600, members: [worker(61)] }) })).json()
  const edge = await clerk.call({ method: 'PATCH', url: `/api/v1/households/${h.id}`, payload: { annualIncome: 18000 } })
  const end = periodEnd(monthStart(now, 1), 12)
  t.match(edge.json(), { category: 'dibao', status: 'gradual_exit', statusSince: now, gradualExitUntil: end }, '1,500 a month is 边缘 now; 低保 is kept (Nanxun 三(一))')
  const kept = (await clerk.call({ method: 'GET', url: `/api/v1/households/${h.id}/decisions` })).json()[0]
  t.match(kept.trace.at(-1), { rule: 'gradual_exit_keeps_category', inputs: { assessedCategory: 'dibao_edge', keptCategory: 'dibao' } })

  const back = await clerk.call({ method: 'PATCH', url: `/api/v1/households/${h.id}`, payload: { annualIncome: 9600 } })
  t.match(back.json(), { category: 'dibao', status: 'active', gradualExitUntil: null }, 'qualifying again ends the gradual exit')

  const earlier = addMonths(now, -3)
  const reported = await clerk.call({ method: 'PATCH', url: `/api/v1/households/${h.id}`, payload: { annualIncome: 120000, incomeChangedOn: earlier } })
  t.match(reported.json(), { status: 'gradual_exit', gradualExitUntil: periodEnd(monthStart(earlier, 1), 12) }, 'counted from the month after the income changed, not from today')

  const late = (await clerk.call({ method: 'POST', url: '/api/v1/households', payload: household({ annualIncome: 9600, members: [worker(63)] }) })).json()
  const longAgo = await clerk.call({ method: 'PATCH', url: `/api/v1/households/${late.id}`, payload: { annualIncome: 120000, incomeChangedOn: addMonths(now, -14) } })
  t.match(longAgo.json(), { category: 'none', status: 'exited', gradualExitUntil: null }, 'a gradual exit that would already have ended: out now')

  const found = (await clerk.call({ method: 'POST', url: '/api/v1/households', payload: household({ annualIncome: 9600, members: [worker(65)] }) })).json()
  const checkedOn = `${now.slice(0, 7)}-01`
  const property = await clerk.call({ method: 'PATCH', url: `/api/v1/households/${found.id}`, payload: { annualIncome: 120000, propertyCompliant: false, propertyCheckedOn: checkedOn } })
  t.match(property.json(), { status: 'exited', statusSince: monthStart(checkedOn, 1) }, 'out from the month after the check that found the property')
  const exit = (await clerk.call({ method: 'GET', url: `/api/v1/households/${found.id}/decisions` })).json()[0]
  t.match(exit.trace.find((s: { rule: string }) => s.rule === 'gradual_exit'), { result: false, source: '000_6379457d8a0eea12.txt 三(一)', inputs: { discoveredOn: checkedOn } })
})

t.test('a gradual exit needs its end date, and expires when it is reached', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const now = today()
  const noEnd = await clerk.call({ method: 'POST', url: '/api/v1/households', payload: household({ status: 'gradual_exit' }) })
  t.equal(noEnd.statusCode, 400)
  t.match(noEnd.json().error.details, [{ field: 'body.gradualExitUntil', code: 'required' }])
  const h = (await clerk.call({ method: 'POST', url: '/api/v1/households', payload: household({ annualIncome: 9600, members: [member({ idNumber: makeResidentId('330503', '1975-06-06', 71, 'male'), laborCapacity: 'full', hasIncomeSource: true })] }) })).json()
  const patchNoEnd = await clerk.call({ method: 'PATCH', url: `/api/v1/households/${h.id}`, payload: { status: 'gradual_exit' } })
  t.match(patchNoEnd.json().error.details, [{ field: 'body.gradualExitUntil', code: 'required' }])
  const endWithoutExit = await clerk.call({ method: 'PATCH', url: `/api/v1/households/${h.id}`, payload: { gradualExitUntil: '2026-12-31' } })
  t.match(endWithoutExit.json().error.details, [{ field: 'body.gradualExitUntil', code: 'not_in_gradual_exit' }])

  const raised = (await clerk.call({ method: 'PATCH', url: `/api/v1/households/${h.id}`, payload: { annualIncome: 120000 } })).json()
  const until = raised.gradualExitUntil as string
  t.equal(await expireGradualExits(app.db, until), 0, 'still running on its last day')
  t.equal(await expireGradualExits(app.db, addDays(until, 1)), 1)
  const after = (await clerk.call({ method: 'GET', url: `/api/v1/households/${h.id}` })).json()
  t.match(after, { category: 'none', status: 'exited', statusSince: addDays(until, 1), gradualExitUntil: null })
  const last = (await clerk.call({ method: 'GET', url: `/api/v1/households/${h.id}/decisions` })).json()[0]
  t.match(last, { asOf: addDays(until, 1), category: 'none' })
  t.match(last.trace.find((s: { rule: string }) => s.rule === 'gradual_exit_ended'), { result: false, inputs: { keptCategory: 'dibao', until } })
  t.match(last.trace.at(-1), { rule: 'monitored_windows', result: true, source: '000_6379457d8a0eea12.txt 四(二)', inputs: { reason: 'exited', years: 3 } }, 'exited: a monitored object for three years')
  t.ok(now <= until)
})

t.test('refused, exited and other monitored households: the status date and the window', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const now = today()
  const h = (await clerk.call({ method: 'POST', url: '/api/v1/households', payload: household({ annualIncome: 200000, propertyCheckedOn: addMonths(now, -7) }) })).json()
  t.match(h, { status: 'active', statusSince: now, monitoring: null, propertyCheck: { needsRecheck: true } }, 'a check seven months old needs redoing (six months, Hubei 二(三))')
  const refused = await clerk.call({ method: 'PATCH', url: `/api/v1/households/${h.id}`, payload: { status: 'refused', statusSince: addMonths(now, -23) } })
  t.match(refused.json(), { status: 'refused', statusSince: addMonths(now, -23), monitoring: { monitored: true, ground: 'refused', until: periodEnd(addMonths(now, -23), 24) } }, 'Nanxun: two years after a refusal')
  const old = await clerk.call({ method: 'PATCH', url: `/api/v1/households/${h.id}`, payload: { statusSince: addMonths(now, -25) } })
  t.match(old.json(), { status: 'refused', monitoring: { monitored: false, ground: 'refused' } }, 'the window has ended: no longer a monitored object')
  const decision = (await clerk.call({ method: 'GET', url: `/api/v1/households/${h.id}/decisions` })).json()[0]
  t.match(decision.trace.at(-1), { rule: 'monitored_windows', result: false, inputs: { reason: 'refused', on: addMonths(now, -25) } }, 'classification says so too')
  await clerk.call({ method: 'POST', url: `/api/v1/households/${h.id}/assistance`, payload: { kind: 'temporary_assistance', value: 800, occurredOn: addMonths(now, -2), provider: '南浔镇人民政府' } })
  t.match((await clerk.call({ method: 'GET', url: `/api/v1/households/${h.id}` })).json().monitoring, { monitored: true, ground: 'temporary_assistance' }, 'temporary assistance within a year brings it back into view')
  const other = await clerk.call({ method: 'PATCH', url: `/api/v1/households/${h.id}`, payload: { status: 'monitored_other' } })
  t.match(other.json(), { statusSince: now, monitoring: { monitored: true } })
})

t.test('members join and leave: per-capita income and category follow, the people who left are kept', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const working = { laborCapacity: 'full', hasIncomeSource: true, hasAbleSupporter: true }
  const wife = makeResidentId('330503', '1962-05-05', 23, 'female')
  const son = makeResidentId('330503', '1990-06-06', 25, 'male')
  // Two adults on 30,000 a year: 1,250 a month each, 边缘 over Nanxun's demo 低保 line of 1,200.
  const created = await clerk.call({
    method: 'POST', url: '/api/v1/households',
    payload: household({ annualIncome: 30000, members: [member(working), member({ ...working, name: '李秀英', idNumber: wife, relation: 'spouse' })] })
  })
  t.equal(created.statusCode, 201, created.body)
  const h = created.json()
  t.equal(h.category, 'dibao_edge')
  const patch = (payload: object) => clerk.call({ method: 'PATCH', url: `/api/v1/households/${h.id}`, payload })
  const latest = async () => (await clerk.call({ method: 'GET', url: `/api/v1/households/${h.id}/decisions` })).json()[0]

  // A birth: three people on the same income, 833.33 each — 低保.
  const baby = makeResidentId('330503', today(), 27, 'female')
  const born = await patch({ addMembers: [member({ name: '王小妹', idNumber: baby, relation: 'grandchild', laborCapacity: 'none' })] })
  t.equal(born.statusCode, 200, born.body)
  t.match(born.json(), { category: 'dibao', memberCount: 3, formerMembers: [] })
  t.equal(born.json().members.length, 3)
  t.match(await latest(), { category: 'dibao', perCapitaMonthlyIncome: 833.33 })
  const babyId = born.json().members.find((m: { birthDate: string }) => m.birthDate === today()).id

  // A move and a death: the people stay on record, marked, and are counted nowhere.
  const wifeId = h.members.find((m: { relation: string }) => m.relation === 'spouse').id
  const left = await patch({ removeMembers: [{ id: wifeId, reason: 'death', on: today() }, { id: babyId, reason: 'moved_out', on: today() }] })
  t.equal(left.statusCode, 200, left.body)
  t.match(left.json(), { memberCount: 1, members: [{ relation: 'head' }] })
  t.same(left.json().formerMembers.map((m: { id: number, leftOn: string, leftReason: string }) => [m.id, m.leftOn, m.leftReason]), [[wifeId, today(), 'death'], [babyId, today(), 'moved_out']])
  t.match(await latest(), { perCapitaMonthlyIncome: 2500 }, 'one person on 30,000 a year')
  t.equal((await app.db.selectFrom('persons').select('id').where('household_id', '=', h.id).execute()).length, 3, 'nobody is deleted')
  const audit = await app.db.selectFrom('audit_records').select(['before', 'after']).where('action', '=', 'household.update').orderBy('id', 'desc').executeTakeFirstOrThrow()
  t.match(audit, { before: { memberCount: 3, formerMembers: [] }, after: { memberCount: 1, formerMembers: [{ id: wifeId }, { id: babyId }] } }, 'the change is audited old → new')

  // Lists and the matcher's population count current members only.
  const listed = (await clerk.call({ method: 'GET', url: `/api/v1/households?text=${wife}` })).json()
  t.equal(listed.total, 0, 'searching by the ID number of someone who left finds nothing')
  t.equal((await clerk.call({ method: 'GET', url: `/api/v1/households?text=${member().idNumber}` })).json().items[0].memberCount, 1)
  const [record] = await loadHouseholds(app.db, { householdId: h.id }, today())
  t.same(record?.persons.map(p => p.id), [h.members.find((m: { relation: string }) => m.relation === 'head').id], 'the population has the head only')

  // Someone who moved out can be registered in their new household (一人一次 counts current members).
  const moved = await clerk.call({ method: 'POST', url: '/api/v1/households', payload: household({ members: [member({ name: '王小妹', idNumber: baby, relation: 'head' })] }) })
  t.equal(moved.statusCode, 201, moved.body)
  const clash = await patch({ addMembers: [member({ name: '王小妹', idNumber: baby, relation: 'child' })] })
  t.equal(clash.statusCode, 409, 'but not twice at once')
  t.match(clash.json().error, { code: 'id_already_registered', details: [{ field: 'body.addMembers.0.idNumber', householdId: moved.json().id }] })

  // The head dies; the son, joining, becomes head — in one change.
  const headId = left.json().members[0].id
  const succession = await patch({ removeMembers: [{ id: headId, reason: 'death', on: today() }], addMembers: [member({ ...working, name: '王强', idNumber: son, relation: 'head' })] })
  t.equal(succession.statusCode, 200, succession.body)
  t.match(succession.json(), { memberCount: 1, members: [{ relation: 'head', birthDate: '1990-06-06' }] })
})

t.test('bad member changes are refused whole, each named', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const created = (await clerk.call({
    method: 'POST', url: '/api/v1/households',
    payload: household({ members: [member(), member({ name: '李秀英', idNumber: makeResidentId('330503', '1962-05-05', 23, 'female'), relation: 'spouse' })] })
  })).json()
  const [head, spouse] = created.members as Array<{ id: number }>
  const other = (await clerk.call({ method: 'POST', url: '/api/v1/households', payload: household({ members: [member({ idNumber: makeResidentId('330503', '1970-01-01', 31, 'male') })] }) })).json()
  const patch = (payload: object) => clerk.call({ method: 'PATCH', url: `/api/v1/households/${created.id}`, payload })
  const badChecksum = (() => { const good = makeResidentId('330503', '1999-01-01', 33, 'male'); return good.slice(0, 17) + (good.endsWith('0') ? '1' : '0') })()
  const cases: Array<[string, object, Array<[string, string]>]> = [
    ['someone of another household, a day to come', { removeMembers: [{ id: other.members[0].id, reason: 'moved_out', on: today() }, { id: spouse?.id, reason: 'death', on: addDays(today(), 1) }] },
      [['body.removeMembers.0.id', 'not_a_member'], ['body.removeMembers.1.on', 'future_date']]],
    ['the same person twice', { removeMembers: [{ id: spouse?.id, reason: 'death', on: today() }, { id: spouse?.id, reason: 'other', on: today() }] }, [['body.removeMembers.1.id', 'not_a_member']]],
    ['everyone', { removeMembers: [{ id: head?.id, reason: 'death', on: today() }, { id: spouse?.id, reason: 'death', on: today() }] }, [['body.removeMembers', 'no_members_left']]],
    ['the head, with no successor', { removeMembers: [{ id: head?.id, reason: 'death', on: today() }] }, [['body.members', 'one_head']]],
    ['a second head, a bad ID number', { addMembers: [member({ idNumber: makeResidentId('330503', '1995-01-01', 35, 'male') }), member({ idNumber: badChecksum, relation: 'child' })] },
      [['body.addMembers.1.idNumber', 'id_checksum'], ['body.members', 'one_head']]],
    ['an unknown reason', { removeMembers: [{ id: spouse?.id, reason: 'divorce', on: today() }] }, [['body.removeMembers.0.reason', 'enum']]]
  ]
  for (const [name, payload, expected] of cases) {
    const response = await patch(payload)
    t.equal(response.statusCode, 400, name)
    t.same(response.json().error.details.map((d: { field: string, code: string }) => [d.field, d.code]).sort(), expected.sort(), name)
  }
  const after = (await clerk.call({ method: 'GET', url: `/api/v1/households/${created.id}` })).json()
  t.same(after.members.map((m: { id: number }) => m.id), [head?.id, spouse?.id], 'nothing changed')
  t.equal((await clerk.call({ method: 'GET', url: `/api/v1/households/${created.id}/decisions` })).json().length, 1, 'and nothing was reclassified')
  const facts = await clerk.call({ method: 'PATCH', url: `/api/v1/households/${created.id}`, payload: { removeMembers: [{ id: spouse?.id, reason: 'moved_out', on: today() }] } })
  t.equal(facts.statusCode, 200)
  const late = await clerk.call({ method: 'PATCH', url: `/api/v1/households/${created.id}`, payload: { members: [{ id: spouse?.id, employed: true }] } })
  t.equal(late.statusCode, 400, 'a member who left is not changed as a member')
  t.match(late.json().error.details, [{ code: 'not_a_member' }])
})
