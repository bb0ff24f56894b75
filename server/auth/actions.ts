// The actions the access policy (policy.ts) decides, and how far each role reaches for each.
// A module of its own so that the principal can name actions (a token's scopes) without
// importing the policy, which reads principals.
import type { Role } from './roles.js'

/**
 * How far a role reaches for an action: everything, the user's region subtree, or only
 * records of the user's own organisation / institution / donor identity.
 */
export type Reach = 'all' | 'region' | 'organisation' | 'institution' | 'donor'

export interface Rule {
  /** Actions that change data are never granted to auditors, whatever the table says. */
  changes: boolean
  reach: Partial<Record<Role, Reach>>
}

const read = (reach: Rule['reach']): Rule => ({ changes: false, reach })
const change = (reach: Rule['reach']): Rule => ({ changes: true, reach })

const STAFF_IN_REGION = { admin: 'all', civil_affairs: 'region', auditor: 'region' } as const
const EVERY_ROLE = { admin: 'all', civil_affairs: 'all', charity_staff: 'all', donor: 'all', institution: 'all', auditor: 'all' } as const

export const RULES = {
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
  // dynamic monitoring: other departments' data (also an API token's scope, for a department's
  // system that sends it), and the settings the warnings follow (rules, routing, calendar)
  'feed.import': change({ admin: 'all', civil_affairs: 'region' }),
  'feed.read': read(STAFF_IN_REGION),
  'monitoring.read': read({ admin: 'all', civil_affairs: 'all', auditor: 'all' }),
  'monitoring.configure': change({ admin: 'all' }),
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
  // a thank-you or impact note to a donor, checked for anything that could name a family
  'donor.message': change({ admin: 'all', charity_staff: 'all' }),
  // the public search indexes
  'search.manage': change({ admin: 'all' }),
  'search.check': read({ admin: 'all', auditor: 'all' }),
  // the services, job queues and failed jobs (system page)
  'system.read': read({ admin: 'all' }),
  'system.manage': change({ admin: 'all' }),
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
  'fulfilment.cancel': change({ admin: 'all', civil_affairs: 'region', charity_staff: 'organisation' }),
  // dashboards and their exports (aggregates only): the region's figures for its staff and
  // auditors, an organisation's for its charity staff (statistics/)
  'statistics.region': read(STAFF_IN_REGION),
  'statistics.charity': read({ admin: 'all', charity_staff: 'organisation' })
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
