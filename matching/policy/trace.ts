// One step of a decision's explanation: which rule, its outcome, what it looked at, and the
// paragraph it applied (saying so when the profile borrows it from another document).
import type { Citation, Profile, RuleId } from './profiles.js'

export interface TraceStep {
  rule: string
  label: string
  result: boolean
  inputs: Record<string, unknown>
  /** "file section" of the paragraph whose rule was applied. */
  source: string
  /** Present when the profile's own document does not contain the rule: what was borrowed, and why. */
  note?: string
}

export const RULE_LABELS: Record<RuleId, string> = {
  assessed_income: '家庭收入核算',
  tekun: '特困人员',
  dibao: '最低生活保障',
  fanpin_monitor: '防止返贫监测对象',
  dibao_edge: '最低生活保障边缘家庭',
  rigid_expense: '刚性支出困难家庭',
  low_income_support: '低收入帮扶家庭',
  other: '其他困难人员',
  individual_dibao: '单人保',
  precedence: '就高认定',
  gradual_exit: '渐退期',
  monitored_windows: '其他监测对象',
  economic_check: '经济状况核对有效期',
  standards_ignored: '未采用的临时参数',
  single_person_household: '参照单人户纳入低保',
  illness_impoverished: '因病致贫重病患者',
  low_income_farmer: '低收入农户',
  person_outcomes: '个人认定（就高、一人一次）'
}

/** A trace step citing `citation` (and saying what was borrowed, when the citation carries a note). */
export function citedStep (citation: Citation, rule: RuleId, result: boolean, inputs: Record<string, unknown>): TraceStep {
  // Two literal shapes rather than a property added later: every classification makes a dozen steps.
  return citation.note === undefined
    ? { rule, label: RULE_LABELS[rule], result, inputs, source: citation.source }
    : { rule, label: RULE_LABELS[rule], result, inputs, source: citation.source, note: citation.note }
}

/** The trace step of `rule`, citing where the profile says the rule is written. */
export function traceStep (profile: Profile, rule: RuleId, result: boolean, inputs: Record<string, unknown>): TraceStep {
  const citation = profile.rules[rule]
  if (citation === undefined) throw new Error(`profile ${profile.id} cites no paragraph for ${rule}`)
  return citedStep(citation, rule, result, inputs)
}

/** What every step of one rule under one profile shares: its name, label and citation. */
export interface StepHead {
  rule: RuleId
  label: string
  source: string
  note: string | undefined
}

/**
 * A profile's step heads by rule, built once per profile. Every profile's table has every rule
 * (undefined where the profile does not apply it) in the same order, so the classifier reads
 * `heads.tekun` from objects of one shape: looking a rule up by a string that varies (as
 * traceStep does) costs each classification more than all its arithmetic.
 */
export type StepHeads = { readonly [R in RuleId]: StepHead | undefined }

const headsOf = new Map<string, StepHeads>()

export function stepHeads (profile: Profile): StepHeads {
  let heads = headsOf.get(profile.id)
  if (heads === undefined) {
    const table: Partial<Record<RuleId, StepHead | undefined>> = {}
    for (const rule of Object.keys(RULE_LABELS) as RuleId[]) {
      const citation = profile.rules[rule]
      table[rule] = citation === undefined ? undefined : Object.freeze({ rule, label: RULE_LABELS[rule], source: citation.source, note: citation.note })
    }
    headsOf.set(profile.id, heads = Object.freeze(table as StepHeads))
  }
  return heads
}

/** The step of the rule `head` names (traceStep, for the classifier's hot path). */
export function step (head: StepHead | undefined, result: boolean, inputs: Record<string, unknown>): TraceStep {
  if (head === undefined) throw new Error('the profile cites no paragraph for this rule')
  return head.note === undefined
    ? { rule: head.rule, label: head.label, result, inputs, source: head.source }
    : { rule: head.rule, label: head.label, result, inputs, source: head.source, note: head.note }
}

