// The assistance chain (一户一条救助链) as the matcher reads it: entries that still count
// (a reversed entry and its reversal cancel out), and the aggregates scoring and the
// eligibility windows use.
import { monthsBefore, ymd } from './dates.js'

/** One entry of a household's chain, as the server loads it from the registry. */
export interface ChainEntry {
  id: number
  source: 'government' | 'charity'
  /** A charity help kind (wish, dream_room, training_voucher, fund) or a government kind (dibao_payment, …). */
  kind: string
  /** E.g. the wish category or `winter_clothing`. */
  tags: readonly string[]
  /** Yuan; a reversal is negative. */
  value: number
  /** YYYY-MM-DD */
  occurredOn: string
  /** The entry this one corrects, or null. */
  reverses: number | null
  /**
   * Help promised and not yet received, named by what promised it ('proposal:42' for a
   * confirmed proposal, 'dream_room:7' for a funded room; `id` is then that record's id): the
   * windows and the 12-month value count it as given, so two projects cannot both promise it.
   */
  pending?: string
}

/** Entries that stand: neither reversed nor reversals. */
export function standingEntries (chain: readonly ChainEntry[]): ChainEntry[] {
  const reversed = new Set(chain.filter(e => e.reverses !== null).map(e => e.reverses))
  return chain.filter(e => e.reverses === null && !reversed.has(e.id))
}

export interface ChainSummary {
  /** Value of standing charity help in the 12 months up to asOf (yuan). */
  charityValueLast12Months: number
  /** Latest day (YYYYMMDD) of standing charity help of each kind, up to asOf. */
  lastCharityByKind: Map<string, number>
  /** Latest day (YYYYMMDD) of standing charity help carrying each tag, up to asOf (seasonal windows). */
  lastCharityByTag: Map<string, number>
}

/** What matching reads of a household's chain on `asOf`: the value of standing charity help in the last 12 months, and its latest day by kind and by tag. */
export function summariseChain (chain: readonly ChainEntry[], asOf: string): ChainSummary {
  const today = ymd(asOf)
  const since = monthsBefore(today, 12)
  let value = 0
  const byKind = new Map<string, number>()
  const byTag = new Map<string, number>()
  for (const entry of standingEntries(chain)) {
    const day = ymd(entry.occurredOn)
    if (entry.source !== 'charity' || day > today) continue
    if (day > since) value += entry.value
    if ((byKind.get(entry.kind) ?? 0) < day) byKind.set(entry.kind, day)
    for (const tag of entry.tags) if ((byTag.get(tag) ?? 0) < day) byTag.set(tag, day)
  }
  return { charityValueLast12Months: value, lastCharityByKind: byKind, lastCharityByTag: byTag }
}
