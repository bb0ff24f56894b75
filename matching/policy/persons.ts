// Decisions about persons. Several outcomes belong to a member, not to the household: 特困 is
// decided per person; 单人保 covers one member of an edge household, and 参照单人户 one severely
// disabled adult without work; 防返贫监测 and 因病致贫重病患者 are facts about a person. Each member
// gets every ground that applies to them, and the highest (就高, counted once: 一人一次) is their
// category, with the reason and the paragraph.
import { CATEGORIES, CATEGORY_NAMES, type Category, type CategoryOrNone } from '../domain.js'
import type { Household, Member } from './evaluate.js'
import type { Citation, Profile } from './profiles.js'
import { step, stepHeads, type TraceStep } from './trace.js'

/** What makes a category apply to the person. */
export const PERSON_BASES = ['tekun', 'individual_dibao', 'single_person_household', 'poverty_monitoring', 'household', 'gradual_exit'] as const
export type PersonBasis = (typeof PERSON_BASES)[number]

/** A ground as outcomes carry it (and decisions store it): its words are the outcome's `reason` when it decides. */
export interface PersonGround {
  category: Category
  basis: PersonBasis
  /** The paragraph the ground is written in. */
  source: string
}

/**
 * Each ground's words, for the clerk, under a symbol: JSON leaves symbol keys out, so a decision
 * stores every member's grounds without them, and the words of the ground that decides are the
 * outcome's reason.
 */
const REASON = Symbol('reason')
type Worded = PersonGround & { readonly [REASON]: string }
const grounded = (category: Category, basis: PersonBasis, reason: string, source: string): PersonGround =>
  Object.freeze({ category, basis, source, [REASON]: reason })

export interface MemberOutcome {
  /** The member's place in the household's members, as given. */
  member: number
  /** The highest category any ground gives the person (就高), or none. */
  category: CategoryOrNone
  /** Why: the deciding ground's words, and where they are written. */
  reason: string
  source: string
  /** Every ground that applies, highest first. */
  grounds: PersonGround[]
  /** 因病致贫重病患者 (Hubei 二(一), Jiyuan 四(二)1, Gansu 三(二)); only where the document names them. */
  illnessImpoverished?: boolean
  /** 低收入农户 (Nanxun 三(五)); only under Nanxun. */
  lowIncomeFarmer?: boolean
  /** The person's 防返贫 monitoring, when recorded: its days (null when the household flag is all there is) and whether it covers the day decided. */
  monitoring?: { from: string | null, until: string | null, current: boolean }
}

/**
 * What the household rules found, for the person rules. Per-member facts are bit masks (bit i
 * is member i; a household has at most 30 members): this runs for every household classified.
 */
export interface PersonFacts {
  asOf: string
  /** Members aged 18 or more on asOf. */
  adults: number
  /** Members meeting the 特困 conditions. */
  tekun: number
  /** Members who are 防返贫 monitored objects on asOf. */
  monitored: number
  /** The household's category (就高 over the household rules), and its place in CATEGORIES (their count for none). */
  category: CategoryOrNone
  rank: number
  /** The household meets the edge test (单人保 belongs to edge households whatever 就高 chose). */
  edge: boolean
  /** The household meets the rigid-expense test. */
  rigid: boolean
}

interface Grounds {
  /** The household ground of each category, by its place in CATEGORIES. */
  household: ReadonlyArray<PersonGround | undefined>
  /** The grounds of a member who holds nothing in their own right, likewise (none last): shared, never changed. */
  householdOnly: ReadonlyArray<readonly PersonGround[]>
  tekun: PersonGround
  individualDibao: PersonGround | null
  singlePerson: PersonGround | null
  monitoring: PersonGround | null
  none: { reason: string, source: string }
  /** The profile designates 低收入农户 (Nanxun 三(五)). */
  farmer: boolean
  /** The person_outcomes step of a household whose members all hold the household's category only: shared, never changed. */
  allHousehold: TraceStep
}

const byProfile = new Map<string, Grounds>()

/** The grounds a profile can give, built once per profile: every member shares them. */
function groundsOf (profile: Profile): Grounds {
  let grounds = byProfile.get(profile.id)
  if (grounds !== undefined) return grounds
  const rules = profile.rules
  const cited = (citation: Citation | undefined, category: Category, basis: PersonBasis, reason: string): PersonGround | null =>
    citation === undefined ? null : grounded(category, basis, reason, citation.source)
  const household = CATEGORIES.map(category =>
    profile.categories.includes(category) ? cited(rules[category], category, 'household', `家庭为${CATEGORY_NAMES[category]}，本人为其成员`) as PersonGround : undefined)
  const householdOnly = [...household.map(ground => Object.freeze(ground === undefined ? [] : [ground])), Object.freeze([])]
  grounds = {
    household,
    householdOnly,
    tekun: cited(rules.tekun, 'tekun', 'tekun', '本人无劳动能力、无生活来源，且无法定赡养抚养扶养义务人或其无履行义务能力，为老年人、残疾人或未成年人：特困人员按人认定') as PersonGround,
    individualDibao: profile.individualDibao ? cited(rules.individual_dibao, 'dibao', 'individual_dibao', '低保边缘家庭中的重病患者或重度残疾人，单独纳入低保（单人保）') : null,
    singlePerson: cited(rules.single_person_household, 'dibao', 'single_person_household', '成年无业重度残疾人，参照单人户纳入低保'),
    monitoring: profile.categories.includes('fanpin_monitor') ? cited(rules.fanpin_monitor, 'fanpin_monitor', 'poverty_monitoring', '农业农村部门认定的防止返贫监测对象，在监测期内') : null,
    none: { reason: '家庭不属于低收入人口，本人亦无单独认定的类别', source: (rules.person_outcomes as Citation).source },
    farmer: rules.low_income_farmer !== undefined,
    allHousehold: Object.freeze(step(stepHeads(profile).person_outcomes, true, Object.freeze({ rule: PERSON_OUTCOMES, own: NONE })))
  }
  byProfile.set(profile.id, grounds)
  return grounds
}

/** "重度残疾人" in certificate levels (the Shanxi county's 工作任务(三)1(2)): level 1–2, or level 3 intellectual or mental. */
export function severelyDisabled (member: Member): boolean {
  const d = member.disability
  return d != null && (d.level <= 2 || (d.level === 3 && (d.kind === 'intellectual' || d.kind === 'mental')))
}

/** 单人保: a serious illness or a severe disability. */
export function qualifiesForIndividualDibao (member: Member): boolean {
  return member.seriousIllness || severelyDisabled(member)
}

const PERSON_OUTCOMES = '一人一次、就高：取本人及家庭所符合的最高类别；列出本人另有依据者，其余成员为家庭类别'

/** Nanxun 三(五): 特困供养人员、最低生活保障对象、最低生活保障边缘家庭成员、刚性支出困难家庭成员. */
const farmerCategory = (category: CategoryOrNone) => category === 'tekun' || category === 'dibao' || category === 'dibao_edge' || category === 'rigid_expense'
/** Lists that stay empty in most households, shared until something is added. */
const NONE: readonly number[] = Object.freeze([])
/** `list` with `member` added: a new list the first time, so that NONE stays empty. */
function added (list: readonly number[], member: number): readonly number[] {
  const grown = list === NONE ? [] : list as number[]
  grown.push(member)
  return grown
}
/** The monitoring of a member of a flagged household without a record of their own. */
const FLAGGED = Object.freeze({ from: null, until: null, current: true })

/** 就高 ranks, looked up locally: this runs for every member of every household classified. */
const RANK: Record<string, number> = Object.fromEntries(CATEGORIES.map((category, i) => [category, i]))

/** The person's grounds in 就高 order, the household's (or the kept) one among them unless the person already has its category. */
function withGround (grounds: PersonGround[], ground: PersonGround | undefined): PersonGround[] {
  if (ground === undefined) return grounds
  const rank = RANK[ground.category] as number
  let at = 0
  for (; at < grounds.length; at++) {
    const other = grounds[at] as PersonGround
    if (other.category === ground.category) return grounds
    if ((RANK[other.category] as number) > rank) break
  }
  grounds.splice(at, 0, ground)
  return grounds
}

/**
 * The person's category from their grounds, and the Nanxun 低收入农户 designation that follows
 * from it: `farmerVillage` is undefined where the profile has none, else whether the household
 * lives in a 行政村.
 */
function outcomeOf (table: Grounds, m: Member, farmerVillage: boolean | undefined, member: number, grounds: readonly PersonGround[], illnessImpoverished: boolean | undefined, monitoring: MemberOutcome['monitoring']): MemberOutcome {
  const top = grounds[0]
  const category = top === undefined ? 'none' : top.category
  // One shape for every outcome (a flag a profile does not have is undefined, which JSON leaves out):
  // the registry builds one per member of every household it classifies.
  return {
    member,
    category,
    reason: top === undefined ? table.none.reason : (top as Worded)[REASON],
    source: top === undefined ? table.none.source : top.source,
    grounds: grounds as PersonGround[],
    illnessImpoverished,
    lowIncomeFarmer: farmerVillage === undefined ? undefined : farmerVillage && m.hukou === 'rural' && m.publicSector !== true && farmerCategory(category),
    monitoring
  }
}

/**
 * Every member's outcome. Appends the trace steps of the person rules to `trace` — 单人保 and
 * 参照单人户 (Hubei and Jiyuan 四(一), Gansu 三(一), Shanxi 工作任务(三)1(2)), 因病致贫重病患者,
 * 低收入农户 (Nanxun 三(五)) and each member's category — and the 单人保 members to `individualDibao`.
 */
export function decidePersons (profile: Profile, household: Household, facts: PersonFacts, trace: TraceStep[], individualDibao: number[]): MemberOutcome[] {
  const table = groundsOf(profile)
  const heads = stepHeads(profile)
  const members = household.members
  const size = members.length
  const category = facts.category
  const householdGround = table.household[facts.rank]
  const only = table.householdOnly[facts.rank] as readonly PersonGround[]
  // 参照单人户 is for the members of a low-income household that is not already 低保 or 特困.
  const lowIncome = category !== 'none' && category !== 'tekun' && category !== 'dibao'
  const singleRule = table.singlePerson !== null && lowIncome && household.propertyCompliant
  const illnessRule = profile.rules.illness_impoverished !== undefined
  const impoverishing = facts.rigid && household.rigidExpenses.medical > 0
  const farmerVillage = table.farmer ? household.administrativeVillage === true : undefined
  let single = NONE
  let ill = NONE
  let farmers = NONE
  let hukouUnknown = NONE
  let farmerCandidates = false
  const outcomes: MemberOutcome[] = []
  let own: Array<{ member: number, category: CategoryOrNone, grounds: PersonBasis[] }> | null = null
  for (let i = 0; i < size; i++) {
    const m = members[i] as Member
    const bit = 1 << i
    // Most members hold nothing in their own right: they share the household's grounds.
    let grounds: PersonGround[] | null = null
    if ((facts.tekun & bit) !== 0) grounds = [table.tekun]
    if (table.individualDibao !== null && facts.edge && qualifiesForIndividualDibao(m)) {
      (grounds ??= []).push(table.individualDibao)
      individualDibao.push(i)
    } else if (singleRule && (facts.adults & bit) !== 0 && !m.employed && severelyDisabled(m)) {
      (grounds ??= []).push(table.singlePerson as PersonGround)
      single = added(single, i)
    }
    if (table.monitoring !== null && (facts.monitored & bit) !== 0) (grounds ??= []).push(table.monitoring)
    let illnessImpoverished: boolean | undefined
    if (illnessRule) {
      illnessImpoverished = impoverishing && m.seriousIllness
      if (illnessImpoverished) ill = added(ill, i)
    }
    const record = m.povertyMonitoring
    const monitoring = record != null
      ? { from: record.from, until: record.until ?? null, current: monitoredOn(record, facts.asOf) }
      : household.povertyMonitoring ? FLAGGED : undefined
    const outcome = outcomeOf(table, m, farmerVillage, i, grounds === null ? only : withGround(grounds, householdGround), illnessImpoverished, monitoring)
    outcomes.push(outcome)
    if (grounds !== null) (own ??= []).push({ member: i, category: outcome.category, grounds: grounds.map(g => g.basis) })
    if (table.farmer && household.administrativeVillage !== false && farmerCategory(outcome.category)) {
      farmerCandidates = true
      if (outcome.lowIncomeFarmer === true) farmers = added(farmers, i)
      if (m.hukou == null) hukouUnknown = added(hukouUnknown, i)
    }
  }

  // A person rule's step is written where the household is one the rule looks into (an edge
  // household for 单人保, a village with a member of the four categories for 低收入农户, …):
  // elsewhere it has no member to examine, and each step costs every classification its time
  // and every stored trace its bytes.
  if (profile.individualDibao) {
    trace.push(step(heads.individual_dibao, individualDibao.length > 0, {
      rule: '低保边缘家庭中持二代残疾人证一、二级重度残疾人和三级智力、精神残疾人，或患重特大疾病的人员，可单独纳入低保',
      edgeHousehold: facts.edge, chosenCategory: category, members: individualDibao
    }))
  }
  if (table.singlePerson !== null && lowIncome) {
    trace.push(step(heads.single_person_household, single.length > 0, {
      rule: '低收入人口（非低保、特困）家庭中的成年未就业重度残疾人，参照单人户纳入低保；家庭财产须符合规定',
      householdCategory: category, propertyCompliant: household.propertyCompliant, members: single
    }))
  }
  if (illnessRule && facts.rigid) {
    trace.push(step(heads.illness_impoverished, ill.length > 0, {
      rule: '刚性支出困难家庭中因医疗支出致困的重病患者', medical: household.rigidExpenses.medical, members: ill
    }))
  }
  if (farmerCandidates) {
    const inputs: Record<string, unknown> = {
      rule: '行政村内非行政事业单位人员（原农村户籍）中的特困、低保、边缘、刚性支出困难人员',
      administrativeVillage: household.administrativeVillage ?? null, members: farmers
    }
    if (hukouUnknown.length > 0 || household.administrativeVillage == null) inputs.unknown = { hukou: hukouUnknown, administrativeVillage: household.administrativeVillage == null }
    trace.push(step(heads.low_income_farmer, farmers.length > 0, inputs))
  }
  // The members who hold a ground in their own right, with their category and grounds; the
  // others hold the household's category. Most households have none: one shared step says so.
  trace.push(own === null ? table.allHousehold : step(heads.person_outcomes, true, { rule: PERSON_OUTCOMES, own }))
  return outcomes
}

/** A monitoring record covers `asOf` from its first day through its last (both inclusive). */
export function monitoredOn (record: { from: string, until?: string | null }, asOf: string): boolean {
  return record.from <= asOf && (record.until == null || asOf <= record.until)
}

/**
 * The members' outcomes when the household keeps `kept` through a 渐退期 (the registry decides
 * that): the kept category replaces the household's assessed one; what each person holds in
 * their own right stays.
 */
export function keepHouseholdCategory (profile: Profile, household: Household, outcomes: readonly MemberOutcome[], kept: Category): MemberOutcome[] {
  const table = groundsOf(profile)
  const ground = grounded(kept, 'gradual_exit', `渐退期内继续享受原救助保障待遇（${CATEGORY_NAMES[kept]}）`, (profile.rules.gradual_exit as Citation).source)
  const farmerVillage = table.farmer ? household.administrativeVillage === true : undefined
  return outcomes.map(o => outcomeOf(table, household.members[o.member] as Member, farmerVillage, o.member, withGround(o.grounds.filter(g => g.basis !== 'household'), ground), o.illnessImpoverished, o.monitoring))
}
