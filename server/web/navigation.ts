// What the header offers each person: the public pages (to the public and donors), and the pages
// of their role. A link is shown only to those whose role may open it (the same policy the
// routes enforce), so later pages join the menu by adding a line here.
import type { Principal } from '../auth/principal.js'
import { authorize, reachesFor, type Action } from '../auth/policy.js'
import { STAFF_ROLES } from '../auth/roles.js'

interface NavEntry {
  href: string
  label: string
  /** Who sees the link: everyone (undefined), or whoever the policy allows the action. */
  action?: Action
  /** Only for those the action reaches over regions (staff, administrators): not charity staff or institutions, who reach the same rows by organisation or course. */
  regional?: true
  /** A public page: offered to those signed out and to donors, not to staff (the footer still links it). */
  public?: true
  /** The menu it folds into when a person's links are too many for one row (see FLAT_UP_TO). */
  group?: string
}

const ENTRIES: NavEntry[] = [
  { href: '/wishes', label: '微心愿', public: true },
  { href: '/projects', label: '慈善项目', public: true },
  { href: '/impact', label: '公益成效', public: true },
  { href: '/me/claims', label: '我的认领', action: 'claim.fulfil' },
  { href: '/me/recommendations', label: '为我推荐', action: 'donor.self' },
  { href: '/me/messages', label: '感谢与消息', action: 'donor.self' },
  { href: '/me/preferences', label: '捐赠偏好', action: 'donor.self' },
  { href: '/institution/courses', label: '培训课程', action: 'voucher.redeem' },
  { href: '/institution/redeem', label: '核销培训券', action: 'voucher.redeem' },
  // the civil-affairs workbench: staff bound to a region (and administrators, auditors read-only)
  { href: '/work', label: '工作台', action: 'household.read' },
  { href: '/work/households', label: '家庭', action: 'household.read' },
  { href: '/work/warnings', label: '预警处置', action: 'warning.read' },
  { href: '/work/wishes', label: '心愿', action: 'household.read', group: '帮扶' },
  { href: '/work/claims', label: '认领', action: 'household.read', group: '帮扶' },
  { href: '/work/proposals', label: '帮扶推荐', action: 'household.read', group: '帮扶' },
  { href: '/work/dream-rooms', label: '梦想小屋', action: 'need.read', group: '帮扶' },
  { href: '/work/vouchers', label: '培训券', action: 'voucher.read', regional: true, group: '帮扶' },
  { href: '/work/feeds', label: '部门数据', action: 'feed.read', group: '数据' },
  { href: '/work/imports', label: '花名册', action: 'import.read', group: '数据' },
  { href: '/work/dashboard', label: '统计看板', action: 'statistics.region', group: '数据' },
  { href: '/charity', label: '慈善工作台', action: 'project.write', group: '慈善' },
  { href: '/charity/dashboard', label: '慈善统计', action: 'statistics.charity', group: '慈善' },
  { href: '/admin', label: '系统管理', action: 'user.manage', group: '管理' },
  { href: '/admin/monitoring/rules', label: '预警设置', action: 'monitoring.configure', group: '管理' },
  { href: '/audit', label: '审计', action: 'audit.read', group: '管理' }
]

/**
 * Up to this many links stay in one flat row (a donor's, charity staff's, an institution's);
 * more (the workbench's 11–16) fold into a few menus so the header keeps one row at 1280 px.
 */
const FLAT_UP_TO = 8

export interface NavLink { href: string, label: string, current: boolean }
/** A menu of links: current when the page is one of its links. */
export interface NavGroup { label: string, current: boolean, links: NavLink[] }
export type NavItem = NavLink | NavGroup

/** The links this person sees, the one for the page they are on marked current; a long list folds into menus. */
export function navigationFor (principal: Principal | null, path: string): NavItem[] {
  const regional = (action: Action) => { const reach = reachesFor(principal, action); return reach.includes('all') || (reach.includes('region') && principal?.regionCode != null) }
  const staff = principal?.roles.some(role => STAFF_ROLES.includes(role)) === true
  const entries = ENTRIES.filter(entry => entry.public ? !staff : entry.action === undefined || (authorize(principal, entry.action) && (!entry.regional || regional(entry.action))))
  const under = (href: string) => path === href || path.startsWith(`${href}/`) || path.startsWith(`${href}?`)
  // The most specific link is the current one: /charity/dashboard is 慈善统计's, not also 慈善工作台's.
  const current = entries.filter(entry => under(entry.href)).sort((a, b) => b.href.length - a.href.length)[0]?.href
  const link = ({ href, label }: NavEntry): NavLink => ({ href, label, current: href === current })
  if (entries.length <= FLAT_UP_TO) return entries.map(link)
  // A group takes the place of its first link; a group of one is just the link.
  const items: NavItem[] = []
  const groups = new Map<string, NavGroup>()
  for (const entry of entries) {
    const size = entries.filter(e => e.group !== undefined && e.group === entry.group).length
    if (entry.group === undefined || size < 2) { items.push(link(entry)); continue }
    let group = groups.get(entry.group)
    if (!group) { group = { label: entry.group, current: false, links: [] }; groups.set(entry.group, group); items.push(group) }
    group.links.push(link(entry))
    group.current ||= entry.href === current
  }
  return items
}

/** Every link, the menus' included. */
export const linksOf = (items: readonly NavItem[]): NavLink[] => items.flatMap(item => 'links' in item ? item.links : [item])

/** Where each role's work starts, by an action only that role (or, first, an administrator) has. */
const HOMES: Array<[Action, string]> = [
  ['claim.fulfil', '/me/claims'],
  ['user.manage', '/admin'],
  ['project.write', '/charity'],
  ['household.write', '/work'],
  ['voucher.redeem', '/institution/courses'],
  ['audit.read', '/audit']
]

/** Where a person lands after signing in when no page asked for it: the work of their role. */
export function homeFor (principal: Principal | null): string {
  return HOMES.find(([action]) => principal && authorize(principal, action))?.[1] ?? '/'
}
