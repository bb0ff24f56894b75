// The duplicate-assistance check at confirmation: would this help repeat help the household
// already has? A duplicate blocks (unless staff override it with a written reason, in the
// server); help of another kind, or government help, is complementary and only noted.
import { monthsBefore, standingEntries, type ChainEntry } from './assistance-chain.js'

export interface ProposedHelp {
  kind: string
  tags: readonly string[]
  /** YYYY-MM-DD */
  on: string
}

/** A window in which the same help must not be given twice. */
export type DuplicateRule =
  | { id: string, kind: string, within: { months: number } }
  | { id: string, kind: string, tag: string, within: 'season' | 'half_year' }

export const DEFAULT_DUPLICATE_RULES: readonly DuplicateRule[] = [
  { id: 'dream_room_36_months', kind: 'dream_room', within: { months: 36 } },
  { id: 'winter_clothing_same_season', kind: 'wish', tag: 'winter_clothing', within: 'season' },
  { id: 'training_voucher_same_half_year', kind: 'training_voucher', tag: 'voucher', within: 'half_year' },
  { id: 'fund_12_months', kind: 'fund', within: { months: 12 } }
]

export type DuplicateVerdict =
  | { verdict: 'duplicate', rule: string, conflicting: ChainEntry, complementary: ChainEntry[] }
  | { verdict: 'complementary', complementary: ChainEntry[] }
  | { verdict: 'clear' }

/** Winter runs November to February: 2025-12-03 and 2026-02-10 are the same winter. */
function season (date: string): string {
  const year = Number(date.slice(0, 4))
  const month = Number(date.slice(5, 7))
  if (month >= 11) return `${year}-winter`
  if (month <= 2) return `${year - 1}-winter`
  return month <= 4 ? `${year}-spring` : month <= 8 ? `${year}-summer` : `${year}-autumn`
}

const halfYear = (date: string) => `${date.slice(0, 4)}H${Number(date.slice(5, 7)) <= 6 ? 1 : 2}`

function conflicts (rule: DuplicateRule, entry: ChainEntry, help: ProposedHelp): boolean {
  if (entry.source !== 'charity' || entry.kind !== rule.kind || help.kind !== rule.kind || entry.occurredOn > help.on) return false
  if ('tag' in rule) {
    if (!entry.tags.includes(rule.tag) || !help.tags.includes(rule.tag)) return false
    return rule.within === 'season' ? season(entry.occurredOn) === season(help.on) : halfYear(entry.occurredOn) === halfYear(help.on)
  }
  return entry.occurredOn > monthsBefore(help.on, rule.within.months)
}

export function checkDuplicateHelp (chain: readonly ChainEntry[], help: ProposedHelp, rules: readonly DuplicateRule[] = DEFAULT_DUPLICATE_RULES): DuplicateVerdict {
  const standing = standingEntries(chain)
  const recent = standing.filter(e => e.occurredOn <= help.on && e.occurredOn > monthsBefore(help.on, 12))
  for (const rule of rules) {
    const conflicting = standing.find(entry => conflicts(rule, entry, help))
    if (conflicting) return { verdict: 'duplicate', rule: rule.id, conflicting, complementary: recent.filter(e => e !== conflicting) }
  }
  return recent.length > 0 ? { verdict: 'complementary', complementary: recent } : { verdict: 'clear' }
}
