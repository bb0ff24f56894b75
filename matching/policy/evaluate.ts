// The classifier: applies a profile's rules to one household and explains the decision.
// Every category the document defines is tested; the household gets the highest that
// applies (就高). Income tests follow the documents' wording: "低于" is strictly below,
// "含等于" at or below, "超过" strictly above, "达到…以上" at or above.
import { CATEGORIES, type Category, type CategoryOrNone, type DisabilityKind, type Hardship, type LaborCapacity, type SchoolStage } from '../domain.js'
import { resolveParameters, type ParameterValues, type ParameterVersion, type ResolvedParameters } from './parameters.js'
import { profileOf, type Profile, type RuleId } from './profiles.js'

export interface Member {
  birthDate: string
  laborCapacity: LaborCapacity
  hasIncomeSource: boolean
  hasAbleSupporter: boolean
  /** Certificate level 1 (most severe) to 4; null or absent when not disabled. */
  disability?: { level: number, kind: DisabilityKind } | null
  seriousIllness: boolean
  schoolStage?: SchoolStage
  employed: boolean
}

export interface Household {
  /** Total assessed income per year, before the employment-cost deduction. */
  annualIncome: number
  rigidExpenses: { medical: number, education: number }
  propertyCompliant: boolean
  /** The 防返贫监测 flag imported from the rural-affairs department. */
  povertyMonitoring: boolean
  hardships: readonly Hardship[]
  members: readonly Member[]
  /** Set by county civil affairs after a case conference (一事一议). */
  caseByCase?: boolean
}

export type StandardKey = 'dibaoMonthly' | 'edgeMultiplier' | 'minWageMonthly' | 'disposableIncomeAnnual' | 'lowIncomeSupportAnnual'

export interface EvaluateRequest {
  profile: string
  asOf: string
  standards?: Partial<Record<StandardKey, number>>
  household: Household
}

export interface TraceStep {
  rule: string
  label: string
  result: boolean
  inputs: Record<string, unknown>
  source: string
}

export interface EvaluateResult {
  category: CategoryOrNone
  individualDibao: number[]
  /** Yuan per person per month, two decimals: after the deduction when the category takes it. */
  perCapitaMonthlyIncome: number
  profile: string
  profileVersion: string
  trace: TraceStep[]
}

const LABELS: Record<RuleId | 'assessed_income', string> = {
  assessed_income: '家庭收入核算',
  tekun: '特困人员',
  dibao: '最低生活保障',
  fanpin_monitor: '防止返贫监测对象',
  dibao_edge: '最低生活保障边缘家庭',
  rigid_expense: '刚性支出困难家庭',
  low_income_support: '低收入帮扶家庭',
  other: '其他困难人员（一事一议）',
  employment_deduction: '就业成本扣减',
  individual_dibao: '单人保',
  precedence: '就高认定',
  gradual_exit: '渐退期',
  monitored_windows: '其他监测对象'
}

const ELDERLY_AGE = 60
const ADULT_AGE = 18
/** Nanxun 二: 突发事件、意外伤害、重大疾病、重度残疾或其他特殊原因 (a natural disaster is a 突发事件). */
const NANXUN_HARDSHIPS: readonly Hardship[] = ['emergency', 'disaster', 'accident', 'serious_illness', 'severe_disability', 'other_special']
/** Shanxi: 因病因灾因意外事故等刚性支出较大. */
const SHANXI_HARDSHIPS: readonly Hardship[] = ['serious_illness', 'disaster', 'accident', 'emergency']

const round2 = (value: number) => Math.round(value * 100) / 100

export function ageOn (birthDate: string, asOf: string): number {
  const years = Number(asOf.slice(0, 4)) - Number(birthDate.slice(0, 4))
  return asOf.slice(5) < birthDate.slice(5) ? years - 1 : years
}

/** 单人保: disability certificate level 1–2, level 3 intellectual or mental, or a serious illness. */
export function qualifiesForIndividualDibao (member: Member): boolean {
  const d = member.disability
  return member.seriousIllness || (d != null && (d.level <= 2 || (d.level === 3 && (d.kind === 'intellectual' || d.kind === 'mental'))))
}

/** No version of a parameter is in force on the day asked about (e.g. before the profile existed). */
export class MissingParameterError extends Error {
  override name = 'MissingParameterError'
  constructor (readonly profile: string, readonly key: string, readonly asOf: string) {
    super(`profile ${profile} has no value for ${key} on ${asOf}`)
  }
}

/** Classifies with already resolved parameters; `explain` false skips the trace (bulk recomputation). */
export function classify (profile: Profile, parameters: ResolvedParameters, household: Household, asOf: string, explain = true): EvaluateResult {
  const values = parameters.values
  const need = (key: keyof ParameterValues): number => {
    const value = values[key]
    if (value === undefined) throw new MissingParameterError(profile.id, key, asOf)
    return value
  }
  const trace: TraceStep[] = []
  const source = (rule: RuleId) => profile.sources[rule] ?? profile.sources.dibao ?? ''
  const step = (rule: RuleId | 'assessed_income', result: boolean, inputs: () => Record<string, unknown>, cite: string) => {
    if (explain) trace.push({ rule, label: LABELS[rule], result, inputs: inputs(), source: cite })
    return result
  }

  const members = household.members
  const size = members.length
  const employed = members.reduce((n, m) => n + (m.employed ? 1 : 0), 0)
  const deductionMonthly = profile.employmentDeductionFor.length > 0 ? need('employmentDeductionMonthly') : 0
  const deductedAnnual = Math.max(0, household.annualIncome - employed * deductionMonthly * 12)
  const rawMonthly = household.annualIncome / size / 12
  const deductedMonthly = deductedAnnual / size / 12
  const incomeFor = (category: 'dibao' | 'dibao_edge') => profile.employmentDeductionFor.includes(category) ? deductedMonthly : rawMonthly
  step('assessed_income', true, () => ({
    annualIncome: household.annualIncome, members: size, employedMembers: employed,
    employmentDeductionMonthly: deductionMonthly, deductionAppliesTo: profile.employmentDeductionFor,
    perCapitaMonthly: round2(rawMonthly), perCapitaMonthlyAfterDeduction: round2(deductedMonthly)
  }), profile.sources.employment_deduction ?? source('dibao'))

  const dibaoLine = need('dibaoMonthly')
  const k = need('edgeMultiplier')
  const multipleLine = dibaoLine * k
  const minWage = profile.edgeCappedByMinWage ? need('minWageMonthly') : Infinity
  const capBinds = minWage < multipleLine
  const edgeLine = Math.min(multipleLine, minWage)
  /** Nanxun: 低于低保标准的 k 倍，但不超过最低工资 — strictly below the multiple, at most the wage. */
  const belowEdgeLine = (income: number) => capBinds ? income <= minWage : income < multipleLine
  const applies = new Set<Category>()
  const test = (category: Category, result: () => boolean, inputs: () => Record<string, unknown>) => {
    if (!profile.categories.includes(category)) return
    if (step(category, result(), inputs, source(category))) applies.add(category)
  }

  test('tekun', () => members.every(m => {
    const age = ageOn(m.birthDate, asOf)
    return m.laborCapacity === 'none' && !m.hasIncomeSource && !m.hasAbleSupporter && (age >= ELDERLY_AGE || age < ADULT_AGE || m.disability != null)
  }), () => ({
    rule: '无劳动能力、无生活来源、无法定赡养抚养扶养义务人或其无履行能力的老年人（≥60岁）、残疾人、未成年人；每名成员均须符合',
    members: members.map(m => ({ age: ageOn(m.birthDate, asOf), laborCapacity: m.laborCapacity, hasIncomeSource: m.hasIncomeSource, hasAbleSupporter: m.hasAbleSupporter, disabled: m.disability != null }))
  }))

  test('dibao', () => incomeFor('dibao') < dibaoLine && household.propertyCompliant, () => ({
    rule: '家庭人均收入低于低保标准，且财产符合规定', perCapitaMonthly: round2(incomeFor('dibao')), dibaoMonthly: dibaoLine, propertyCompliant: household.propertyCompliant
  }))

  test('fanpin_monitor', () => household.povertyMonitoring, () => ({
    rule: '农业农村部门认定并推送的防止返贫监测对象标记', povertyMonitoring: household.povertyMonitoring
  }))

  // Nanxun: "超过低保标准"; elsewhere: "不符合低保条件" — at or above the dibao line.
  const edgeIncome = incomeFor('dibao_edge')
  const aboveDibao = profile.edgeCappedByMinWage ? edgeIncome > dibaoLine : edgeIncome >= dibaoLine
  test('dibao_edge', () => aboveDibao && belowEdgeLine(edgeIncome) && household.propertyCompliant, () => ({
    rule: profile.edgeCappedByMinWage
      ? '家庭人均收入超过低保标准、低于低保标准的 k 倍（但不超过当地最低工资标准），且财产符合规定'
      : '不符合低保条件，家庭人均收入低于低保标准的 k 倍，且财产符合规定',
    perCapitaMonthly: round2(edgeIncome), dibaoMonthly: dibaoLine, edgeMultiplier: k,
    ...(profile.edgeCappedByMinWage ? { minWageMonthly: minWage, minWageCapApplies: capBinds } : {}),
    edgeLineMonthly: round2(edgeLine), propertyCompliant: household.propertyCompliant
  }))

  const { medical, education } = household.rigidExpenses
  const rigid = medical + education
  const perCapitaAnnual = household.annualIncome / size
  if (profile.rigidExpense === 'income_after_expenses_below_edge') {
    const disposable = need('disposableIncomeAnnual')
    const afterExpensesMonthly = (household.annualIncome - rigid) / size / 12
    test('rigid_expense', () => rigid > 0 && perCapitaAnnual < disposable && household.propertyCompliant && afterExpensesMonthly < edgeLine, () => ({
      rule: '家庭人均收入低于上年度城镇居民人均可支配收入，财产符合规定，且扣除医疗、教育等刚性支出后的人均收入低于低保边缘标准',
      perCapitaAnnual: round2(perCapitaAnnual), disposableIncomeAnnual: disposable, propertyCompliant: household.propertyCompliant,
      medical, education, perCapitaMonthlyAfterExpenses: round2(afterExpensesMonthly), edgeLineMonthly: round2(edgeLine),
      note: '须有医疗或教育支出；“短期内不可能改变”须由工作人员入户核实'
    }))
  } else if (profile.rigidExpense === 'expense_share_of_income') {
    const disposable = need('disposableIncomeAnnual')
    const share = need('rigidExpenseShare')
    const shareMet = rigid > 0 && rigid >= share * household.annualIncome
    test('rigid_expense', () => perCapitaAnnual < disposable && household.propertyCompliant && shareMet, () => ({
      rule: '家庭人均收入低于上年度居民人均可支配收入，财产符合规定，且医疗、教育支出占家庭总收入的比例达到规定比例以上',
      perCapitaAnnual: round2(perCapitaAnnual), disposableIncomeAnnual: disposable, propertyCompliant: household.propertyCompliant,
      medical, education, annualIncome: household.annualIncome, rigidExpenseShare: share,
      actualShare: household.annualIncome === 0 ? null : round2(rigid / household.annualIncome)
    }))
  } else {
    test('rigid_expense', () => household.hardships.some(h => SHANXI_HARDSHIPS.includes(h)), () => ({
      rule: '因病、因灾、因意外事故等刚性支出较大或收入大幅缩减导致基本生活出现严重困难', hardships: household.hardships
    }))
  }

  if (profile.categories.includes('low_income_support')) {
    const line = need('lowIncomeSupportAnnual')
    const raw = rawMonthly
    const hit = household.hardships.filter(h => NANXUN_HARDSHIPS.includes(h))
    // "超过…边缘家庭标准" is strictly above the standard; "低于（含等于）" at or below it.
    const aboveEdge = raw > edgeLine
    const branchA = aboveEdge && perCapitaAnnual < line
    const branchB = !aboveEdge && !household.propertyCompliant && hit.length > 0
    test('low_income_support', () => branchA || branchB, () => ({
      rule: '人均收入超过低保边缘标准但年人均收入低于帮扶线；或人均收入低于（含等于）低保边缘标准、因财产限制未纳入救助，且遭遇突发事件、意外伤害、重大疾病、重度残疾等特殊困难',
      perCapitaMonthly: round2(raw), perCapitaAnnual: round2(perCapitaAnnual), edgeLineMonthly: round2(edgeLine),
      lowIncomeSupportAnnual: line, propertyCompliant: household.propertyCompliant, hardships: household.hardships,
      branchAboveEdge: branchA, branchPropertyExcludedWithHardship: branchB
    }))
  }

  test('other', () => household.caseByCase === true, () => ({ rule: '县级民政部门一事一议认定', caseByCase: household.caseByCase === true }))

  const category: CategoryOrNone = CATEGORIES.find(c => applies.has(c)) ?? 'none'
  step('precedence', true, () => ({
    applicable: CATEGORIES.filter(c => applies.has(c)), chosen: category,
    order: profile.categories
  }), profile.sources.precedence ?? '')

  const individualDibao: number[] = []
  if (profile.individualDibao && category === 'dibao_edge') {
    members.forEach((m, i) => { if (qualifiesForIndividualDibao(m)) individualDibao.push(i) })
    step('individual_dibao', individualDibao.length > 0, () => ({
      rule: '低保边缘家庭中持二代残疾人证一、二级重度残疾人和三级智力、精神残疾人，或患重特大疾病的人员，可单独纳入低保',
      members: individualDibao
    }), source('individual_dibao'))
  }

  const reported = category === 'dibao' || category === 'dibao_edge' ? incomeFor(category) : rawMonthly
  return { category, individualDibao, perCapitaMonthlyIncome: round2(reported), profile: profile.id, profileVersion: parameters.version, trace }
}

/** The API contract: resolves the parameters in force on `asOf` (plus overrides) and classifies. */
export function evaluate (request: EvaluateRequest, staffVersions: readonly ParameterVersion[] = []): EvaluateResult {
  const profile = profileOf(request.profile)
  const parameters = resolveParameters(profile.id, profile.parameters, staffVersions, request.asOf, request.standards ?? {})
  return classify(profile, parameters, request.household, request.asOf)
}
