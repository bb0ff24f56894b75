// The duplicate-assistance check at confirmation: would this help repeat help the household
// already has? A duplicate blocks (unless staff override it with a written reason, in the
// server); other help of the last 12 months — another kind, or government help of another
// purpose — is complementary and only noted.
import { standingEntries, type ChainEntry } from './assistance-chain.js'
import { monthsBefore, seasonName, seasonOf, halfYearOf, ymd } from './dates.js'

export interface ProposedHelp {
  kind: string
  tags: readonly string[]
  /** YYYY-MM-DD */
  on: string
}

/**
 * A window in which the same help must not be given twice: within N months of the earlier
 * help, or (for a tag) in the same season or half-year. `sameAs` names other kinds (e.g. a
 * government kind of the same purpose) that count as the same help.
 */
export type DuplicateRule =
  | { id: string, kind: string, within: { months: number }, sameAs?: readonly string[] }
  | { id: string, kind: string, tag: string, within: 'season' | 'half_year', sameAs?: readonly string[] }

/**
 * No voucher rule: the chain is kept per household, so a half-year rule would block a
 * sibling's class; one seat per child and half-year is the seat assignment's job.
 */
export const DEFAULT_DUPLICATE_RULES: readonly DuplicateRule[] = [
  { id: 'dream_room_36_months', kind: 'dream_room', within: { months: 36 } },
  { id: 'winter_clothing_same_season', kind: 'wish', tag: 'winter_clothing', within: 'season' },
  { id: 'fund_12_months', kind: 'fund', within: { months: 12 } }
]

export type DuplicateVerdict =
  | { verdict: 'duplicate', rule: string, window: string, conflicting: ChainEntry, complementary: ChainEntry[] }
  | { verdict: 'complementary', complementary: ChainEntry[] }
  | { verdict: 'clear' }

/** The window a rule forbids around the proposed day, described for the clerk; null when the entry is outside it. */
function conflictWindow (rule: DuplicateRule, entry: ChainEntry, help: ProposedHelp): string | null {
  if (help.kind !== rule.kind) return null
  const sameHelp = (entry.source === 'charity' && entry.kind === rule.kind) || (rule.sameAs ?? []).includes(entry.kind)
  const day = ymd(entry.occurredOn)
  const today = ymd(help.on)
  if (!sameHelp || day > today) return null
  if ('tag' in rule) {
    if (!entry.tags.includes(rule.tag) || !help.tags.includes(rule.tag)) return null
    if (rule.within === 'season') return seasonOf(day) === seasonOf(today) ? `season ${seasonName(seasonOf(today))}` : null
    return halfYearOf(day) === halfYearOf(today) ? `half-year ${help.on.slice(0, 4)}H${halfYearOf(today) % 2 + 1}` : null
  }
  return day > monthsBefore(today, rule.within.months) ? `${rule.within.months} months before ${help.on}` : null
}

export function checkDuplicateHelp (chain: readonly ChainEntry[], help: ProposedHelp, rules: readonly DuplicateRule[] = DEFAULT_DUPLICATE_RULES): DuplicateVerdict {
  const standing = standingEntries(chain)
  const today = ymd(help.on)
  const yearAgo = monthsBefore(today, 12)
  const recent = standing.filter(e => ymd(e.occurredOn) <= today && ymd(e.occurredOn) > yearAgo)
  for (const rule of rules) {
    for (const entry of standing) {
      const window = conflictWindow(rule, entry, help)
      if (window !== null) return { verdict: 'duplicate', rule: rule.id, window, conflicting: entry, complementary: recent.filter(e => e !== entry) }
    }
  }
  return recent.length > 0 ? { verdict: 'complementary', complementary: recent } : { verdict: 'clear' }
}
