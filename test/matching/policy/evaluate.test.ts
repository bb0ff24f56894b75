import t from 'tap'
import { DOCUMENTS, evaluate, parameterProblem, PROFILES, PROFILE_IDS, type EvaluateRequest, type Household, type Member, type ProfileId } from '../../../matching/policy/index.js'
import { CATEGORIES } from '../../../matching/domain.js'
import { adult, ASOF, household, NANXUN, yearly } from './fixtures.js'

/** No overrides: the profile's built-in values (an explicit `undefined` would get NANXUN's). */
const BUILT_IN = {}
const run = (profile: string, h: Household, standards: EvaluateRequest['standards'] = NANXUN) =>
  evaluate({ profile, asOf: ASOF, household: h, ...(standards ? { standards } : {}) })

t.test('the API contract example', async t => {
  // The response (边缘, 1,500 a month) assumes a 3,000 employment-cost deduction: pass it as a standard.
  const result = run('nanxun-2025', household({ annualIncome: 54000, members: [adult({ employed: true })] }), { ...NANXUN, employmentDeductionMonthly: 3000 })
  t.equal(result.category, 'dibao_edge')
  t.same(result.individualDibao, [])
  t.equal(result.perCapitaMonthlyIncome, 1500, '4,500 a month less the 3,000 employment-cost deduction')
  t.equal(result.profile, 'nanxun-2025')
  t.match(result.profileVersion, /^nanxun-2025@2025-09-01#[0-9a-f]{8}\+override$/)
  const deduction = result.trace.find(s => s.rule === 'assessed_income')
  t.match(deduction, { source: '000_6379457d8a0eea12.txt 三(一)', inputs: { employedMembers: 1, employmentDeductionMonthly: 3000 } })
  t.match(result.trace.find(s => s.rule === 'dibao_edge'), { result: true, source: '000_6379457d8a0eea12.txt 二' })
  t.match(result.trace.find(s => s.rule === 'precedence'), { inputs: { applicable: ['dibao_edge'], chosen: 'dibao_edge' }, source: '001_8cb5f20805feca87.txt 四' })

  const asGiven = run('nanxun-2025', household({ annualIncome: 54000, members: [adult({ employed: true })] }))
  t.match(asGiven, { category: 'none', individualDibao: [], perCapitaMonthlyIncome: 4500 }, 'with the demo deduction of 500: 4,000 is above the edge line and 54,000 a year above ¥33,334')
})

t.test('the demo employment-cost deduction leaves a worker\'s wage counted', async t => {
  const worker = evaluate({ profile: 'nanxun-2025', asOf: ASOF, household: household({ annualIncome: yearly(3000), members: [adult({ employed: true })] }) })
  t.match(worker.trace.find(s => s.rule === 'assessed_income'), { inputs: { employmentDeductionMonthly: 500, perCapitaMonthlyAfterDeduction: 2500 } })
  t.equal(worker.category, 'none', 'a ¥3,000 wage is not 低保 (it was, with income 0, under a 3,000 deduction)')
  t.match(PROFILES['nanxun-2025'].parameters.find(p => p.key === 'employmentDeductionMonthly'), { value: 500, demo: true })
})

t.test('an empty household is refused, not classified with NaN', async t => {
  t.throws(() => run('nanxun-2025', household({ members: [] })), { name: 'EmptyHouseholdError', field: 'members' })
})

// Every line a document draws, exactly at it, a cent below and a cent above, for every profile that has it.
// Nanxun 二: 边缘 "超过低保标准，一般低于低保标准的 2 倍（但不超过当地最低工资标准）"; 低收入帮扶
// "超过…边缘家庭标准但年人均收入低于 3.3334 万元" or "低于（含等于）…边缘标准" with property excluded.
// The others (Jiyuan 二(二)4 and those borrowing it, Shanxi 工作任务(一)3): "不符合低保条件…低于 k 倍".
t.test('income boundaries: 低于, 超过, 不超过 and 含等于, at, just below and just above each line', async t => {
  const HUBEI = { dibaoMonthly: 800, edgeMultiplier: 2 }
  const JIYUAN = { dibaoMonthly: 700, edgeMultiplier: 2 }
  const GANSU = { dibaoMonthly: 700, edgeMultiplier: 2 }
  const SHANXI = { dibaoMonthly: 650, edgeMultiplier: 1.5 }
  const WAGE = { ...NANXUN, minWageMonthly: 1800 }
  const cases: Array<[string, EvaluateRequest['standards'], number, string]> = [
    ['nanxun-2025', NANXUN, 999.99, 'dibao'],
    ['nanxun-2025', NANXUN, 1000, 'none'], // neither 低于 (低保) nor 超过 (边缘) the 低保 line
    ['nanxun-2025', NANXUN, 1000.01, 'dibao_edge'],
    ['nanxun-2025', NANXUN, 1999.99, 'dibao_edge'],
    ['nanxun-2025', NANXUN, 2000, 'none'], // neither 低于 2 倍 (边缘) nor 超过边缘标准 (低收入帮扶)
    ['nanxun-2025', NANXUN, 2000.01, 'low_income_support'],
    ['nanxun-2025', WAGE, 1799.99, 'dibao_edge'],
    ['nanxun-2025', WAGE, 1800, 'dibao_edge'], // 不超过 the wage
    ['nanxun-2025', WAGE, 1800.01, 'low_income_support'],
    ['hubei-2024', HUBEI, 799.99, 'dibao'],
    ['hubei-2024', HUBEI, 800, 'dibao_edge'], // not 低于 the 低保 line: 不符合低保条件
    ['hubei-2024', HUBEI, 800.01, 'dibao_edge'],
    ['hubei-2024', HUBEI, 1599.99, 'dibao_edge'],
    ['hubei-2024', HUBEI, 1600, 'none'],
    ['hubei-2024', HUBEI, 1600.01, 'none'],
    ['jiyuan-2024', JIYUAN, 699.99, 'dibao'],
    ['jiyuan-2024', JIYUAN, 700, 'dibao_edge'],
    ['jiyuan-2024', JIYUAN, 700.01, 'dibao_edge'],
    ['jiyuan-2024', JIYUAN, 1399.99, 'dibao_edge'],
    ['jiyuan-2024', JIYUAN, 1400, 'none'],
    ['jiyuan-2024', JIYUAN, 1400.01, 'none'],
    ['shanxi-county', SHANXI, 649.99, 'dibao'],
    ['shanxi-county', SHANXI, 650, 'dibao_edge'],
    ['shanxi-county', SHANXI, 650.01, 'dibao_edge'],
    ['shanxi-county', SHANXI, 974.99, 'dibao_edge'],
    ['shanxi-county', SHANXI, 975, 'none'], // 1.5 × 650
    ['shanxi-county', SHANXI, 975.01, 'none'],
    ['gansu-2023', GANSU, 699.99, 'dibao'],
    ['gansu-2023', GANSU, 700, 'dibao_edge'],
    ['gansu-2023', GANSU, 700.01, 'dibao_edge'],
    ['gansu-2023', GANSU, 1399.99, 'dibao_edge'],
    ['gansu-2023', GANSU, 1400, 'none'],
    ['gansu-2023', GANSU, 1400.01, 'none']
  ]
  for (const [profile, standards, monthly, expected] of cases) {
    t.equal(run(profile, household({ annualIncome: yearly(monthly) }), standards).category, expected, `${profile} at ${monthly} a month`)
  }
  // Nanxun's ¥33,334 a year (低于): per-capita annual income.
  t.equal(run('nanxun-2025', household({ annualIncome: 33333.99 })).category, 'low_income_support')
  t.equal(run('nanxun-2025', household({ annualIncome: 33334 })).category, 'none')
  t.equal(run('nanxun-2025', household({ annualIncome: 33334.01 })).category, 'none')
  // 低收入帮扶's second branch: at or below the edge line (含等于), property excluded, with a hardship.
  const excluded = (monthly: number, standards = NANXUN) => run('nanxun-2025', household({ annualIncome: yearly(monthly), propertyCompliant: false, hardships: ['accident'] }), standards).category
  const branches = (monthly: number, standards = NANXUN) => {
    const inputs = run('nanxun-2025', household({ annualIncome: yearly(monthly), propertyCompliant: false, hardships: ['accident'] }), standards).trace.find(s => s.rule === 'low_income_support')?.inputs
    return [inputs?.branchPropertyExcludedWithHardship, inputs?.branchAboveEdge]
  }
  t.same([excluded(1999.99), excluded(2000), excluded(2000.01)], ['low_income_support', 'low_income_support', 'low_income_support'], 'at the 2× edge line')
  t.same([branches(1999.99), branches(2000), branches(2000.01)], [[true, false], [true, false], [false, true]], 'the second branch up to the line, the first above it')
  t.same([excluded(1799.99, WAGE), excluded(1800, WAGE), excluded(1800.01, WAGE)], ['low_income_support', 'low_income_support', 'low_income_support'], 'at the wage-capped edge line')
  t.same([branches(1799.99, WAGE), branches(1800, WAGE), branches(1800.01, WAGE)], [[true, false], [true, false], [false, true]])
})

t.test('each income step says which comparison it applied, and a case between categories says so', async t => {
  const steps = (profile: string, monthly: number, standards: EvaluateRequest['standards'] = NANXUN) => {
    const trace = run(profile, household({ annualIncome: yearly(monthly) }), standards).trace
    return (rule: string) => trace.find(s => s.rule === rule)
  }
  const atDibao = steps('nanxun-2025', 1000)
  t.same(atDibao('dibao')?.inputs.comparisons, [{ wording: '低于低保标准', test: 'perCapitaMonthly < dibaoMonthly（不含等于）', holds: false }])
  t.same((atDibao('dibao_edge')?.inputs.comparisons as Array<{ wording: string, holds: boolean }>).map(c => [c.wording, c.holds]),
    [['超过低保标准', false], ['低于低保标准的 k 倍', true], ['不超过当地最低工资标准', true]])
  t.match(atDibao('dibao_edge'), { source: '000_6379457d8a0eea12.txt 二', inputs: { boundary: /恰等于低保标准.*不是低保.*不是低保边缘/ } })
  t.match(atDibao('precedence')?.inputs, { chosen: 'none', byTheLetter: /^按文件字面不属于任何类别：恰等于低保标准/ })

  const atEdge = steps('nanxun-2025', 2000)
  t.same((atEdge('dibao_edge')?.inputs.comparisons as Array<{ holds: boolean }>).map(c => c.holds), [true, false, true])
  t.same((atEdge('low_income_support')?.inputs.comparisons as Array<{ wording: string, test: string, holds: boolean }>).map(c => [c.wording, c.test, c.holds]), [
    ['超过最低生活保障边缘家庭标准', 'perCapitaMonthly > edgeLineMonthly（不含等于）', false],
    ['年人均收入低于 3.3334 万元', 'perCapitaAnnual < lowIncomeSupportAnnual（不含等于）', true],
    ['低于（含等于）当地最低生活保障边缘标准', 'perCapitaMonthly ≤ edgeLineMonthly（含等于）', true]
  ])
  t.match(atEdge('precedence')?.inputs.byTheLetter, /恰等于低保标准的 k 倍/)

  const atWage = steps('nanxun-2025', 1800, { ...NANXUN, minWageMonthly: 1800 })
  t.same((atWage('dibao_edge')?.inputs.comparisons as Array<{ test: string, holds: boolean }>).map(c => [c.test, c.holds]), [
    ['perCapitaMonthly > dibaoMonthly（不含等于）', true], ['perCapitaMonthly < dibaoMonthly × edgeMultiplier（不含等于）', true], ['perCapitaMonthly ≤ minWageMonthly（含等于）', true]
  ])
  t.equal(atWage('dibao_edge')?.inputs.boundary, undefined, 'the wage line is inside the band: nothing to explain')
  t.equal(atWage('precedence')?.inputs.byTheLetter, undefined)
  t.equal(steps('nanxun-2025', 1000.01)('precedence')?.inputs.byTheLetter, undefined, 'off the line, no such statement')
  t.notOk('boundary' in (run('nanxun-2025', household({ annualIncome: yearly(1000), propertyCompliant: false })).trace.find(s => s.rule === 'dibao_edge')?.inputs ?? {}), 'property, not the line, decides then')

  const jiyuan = steps('jiyuan-2024', 700, { dibaoMonthly: 700, edgeMultiplier: 2 })
  t.same((jiyuan('dibao_edge')?.inputs.comparisons as Array<{ wording: string, test: string, holds: boolean }>).map(c => [c.wording, c.test, c.holds]), [
    ['不符合低保条件（低保须“低于”低保标准）', 'perCapitaMonthly ≥ dibaoMonthly', true],
    ['低于低保标准的 k 倍', 'perCapitaMonthly < dibaoMonthly × edgeMultiplier（不含等于）', true]
  ])
  t.match(jiyuan('dibao_edge'), { result: true, source: '002_652007ff225b11c2.txt 二(二)4' })
  for (const id of PROFILE_IDS) {
    t.match(run(id, household(), BUILT_IN).trace.find(s => s.rule === 'dibao')?.inputs.comparisons, [{ test: 'perCapitaMonthly < dibaoMonthly（不含等于）' }], `${id}: 低保 is 低于`)
  }
})

t.test('Nanxun 低收入帮扶: both branches and their boundaries', async t => {
  const line = 33334
  t.equal(run('nanxun-2025', household({ annualIncome: line - 1 })).category, 'low_income_support', 'above the edge line, below ¥33,334')
  t.equal(run('nanxun-2025', household({ annualIncome: line })).category, 'none', '¥33,334 itself is not below it')
  // 000 二: the first branch is worded on income alone; the closing property condition belongs to the second.
  const propertyOver = run('nanxun-2025', household({ annualIncome: line - 1, propertyCompliant: false }))
  t.equal(propertyOver.category, 'low_income_support', 'branch A states no property condition')
  t.match(propertyOver.trace.find(s => s.rule === 'low_income_support')?.inputs, { branchAboveEdge: true, verify: /第一分支未写财产条件.*三\(二\)/ })
  t.notOk('verify' in (run('nanxun-2025', household({ annualIncome: line - 1 })).trace.find(s => s.rule === 'low_income_support')?.inputs ?? {}), 'property within the 低保 limits needs no check')
  const excluded = household({ annualIncome: yearly(1500), propertyCompliant: false })
  t.equal(run('nanxun-2025', excluded).category, 'none', 'property excluded without a hardship')
  const withIllness = run('nanxun-2025', { ...excluded, hardships: ['serious_illness'] })
  t.equal(withIllness.category, 'low_income_support', 'property excluded with a serious illness')
  t.match(withIllness.trace.find(s => s.rule === 'low_income_support')?.inputs.verify, /低收入帮扶家庭的相关认定条件/, 'staff are told to verify the 低收入帮扶 property conditions')
  const atEdge = run('nanxun-2025', household({ annualIncome: yearly(2000), propertyCompliant: false, hardships: ['accident'] }))
  t.equal(atEdge.category, 'low_income_support', 'at the edge line counts (含等于)')
  t.match(atEdge.trace.find(s => s.rule === 'low_income_support'), { inputs: { branchPropertyExcludedWithHardship: true, branchAboveEdge: false } })
})

t.test('Nanxun 低收入帮扶 reads 重大疾病 and 重度残疾 from the members too, tag or no tag', async t => {
  const excluded = (member: Member) => run('nanxun-2025', household({ annualIncome: yearly(1500, 2), propertyCompliant: false, members: [adult(), member] }))
  const severe = excluded(adult({ disability: { level: 2, kind: 'physical' } }))
  t.equal(severe.category, 'low_income_support', 'a level 2 certificate is 重度残疾')
  t.match(severe.trace.find(s => s.rule === 'low_income_support')?.inputs, { hardships: [], memberHardships: [{ member: 1, hardship: 'severe_disability' }], branchPropertyExcludedWithHardship: true })
  t.equal(excluded(adult({ disability: { level: 1, kind: 'visual' } })).category, 'low_income_support', 'level 1')
  const ill = excluded(adult({ seriousIllness: true }))
  t.equal(ill.category, 'low_income_support', 'a serious illness is 重大疾病')
  t.same(ill.trace.find(s => s.rule === 'low_income_support')?.inputs.memberHardships, [{ member: 1, hardship: 'serious_illness' }])
  t.equal(excluded(adult({ disability: { level: 3, kind: 'physical' } })).category, 'none', 'level 3 is not 重度')
  t.equal(excluded(adult({ disability: { level: 3, kind: 'intellectual' } })).category, 'none', 'level 3 intellectual: 单人保 lists it beside, not among, the 重度残疾人')
  t.equal(run('nanxun-2025', household({ annualIncome: yearly(2500, 2), members: [adult(), adult({ seriousIllness: true })] })).category, 'low_income_support', 'the first branch needs no hardship')
  t.match(run('nanxun-2025', household({ annualIncome: yearly(2000.01), propertyCompliant: false, members: [adult({ seriousIllness: true })] })).trace.find(s => s.rule === 'low_income_support')?.inputs,
    { branchAboveEdge: true, branchPropertyExcludedWithHardship: false }, 'above the edge line the second branch does not apply (the first does)')
})

t.test('其他困难人员: who decides, in each document\'s words', async t => {
  const words: Record<string, RegExp> = {
    'hubei-2024': /^其他困难人员由县级民政部门召集相关部门采取“一事一议”方式等进行认定$/,
    'jiyuan-2024': /^其他困难人员：济源确定的其他特殊困难家庭或人员$/,
    'shanxi-county': /^其他低收入人口：县人民政府确定的其他特殊困难家庭或者人员$/,
    'gansu-2023': /^其他困难人员由市县人民政府按照相关规定确定$/
  }
  for (const [id, rule] of Object.entries(words)) {
    const decided = run(id, household({ annualIncome: 900000, caseByCase: true }), BUILT_IN)
    t.equal(decided.category, 'other', id)
    t.match(decided.trace.find(s => s.rule === 'other'), { result: true, label: '其他困难人员', inputs: { rule, caseByCase: true } }, id)
    t.equal(run(id, household({ annualIncome: 900000 }), BUILT_IN).category, 'none', `${id}: not without the decision`)
    t.equal(run(id, household({ annualIncome: 0, caseByCase: true }), BUILT_IN).category, 'dibao', `${id}: 就高 ranks 低保 above it`)
  }
})

t.test('built-in parameters take effect on their document\'s own date', async t => {
  const dates: Record<ProfileId, string> = {
    'nanxun-2025': '2025-06-28', // 本意见自 2025年6月28日起施行
    'hubei-2024': '2024-09-09', // 2024年9月9日印发
    'jiyuan-2024': '2024-06-11', // 2024年6月11日印发
    'shanxi-county': '2023-01-01', // undated: a placeholder
    'gansu-2023': '2023-11-24' // 2023年11月24日印发
  }
  for (const id of PROFILE_IDS) {
    t.same([...new Set(PROFILES[id].parameters.map(p => p.effectiveFrom))], [dates[id]], id)
    const dayBefore = new Date(Date.parse(dates[id]) - 86_400_000).toISOString().slice(0, 10)
    t.throws(() => evaluate({ profile: id, asOf: dayBefore, household: household() }), { name: 'MissingParameterError' }, `${id}: nothing in force the day before`)
    t.match(evaluate({ profile: id, asOf: dates[id], household: household() }).profileVersion, new RegExp(`^${id}@${dates[id]}#`), `${id}: in force on the day`)
    const placeholder = id === 'shanxi-county'
    for (const version of PROFILES[id].parameters) {
      t.equal(version.placeholderDate === true, placeholder, `${id} ${version.key}: placeholder date flag`)
      t.equal(/生效日期为占位值/.test(version.source), placeholder, `${id} ${version.key}: the source says so`)
    }
  }
})

t.test('rigid-expense variants', async t => {
  // Nanxun: after medical and education spending, per-capita income below the edge line.
  const nanxun = household({ annualIncome: yearly(3000), rigidExpenses: { medical: 20000, education: 0 } })
  t.equal(run('nanxun-2025', nanxun).category, 'rigid_expense', '(36,000 − 20,000) / 12 = 1,333 < 2,000')
  t.equal(run('nanxun-2025', { ...nanxun, rigidExpenses: { medical: 12000, education: 0 } }).category, 'none', '2,000 is not below 2,000 (and 36,000 a year is above ¥33,334)')
  t.match(run('nanxun-2025', household({ annualIncome: yearly(2500) })).trace.find(s => s.rule === 'rigid_expense'), { result: false }, 'no rigid spending, no rigid-expense household')
  t.equal(run('nanxun-2025', { ...nanxun, annualIncome: 70000, rigidExpenses: { medical: 60000, education: 0 } }).category, 'none', 'not below last year\'s disposable income')
  // Jiyuan: medical + education ≥ 50% of household income (达到 50% 以上).
  const jiyuan = { dibaoMonthly: 700, edgeMultiplier: 2, disposableIncomeAnnual: 38000 }
  const base = household({ annualIncome: 40000, members: [adult(), adult({ birthDate: '1982-01-01' })] })
  t.equal(run('jiyuan-2024', { ...base, rigidExpenses: { medical: 15000, education: 5000 } }, jiyuan).category, 'rigid_expense', 'exactly 50%')
  t.equal(run('jiyuan-2024', { ...base, rigidExpenses: { medical: 15000, education: 4999 } }, jiyuan).category, 'none', 'just under 50%')
  t.equal(run('jiyuan-2024', { ...base, annualIncome: 76000, rigidExpenses: { medical: 40000, education: 0 } }, jiyuan).category, 'none', '38,000 per person is not below 38,000')
  // Shanxi 工作任务(一)4: large rigid spending or a big income drop, hard living, compliant property.
  const shanxi = { dibaoMonthly: 650, edgeMultiplier: 1.5, disposableIncomeAnnual: 30000, rigidExpenseShare: 0.5, incomeDropShare: 0.5 }
  const sx = (h: Household) => run('shanxi-county', h, shanxi)
  t.equal(sx(household({ annualIncome: 500000, hardships: ['disaster'] })).category, 'none', 'a rich household with only a hardship tag')
  t.equal(sx(household({ annualIncome: 20000, hardships: ['disaster'] })).category, 'none', 'a tag without large spending or an income drop')
  t.equal(sx(household({ annualIncome: 20000, rigidExpenses: { medical: 10000, education: 0 } })).category, 'rigid_expense', 'medical spending of half the income (demo share 0.5)')
  t.equal(sx(household({ annualIncome: 20000, rigidExpenses: { medical: 9999, education: 0 } })).category, 'none', 'just under the share')
  t.equal(sx(household({ annualIncome: 60000, rigidExpenses: { medical: 40000, education: 0 } })).category, 'none', 'per capita not below last year\'s disposable income: no serious hardship')
  t.equal(sx(household({ annualIncome: 20000, propertyCompliant: false, rigidExpenses: { medical: 15000, education: 0 } })).category, 'none', 'property must comply')
  const dropped = household({ annualIncome: 20000, previousAnnualIncome: 40000, hardships: ['accident'] })
  t.equal(sx(dropped).category, 'rigid_expense', 'income halved after an accident')
  t.equal(sx({ ...dropped, previousAnnualIncome: 39999 }).category, 'none', 'a drop just under half')
  t.equal(sx({ ...dropped, hardships: [] }).category, 'none', 'a drop without illness, disaster or accident')
  const explained = sx(dropped).trace.find(s => s.rule === 'rigid_expense')
  t.match(explained, { source: '003_36aac0a6461aae9a.txt 工作任务(一)4', note: /002_652007ff225b11c2\.txt 二\(二\)5.*演示值/, inputs: { incomeDropped: true, largeSpending: false } })
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

t.test('单人保 in edge households, whatever 就高 picks', async t => {
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
  const monitored = run('jiyuan-2024', { ...edge, povertyMonitoring: true }, { dibaoMonthly: 700, edgeMultiplier: 2 })
  t.equal(monitored.category, 'fanpin_monitor', '就高 picks the monitoring flag over 边缘')
  t.same(monitored.individualDibao, [1, 2, 3, 5, 6], 'the members still qualify for 单人保 (Jiyuan 四(一))')
  t.match(monitored.trace.find(s => s.rule === 'individual_dibao'), { result: true, source: '002_652007ff225b11c2.txt 四(一)', inputs: { edgeHousehold: true, chosenCategory: 'fanpin_monitor' } })
  const hubei = run('hubei-2024', { ...edge, povertyMonitoring: true, caseByCase: true }, { dibaoMonthly: 700, edgeMultiplier: 2 })
  t.same(hubei.individualDibao, [1, 2, 3, 5, 6], 'Hubei 四(一)')
  t.match(hubei.trace.find(s => s.rule === 'individual_dibao')?.note, /工作任务\(三\)1\(2\)/, 'the certificate levels are Shanxi\'s wording, and the trace says so')
})

/** What each document lists as low-income categories. */
const DEFINED: Record<ProfileId, string[]> = {
  // 000 二: 特困供养人员、低保对象、边缘家庭成员、刚性支出困难家庭成员、低收入帮扶家庭成员.
  'nanxun-2025': ['tekun', 'dibao', 'dibao_edge', 'rigid_expense', 'low_income_support'],
  // 001 二(一): 低保、特困、防止返贫监测对象、边缘、刚性支出困难（含因病致贫重病患者）、其他困难人员.
  'hubei-2024': ['tekun', 'dibao', 'fanpin_monitor', 'dibao_edge', 'rigid_expense', 'other'],
  // 002 二(一): the same six.
  'jiyuan-2024': ['tekun', 'dibao', 'fanpin_monitor', 'dibao_edge', 'rigid_expense', 'other'],
  // 003 工作任务(一): 低保、特困、低保边缘、支出型困难、其他低收入人口 — no 防止返贫监测对象.
  'shanxi-county': ['tekun', 'dibao', 'dibao_edge', 'rigid_expense', 'other'],
  // 004 一: the same six as Hubei.
  'gansu-2023': ['tekun', 'dibao', 'fanpin_monitor', 'dibao_edge', 'rigid_expense', 'other']
}

t.test('each profile yields only the categories its document lists', async t => {
  for (const id of PROFILE_IDS) {
    const traced = run(id, household({ caseByCase: true, povertyMonitoring: true }), BUILT_IN).trace.map(s => s.rule)
    t.same(CATEGORIES.filter(c => traced.includes(c)), DEFINED[id], id)
  }
  t.equal(run('hubei-2024', household({ annualIncome: 900000, caseByCase: true }), BUILT_IN).category, 'other')
  t.equal(run('nanxun-2025', household({ annualIncome: 900000, caseByCase: true }), BUILT_IN).category, 'none', 'Nanxun has no 其他困难人员')
  t.equal(run('shanxi-county', household({ annualIncome: yearly(800), povertyMonitoring: true }), { dibaoMonthly: 650, edgeMultiplier: 1.5 }).category, 'dibao_edge', 'Shanxi lists no 防止返贫监测对象')
})

t.test('Gansu deducts employment costs for dibao only', async t => {
  const standards = { dibaoMonthly: 700, edgeMultiplier: 2 }
  const employed = household({ annualIncome: yearly(1000), members: [adult({ employed: true })] })
  const result = run('gansu-2023', employed, standards)
  t.equal(result.category, 'dibao', '1,000 − 500 = 500 < 700')
  t.equal(result.perCapitaMonthlyIncome, 500)
  t.equal(run('gansu-2023', household({ annualIncome: yearly(1300), members: [adult({ employed: true })] }), standards).category, 'dibao_edge', '800 after deduction is not below 700; the edge test uses 1,300')
})

// Issue 21 §1: where the deduction is taken, every later comparison uses the same figure.
t.test('one income figure through every step, and the trace says which', async t => {
  const figures = (result: ReturnType<typeof run>) => ['dibao', 'dibao_edge', 'low_income_support'].flatMap(rule => {
    const inputs = result.trace.find(s => s.rule === rule)?.inputs
    return inputs ? [[rule, inputs.perCapitaMonthly, inputs.incomeFigure]] : []
  })
  const AFTER = 'after_deduction'
  const AS_REPORTED = 'as_reported'

  // Gansu 三(二): 1,000 a month less 500 is 低保; the edge test used to compare the 1,000 and list 边缘 too.
  const gansu = run('gansu-2023', household({ annualIncome: yearly(1000), members: [adult({ employed: true })] }), { dibaoMonthly: 700, edgeMultiplier: 2 })
  t.same(gansu.trace.find(s => s.rule === 'precedence')?.inputs.applicable, ['dibao'], 'not also 边缘')
  t.same(figures(gansu), [['dibao', 500, AFTER], ['dibao_edge', 500, AFTER]])
  t.match(gansu.trace.find(s => s.rule === 'assessed_income')?.inputs, { deductionTaken: true, assessedAnnualIncome: 6000, assessedPerCapitaMonthly: 500, incomeFigure: AFTER })
  // Not 低保 with the deduction: Gansu names 低保对象 only, so every step compares the 1,300 as reported.
  const notDibao = run('gansu-2023', household({ annualIncome: yearly(1300), members: [adult({ employed: true })] }), { dibaoMonthly: 700, edgeMultiplier: 2 })
  t.same(figures(notDibao), [['dibao', 1300, AS_REPORTED], ['dibao_edge', 1300, AS_REPORTED]])
  t.equal(notDibao.perCapitaMonthlyIncome, 1300)

  // Nanxun 三(一): 2,400 less 500 is 边缘 (1,900); 低收入帮扶 used to compare the 2,400 and list itself too.
  const nanxun = run('nanxun-2025', household({ annualIncome: yearly(2400), members: [adult({ employed: true })] }), { ...NANXUN, employmentDeductionMonthly: 500 })
  t.same(nanxun.trace.find(s => s.rule === 'precedence')?.inputs.applicable, ['dibao_edge'], 'not also 低收入帮扶')
  t.same(figures(nanxun), [['dibao', 1900, AFTER], ['dibao_edge', 1900, AFTER], ['low_income_support', 1900, AFTER]])
  t.match(nanxun.trace.find(s => s.rule === 'rigid_expense')?.inputs, { perCapitaAnnual: 22800, incomeFigure: AFTER })
  t.equal(nanxun.perCapitaMonthlyIncome, 1900)
  // With the deduction the figure would sit exactly on the 低保 line (neither 低保 nor 边缘 by the
  // letter): the household is not one the deduction is written for, so the 1,500 as reported decides.
  const onLine = run('nanxun-2025', household({ annualIncome: yearly(1500), members: [adult({ employed: true })] }), { ...NANXUN, employmentDeductionMonthly: 500 })
  t.match(onLine, { category: 'dibao_edge', perCapitaMonthlyIncome: 1500 })
  t.match(onLine.trace.find(s => s.rule === 'assessed_income')?.inputs, { perCapitaMonthlyAfterDeduction: 1000, deductionTaken: false, assessedPerCapitaMonthly: 1500 })
  // Property over the limit: never a 低保 or 边缘 family, so no deduction.
  const property = run('nanxun-2025', household({ annualIncome: yearly(2400), propertyCompliant: false, members: [adult({ employed: true })] }), { ...NANXUN, employmentDeductionMonthly: 500 })
  t.match(property.trace.find(s => s.rule === 'assessed_income')?.inputs, { deductionTaken: false, assessedPerCapitaMonthly: 2400 })
  // Profiles without a deduction: the income as reported, everywhere.
  t.same(figures(run('jiyuan-2024', household({ annualIncome: yearly(900), members: [adult({ employed: true })] }), { dibaoMonthly: 700, edgeMultiplier: 2 })),
    [['dibao', 900, AS_REPORTED], ['dibao_edge', 900, AS_REPORTED]])
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

t.test('parameter values each key and profile can take', async t => {
  t.equal(parameterProblem(PROFILES['nanxun-2025'], 'dibaoMonthly', 1100), undefined)
  t.match(parameterProblem(PROFILES['nanxun-2025'], 'dibaoMonthly', 0), /大于 0/)
  t.match(parameterProblem(PROFILES['nanxun-2025'], 'edgeMultiplier', 0), /大于 1/, 'k = 0 would make the edge line vanish')
  t.match(parameterProblem(PROFILES['nanxun-2025'], 'edgeMultiplier', 1), /大于 1/)
  t.equal(parameterProblem(PROFILES['nanxun-2025'], 'employmentDeductionMonthly', 0), undefined, 'no deduction is a valid choice')
  t.match(parameterProblem(PROFILES['jiyuan-2024'], 'rigidExpenseShare', 1.5), /不能超过 1/, 'a share above 1')
  t.match(parameterProblem(PROFILES['nanxun-2025'], 'gradualExitMonths', 12.5), /整数/, 'fractional months')
  t.match(parameterProblem(PROFILES['gansu-2023'], 'gradualExitMonths', 7), /不能超过 6.*004_ada1234e2519cca0\.txt 三\(二\)/, 'Gansu: 原则上不超过6个月')
  t.equal(parameterProblem(PROFILES['nanxun-2025'], 'gradualExitMonths', 18), undefined, 'Nanxun sets no such limit')
  t.match(parameterProblem(PROFILES['shanxi-county'], 'minWageMonthly', 2000), /不使用参数/, 'Shanxi has no minimum-wage cap')
  t.match(parameterProblem(PROFILES['jiyuan-2024'], 'gradualExitMonths', 6), /不使用参数/, 'Jiyuan has no gradual exit')
})

t.test('a property check older than its validity is flagged for a re-check', async t => {
  const checked = (on: string) => evaluate({ profile: 'hubei-2024', asOf: ASOF, household: household({ annualIncome: yearly(500), propertyCheckedOn: on }) })
  const stale = checked('2025-03-01')
  t.equal(stale.category, 'dibao', 'the recorded result still decides')
  t.match(stale.trace.find(s => s.rule === 'economic_check'), { result: false, source: '001_8cb5f20805feca87.txt 二(三)', inputs: { validUntil: '2025-08-31', action: /重新核对/ } })
  t.match(checked('2025-03-02').trace.find(s => s.rule === 'economic_check'), { result: true, inputs: { validUntil: '2025-09-01' } }, 'six months to the day is still valid')
  t.notOk(evaluate({ profile: 'hubei-2024', asOf: ASOF, household: household() }).trace.some(s => s.rule === 'economic_check'), 'no date, no step')
  const nanxun = evaluate({ profile: 'nanxun-2025', asOf: ASOF, household: household({ propertyCheckedOn: '2025-08-01' }) })
  t.match(nanxun.trace.find(s => s.rule === 'economic_check'), { result: true, source: '001_8cb5f20805feca87.txt 二(三)', note: /沿用湖北/ })
})

const N = DOCUMENTS['nanxun-2025']
const H = DOCUMENTS['hubei-2024']
const J = DOCUMENTS['jiyuan-2024']
const S = DOCUMENTS['shanxi-county']
const G = DOCUMENTS['gansu-2023']
/** The paragraph each rule's text is in; `*` marks a rule the profile's own document does not contain (the step must say so). */
const CITED: Record<ProfileId, Record<string, string>> = {
  'nanxun-2025': {
    assessed_income: `${N} 三(一)`, tekun: `*${J} 二(二)2`, dibao: `*${J} 二(二)1`, dibao_edge: `${N} 二`, rigid_expense: `${N} 二`,
    low_income_support: `${N} 二`, precedence: `*${H} 四`, economic_check: `*${H} 二(三)`, low_income_farmer: `${N} 三(五)`, person_outcomes: `*${H} 四`
  },
  'hubei-2024': {
    assessed_income: `*${J} 二(二)1`, tekun: `*${J} 二(二)2`, dibao: `*${J} 二(二)1`, fanpin_monitor: `${H} 二(二)`, dibao_edge: `*${J} 二(二)4`,
    rigid_expense: `*${J} 二(二)5`, other: `${H} 二(二)`, precedence: `${H} 四`, individual_dibao: `${H} 四(一)`, economic_check: `${H} 二(三)`,
    single_person_household: `${H} 四(一)`, illness_impoverished: `${H} 二(一)`, person_outcomes: `${H} 四`
  },
  'jiyuan-2024': {
    assessed_income: `${J} 二(二)1`, tekun: `${J} 二(二)2`, dibao: `${J} 二(二)1`, fanpin_monitor: `${J} 二(二)3`, dibao_edge: `${J} 二(二)4`,
    rigid_expense: `${J} 二(二)5`, other: `${J} 二(二)6`, precedence: `*${H} 四`, individual_dibao: `${J} 四(一)`, economic_check: `*${H} 二(三)`,
    single_person_household: `${J} 四(一)`, illness_impoverished: `${J} 四(二)1`, person_outcomes: `*${H} 四`
  },
  'shanxi-county': {
    assessed_income: `${S} 工作任务(三)1(1)`, tekun: `${S} 工作任务(三)1(3)`, dibao: `${S} 工作任务(三)1(1)`, dibao_edge: `${S} 工作任务(一)3`,
    rigid_expense: `${S} 工作任务(一)4`, other: `${S} 工作任务(一)5`, precedence: `*${H} 四`, individual_dibao: `${S} 工作任务(三)1(2)`, economic_check: `*${H} 二(三)`,
    person_outcomes: `*${H} 四`
  },
  'gansu-2023': {
    assessed_income: `${G} 三(二)`, tekun: `*${J} 二(二)2`, dibao: `*${J} 二(二)1`, fanpin_monitor: `${G} 一`, dibao_edge: `*${J} 二(二)4`,
    rigid_expense: `*${J} 二(二)5`, other: `${G} 一`, precedence: `*${H} 四`, individual_dibao: `${G} 三(一)`, economic_check: `*${H} 二(三)`,
    single_person_household: `${G} 三(一)`, illness_impoverished: `${G} 三(二)`, person_outcomes: `*${H} 四`
  }
}
/** Own rules whose step carries a note all the same: the certificate levels are the Shanxi county's wording, Gansu's words differ, the demo values. */
const NOTED = new Set(['individual_dibao', 'single_person_household', 'shanxi-county rigid_expense', 'gansu-2023 illness_impoverished'])

t.test('every trace step cites the paragraph that holds its rule, and says when it is borrowed', async t => {
  for (const id of PROFILE_IDS) {
    // Every rule examined: an edge (or 低保) household, case by case, with medical spending that makes it a 刚性支出 household too.
    const trace = run(id, household({ annualIncome: yearly(800), rigidExpenses: { medical: 5000, education: 0 }, caseByCase: true, propertyCheckedOn: '2025-08-01' }), BUILT_IN).trace
    t.same(trace.map(s => s.rule).sort(), Object.keys(CITED[id]).sort(), `${id}: the steps`)
    for (const step of trace) {
      const expected = CITED[id][step.rule] as string
      t.equal(step.source, expected.replace(/^\*/, ''), `${id} ${step.rule}: source`)
      if (expected.startsWith('*')) t.match(step.note, new RegExp(DOCUMENTS[id].replace('.', '\\.')), `${id} ${step.rule}: the note names the profile's own document`)
      else if (!NOTED.has(step.rule) && !NOTED.has(`${id} ${step.rule}`)) t.equal(step.note, undefined, `${id} ${step.rule}: its own rule`)
    }
  }
  const nanxun = run('nanxun-2025', household(), BUILT_IN).trace
  t.match(nanxun.find(s => s.rule === 'tekun')?.note, /按现有规定执行/, 'Nanxun 二 only defers for 特困')
  t.match(nanxun.find(s => s.rule === 'dibao')?.note, /按现有规定执行/, 'and for 低保')
  t.match(run('hubei-2024', household(), BUILT_IN).trace.find(s => s.rule === 'dibao')?.note, /按现有规定开展认定/, 'Hubei 二(二) as well')
})

// Issue 21 §3: readings the documents leave open, each stated in the trace where it decides.
t.test('Nanxun 二 "一般低于低保标准的 2 倍": a dated parameter, hard within its version', async t => {
  const at = (monthly: number, k: number) => run('nanxun-2025', household({ annualIncome: yearly(monthly) }), { ...NANXUN, edgeMultiplier: k })
  t.equal(at(2200, 2).category, 'low_income_support', 'above 2 × 1,000: not 边缘, however "generally" is read')
  t.equal(at(2200, 2.5).category, 'dibao_edge', 'a version with k = 2.5 takes it in')
  t.equal(at(2490.01, 2.5).category, 'low_income_support', 'the wage cap has no "一般": it always applies')
  t.match(at(1500, 2).trace.find(s => s.rule === 'dibao_edge')?.inputs.multiplierReading, /^“一般”低于 2 倍：k 为按版本调整的参数/)
  t.notOk('multiplierReading' in (run('jiyuan-2024', household({ annualIncome: yearly(900) }), BUILT_IN).trace.find(s => s.rule === 'dibao_edge')?.inputs ?? {}), 'Jiyuan 二(二)4 writes no "一般"')
})

t.test('the employment-cost deduction applies at the first assessment too, and the trace says so', async t => {
  // No history is given: this is a first assessment, and the deduction decides it.
  const first = run('gansu-2023', household({ annualIncome: yearly(1000), members: [adult({ employed: true })] }), { dibaoMonthly: 700, edgeMultiplier: 2 })
  t.equal(first.category, 'dibao')
  t.match(first.trace.find(s => s.rule === 'assessed_income')?.inputs.deductionReading, /含首次认定/)
  t.equal(run('jiyuan-2024', household(), BUILT_IN).trace.find(s => s.rule === 'assessed_income')?.inputs.deductionReading, undefined, 'Jiyuan deducts nothing')
})

t.test('the order of categories where the documents give none', async t => {
  const chosen = (profile: string, h: Household) => run(profile, h, BUILT_IN).trace.find(s => s.rule === 'precedence')?.inputs
  // 低保 (70%) before 防返贫监测 (60%), Hubei 四(二)1.
  t.match(chosen('jiyuan-2024', household({ annualIncome: 0, povertyMonitoring: true })), { applicable: ['dibao', 'fanpin_monitor'], chosen: 'dibao' })
  // 防返贫监测 and 边缘 both 60%: the documents' listing order.
  t.match(chosen('hubei-2024', household({ annualIncome: yearly(1000), povertyMonitoring: true })), { applicable: ['fanpin_monitor', 'dibao_edge'], chosen: 'fanpin_monitor' })
  // 刚性支出 before 低收入帮扶 (Nanxun 三(二)).
  const both = chosen('nanxun-2025', household({ annualIncome: yearly(2500), rigidExpenses: { medical: 10000, education: 0 } }))
  t.match(both, { applicable: ['rigid_expense', 'low_income_support'], chosen: 'rigid_expense' })
  t.match(both?.orderBasis, /湖北 四\(二\)1 救助比例.*刚性支出先于低收入帮扶（南浔 三\(二\)）.*其他困难人员居末/)
})
