// The assistance chain as the matcher reads it: entries that still count (reversed entries
// and their reversals cancel out), and the aggregates scoring and duplicate checks use.

export interface ChainEntry {
  id: number
  source: 'government' | 'charity'
  /** A charity help kind (wish, dream_room, training_voucher, fund) or a government kind. */
  kind: string
  tags: readonly string[]
  value: number
  /** YYYY-MM-DD */
  occurredOn: string
  reverses: number | null
}

/** Entries that stand: neither reversed nor reversals. */
export function standingEntries (chain: readonly ChainEntry[]): ChainEntry[] {
  const reversed = new Set(chain.filter(e => e.reverses !== null).map(e => e.reverses))
  return chain.filter(e => e.reverses === null && !reversed.has(e.id))
}

export function monthsBefore (date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCMonth(d.getUTCMonth() - months)
  return d.toISOString().slice(0, 10)
}

export interface ChainSummary {
  /** Value of charity help received in the 12 months before asOf. */
  charityValueLast12Months: number
  /** Latest date of each charity kind received. */
  lastCharityByKind: Map<string, string>
}

export function summariseChain (chain: readonly ChainEntry[], asOf: string): ChainSummary {
  const since = monthsBefore(asOf, 12)
  let value = 0
  const last = new Map<string, string>()
  for (const entry of standingEntries(chain)) {
    if (entry.source !== 'charity' || entry.occurredOn > asOf) continue
    if (entry.occurredOn > since) value += entry.value
    if ((last.get(entry.kind) ?? '') < entry.occurredOn) last.set(entry.kind, entry.occurredOn)
  }
  return { charityValueLast12Months: value, lastCharityByKind: last }
}
