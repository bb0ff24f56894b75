// What one monitoring run needs, loaded once: the calendar, the routing table, each profile's
// rules, deadlines and parameters on the day, which profile governs a region, the classifier
// (for monitored persons outside the low-income population), and who sits at each desk.
import type { Db } from '../db/database.js'
import { loadClassifier, policyLookup, regionPolicies, type Classifier, type HouseholdFacts } from '../registry/classify.js'
import { parameterVersions } from '../registry/parameters.js'
import { PROFILES, resolveParameters, type ProfileId } from '../../matching/policy/index.js'
import { deadlineDays, type DeadlineDays, type FeedEffect, type ResolvedRules, type Route, type WorkCalendar } from '../../matching/monitoring/index.js'
import { loadCalendar } from './calendar.js'
import { rulesByProfile } from './rule-versions.js'
import { loadRoutingTable } from './routing-table.js'

export interface StaffMember { id: number, regionCode: string }

export interface MonitoringContext {
  asOf: string
  calendar: WorkCalendar
  routes: Route[]
  profileFor: (regionCode: string) => ProfileId | undefined
  rules: (profile: ProfileId) => ResolvedRules
  deadlines: (profile: ProfileId) => DeadlineDays
  parameter: (profile: ProfileId, key: 'economicCheckValidityMonths') => number | undefined
  classifier: () => Promise<Classifier>
  /** Civil-affairs staff, for the desks' notifications. */
  staff: StaffMember[]
}

export async function loadMonitoringContext (db: Db, asOf: string): Promise<MonitoringContext> {
  const [calendar, routes, rules, policies, versions, staff] = await Promise.all([
    loadCalendar(db), loadRoutingTable(db), rulesByProfile(db, asOf), regionPolicies(db), parameterVersions(db),
    db.selectFrom('users').select(['id', 'region_code']).where(eb => eb(eb.val('civil_affairs'), '=', eb.fn.any('roles')))
      .where('disabled_at', 'is', null).where('region_code', 'is not', null).execute()
  ])
  const lookup = policyLookup(policies)
  const parameters = (profile: ProfileId) => resolveParameters(profile, PROFILES[profile].parameters, versions.get(profile) ?? [], asOf).values
  let classifier: Promise<Classifier> | undefined
  return {
    asOf,
    calendar,
    routes,
    profileFor: code => lookup(code) as ProfileId | undefined,
    rules: profile => rules.get(profile) as ResolvedRules,
    deadlines: profile => deadlineDays(rules.get(profile) as ResolvedRules, parameters(profile)),
    parameter: (profile, key) => parameters(profile)[key],
    classifier: () => (classifier ??= loadClassifier(db, asOf)),
    staff: staff.map(s => ({ id: s.id, regionCode: s.region_code as string }))
  }
}

/** The staff of a desk: civil affairs of the nearest region that has any, from the desk up. */
export function deskStaff (staff: readonly StaffMember[], desk: string): number[] {
  const covering = staff.filter(s => desk.startsWith(s.regionCode))
  const nearest = Math.max(0, ...covering.map(s => s.regionCode.length))
  return covering.filter(s => s.regionCode.length === nearest).map(s => s.id)
}

/** The household's facts as a department record changes them. */
export function applyEffect (facts: HouseholdFacts, personIds: readonly number[], effect: FeedEffect): HouseholdFacts {
  const at = 'personId' in effect ? personIds.indexOf(effect.personId) : -1
  switch (effect.kind) {
    case 'medical': return { ...facts, rigidExpenses: { ...facts.rigidExpenses, medical: facts.rigidExpenses.medical + effect.addedOutOfPocket } }
    case 'hardship': return { ...facts, hardships: facts.hardships.includes(effect.hardship) ? facts.hardships : [...facts.hardships, effect.hardship] }
    case 'member_left': return at < 0 || facts.members.length <= 1 ? facts : { ...facts, members: facts.members.filter((_m, i) => i !== at) }
    case 'member_unemployed': return at < 0 ? facts : { ...facts, members: facts.members.map((m, i) => i === at ? { ...m, employed: false } : m) }
    case 'disability': return at < 0 ? facts : { ...facts, members: facts.members.map((m, i) => i === at ? { ...m, disability: { level: effect.level, kind: effect.disabilityKind } as never } : m) }
  }
}
