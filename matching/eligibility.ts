// Who a project may serve. The rules are checked in the fixed order of RULE_ORDER (household
// rules first, then the person's own), and each excluded person is counted under the first rule
// they fail, so a run can say how many people each rule excluded. The duplicate windows are
// those confirmation checks (duplicate-help.ts `windowsFor`).
import { CATEGORIES, HARDSHIPS, HELP_KINDS, HOUSEHOLD_STATUSES, SCHOOL_STAGES } from './domain.js'
import type { CategoryOrNone, Hardship, HelpKind, HouseholdStatus, SchoolStage } from './domain.js'
import { halfYearOf, monthsBefore, seasonOf, ymd } from './dates.js'
import { windowsFor } from './duplicate-help.js'
import type { Population } from './population.js'

export interface ProjectRules {
  /** The project's help kind: the kind the duplicate windows look for. */
  kind: HelpKind
  /** Any of these categories (所有类别 when absent). */
  categories?: readonly CategoryOrNone[]
  /** Region-code prefixes (county 6, town 9 or village 12 digits): the village code starts with one of them. */
  regionCodes?: readonly string[]
  /** Age in whole years on the day of the run, inclusive bounds. */
  minAge?: number
  maxAge?: number
  schoolStages?: readonly SchoolStage[]
  /** Any of these hardship tags. */
  hardships?: readonly Hardship[]
  /** Household statuses served; default active and gradual exit (渐退期). */
  statuses?: readonly HouseholdStatus[]
  /** Not helped with this project's kind in the last N months (e.g. 36 for a dream room); the kind's default window applies too. */
  notHelpedSameKindMonths?: number
  /**
   * What the help is (e.g. clothing, winter_clothing): carried to the proposals and the chain
   * entries; a tag with a default window (winter clothing once a season) brings that window.
   */
  tags?: readonly string[]
  /** Tags given at most once a season (e.g. winter_clothing): the help carries them, and a household helped with one this season is excluded. */
  seasonalTags?: readonly string[]
}

/** The order rules are checked in; an excluded person counts under the first that fails. */
export const RULE_ORDER = ['status', 'category', 'region', 'hardship', 'recent_same_kind', 'seasonal_duplicate', 'age', 'school_stage'] as const
export type EligibilityRule = typeof RULE_ORDER[number]

/** What each rule means, for the clerk. */
export const RULE_NAMES: Record<EligibilityRule, string> = {
  status: '家庭状态不在服务范围 (household status)',
  category: '低收入类别不符 (category)',
  region: '不在项目地区 (region)',
  hardship: '无项目要求的困难情形 (hardship)',
  recent_same_kind: '近期已获同类帮扶 (recently helped with the same kind)',
  seasonal_duplicate: '本季（半年）已获同类帮扶 (helped with this in the same season or half-year)',
  age: '年龄不符 (age)',
  school_stage: '在学阶段不符 (school stage)'
}

export const DEFAULT_STATUSES: readonly HouseholdStatus[] = ['active', 'gradual_exit']

const NONE = -1
/** Category codes by their 就高 rank, as the population stores them. */
const CATEGORY_CODES: readonly CategoryOrNone[] = [...CATEGORIES, 'none']

/** The rules turned into masks, ranges and cut-off days once per run. */
export interface CompiledRules {
  statuses: number
  categories: number
  /** [from, to) ranges of the numeric village code; empty: anywhere. */
  regions: Array<[number, number]>
  hardships: number
  /** Helped with the kind on a day after this (YYYYMMDD) excludes; NONE: no window. */
  kindIndex: number
  sameKindAfter: number
  /** Per tag window, the population's latest-help column and the period: excluded when that day falls in the run's period. */
  periodic: Array<{ column: Int32Array, periodOf: (day: number) => number, current: number }>
  stages: number
  /** Born on or before this day (YYYYMMDD) to be old enough; after this to be young enough. */
  bornBy: number
  bornAfter: number
}

/** Bit i for each value at index i; every bit when the rule is absent. */
function maskOf<T> (values: readonly T[] | undefined, index: (value: T) => number): number {
  if (!values) return -1
  return values.reduce((mask, value) => {
    const i = index(value)
    if (i < 0) throw new Error(`unknown code in project rules: ${String(value)}`)
    return mask | (1 << i)
  }, 0)
}

export function regionRange (code: string): [number, number] {
  if (!/^\d{0,12}$/.test(code)) throw new Error(`region code ${code} is not a county, town or village code`)
  const scale = 10 ** (12 - code.length)
  const prefix = code === '' ? 0 : Number(code)
  return [prefix * scale, (prefix + 1) * scale]
}

/** [from, to) ranges of the numeric village code for region-code prefixes. */
const rangesOf = (codes: readonly string[]) => codes.map(regionRange)

/** Whether a numeric village code lies in one of the ranges. */
const inRanges = (ranges: ReadonlyArray<[number, number]>, village: number) => ranges.some(([from, to]) => village >= from && village < to)

export function compileRules (rules: ProjectRules, population: Population, asOf: string): CompiledRules {
  const today = ymd(asOf)
  const windows = windowsFor(rules)
  // The longest window of the kind decides (every months window of the project is of its kind).
  const months = Math.max(-1, ...windows.flatMap(w => 'tag' in w ? [] : [w.within.months]))
  return {
    statuses: maskOf(rules.statuses ?? DEFAULT_STATUSES, s => HOUSEHOLD_STATUSES.indexOf(s)),
    categories: maskOf(rules.categories, c => CATEGORY_CODES.indexOf(c)),
    regions: rangesOf(rules.regionCodes ?? []),
    hardships: rules.hardships && rules.hardships.length > 0 ? maskOf(rules.hardships, t => HARDSHIPS.indexOf(t)) : 0,
    kindIndex: months < 0 ? NONE : HELP_KINDS.indexOf(rules.kind),
    sameKindAfter: months < 0 ? 0 : monthsBefore(today, months),
    periodic: windows.flatMap(w => {
      const column = 'tag' in w ? population.tagColumn(w.tag) : undefined
      if (!column) return []
      const periodOf = w.within === 'season' ? seasonOf : halfYearOf
      return [{ column, periodOf, current: periodOf(today) }]
    }),
    stages: maskOf(rules.schoolStages, s => SCHOOL_STAGES.indexOf(s)),
    bornBy: rules.minAge === undefined ? Infinity : today - rules.minAge * 10000,
    bornAfter: rules.maxAge === undefined ? -Infinity : today - (rules.maxAge + 1) * 10000
  }
}

/** The first household rule a household slot fails (index into RULE_ORDER), or NONE. */
export function householdExclusion (population: Population, slot: number, rules: CompiledRules): number {
  const h = population.households
  if (!(rules.statuses & (1 << (h.status[slot] as number)))) return 0
  if (!(rules.categories & (1 << (h.category[slot] as number)))) return 1
  if (rules.regions.length > 0 && !inRanges(rules.regions, h.village[slot] as number)) return 2
  if (rules.hardships !== 0 && !(rules.hardships & (h.hardships[slot] as number))) return 3
  if (rules.kindIndex !== NONE && (h.lastKind[slot * HELP_KINDS.length + rules.kindIndex] as number) > rules.sameKindAfter) return 4
  for (const { column, periodOf, current } of rules.periodic) {
    const day = column[slot] as number
    if (day !== 0 && periodOf(day) === current) return 5
  }
  return NONE
}

/** The first person rule a person slot fails (index into RULE_ORDER), or NONE. */
export function personExclusion (population: Population, personSlot: number, rules: CompiledRules): number {
  const birth = population.persons.birth[personSlot] as number
  if (birth > rules.bornBy || birth <= rules.bornAfter) return 6
  if (!(rules.stages & (1 << (population.persons.stage[personSlot] as number)))) return 7
  return NONE
}

export interface Eligibility {
  /** Per person slot: −1 eligible, otherwise the index in RULE_ORDER of the first rule failed (dead or out of scope: −2). */
  firstFailing: Int8Array
  /** Persons in the scope: the eligible and the excluded together. */
  considered: number
  eligible: number
  excluded: Record<EligibilityRule, number>
}

/**
 * Every person's eligibility for a project, with the count each rule excluded. `scope`
 * (region-code prefixes) narrows the population to the project's area: households elsewhere
 * are not considered at all, rather than counted as excluded by the region rule.
 */
export function checkEligibility (population: Population, rules: ProjectRules, asOf: string, scope: readonly string[] = []): Eligibility {
  const compiled = compileRules(rules, population, asOf)
  const area = rangesOf(scope)
  const counts = new Array<number>(RULE_ORDER.length).fill(0)
  const firstFailing = new Int8Array(population.personSlots).fill(-2)
  const h = population.households
  let eligible = 0
  let considered = 0
  for (let slot = 0; slot < population.householdSlots; slot++) {
    if (!h.live[slot] || (area.length > 0 && !inRanges(area, h.village[slot] as number))) continue
    considered += h.personCount[slot] as number
    const first = h.firstPerson[slot] as number
    const end = first + (h.personCount[slot] as number)
    const out = householdExclusion(population, slot, compiled)
    if (out !== NONE) {
      firstFailing.fill(out, first, end)
      counts[out] = (counts[out] as number) + end - first
      continue
    }
    for (let p = first; p < end; p++) {
      const why = personExclusion(population, p, compiled)
      firstFailing[p] = why
      if (why === NONE) eligible++
      else counts[why] = (counts[why] as number) + 1
    }
  }
  return { firstFailing, considered, eligible, excluded: Object.fromEntries(RULE_ORDER.map((rule, i) => [rule, counts[i]])) as Record<EligibilityRule, number> }
}

/** How many persons live in the scope (region-code prefixes; none: everyone). */
export function personsInScope (population: Population, scope: readonly string[]): number {
  const area = rangesOf(scope)
  const h = population.households
  let persons = 0
  for (let slot = 0; slot < population.householdSlots; slot++) {
    if (h.live[slot] && (area.length === 0 || inRanges(area, h.village[slot] as number))) persons += h.personCount[slot] as number
  }
  return persons
}

/** One household's members, each with the first rule they fail (null: eligible), e.g. to answer an application. */
export function householdEligibility (population: Population, householdId: number, rules: ProjectRules, asOf: string): Array<{ personId: number, failed: EligibilityRule | null }> {
  const slot = population.slot(householdId)
  if (slot === undefined) throw new Error(`household ${householdId} is not in the population`)
  const compiled = compileRules(rules, population, asOf)
  const out = householdExclusion(population, slot, compiled)
  const first = population.households.firstPerson[slot] as number
  return Array.from({ length: population.households.personCount[slot] as number }, (_, j) => {
    const why = out !== NONE ? out : personExclusion(population, first + j, compiled)
    return { personId: population.persons.id[first + j] as number, failed: why === NONE ? null : RULE_ORDER[why] as EligibilityRule }
  })
}
