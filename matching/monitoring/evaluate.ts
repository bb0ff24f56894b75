// What a department record means for the person it names (动态监测: 000 四(三), 001 三(三),
// 002 三(一)): for a low-income person, the hardship rules — a spending surge, an income drop, a
// new severe disability, a disaster loss — each classed as 001 三(四) says; for a monitored
// person outside the low-income population, whether the new data may make them qualify, which
// the caller answers by running the classifier on the changed facts. Also the policy-gap scans
// (000 三(二) training classes and job recommendations; 001 二(三) economic checks) and the
// deadline of a warning in working days. Pure: every fact and every day is an argument.
import { CATEGORIES, CATEGORY_NAMES, type CategoryOrNone } from '../domain.js'
import { ageOn, halfYearProgress, monthsBefore, periodEnd, ymd, ymdText } from '../dates.js'
import { addWorkingDays, yearsMissing, type WorkCalendar } from './working-days.js'
import { type ResolvedRules, type RuleKey, type RuleVersion, type WarningClass } from './rules.js'

export const FEED_KINDS = ['unemployment', 'medical', 'disability', 'death', 'disaster', 'assistance'] as const
export type FeedKind = typeof FEED_KINDS[number]
export const FEED_KIND_NAMES: Record<FeedKind, string> = {
  unemployment: '失业登记（人力社保）',
  medical: '医疗费用（医保）',
  disability: '残疾人证（残联）',
  death: '死亡信息（卫健、公安）',
  disaster: '灾害损失（应急管理）',
  assistance: '部门救助帮扶记录'
}

/** A department record's facts (the ID number stays with the I/O layer, which matches it). */
export type FeedFacts =
  | { kind: 'unemployment', occurredOn: string }
  | { kind: 'medical', occurredOn: string, outOfPocket: number, totalCost: number | null }
  | { kind: 'disability', occurredOn: string, level: 1 | 2 | 3 | 4, disabilityKind: string }
  | { kind: 'death', occurredOn: string }
  | { kind: 'disaster', occurredOn: string, loss: number, disasterKind: string }
  | { kind: 'assistance', occurredOn: string, assistanceKind: string, value: number, provider: string, reference: string }

export interface PersonFacts {
  personId: number
  birthDate: string
  laborCapacity: 'full' | 'weak' | 'none'
  employed: boolean
  disabilityLevel: number | null
  disabilityKind: string | null
  /** Left the household already (a death recorded, a move). */
  left: boolean
}

export interface HouseholdStanding {
  householdId: number
  /** The latest classification's category; null or 'none' outside the low-income population. */
  category: string | null
  status: string
  currentMembers: number
}

/** Low-income (低收入人口): a category, and assistance still running (active or in 渐退期). */
export function isLowIncome (household: Pick<HouseholdStanding, 'category' | 'status'>): boolean {
  return household.category !== null && (CATEGORIES as readonly string[]).includes(household.category) && (household.status === 'active' || household.status === 'gradual_exit')
}

/** What a record changes in the household's facts, for the classifier to judge again. */
export type FeedEffect =
  | { kind: 'medical', addedOutOfPocket: number }
  | { kind: 'member_left', personId: number }
  | { kind: 'member_unemployed', personId: number }
  | { kind: 'disability', personId: number, level: number, disabilityKind: string }
  | { kind: 'hardship', hardship: 'disaster' }

export interface Reclassified { category: CategoryOrNone, profileVersion: string, steps: string[] }

export interface Finding {
  rule: RuleKey
  /** With the person, what no second open warning may share (001 三(四) one warning per cause). */
  cause: string
  warningClass: WarningClass
  /** One line for the worklist, in Chinese. */
  summary: string
  /** The figures the rule compared. */
  values: Record<string, number | string | boolean>
  /** The rule version applied (its parameters, date and source). */
  version: RuleVersion
}

export interface RecordContext {
  record: FeedFacts
  person: PersonFacts
  household: HouseholdStanding
  rules: ResolvedRules
  /** The person's earlier medical records (out-of-pocket amounts), not including this one. */
  medicalHistory?: ReadonlyArray<{ occurredOn: string, outOfPocket: number }>
  /** Runs the classifier on the household with the record's effect (for those outside the low-income population). */
  reclassify?: (effect: FeedEffect) => Reclassified
}

const enabled = (rules: ResolvedRules, rule: RuleKey) => rules.rules[rule].enabled ? rules.rules[rule] : undefined
const age = (person: PersonFacts, on: string) => ageOn(ymd(person.birthDate), ymd(on))
const yuan = (n: number) => `¥${Math.round(n).toLocaleString('en-US')}`

/** The hardship rules a record triggers for a person, whoever they are. */
function hardships (c: RecordContext): Finding[] {
  const { record, person, household, rules } = c
  const found: Finding[] = []
  const find = (rule: RuleKey, warningClass: WarningClass, summary: string, values: Finding['values'], cause: string = rule) => {
    found.push({ rule, cause, warningClass, summary, values, version: rules.rules[rule] })
  }
  switch (record.kind) {
    case 'medical': {
      const rule = enabled(rules, 'spending_surge')
      if (!rule) break
      const { tier1 = 0, tier2 = 0, complexAt = 0, windowMonths = 12 } = rule.params
      const since = ymdText(monthsBefore(ymd(record.occurredOn), windowMonths))
      const before = (c.medicalHistory ?? []).filter(m => m.occurredOn > since && m.occurredOn <= record.occurredOn).reduce((sum, m) => sum + m.outOfPocket, 0)
      const after = before + record.outOfPocket
      // A surge is crossing a tier: the same total does not warn again with every small bill.
      const crossed = [tier1, tier2, complexAt].filter(tier => before < tier && after >= tier)
      if (crossed.length === 0) break
      const tier = after >= complexAt ? 3 : after >= tier2 ? 2 : 1
      find('spending_surge', tier === 3 ? 'complex' : 'new_hardship',
        `近 ${windowMonths} 个月自付医疗费用累计 ${yuan(after)}，达到第${['一', '二', '三'][tier - 1] as string}档（${yuan([tier1, tier2, complexAt][tier - 1] as number)}）`,
        { outOfPocket: record.outOfPocket, totalInWindow: after, before, tier, windowMonths })
      break
    }
    case 'death': {
      if (household.currentMembers <= 1 && !person.left) {
        if (enabled(rules, 'sole_member_death')) find('sole_member_death', 'no_longer_eligible', `家庭唯一在册成员于 ${record.occurredOn} 死亡，救助应及时终止`, { diedOn: record.occurredOn })
        break
      }
      const rule = enabled(rules, 'income_drop_death')
      if (!rule) break
      const years = age(person, record.occurredOn)
      if (years >= (rule.params.minAge ?? 16) && years <= (rule.params.maxAge ?? 59)) {
        find('income_drop_death', 'new_hardship', `劳动年龄段家庭成员（${years} 岁）于 ${record.occurredOn} 死亡，家庭收入可能骤减`, { age: years, diedOn: record.occurredOn })
      }
      break
    }
    case 'unemployment': {
      const rule = enabled(rules, 'income_drop_unemployment')
      if (!rule || person.laborCapacity === 'none') break
      const years = age(person, record.occurredOn)
      if (years >= (rule.params.minAge ?? 16) && years <= (rule.params.maxAge ?? 59)) {
        find('income_drop_unemployment', 'new_hardship', `有劳动能力的成员（${years} 岁）于 ${record.occurredOn} 登记失业，收入无法持续稳定`, { age: years, registeredOn: record.occurredOn })
      }
      break
    }
    case 'disability': {
      const rule = enabled(rules, 'severe_disability')
      if (!rule) break
      const severe = (level: number | null, kind: string | null) => level !== null && (level <= (rule.params.maxLevel ?? 2) || ((kind === 'intellectual' || kind === 'mental') && level <= (rule.params.mentalMaxLevel ?? 3)))
      if (severe(record.level, record.disabilityKind) && !severe(person.disabilityLevel, person.disabilityKind)) {
        find('severe_disability', 'new_hardship', `新办${record.level}级残疾人证（${DISABILITY_NAMES[record.disabilityKind] ?? record.disabilityKind}），属重度残疾`, { level: record.level, disabilityKind: record.disabilityKind, previousLevel: person.disabilityLevel ?? 0 })
      }
      break
    }
    case 'disaster': {
      const rule = enabled(rules, 'disaster_loss')
      if (!rule || record.loss < (rule.params.threshold ?? Infinity)) break
      const complex = record.loss >= (rule.params.complexAt ?? Infinity)
      find('disaster_loss', complex ? 'complex' : 'new_hardship', `${record.disasterKind || '自然灾害'}造成财产损失 ${yuan(record.loss)}`, { loss: record.loss, threshold: rule.params.threshold ?? 0, complex })
      break
    }
    case 'assistance':
      break
  }
  return found
}

export const DISABILITY_NAMES: Record<string, string> = { physical: '肢体', intellectual: '智力', mental: '精神', visual: '视力', hearing: '听力', speech: '言语', multiple: '多重' }

/** What the record changes for the classifier (none for records that change no fact it reads). */
export function effectOf (record: FeedFacts, personId: number): FeedEffect | undefined {
  switch (record.kind) {
    case 'medical': return { kind: 'medical', addedOutOfPocket: record.outOfPocket }
    case 'death': return { kind: 'member_left', personId }
    case 'unemployment': return { kind: 'member_unemployed', personId }
    case 'disability': return { kind: 'disability', personId, level: record.level, disabilityKind: record.disabilityKind }
    case 'disaster': return { kind: 'hardship', hardship: 'disaster' }
    case 'assistance': return undefined
  }
}

/**
 * The warnings a record raises: the hardship rules for a low-income person (000 四(三) "重点监测
 * 救助帮扶政策是否落实到位、是否还存在其他方面的困难"); for anyone else, a warning only when the
 * classifier, run on the facts as the record changes them, now finds a low-income category
 * (000 四(三) "发现可能符合救助帮扶条件的，应当告知"), naming the hardship rules it also met.
 */
export function evaluateRecord (c: RecordContext): Finding[] {
  if (c.record.kind === 'assistance' || c.person.left) return []
  const found = hardships(c)
  if (isLowIncome(c.household)) return found
  const rule = enabled(c.rules, 'may_now_qualify')
  const effect = effectOf(c.record, c.person.personId)
  if (!rule || !effect || !c.reclassify) return []
  const result = c.reclassify(effect)
  if (result.category === 'none' || !(CATEGORIES as readonly string[]).includes(result.category)) return []
  return [{
    rule: 'may_now_qualify',
    cause: 'may_now_qualify',
    warningClass: 'possibly_eligible',
    summary: `按新数据重新测算，家庭可能符合“${CATEGORY_NAMES[result.category]}”条件，应告知政策并启动申请`,
    values: { category: result.category, profileVersion: result.profileVersion, alsoMet: found.map(f => f.rule).join(',') },
    version: rule
  }]
}

// —— Policy gaps (the periodic scan) ——

/** 000 三(二): an entitled child still without a class when most of the half-year is gone. */
export function trainingGap (rules: ResolvedRules, voucher: { state: string, halfYear: string }, asOf: string): Finding | undefined {
  const rule = enabled(rules, 'training_gap')
  if (!rule || voucher.state !== 'issued') return undefined
  const progress = halfYearProgress(ymd(asOf))
  if (progress < (rule.params.halfYearShare ?? 1)) return undefined
  return {
    rule: 'training_gap', cause: `training_gap:${voucher.halfYear}`, warningClass: 'policy_not_applied',
    summary: `${voucher.halfYear} 的爱心培训券仍未安排培训班，半年已过 ${Math.round(progress * 100)}%`,
    values: { halfYear: voucher.halfYear, progress: Math.round(progress * 100) / 100 }, version: rule
  }
}

/** 000 三(二): an unemployed member able to work with fewer job recommendations this year than promised. */
export function jobRecommendationGap (rules: ResolvedRules, person: PersonFacts & { unemployedSince: string | null, recommendationsThisYear: number }, asOf: string): Finding | undefined {
  const rule = enabled(rules, 'job_recommendation_gap')
  if (!rule || person.left || person.employed || person.unemployedSince === null || person.laborCapacity === 'none') return undefined
  const years = age(person, asOf)
  if (years < (rule.params.minAge ?? 16) || years > (rule.params.maxAge ?? 59)) return undefined
  const year = asOf.slice(0, 4)
  const start = Date.UTC(Number(year), 0, 1)
  const share = (Date.UTC(Number(year), Number(asOf.slice(5, 7)) - 1, Number(asOf.slice(8, 10))) - start) / (Date.UTC(Number(year) + 1, 0, 1) - start)
  const wanted = rule.params.perYear ?? 3
  if (share < (rule.params.yearShare ?? 1) || person.recommendationsThisYear >= wanted) return undefined
  return {
    rule: 'job_recommendation_gap', cause: `job_recommendation_gap:${year}`, warningClass: 'policy_not_applied',
    summary: `本年度岗位推介 ${person.recommendationsThisYear} 次，少于承诺的 ${wanted} 次`,
    values: { year, recommendations: person.recommendationsThisYear, perYear: wanted, unemployedSince: person.unemployedSince }, version: rule
  }
}

/** 001 二(三): a low-income household whose economic check is older than the months it is valid for. */
export function economicCheckStale (rules: ResolvedRules, household: HouseholdStanding & { propertyCheckedOn: string | null }, validityMonths: number, asOf: string): Finding | undefined {
  const rule = enabled(rules, 'economic_check_stale')
  if (!rule || !isLowIncome(household)) return undefined
  const validUntil = household.propertyCheckedOn === null ? null : periodEnd(household.propertyCheckedOn, validityMonths)
  if (validUntil !== null && asOf <= validUntil) return undefined
  return {
    rule: 'economic_check_stale', cause: `economic_check_stale:${household.propertyCheckedOn ?? 'never'}`, warningClass: 'policy_not_applied',
    summary: household.propertyCheckedOn === null ? '家庭从未进行经济状况核对' : `经济状况核对（${household.propertyCheckedOn}）已超过 ${validityMonths} 个月互认期，应重新核对`,
    values: { checkedOn: household.propertyCheckedOn ?? '', validUntil: validUntil ?? '', validityMonths }, version: rule
  }
}

// —— Deadlines ——

export interface DeadlineDays { lowIncome: number, otherMonitored: number, remindBefore: number, source: string }

/**
 * The deadline's working days: the profile's own dated parameters where its document sets them
 * (Nanxun 000 四(三): warningDaysLowIncome, warningDaysOtherMonitored), else the rule set's.
 */
export function deadlineDays (rules: ResolvedRules, parameters: { warningDaysLowIncome?: number, warningDaysOtherMonitored?: number }): DeadlineDays {
  const rule = rules.rules.deadline
  const fromParameters = parameters.warningDaysLowIncome !== undefined && parameters.warningDaysOtherMonitored !== undefined
  return {
    lowIncome: fromParameters ? parameters.warningDaysLowIncome as number : rule.params.lowIncome ?? 10,
    otherMonitored: fromParameters ? parameters.warningDaysOtherMonitored as number : rule.params.otherMonitored ?? 15,
    remindBefore: rule.params.remindBefore ?? 2,
    source: rule.source
  }
}

export interface Deadline { workingDays: number, dueOn: string, missingYears: number[] }

/** 10 working days for a low-income person, 15 for another monitored person (000 四(三)), from the day raised. */
export function deadlineFor (calendar: WorkCalendar, days: DeadlineDays, lowIncome: boolean, raisedOn: string): Deadline {
  const workingDays = lowIncome ? days.lowIncome : days.otherMonitored
  const dueOn = addWorkingDays(calendar, raisedOn, workingDays)
  return { workingDays, dueOn, missingYears: yearsMissing(calendar, raisedOn, dueOn) }
}

