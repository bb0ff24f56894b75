// The classifier: applies a profile's rules to one household and explains the decision.
// Every category the document defines is tested; the household gets the highest that
// applies (就高), and so does each member (persons.ts). Income tests follow the documents'
// wording: "低于" is strictly below, "含等于" and "不超过" at or below, "超过" strictly above,
// "达到…以上" at or above; each step lists the comparisons it applied (wording, test,
// outcome), and a household that the letter leaves between two categories is told so.
import { CATEGORIES, type Category, type CategoryOrNone, type DisabilityKind, type Hardship, type HukouKind, type LaborCapacity, type SchoolStage } from '../domain.js'
import { periodEnd } from '../dates.js'
import { resolveParameters, type ParameterKey, type ParameterVersion, type ResolvedParameters } from './parameters.js'
import { DOCUMENTS, profileOf, profileReads, type Profile } from './profiles.js'
import { citedStep, step, stepHeads, type StepHeads, type TraceStep } from './trace.js'
import { decidePersons, monitoredOn, type MemberOutcome } from './persons.js'

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
  /** 户籍: 'rural' for 原农村户籍 (Nanxun 三(五)'s 低收入农户); null or absent when not recorded. */
  hukou?: HukouKind | null
  /** 行政事业单位人员 (Nanxun 三(五) leaves them out of 低收入农户). */
  publicSector?: boolean
  /** The person's 防返贫 monitoring by the rural department: its first day and, once it ended, its last. */
  povertyMonitoring?: { from: string, until?: string | null } | null
}

export interface Household {
  /** Total assessed income per year, before the employment-cost deduction. */
  annualIncome: number
  /** The year before's total income, when known: Shanxi's 收入大幅缩减 compares with it. */
  previousAnnualIncome?: number | null
  /** Yuan a year: medical, education and other rigid spending ("医疗、教育等", Nanxun 二, Jiyuan 二(二)5). */
  rigidExpenses: { medical: number, education: number, other?: number }
  propertyCompliant: boolean
  /** Day of the economic check behind propertyCompliant (YYYY-MM-DD), when recorded. */
  propertyCheckedOn?: string | null
  /** The 防返贫监测 flag imported from the rural-affairs department: every member is monitored (members may also carry dated records). */
  povertyMonitoring: boolean
  hardships: readonly Hardship[]
  members: readonly Member[]
  /** The household lives in an administrative village (行政村), not an urban community: Nanxun 三(五). Null or absent when not known. */
  administrativeVillage?: boolean | null
  /** Recorded when the body the document names decided the case individually (Hubei: 县级民政部门一事一议; Gansu: 市县人民政府; …). */
  caseByCase?: boolean
}

/** The keys `standards` may override for one evaluation: any parameter the profile reads. */
export type StandardKey = ParameterKey

export interface EvaluateRequest {
  profile: string
  asOf: string
  standards?: Partial<Record<StandardKey, number>>
  household: Household
}

export interface EvaluateResult {
  category: CategoryOrNone
  /** Members covered by 单人保 (their places in household.members); members has every member's outcome. */
  individualDibao: number[]
  /** Each member's outcome, in the order of household.members. */
  members: MemberOutcome[]
  /** Yuan per person per month, two decimals: after the deduction when the category takes it. */
  perCapitaMonthlyIncome: number
  profile: string
  profileVersion: string
  trace: TraceStep[]
}

const ELDERLY_AGE = 60
const ADULT_AGE = 18
const NO_RECORDS: readonly unknown[] = Object.freeze([])
const MAX_MEMBERS = 30
/** Nanxun 二: 突发事件、意外伤害、重大疾病、重度残疾或其他特殊原因 (a natural disaster is a 突发事件). */
const NANXUN_HARDSHIPS: readonly Hardship[] = ['emergency', 'disaster', 'accident', 'serious_illness', 'severe_disability', 'other_special']
/** Shanxi 工作任务(一)4: 因病因灾因意外事故等. */
const SHANXI_CAUSES: readonly Hardship[] = ['serious_illness', 'disaster', 'accident', 'emergency']

const round2 = (value: number) => Math.round(value * 100) / 100

/** One income test as a trace shows it: the document's words, the comparison applied, and its outcome. */
export interface Comparison {
  wording: string
  test: string
  holds: boolean
}

/**
 * Each comparison a step can make, held and not held, built once: the same few comparisons
 * appear in every household's trace, so they are shared rather than made per household.
 */
function comparison (wording: string, test: string): readonly [Comparison, Comparison] {
  return [Object.freeze({ wording, test, holds: false }), Object.freeze({ wording, test, holds: true })]
}
/** The comparison as it came out. */
const as = (comparison: readonly [Comparison, Comparison], holds: boolean): Comparison => holds ? comparison[1] : comparison[0]
const BELOW_DIBAO = comparison('低于低保标准', 'perCapitaMonthly < dibaoMonthly（不含等于）')
const ABOVE_DIBAO = comparison('超过低保标准', 'perCapitaMonthly > dibaoMonthly（不含等于）')
const BELOW_MULTIPLE = comparison('低于低保标准的 k 倍', 'perCapitaMonthly < dibaoMonthly × edgeMultiplier（不含等于）')
const WITHIN_WAGE = comparison('不超过当地最低工资标准', 'perCapitaMonthly ≤ minWageMonthly（含等于）')
const NOT_DIBAO = comparison('不符合低保条件（低保须“低于”低保标准）', 'perCapitaMonthly ≥ dibaoMonthly')
const ABOVE_EDGE = comparison('超过最低生活保障边缘家庭标准', 'perCapitaMonthly > edgeLineMonthly（不含等于）')
const BELOW_SUPPORT_LINE = comparison('年人均收入低于 3.3334 万元', 'perCapitaAnnual < lowIncomeSupportAnnual（不含等于）')
const WITHIN_EDGE = comparison('低于（含等于）当地最低生活保障边缘标准', 'perCapitaMonthly ≤ edgeLineMonthly（含等于）')

/**
 * Nanxun 二's 重大疾病 and 重度残疾 as the members' records show them, tag or no tag: a serious
 * illness, or a disability certificate of level 1–2 (the levels the Shanxi county's
 * 工作任务(三)1(2) calls "一级、二级重度残疾人").
 */
function membersHardships (members: readonly Member[]): ReadonlyArray<{ member: number, hardship: Hardship }> {
  let found: Array<{ member: number, hardship: Hardship }> | null = null
  for (let i = 0; i < members.length; i++) {
    const m = members[i] as Member
    if (m.seriousIllness) (found ??= []).push({ member: i, hardship: 'serious_illness' })
    if (m.disability != null && m.disability.level <= 2) (found ??= []).push({ member: i, hardship: 'severe_disability' })
  }
  return found ?? NO_RECORDS as []
}

/** The number written in `text` between `from` and `to` (digits only, as in YYYY-MM-DD). */
function digits (text: string, from: number, to: number): number {
  let n = 0
  for (let i = from; i < to; i++) n = n * 10 + text.charCodeAt(i) - 48
  return n
}

/** Whole years from a birth date to a day, both YYYY-MM-DD (read digit by digit: this runs for every member). */
export function ageOn (birthDate: string, asOf: string): number {
  return ageAt(birthDate, digits(asOf, 0, 4), digits(asOf, 5, 7) * 100 + digits(asOf, 8, 10))
}

/** ageOn with the day already read: its year and its month × 100 + day. */
function ageAt (birthDate: string, year: number, monthDay: number): number {
  const years = year - digits(birthDate, 0, 4)
  return monthDay < digits(birthDate, 5, 7) * 100 + digits(birthDate, 8, 10) ? years - 1 : years
}

/** No version of a parameter is in force on the day asked about (e.g. before the profile existed). */
export class MissingParameterError extends Error {
  override name = 'MissingParameterError'
  constructor (readonly profile: string, readonly key: string, readonly asOf: string) {
    super(`profile ${profile} has no value for ${key} on ${asOf}`)
  }
}

/** A household without members has no per-capita income: the engine refuses it rather than divide by zero. */
export class EmptyHouseholdError extends Error {
  override name = 'EmptyHouseholdError'
  readonly field = 'members'
  constructor () {
    super('a household needs at least one member')
  }
}

/** The value of a parameter in force, or the typed error saying none is. */
function valueOf (profile: Profile, parameters: ResolvedParameters, key: ParameterKey, asOf: string): number {
  const value = parameters.values[key]
  if (value === undefined) throw new MissingParameterError(profile.id, key, asOf)
  return value
}

/** Categories found to apply, as bits in 就高 order (bit i is CATEGORIES[i]). */
const bit = (category: Category) => 1 << CATEGORIES.indexOf(category)
const TEKUN = bit('tekun')
const DIBAO = bit('dibao')
const FANPIN = bit('fanpin_monitor')
const EDGE = bit('dibao_edge')
const RIGID = bit('rigid_expense')
const LOW_INCOME = bit('low_income_support')
const OTHER = bit('other')

/** The categories whose bits are set, in 就高 order. */
function applicable (bits: number): Category[] {
  const found: Category[] = []
  for (let i = 0; i < CATEGORIES.length; i++) if ((bits & (1 << i)) !== 0) found.push(CATEGORIES[i] as Category)
  return found
}

function hasAny (hardships: readonly Hardship[], of: readonly Hardship[]): boolean {
  for (const h of hardships) if (of.includes(h)) return true
  return false
}

/**
 * Classifies with already resolved parameters, explaining every rule: the household's category
 * and each member's (persons.ts). Written for speed (no closures or sets per household, shared
 * objects where every household would make the same): the registry classifies every imported
 * household this way.
 */
export function classify (profile: Profile, parameters: ResolvedParameters, household: Household, asOf: string): EvaluateResult {
  const members = household.members
  const size = members.length
  if (size === 0) throw new EmptyHouseholdError()
  // Per-member findings are bits of a 32-bit integer; the schemas allow 30 members.
  if (size > MAX_MEMBERS) throw new RangeError(`a household has at most ${MAX_MEMBERS} members`)
  const trace: TraceStep[] = []
  const heads = stepHeads(profile)
  const categories = profile.categories
  const property = household.propertyCompliant
  const income = household.annualIncome
  let applies = 0

  const dibaoLine = valueOf(profile, parameters, 'dibaoMonthly', asOf)
  const k = valueOf(profile, parameters, 'edgeMultiplier', asOf)
  const multipleLine = dibaoLine * k
  const nanxunBand = profile.edgeBand === 'above_dibao_below_k_within_wage'
  const minWage = nanxunBand ? valueOf(profile, parameters, 'minWageMonthly', asOf) : Infinity
  // The 低保边缘标准 that 刚性支出 and 低收入帮扶 compare with: k × the 低保 line, in Nanxun
  // no more than the minimum wage.
  const edgeLine = Math.min(multipleLine, minWage)

  // One income figure for every comparison. The deduction is written for the households the
  // document names (Nanxun 三(一) "已就业的最低生活保障、最低生活保障边缘家庭", Gansu 三(二)
  // "已就业的低保对象"): it is taken when, with it, the household is one of them, and then
  // every later step (边缘, 刚性支出, 低收入帮扶) compares the deducted figure; otherwise every
  // step compares the income as reported. A household is never 低保 by one figure and above
  // the 低保 line by another.
  let employed = 0
  for (const m of members) if (m.employed) employed++
  const deductsFor = profile.employmentDeductionFor
  const deductionMonthly = deductsFor.length > 0 ? valueOf(profile, parameters, 'employmentDeductionMonthly', asOf) : 0
  const rawMonthly = income / size / 12
  const deductedAnnual = Math.max(0, income - employed * deductionMonthly * 12)
  const deductedMonthly = deductedAnnual / size / 12
  const deducted = deductedAnnual < income && property &&
    ((deductsFor.includes('dibao') && deductedMonthly < dibaoLine) ||
      (deductsFor.includes('dibao_edge') && inEdgeBand(nanxunBand, deductedMonthly, dibaoLine, multipleLine, minWage)))
  const assessedAnnual = deducted ? deductedAnnual : income
  const monthly = deducted ? deductedMonthly : rawMonthly
  const perCapitaAnnual = assessedAnnual / size
  const figure = deducted ? FIGURE_DEDUCTED : FIGURE_REPORTED
  const assessed: Record<string, unknown> = {
    annualIncome: income, members: size, employedMembers: employed,
    employmentDeductionMonthly: deductionMonthly, deductionAppliesTo: deductsFor,
    perCapitaMonthly: round2(rawMonthly), perCapitaMonthlyAfterDeduction: round2(deductedMonthly),
    deductionTaken: deducted, assessedAnnualIncome: round2(assessedAnnual), assessedPerCapitaMonthly: round2(monthly), incomeFigure: figure,
    // Undefined (left out of the stored JSON) where the profile deducts nothing.
    deductionReading: deductsFor.length > 0 ? DEDUCTION_READING : undefined
  }
  trace.push(step(heads.assessed_income, true, assessed))

  const year = digits(asOf, 0, 4)
  const monthDay = digits(asOf, 5, 7) * 100 + digits(asOf, 8, 10)
  // 特困 is decided per person: without labour capacity, income source or able supporter, and
  // elderly, disabled or a minor. A household all of whose members are 特困 is a 特困 household.
  // 防返贫监测 (below): the household's flag makes every member a monitored object; a member's
  // own record does for the days it covers. Per-member findings are bit masks (bit i, member i).
  let tekunPersons = 0
  let adults = 0
  let monitored = 0
  let records: Array<Record<string, unknown>> | null = null
  const facts: Array<Record<string, unknown>> = []
  for (let i = 0; i < size; i++) {
    const m = members[i] as Member
    const age = ageAt(m.birthDate, year, monthDay)
    const disabled = m.disability != null
    const qualifies = m.laborCapacity === 'none' && !m.hasIncomeSource && !m.hasAbleSupporter && (disabled || isMinorOrElderly(age))
    if (qualifies) tekunPersons |= 1 << i
    if (age >= ADULT_AGE) adults |= 1 << i
    facts.push({ age, laborCapacity: m.laborCapacity, hasIncomeSource: m.hasIncomeSource, hasAbleSupporter: m.hasAbleSupporter, disabled, qualifies })
    const record = m.povertyMonitoring
    if (record != null) (records ??= []).push({ member: i, from: record.from, until: record.until ?? null, current: monitoredOn(record, asOf) })
    if (household.povertyMonitoring || (record != null && monitoredOn(record, asOf))) monitored |= 1 << i
  }
  const tekun = tekunPersons === (1 << size) - 1
  if (tekun) applies |= TEKUN
  trace.push(step(heads.tekun, tekun, {
    rule: '特困按人认定：无劳动能力、无生活来源、无法定赡养抚养扶养义务人或其无履行能力的老年人（≥60岁）、残疾人、未成年人；全户成员均符合时全户为特困',
    members: facts
  }))

  const belowDibao = monthly < dibaoLine
  const dibao = belowDibao && property
  if (dibao) applies |= DIBAO
  trace.push(step(heads.dibao, dibao, {
    rule: '家庭人均收入低于低保标准，且财产符合规定', perCapitaMonthly: round2(monthly), incomeFigure: figure, dibaoMonthly: dibaoLine, propertyCompliant: property,
    comparisons: [as(BELOW_DIBAO, belowDibao)]
  }))

  // A household with a monitored member is a monitored household.
  if (categories.includes('fanpin_monitor')) {
    if (monitored !== 0) applies |= FANPIN
    trace.push(step(heads.fanpin_monitor, monitored !== 0, {
      rule: '农业农村部门认定并推送的防止返贫监测对象：户的标记，或成员在监测期内', povertyMonitoring: household.povertyMonitoring, memberRecords: records ?? NO_RECORDS
    }))
  }

  const belowMultiple = monthly < multipleLine
  let inputs: Record<string, unknown>
  // Set when the income sits on a line that, read to the letter, leaves it in neither category.
  let onLine: string | undefined
  if (nanxunBand) {
    // Nanxun 二: "超过低保标准，一般低于低保标准的 2 倍（但不超过当地最低工资标准）": both
    // ends strict, the wage cap inclusive.
    const aboveDibao = monthly > dibaoLine
    const withinWage = monthly <= minWage
    inputs = {
      rule: '家庭人均收入超过低保标准、一般低于低保标准的 k 倍（但不超过当地最低工资标准），且财产符合规定',
      perCapitaMonthly: round2(monthly), incomeFigure: figure, dibaoMonthly: dibaoLine, edgeMultiplier: k, minWageMonthly: minWage,
      minWageCapApplies: minWage < multipleLine, edgeLineMonthly: round2(edgeLine), propertyCompliant: property, multiplierReading: GENERALLY,
      comparisons: [
        as(ABOVE_DIBAO, aboveDibao),
        as(BELOW_MULTIPLE, belowMultiple),
        as(WITHIN_WAGE, withinWage)
      ]
    }
    if (property && monthly === dibaoLine) onLine = '恰等于低保标准：不“低于”低保标准（不是低保），也不“超过”低保标准（不是低保边缘）'
    if (property && monthly === multipleLine && withinWage) onLine = '恰等于低保标准的 k 倍：不“低于”k 倍（不是低保边缘），也不“超过”低保边缘标准（不是低收入帮扶）'
  } else {
    // Jiyuan 二(二)4, Shanxi 工作任务(一)3: "不符合低保条件…低于低保标准 k 倍": the 低保 line
    // itself is not below it (低于), so it is 边缘; k × the line is not.
    const notBelowDibao = monthly >= dibaoLine
    inputs = {
      rule: '不符合低保条件，家庭人均收入低于低保标准的 k 倍，且财产符合规定',
      perCapitaMonthly: round2(monthly), incomeFigure: figure, dibaoMonthly: dibaoLine, edgeMultiplier: k, edgeLineMonthly: round2(edgeLine), propertyCompliant: property,
      comparisons: [
        as(NOT_DIBAO, notBelowDibao),
        as(BELOW_MULTIPLE, belowMultiple)
      ]
    }
  }
  if (onLine !== undefined) inputs.boundary = onLine
  const edge = property && inEdgeBand(nanxunBand, monthly, dibaoLine, multipleLine, minWage)
  if (edge) applies |= EDGE
  trace.push(step(heads.dibao_edge, edge, inputs))

  const rigid = rigidExpense(profile, parameters, household, asOf, assessedAnnual, edgeLine)
  if (rigid) applies |= RIGID
  trace.push(step(heads.rigid_expense, rigid, rigidInputs(profile, parameters, household, assessedAnnual, edgeLine, figure)))

  if (categories.includes('low_income_support')) {
    const line = valueOf(profile, parameters, 'lowIncomeSupportAnnual', asOf)
    const aboveEdge = monthly > edgeLine
    const belowLine = perCapitaAnnual < line
    const fromMembers = membersHardships(members)
    const hardship = fromMembers.length > 0 || hasAny(household.hardships, NANXUN_HARDSHIPS)
    // Nanxun 二: "…是指家庭人均收入超过最低生活保障边缘家庭标准但年人均收入低于 3.3334 万元,
    // 或者家庭人均收入低于（含等于）…边缘标准，但因财产限制性条件未纳入…，且发生…导致家庭陷入
    // 困境且家庭财产状况符合相关认定条件的家庭". The first branch is worded on income alone; the
    // closing property condition is the second branch's, where the property kept the family out
    // of 低保/边缘 and must still meet 低收入帮扶's own conditions (not in the library: staff verify).
    const branchA = aboveEdge && belowLine
    const branchB = !aboveEdge && !property && hardship
    if (branchA || branchB) applies |= LOW_INCOME
    const inputs: Record<string, unknown> = {
      rule: '人均收入超过低保边缘标准但年人均收入低于帮扶线（第一分支未写财产条件）；或人均收入低于（含等于）低保边缘标准、因财产限制未纳入救助，且遭遇突发事件、意外伤害、重大疾病、重度残疾等特殊困难，且财产符合帮扶家庭的认定条件',
      perCapitaMonthly: round2(monthly), perCapitaAnnual: round2(perCapitaAnnual), incomeFigure: figure, edgeLineMonthly: round2(edgeLine),
      lowIncomeSupportAnnual: line, propertyCompliant: property, hardships: household.hardships, memberHardships: fromMembers,
      comparisons: [
        as(ABOVE_EDGE, aboveEdge),
        as(BELOW_SUPPORT_LINE, belowLine),
        as(WITHIN_EDGE, !aboveEdge)
      ],
      branchAboveEdge: branchA, branchPropertyExcludedWithHardship: branchB
    }
    if (branchB) inputs.verify = '须核实家庭财产状况符合低收入帮扶家庭的相关认定条件'
    else if (branchA && !property) inputs.verify = '第一分支未写财产条件；家庭财产超过低保、边缘的限制，须按南浔 三(二)《南浔区低收入困难扩面家庭救助实施意见》核实'
    trace.push(step(heads.low_income_support, branchA || branchB, inputs))
  }

  if (profile.otherRule !== null) {
    const other = household.caseByCase === true
    if (other) applies |= OTHER
    trace.push(step(heads.other, other, { rule: profile.otherRule, caseByCase: other }))
  }

  // The lowest bit set is the highest category (就高).
  const rank = applies === 0 ? CATEGORIES.length : 31 - Math.clz32(applies & -applies)
  const category: CategoryOrNone = applies === 0 ? 'none' : CATEGORIES[rank] as Category
  const chosen: Record<string, unknown> = { applicable: applicable(applies), chosen: category, order: categories, orderBasis: ORDER_BASIS }
  if (category === 'none' && onLine !== undefined) chosen.byTheLetter = `按文件字面不属于任何类别：${onLine}；如何认定须由工作人员研判`
  trace.push(step(heads.precedence, true, chosen))

  // Then each member: their own grounds (特困, 单人保, 参照单人户, monitoring) and the household's.
  const individualDibao: number[] = []
  const outcomes = decidePersons(profile, household, { asOf, adults, tekun: tekunPersons, monitored, category, rank, edge, rigid }, trace, individualDibao)

  if (household.propertyCheckedOn) {
    trace.push(economicCheck(heads, household.propertyCheckedOn, asOf, valueOf(profile, parameters, 'economicCheckValidityMonths', asOf)))
  }

  return { category, individualDibao, members: outcomes, perCapitaMonthlyIncome: round2(monthly), profile: profile.id, profileVersion: parameters.version, trace }
}

const isMinorOrElderly = (age: number) => age >= ELDERLY_AGE || age < ADULT_AGE

/**
 * Nanxun 二 "一般低于低保标准的 2 倍": "一般" leaves the multiple to the local government, so k is a
 * dated parameter (2 by default, 二); within a version the bound is hard, and the wage cap, which
 * the document does not qualify, always applies.
 */
const GENERALLY = '“一般”低于 2 倍：k 为按版本调整的参数（默认 2），版本内严格适用；工资上限无“一般”，始终适用'

/**
 * When the deduction is taken: at every assessment, the first included, whenever with it the
 * household is one the document names — both documents attach it to "在核算其家庭收入时",
 * the one income assessment applicants and covered households alike go through.
 */
const DEDUCTION_READING = '每次核算（含首次认定）均可扣减；扣减后属文件所指家庭时扣减，各步同用此数'

/**
 * 就高 (Hubei 四) names no order. Ours: the in-patient medical-assistance ratios of Hubei 四(二)1
 * (特困 100%, 低保 70%, 防返贫监测 and 边缘 60%, 因病致贫重病患者 50%); 防返贫监测 before 边缘 at the
 * same 60% as the documents list them (Hubei 二(一), Jiyuan 二(一), Gansu 一); 刚性支出 before
 * 低收入帮扶 (Nanxun 三(二): government special assistance for the first, mainly social help for
 * the second); 其他困难人员, decided case by case for those the others miss, last.
 */
const ORDER_BASIS = '湖北 四(二)1 救助比例；同比例按湖北 二(一)列举次序；刚性支出先于低收入帮扶（南浔 三(二)）；其他困难人员居末'

/**
 * Which income figure a step compared, as its trace says. These and the readings above are in
 * every stored trace: short, the README says them at length (Readings the documents leave open).
 */
const FIGURE_DEDUCTED = 'after_deduction'
const FIGURE_REPORTED = 'as_reported'

/**
 * The edge band's income test, property aside: Nanxun 二 "超过低保标准，一般低于低保标准的 2 倍
 * （但不超过当地最低工资标准）" (both ends strict, the wage cap inclusive); Jiyuan 二(二)4 and
 * Shanxi 工作任务(一)3 "不符合低保条件…低于低保标准 k 倍" (the 低保 line itself is in, k × it is not).
 */
function inEdgeBand (nanxunBand: boolean, monthly: number, dibaoLine: number, multipleLine: number, minWage: number): boolean {
  return nanxunBand
    ? monthly > dibaoLine && monthly < multipleLine && monthly <= minWage
    : monthly >= dibaoLine && monthly < multipleLine
}

/** The profile's reading of 刚性支出困难家庭. */
function rigidExpense (profile: Profile, parameters: ResolvedParameters, household: Household, asOf: string, income: number, edgeLine: number): boolean {
  const spent = rigidSpending(household)
  if (!household.propertyCompliant || income / household.members.length >= valueOf(profile, parameters, 'disposableIncomeAnnual', asOf)) return false
  switch (profile.rigidExpense) {
    case 'income_after_expenses_below_edge':
      return spent > 0 && (income - spent) / household.members.length / 12 < edgeLine
    case 'expense_share_of_income':
      return spent > 0 && spent >= valueOf(profile, parameters, 'rigidExpenseShare', asOf) * income
    case 'spending_or_income_drop': {
      if (spent > 0 && spent >= valueOf(profile, parameters, 'rigidExpenseShare', asOf) * income) return true
      const previous = household.previousAnnualIncome ?? null
      return previous !== null && previous > 0 && income <= previous * (1 - valueOf(profile, parameters, 'incomeDropShare', asOf)) &&
        hasAny(household.hardships, SHANXI_CAUSES)
    }
  }
}

/** "医疗、教育等刚性支出": medical, education and the other rigid spending staff recorded. */
const rigidSpending = (household: Household) => household.rigidExpenses.medical + household.rigidExpenses.education + (household.rigidExpenses.other ?? 0)

/** What the rigid-expense test looked at, for the trace. */
function rigidInputs (profile: Profile, parameters: ResolvedParameters, household: Household, income: number, edgeLine: number, figure: string): Record<string, unknown> {
  const { medical, education, other = 0 } = household.rigidExpenses
  const spent = rigidSpending(household)
  const values = parameters.values
  const inputs: Record<string, unknown> = {
    rule: RIGID_RULES[profile.rigidExpense], perCapitaAnnual: round2(income / household.members.length), incomeFigure: figure, disposableIncomeAnnual: values.disposableIncomeAnnual,
    propertyCompliant: household.propertyCompliant, medical, education, other
  }
  switch (profile.rigidExpense) {
    case 'income_after_expenses_below_edge':
      inputs.perCapitaMonthlyAfterExpenses = round2((income - spent) / household.members.length / 12)
      inputs.edgeLineMonthly = round2(edgeLine)
      inputs.verify = '须有医疗或教育支出；“短期内不可能改变”须由工作人员入户核实'
      break
    case 'expense_share_of_income':
      inputs.annualIncome = income
      inputs.rigidExpenseShare = values.rigidExpenseShare
      inputs.actualShare = income === 0 ? null : round2(spent / income)
      break
    case 'spending_or_income_drop': {
      const share = values.rigidExpenseShare as number
      const dropShare = values.incomeDropShare as number
      const previous = household.previousAnnualIncome ?? null
      const causes = household.hardships.filter(h => SHANXI_CAUSES.includes(h))
      inputs.annualIncome = income
      inputs.rigidExpenseShare = share
      inputs.largeSpending = spent > 0 && spent >= share * income
      inputs.previousAnnualIncome = previous
      inputs.incomeDropShare = dropShare
      inputs.causes = causes
      inputs.incomeDropped = previous !== null && previous > 0 && income <= previous * (1 - dropShare) && causes.length > 0
      break
    }
  }
  return inputs
}

const RIGID_RULES: Record<Profile['rigidExpense'], string> = {
  income_after_expenses_below_edge: '家庭人均收入低于上年度城镇居民人均可支配收入，财产符合规定，且扣除医疗、教育等刚性支出后的人均收入低于低保边缘标准',
  expense_share_of_income: '家庭人均收入低于上年度居民人均可支配收入，财产符合规定，且医疗、教育支出占家庭总收入的比例达到规定比例以上',
  spending_or_income_drop: '因病、因灾、因意外事故等刚性支出较大或收入大幅缩减导致基本生活出现严重困难（人均收入低于上年度居民人均可支配收入），且财产符合规定'
}

/** Check days repeat across households (a village is checked on the same days): their ends are remembered, per validity. */
const validityEnds = new Map<number, Map<string, string>>()

/** Hubei 二(三): an economic check is recognised for a number of months; an older one needs redoing. */
function economicCheck (heads: StepHeads, checkedOn: string, asOf: string, months: number): TraceStep {
  let ends = validityEnds.get(months)
  if (ends === undefined || ends.size > 100_000) validityEnds.set(months, ends = new Map())
  let validUntil = ends.get(checkedOn)
  if (validUntil === undefined) ends.set(checkedOn, validUntil = periodEnd(checkedOn, months))
  const valid = asOf <= validUntil
  const inputs: Record<string, unknown> = { propertyCheckedOn: checkedOn, validityMonths: months, validUntil, asOf }
  if (!valid) inputs.action = '财产核对结果已超过互认期，需重新核对；本次仍按记录的财产状况认定 (check is stale: redo it; this decision uses the recorded result)'
  return step(heads.economic_check, valid, inputs)
}

/**
 * The API contract: resolves the parameters in force on `asOf` (plus overrides) and classifies.
 * An override of a parameter the profile does not read changes nothing: the trace names it.
 */
export function evaluate (request: EvaluateRequest, staffVersions: readonly ParameterVersion[] = []): EvaluateResult {
  const profile = profileOf(request.profile)
  const overrides: Partial<Record<StandardKey, number>> = {}
  const ignored: Partial<Record<StandardKey, number>> = {}
  for (const [key, value] of Object.entries(request.standards ?? {}) as Array<[StandardKey, number]>) {
    if (profileReads(profile, key)) overrides[key] = value
    else ignored[key] = value
  }
  const parameters = resolveParameters(profile.id, profile.parameters, staffVersions, request.asOf, overrides)
  const result = classify(profile, parameters, request.household, request.asOf)
  if (Object.keys(ignored).length === 0) return result
  const document = DOCUMENTS[profile.id]
  const step = citedStep({ source: `${document} 全文`, note: `${document} 没有使用这些参数的规定 (the document has no rule that reads them)` }, 'standards_ignored', false, {
    ignored, reason: `${profile.id} 不使用这些参数，本次测算未采用 (${profile.id} does not read these standards: ignored)`
  })
  return { ...result, trace: [step, ...result.trace] }
}
