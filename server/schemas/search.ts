// What the search API answers: donors' and the public's search of published wishes and open
// projects (de-identified documents only), and the index administration's reports. These are
// what Fastify serialises, and the types of server/search/.
import { Type, type Static } from 'typebox'
import { INDEX_NAMES } from '../search/indexes.js'
import { PublicWishSchema } from './needs.js'
import { ProjectDocumentSchema } from './projects.js'

/** The facets a wish search counts, as Meilisearch names them. */
export const FACETS = ['town', 'category', 'valueRange', 'ageBand'] as const

const Counts = Type.Optional(Type.Record(Type.String(), Type.Integer(), { description: '各取值的命中数' }))

const source = {
  source: Type.Enum(['search', 'database'], { description: 'database：搜索服务不可用时的数据库结果' }),
  notice: Type.Optional(Type.String())
}

export const WishSearchResultSchema = Type.Object({
  ...source,
  page: Type.Integer(),
  hitsPerPage: Type.Integer(),
  totalHits: Type.Integer(),
  totalPages: Type.Integer(),
  hits: Type.Array(PublicWishSchema),
  // One per FACETS entry.
  facets: Type.Object({ town: Counts, category: Counts, valueRange: Counts, ageBand: Counts })
})
export type WishSearchResult = Static<typeof WishSearchResultSchema>

export const ProjectSearchResultSchema = Type.Object({ ...source, totalHits: Type.Integer(), hits: Type.Array(ProjectDocumentSchema) })
export type ProjectSearchResult = Static<typeof ProjectSearchResultSchema>

const IndexName = Type.Enum(INDEX_NAMES)

export const IndexStatusSchema = Type.Object({
  indexes: Type.Array(Type.Object({
    index: IndexName,
    available: Type.Boolean({ description: '搜索服务是否应答' }),
    documents: Type.Union([Type.Integer(), Type.Null()]),
    indexing: Type.Union([Type.Boolean(), Type.Null()]),
    pending: Type.Integer({ description: '待同步的变更' }),
    oldestPending: Type.Union([Type.String(), Type.Null()])
  }))
})
export type IndexStatus = Static<typeof IndexStatusSchema>

const consistencyFields = {
  index: IndexName,
  database: Type.Integer(),
  indexed: Type.Integer(),
  pending: Type.Integer({ description: '待同步的变更：其造成的差异尚不算错误' }),
  sampled: Type.Integer(),
  missing: Type.Array(Type.Integer(), { description: '抽样中应在索引而不在的' }),
  stale: Type.Array(Type.Integer(), { description: '抽样中不应再在索引的' }),
  different: Type.Array(Type.Integer(), { description: '抽样中索引文档与数据库不同的' }),
  consistent: Type.Boolean()
}
export const ConsistencyReportSchema = Type.Object(consistencyFields)
export type ConsistencyReport = Static<typeof ConsistencyReportSchema>

export const RepairReportSchema = Type.Object({ ...consistencyFields, queued: Type.Array(Type.Integer(), { description: '重新排队同步的文档' }) })

export const SynonymsSchema = Type.Object({ groups: Type.Array(Type.Array(Type.String())), builtIn: Type.Boolean() })
