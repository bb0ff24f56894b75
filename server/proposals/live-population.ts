// The worker's population of the whole registry, for today's proposal runs. It is loaded by
// the first run of the day (the chain's 12-month aggregates are taken as of a day) and, before
// every later run, brought up to date from the change log that triggers write (migration
// 0013): only the households touched since the last look are read again. A run then costs its
// ranking, choice and writes, not a reload of its regions.
import { sql } from 'kysely'
import type { Population } from '../../matching/population.js'
import type { Db } from '../db/database.js'
import { today } from '../clock.js'
import { loadHouseholds, loadPopulation } from './population.js'

/** Beyond this many households changed, and this share of them (a big import), reading everything is cheaper. */
const RELOAD_AT_LEAST = 1000
const RELOAD_SHARE = 0.25
/** The change log is kept this long: longer than any population lives (one day). */
const KEEP_CHANGES = '2 days'

/** What the last look did: loaded everything, or reloaded this many households. */
export interface Freshening {
  full: boolean
  households: number
}

export class LivePopulation {
  private population: Population | undefined
  /** The snapshot taken at the last look: the changes it could not see are the ones to read next. */
  private seen = ''
  private turn: Promise<unknown> = Promise.resolve()
  lastFreshening: Freshening = { full: false, households: 0 }

  /** `day` names the day it serves (China's today; the benchmark fixes one). */
  constructor (private readonly db: Db, private readonly day: () => string = today) {}

  /**
   * The population as of `asOf` with every change committed before the call applied, or
   * undefined for another day than the one served (that run loads its own regions).
   */
  async current (asOf: string): Promise<Population | undefined> {
    if (asOf !== this.day()) return undefined
    // One look at a time: two runs must not apply the same changes into one store at once.
    const next = this.turn.then(() => this.freshen(asOf))
    this.turn = next.catch(() => undefined)
    return next
  }

  private async freshen (asOf: string): Promise<Population> {
    const snapshot = await currentSnapshot(this.db)
    let population = this.population
    if (population?.asOf === asOf) {
      const changed = await this.db.selectFrom('population_changes').select('household_id').distinct()
        .where(sql<boolean>`txid >= pg_snapshot_xmin(${this.seen}::pg_snapshot) AND NOT pg_visible_in_snapshot(txid, ${this.seen}::pg_snapshot)`).execute()
      const ids = changed.map(c => c.household_id)
      if (ids.includes(null) || ids.length > Math.max(RELOAD_AT_LEAST, population.size.households * RELOAD_SHARE)) {
        population = undefined
      } else if (ids.length > 0) {
        const records = await loadHouseholds(this.db, { householdIds: ids as number[] }, asOf)
        // Removed first: a household deleted, or left without members, is not read back.
        for (const id of ids as number[]) population.remove(id)
        for (const { household, persons } of records) population.upsert(household, persons)
      }
      this.lastFreshening = { full: false, households: ids.length }
    }
    if (population === undefined) {
      this.population = undefined
      population = await loadPopulation(this.db, { regionPrefixes: [] }, asOf)
      this.lastFreshening = { full: true, households: population.size.households }
    }
    this.population = population
    this.seen = snapshot
    return population
  }
}

/**
 * Which transactions have committed, taken before reading: whatever it shows committed is in
 * the reads that follow; whatever it does not (still running, or not yet begun) is read next
 * time. Exact even while long transactions run elsewhere in the cluster.
 */
async function currentSnapshot (db: Db): Promise<string> {
  const { rows } = await sql<{ snapshot: string }>`SELECT pg_current_snapshot()::text AS snapshot`.execute(db)
  return (rows[0] as { snapshot: string }).snapshot
}

/** Housekeeping: the change log older than any live population. */
export async function pruneChangeLog (db: Db): Promise<number> {
  const result = await db.deleteFrom('population_changes').where('changed_at', '<', sql<Date>`now() - ${KEEP_CHANGES}::interval`).executeTakeFirst()
  return Number(result.numDeletedRows)
}
