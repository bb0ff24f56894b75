// Decisions about persons in the registry: each member's outcome is stored with the decision and
// shown on the household, in its history and along the assistance chain; a dry run says what a
// reclassification would change and writes nothing.
import t from 'tap'
import { makeResidentId } from '../../../matching/resident-id.js'
import { addDays } from '../../../matching/dates.js'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { today } from '../../../server/clock.js'
import { reclassifyStale } from '../../../server/registry/decisions.js'
import { sql } from 'kysely'

const VILLAGE = '330503102001' // 双林村, an administrative village, in the county clerk's reach
const COMMUNITY = '330503101001' // 东大街社区, an urban community
const NANXUN_2 = '000_6379457d8a0eea12.txt 二'
const JIYUAN = '419001100001'

const person = (sequence: number, born: string, overrides: Record<string, unknown> = {}) => ({
  name: '沈建华', idNumber: makeResidentId('330503', born, sequence, 'male'), relation: 'head',
  laborCapacity: 'full', hasIncomeSource: true, hasAbleSupporter: true, seriousIllness: false, employed: false, ...overrides
})
/** A mother of 80 without labour, income or anyone able to support her: 特困 in her own right. */
const mother = (sequence: number) => person(sequence, '1945-02-02', { name: '沈阿婆', relation: 'parent', laborCapacity: 'none', hasIncomeSource: false, hasAbleSupporter: false, hukou: 'rural' })

/** 1,500 a month each (the demo 低保 line is 1,200, the edge line 2,400): an edge household of three. */
const edgeHousehold = (regionCode: string, base: number) => ({
  regionCode, annualIncome: 54000, propertyCompliant: true,
  members: [
    person(base, '1975-05-05', { hukou: 'rural' }),
    mother(base + 2),
    person(base + 4, '2003-09-09', { name: '沈小明', relation: 'child', hukou: 'urban' })
  ]
})

t.test('each member\'s outcome is stored with the decision and shown on the household and in its history', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-county')
  const created = await clerk.call({ method: 'POST', url: '/api/v1/households', payload: edgeHousehold(VILLAGE, 11) })
  t.equal(created.statusCode, 201, created.body)
  const h = created.json()
  t.equal(h.category, 'dibao_edge')
  const [head, parent, child] = h.members
  t.match(head, { hukou: 'rural', publicSector: false, povertyMonitoring: null, decision: { category: 'dibao_edge', source: NANXUN_2, grounds: [{ basis: 'household' }], lowIncomeFarmer: true } })
  t.match(parent, { decision: { category: 'tekun', reason: /特困人员按人认定/, grounds: [{ basis: 'tekun' }, { basis: 'household', category: 'dibao_edge' }], lowIncomeFarmer: true } })
  t.match(child, { hukou: 'urban', decision: { category: 'dibao_edge', lowIncomeFarmer: false } }, 'urban 户籍: not a 低收入农户')
  t.notOk('personId' in head.decision, 'the member the outcome is shown on is the person')

  const [decision] = (await clerk.call({ method: 'GET', url: `/api/v1/households/${h.id}/decisions` })).json()
  t.same(decision.members.map((m: { personId: number, category: string }) => [m.personId, m.category]), [[head.id, 'dibao_edge'], [parent.id, 'tekun'], [child.id, 'dibao_edge']])
  t.match(decision.trace.find((s: { rule: string }) => s.rule === 'person_outcomes'), { inputs: { own: [{ member: 1, category: 'tekun' }] } })
  t.match(h.decision, { id: decision.id, category: 'dibao_edge', profile: 'nanxun-2025', asOf: today() }, 'the view names the decision its outcomes come from')

  // The same family in an urban community: none of them is a 低收入农户 (Nanxun 三(五): 行政村内).
  const town = (await clerk.call({ method: 'POST', url: '/api/v1/households', payload: edgeHousehold(COMMUNITY, 21) })).json()
  t.same(town.members.map((m: { decision: { lowIncomeFarmer: boolean } }) => m.decision.lowIncomeFarmer), [false, false, false])

  // A member who joins is decided with the household: four on 54,000 a year is 1,125 a month each, 低保.
  const joined = await clerk.call({ method: 'PATCH', url: `/api/v1/households/${h.id}`, payload: { addMembers: [person(31, '2005-01-01', { name: '沈小红', relation: 'child', hukou: 'rural' })] } })
  t.equal(joined.statusCode, 200, joined.body)
  t.same(joined.json().members.map((m: { decision: { category: string } }) => m.decision.category), ['dibao', 'tekun', 'dibao', 'dibao'])
  t.match(joined.json().members.at(-1), { decision: { lowIncomeFarmer: true } })
})

t.test('a person\'s monitoring, 户籍 and public-sector post change by PATCH; monitoring must end after it starts', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  await app.db.insertInto('regions').values([
    { code: '419001', name: '济源示范区', level: 'county', parent_code: null },
    { code: '419001100', name: '克井镇', level: 'town', parent_code: '419001' },
    { code: JIYUAN, name: '东许村', level: 'village', parent_code: '419001100' }
  ]).execute()
  await app.db.insertInto('region_policies').values({ region_code: '419001', profile: 'jiyuan-2024' }).execute()
  const admin = await signIn(app, 'admin')
  const now = today()
  const since = addDays(now, -200)
  const monitored = person(41, '1970-01-01', { povertyMonitoring: { from: since } })
  const created = await admin.call({ method: 'POST', url: '/api/v1/households', payload: { regionCode: JIYUAN, annualIncome: 200000, propertyCompliant: true, members: [monitored, person(43, '1972-02-02', { relation: 'spouse' })] } })
  t.equal(created.statusCode, 201, created.body)
  const h = created.json()
  t.equal(h.category, 'fanpin_monitor', 'a monitored member makes a monitored household (Jiyuan 二(二)3)')
  t.match(h.members[0], { povertyMonitoring: { from: since, until: null }, decision: { category: 'fanpin_monitor', grounds: [{ basis: 'poverty_monitoring' }], monitoring: { from: since, until: null, current: true } } })
  t.match(h.members[1], { povertyMonitoring: null, decision: { category: 'fanpin_monitor', grounds: [{ basis: 'household' }] } })

  const backwards = await admin.call({ method: 'PATCH', url: `/api/v1/households/${h.id}`, payload: { members: [{ id: h.members[0].id, povertyMonitoring: { from: since, until: addDays(since, -1) } }] } })
  t.equal(backwards.statusCode, 400)
  t.match(backwards.json().error.details, [{ field: 'body.members.0.povertyMonitoring.until', code: 'ends_before_start' }])

  const endedOn = addDays(now, -1)
  const ended = await admin.call({ method: 'PATCH', url: `/api/v1/households/${h.id}`, payload: { members: [{ id: h.members[0].id, povertyMonitoring: { from: since, until: endedOn }, hukou: 'rural', publicSector: true }] } })
  t.equal(ended.statusCode, 200, ended.body)
  t.match(ended.json(), { category: 'none', status: 'active' })
  t.match(ended.json().members[0], { hukou: 'rural', publicSector: true, povertyMonitoring: { from: since, until: endedOn }, decision: { category: 'none', monitoring: { current: false } } })
  const [last] = (await admin.call({ method: 'GET', url: `/api/v1/households/${h.id}/decisions` })).json()
  t.match(last.trace.find((s: { rule: string }) => s.rule === 'poverty_monitoring_ended'), {
    result: false, source: '002_652007ff225b11c2.txt 二(二)3', inputs: { previousCategory: 'fanpin_monitor', assessedCategory: 'none', monitoringEndedOn: endedOn, gradualExit: /不适用渐退期/ }
  })
})

t.test('a dry run says what reclassifying would change, per household and per person, and writes nothing', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-county')
  const h = (await clerk.call({ method: 'POST', url: '/api/v1/households', payload: edgeHousehold(VILLAGE, 51) })).json()
  const [head, parent, child] = h.members
  const decisions = async () => Number((await app.db.selectFrom('category_decisions').select(eb => eb.fn.countAll<number>().as('n')).where('household_id', '=', h.id).executeTakeFirstOrThrow()).n)

  const unchanged = await clerk.call({ method: 'POST', url: `/api/v1/households/${h.id}/reclassify`, payload: { dryRun: true } })
  t.equal(unchanged.statusCode, 200, unchanged.body)
  t.same(unchanged.json().comparison, { same: true, changes: [], members: [] }, 'nothing has changed since the decision')

  // The county raises the 低保 standard to 1,600 from today: the family is 低保 now.
  const admin = await signIn(app, 'admin')
  const raised = await admin.call({ method: 'POST', url: '/api/v1/policy/profiles/nanxun-2025/parameters', payload: { key: 'dibaoMonthly', value: 1600, effectiveFrom: today(), note: '南浔区民政局 新标准' } })
  t.equal(raised.statusCode, 201, raised.body)
  const preview = (await clerk.call({ method: 'POST', url: `/api/v1/households/${h.id}/reclassify`, payload: { dryRun: true } })).json()
  t.match(preview, { asOf: today(), current: { category: 'dibao_edge', status: 'active' }, next: { category: 'dibao', status: 'active' } })
  t.same(preview.comparison.changes.map((c: { field: string, says: string }) => c.field), ['category', 'profileVersion'])
  t.equal(preview.comparison.changes[0].says, '家庭类别：最低生活保障边缘家庭 → 最低生活保障对象')
  t.same(preview.comparison.members.map((m: { personId: number, kind: string, says: string }) => [m.personId, m.kind, m.says]), [
    [head.id, 'changed', '最低生活保障边缘家庭 → 最低生活保障对象'],
    [child.id, 'changed', '最低生活保障边缘家庭 → 最低生活保障对象']
  ], 'the mother stays 特困 and is not listed')
  t.same(preview.next.members.map((m: { personId: number }) => m.personId), [head.id, parent.id, child.id])
  t.equal(await decisions(), 1, 'nothing was stored')
  t.equal((await clerk.call({ method: 'GET', url: `/api/v1/households/${h.id}` })).json().category, 'dibao_edge')
  const audited = await app.db.selectFrom('audit_records').select(['details']).where('action', '=', 'household.read_pii').where('record_id', '=', String(h.id)).execute()
  t.ok(audited.length >= 3, 'each dry run, like each view, is a read of health details')

  const done = (await clerk.call({ method: 'POST', url: `/api/v1/households/${h.id}/reclassify`, payload: {} })).json()
  t.match(done, { category: 'dibao', profileVersion: preview.next.profileVersion })
  t.equal(await decisions(), 2)
})

t.test('a 渐退期 keeps the household\'s category for each member', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-county')
  const h = (await clerk.call({ method: 'POST', url: '/api/v1/households', payload: { regionCode: VILLAGE, annualIncome: 9600, propertyCompliant: true, members: [person(61, '1975-06-06')] } })).json()
  t.equal(h.category, 'dibao')
  const raised = (await clerk.call({ method: 'PATCH', url: `/api/v1/households/${h.id}`, payload: { annualIncome: 120000 } })).json()
  t.match(raised, { category: 'dibao', status: 'gradual_exit' })
  t.match(raised.members[0].decision, { category: 'dibao', reason: '渐退期内继续享受原救助保障待遇（最低生活保障对象）', source: '000_6379457d8a0eea12.txt 三(一)', grounds: [{ basis: 'gradual_exit' }] })
})

t.test('the chain shows the category, household\'s and person\'s, each help was given under', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-county')
  const h = (await clerk.call({ method: 'POST', url: '/api/v1/households', payload: edgeHousehold(VILLAGE, 71) })).json()
  const parent = h.members[1]
  const append = (payload: Record<string, unknown>) => clerk.call({ method: 'POST', url: `/api/v1/households/${h.id}/assistance`, payload: { kind: 'medical_assistance', value: 800, provider: '区医保局', ...payload } })
  t.equal((await append({ personId: parent.id, occurredOn: today() })).statusCode, 201)
  t.equal((await append({ occurredOn: today(), kind: 'temporary_assistance' })).statusCode, 201)
  t.equal((await append({ personId: parent.id, occurredOn: addDays(today(), -30) })).statusCode, 201)
  const chain = (await clerk.call({ method: 'GET', url: `/api/v1/households/${h.id}/assistance` })).json()
  const decisionId = h.decision.id
  t.same(chain.map((e: { standing: unknown }) => e.standing), [
    null,
    { decisionId, asOf: today(), householdCategory: 'dibao_edge', person: parent.decision },
    { decisionId, asOf: today(), householdCategory: 'dibao_edge', person: null }
  ], 'help before the first decision has no standing; the mother\'s help was given to a 特困 person')
})

t.test('households decided before outcomes per person were kept are decided again by the hourly task', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-county')
  const h = (await clerk.call({ method: 'POST', url: '/api/v1/households', payload: edgeHousehold(VILLAGE, 81) })).json()
  t.equal(await reclassifyStale(app.db, today()), 0, 'a current decision with its members is not stale')
  // A decision as made before migration 0030: the same, without members.
  await sql`INSERT INTO category_decisions (household_id, as_of, profile, profile_version, category, per_capita_monthly_income, trace)
    SELECT household_id, as_of, profile, profile_version, category, per_capita_monthly_income, trace FROM category_decisions WHERE household_id = ${h.id}`.execute(app.db)
  t.same((await clerk.call({ method: 'GET', url: `/api/v1/households/${h.id}` })).json().members.map((m: { decision: unknown }) => m.decision), [null, null, null], 'the view shows no outcome it does not have')
  t.equal(await reclassifyStale(app.db, today()), 1)
  const [latest] = (await clerk.call({ method: 'GET', url: `/api/v1/households/${h.id}/decisions` })).json()
  t.same(latest.members.map((m: { category: string }) => m.category), ['dibao_edge', 'tekun', 'dibao_edge'])
  t.equal(await reclassifyStale(app.db, today()), 0)
})

