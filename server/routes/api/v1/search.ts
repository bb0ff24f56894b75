// Public search of published wishes and open projects (anyone, signed in or not: only
// de-identified documents), and the administration of the indexes: rebuild, consistency
// check, synonyms.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { HELP_KINDS } from '../../../../matching/domain.js'
import { errorResponseSchema, invalid, notFound } from '../../../http/errors.js'
import { publishedWish } from '../../../needs/public-view.js'
import { checkConsistency, indexStatus } from '../../../search/maintenance.js'
import { queueReindex, repairIndex, setSynonyms } from '../../../search/actions.js'
import { DEFAULT_SYNONYMS, INDEX_NAMES, pageBeyondReach, synonymGroups } from '../../../search/indexes.js'
import { searchProjects } from '../../../search/project-search.js'
import { searchWishes } from '../../../search/wish-search.js'
import { IdParams, PublicWishSchema, WishSearchQuery } from '../../../schemas/needs.js'
import { ConsistencyReportSchema, IndexStatusSchema, ProjectSearchResultSchema, RepairReportSchema, SynonymsSchema, WishSearchResultSchema } from '../../../schemas/search.js'

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const IndexParams = Type.Object({ index: Type.Enum(INDEX_NAMES) })

export const searchRoutes: FastifyPluginAsyncTypebox = async app => {
  app.get('/api/v1/public/wishes', {
    config: { access: 'public' },
    schema: { tags: ['public'], summary: '搜索微心愿（去标识化）/ search published wishes', querystring: WishSearchQuery, response: { 200: WishSearchResultSchema, 400: errorResponseSchema } }
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
    const wish = await publishedWish(app.db, request.params.id)
    if (!wish) throw notFound('该微心愿 (wish)')
    return wish
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
      response: { 200: ProjectSearchResultSchema, 400: errorResponseSchema }
    }
  }, async request => {
    const beyond = pageBeyondReach(request.query.page, request.query.hitsPerPage)
    if (beyond) throw invalid([beyond])
    return searchProjects(app, request.query, error => request.log.warn({ err: error }, 'project search fell back to PostgreSQL'))
  })

  app.post('/api/v1/search/reindex', {
    config: { access: 'search.manage' },
    schema: {
      tags: ['search'], summary: '重建搜索索引（后台任务）/ rebuild an index (a job)',
      body: Type.Object({ index: Type.Enum(INDEX_NAMES) }, { additionalProperties: false }),
      response: { 202: Type.Object({ jobId: Type.String() }), ...errors }
    }
  }, async (request, reply) => reply.status(202).send(await queueReindex(request, request.body.index)))

  app.get('/api/v1/search/status', {
    config: { access: 'search.check' },
    schema: { tags: ['search'], summary: '索引状态与待同步数量 / index state and outbox backlog', response: { 200: IndexStatusSchema, ...errors } }
  }, async () => indexStatus(app.db, app.meili, app.config.searchPrefix))

  const Sample = Type.Object({ sample: Type.Integer({ minimum: 1, maximum: 1000, default: 50 }) }, { additionalProperties: false })

  app.get('/api/v1/search/consistency/:index', {
    config: { access: 'search.check' },
    schema: { tags: ['search'], summary: '索引与数据库一致性检查（计数与抽样，只读）/ consistency check (read-only)', params: IndexParams, querystring: Sample, response: { 200: ConsistencyReportSchema, ...errors } }
  }, async request => checkConsistency(app.db, app.meili, app.config.searchPrefix, request.params.index, request.query.sample))

  app.post('/api/v1/search/consistency/:index/repair', {
    config: { access: 'search.manage' },
    schema: { tags: ['search'], summary: '检查并将不一致的文档重新排队同步 / check, and queue what differs', params: IndexParams, querystring: Sample, response: { 200: RepairReportSchema, ...errors } }
  }, async request => repairIndex(request, request.params.index, request.query.sample))

  app.get('/api/v1/search/synonyms/:index', {
    config: { access: 'search.check' },
    schema: { tags: ['search'], summary: '同义词组 / synonym groups', params: IndexParams, response: { 200: SynonymsSchema, ...errors } }
  }, async request => {
    const groups = await synonymGroups(app.db, request.params.index)
    return { groups, builtIn: groups === DEFAULT_SYNONYMS[request.params.index] }
  })

  app.put('/api/v1/search/synonyms/:index', {
    config: { access: 'search.manage' },
    schema: {
      tags: ['search'], summary: '设定同义词组（如 书包 = 双肩包）/ set synonym groups', params: IndexParams,
      body: Type.Object({ groups: Type.Array(Type.Array(Type.String({ minLength: 1, maxLength: 20 }), { minItems: 2, maxItems: 20, uniqueItems: true }), { maxItems: 500 }) }, { additionalProperties: false }),
      response: { 200: SynonymsSchema, ...errors }
    }
  }, async request => setSynonyms(request, request.params.index, request.body.groups))
}
