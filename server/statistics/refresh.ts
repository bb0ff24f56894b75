// Rebuilds the dashboards' aggregates (see migration 0090) from the tables of record, in one
// transaction: readers keep the previous figures until it commits, and see all the new ones at
// once. The worker runs it every REFRESH_EVERY_MS (maintenance task `refresh-statistics`);
// a page that finds no figures at all (a fresh database) runs it once itself. Two rebuilds
// never run at once: the second finds the lock taken and leaves the work to the first.
//
// Each figure is defined here once, as SQL over the tables of record; the tests compute the
// same figures straight from those tables and compare.
import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../db/database.js'

/** How often the worker rebuilds the figures; the pages say so. */
export const REFRESH_EVERY_MS = 5 * 60 * 1000
export const REFRESH_EVERY_MINUTES = REFRESH_EVERY_MS / 60_000

/** An arbitrary key of our own for pg_try_advisory_xact_lock: one rebuild at a time. */
const LOCK_KEY = 2020_0090

/** The calendar month (China time) of an instant, and of a day. */
const monthOfInstant = (column: string) => sql.raw(`date_trunc('month', (${column} AT TIME ZONE 'Asia/Shanghai'))::date`)
const monthOfDay = (column: string) => sql.raw(`date_trunc('month', ${column})::date`)

/** Chain entries that count: neither a reversal nor reversed (a reversed payment did not happen). */
const LIVE_ENTRIES = sql.raw(`
  SELECT e.* FROM assistance_entries e
  WHERE e.reverses IS NULL AND NOT EXISTS (SELECT 1 FROM assistance_entries r WHERE r.reverses = e.id)`)

function stock (metric: string, select: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`INSERT INTO stat_stock (metric, region_code, k1, k2, n, amount) SELECT ${metric}, s.* FROM (${select}) AS s`
}

function flow (metric: string, select: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql`INSERT INTO stat_flow (metric, region_code, month, k1, k2, n, amount) SELECT ${metric}, f.* FROM (${select}) AS f`
}

/** Every statement of a rebuild, in order. Columns: region_code, [month,] k1, k2, n, amount. */
function statements (): RawBuilder<unknown>[] {
  return [
    sql`DELETE FROM stat_stock`,
    sql`DELETE FROM stat_flow`,
    sql`DELETE FROM stat_charity_help`,

    // —— Now: the registry, vouchers, wishes, rooms ——
    stock('households', sql`SELECT region_code, coalesce(category, ''), status, count(*), 0 FROM households GROUP BY 1, 2, 3`),
    stock('persons', sql`
      SELECT h.region_code, coalesce(h.category, ''), h.status, count(*), 0
      FROM persons p JOIN households h ON h.id = p.household_id WHERE p.left_on IS NULL GROUP BY 1, 2, 3`),
    stock('vouchers', sql`SELECT region_code, half_year, state, count(*), 0 FROM vouchers GROUP BY 1, 2, 3`),
    stock('wishes', sql`SELECT region_code, state, category, count(*), sum(value) FROM wishes GROUP BY 1, 2, 3`),
    stock('rooms', sql`SELECT region_code, stage, '', count(*), sum(budget_estimate) FROM dream_rooms GROUP BY 1, 2`),

    // —— The registry's changes ——
    flow('hh_new', sql`SELECT region_code, ${monthOfInstant('created_at')}, coalesce(category, ''), '', count(*), 0 FROM households GROUP BY 1, 2, 3`),
    flow('hh_status', sql`
      SELECT region_code, ${monthOfDay('status_since')}, status, coalesce(category, ''), count(*), 0 FROM households
      WHERE status IN ('exited', 'gradual_exit') GROUP BY 1, 2, 3, 4`),
    // A reclassification that changed the category (k1 the new one, k2 the one before).
    flow('reclassified', sql`
      SELECT h.region_code, ${monthOfInstant('d.decided_at')}, d.category, d.previous, count(*), 0
      FROM (SELECT household_id, decided_at, category, lag(category) OVER (PARTITION BY household_id ORDER BY decided_at, id) AS previous FROM category_decisions) d
      JOIN households h ON h.id = d.household_id
      WHERE d.previous IS NOT NULL AND d.previous <> d.category GROUP BY 1, 2, 3, 4`),

    // —— Wishes: raised, published, claimed, fulfilled (k1 the category, k2 the donor's kind) ——
    flow('wish_raised', sql`SELECT region_code, ${monthOfInstant('created_at')}, category, '', count(*), sum(value) FROM wishes GROUP BY 1, 2, 3`),
    flow('wish_published', sql`SELECT region_code, ${monthOfInstant('published_at')}, category, '', count(*), sum(value) FROM wishes WHERE published_at IS NOT NULL GROUP BY 1, 2, 3`),
    flow('wish_claimed', sql`
      SELECT w.region_code, ${monthOfInstant('c.claimed_at')}, w.category, d.kind, count(*), sum(w.value)
      FROM claims c JOIN wishes w ON w.id = c.wish_id JOIN donors d ON d.id = c.donor_id GROUP BY 1, 2, 3, 4`),
    flow('wish_fulfilled', sql`
      SELECT w.region_code, ${monthOfDay('c.confirmed_on')}, w.category, d.kind, count(*), sum(w.value)
      FROM claims c JOIN wishes w ON w.id = c.wish_id JOIN donors d ON d.id = c.donor_id
      WHERE c.state = 'confirmed' GROUP BY 1, 2, 3, 4`),
    // Wishes by the month they were published and where they are now: the fulfilment rate of a period's wishes.
    flow('wish_cohort', sql`
      SELECT region_code, ${monthOfInstant('published_at')}, CASE WHEN state IN ('confirmed', 'closed') THEN 'fulfilled' ELSE state END, '', count(*), sum(value)
      FROM wishes WHERE published_at IS NOT NULL GROUP BY 1, 2, 3`),
    // Days from publication to the household's receipt, one row per number of days: the median is read from it.
    flow('wish_days', sql`
      SELECT w.region_code, ${monthOfDay('c.confirmed_on')}, (c.confirmed_on - (w.published_at AT TIME ZONE 'Asia/Shanghai')::date)::text, '', count(*), 0
      FROM claims c JOIN wishes w ON w.id = c.wish_id
      WHERE c.state = 'confirmed' AND w.published_at IS NOT NULL GROUP BY 1, 2, 3`),

    // —— Dream rooms and training vouchers ——
    flow('room_surveyed', sql`SELECT region_code, ${monthOfInstant('created_at')}, '', '', count(*), sum(budget_estimate) FROM dream_rooms GROUP BY 1, 2`),
    flow('room_completed', sql`
      SELECT r.region_code, ${monthOfDay('s.completed_on')}, '', '', count(*), sum(r.budget_estimate)
      FROM dream_rooms r JOIN dream_room_stages s ON s.room_id = r.id AND s.stage = 'handover'
      WHERE s.completed_on IS NOT NULL AND r.stage = 'completed' GROUP BY 1, 2`),
    flow('voucher_issued', sql`SELECT region_code, ${monthOfInstant('created_at')}, half_year, '', count(*), 0 FROM vouchers GROUP BY 1, 2, 3`),
    flow('voucher_assigned', sql`SELECT region_code, ${monthOfInstant('assigned_at')}, half_year, '', count(*), 0 FROM vouchers WHERE assigned_at IS NOT NULL GROUP BY 1, 2, 3`),
    flow('voucher_redeemed', sql`SELECT region_code, ${monthOfInstant('redeemed_at')}, half_year, '', count(*), 0 FROM vouchers WHERE redeemed_at IS NOT NULL GROUP BY 1, 2, 3`),

    // —— Projects' help: confirmed (a fulfilment was started) and received ——
    flow('project_confirmed', sql`
      SELECT pr.region_code, ${monthOfInstant('pr.decided_at')}, p.kind, '', count(*), sum(pr.cost)
      FROM proposals pr JOIN fulfilments f ON f.proposal_id = pr.id JOIN projects p ON p.id = pr.project_id
      WHERE pr.decided_at IS NOT NULL GROUP BY 1, 2, 3`),
    flow('project_received', sql`
      SELECT pr.region_code, ${monthOfDay('f.received_on')}, p.kind, '', count(*), sum(pr.cost)
      FROM proposals pr JOIN fulfilments f ON f.proposal_id = pr.id JOIN projects p ON p.id = pr.project_id
      WHERE f.received_on IS NOT NULL GROUP BY 1, 2, 3`),

    // —— The assistance chain: help given by source and kind (entries, and households a month) ——
    flow('aid', sql`
      SELECT h.region_code, ${monthOfDay('e.occurred_on')}, e.source, e.kind, count(*), sum(e.value)
      FROM (${LIVE_ENTRIES}) e JOIN households h ON h.id = e.household_id GROUP BY 1, 2, 3, 4`),
    flow('aid_households', sql`
      SELECT h.region_code, ${monthOfDay('e.occurred_on')}, e.source, e.kind, count(DISTINCT e.household_id), 0
      FROM (${LIVE_ENTRIES}) e JOIN households h ON h.id = e.household_id GROUP BY 1, 2, 3, 4`),

    // —— Warnings (预警) by the month raised, their class and how they stand: closed by the due
    //    day or after it, or open with their due day (overdue or not is read against the day
    //    the dashboard is looked at, so a rebuild a few minutes old is not a day behind) ——
    flow('warning_cohort', sql`
      SELECT region_code, ${monthOfDay('raised_on')}, warning_class,
        CASE WHEN status <> 'closed' THEN 'due:' || due_on::text
             WHEN (closed_at AT TIME ZONE 'Asia/Shanghai')::date <= due_on THEN 'on_time' ELSE 'late' END,
        count(*), 0
      FROM warnings GROUP BY 1, 2, 3, 4`),

    // —— Help the duplicate check refused and nobody then gave with a written reason ——
    flow('duplicate_prevented', sql`
      SELECT d.region_code, ${monthOfInstant('d.refused_at')}, d.kind, d.rule, count(*), sum(d.value)
      FROM duplicate_refusals d
      WHERE NOT EXISTS (SELECT 1 FROM proposals pr WHERE d.subject = 'proposal:' || pr.id AND pr.override_reason IS NOT NULL)
        AND NOT EXISTS (SELECT 1 FROM wishes w WHERE d.subject LIKE 'wish:%' AND w.override_reason IS NOT NULL
                          AND d.subject = 'wish:' || w.person_id || ':' || w.category || ':' || (w.created_at AT TIME ZONE 'Asia/Shanghai')::date)
      GROUP BY 1, 2, 3, 4`),

    // —— Donors: new ones (no region), and those active in a month, counted once per region level ——
    flow('donors_new', sql`SELECT '', ${monthOfInstant('created_at')}, kind, '', count(*), 0 FROM donors GROUP BY 2, 3`),
    flow('donors_active', sql`
      SELECT region, month, kind, '', count(DISTINCT donor_id), 0 FROM (
        SELECT ${monthOfInstant('c.claimed_at')} AS month, d.kind, c.donor_id, w.region_code FROM claims c JOIN wishes w ON w.id = c.wish_id JOIN donors d ON d.id = c.donor_id
      ) a CROSS JOIN LATERAL (VALUES (''), (left(a.region_code, 6)), (left(a.region_code, 9)), (a.region_code)) AS levels(region)
      GROUP BY 1, 2, 3`),

    // —— Charity help one by one, with who gave it ——
    sql`
      INSERT INTO stat_charity_help (entry_id, household_id, region_code, category, kind, month, value, project_id, organisation_id, donor_kind)
      SELECT e.id, e.household_id, h.region_code, coalesce(h.category, ''), e.kind, ${monthOfDay('e.occurred_on')}, e.value, p.id, p.organisation_id, d.kind
      FROM (${LIVE_ENTRIES}) e
      JOIN households h ON h.id = e.household_id
      LEFT JOIN proposals pr ON e.origin = 'proposal:' || pr.id
      LEFT JOIN vouchers v ON e.origin = 'voucher:' || v.id
      LEFT JOIN dream_rooms r ON e.origin = 'dream_room:' || r.id
      LEFT JOIN claims c ON e.origin = 'claim:' || c.id
      LEFT JOIN donors d ON d.id = c.donor_id
      LEFT JOIN projects p ON p.id = coalesce(pr.project_id, v.project_id, r.project_id)
      WHERE e.source = 'charity'`
  ]
}

export interface Refresh { refreshed: boolean, tookMs: number, rows: number }

/**
 * Rebuilds every aggregate in one transaction. When another rebuild holds the lock, returns
 * at once (`refreshed: false`): its figures are as fresh.
 */
export async function refreshStatistics (db: Db): Promise<Refresh> {
  const started = new Date()
  const t0 = performance.now()
  return db.transaction().execute(async trx => {
    const { rows: [lock] } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(${LOCK_KEY}) AS locked`.execute(trx)
    if (!lock?.locked) return { refreshed: false, tookMs: 0, rows: 0 }
    let rows = 0
    for (const statement of statements()) {
      const result = await statement.execute(trx)
      if (!/^DELETE/.test(statement.compile(trx).sql.trim())) rows += Number(result.numAffectedRows ?? 0)
    }
    const tookMs = Math.round(performance.now() - t0)
    await trx.insertInto('stat_refreshes').values({ started_at: started, took_ms: tookMs, row_count: rows }).execute()
    // A day's worth of rebuilds is history enough.
    await sql`DELETE FROM stat_refreshes WHERE id <= (SELECT max(id) - 300 FROM stat_refreshes)`.execute(trx)
    return { refreshed: true, tookMs, rows }
  })
}

export interface Freshness {
  /** When the figures were last rebuilt (ISO), or null when never. */
  at: string | null
  tookMs: number | null
  everyMinutes: number
}

export async function freshness (db: Db): Promise<Freshness> {
  const last = await db.selectFrom('stat_refreshes').select(['started_at', 'took_ms']).orderBy('id', 'desc').limit(1).executeTakeFirst()
  return { at: last ? last.started_at.toISOString() : null, tookMs: last?.took_ms ?? null, everyMinutes: REFRESH_EVERY_MINUTES }
}

/** The figures' freshness, after a first rebuild when there has never been one (a fresh database). */
export async function ensureFigures (db: Db): Promise<Freshness> {
  const found = await freshness(db)
  if (found.at !== null) return found
  await refreshStatistics(db)
  return freshness(db)
}

/**
 * The figures only change when the aggregates are rebuilt, so a dashboard computed for one
 * rebuild (its `at`) is kept and given to whoever asks the same of the same rebuild. When a
 * rebuild lands, the first to ask computes the new figures while everyone (that first reader
 * too) is given the previous rebuild's until they are ready — about a second at a million
 * persons, and the page says the time of the figures it shows; those are computed one at a
 * time. Failures (a region out of reach)
 * are not kept. A reader whose freshness query raced a commit (an older `at` than the kept
 * one) is computed for and not kept.
 */
interface Kept { at: string | null, computed: Map<string, Promise<unknown>>, ready: Map<string, unknown>, previous: Map<string, unknown>, behind: Promise<unknown> }
const caches = new WeakMap<object, Kept>()
const COMPUTED_SIZE = 500

export function sameFigures<T> (db: object, freshness: Freshness, key: string, compute: () => Promise<T>): Promise<T> {
  let kept = caches.get(db)
  if (kept && kept.at !== null && (freshness.at === null || freshness.at < kept.at)) return compute()
  if (!kept || kept.at !== freshness.at) {
    kept = { at: freshness.at, computed: new Map(), ready: new Map(), previous: kept?.ready ?? new Map(), behind: Promise.resolve() }
    caches.set(db, kept)
  }
  const { computed, ready, previous } = kept
  const found = computed.get(key) as Promise<T> | undefined
  if (found) return ready.has(key) || !previous.has(key) ? found : Promise.resolve(previous.get(key) as T)
  if (computed.size >= COMPUTED_SIZE) {
    const oldest = computed.keys().next().value as string
    computed.delete(oldest)
    ready.delete(oldest)
  }
  // Figures someone is given the previous of meanwhile are computed one after another, so that
  // a rebuild landing does not start every page's computation at once beside the readers.
  const stale = previous.has(key)
  const pending = stale ? kept.behind.then(compute) : compute()
  if (stale) kept.behind = pending.catch(() => undefined)
  computed.set(key, pending)
  pending.then(value => { if (computed.get(key) === pending) ready.set(key, value) }, () => computed.delete(key))
  return stale ? Promise.resolve(previous.get(key) as T) : pending
}
