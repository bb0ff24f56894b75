// The duplicate-assistance windows, one set of rule data for both ends: a proposal run
// excludes whoever a window forbids (eligibility.ts compiles `windowsFor`), and confirmation
// checks the household's chain against the same windows, so a run never proposes someone
// confirmation will then block (given the same chain and day). A duplicate blocks (unless
// staff override it with a written reason, in the server); other help of the last 12 months —
// another kind, or government help of another purpose — is complementary and only noted.
import { standingEntries, type ChainEntry } from './assistance-chain.js'
import { monthsBefore, seasonName, seasonOf, halfYearOf, ymd } from './dates.js'

export interface ProposedHelp {
  kind: string
  /** What the help is (e.g. winter_clothing): the project's tags. */
  tags: readonly string[]
  /** YYYY-MM-DD */
  on: string
}

/**
 * A window in which the same help must not be given twice: help of a kind within N months of
 * earlier help of that kind, or help carrying a tag in the same season or half-year as earlier
 * help carrying it. `sameAs` names other kinds (e.g. a government kind of the same purpose)
 * that count as the same help; the population keeps charity help only, so a run does not see
 * them (none of the defaults uses it).
 */
export type DuplicateRule =
  | { id: string, kind: string, within: { months: number }, sameAs?: readonly string[] }
  | { id: string, tag: string, within: 'season' | 'half_year', sameAs?: readonly string[] }

/**
 * No voucher rule: the chain is kept per household, so a half-year rule would block a
 * sibling's class; one seat per child and half-year is the seat assignment's job.
 */
export const DEFAULT_DUPLICATE_RULES: readonly DuplicateRule[] = [
  { id: 'dream_room_36_months', kind: 'dream_room', within: { months: 36 } },
  { id: 'winter_clothing_same_season', tag: 'winter_clothing', within: 'season' },
  { id: 'fund_12_months', kind: 'fund', within: { months: 12 } }
]

/**
 * The help a project gives, as the windows read it: its kind and tags, and the project's own
 * windows — "not helped with the same kind in the last N months" and tags it gives at most
 * once a season (the help carries those tags too).
 */
export interface HelpSpec {
  kind: string
  tags?: readonly string[]
  seasonalTags?: readonly string[]
  notHelpedSameKindMonths?: number
}

/** The tags the help carries (to the proposal and the chain entry): its tags and its seasonal ones. */
export const helpTags = (help: HelpSpec): string[] => [...new Set([...help.tags ?? [], ...help.seasonalTags ?? []])]

/** The tags a wish's help carries into the chain: its category and its own tags (e.g. winter_clothing). */
export const wishHelpTags = (wish: { category: string, tags: readonly string[] }): string[] => [...new Set([wish.category, ...wish.tags])]

const applies = (rule: DuplicateRule, help: { kind: string, tags: readonly string[] }) => 'tag' in rule ? help.tags.includes(rule.tag) : rule.kind === help.kind

/** The windows a project's help must respect: the defaults for its kind and tags, and the project's own. */
export function windowsFor (help: HelpSpec, defaults: readonly DuplicateRule[] = DEFAULT_DUPLICATE_RULES): DuplicateRule[] {
  const windows = defaults.filter(rule => applies(rule, { kind: help.kind, tags: helpTags(help) }))
  for (const tag of help.seasonalTags ?? []) {
    if (!windows.some(w => 'tag' in w && w.tag === tag && w.within === 'season')) windows.push({ id: `project_${tag}_same_season`, tag, within: 'season' })
  }
  const months = help.notHelpedSameKindMonths
  if (months !== undefined) windows.push({ id: `project_${help.kind}_${months}_months`, kind: help.kind, within: { months } })
  return windows
}

export type DuplicateVerdict =
  | { verdict: 'duplicate', rule: string, window: string, conflicting: ChainEntry, complementary: ChainEntry[] }
  | { verdict: 'complementary', complementary: ChainEntry[] }
  | { verdict: 'clear' }

/** The window a rule forbids around the proposed day, described for the clerk; null when the entry is outside it. */
function conflictWindow (rule: DuplicateRule, entry: ChainEntry, help: ProposedHelp): string | null {
  if (!applies(rule, help)) return null
  const day = ymd(entry.occurredOn)
  const today = ymd(help.on)
  if (day > today) return null
  if ('tag' in rule) {
    const sameHelp = (entry.source === 'charity' || (rule.sameAs ?? []).includes(entry.kind)) && entry.tags.includes(rule.tag)
    if (!sameHelp) return null
    if (rule.within === 'season') return seasonOf(day) === seasonOf(today) ? `season ${seasonName(seasonOf(today))}` : null
    return halfYearOf(day) === halfYearOf(today) ? `half-year ${help.on.slice(0, 4)}H${halfYearOf(today) % 2 + 1}` : null
  }
  const sameHelp = (entry.source === 'charity' && entry.kind === rule.kind) || (rule.sameAs ?? []).includes(entry.kind)
  return sameHelp && day > monthsBefore(today, rule.within.months) ? `${rule.within.months} months before ${help.on}` : null
}

/** Checks the chain (pending help included) against `rules`, by default the windows of the help's kind and tags. */
export function checkDuplicateHelp (chain: readonly ChainEntry[], help: ProposedHelp, rules: readonly DuplicateRule[] = windowsFor(help)): DuplicateVerdict {
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
