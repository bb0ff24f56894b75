// What administrators do to the search indexes, for the API and the pages alike: a rebuild
// (a job), a consistency check that queues what differs, synonym groups — each audited.
import type { FastifyRequest } from 'fastify'
import { enqueue } from '../../jobs/queues.js'
import { checkConsistency, queueRepair } from './maintenance.js'
import { indexUid, prepareIndex, setSynonymGroups, synonymGroups, type IndexName } from './indexes.js'

export async function queueReindex (request: FastifyRequest, index: IndexName): Promise<{ jobId: string }> {
  const app = request.server
  const job = await enqueue(app.queues.search, queue => queue.add('reindex', { index }, { attempts: 1 }))
  await request.audit({ action: 'search.reindex', record: { type: 'search_index', id: index }, details: { jobId: String(job.id) } })
  return { jobId: String(job.id) }
}

export async function repairIndex (request: FastifyRequest, index: IndexName, sample: number) {
  const app = request.server
  const report = await checkConsistency(app.db, app.meili, app.config.searchPrefix, index, sample)
  const queued = await app.db.transaction().execute(async trx => {
    const ids = await queueRepair(trx, report)
    await request.audit({ action: 'search.repair', record: { type: 'search_index', id: index }, details: { missing: report.missing, stale: report.stale, different: report.different } }, trx)
    return ids
  })
  return { ...report, queued }
}

export async function setSynonyms (request: FastifyRequest, index: IndexName, groups: string[][]): Promise<{ groups: string[][], builtIn: false }> {
  const app = request.server
  const before = await synonymGroups(app.db, index)
  await setSynonymGroups(app.db, index, groups, request.principal?.userId ?? null)
  await request.audit({ action: 'search.synonyms', record: { type: 'search_index', id: index }, before: { groups: before }, after: { groups } })
  // Applied now when Meilisearch answers; otherwise by the next sync, which sees the settings changed.
  await prepareIndex(app.db, app.meili, indexUid(app.config.searchPrefix, index), index).catch(error => request.log.warn({ err: error }, 'synonyms stored; index not updated yet'))
  return { groups, builtIn: false }
}
