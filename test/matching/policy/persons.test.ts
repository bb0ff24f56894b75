import t from 'tap'
import { DOCUMENTS, evaluate, keepHouseholdCategory, PROFILES, type EvaluateRequest, type Household, type Member } from '../../../matching/policy/index.js'
import { adult, ASOF, household, NANXUN, yearly } from './fixtures.js'

const JIYUAN = { dibaoMonthly: 700, edgeMultiplier: 2, disposableIncomeAnnual: 38000, rigidExpenseShare: 0.5 }
const run = (profile: string, h: Household, standards: EvaluateRequest['standards']) => evaluate({ profile, asOf: ASOF, household: h, standards })
const bases = (result: ReturnType<typeof run>) => result.members.map(o => [o.category, ...o.grounds.map(g => g.basis)])
const N = DOCUMENTS['nanxun-2025']
const H = DOCUMENTS['hubei-2024']
const J = DOCUMENTS['jiyuan-2024']
const S = DOCUMENTS['shanxi-county']
const G = DOCUMENTS['gansu-2023']

/** Old, without labour, income or anyone able to support him. */
const alone = adult({ birthDate: '1950-01-01', laborCapacity: 'none', hasIncomeSource: false, hasAbleSupporter: false })

t.test('特困 is decided per person: one member can be 特困 in a household that is not', async t => {
  const result = run('nanxun-2025', household({ annualIncome: yearly(1500, 2), members: [adult(), alone] }), NANXUN)
  t.equal(result.category, 'dibao_edge', 'the household is an edge household')
  t.same(bases(result), [['dibao_edge', 'household'], ['tekun', 'tekun', 'household']])
  t.match(result.members[1], { member: 1, category: 'tekun', reason: /特困人员按人认定/, source: `${J} 二(二)2` })
  t.match(result.members[0], { category: 'dibao_edge', reason: '家庭为最低生活保障边缘家庭，本人为其成员', source: `${N} 二` })
  t.match(result.trace.find(s => s.rule === 'tekun'), { result: false, inputs: { members: [{ qualifies: false }, { qualifies: true }] } }, 'not a 特困 household; member 1 is 特困')

  const both = run('nanxun-2025', household({ members: [alone, { ...alone, birthDate: '2015-05-05' }] }), NANXUN)
  t.equal(both.category, 'tekun', 'every member 特困: a 特困 household')
  t.same(bases(both), [['tekun', 'tekun'], ['tekun', 'tekun']], 'the household\'s 特困 adds nothing to each person\'s own')
  const rich = run('nanxun-2025', household({ annualIncome: 900000, members: [adult(), alone] }), NANXUN)
  t.same(bases(rich), [['none'], ['tekun', 'tekun']], 'in a household of no category the person is 特困 all the same')
  t.match(rich.members[0], { reason: '家庭不属于低收入人口，本人亦无单独认定的类别', source: `${H} 四` })
})

t.test('单人保: a seriously ill or severely disabled member of an edge household', async t => {
  const members = [adult(), adult({ disability: { level: 2, kind: 'physical' } }), adult({ seriousIllness: true }), adult({ disability: { level: 3, kind: 'physical' } })]
  const shanxi = run('shanxi-county', household({ annualIncome: yearly(800, 4), members }), { dibaoMonthly: 650, edgeMultiplier: 1.5 })
  t.equal(shanxi.category, 'dibao_edge')
  t.same(bases(shanxi), [['dibao_edge', 'household'], ['dibao', 'individual_dibao', 'household'], ['dibao', 'individual_dibao', 'household'], ['dibao_edge', 'household']])
  t.match(shanxi.members[1], { category: 'dibao', reason: /单独纳入低保（单人保）/, source: `${S} 工作任务(三)1(2)` })
  t.same(shanxi.individualDibao, [1, 2])
})

t.test('参照单人户: an adult without work and with a severe disability, where the family is low-income but not 低保', async t => {
  // A Jiyuan 刚性支出 household: 2,000 a month each, medical spending over half the income.
  const disabled = adult({ birthDate: '1995-06-01', laborCapacity: 'none', disability: { level: 1, kind: 'physical' } })
  const rigid = (member: Member, overrides: Partial<Household> = {}) =>
    run('jiyuan-2024', household({ annualIncome: yearly(2000, 2), rigidExpenses: { medical: 30000, education: 0 }, members: [adult(), member], ...overrides }), JIYUAN)
  const covered = rigid(disabled)
  t.equal(covered.category, 'rigid_expense')
  t.same(bases(covered), [['rigid_expense', 'household'], ['dibao', 'single_person_household', 'household']])
  t.match(covered.members[1], { reason: '成年无业重度残疾人，参照单人户纳入低保', source: `${J} 四(一)` })
  t.match(covered.trace.find(s => s.rule === 'single_person_household'), { result: true, note: /未写收入条件/, inputs: { householdCategory: 'rigid_expense', members: [1] } })
  t.notOk(rigid(disabled, { annualIncome: 0 }).trace.some(s => s.rule === 'single_person_household'), 'a 低保 household: the rule has no one to look at, and no step')
  t.same(bases(rigid({ ...disabled, disability: { level: 3, kind: 'mental' } }))[1], ['dibao', 'single_person_household', 'household'], 'level 3 mental counts, as for 单人保')
  t.same(bases(rigid({ ...disabled, employed: true }))[1], ['rigid_expense', 'household'], 'in work: not 无业')
  t.same(bases(rigid({ ...disabled, birthDate: '2008-09-02' }))[1], ['rigid_expense', 'household'], 'seventeen: not 成年')
  t.same(bases(rigid({ ...disabled, disability: { level: 3, kind: 'physical' } }))[1], ['rigid_expense', 'household'], 'not 重度')
  t.same(bases(rigid(disabled, { annualIncome: 900000 }))[1], ['none'], 'a household that is not low-income')
  t.same(bases(rigid(disabled, { annualIncome: 0 }))[1], ['dibao', 'household'], 'a 低保 household covers them already')
  const monitoredOver = rigid(disabled, { annualIncome: 900000, povertyMonitoring: true, propertyCompliant: false })
  t.same(bases(monitoredOver)[1], ['fanpin_monitor', 'poverty_monitoring'], 'property over the limit: not as a one-person 低保 household')
  // In an edge household the member is 单人保 instead.
  t.same(bases(run('jiyuan-2024', household({ annualIncome: yearly(1000, 2), members: [adult(), disabled] }), JIYUAN))[1], ['dibao', 'individual_dibao', 'household'])
  // The documents that write it: Hubei and Jiyuan 四(一), Gansu 三(一); not the Shanxi county or Nanxun.
  const gansu = run('gansu-2023', household({ annualIncome: yearly(2000, 2), rigidExpenses: { medical: 30000, education: 0 }, members: [adult(), disabled] }), { dibaoMonthly: 700, edgeMultiplier: 2, disposableIncomeAnnual: 35000 })
  t.same(bases(gansu)[1], ['dibao', 'single_person_household', 'household'])
  t.match(gansu.trace.find(s => s.rule === 'single_person_household'), { source: `${G} 三(一)` })
  const elsewhere = household({ annualIncome: yearly(1200, 2), rigidExpenses: { medical: 15000, education: 0 }, members: [adult(), disabled] })
  t.same(bases(run('shanxi-county', elsewhere, {}))[1], ['rigid_expense', 'household'], 'the Shanxi county writes only 单人保')
  t.notOk(run('shanxi-county', elsewhere, {}).trace.some(s => s.rule === 'single_person_household'))
  t.same(bases(run('nanxun-2025', { ...elsewhere, annualIncome: yearly(2500, 2), rigidExpenses: { medical: 20000, education: 0 } }, NANXUN))[1], ['rigid_expense', 'household'], 'Nanxun writes neither')
})

t.test('防返贫监测 is a fact about a person, with its days', async t => {
  const monitored = (record: Member['povertyMonitoring'], flag = false) =>
    run('hubei-2024', household({ annualIncome: 900000, povertyMonitoring: flag, members: [adult(), adult({ povertyMonitoring: record })] }), {})
  const current = monitored({ from: '2025-03-01' })
  t.equal(current.category, 'fanpin_monitor', 'a monitored member makes a monitored household')
  t.same(bases(current), [['fanpin_monitor', 'household'], ['fanpin_monitor', 'poverty_monitoring']])
  t.same(current.members[1]?.monitoring, { from: '2025-03-01', until: null, current: true })
  t.equal(current.members[0]?.monitoring, undefined, 'the other member has no record')
  t.match(current.members[1], { reason: '农业农村部门认定的防止返贫监测对象，在监测期内', source: `${H} 二(二)` })
  t.match(current.trace.find(s => s.rule === 'fanpin_monitor')?.inputs, { povertyMonitoring: false, memberRecords: [{ member: 1, from: '2025-03-01', until: null, current: true }] })

  const ended = monitored({ from: '2025-03-01', until: '2025-08-31' })
  t.equal(ended.category, 'none', 'monitoring ended the day before')
  t.same(ended.members[1]?.monitoring, { from: '2025-03-01', until: '2025-08-31', current: false })
  t.equal(monitored({ from: '2025-03-01', until: '2025-09-01' }).category, 'fanpin_monitor', 'its last day still counts')
  t.equal(monitored({ from: '2025-09-02' }).category, 'none', 'not yet begun')
  const flagged = monitored(null, true)
  t.same(bases(flagged), [['fanpin_monitor', 'poverty_monitoring'], ['fanpin_monitor', 'poverty_monitoring']], 'the household flag makes every member a monitored object')
  t.same(flagged.members[0]?.monitoring, { from: null, until: null, current: true })

  // Under a higher household category the person keeps the monitoring as a lower ground.
  const dibao = run('jiyuan-2024', household({ annualIncome: 0, members: [adult({ povertyMonitoring: { from: '2025-01-01' } })] }), JIYUAN)
  t.same(bases(dibao), [['dibao', 'household', 'poverty_monitoring']])
  // Nanxun defines no such category: the record is reported, it decides nothing.
  const nanxun = run('nanxun-2025', household({ annualIncome: 900000, members: [adult({ povertyMonitoring: { from: '2025-01-01' } })] }), NANXUN)
  t.same(bases(nanxun), [['none']])
  t.same(nanxun.members[0]?.monitoring, { from: '2025-01-01', until: null, current: true })
})

t.test('因病致贫重病患者: the seriously ill of a household in hardship through medical spending', async t => {
  const rigid = (h: Partial<Household>) => run('hubei-2024', household({ annualIncome: yearly(2000, 2), members: [adult(), adult({ seriousIllness: true })], ...h }), { dibaoMonthly: 800, edgeMultiplier: 2, disposableIncomeAnnual: 42000, rigidExpenseShare: 0.5 })
  const ill = rigid({ rigidExpenses: { medical: 30000, education: 0 } })
  t.equal(ill.category, 'rigid_expense')
  t.same(ill.members.map(o => o.illnessImpoverished), [false, true])
  t.match(ill.trace.find(s => s.rule === 'illness_impoverished'), { result: true, source: `${H} 二(一)`, inputs: { members: [1] } })
  t.same(rigid({ rigidExpenses: { medical: 0, education: 30000 } }).members.map(o => o.illnessImpoverished), [false, false], 'education spending does not make the illness the cause')
  t.same(rigid({ rigidExpenses: { medical: 1000, education: 0 } }).members.map(o => o.illnessImpoverished), [false, false], 'not a 刚性支出 household')
  t.equal(run('nanxun-2025', household({ members: [adult({ seriousIllness: true })] }), NANXUN).members[0]?.illnessImpoverished, undefined, 'Nanxun does not name them')
})

t.test('Nanxun 三(五) 低收入农户: 原农村户籍, not public-sector staff, in an administrative village', async t => {
  const edge = (members: Member[], administrativeVillage: boolean | null = true) =>
    run('nanxun-2025', household({ annualIncome: yearly(1500, members.length), administrativeVillage, members }), NANXUN)
  const result = edge([adult({ hukou: 'rural' }), adult({ hukou: 'urban' }), adult({ hukou: 'rural', publicSector: true }), adult({ hukou: null })])
  t.same(result.members.map(o => o.lowIncomeFarmer), [true, false, false, false])
  t.match(result.trace.find(s => s.rule === 'low_income_farmer'), { result: true, source: `${N} 三(五)`, inputs: { members: [0], unknown: { hukou: [3], administrativeVillage: false } } })
  t.same(edge([adult({ hukou: 'rural' })], false).members.map(o => o.lowIncomeFarmer), [false], 'an urban community')
  const unknown = edge([adult({ hukou: 'rural' })], null)
  t.same(unknown.members.map(o => o.lowIncomeFarmer), [false])
  t.match(unknown.trace.find(s => s.rule === 'low_income_farmer')?.inputs, { administrativeVillage: null, unknown: { hukou: [], administrativeVillage: true } })
  const support = run('nanxun-2025', household({ annualIncome: yearly(2500), administrativeVillage: true, members: [adult({ hukou: 'rural' })] }), NANXUN)
  t.equal(support.category, 'low_income_support')
  t.same(support.members.map(o => o.lowIncomeFarmer), [false], '低收入帮扶 is not among the four')
  t.equal(run('hubei-2024', household({ members: [adult({ hukou: 'rural' })] }), {}).members[0]?.lowIncomeFarmer, undefined, 'only Nanxun has it')
})

t.test('other rigid spending counts with medical and education ("医疗、教育等")', async t => {
  const base = household({ annualIncome: 40000, members: [adult(), adult()] })
  t.equal(run('jiyuan-2024', { ...base, rigidExpenses: { medical: 15000, education: 0, other: 5000 } }, JIYUAN).category, 'rigid_expense', '20,000 of 40,000')
  t.equal(run('jiyuan-2024', { ...base, rigidExpenses: { medical: 15000, education: 0, other: 4999 } }, JIYUAN).category, 'none')
  const nanxun = run('nanxun-2025', household({ annualIncome: yearly(3000), rigidExpenses: { medical: 0, education: 0, other: 20000 } }), NANXUN)
  t.equal(nanxun.category, 'rigid_expense', '(36,000 − 20,000) / 12 = 1,333 < 2,000')
  t.match(nanxun.trace.find(s => s.rule === 'rigid_expense')?.inputs, { medical: 0, education: 0, other: 20000, perCapitaMonthlyAfterExpenses: 1333.33 })
})

t.test('each member\'s category is in the trace', async t => {
  const result = run('nanxun-2025', household({ annualIncome: yearly(1500, 2), members: [adult(), alone] }), NANXUN)
  t.match(result.trace.find(s => s.rule === 'person_outcomes'), {
    result: true, source: `${H} 四`, note: /一人一次/,
    inputs: { own: [{ member: 1, category: 'tekun', grounds: ['tekun', 'household'] }] }
  })
  t.same(run('nanxun-2025', household({ annualIncome: yearly(1500, 2), members: [adult(), adult()] }), NANXUN).trace.find(s => s.rule === 'person_outcomes')?.inputs,
    { rule: '一人一次、就高：取本人及家庭所符合的最高类别；列出本人另有依据者，其余成员为家庭类别', own: [] }, 'no one holds a category of their own')
})

t.test('a 渐退期 keeps the household\'s category for each member; what they hold in their own right stays', async t => {
  const h = household({ annualIncome: 900000, members: [adult(), alone] })
  const assessed = run('nanxun-2025', h, NANXUN)
  const kept = keepHouseholdCategory(PROFILES['nanxun-2025'], h, assessed.members, 'dibao')
  t.same(kept.map(o => [o.category, ...o.grounds.map(g => g.basis)]), [['dibao', 'gradual_exit'], ['tekun', 'tekun', 'gradual_exit']])
  t.match(kept[0], { reason: '渐退期内继续享受原救助保障待遇（最低生活保障对象）', source: `${N} 三(一)` })
  const edge = run('nanxun-2025', household({ annualIncome: yearly(1500, 2), members: [adult(), alone] }), NANXUN)
  t.same(keepHouseholdCategory(PROFILES['nanxun-2025'], h, edge.members, 'dibao').map(o => o.grounds.map(g => g.basis)), [['gradual_exit'], ['tekun', 'gradual_exit']], 'the assessed household ground gives way')
})
