// Keeping the search indexes honest: a full rebuild (into a fresh index, swapped in when
// complete, so searches never see a half-built one) and a consistency check that compares
// counts and samples of the index against the database.
import { sql } from 'kysely'
import type { Meilisearch } from 'meilisearch'
import { canonicalJson } from '../audit/canonical.js'
import type { Db } from '../db/database.js'
import { DOCUMENTS, INDEX_NAMES, indexUid, prepareIndex, type IndexName } from './indexes.js'
import { meiliApiError } from './errors.js'
import { forgetPreparedIndexes, queueIndexing } from './outbox.js'
import type { ConsistencyReport, IndexStatus } from '../schemas/search.js'

/** Which rows belong in each index, and when they last changed. */
const MEMBERS: Record<IndexName, { table: 'wishes' | 'projects', column: 'state' | 'status', value: string }> = {
  wishes: { table: 'wishes', column: 'state', value: 'published' },
  projects: { table: 'projects', column: 'status', value: 'open' }
}

async function memberIds (db: Db, name: IndexName, afterId: number, limit: number): Promise<number[]> {
  const { table, column, value } = MEMBERS[name]
  const rows = await db.selectFrom(table).select('id').where(column, '=', value).where('id', '>', afterId).orderBy('id').limit(limit).execute()
  return rows.map(r => r.id)
}

const BATCH = 10_000
const WAIT = { timeout: 600_000, interval: 100 }

/**
 * Rebuilds an index from the database into `<uid>_rebuild` and swaps it in. Changes made
 * while it runs are queued again afterwards (by their updated_at), so nothing is lost.
 */
export async function rebuildIndex (db: Db, meili: Meilisearch, prefix: string, name: IndexName, onProgress: (documents: number) => Promise<void> = async () => {}): Promise<number> {
  const started = new Date()
  const live = indexUid(prefix, name)
  const temporary = `${live}_rebuild`
  await meili.deleteIndex(temporary).waitTask(WAIT)
  await prepareIndex(db, meili, temporary, name)
  await prepareIndex(db, meili, live, name)
  let count = 0
  for (let after = 0; ;) {
    const ids = await memberIds(db, name, after, BATCH)
    if (ids.length === 0) break
    const { upserts } = await DOCUMENTS[name](db, ids)
    const task = await meili.index(temporary).addDocuments(upserts as Array<Record<string, unknown>>).waitTask(WAIT)
    if (task.status !== 'succeeded') throw new Error(`rebuilding ${live}: ${task.error?.message ?? task.status}`)
    count += upserts.length
    after = ids[ids.length - 1] as number
    await onProgress(count)
  }
  const swap = await meili.swapIndexes([{ indexes: [live, temporary], rename: false }]).waitTask(WAIT)
  if (swap.status !== 'succeeded') throw new Error(`swapping ${live}: ${swap.error?.message ?? swap.status}`)
  await meili.deleteIndex(temporary).waitTask(WAIT)
  forgetPreparedIndexes()
  const { table } = MEMBERS[name]
  const changed = await db.selectFrom(table).select('id').where('updated_at', '>=', started).execute()
  await queueIndexing(db, name, changed.map(r => r.id))
  return count
}

const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b)

/** Whether Meilisearch answered that the index does not exist (the client wraps our transport's errors in its own). */
const indexAbsent = (error: unknown): boolean => meiliApiError(error)?.cause?.code === 'index_not_found'

/** An index not created yet (a fresh install before the first sync) holds nothing: every member is missing from it. */
const emptyWhenAbsent = (error: unknown) => {
  if (indexAbsent(error)) return null
  throw error
}

/** Counts both sides and compares `sample` random members of each; reads only. */
export async function checkConsistency (db: Db, meili: Meilisearch, prefix: string, name: IndexName, sample = 50): Promise<ConsistencyReport> {
  const { table, column, value } = MEMBERS[name]
  const uid = indexUid(prefix, name)
  const index = meili.index(uid)
  const [{ count }, stats, pendingRow] = await Promise.all([
    db.selectFrom(table).select(eb => eb.fn.countAll<number>().as('count')).where(column, '=', value).executeTakeFirstOrThrow(),
    index.getStats().catch(emptyWhenAbsent),
    db.selectFrom('search_outbox').select(eb => eb.fn.countAll<number>().as('count')).where('index_name', '=', name).executeTakeFirstOrThrow()
  ])
  const fromDb = (await db.selectFrom(table).select('id').where(column, '=', value).orderBy(sql`random()`).limit(sample).execute()).map(r => r.id)
  const documents = stats?.numberOfDocuments ?? 0
  const fromIndex = documents === 0 ? [] : (await index.getDocuments<{ id: number }>({ fields: ['id'], limit: sample, offset: Math.floor(Math.random() * Math.max(0, documents - sample)) })).results.map(d => d.id)
  const ids = [...new Set([...fromDb, ...fromIndex])]
  const expected = ids.length > 0 ? await DOCUMENTS[name](db, ids) : { upserts: [], deletes: [] }
  const indexed = ids.length > 0 && stats !== null ? (await index.getDocuments<Record<string, unknown>>({ filter: `id IN [${ids.join(',')}]`, limit: ids.length })).results : []
  const indexedById = new Map(indexed.map(d => [d.id as number, d]))
  const expectedById = new Map((expected.upserts as Array<Record<string, unknown>>).map(d => [d.id as number, d]))
  const missing = [...expectedById.keys()].filter(id => !indexedById.has(id))
  const stale = expected.deletes.filter(id => indexedById.has(id))
  const different = [...expectedById.entries()].filter(([id, doc]) => indexedById.has(id) && !same(doc, indexedById.get(id))).map(([id]) => id)
  const report: ConsistencyReport = {
    index: name,
    database: Number(count),
    indexed: documents,
    pending: Number(pendingRow.count),
    sampled: ids.length,
    missing,
    stale,
    different,
    consistent: false
  }
  report.consistent = missing.length === 0 && stale.length === 0 && different.length === 0 && (report.database === report.indexed || report.pending > 0)
  return report
}

/** Queues every document a check found missing, stale or different; returns their ids (call in the transaction that audits it). */
export async function queueRepair (trx: Db, report: ConsistencyReport): Promise<number[]> {
  const ids = [...report.missing, ...report.stale, ...report.different]
  await queueIndexing(trx, report.index, ids)
  return ids
}

/** Each index's state in Meilisearch (null where it does not answer) and the changes waiting in the outbox. */
export async function indexStatus (db: Db, meili: Meilisearch, prefix: string): Promise<IndexStatus> {
  const backlog = await db.selectFrom('search_outbox').select(['index_name', eb => eb.fn.countAll<number>().as('count'), eb => eb.fn.min('created_at').as('oldest')]).groupBy('index_name').execute()
  const indexes = await Promise.all(INDEX_NAMES.map(async name => {
    const stats = await meili.index(indexUid(prefix, name)).getStats().catch(() => null)
    const pending = backlog.find(b => b.index_name === name)
    return { index: name, available: stats !== null, documents: stats?.numberOfDocuments ?? null, indexing: stats?.isIndexing ?? null, pending: Number(pending?.count ?? 0), oldestPending: pending?.oldest?.toISOString() ?? null }
  }))
  return { indexes }
}
