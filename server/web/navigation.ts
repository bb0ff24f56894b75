// What the header offers each person: the public pages, and the pages of their role. A link
// is shown only to those whose role may open it (the same policy the routes enforce), so later
// pages join the menu by adding a line here.
import type { Principal } from '../auth/principal.js'
import { authorize, reachesFor, type Action } from '../auth/policy.js'

interface NavEntry {
  href: string
  label: string
  /** Who sees the link: everyone (undefined), or whoever the policy allows the action. */
  action?: Action
  /** Only for those the action reaches over regions (staff, administrators): not charity staff or institutions, who reach the same rows by organisation or course. */
  regional?: true
}

const ENTRIES: NavEntry[] = [
  { href: '/wishes', label: '微心愿' },
  { href: '/projects', label: '慈善项目' },
  { href: '/impact', label: '公益成效' },
  { href: '/charity/dashboard', label: '慈善统计', action: 'statistics.charity' },
  { href: '/me/claims', label: '我的认领', action: 'claim.fulfil' },
  { href: '/me/recommendations', label: '为我推荐', action: 'donor.self' },
  { href: '/me/messages', label: '感谢与消息', action: 'donor.self' },
  { href: '/me/preferences', label: '捐赠偏好', action: 'donor.self' },
  { href: '/charity', label: '慈善工作台', action: 'project.write' },
  { href: '/institution/courses', label: '培训课程', action: 'voucher.redeem' },
  { href: '/institution/redeem', label: '核销培训券', action: 'voucher.redeem' },
  { href: '/admin', label: '系统管理', action: 'user.manage' },
  { href: '/audit', label: '审计', action: 'audit.read' },
  // the civil-affairs workbench: staff bound to a region (and administrators, auditors read-only)
  { href: '/work', label: '工作台', action: 'household.read' },
  { href: '/work/households', label: '家庭', action: 'household.read' },
  { href: '/work/wishes', label: '心愿', action: 'household.read' },
  { href: '/work/claims', label: '认领', action: 'household.read' },
  { href: '/work/proposals', label: '帮扶推荐', action: 'household.read' },
  { href: '/work/warnings', label: '预警处置', action: 'warning.read' },
  { href: '/work/feeds', label: '部门数据', action: 'feed.read' },
  { href: '/work/imports', label: '花名册', action: 'import.read' },
  { href: '/work/dream-rooms', label: '梦想小屋', action: 'need.read' },
  { href: '/work/vouchers', label: '培训券', action: 'voucher.read', regional: true },
  { href: '/work/dashboard', label: '统计看板', action: 'statistics.region' },
  { href: '/admin/monitoring/rules', label: '预警设置', action: 'monitoring.configure' }
]

export interface NavLink { href: string, label: string, current: boolean }

/** The links this person sees, the one for the page they are on marked current. */
export function navigationFor (principal: Principal | null, path: string): NavLink[] {
  const regional = (action: Action) => { const reach = reachesFor(principal, action); return reach.includes('all') || (reach.includes('region') && principal?.regionCode != null) }
  const links = ENTRIES.filter(entry => entry.action === undefined || (authorize(principal, entry.action) && (!entry.regional || regional(entry.action))))
  const under = (href: string) => path === href || path.startsWith(`${href}/`) || path.startsWith(`${href}?`)
  // The most specific link is the current one: /charity/dashboard is 慈善统计's, not also 慈善工作台's.
  const current = links.filter(link => under(link.href)).sort((a, b) => b.href.length - a.href.length)[0]?.href
  return links.map(({ href, label }) => ({ href, label, current: href === current }))
}

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
