import t from 'tap'
import { testApp } from '../../helpers/services.js'
import { signIn } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { createUser } from '../../../server/auth/users.js'

const CONTRACT_EXAMPLE = {
  profile: 'nanxun-2025',
  asOf: '2025-09-01',
  standards: { dibaoMonthly: 1000, edgeMultiplier: 2, minWageMonthly: 2490, disposableIncomeAnnual: 70000, lowIncomeSupportAnnual: 33334 },
  household: {
    annualIncome: 54000,
    rigidExpenses: { medical: 0, education: 0 },
    propertyCompliant: true,
    povertyMonitoring: false,
    hardships: [],
    members: [
      { birthDate: '1980-03-01', laborCapacity: 'full', hasIncomeSource: true, hasAbleSupporter: true, disability: null, seriousIllness: false, schoolStage: 'none', employed: true }
    ]
  }
}

t.test('the contract example, in demo mode without signing in', async t => {
  const app = await testApp(t, { SHANQIAO_DEMO: 'on' })
  const response = await app.inject({ method: 'POST', url: '/api/v1/eligibility/evaluate', payload: CONTRACT_EXAMPLE })
  t.equal(response.statusCode, 200, response.body)
  const body = response.json()
  t.same(Object.keys(body).sort(), ['category', 'individualDibao', 'members', 'perCapitaMonthlyIncome', 'profile', 'profileVersion', 'trace'], 'the documented shape')
  t.same(body.members, [{
    member: 0, category: 'none', reason: '家庭不属于低收入人口，本人亦无单独认定的类别', source: '001_8cb5f20805feca87.txt 四', grounds: [], lowIncomeFarmer: false
  }], 'each member\'s outcome, with the reason and the paragraph')
  // The demo employment-cost deduction is 500: 4,500 − 500 = 4,000 a month is above the edge line.
  t.match(body, { category: 'none', individualDibao: [], perCapitaMonthlyIncome: 4500, profile: 'nanxun-2025', profileVersion: /^nanxun-2025@/ })
  t.ok(body.trace.length > 0)
  for (const step of body.trace) {
    t.type(step.rule, 'string')
    t.type(step.result, 'boolean')
    t.type(step.inputs, 'object')
    t.match(step.source, /^00[0-4]_[0-9a-f]{16}\.txt \S/, `${step.rule} cites its document`)
  }

  // The response (边缘, 1,500) assumes a 3,000 deduction: with it as a standard, exactly that.
  const withDeduction = { ...CONTRACT_EXAMPLE, standards: { ...CONTRACT_EXAMPLE.standards, employmentDeductionMonthly: 3000 } }
  const documented = await app.inject({ method: 'POST', url: '/api/v1/eligibility/evaluate', payload: withDeduction })
  t.match(documented.json(), { category: 'dibao_edge', individualDibao: [], perCapitaMonthlyIncome: 1500, profile: 'nanxun-2025' })
  t.match(documented.json().members, [{ member: 0, category: 'dibao_edge', source: '000_6379457d8a0eea12.txt 二', grounds: [{ basis: 'household' }] }])
  const { n } = await app.db.selectFrom('category_decisions').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  t.equal(Number(n), 0, 'a dry run stores nothing')
})

t.test('outside demo mode it is for signed-in staff', async t => {
  const app = await testApp(t, { SHANQIAO_DEMO: 'off' })
  await insertRegionTree(app.db)
  await createUser(app.db, { username: 'clerk', displayName: '民政员', password: 'a-long-password-1', roles: ['civil_affairs'], regionCode: '330503101' })
  await createUser(app.db, { username: 'teacher', displayName: '机构', password: 'a-long-password-1', roles: ['institution'], institutionId: await institution(app) })
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/eligibility/evaluate', payload: CONTRACT_EXAMPLE })).statusCode, 401)
  const clerk = await signIn(app, 'clerk', 'a-long-password-1')
  t.equal((await clerk.call({ method: 'POST', url: '/api/v1/eligibility/evaluate', payload: CONTRACT_EXAMPLE })).statusCode, 200)
  const teacher = await signIn(app, 'teacher', 'a-long-password-1')
  t.equal((await teacher.call({ method: 'POST', url: '/api/v1/eligibility/evaluate', payload: CONTRACT_EXAMPLE })).statusCode, 403)
})

t.test('a member given only a birth date and labour capacity is not 特困 by omission', async t => {
  const app = await testApp(t, { SHANQIAO_DEMO: 'on' })
  const payload = { profile: 'nanxun-2025', asOf: '2025-09-01', household: { annualIncome: 0, propertyCompliant: true, members: [{ birthDate: '1940-01-01', laborCapacity: 'none' }] } }
  const response = await app.inject({ method: 'POST', url: '/api/v1/eligibility/evaluate', payload })
  t.equal(response.statusCode, 200, response.body)
  t.equal(response.json().category, 'dibao', 'income source and supporter default to "yes"')
  t.match(response.json().trace.find((s: { rule: string }) => s.rule === 'tekun'), { result: false, inputs: { members: [{ hasIncomeSource: true, hasAbleSupporter: true }] } })
  const stated = { ...payload, household: { ...payload.household, members: [{ birthDate: '1940-01-01', laborCapacity: 'none', hasIncomeSource: false, hasAbleSupporter: false }] } }
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/eligibility/evaluate', payload: stated })).json().category, 'tekun', 'stated explicitly, 特困')
})

async function institution (app: Awaited<ReturnType<typeof testApp>>): Promise<number> {
  const row = await app.db.insertInto('institutions').values({ name: '南浔书法培训中心', region_code: '330503101' }).returning('id').executeTakeFirstOrThrow()
  return row.id
}

t.test('every bad field is named', async t => {
  const app = await testApp(t, { SHANQIAO_DEMO: 'on' })
  const member = CONTRACT_EXAMPLE.household.members[0]
  const cases: Array<[string, unknown, string[]]> = [
    ['unknown profile', { ...CONTRACT_EXAMPLE, profile: 'atlantis-2030' }, ['body.profile']],
    ['negative money', { ...CONTRACT_EXAMPLE, household: { ...CONTRACT_EXAMPLE.household, annualIncome: -1, rigidExpenses: { medical: -5, education: 0 } } }, ['body.household.annualIncome', 'body.household.rigidExpenses.medical']],
    ['negative standard', { ...CONTRACT_EXAMPLE, standards: { dibaoMonthly: -1000 } }, ['body.standards.dibaoMonthly']],
    // rigidExpenseShare is not read by nanxun-2025: a sound value is ignored (see below), a bad one still named.
    ['standards no profile can take', { ...CONTRACT_EXAMPLE, standards: { edgeMultiplier: 0, gradualExitMonths: 1.5, rigidExpenseShare: 0.5, incomeDropShare: 1.5 } },
      ['body.standards.edgeMultiplier', 'body.standards.gradualExitMonths', 'body.standards.incomeDropShare']],
    ['a standard no profile knows', { ...CONTRACT_EXAMPLE, standards: { moonPhase: 1 } }, ['body.standards.moonPhase']],
    ['a standard above its profile\'s own limit (Gansu 三(二): 渐退期 ≤ 6 months), with bad income', {
      ...CONTRACT_EXAMPLE, profile: 'gansu-2023', standards: { gradualExitMonths: 7 }, household: { ...CONTRACT_EXAMPLE.household, annualIncome: -1 }
    }, ['body.household.annualIncome', 'body.standards.gradualExitMonths']],
    ['bad money, a bad standard and a member born after asOf, all at once', {
      ...CONTRACT_EXAMPLE, standards: { dibaoMonthly: -1 }, household: { ...CONTRACT_EXAMPLE.household, annualIncome: -1, members: [member, { ...member, birthDate: '2025-09-02' }] }
    }, ['body.household.annualIncome', 'body.household.members.1.birthDate', 'body.standards.dibaoMonthly']],
    ['caseByCase not a boolean', { ...CONTRACT_EXAMPLE, household: { ...CONTRACT_EXAMPLE.household, caseByCase: 'yes' } }, ['body.household.caseByCase']],
    ['malformed dates', { ...CONTRACT_EXAMPLE, asOf: '2025-13-01', household: { ...CONTRACT_EXAMPLE.household, members: [{ ...member, birthDate: '1980-02-30' }] } }, ['body.asOf', 'body.household.members.0.birthDate']],
    ['unknown enum values', { ...CONTRACT_EXAMPLE, household: { ...CONTRACT_EXAMPLE.household, hardships: ['bad_luck'], members: [{ ...member, laborCapacity: 'some', schoolStage: 'phd', disability: { level: 5, kind: 'other' } }] } },
      ['body.household.hardships.0', 'body.household.members.0.disability', 'body.household.members.0.laborCapacity', 'body.household.members.0.schoolStage']],
    ['empty members', { ...CONTRACT_EXAMPLE, household: { ...CONTRACT_EXAMPLE.household, members: [] } }, ['body.household.members']],
    ['unknown field', { ...CONTRACT_EXAMPLE, household: { ...CONTRACT_EXAMPLE.household, income: 5 } }, ['body.household.income']],
    // JSON bodies are not coerced: null is not 0, "54000" is not a number, "true" is not a boolean.
    ['null income', { ...CONTRACT_EXAMPLE, household: { ...CONTRACT_EXAMPLE.household, annualIncome: null } }, ['body.household.annualIncome']],
    ['income as text', { ...CONTRACT_EXAMPLE, household: { ...CONTRACT_EXAMPLE.household, annualIncome: '54000' } }, ['body.household.annualIncome']],
    ['text for booleans and a standard', {
      ...CONTRACT_EXAMPLE,
      standards: { dibaoMonthly: '1000' },
      household: { ...CONTRACT_EXAMPLE.household, propertyCompliant: 'true', members: [{ ...member, hasIncomeSource: 1, employed: null }] }
    }, ['body.household.members.0.employed', 'body.household.members.0.hasIncomeSource', 'body.household.propertyCompliant', 'body.standards.dibaoMonthly']]
  ]
  for (const [name, payload, fields] of cases) {
    const response = await app.inject({ method: 'POST', url: '/api/v1/eligibility/evaluate', payload: payload as object })
    t.equal(response.statusCode, 400, name)
    t.equal(response.json().error.code, 'validation_failed', name)
    const named = [...new Set(response.json().error.details.map((d: { field: string }) => d.field.replace(/\.(level|kind)$/, '')))].sort()
    t.same(named, fields.sort(), name)
  }
})

t.test('standards a profile does not read are ignored, and the trace names them', async t => {
  const app = await testApp(t, { SHANQIAO_DEMO: 'on' })
  const hubei = { ...CONTRACT_EXAMPLE, profile: 'hubei-2024' }
  const response = await app.inject({ method: 'POST', url: '/api/v1/eligibility/evaluate', payload: hubei })
  t.equal(response.statusCode, 200, response.body)
  const body = response.json()
  t.match(body.trace[0], {
    rule: 'standards_ignored', result: false, source: '001_8cb5f20805feca87.txt 全文',
    inputs: { ignored: { minWageMonthly: 2490, lowIncomeSupportAnnual: 33334 }, reason: /hubei-2024 不使用这些参数/ }
  })
  t.same(Object.keys(body.trace[0].inputs.ignored).sort(), ['lowIncomeSupportAnnual', 'minWageMonthly'], 'only the keys Hubei does not read')
  const readOnly = { ...hubei, standards: { dibaoMonthly: 1000, edgeMultiplier: 2, disposableIncomeAnnual: 70000 } }
  const same = (await app.inject({ method: 'POST', url: '/api/v1/eligibility/evaluate', payload: readOnly })).json()
  t.equal(body.profileVersion, same.profileVersion, 'the ignored keys change nothing')
  t.equal(body.category, same.category)
  t.notOk(same.trace.some((s: { rule: string }) => s.rule === 'standards_ignored'), 'nothing ignored, no such step')
})

t.test('a member must be born by asOf', async t => {
  const app = await testApp(t, { SHANQIAO_DEMO: 'on' })
  const member = CONTRACT_EXAMPLE.household.members[0]
  const withBirth = (birthDate: string, asOf?: string) => {
    const { asOf: _given, ...rest } = CONTRACT_EXAMPLE
    return { ...rest, ...(asOf ? { asOf } : {}), household: { ...CONTRACT_EXAMPLE.household, members: [member, { ...member, birthDate, employed: false }] } }
  }
  const tomorrow = await app.inject({ method: 'POST', url: '/api/v1/eligibility/evaluate', payload: withBirth('2025-09-02', '2025-09-01') })
  t.equal(tomorrow.statusCode, 400)
  t.match(tomorrow.json().error, { code: 'validation_failed', details: [{ field: 'body.household.members.1.birthDate', code: 'born_after_as_of', message: /2025-09-02 晚于认定日期 2025-09-01/ }] })
  t.equal(tomorrow.json().error.details.length, 1)
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/eligibility/evaluate', payload: withBirth('2025-09-01', '2025-09-01') })).statusCode, 200, 'born on the day itself')
  const future = await app.inject({ method: 'POST', url: '/api/v1/eligibility/evaluate', payload: withBirth('2999-01-01') })
  t.equal(future.statusCode, 400, 'asOf left out: today')
  t.equal(future.json().error.details[0].field, 'body.household.members.1.birthDate')
})

t.test('caseByCase brings 其他困难人员 out where the document defines it', async t => {
  const app = await testApp(t, { SHANQIAO_DEMO: 'on' })
  const rich = (profile: string, caseByCase?: boolean) => ({
    profile, asOf: '2025-09-01', household: { ...CONTRACT_EXAMPLE.household, annualIncome: 900000, ...(caseByCase === undefined ? {} : { caseByCase }) }
  })
  for (const profile of ['hubei-2024', 'jiyuan-2024', 'shanxi-county', 'gansu-2023']) {
    const decided = await app.inject({ method: 'POST', url: '/api/v1/eligibility/evaluate', payload: rich(profile, true) })
    t.equal(decided.statusCode, 200, decided.body)
    t.equal(decided.json().category, 'other', profile)
    t.match(decided.json().trace.find((s: { rule: string }) => s.rule === 'other'), { result: true, inputs: { caseByCase: true } })
    t.equal((await app.inject({ method: 'POST', url: '/api/v1/eligibility/evaluate', payload: rich(profile) })).json().category, 'none', `${profile}: left out, no such decision`)
  }
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/eligibility/evaluate', payload: rich('nanxun-2025', true) })).json().category, 'none', 'Nanxun has no 其他困难人员')
})

t.test('a member\'s monitoring that ends before it starts is refused with the other problems', async t => {
  const app = await testApp(t, { SHANQIAO_DEMO: 'on' })
  const member = { ...CONTRACT_EXAMPLE.household.members[0], povertyMonitoring: { from: '2025-03-01', until: '2025-02-28' } }
  const response = await app.inject({ method: 'POST', url: '/api/v1/eligibility/evaluate', payload: { ...CONTRACT_EXAMPLE, profile: 'hubei-2024', standards: {}, household: { ...CONTRACT_EXAMPLE.household, members: [member, { ...member, birthDate: '2026-01-01' }] } } })
  t.equal(response.statusCode, 400)
  t.same(response.json().error.details.map((d: { field: string, code: string }) => [d.field, d.code]).sort(), [
    ['body.household.members.0.povertyMonitoring.until', 'ends_before_start'],
    ['body.household.members.1.birthDate', 'born_after_as_of'],
    ['body.household.members.1.povertyMonitoring.until', 'ends_before_start']
  ])
  const monitored = await app.inject({ method: 'POST', url: '/api/v1/eligibility/evaluate', payload: { ...CONTRACT_EXAMPLE, profile: 'hubei-2024', standards: {}, household: { ...CONTRACT_EXAMPLE.household, members: [{ ...member, povertyMonitoring: { from: '2025-03-01' } }] } } })
  t.match(monitored.json(), { category: 'fanpin_monitor', members: [{ category: 'fanpin_monitor', monitoring: { from: '2025-03-01', until: null, current: true } }] })
})

