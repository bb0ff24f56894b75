// Who a project may serve. Rules are checked in a fixed order and the first that fails is
// reported, so a run can say how many people each rule excluded.
import type { CategoryOrNone, Hardship, HelpKind, HouseholdStatus, SchoolStage } from './domain.js'
import { monthsBefore } from './assistance-chain.js'

export interface ProjectRules {
  kind: HelpKind
  categories?: readonly string[]
  /** Region-code prefixes (county, town or village). */
  regionCodes?: readonly string[]
  minAge?: number
  maxAge?: number
  schoolStages?: readonly SchoolStage[]
  /** Any of these. */
  hardships?: readonly Hardship[]
  statuses?: readonly HouseholdStatus[]
  /** Not helped with this project's kind in the last N months. */
  notHelpedSameKindMonths?: number
}

export const RULE_ORDER = ['status', 'category', 'region', 'age', 'school_stage', 'hardship', 'recent_same_kind'] as const
export type EligibilityRule = typeof RULE_ORDER[number]

export const DEFAULT_STATUSES: readonly HouseholdStatus[] = ['active', 'gradual_exit']

export interface EligibilityHousehold {
  regionCode: string
  category: CategoryOrNone
  status: HouseholdStatus
  hardships: readonly Hardship[]
  lastCharityByKind: ReadonlyMap<string, string>
}

export interface EligibilityPerson {
  /** Age on the day of the run. */
  age: number
  schoolStage: SchoolStage
}

/** The household-level rules, shared by all members (checked once per household). */
export function householdExclusion (household: EligibilityHousehold, rules: ProjectRules): EligibilityRule | null {
  if (!(rules.statuses ?? DEFAULT_STATUSES).includes(household.status)) return 'status'
  if (rules.categories && !rules.categories.includes(household.category)) return 'category'
  if (rules.regionCodes && rules.regionCodes.length > 0 && !rules.regionCodes.some(code => household.regionCode.startsWith(code))) return 'region'
  return null
}

/** The person-level rules, then the rules that read the household's chain. */
export function personExclusion (person: EligibilityPerson, household: EligibilityHousehold, rules: ProjectRules, asOf: string): EligibilityRule | null {
  if (rules.minAge !== undefined && person.age < rules.minAge) return 'age'
  if (rules.maxAge !== undefined && person.age > rules.maxAge) return 'age'
  if (rules.schoolStages && !rules.schoolStages.includes(person.schoolStage)) return 'school_stage'
  if (rules.hardships && rules.hardships.length > 0 && !rules.hardships.some(h => household.hardships.includes(h))) return 'hardship'
  if (rules.notHelpedSameKindMonths !== undefined) {
    const last = household.lastCharityByKind.get(rules.kind)
    if (last !== undefined && last > monthsBefore(asOf, rules.notHelpedSameKindMonths)) return 'recent_same_kind'
  }
  return null
}
