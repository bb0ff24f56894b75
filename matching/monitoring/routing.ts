// Where a warning goes (001 三(四); 002 三(四)): by its class, and for new hardships by the
// hardship, to a department's desk at the town or the county. The table below is the documents'
// reading; administrators override rows (server/monitoring/routes.ts), the most specific row —
// one naming the warning's rule — winning over the class's row.
import type { RuleKey, WarningClass } from './rules.js'

export const DEPARTMENTS = ['civil_affairs', 'human_resources', 'medical_security', 'disabled_federation', 'emergency_management', 'education'] as const
export type Department = typeof DEPARTMENTS[number]
export const DEPARTMENT_NAMES: Record<Department, string> = {
  civil_affairs: '民政',
  human_resources: '人力资源和社会保障',
  medical_security: '医疗保障',
  disabled_federation: '残联',
  emergency_management: '应急管理',
  education: '教育'
}

export const DESK_LEVELS = ['town', 'county'] as const
export type DeskLevel = typeof DESK_LEVELS[number]
export const DESK_LEVEL_NAMES: Record<DeskLevel, string> = { town: '镇（街道）', county: '县（区）' }

export interface Route {
  warningClass: WarningClass
  /** A rule, or '' for every warning of the class. */
  cause: RuleKey | ''
  department: Department
  level: DeskLevel
  /** Why: the paragraph, or who changed it. */
  source: string
}

const H = '001_8cb5f20805feca87.txt 三(四)'

export const DEFAULT_ROUTES: readonly Route[] = [
  { warningClass: 'policy_not_applied', cause: '', department: 'civil_affairs', level: 'town', source: `${H}：商请相关社会救助管理部门落实救助政策` },
  { warningClass: 'policy_not_applied', cause: 'job_recommendation_gap', department: 'human_resources', level: 'county', source: '000_6379457d8a0eea12.txt 三(二)：岗位推介由区人力社保局负责' },
  { warningClass: 'policy_not_applied', cause: 'training_gap', department: 'education', level: 'county', source: '000_6379457d8a0eea12.txt 三(二)：爱心培训券由区教育局、区民政局、区慈善总会负责' },
  { warningClass: 'new_hardship', cause: '', department: 'civil_affairs', level: 'town', source: `${H}：将信息分类推送至相关社会救助管理部门处理` },
  { warningClass: 'new_hardship', cause: 'spending_surge', department: 'medical_security', level: 'county', source: `${H}：医疗支出推送医疗保障部门（医疗救助）` },
  { warningClass: 'new_hardship', cause: 'income_drop_unemployment', department: 'human_resources', level: 'county', source: `${H}：失业推送人力资源和社会保障部门（就业救助）` },
  { warningClass: 'new_hardship', cause: 'severe_disability', department: 'disabled_federation', level: 'county', source: `${H}：重度残疾推送残联` },
  { warningClass: 'new_hardship', cause: 'disaster_loss', department: 'emergency_management', level: 'county', source: `${H}：灾害损失推送应急管理部门（受灾人员救助）` },
  { warningClass: 'possibly_eligible', cause: '', department: 'civil_affairs', level: 'town', source: `${H}：主动告知相关救助政策和申办渠道` },
  { warningClass: 'no_longer_eligible', cause: '', department: 'civil_affairs', level: 'county', source: `${H}：通知认定部门及时进行动态管理` },
  { warningClass: 'complex', cause: '', department: 'civil_affairs', level: 'county', source: `${H}：启动县级困难群众基本生活保障工作协调机制，“一事一议”` }
]

const key = (r: Pick<Route, 'warningClass' | 'cause'>) => `${r.warningClass}/${r.cause}`

/** The table in force: the defaults with the administrators' rows over them (theirs win, row for row). */
export function routingTable (overrides: readonly Route[]): Route[] {
  const rows = new Map(DEFAULT_ROUTES.map(r => [key(r), r]))
  for (const r of overrides) rows.set(key(r), r)
  return [...rows.values()]
}

/** The row for a warning: the one naming its rule, else its class's; civil affairs of the town when the table has neither. */
export function routeFor (table: readonly Route[], warningClass: WarningClass, rule: RuleKey): Route {
  return table.find(r => r.warningClass === warningClass && r.cause === rule)
    ?? table.find(r => r.warningClass === warningClass && r.cause === '')
    ?? { warningClass, cause: '', department: 'civil_affairs', level: 'town', source: '路由表无此类别，默认由镇（街道）民政处理' }
}

/** The desk's region for a household's village (12 digits): its town (9) or its county (6). */
export function deskRegion (villageCode: string, level: DeskLevel): string {
  return villageCode.slice(0, level === 'town' ? 9 : 6)
}

/** Whom an overdue warning goes to: the desk's supervisor, the civil affairs of the region above (a county desk: the county itself). */
export function supervisorRegion (desk: string): string {
  return desk.length > 6 ? desk.slice(0, 6) : desk
}
