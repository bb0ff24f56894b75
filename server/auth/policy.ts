// The one access policy: "may this principal do this action on this record?", used by the
// API routes (route option `config.access`) and by the pages alike. Deny by default: an
// action not in this table, a role not listed for it, or a record outside the role's reach
// is refused. Repositories use `regionScopeFor` / `listScope` so that a list query cannot
// return rows outside the caller's reach. The table of actions and who reaches what is
// actions.ts; its names are re-exported here for the callers of the policy.
import type { Principal } from './principal.js'
import { RULES, type Action, type Reach, type Rule } from './actions.js'
import { forbidden } from './errors.js'
import { EVERYWHERE, type RegionScope } from '../db/scope.js'

export { ACTIONS, isAction, changesData, rolesFor, type Action, type Reach } from './actions.js'

/** What a single record is, as far as access is concerned. */
export interface Resource {
  regionCode?: string | null
  organisationId?: number | null
  institutionId?: number | null
  donorId?: number | null
}

function reaches (principal: Principal, reach: Reach, resource: Resource): boolean {
  switch (reach) {
    case 'all': return true
    case 'region': return principal.regionCode !== null && resource.regionCode != null && resource.regionCode.startsWith(principal.regionCode)
    case 'organisation': return principal.organisationId !== null && resource.organisationId === principal.organisationId
    case 'institution': return principal.institutionId !== null && resource.institutionId === principal.institutionId
    case 'donor': return principal.donorId !== null && resource.donorId === principal.donorId
  }
}

/** The reaches the principal's roles give for the action (empty: not allowed at all). */
export function reachesFor (principal: Principal | null, action: Action): Reach[] {
  if (!principal) return []
  if (principal.scopes && !principal.scopes.includes(action)) return []
  const rule: Rule = RULES[action]
  return principal.roles.flatMap(role => {
    const reach = rule.reach[role]
    if (reach === undefined || (role === 'auditor' && rule.changes)) return []
    return [reach]
  })
}

/**
 * May the principal do the action? Without a resource: on at least some records (the
 * route-level gate). With one: on that record.
 */
export function authorize (principal: Principal | null, action: Action, resource?: Resource): boolean {
  const granted = reachesFor(principal, action)
  if (!resource) return granted.length > 0
  return granted.some(reach => reaches(principal as Principal, reach, resource))
}

/** Throws 403 unless `authorize` allows it. */
export function ensureAllowed (principal: Principal | null, action: Action, resource?: Resource): void {
  if (!authorize(principal, action, resource)) throw forbidden()
}

/**
 * The region filter for list queries on region-keyed rows (`region_code LIKE prefix%`).
 * Throws 403 when the principal reaches no region-keyed rows for this action.
 */
export function regionScopeFor (principal: Principal | null, action: Action): RegionScope {
  const granted = reachesFor(principal, action)
  if (granted.includes('all')) return EVERYWHERE
  if (granted.includes('region') && principal?.regionCode) return { regionPrefix: principal.regionCode }
  throw forbidden()
}

/**
 * The filter for list queries on rows owned by an organisation, institution or donor (or
 * keyed by region). `everywhere: true` means no filter; otherwise a row is visible when it
 * matches ANY of the given keys. Throws 403 when nothing is reachable.
 */
export type ListScope =
  | { everywhere: true }
  | { everywhere: false, regionPrefix?: string, organisationId?: number, institutionId?: number, donorId?: number }

export function listScope (principal: Principal | null, action: Action): ListScope {
  const granted = reachesFor(principal, action)
  if (granted.length === 0 || !principal) throw forbidden()
  if (granted.includes('all')) return { everywhere: true }
  const scope: ListScope = { everywhere: false }
  if (granted.includes('region') && principal.regionCode) scope.regionPrefix = principal.regionCode
  if (granted.includes('organisation') && principal.organisationId !== null) scope.organisationId = principal.organisationId
  if (granted.includes('institution') && principal.institutionId !== null) scope.institutionId = principal.institutionId
  if (granted.includes('donor') && principal.donorId !== null) scope.donorId = principal.donorId
  return scope
}
