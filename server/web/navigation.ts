// What the header offers each person: the public pages, and the pages of their role. A link
// is shown only to those whose role may open it (the same policy the routes enforce), so later
// pages join the menu by adding a line here.
import type { Principal } from '../auth/principal.js'
import { authorize, type Action } from '../auth/policy.js'

interface NavEntry {
  href: string
  label: string
  /** Who sees the link: everyone (undefined), or whoever the policy allows the action. */
  action?: Action
  /** Current only on this very page (a home whose sub-pages have links of their own). */
  exact?: boolean
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
  // the civil-affairs workbench: staff bound to a region (and administrators, auditors read-only)
  { href: '/work', label: '工作台', action: 'household.read', exact: true },
  { href: '/work/households', label: '家庭', action: 'household.read' },
  { href: '/work/wishes', label: '心愿', action: 'household.read' },
  { href: '/work/claims', label: '认领', action: 'household.read' },
  { href: '/work/proposals', label: '帮扶推荐', action: 'household.read' },
  { href: '/work/warnings', label: '预警处置', action: 'warning.read' },
  { href: '/work/feeds', label: '部门数据', action: 'feed.read' },
  { href: '/work/imports', label: '花名册', action: 'import.read' },
  { href: '/work/dashboard', label: '统计看板', action: 'statistics.region' },
  { href: '/admin/monitoring/rules', label: '预警设置', action: 'monitoring.configure' }
]

export interface NavLink { href: string, label: string, current: boolean }

/** The links this person sees, the one for the page they are on marked current. */
export function navigationFor (principal: Principal | null, path: string): NavLink[] {
  return ENTRIES
    .filter(entry => entry.action === undefined || authorize(principal, entry.action))
    .map(({ href, label, exact }) => ({ href, label, current: path === href || path.startsWith(`${href}?`) || (!exact && path.startsWith(`${href}/`)) }))
}

/** Where a person lands after signing in when no page asked for it: the work of their role. */
export function homeFor (principal: Principal | null): string {
  if (principal && authorize(principal, 'claim.fulfil')) return '/me/claims'
  if (principal?.roles.includes('civil_affairs')) return '/work'
  return '/'
}
