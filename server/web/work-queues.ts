// What waits for civil-affairs staff, as the workbench (/work) counts it: each queue a label,
// the action whose reach decides who sees it and over which region, a count over that region,
// and the page that works it; a new queue is one entry here.
// Counts run on the region the person's role reaches for the action (regionScopeFor), so a
// town officer's counts are that town's, exactly as the lists they link to.
import type { Principal } from '../auth/principal.js'
import { reachesFor, regionScopeFor, type Action } from '../auth/policy.js'
import type { Db } from '../db/database.js'
import type { RegionScope } from '../db/scope.js'
import { countStagesDue } from '../dream-rooms/views.js'
import { loadCalendar } from '../monitoring/calendar.js'
import { DUE_SOON_WORKING_DAYS, warningCounts } from '../monitoring/warnings.js'
import { countClaimsInGroup, countWishes } from '../needs/follow-up.js'
import { countAwaitingReceipt, countOpenProposals } from '../proposals/queue.js'
import { countImportsWithProblems } from '../registry/import/record.js'
import { halfYearLabel } from '../vouchers/half-year.js'
import { countWithoutClass } from '../vouchers/views.js'

export interface WorkQueue {
  /** A stable name (tests and the page's markup use it). */
  key: string
  label: string
  /** Who sees the queue: whoever the policy allows this action, counted over the region it reaches. */
  action: Action
  /** The page that works the queue (none yet: the count is shown, and the API does the work). */
  href?: string
  /** A line under the count: what the queue is for. */
  hint: string
  count: (db: Db, scope: RegionScope, asOf: string) => Promise<number>
}

/** Open warnings of the region on the official working-day calendar (monitoring/calendar.ts). */
const warningsDue = async (db: Db, scope: RegionScope, asOf: string) => warningCounts(db, scope, await loadCalendar(db), asOf)

export const WORK_QUEUES: WorkQueue[] = [
  { key: 'warnings-overdue', label: '已逾期的预警', action: 'warning.read', href: '/work/warnings?due=overdue', hint: '尽快处置；逾期未办的会报上级督办', count: async (db, scope, asOf) => (await warningsDue(db, scope, asOf)).overdue },
  { key: 'warnings-due-soon', label: `${DUE_SOON_WORKING_DAYS} 个工作日内到期的预警`, action: 'warning.read', href: '/work/warnings?due=soon', hint: '入户核实，登记处置或转慈善帮扶', count: async (db, scope, asOf) => (await warningsDue(db, scope, asOf)).dueSoon },
  { key: 'wishes-to-verify', label: '待入户核实的微心愿', action: 'need.read', href: '/work/wishes?state=submitted', hint: '核实后才能发布给爱心人士', count: (db, scope) => countWishes(db, scope, ['submitted']) },
  { key: 'wishes-to-publish', label: '已核实、待发布的微心愿', action: 'need.read', href: '/work/wishes?state=verified', hint: '发布前会去掉姓名、电话等信息', count: (db, scope) => countWishes(db, scope, ['verified']) },
  { key: 'proposals-to-confirm', label: '待确认的帮扶推荐', action: 'match.read', href: '/work/proposals', hint: '慈善项目推荐的家庭，确认前先看查重提示', count: (db, scope) => countOpenProposals(db, scope) },
  { key: 'claims-overdue', label: '逾期未送达的认领', action: 'claim.read', href: '/work/claims?group=overdue', hint: '联系爱心人士，或等心愿自动重新开放', count: (db, scope, asOf) => countClaimsInGroup(db, scope, 'overdue', asOf) },
  { key: 'claims-delivered', label: '已送达、待确认收到的心愿', action: 'claim.read', href: '/work/claims?group=delivered', hint: '向受助家庭核实后确认收到', count: (db, scope, asOf) => countClaimsInGroup(db, scope, 'delivered', asOf) },
  { key: 'help-awaiting-receipt', label: '项目帮扶已送达、待签收', action: 'fulfilment.read', href: '/work/proposals', hint: '登记家庭签收后写入救助链', count: (db, scope) => countAwaitingReceipt(db, scope) },
  { key: 'room-stages-due', label: '7 天内到期或已逾期的梦想小屋阶段', action: 'need.read', href: '/work/dream-rooms', hint: '上传阶段照片后完成该阶段', count: (db, scope, asOf) => countStagesDue(db, scope, asOf) },
  { key: 'children-without-class', label: '本半年尚未入班的孩子', action: 'voucher.read', href: '/work/vouchers?show=without-class', hint: '运行名额分配，或登记家庭自选课程', count: (db, scope, asOf) => countWithoutClass(db, scope, halfYearLabel(asOf)) },
  { key: 'imports-with-problems', label: '近 30 天有问题的花名册导入', action: 'import.read', href: '/work/imports', hint: '下载问题清单，改好后重新上传', count: (db, scope, asOf) => countImportsWithProblems(db, scope, asOf) }
]

export interface QueueCount extends Omit<WorkQueue, 'count'> { count: number }

/** The queues this person sees, each counted over the region their role reaches for its action. */
export async function queueCounts (db: Db, principal: Principal | null, asOf: string, queues: readonly WorkQueue[] = WORK_QUEUES): Promise<QueueCount[]> {
  const theirs = queues.filter(queue => reachesRegions(principal, queue.action))
  return Promise.all(theirs.map(async ({ count, ...queue }) => ({ ...queue, count: await count(db, regionScopeFor(principal, queue.action), asOf) })))
}

/** Whether the action reaches region-keyed rows for this person (charity staff reach their organisation's instead, donors their own). */
export function reachesRegions (principal: Principal | null, action: Action): boolean {
  const reach = reachesFor(principal, action)
  return reach.includes('all') || (reach.includes('region') && principal?.regionCode != null)
}
