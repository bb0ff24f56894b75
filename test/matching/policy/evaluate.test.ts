import t from 'tap'
import { evaluate, PROFILES, PROFILE_IDS, type EvaluateRequest, type Household, type Member } from '../../../matching/policy/index.js'
import { CATEGORIES } from '../../../matching/domain.js'

const ASOF = '2025-09-01'
const adult = (overrides: Partial<Member> = {}): Member => ({
  birthDate: '1980-03-01', laborCapacity: 'full', hasIncomeSource: true, hasAbleSupporter: true,
  disability: null, seriousIllness: false, schoolStage: 'none', employed: false, ...overrides
})
const household = (overrides: Partial<Household> = {}): Household => ({
  annualIncome: 0, rigidExpenses: { medical: 0, education: 0 }, propertyCompliant: true,
  povertyMonitoring: false, hardships: [], members: [adult()], ...overrides
})
// Nanxun with round numbers: dibao 1000, edge line min(2000, wage 2490) = 2000, disposable 70000/yr.
const NANXUN = { dibaoMonthly: 1000, edgeMultiplier: 2, minWageMonthly: 2490, disposableIncomeAnnual: 70000, lowIncomeSupportAnnual: 33334 }
const run = (profile: string, h: Household, standards: EvaluateRequest['standards'] = NANXUN) =>
  evaluate({ profile, asOf: ASOF, household: h, ...(standards ? { standards } : {}) })
/** Annual income giving this per-capita monthly income for a household of `size`. */
const yearly = (monthly: number, size = 1) => monthly * 12 * size

t.test('the API contract example', async t => {
  const result = run('nanxun-2025', household({ annualIncome: 54000, members: [adult({ employed: true })] }))
  t.equal(result.category, 'dibao_edge')
  t.same(result.individualDibao, [])
  t.equal(result.perCapitaMonthlyIncome, 1500, '4,500 a month less the 3,000 employment-cost deduction')
  t.equal(result.profile, 'nanxun-2025')
  t.match(result.profileVersion, /^nanxun-2025@2025-09-01#[0-9a-f]{8}\+override$/)
  const deduction = result.trace.find(s => s.rule === 'assessed_income')
  t.match(deduction, { source: '000_6379457d8a0eea12.txt 三(一)', inputs: { employedMembers: 1, employmentDeductionMonthly: 3000 } })
  t.match(result.trace.find(s => s.rule === 'dibao_edge'), { result: true, source: '000_6379457d8a0eea12.txt 二' })
  t.match(result.trace.find(s => s.rule === 'precedence'), { inputs: { applicable: ['dibao_edge'], chosen: 'dibao_edge' }, source: '001_8cb5f20805feca87.txt 四' })
})

t.test('Nanxun income boundaries: 低于, 超过 and the minimum-wage cap', async t => {
  const cases: Array<[string, number, Partial<typeof NANXUN>, string]> = [
    ['just below the dibao line', 999.99, {}, 'dibao'],
    ['exactly the dibao line: not below it, not above it', 1000, {}, 'none'],
    ['just above the dibao line', 1000.01, {}, 'dibao_edge'],
    ['just below 2× dibao', 1999.99, {}, 'dibao_edge'],
    ['exactly 2× dibao: not below the edge line (低于), not above it (超过)', 2000, {}, 'none'],
    ['just above 2× dibao', 2000.01, {}, 'low_income_support'],
    ['cap binds: wage 1800 < 2× dibao; at the wage (不超过)', 1800, { minWageMonthly: 1800 }, 'dibao_edge'],
    ['cap binds: just above the wage', 1800.01, { minWageMonthly: 1800 }, 'low_income_support']
  ]
  for (const [name, monthly, standards, expected] of cases) {
    t.equal(run('nanxun-2025', household({ annualIncome: yearly(monthly) }), { ...NANXUN, ...standards }).category, expected, name)
  }
})

t.test('Nanxun 低收入帮扶: both branches and their boundaries', async t => {
  const line = 33334
  t.equal(run('nanxun-2025', household({ annualIncome: line - 1 })).category, 'low_income_support', 'above the edge line, below ¥33,334')
  t.equal(run('nanxun-2025', household({ annualIncome: line })).category, 'none', '¥33,334 itself is not below it')
  const excluded = household({ annualIncome: yearly(1500), propertyCompliant: false })
  t.equal(run('nanxun-2025', excluded).category, 'none', 'property excluded without a hardship')
  t.equal(run('nanxun-2025', { ...excluded, hardships: ['serious_illness'] }).category, 'low_income_support', 'property excluded with a serious illness')
  const atEdge = run('nanxun-2025', household({ annualIncome: yearly(2000), propertyCompliant: false, hardships: ['accident'] }))
  t.equal(atEdge.category, 'low_income_support', 'at the edge line counts (含等于)')
  t.match(atEdge.trace.find(s => s.rule === 'low_income_support'), { inputs: { branchPropertyExcludedWithHardship: true, branchAboveEdge: false } })
})

t.test('rigid-expense variants', async t => {
  // Nanxun: after medical and education spending, per-capita income below the edge line.
  const nanxun = household({ annualIncome: yearly(3000), rigidExpenses: { medical: 20000, education: 0 } })
  t.equal(run('nanxun-2025', nanxun).category, 'rigid_expense', '(36,000 − 20,000) / 12 = 1,333 < 2,000')
  t.equal(run('nanxun-2025', { ...nanxun, rigidExpenses: { medical: 12000, education: 0 } }).category, 'none', '2,000 is not below 2,000 (and 36,000 a year is above ¥33,334)')
  t.equal(run('nanxun-2025', household({ annualIncome: yearly(1000) })).category, 'none', 'no rigid spending, no rigid-expense household')
  t.equal(run('nanxun-2025', { ...nanxun, annualIncome: 70000, rigidExpenses: { medical: 60000, education: 0 } }).category, 'none', 'not below last year\'s disposable income')
  // Jiyuan: medical + education ≥ 50% of household income (达到 50% 以上).
  const jiyuan = { dibaoMonthly: 700, edgeMultiplier: 2, disposableIncomeAnnual: 38000 }
  const base = household({ annualIncome: 40000, members: [adult(), adult({ birthDate: '1982-01-01' })] })
  t.equal(run('jiyuan-2024', { ...base, rigidExpenses: { medical: 15000, education: 5000 } }, jiyuan).category, 'rigid_expense', 'exactly 50%')
  t.equal(run('jiyuan-2024', { ...base, rigidExpenses: { medical: 15000, education: 4999 } }, jiyuan).category, 'none', 'just under 50%')
  t.equal(run('jiyuan-2024', { ...base, annualIncome: 76000, rigidExpenses: { medical: 40000, education: 0 } }, jiyuan).category, 'none', '38,000 per person is not below 38,000')
  // Shanxi: driven by illness, disaster or accident.
  t.equal(run('shanxi-county', household({ annualIncome: 50000, hardships: ['disaster'] }), { dibaoMonthly: 650 }).category, 'rigid_expense')
  t.equal(run('shanxi-county', household({ annualIncome: 50000, hardships: ['other_special'] }), { dibaoMonthly: 650 }).category, 'none')
})

t.test('tekun, dibao and 就高', async t => {
  const alone = adult({ birthDate: '1950-01-01', laborCapacity: 'none', hasIncomeSource: false, hasAbleSupporter: false })
  const tekun = run('nanxun-2025', household({ members: [alone] }))
  t.equal(tekun.category, 'tekun')
  t.same(tekun.trace.find(s => s.rule === 'precedence')?.inputs.applicable, ['tekun', 'dibao'], 'also dibao, but tekun ranks higher')
  t.equal(run('nanxun-2025', household({ members: [{ ...alone, birthDate: '1970-01-01' }] })).category, 'dibao', 'a 55-year-old without disability is not tekun')
  t.equal(run('nanxun-2025', household({ members: [{ ...alone, birthDate: '1970-01-01', disability: { level: 4, kind: 'physical' } }] })).category, 'tekun', 'disabled')
  t.equal(run('nanxun-2025', household({ members: [{ ...alone, hasAbleSupporter: true }] })).category, 'dibao', 'a supporter rules out tekun')
  t.equal(run('nanxun-2025', household({ propertyCompliant: false })).category, 'none', 'dibao needs compliant property')
  const monitored = household({ annualIncome: yearly(1500), povertyMonitoring: true })
  t.equal(run('jiyuan-2024', monitored, { dibaoMonthly: 700, edgeMultiplier: 2 }).category, 'fanpin_monitor', 'fanpin_monitor outranks dibao_edge')
  t.equal(run('nanxun-2025', monitored).category, 'dibao_edge', 'Nanxun does not define fanpin_monitor')
})

t.test('单人保 in edge households', async t => {
  const members = [
    adult(),
    adult({ disability: { level: 2, kind: 'physical' } }),
    adult({ disability: { level: 3, kind: 'intellectual' } }),
    adult({ disability: { level: 3, kind: 'mental' } }),
    adult({ disability: { level: 3, kind: 'physical' } }),
    adult({ disability: { level: 1, kind: 'visual' } }),
    adult({ seriousIllness: true }),
    adult({ disability: { level: 4, kind: 'intellectual' } })
  ]
  const edge = household({ annualIncome: yearly(800, members.length), members })
  const shanxi = run('shanxi-county', edge, { dibaoMonthly: 650, edgeMultiplier: 1.5 })
  t.equal(shanxi.category, 'dibao_edge')
  t.same(shanxi.individualDibao, [1, 2, 3, 5, 6])
  t.match(shanxi.trace.find(s => s.rule === 'individual_dibao'), { source: '003_36aac0a6461aae9a.txt 工作任务(三)1(2)' })
  t.same(run('nanxun-2025', edge).individualDibao, [], 'Nanxun\'s document has no 单人保')
  t.same(run('shanxi-county', household({ annualIncome: 0, members }), { dibaoMonthly: 650 }).individualDibao, [], 'only for edge households')
})

t.test('each profile yields only its own categories', async t => {
  for (const id of PROFILE_IDS) {
    const profile = PROFILES[id]
    for (const category of CATEGORIES) {
      const traced = run(id, household({ caseByCase: true, povertyMonitoring: true }), undefined).trace.some(s => s.rule === category)
      t.equal(traced, profile.categories.includes(category), `${id} ${category}`)
    }
  }
  t.equal(run('hubei-2024', household({ annualIncome: 900000, caseByCase: true }), undefined).category, 'other')
  t.equal(run('nanxun-2025', household({ annualIncome: 900000, caseByCase: true }), undefined).category, 'none', 'Nanxun has no 其他困难人员')
})

t.test('Gansu deducts employment costs for dibao only', async t => {
  const standards = { dibaoMonthly: 700, edgeMultiplier: 2 }
  const employed = household({ annualIncome: yearly(1000), members: [adult({ employed: true })] })
  const result = run('gansu-2023', employed, standards)
  t.equal(result.category, 'dibao', '1,000 − 500 = 500 < 700')
  t.equal(result.perCapitaMonthlyIncome, 500)
  t.equal(run('gansu-2023', household({ annualIncome: yearly(1300), members: [adult({ employed: true })] }), standards).category, 'dibao_edge', '800 after deduction is not below 700; the edge test uses 1,300')
})

t.test('parameter versions by date, staff versions and overrides', async t => {
  const h = household({ annualIncome: yearly(1100) })
  const base = evaluate({ profile: 'nanxun-2025', asOf: ASOF, household: h })
  t.equal(base.category, 'dibao', 'built-in demo standard 1,200')
  t.match(base.profileVersion, /^nanxun-2025@2025-06-28#[0-9a-f]{8}$/)
  const staff = [{ key: 'dibaoMonthly', value: 1050, effectiveFrom: '2025-10-01', source: 'staff' }]
  const before = evaluate({ profile: 'nanxun-2025', asOf: ASOF, household: h }, staff)
  t.equal(before.profileVersion, base.profileVersion, 'a version not yet in force changes nothing')
  const after = evaluate({ profile: 'nanxun-2025', asOf: '2025-10-01', household: h }, staff)
  t.equal(after.category, 'dibao_edge')
  t.match(after.profileVersion, /^nanxun-2025@2025-10-01#/)
  t.not(after.profileVersion, base.profileVersion)
  t.throws(() => evaluate({ profile: 'atlantis', asOf: ASOF, household: h }), { name: 'UnknownProfileError', profile: 'atlantis' })
  t.throws(() => evaluate({ profile: 'nanxun-2025', asOf: '2020-01-01', household: h }), { name: 'MissingParameterError', asOf: '2020-01-01' }, 'before the profile existed')
})

t.test('every trace step cites its document', async t => {
  for (const id of PROFILE_IDS) {
    for (const step of run(id, household({ annualIncome: yearly(800) }), undefined).trace) {
      t.match(step.source, /^00[0-4]_[0-9a-f]{16}\.txt \S/, `${id} ${step.rule}`)
    }
  }
})
