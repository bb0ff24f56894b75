// Donor and public search of published wishes: Meilisearch (Chinese segmentation, synonyms,
// typo tolerance, facets), or, when it does not answer, a plainer and bounded PostgreSQL query
// over the same stored de-identified documents, with a notice saying so.
import { sql } from 'kysely'
import type { Meilisearch } from 'meilisearch'
import type { WishCategory } from '../../matching/domain.js'
import type { Db } from '../db/database.js'
import { VALUE_RANGES, valueRange, type PublicWish } from '../needs/public-view.js'
import { withFallback, type CircuitBreaker } from './breaker.js'
import type { FacetCache, FacetCounts } from './facet-cache.js'
import { indexUid, MAX_TOTAL_HITS } from './indexes.js'
import { FACETS, type WishSearchResult } from '../schemas/search.js'

/** What a search needs of the app. */
export interface SearchContext {
  db: Db
  meili: Meilisearch
  searchBreaker: CircuitBreaker
  facetCache: FacetCache
  config: { searchPrefix: string }
}

export interface WishQuery {
  q?: string
  townCode?: string
  category?: WishCategory
  valueRange?: string
  ageBand?: string
  minValue?: number
  maxValue?: number
  sort: 'urgency' | 'newest' | 'relevance'
  page: number
  hitsPerPage: number
}

const quote = (value: string) => `"${value.replace(/["\\]/g, '\\$&')}"`

function filters (query: WishQuery): string[] {
  const out: string[] = []
  if (query.townCode) out.push(`townCode = ${quote(query.townCode)}`)
  if (query.category) out.push(`category = ${quote(query.category)}`)
  if (query.valueRange) out.push(`valueRange = ${quote(query.valueRange)}`)
  if (query.ageBand) out.push(`ageBand = ${quote(query.ageBand)}`)
  if (query.minValue !== undefined) out.push(`value >= ${query.minValue}`)
  if (query.maxValue !== undefined) out.push(`value <= ${query.maxValue}`)
  return out
}

const SORTS: Record<WishQuery['sort'], string[] | undefined> = {
  urgency: ['neededByTs:asc', 'publishedTs:asc'],
  newest: ['publishedTs:desc'],
  relevance: undefined
}

/** Meilisearch's answer; the facet counts are asked for only when `cache` has none for these words and filters. */
export async function searchIndex (meili: Meilisearch, prefix: string, query: WishQuery, cache: FacetCache): Promise<WishSearchResult> {
  const sort = SORTS[query.sort]
  const filter = filters(query)
  const facetKey = JSON.stringify([(query.q ?? '').trim(), filter])
  const cached = cache.get(facetKey)
  const params = { filter, page: query.page, hitsPerPage: query.hitsPerPage, ...(sort ? { sort } : {}), ...(cached ? {} : { facets: [...FACETS] }) }
  const response = await meili.index(indexUid(prefix, 'wishes')).search<PublicWish, typeof params>(query.q ?? '', params)
  const facets: FacetCounts = cached ?? response.facetDistribution ?? {}
  if (!cached) cache.set(facetKey, facets)
  return {
    source: 'search',
    page: query.page,
    hitsPerPage: query.hitsPerPage,
    totalHits: response.totalHits,
    totalPages: response.totalPages,
    hits: response.hits,
    facets
  }
}

/** How many published wishes the fallback looks at, in the order asked: its bound on work. */
export const FALLBACK_WINDOW = 10_000

export const FALLBACK_NOTICE = `搜索服务暂时不可用，以下结果来自数据库：只在最新（或最急需）的 ${FALLBACK_WINDOW} 个心愿中做简单的文字匹配，没有同义词和分类统计 (search is unavailable; plain database results)`

/** An ILIKE pattern for text containing `word` literally (its % and _ escaped). */
export const containing = (word: string) => `%${word.replace(/[\\%_]/g, '\\$&')}%`

/** The orders the fallback walks, each an index over published wishes (migration 0018). */
const ORDER = {
  urgency: sql`needed_by ASC NULLS LAST, published_at ASC, id ASC`,
  newest: sql`published_at DESC, id ASC`
}

/**
 * The same question answered by PostgreSQL in a degraded mode that stays fast on any table:
 * it walks the index of the order asked to the first `window` published wishes and looks
 * only at those — filters, and words as substrings of the shown item, story, category name
 * or town. A match further down is missed; there are no synonyms, typo tolerance or facets;
 * the count stops at MAX_TOTAL_HITS, as Meilisearch's does.
 */
export async function searchDatabase (db: Db, query: WishQuery, window = FALLBACK_WINDOW): Promise<WishSearchResult> {
  const order = query.sort === 'urgency' ? ORDER.urgency : ORDER.newest
  const walked = db.selectFrom('wishes').select(['id', 'region_code', 'category', 'value', 'public_view', 'published_at', 'needed_by'])
    .where('state', '=', 'published').orderBy(order).limit(window)
  let matches = db.selectFrom(walked.as('w'))
  if (query.townCode) matches = matches.where('region_code', 'like', `${query.townCode}%`)
  if (query.category) matches = matches.where('category', '=', query.category)
  const range = VALUE_RANGES.find(([from]) => valueRange(from) === query.valueRange)
  if (range) matches = matches.where('value', '>=', range[0])
  if (range && range[1] !== Infinity) matches = matches.where('value', '<', range[1])
  if (query.minValue !== undefined) matches = matches.where('value', '>=', query.minValue)
  if (query.maxValue !== undefined) matches = matches.where('value', '<=', query.maxValue)
  // What a word may be found in, as one text: one ILIKE a word rather than one a field.
  const text = sql<string>`concat_ws(' ', public_view->>'item', public_view->>'story', public_view->>'categoryName', public_view->>'town')`
  for (const word of (query.q ?? '').trim().split(/\s+/).filter(Boolean)) matches = matches.where(text, 'ilike', containing(word))
  if (query.ageBand) matches = matches.where(sql<string>`public_view->>'ageBand'`, '=', query.ageBand)
  const found = await matches.select(['public_view', sql<number>`count(*) OVER ()`.as('total')])
    .orderBy(order).limit(query.hitsPerPage).offset((query.page - 1) * query.hitsPerPage).execute()
  // A page past the last match carries no total: count apart (an empty first page means none).
  const total = found[0]?.total ?? (query.page === 1 ? 0 : (await matches.select(eb => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()).count)
  const totalHits = Math.min(Number(total), MAX_TOTAL_HITS)
  return {
    source: 'database',
    notice: FALLBACK_NOTICE,
    page: query.page,
    hitsPerPage: query.hitsPerPage,
    totalHits,
    totalPages: Math.ceil(totalHits / query.hitsPerPage),
    hits: found.map(r => r.public_view as PublicWish),
    facets: {}
  }
}

/** Meilisearch first; PostgreSQL when it fails to answer or was found down a moment ago. */
export async function searchWishes (context: SearchContext, query: WishQuery, onFallback: (error: unknown) => void): Promise<WishSearchResult> {
  return withFallback(context.searchBreaker, () => searchIndex(context.meili, context.config.searchPrefix, query, context.facetCache), () => searchDatabase(context.db, query), onFallback)
}
