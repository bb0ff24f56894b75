// The one path from a change to the search index: the change writes an outbox row in its own
// transaction (`queueIndexing`), and the sync job (`syncSearchIndex`, a repeatable bull job in
// the worker) claims a batch of rows, loads each document's current state, upserts or deletes
// it, waits until Meilisearch has applied it, and only then removes the rows. If Meilisearch is
// down the rows stay and the next run catches up; writes never wait for the index, and no
// transaction or row lock is held while the sync waits for Meilisearch.
import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { EnqueuedTask, EnqueuedTaskPromise, Meilisearch } from 'meilisearch'
import type { Db } from '../db/database.js'
import { DOCUMENTS, INDEX_NAMES, indexUid, prepareIndex, type IndexName } from './indexes.js'

/** Call inside the transaction that changes the records. */
export async function queueIndexing (trx: Db, index: IndexName, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return
  await trx.insertInto('search_outbox').values(ids.map(id => ({ index_name: index, document_id: id }))).execute()
}

export interface SyncResult {
  rows: number
  upserted: number
  deleted: number
}

/** Waiting longer than this for Meilisearch to apply a batch fails the run (rows are kept). */
const TASK_TIMEOUT_MS = 120_000

/** Indexes this process has prepared (created, settings applied), with the settings' version. */
const prepared = new Set<string>()

async function ensurePrepared (db: Db, meili: Meilisearch, prefix: string, index: IndexName): Promise<string> {
  const uid = indexUid(prefix, index)
  // Staff may change the synonyms while Meilisearch is away: a new version prepares again.
  const settings = await db.selectFrom('search_settings').select('updated_at').where('index_name', '=', index).executeTakeFirst()
  const key = `${uid}@${settings?.updated_at.toISOString() ?? 'built-in'}`
  if (!prepared.has(key)) {
    await prepareIndex(db, meili, uid, index)
    prepared.add(key)
  }
  return uid
}

/** Forget what was prepared (after an index was deleted or swapped). */
export function forgetPreparedIndexes (): void {
  prepared.clear()
}

/** Documents a Meilisearch task carries; tasks are enqueued back to back so it batches them. */
const CHUNK = 5000

/** How long a claimed batch is a sync's own: well past the time it may wait for Meilisearch. */
const LEASE_MS = 5 * TASK_TIMEOUT_MS

interface OutboxRow { id: number, index_name: IndexName, document_id: number }

/**
 * Claims up to `limit` unclaimed rows (or rows whose lease ran out) for `lease`, in one short
 * transaction. Claims take turns (a transaction-scoped advisory lock) and skip every document
 * another sync still holds, so two syncs never push the same document: one could otherwise
 * load it before a change and have Meilisearch apply that after the other's newer load.
 */
async function claimBatch (db: Db, prefix: string, lease: string, limit: number): Promise<OutboxRow[]> {
  return db.transaction().execute(async trx => {
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`search_outbox:${prefix}`}))`.execute(trx)
    const { rows } = await sql<OutboxRow>`
      UPDATE search_outbox SET lease = ${lease}, leased_until = now() + make_interval(secs => ${LEASE_MS / 1000})
      WHERE id IN (
        SELECT o.id FROM search_outbox o
        WHERE (o.leased_until IS NULL OR o.leased_until < now())
          -- A probe of the document index per row. As NOT EXISTS the planner makes it an anti
          -- join, and on a freshly filled outbox (statistics that saw no leases) a nested loop
          -- over every held row: minutes when a batch of 20,000 is still held.
          AND (SELECT count(*) FROM search_outbox held WHERE held.index_name = o.index_name AND held.document_id = o.document_id AND held.leased_until >= now()) = 0
        ORDER BY o.id LIMIT ${limit})
      RETURNING id, index_name, document_id`.execute(trx)
    return rows.sort((a, b) => a.id - b.id)
  })
}

interface SentBatch { lease: string, rows: number, upserted: number, deleted: number, tasks: EnqueuedTask[] }

/**
 * Sends the batch's documents as they are now and returns once Meilisearch has them queued
 * (not yet applied). The chunks go out without waiting for each other, so Meilisearch
 * indexes them as one batch.
 */
async function send (db: Db, meili: Meilisearch, prefix: string, lease: string, rows: OutboxRow[]): Promise<SentBatch> {
  const sent: Omit<SentBatch, 'tasks'> = { lease, rows: rows.length, upserted: 0, deleted: 0 }
  const enqueuing: EnqueuedTaskPromise[] = []
  for (const index of INDEX_NAMES) {
    const ids = [...new Set(rows.filter(r => r.index_name === index).map(r => r.document_id))]
    if (ids.length === 0) continue
    const target = meili.index(await ensurePrepared(db, meili, prefix, index))
    for (let i = 0; i < ids.length; i += CHUNK) {
      const { upserts, deletes } = await DOCUMENTS[index](db, ids.slice(i, i + CHUNK))
      if (upserts.length > 0) enqueuing.push(target.addDocuments(upserts as Array<Record<string, unknown>>))
      if (deletes.length > 0) enqueuing.push(target.deleteDocuments(deletes))
      sent.upserted += upserts.length
      sent.deleted += deletes.length
    }
  }
  return { ...sent, tasks: await Promise.all(enqueuing) }
}

/** Waits until Meilisearch has applied the batch, then removes the rows its lease still holds. */
async function settle (db: Db, meili: Meilisearch, batch: SentBatch, total: SyncResult): Promise<void> {
  for (const task of await meili.tasks.waitForTasks(batch.tasks, { timeout: TASK_TIMEOUT_MS, interval: 50 })) {
    if (task.status !== 'succeeded') throw new Error(`search index ${task.indexUid ?? ''}: task ${task.uid} ${task.status}: ${task.error?.message ?? ''}`)
  }
  await db.deleteFrom('search_outbox').where('lease', '=', batch.lease).execute()
  total.rows += batch.rows
  total.upserted += batch.upserted
  total.deleted += batch.deleted
}

/**
 * Drains the outbox until nothing claimable is left, `batchSize` rows at a time: claim a
 * batch, send it, and remove its rows once Meilisearch has applied it. While Meilisearch indexes one
 * batch the next is claimed, loaded and sent, so neither side waits for the other; a batch
 * never holds a document the one before it still holds (claimBatch), so they cannot pass
 * each other. A failure gives every batch not yet settled back at once for the next run.
 */
export async function syncSearchIndex (db: Db, meili: Meilisearch, prefix: string, batchSize = 20_000): Promise<SyncResult> {
  const total: SyncResult = { rows: 0, upserted: 0, deleted: 0 }
  let inFlight: SentBatch | undefined
  let lease: string | undefined
  try {
    for (;;) {
      lease = randomUUID()
      const rows = await claimBatch(db, prefix, lease, batchSize)
      const sent = rows.length > 0 ? await send(db, meili, prefix, lease, rows) : undefined
      if (inFlight) await settle(db, meili, inFlight, total)
      inFlight = sent
      if (rows.length < batchSize) break
    }
    if (inFlight) await settle(db, meili, inFlight, total)
    return total
  } catch (error) {
    const unsettled = [lease, inFlight?.lease].filter(l => l !== undefined)
    await db.updateTable('search_outbox').set({ lease: null, leased_until: null }).where('lease', 'in', unsettled).execute()
    throw error
  }
}
