// The one access policy: "may this principal do this action on this record?", used by the
// API routes (route option `config.access`) and by the pages alike. Deny by default: an
// action not in this table, a role not listed for it, or a record outside the role's reach
// is refused. Repositories use `regionScopeFor` / `listScope` so that a list query cannot
// return rows outside the caller's reach.
import type { Principal } from './principal.js'
import type { Role } from './roles.js'
import { forbidden } from './errors.js'
import { EVERYWHERE, type RegionScope } from '../db/scope.js'

/**
 * How far a role reaches for an action: everything, the user's region subtree, or only
 * records of the user's own organisation / institution / donor identity.
 */
export type Reach = 'all' | 'region' | 'organisation' | 'institution' | 'donor'

interface Rule {
  /** Actions that change data are never granted to auditors, whatever the table says. */
  changes: boolean
  reach: Partial<Record<Role, Reach>>
}

const read = (reach: Rule['reach']): Rule => ({ changes: false, reach })
const change = (reach: Rule['reach']): Rule => ({ changes: true, reach })

const STAFF_IN_REGION = { admin: 'all', civil_affairs: 'region', auditor: 'region' } as const
const EVERY_ROLE = { admin: 'all', civil_affairs: 'all', charity_staff: 'all', donor: 'all', institution: 'all', auditor: 'all' } as const

const RULES = {
  // accounts and the trail
  'user.read': read({ admin: 'all', auditor: 'region' }),
  'user.manage': change({ admin: 'all' }),
  'token.manage': change({ admin: 'all' }),
  'audit.read': read({ admin: 'all', auditor: 'region' }),
  'audit.verify': read({ admin: 'all', auditor: 'all' }),
  // reference data
  'region.read': read(EVERY_ROLE),
  'parameter.read': read({ admin: 'all', civil_affairs: 'all', charity_staff: 'all', auditor: 'all' }),
  'parameter.manage': change({ admin: 'all' }),
  // a dry-run classification: nothing stored, no personal data
  'eligibility.evaluate': read({ admin: 'all', civil_affairs: 'all', charity_staff: 'all', auditor: 'all' }),
  // the low-income registry: masked lists, audited full personal data, changes
  'household.read': read(STAFF_IN_REGION),
  'household.read_pii': read(STAFF_IN_REGION),
  'household.write': change({ admin: 'all', civil_affairs: 'region' }),
  'household.import': change({ admin: 'all', civil_affairs: 'region' }),
  'import.read': read(STAFF_IN_REGION),
  'assistance.read': read(STAFF_IN_REGION),
  'assistance.write': change({ admin: 'all', civil_affairs: 'region' }),
  'warning.read': read(STAFF_IN_REGION),
  'warning.handle': change({ admin: 'all', civil_affairs: 'region' }),
  // needs: staff of the region see them whole; donors and the public see published wishes
  // only in their de-identified form (public routes), never through these actions
  'need.read': read(STAFF_IN_REGION),
  'need.write': change({ admin: 'all', civil_affairs: 'region' }),
  'need.verify': change({ admin: 'all', civil_affairs: 'region' }),
  'need.configure': change({ admin: 'all', civil_affairs: 'region' }),
  'wish.claim': change({ donor: 'all' }),
  // donors' own profile, preferences, messages and recommendations; staff who work with donors
  'donor.self': change({ donor: 'donor' }),
  'donor.read': read({ admin: 'all', charity_staff: 'all' }),
  // the public search indexes
  'search.manage': change({ admin: 'all' }),
  'search.check': read({ admin: 'all', auditor: 'all' }),
  // claims are between a donor and a wish of a region; no charity project is party to them
  'claim.read': read({ admin: 'all', civil_affairs: 'region', donor: 'donor', auditor: 'region' }),
  'claim.fulfil': change({ donor: 'donor' }),
  'match.run': change({ admin: 'all', charity_staff: 'organisation' }),
  // a project's runs, proposals and ledger: its organisation whole, the regions' staff their part (proposals/access.ts)
  'match.read': read({ admin: 'all', civil_affairs: 'region', charity_staff: 'organisation', auditor: 'region' }),
  'match.confirm': change({ admin: 'all', civil_affairs: 'region' }),
  // supply: projects, courses, vouchers
  'project.read': read({ admin: 'all', civil_affairs: 'all', charity_staff: 'all', donor: 'all', auditor: 'all' }),
  'project.write': change({ admin: 'all', charity_staff: 'organisation' }),
  'course.read': read({ admin: 'all', civil_affairs: 'all', charity_staff: 'all', institution: 'institution', auditor: 'all' }),
  'course.write': change({ admin: 'all', institution: 'institution' }),
  // charity staff: the vouchers their organisation's training-voucher projects pay for
  'voucher.read': read({ admin: 'all', civil_affairs: 'region', charity_staff: 'organisation', institution: 'institution', auditor: 'region' }),
  'voucher.redeem': change({ institution: 'institution' }),
  // issuing a half-year's vouchers, a family's choice, the seat matcher, releasing a seat
  'voucher.manage': change({ admin: 'all', civil_affairs: 'region' }),
  // 梦想小屋: staff of the region survey and see rooms whole (need.*); charity staff see rooms
  // de-identified — those awaiting a funder, and those their organisation's projects fund —
  // and carry a funded room through its stages alongside the region's staff
  'dream_room.offer': read({ admin: 'all', charity_staff: 'all' }),
  'dream_room.read_deidentified': read({ admin: 'all', charity_staff: 'organisation' }),
  'dream_room.progress': change({ admin: 'all', civil_affairs: 'region', charity_staff: 'organisation' }),
  // fulfilment of confirmed help: the household's region, or the project's organisation
  'fulfilment.read': read({ admin: 'all', civil_affairs: 'region', charity_staff: 'organisation', auditor: 'region' }),
  'fulfilment.cancel': change({ admin: 'all', civil_affairs: 'region', charity_staff: 'organisation' })
} satisfies Record<string, Rule>

export type Action = keyof typeof RULES
export const ACTIONS = Object.keys(RULES) as Action[]

export function isAction (value: string): value is Action {
  return Object.hasOwn(RULES, value)
}

/** The roles that may do the action at all (on some records): what a refusal page names. */
export function rolesFor (action: Action): Role[] {
  const rule: Rule = RULES[action]
  return (Object.keys(rule.reach) as Role[]).filter(role => !(role === 'auditor' && rule.changes))
}

export function changesData (action: Action): boolean {
  return RULES[action].changes
}

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
