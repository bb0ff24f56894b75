// Warning rules as data (动态监测预警): which department data raises a warning, with which
// thresholds, for which policy profile, from which day. Each rule has built-in versions per
// profile — citing the paragraph that asks for it, taking effect on the profile document's own
// date — and administrators add versions with their own effective dates, as for the policy
// parameters (matching/policy/parameters.ts): on a given day, per rule, the latest version
// effective on or before it applies, and a staff version of the same day replaces a built-in.
// Where the documents give no number (what counts as a "surge"), the value is marked demo.
import { DOCUMENTS, PROFILES, type ProfileId } from '../policy/profiles.js'

const NANXUN = DOCUMENTS['nanxun-2025']
const HUBEI = DOCUMENTS['hubei-2024']
const JIYUAN = DOCUMENTS['jiyuan-2024']

/** How a warning is classed and so routed (Hubei 001 三(四); Jiyuan 002 三(四)). */
export const WARNING_CLASSES = ['policy_not_applied', 'new_hardship', 'possibly_eligible', 'no_longer_eligible', 'complex'] as const
export type WarningClass = typeof WARNING_CLASSES[number]
export const WARNING_CLASS_NAMES: Record<WarningClass, string> = {
  policy_not_applied: '政策未落实',
  new_hardship: '出现新困难',
  possibly_eligible: '可能符合救助条件',
  no_longer_eligible: '可能不再符合条件',
  complex: '困难情形复杂'
}
/** What each class asks of the desk, in the documents' words. */
export const WARNING_CLASS_SOURCES: Record<WarningClass, string> = {
  policy_not_applied: `${HUBEI} 三(四)“因社会救助政策落实不到位触发的预警，商请相关社会救助管理部门落实救助政策”`,
  new_hardship: `${HUBEI} 三(四)“因低收入人口出现新困难触发的预警，将信息分类推送至相关社会救助管理部门处理”`,
  possibly_eligible: `${HUBEI} 三(四)“对于可能符合低收入人口认定条件的，应当主动告知相关救助政策和申办渠道”`,
  no_longer_eligible: `${HUBEI} 三(四)“对于……不再符合救助条件的，通知认定部门及时进行动态管理”`,
  complex: `${HUBEI} 三(四)“对于困难情形复杂的，启动县级困难群众基本生活保障工作协调机制，通过‘一事一议’方式集体研究处理”；${JIYUAN} 三(四)`
}

/** The rules: those a department record triggers, the policy-gap scans, and the deadlines. */
export const RULE_KEYS = [
  'spending_surge', 'income_drop_death', 'sole_member_death', 'income_drop_unemployment', 'severe_disability', 'disaster_loss',
  'may_now_qualify', 'training_gap', 'job_recommendation_gap', 'economic_check_stale', 'deadline'
] as const
export type RuleKey = typeof RULE_KEYS[number]

export interface RuleParamSpec { unit: string, description: string, min: number, max: number, integer?: boolean }

export interface RuleSpec {
  name: string
  /** feed: a department record triggers it; scan: the periodic policy-gap scan; setting: the deadlines. */
  trigger: 'feed' | 'scan' | 'setting'
  params: Record<string, RuleParamSpec>
}

const AGE = { unit: '岁', min: 0, max: 120, integer: true }
const YUAN = { unit: '元', min: 1, max: 100_000_000 }
const SHARE = { unit: '比例', min: 0, max: 1 }

export const RULE_SPECS: Record<RuleKey, RuleSpec> = {
  spending_surge: {
    name: '支出骤增：自付医疗费用超过档位',
    trigger: 'feed',
    params: {
      tier1: { ...YUAN, description: '第一档：近期累计自付医疗费用达到此数即预警' },
      tier2: { ...YUAN, description: '第二档：累计达到此数为较重的支出骤增' },
      complexAt: { ...YUAN, description: '累计达到此数按困难情形复杂处理（一事一议）' },
      windowMonths: { unit: '月', min: 1, max: 36, integer: true, description: '累计的月数' }
    }
  },
  income_drop_death: {
    name: '收入骤减：劳动年龄段家庭成员死亡',
    trigger: 'feed',
    params: { minAge: { ...AGE, description: '劳动年龄下限' }, maxAge: { ...AGE, description: '劳动年龄上限' } }
  },
  sole_member_death: { name: '家庭唯一在册成员死亡（不再符合救助条件）', trigger: 'feed', params: {} },
  income_drop_unemployment: {
    name: '收入不稳定：有劳动能力的劳动年龄段成员失业登记',
    trigger: 'feed',
    params: { minAge: { ...AGE, description: '劳动年龄下限' }, maxAge: { ...AGE, description: '劳动年龄上限' } }
  },
  severe_disability: {
    name: '新办重度残疾人证',
    trigger: 'feed',
    params: {
      maxLevel: { unit: '级', min: 1, max: 4, integer: true, description: '此等级及以上（数字更小）为重度' },
      mentalMaxLevel: { unit: '级', min: 1, max: 4, integer: true, description: '智力、精神残疾此等级及以上为重度' }
    }
  },
  disaster_loss: {
    name: '财产遭受重大损失：自然灾害',
    trigger: 'feed',
    params: { threshold: { ...YUAN, description: '损失达到此数即预警' }, complexAt: { ...YUAN, description: '损失达到此数按困难情形复杂处理' } }
  },
  may_now_qualify: { name: '尚未纳入的监测对象可能符合低收入人口认定条件（按新数据重新测算）', trigger: 'feed', params: {} },
  training_gap: {
    name: '爱心培训券：半年将过仍未参加培训班',
    trigger: 'scan',
    params: { halfYearShare: { ...SHARE, description: '半年过去此比例后仍无培训班即预警' } }
  },
  job_recommendation_gap: {
    name: '失业成员本年度岗位推介次数不足',
    trigger: 'scan',
    params: {
      perYear: { unit: '次', min: 1, max: 12, integer: true, description: '每年应推介的次数' },
      yearShare: { ...SHARE, description: '一年过去此比例后仍不足即预警' },
      minAge: { ...AGE, description: '劳动年龄下限' },
      maxAge: { ...AGE, description: '劳动年龄上限' }
    }
  },
  economic_check_stale: { name: '家庭经济状况核对结果已过互认期（按政策参数 economicCheckValidityMonths）', trigger: 'scan', params: {} },
  deadline: {
    name: '预警处置时限（工作日）与到期提醒',
    trigger: 'setting',
    params: {
      lowIncome: { unit: '工作日', min: 1, max: 60, integer: true, description: '低收入人口的预警处置时限' },
      otherMonitored: { unit: '工作日', min: 1, max: 60, integer: true, description: '其他监测对象的预警处置时限' },
      remindBefore: { unit: '工作日', min: 0, max: 10, integer: true, description: '到期前几个工作日提醒' }
    }
  }
}

export type RuleParams = Record<string, number>

export interface RuleVersion {
  rule: RuleKey
  enabled: boolean
  params: RuleParams
  /** YYYY-MM-DD */
  effectiveFrom: string
  /** The paragraph that asks for the rule, or who entered the version. */
  source: string
  /** The document gives no number: the thresholds are placeholders for staff to set. */
  demo?: boolean
}

export interface ResolvedRules {
  profile: ProfileId
  rules: Record<RuleKey, RuleVersion>
}

const DEMO = '；数值为演示值：文件未给出具体数额，请按当地规定设置 (demo thresholds)'

/** The profile document's own date: built-in rule versions take effect with it. */
const documentDate = (profile: ProfileId) => PROFILES[profile].parameters[0]?.effectiveFrom ?? '2023-01-01'

/** The built-in versions of a profile's rules, each citing where it is asked for. */
export function builtInRules (profile: ProfileId): RuleVersion[] {
  const on = documentDate(profile)
  const nanxun = profile === 'nanxun-2025'
  const v = (rule: RuleKey, params: RuleParams, source: string, extra: Partial<RuleVersion> = {}): RuleVersion => ({ rule, enabled: true, params, effectiveFrom: on, source, ...extra })
  return [
    v('spending_surge', { tier1: 10_000, tier2: 30_000, complexAt: 80_000, windowMonths: 12 },
      `${JIYUAN} 三(一)“支出骤增（超过一定数额的自付医疗费用信息等）”；${NANXUN} 四(三)“高额医疗费用支出”${DEMO}`, { demo: true }),
    v('income_drop_death', { minAge: 16, maxAge: 59 }, `${NANXUN} 四(三)“劳动年龄段人口死亡”；${JIYUAN} 三(一)“收入骤减（家庭劳动力人员死亡信息等）”`),
    v('sole_member_death', {}, `${HUBEI} 三(四)“不再符合救助条件的，通知认定部门及时进行动态管理”`),
    v('income_drop_unemployment', { minAge: 16, maxAge: 59 }, `${NANXUN} 四(三)“失业人员登记”；${JIYUAN} 三(一)“收入无法持续稳定（失业登记信息等）”`),
    v('severe_disability', { maxLevel: 2, mentalMaxLevel: 3 }, `${NANXUN} 四(三)“残疾人证办理”；${HUBEI} 三(三)“重度残疾人”；重度口径按 ${DOCUMENTS['shanxi-county']} 工作任务(三)1(2)`),
    v('disaster_loss', { threshold: 5_000, complexAt: 50_000 }, `${JIYUAN} 三(一)“财产遭受重大损失（自然灾害应急救助信息等）”${DEMO}`, { demo: true }),
    v('may_now_qualify', {}, `${NANXUN} 四(三)“对其他监测对象……发现可能符合救助帮扶条件的，应当告知相关救助帮扶政策”；${HUBEI} 三(三)`),
    // Nanxun's own commitments (三(二)); the other documents make none, so their rule is off.
    v('training_gap', { halfYearShare: 0.75 }, `${NANXUN} 三(二)“每半年至少参加一个培训班”`, { enabled: nanxun }),
    v('job_recommendation_gap', { perYear: 3, yearShare: 0.75, minAge: 16, maxAge: 59 }, `${NANXUN} 三(二)“对未实现就业的人员每年开展不少于 3 次个性化岗位推介服务”`, { enabled: nanxun }),
    v('economic_check_stale', {}, `${HUBEI} 二(三)“家庭经济状况核对结果在 6 个月内互通互认”；月数取政策参数 economicCheckValidityMonths`),
    v('deadline', { lowIncome: 10, otherMonitored: 15, remindBefore: 2 }, nanxun
      ? `${NANXUN} 四(三)“预警应在 10 个工作日内处置……预警应在 15 个工作日内处置”（南浔的时限由政策参数 warningDaysLowIncome、warningDaysOtherMonitored 决定）`
      : `沿用 ${NANXUN} 四(三) 的 10 / 15 个工作日：${DOCUMENTS[profile]} 未规定预警处置时限 (borrowed from Nanxun)`)
  ]
}

export function isRuleKey (key: string): key is RuleKey {
  return (RULE_KEYS as readonly string[]).includes(key)
}

/** Why a version cannot be added (words for the administrator), or undefined. */
export function ruleVersionProblem (rule: RuleKey, params: RuleParams): string | undefined {
  const spec = RULE_SPECS[rule]
  for (const name of Object.keys(params)) if (!Object.hasOwn(spec.params, name)) return `规则 ${rule} 没有参数 ${name}`
  for (const [name, p] of Object.entries(spec.params)) {
    const value = params[name]
    if (value === undefined || !Number.isFinite(value)) return `请填写${p.description}（${name}）`
    if (p.integer === true && !Number.isInteger(value)) return `${p.description}须为整数（${p.unit}）`
    if (value < p.min || value > p.max) return `${p.description}须在 ${p.min} 到 ${p.max} 之间（${p.unit}）`
  }
  if (rule === 'spending_surge' && !((params.tier1 as number) <= (params.tier2 as number) && (params.tier2 as number) <= (params.complexAt as number))) return '档位须依次不减：第一档 ≤ 第二档 ≤ 复杂情形'
  if (rule === 'disaster_loss' && (params.threshold as number) > (params.complexAt as number)) return '预警线不能高于复杂情形的数额'
  if ((rule === 'income_drop_death' || rule === 'income_drop_unemployment' || rule === 'job_recommendation_gap') && (params.minAge as number) > (params.maxAge as number)) return '劳动年龄下限不能高于上限'
  return undefined
}

/** Per rule, the latest version effective on `asOf`; staff versions of the same day win. */
export function resolveRules (profile: ProfileId, staff: readonly RuleVersion[], asOf: string): ResolvedRules {
  const rules: Partial<Record<RuleKey, RuleVersion>> = {}
  for (const version of [...builtInRules(profile), ...staff]) {
    if (version.effectiveFrom > asOf) continue
    const current = rules[version.rule]
    if (!current || version.effectiveFrom >= current.effectiveFrom) rules[version.rule] = version
  }
  // A day before the document's date still needs a rule set: the earliest built-in versions.
  for (const version of builtInRules(profile)) rules[version.rule] ??= version
  return { profile, rules: rules as Record<RuleKey, RuleVersion> }
}

