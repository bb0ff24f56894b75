// Public search of published wishes and open projects (anyone, signed in or not: only
// de-identified documents), and the administration of the indexes: rebuild, consistency
// check, synonyms.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { HELP_KINDS } from '../../../../matching/domain.js'
import { errorResponseSchema, invalid, notFound } from '../../../http/errors.js'
import { checkConsistency, queueRepair } from '../../../search/maintenance.js'
import { DEFAULT_SYNONYMS, DOCUMENTS, INDEX_NAMES, indexUid, MAX_TOTAL_HITS, pageBeyondReach, prepareIndex, synonymGroups, type IndexName, type ProjectDocument } from '../../../search/indexes.js'
import { withFallback } from '../../../search/breaker.js'
import { containing, searchWishes, FACETS } from '../../../search/wish-search.js'
import { IdParams, PublicWishSchema, WishSearchQuery } from '../../../schemas/needs.js'
import type { PublicWish } from '../../../needs/public-view.js'
import { enqueue } from '../../../../jobs/queues.js'

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const IndexParams = Type.Object({ index: Type.Enum(INDEX_NAMES) })

const WishSearchResult = Type.Object({
  source: Type.Enum(['search', 'database']),
  notice: Type.Optional(Type.String()),
  page: Type.Integer(),
  hitsPerPage: Type.Integer(),
  totalHits: Type.Integer(),
  totalPages: Type.Integer(),
  hits: Type.Array(PublicWishSchema),
  facets: Type.Object(Object.fromEntries(FACETS.map(f => [f, Type.Optional(Type.Record(Type.String(), Type.Integer()))])))
})

interface ProjectSearchResult { source: 'search' | 'database', notice?: string, totalHits: number, hits: ProjectDocument[] }

const ProjectHit = Type.Object({
  id: Type.Integer(), title: Type.String(), kind: Type.Enum(HELP_KINDS), kindName: Type.String(), description: Type.String(), organisation: Type.String(),
  regionCodes: Type.Array(Type.String()), budget: Type.Number(), available: Type.Number(), unitCost: Type.Union([Type.Number(), Type.Null()]),
  startsOn: Type.Union([Type.String(), Type.Null()]), endsOn: Type.Union([Type.String(), Type.Null()])
})

export const searchRoutes: FastifyPluginAsyncTypebox = async app => {
  app.get('/api/v1/public/wishes', {
    config: { access: 'public' },
    schema: { tags: ['public'], summary: '搜索微心愿（去标识化）/ search published wishes', querystring: WishSearchQuery, response: { 200: WishSearchResult, 400: errorResponseSchema } }
  }, async request => {
    const beyond = pageBeyondReach(request.query.page, request.query.hitsPerPage)
    if (beyond) throw invalid([beyond])
    const query = { ...request.query, sort: request.query.sort === 'relevance' && !request.query.q ? 'newest' as const : request.query.sort }
    return searchWishes(app, query, error => request.log.warn({ err: error }, 'wish search fell back to PostgreSQL'))
  })

  app.get('/api/v1/public/wishes/:id', {
    config: { access: 'public' },
    schema: { tags: ['public'], summary: '微心愿（去标识化）/ one published wish', params: IdParams, response: { 200: PublicWishSchema, 404: errorResponseSchema } }
  }, async request => {
    const row = await app.db.selectFrom('wishes').select('public_view').where('id', '=', request.params.id).where('state', '=', 'published').executeTakeFirst()
    if (!row) throw notFound('该微心愿 (wish)')
    return row.public_view as PublicWish
  })

  app.get('/api/v1/public/projects', {
    config: { access: 'public' },
    schema: {
      tags: ['public'], summary: '搜索开放中的慈善项目 / search open projects',
      querystring: Type.Object({
        q: Type.Optional(Type.String({ maxLength: 100 })),
        kind: Type.Optional(Type.Enum(HELP_KINDS)),
        page: Type.Integer({ minimum: 1, maximum: 250, default: 1 }),
        hitsPerPage: Type.Integer({ minimum: 1, maximum: 50, default: 20 })
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ source: Type.Enum(['search', 'database']), notice: Type.Optional(Type.String()), totalHits: Type.Integer(), hits: Type.Array(ProjectHit) }), 400: errorResponseSchema }
    }
  }, async request => {
    const { q, kind, page, hitsPerPage } = request.query
    const beyond = pageBeyondReach(page, hitsPerPage)
    if (beyond) throw invalid([beyond])
    return withFallback<ProjectSearchResult>(app.searchBreaker, async () => {
      const params = { filter: kind ? [`kind = "${kind}"`] : [], page, hitsPerPage }
      const found = await app.meili.index(indexUid(app.config.searchPrefix, 'projects')).search<ProjectDocument, typeof params>(q ?? '', params)
      return { source: 'search', totalHits: found.totalHits, hits: found.hits }
    }, async () => {
      let rows = app.db.selectFrom('projects').select('id').where('status', '=', 'open')
      if (kind) rows = rows.where('kind', '=', kind)
      if (q) rows = rows.where(eb => eb.or([eb('title', 'ilike', containing(q)), eb('description', 'ilike', containing(q))]))
      const { count } = await app.db.selectFrom(rows.limit(MAX_TOTAL_HITS).as('r')).select(eb => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
      const ids = (await rows.orderBy('id').limit(hitsPerPage).offset((page - 1) * hitsPerPage).execute()).map(r => r.id)
      const { upserts } = ids.length > 0 ? await DOCUMENTS.projects(app.db, ids) : { upserts: [] }
      return { source: 'database', notice: '搜索服务暂时不可用，以下结果来自数据库 (search is unavailable; plain database results)', totalHits: Number(count), hits: upserts as ProjectDocument[] }
    }, error => request.log.warn({ err: error }, 'project search fell back to PostgreSQL'))
  })

  app.post('/api/v1/search/reindex', {
    config: { access: 'search.manage' },
    schema: {
      tags: ['search'], summary: '重建搜索索引（后台任务）/ rebuild an index (a job)',
      body: Type.Object({ index: Type.Enum(INDEX_NAMES) }, { additionalProperties: false }),
      response: { 202: Type.Object({ jobId: Type.String() }), ...errors }
    }
  }, async (request, reply) => {
    const job = await enqueue(app.queues.search, queue => queue.add('reindex', { index: request.body.index }, { attempts: 1 }))
    await request.audit({ action: 'search.reindex', record: { type: 'search_index', id: request.body.index }, details: { jobId: String(job.id) } })
    return reply.status(202).send({ jobId: String(job.id) })
  })

  app.get('/api/v1/search/status', {
    config: { access: 'search.check' },
    schema: { tags: ['search'], summary: '索引状态与待同步数量 / index state and outbox backlog', response: { 200: Type.Any(), ...errors } }
  }, async () => {
    const backlog = await app.db.selectFrom('search_outbox').select(['index_name', eb => eb.fn.countAll<number>().as('count'), eb => eb.fn.min('created_at').as('oldest')]).groupBy('index_name').execute()
    const indexes = await Promise.all(INDEX_NAMES.map(async name => {
      const stats = await app.meili.index(indexUid(app.config.searchPrefix, name)).getStats().catch(() => null)
      const pending = backlog.find(b => b.index_name === name)
      return { index: name, available: stats !== null, documents: stats?.numberOfDocuments ?? null, indexing: stats?.isIndexing ?? null, pending: Number(pending?.count ?? 0), oldestPending: pending?.oldest ?? null }
    }))
    return { indexes }
  })

  const Sample = Type.Object({ sample: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }) }, { additionalProperties: false })

  app.get('/api/v1/search/consistency/:index', {
    config: { access: 'search.check' },
    schema: { tags: ['search'], summary: '索引与数据库一致性检查（计数与抽样，只读）/ consistency check (read-only)', params: IndexParams, querystring: Sample, response: { 200: Type.Any(), ...errors } }
  }, async request => checkConsistency(app.db, app.meili, app.config.searchPrefix, request.params.index, request.query.sample))

  app.post('/api/v1/search/consistency/:index/repair', {
    config: { access: 'search.manage' },
    schema: { tags: ['search'], summary: '检查并将不一致的文档重新排队同步 / check, and queue what differs', params: IndexParams, querystring: Sample, response: { 200: Type.Any(), ...errors } }
  }, async request => {
    const report = await checkConsistency(app.db, app.meili, app.config.searchPrefix, request.params.index, request.query.sample)
    const queued = await app.db.transaction().execute(async trx => {
      const ids = await queueRepair(trx, report)
      await request.audit({ action: 'search.repair', record: { type: 'search_index', id: request.params.index }, details: { missing: report.missing, stale: report.stale, different: report.different } }, trx)
      return ids
    })
    return { ...report, queued }
  })

  app.get('/api/v1/search/synonyms/:index', {
    config: { access: 'search.check' },
    schema: { tags: ['search'], summary: '同义词组 / synonym groups', params: IndexParams, response: { 200: Type.Object({ groups: Type.Array(Type.Array(Type.String())), builtIn: Type.Boolean() }), ...errors } }
  }, async request => {
    const groups = await synonymGroups(app.db, request.params.index)
    return { groups, builtIn: groups === DEFAULT_SYNONYMS[request.params.index] }
  })

  app.put('/api/v1/search/synonyms/:index', {
    config: { access: 'search.manage' },
    schema: {
      tags: ['search'], summary: '设定同义词组（如 书包 = 双肩包）/ set synonym groups', params: IndexParams,
      body: Type.Object({ groups: Type.Array(Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { minItems: 2, maxItems: 20, uniqueItems: true }), { maxItems: 500 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ groups: Type.Array(Type.Array(Type.String())), builtIn: Type.Boolean() }), ...errors }
    }
  }, async request => {
    const index: IndexName = request.params.index
    const before = await synonymGroups(app.db, index)
    await app.db.insertInto('search_settings').values({ index_name: index, synonyms: JSON.stringify(request.body.groups), updated_by: request.principal?.userId ?? null })
      .onConflict(oc => oc.column('index_name').doUpdateSet({ synonyms: JSON.stringify(request.body.groups), updated_by: request.principal?.userId ?? null, updated_at: new Date() })).execute()
    await request.audit({ action: 'search.synonyms', record: { type: 'search_index', id: index }, before: { groups: before }, after: { groups: request.body.groups } })
    // Applied now when Meilisearch answers; otherwise by the next sync, which sees the settings changed.
    await prepareIndex(app.db, app.meili, indexUid(app.config.searchPrefix, index), index).catch(error => request.log.warn({ err: error }, 'synonyms stored; index not updated yet'))
    return { groups: request.body.groups, builtIn: false }
  })
}
