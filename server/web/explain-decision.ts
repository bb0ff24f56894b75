// A category decision as a clerk reads it: each step of the trace in plain Chinese, with the
// figures it used and the paragraph of the policy document it rests on ("浔政办发〔2025〕11号
// 二"), and — once decisions carry them — each member's own outcome. The trace is read as
// stored: a step whose inputs this page does not know is still shown by its label, its
// outcome, its rule text and its comparisons, so a newer engine's steps never vanish.
import { CATEGORY_NAMES, type CategoryOrNone } from '../../matching/domain.js'
import { DOCUMENTS, PROFILES, type ProfileId } from '../../matching/policy/profiles.js'
import { categoryName, hardshipName, LABOR_NAMES } from './work-names.js'
import { fullDate, yuan } from './format.js'
import type { TraceStep } from '../../matching/policy/trace.js'

/** A step of a decision's trace, as the engine writes it and the decision stores it. */
export type TraceStepLike = TraceStep

export interface DecisionLike {
  asOf: string
  profile: string
  profileVersion: string
  category: string
  perCapitaMonthlyIncome: number
  individualDibao?: readonly number[]
  trace: readonly TraceStepLike[]
  /** Per-member outcomes, when the engine records them (issue 21): read if present. */
  members?: unknown
}

export interface ExplainedStep {
  label: string
  /** 符合 / 不符合, or what the step found where it decides no category. */
  verdict: string
  result: boolean
  /** Sentences with the figures used. */
  lines: string[]
  /** The document's tests, each with whether it held. */
  comparisons: Array<{ text: string, holds: boolean }>
  /** Where the rule is written: the document's title and paragraph. */
  citation: string
  /** When the rule is borrowed from another document: why. */
  note?: string
  /** Something staff must check or decide themselves. */
  attention?: string
}

export interface MemberOutcome { member: number, category: string, reason: string, citation: string }

export interface ExplainedDecision {
  category: string
  categoryName: string
  profileTitle: string
  profileVersion: string
  /** The parameters' version in words ("2025年6月28日起施行的参数"). */
  versionText: string
  asOf: string
  perCapita: string
  steps: ExplainedStep[]
  /** Each member's own category and why, when the decision holds them; empty otherwise. */
  members: MemberOutcome[]
}

const FILE = /\d{3}_[0-9a-f]{16}\.txt/g
const titleOfFile = (file: string): string => {
  const profile = (Object.entries(DOCUMENTS) as Array<[ProfileId, string]>).find(([, name]) => name === file)?.[0]
  return profile ? PROFILES[profile].title : file
}
/** The document's number without its issuer ("浔政办发〔2025〕11号"), for notes that name the place already. */
const numberOfFile = (file: string): string => titleOfFile(file).split(' ').slice(-1)[0] ?? file

/**
 * The English gloss the engine appends to its Chinese ("… (borrowed from Hubei 二(三))") taken
 * off: the last " (" that opens with a Latin letter, to the end.
 */
export function chineseOnly (text: string): string {
  for (let at = text.lastIndexOf(' ('); at >= 0; at = text.lastIndexOf(' (', at - 1)) {
    if (/[A-Za-z]/.test(text.charAt(at + 2))) return text.slice(0, at).trim()
  }
  return text.trim()
}

/** "000_….txt 二(二)1" → "湖州市南浔区 浔政办发〔2025〕11号 二(二)1". */
export function citation (source: string): string {
  return chineseOnly(source.replace(FILE, titleOfFile))
}

/** A note that names documents by file: by their number instead. */
const noteText = (note: string): string => chineseOnly(note.replace(FILE, numberOfFile))

/** "nanxun-2025@2025-06-28#55468bb3" → "2025年6月28日起施行的参数". */
function versionText (version: string): string {
  const day = /@(\d{4}-\d{2}-\d{2})/.exec(version)?.[1]
  return day ? `${fullDate(day)}起施行的参数` : `参数版本 ${version}`
}

const num = (value: unknown): number | undefined => typeof value === 'number' && Number.isFinite(value) ? value : undefined
const money = (value: unknown): string => num(value) === undefined ? '—' : yuan(num(value) as number)
const yes = (value: unknown, truthy: string, falsy: string) => value === true ? truthy : value === false ? falsy : undefined

function comparisonsOf (inputs: Record<string, unknown>): ExplainedStep['comparisons'] {
  const list = Array.isArray(inputs.comparisons) ? inputs.comparisons : []
  return list.flatMap(item => {
    const c = item as { wording?: unknown, holds?: unknown }
    return typeof c.wording === 'string' ? [{ text: c.wording, holds: c.holds === true }] : []
  })
}

/** The sentences of one step, by the rule it applied; unknown rules say only what they read as text. */
function linesOf (step: TraceStepLike): string[] {
  const i = step.inputs ?? {}
  const lines: string[] = []
  const push = (line: string | undefined | false) => { if (line) lines.push(line) }
  switch (step.rule) {
    case 'assessed_income': {
      push(`家庭年收入 ${money(i.annualIncome)}，现有成员 ${String(i.members ?? '—')} 人${num(i.employedMembers) ? `，其中就业 ${String(i.employedMembers)} 人` : ''}。`)
      push(`人均月收入 ${money(i.perCapitaMonthly)}。`)
      if (num(i.employmentDeductionMonthly) && num(i.employedMembers)) {
        push(`就业成本每名就业成员每月扣减 ${money(i.employmentDeductionMonthly)}，扣减后人均月收入 ${money(i.perCapitaMonthlyAfterDeduction)}（用于低保、低保边缘的认定）。`)
      }
      break
    }
    case 'tekun': {
      const members = Array.isArray(i.members) ? i.members as Array<Record<string, unknown>> : []
      members.forEach((m, index) => {
        const gaps = [
          m.laborCapacity !== 'none' ? `${LABOR_NAMES[String(m.laborCapacity)] ?? '有劳动能力'}` : undefined,
          m.hasIncomeSource === true ? '有收入来源' : undefined,
          m.hasAbleSupporter === true ? '有能履行义务的赡养（抚养、扶养）人' : undefined,
          m.disabled !== true && num(m.age) !== undefined && (m.age as number) >= 18 && (m.age as number) < 60 ? `${String(m.age)} 岁，不是老年人、残疾人或未成年人` : undefined
        ].filter(Boolean)
        push(`第 ${index + 1} 位成员（${String(m.age ?? '—')} 岁）：${gaps.length === 0 ? '符合各项条件' : `不满足——${gaps.join('，')}`}。`)
      })
      break
    }
    case 'dibao':
      push(`人均月收入 ${money(i.perCapitaMonthly)}，低保标准每人每月 ${money(i.dibaoMonthly)}；家庭财产${yes(i.propertyCompliant, '符合规定', '不符合规定') ?? '—'}。`)
      break
    case 'fanpin_monitor':
      push(i.povertyMonitoring === true ? '农业农村部门已将该户标记为防止返贫监测对象。' : '该户没有防止返贫监测对象标记。')
      break
    case 'dibao_edge': {
      const k = num(i.edgeMultiplier)
      const line = k !== undefined && num(i.dibaoMonthly) !== undefined ? (i.dibaoMonthly as number) * k : undefined
      push(`人均月收入 ${money(i.perCapitaMonthly)}；低保标准 ${money(i.dibaoMonthly)}${k !== undefined ? `，${k} 倍为 ${money(line)}` : ''}${num(i.minWageMonthly) !== undefined && Number.isFinite(i.minWageMonthly) ? `；当地最低工资标准 ${money(i.minWageMonthly)}${i.minWageCapApplies === true ? '（低于 k 倍，作为边缘标准的上限）' : ''}` : ''}。`)
      push(num(i.edgeLineMonthly) !== undefined && `低保边缘标准按每人每月 ${money(i.edgeLineMonthly)} 计。`)
      push(`家庭财产${yes(i.propertyCompliant, '符合规定', '不符合规定') ?? '—'}。`)
      break
    }
    case 'rigid_expense':
      push(`年人均收入 ${money(i.perCapitaAnnual)}，上年度居民人均可支配收入 ${money(i.disposableIncomeAnnual)}；家庭财产${yes(i.propertyCompliant, '符合规定', '不符合规定') ?? '—'}。`)
      push(`医疗支出 ${money(i.medical)}，教育支出 ${money(i.education)}（每年）。`)
      if (num(i.perCapitaMonthlyAfterExpenses) !== undefined) push(`扣除刚性支出后人均月收入 ${money(i.perCapitaMonthlyAfterExpenses)}，低保边缘标准 ${money(i.edgeLineMonthly)}。`)
      if (i.actualShare !== undefined && num(i.rigidExpenseShare) !== undefined) push(`刚性支出占家庭总收入的 ${i.actualShare === null ? '—（无收入）' : `${Math.round((i.actualShare as number) * 100)}%`}，规定比例 ${Math.round((i.rigidExpenseShare as number) * 100)}%。`)
      if (i.incomeDropped !== undefined) push(`收入${i.incomeDropped === true ? '已' : '未'}因病、因灾或意外大幅缩减（上年收入 ${money(i.previousAnnualIncome)}）。`)
      break
    case 'low_income_support': {
      const hardships = [...(Array.isArray(i.hardships) ? i.hardships as string[] : []).map(hardshipName), ...(Array.isArray(i.memberHardships) ? (i.memberHardships as Array<{ member: number, hardship: string }>).map(h => `第 ${h.member + 1} 位成员${hardshipName(h.hardship)}`) : [])]
      push(`人均月收入 ${money(i.perCapitaMonthly)}，低保边缘标准 ${money(i.edgeLineMonthly)}；年人均收入 ${money(i.perCapitaAnnual)}，帮扶线 ${money(i.lowIncomeSupportAnnual)}；家庭财产${yes(i.propertyCompliant, '符合规定', '不符合规定') ?? '—'}。`)
      push(`困难情形：${hardships.length > 0 ? hardships.join('、') : '无'}。`)
      break
    }
    case 'other':
      push(i.caseByCase === true ? '已由文件规定的机关个案认定。' : '没有个案认定的记录。')
      break
    case 'precedence': {
      const applicable = Array.isArray(i.applicable) ? i.applicable as string[] : []
      push(applicable.length > 0 ? `符合的类别：${applicable.map(categoryName).join('、')}。按“就高”原则认定为${categoryName(String(i.chosen))}。` : '不符合任何类别。')
      break
    }
    case 'individual_dibao': {
      const members = Array.isArray(i.members) ? i.members as number[] : []
      push(members.length > 0 ? `第 ${members.map(m => m + 1).join('、')} 位成员可单独纳入低保（单人保）。` : i.edgeHousehold === true ? '没有成员符合单人保条件。' : '不是低保边缘家庭，不适用单人保。')
      break
    }
    case 'economic_check':
      push(`家庭经济状况核对于 ${typeof i.propertyCheckedOn === 'string' ? fullDate(i.propertyCheckedOn) : '—'}，${num(i.validityMonths) ?? '—'} 个月内有效（至 ${typeof i.validUntil === 'string' ? fullDate(i.validUntil) : '—'}）。`)
      break
    default:
      break
  }
  if (lines.length === 0 && typeof i.rule === 'string') lines.push(i.rule)
  for (const key of ['reason', 'window', 'until', 'exitFrom'] as const) {
    const value = i[key]
    if (typeof value !== 'string' || lines.length > 3) continue
    const text = chineseOnly(value)
    if (key === 'until') lines.push(`至 ${/^\d{4}-\d{2}-\d{2}$/.test(text) ? fullDate(text) : text}。`)
    else if (key === 'exitFrom') lines.push(`自 ${/^\d{4}-\d{2}-\d{2}$/.test(text) ? fullDate(text) : text} 起退出。`)
    else if (!/^[a-z_]+$/.test(text)) lines.push(`${text}。`.replace(/。。$/, '。'))
  }
  return lines
}

function attentionOf (inputs: Record<string, unknown>): string | undefined {
  for (const key of ['boundary', 'byTheLetter', 'verify', 'action'] as const) {
    if (typeof inputs[key] === 'string') return chineseOnly(inputs[key] as string)
  }
  return undefined
}

/** Decisions that decide no category (income, 就高, checks) show what they found, not 符合/不符合. */
const FINDINGS = new Set(['assessed_income', 'precedence', 'economic_check', 'standards_ignored'])

function verdictOf (step: TraceStepLike): string {
  if (step.rule === 'economic_check') return step.result ? '在有效期内' : '已超过有效期，需重新核对'
  if (FINDINGS.has(step.rule)) return '结果'
  return step.result ? '符合' : '不符合'
}

function membersOf (decision: DecisionLike): MemberOutcome[] {
  if (!Array.isArray(decision.members)) return []
  return decision.members.flatMap(item => {
    const m = item as { member?: unknown, category?: unknown, reason?: unknown, source?: unknown }
    if (typeof m.member !== 'number' || typeof m.category !== 'string') return []
    return [{ member: m.member + 1, category: categoryName(m.category), reason: typeof m.reason === 'string' ? chineseOnly(m.reason) : '', citation: typeof m.source === 'string' ? citation(m.source) : '' }]
  })
}

export function explainDecision (decision: DecisionLike): ExplainedDecision {
  return {
    category: decision.category,
    categoryName: CATEGORY_NAMES[decision.category as CategoryOrNone] ?? decision.category,
    profileTitle: PROFILES[decision.profile as ProfileId]?.title ?? decision.profile,
    profileVersion: decision.profileVersion,
    versionText: versionText(decision.profileVersion),
    asOf: decision.asOf,
    perCapita: yuan(decision.perCapitaMonthlyIncome),
    steps: decision.trace.map(step => {
      const attention = attentionOf(step.inputs ?? {})
      return {
        label: step.label,
        verdict: verdictOf(step),
        result: step.result,
        lines: linesOf(step),
        comparisons: comparisonsOf(step.inputs ?? {}),
        citation: citation(step.source),
        ...(step.note ? { note: noteText(step.note) } : {}),
        ...(attention ? { attention } : {})
      }
    }),
    members: membersOf(decision)
  }
}
