// Facet counts of recent donor searches. They depend on the words and filters only, not on
// the sort or the page, and computing them is about half of what Meilisearch spends on a
// search over a million wishes (bench/RESULTS.md, Search). Kept for a few seconds: the counts
// beside the filters may lag the hits by that much, as the index itself lags the database by
// the outbox sync (about a second). Time is the application's clock (server/clock.ts).
import * as clock from '../clock.js'

export type FacetCounts = Record<string, Record<string, number>>

export class FacetCache {
  // A Map iterates in insertion order: re-inserting on use keeps the least recently used first.
  private readonly entries = new Map<string, { counts: FacetCounts, expires: number }>()

  constructor (private readonly ttlMs: number, private readonly maxEntries = 5000) {}

  get (key: string, now = clock.now()): FacetCounts | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    this.entries.delete(key)
    if (entry.expires <= now) return undefined
    this.entries.set(key, entry)
    return entry.counts
  }

  set (key: string, counts: FacetCounts, now = clock.now()): void {
    if (this.ttlMs <= 0) return
    this.entries.delete(key)
    this.entries.set(key, { counts, expires: now + this.ttlMs })
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string)
  }

  get size (): number {
    return this.entries.size
  }
}
