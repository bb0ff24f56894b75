// The one path from a change to the search index: the change writes an outbox row in its own
// transaction (`queueIndexing`), and the sync job (`syncSearchIndex`, a repeatable bull job in
// the worker) reads the rows, loads each document's current state, upserts or deletes it, waits
// until Meilisearch has applied it, and only then removes the rows. If Meilisearch is down
// the rows stay and the next run catches up; writes never wait for the index.
import { sql } from 'kysely'
import type { EnqueuedTaskPromise, Meilisearch } from 'meilisearch'
import type { Db } from '../db/database.js'
import { DOCUMENTS, INDEX_NAMES, indexUid, prepareIndex, type IndexName } from './indexes.js'

/** Call inside the transaction that changes the records. */
export async function queueIndexing (trx: Db, index: IndexName, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return
  await trx.insertInto('search_outbox').values(ids.map(id => ({ index_name: index, document_id: id }))).execute()
}

export interface SyncResult {
  /** False when another sync held the lock (this one did nothing). */
  ran: boolean
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

/**
 * Drains the outbox until it is empty, `batchSize` rows a transaction: the documents go to
 * Meilisearch in chunks enqueued without waiting (so it indexes them as one batch), then the
 * sync waits for all of them and removes the rows. Runs under a PostgreSQL advisory lock, so
 * two workers never push the same documents out of order.
 */
export async function syncSearchIndex (db: Db, meili: Meilisearch, prefix: string, batchSize = 20_000): Promise<SyncResult> {
  const total: SyncResult = { ran: true, rows: 0, upserted: 0, deleted: 0 }
  for (;;) {
    const batch = await db.transaction().execute(async trx => {
      const { rows: [lock] } = await sql<{ locked: boolean }>`SELECT pg_try_advisory_xact_lock(hashtext(${`search_outbox:${prefix}`})) AS locked`.execute(trx)
      if (!lock?.locked) return null
      const rows = await trx.selectFrom('search_outbox').select(['id', 'index_name', 'document_id']).orderBy('id').limit(batchSize).execute()
      if (rows.length === 0) return { rows: 0, upserted: 0, deleted: 0 }
      const tasks: EnqueuedTaskPromise[] = []
      let upserted = 0
      let deleted = 0
      for (const index of INDEX_NAMES) {
        const ids = [...new Set(rows.filter(r => r.index_name === index).map(r => r.document_id))]
        if (ids.length === 0) continue
        const target = meili.index(await ensurePrepared(trx, meili, prefix, index))
        for (let i = 0; i < ids.length; i += CHUNK) {
          const { upserts, deletes } = await DOCUMENTS[index](trx, ids.slice(i, i + CHUNK))
          if (upserts.length > 0) tasks.push(target.addDocuments(upserts as Array<Record<string, unknown>>))
          if (deletes.length > 0) tasks.push(target.deleteDocuments(deletes))
          upserted += upserts.length
          deleted += deletes.length
        }
      }
      for (const task of await Promise.all(tasks.map(t => t.waitTask({ timeout: TASK_TIMEOUT_MS, interval: 50 })))) {
        if (task.status !== 'succeeded') throw new Error(`search index ${task.indexUid ?? ''}: task ${task.uid} ${task.status}: ${task.error?.message ?? ''}`)
      }
      await trx.deleteFrom('search_outbox').where(sql<boolean>`id = ANY(${rows.map(r => r.id)}::bigint[])`).execute()
      return { rows: rows.length, upserted, deleted }
    })
    if (batch === null) return { ...total, ran: total.rows > 0 }
    total.rows += batch.rows
    total.upserted += batch.upserted
    total.deleted += batch.deleted
    if (batch.rows < batchSize) return total
  }
}
