// The words staff pages use for the codes the domain stores: school stages, household
// statuses, the matcher's rules and score factors, and how each factor's raw value reads.
import { CATEGORY_NAMES, HARDSHIP_NAMES, type CategoryOrNone, type Hardship, type HouseholdStatus, type SchoolStage } from '../../matching/domain.js'
import { RULE_NAMES, type EligibilityRule } from '../../matching/eligibility.js'
import type { ScoreFactor } from '../../matching/score.js'
import type { Action } from '../auth/actions.js'
import { plainMessage } from './forms.js'

export const SCHOOL_STAGE_NAMES: Record<SchoolStage, string> = {
  none: '不在学', kindergarten: '幼儿园', primary: '小学', junior: '初中', senior: '高中', vocational: '中职', college: '大学'
}

export const HOUSEHOLD_STATUS_NAMES: Record<HouseholdStatus, string> = {
  active: '在册', gradual_exit: '渐退期', exited: '已退出', refused: '申请未通过', monitored_other: '其他监测对象'
}

/** A rule of the matcher in plain words (its Chinese part). */
export const ruleName = (rule: string): string => plainMessage(RULE_NAMES[rule as EligibilityRule] ?? rule)

export const FACTOR_NAMES: Record<ScoreFactor, string> = {
  severity: '困难类别', hardship: '困难情形', income_gap: '收入差距', little_recent_help: '近期受助少',
  waiting: '等待时间', proximity: '就近', donor_fit: '资助人偏好', urgency: '紧迫程度'
}

const PROXIMITY: Record<string, string> = { 'same village': '与项目同村', 'same town': '与项目同镇（街道）', 'same county': '与项目同县（区）', elsewhere: '不在项目所在地', '—': '项目未设地点' }

const round = (n: number) => Math.round(n).toLocaleString('en-US')

/** What a factor's raw value means, in a sentence. */
export function factorValueText (factor: string, value: unknown): string {
  switch (factor) {
    case 'severity': return CATEGORY_NAMES[value as CategoryOrNone] ?? String(value)
    case 'hardship': return value === '—' || value === '' ? '无' : String(value).split(',').map(h => HARDSHIP_NAMES[h as Hardship] ?? h).join('、')
    case 'income_gap': return typeof value === 'number' && value > 0 ? `人均月收入比边缘线低 ¥${round(value)}` : '收入不低于边缘线'
    case 'little_recent_help': return `近 12 个月慈善帮扶 ¥${round(Number(value))}`
    case 'waiting': return `需求已等待 ${round(Number(value))} 天`
    case 'proximity': return PROXIMITY[String(value)] ?? String(value)
    case 'donor_fit': {
      if (value === 'no funding donor') return '项目没有指定资助人'
      if (value === 'no preferences stated') return '资助人未设偏好'
      const [met, stated] = String(value).split('/')
      return `符合资助人 ${met} / ${stated} 项偏好`
    }
    case 'urgency': {
      const match = /deadline ([\d.]+); (helped|not yet helped)/.exec(String(value))
      return match ? `期限紧迫度 ${match[1]}，本半年${match[2] === 'helped' ? '已' : '未'}获同类帮扶` : String(value)
    }
    default: return String(value)
  }
}

export interface FactorLine { name: string, text: string, points: string, weight: string }

/** A score's factors as a page lists them: name, what the value means, the points it adds (of 100) and its weight. */
export function explainFactors (factors: ReadonlyArray<{ factor?: string | undefined, value?: unknown, contribution?: number | undefined, weight?: number | undefined }> | undefined): FactorLine[] {
  return (factors ?? []).map(f => ({
    name: FACTOR_NAMES[f.factor as ScoreFactor] ?? String(f.factor),
    text: factorValueText(String(f.factor), f.value),
    points: ((f.contribution ?? 0) * 100).toFixed(1),
    weight: (f.weight ?? 0).toFixed(2)
  }))
}

/** A score (0…1) as points of 100. */
export const points = (score: number) => (score * 100).toFixed(1)

export const categoryName = (code: string | null) => CATEGORY_NAMES[(code ?? 'none') as CategoryOrNone] ?? code ?? ''

/** What each action lets a token (or a role) do, in words: the scopes an administrator picks. */
export const ACTION_NAMES: Record<Action, string> = {
  'user.read': '查看账号', 'user.manage': '管理账号', 'token.manage': '管理 API 令牌',
  'audit.read': '查看审计记录', 'audit.verify': '校验审计记录',
  'region.read': '查看行政区划', 'parameter.read': '查看政策参数', 'parameter.manage': '修改政策参数',
  'eligibility.evaluate': '试算认定结果',
  'household.read': '查看家庭（脱敏）', 'household.read_pii': '查看家庭完整个人信息', 'household.write': '登记和修改家庭', 'household.import': '批量导入家庭',
  'import.read': '查看导入记录', 'assistance.read': '查看救助记录', 'assistance.write': '登记救助',
  'warning.read': '查看预警', 'warning.handle': '处理预警',
  'feed.import': '导入部门数据', 'feed.read': '查看部门数据', 'monitoring.read': '查看预警规则', 'monitoring.configure': '设置预警规则',
  'need.read': '查看需求', 'need.write': '登记需求', 'need.verify': '核实和发布需求', 'need.configure': '设定需求范围',
  'wish.claim': '认领微心愿',
  'donor.self': '爱心人士本人的资料', 'donor.read': '查看爱心人士', 'donor.message': '给爱心人士写信',
  'search.manage': '管理搜索索引', 'search.check': '检查搜索索引', 'system.read': '查看系统状态', 'system.manage': '重试失败的任务',
  'claim.read': '查看认领', 'claim.fulfil': '落实本人的认领',
  'match.run': '生成推荐名单', 'match.read': '查看推荐名单', 'match.confirm': '确认推荐',
  'project.read': '查看慈善项目', 'project.write': '管理慈善项目',
  'course.read': '查看培训课程', 'course.write': '管理培训课程',
  'voucher.read': '查看培训券', 'voucher.redeem': '核销培训券', 'voucher.manage': '发放和分配培训券',
  'dream_room.offer': '查看待资助的梦想小屋', 'dream_room.read_deidentified': '查看梦想小屋（脱敏）', 'dream_room.progress': '推进梦想小屋',
  'fulfilment.read': '查看帮扶落实', 'fulfilment.cancel': '取消帮扶',
  'statistics.region': '查看本地区统计', 'statistics.charity': '查看慈善统计'
}
