// Donor and public search of published wishes: Meilisearch (Chinese segmentation, synonyms,
// typo tolerance, facets), or, when it does not answer, a plainer PostgreSQL query over the
// same stored de-identified documents, with a notice saying so.
import { sql } from 'kysely'
import type { Meilisearch } from 'meilisearch'
import type { WishCategory } from '../../matching/domain.js'
import type { Db } from '../db/database.js'
import type { PublicWish } from '../needs/public-view.js'
import { indexUid } from './indexes.js'

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

export const FACETS = ['town', 'category', 'valueRange', 'ageBand'] as const

export interface WishSearchResult {
  source: 'search' | 'database'
  notice?: string
  page: number
  hitsPerPage: number
  totalHits: number
  totalPages: number
  hits: PublicWish[]
  facets: Partial<Record<typeof FACETS[number], Record<string, number>>>
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

export async function searchIndex (meili: Meilisearch, prefix: string, query: WishQuery): Promise<WishSearchResult> {
  const sort = SORTS[query.sort]
  const params = { filter: filters(query), facets: [...FACETS], page: query.page, hitsPerPage: query.hitsPerPage, ...(sort ? { sort } : {}) }
  const response = await meili.index(indexUid(prefix, 'wishes')).search<PublicWish, typeof params>(query.q ?? '', params)
  return {
    source: 'search',
    page: query.page,
    hitsPerPage: query.hitsPerPage,
    totalHits: response.totalHits,
    totalPages: response.totalPages,
    hits: response.hits,
    facets: response.facetDistribution ?? {}
  }
}

export const FALLBACK_NOTICE = '搜索服务暂时不可用，以下结果来自数据库：只做简单的文字匹配，没有同义词和分类统计 (search is unavailable; plain database results)'

/** The same question answered by PostgreSQL: substring match, the same filters and sorts, no facets. */
export async function searchDatabase (db: Db, query: WishQuery): Promise<WishSearchResult> {
  const view = (field: string) => sql<string>`public_view->>${field}`
  let rows = db.selectFrom('wishes').where('state', '=', 'published')
  const words = (query.q ?? '').trim().split(/\s+/).filter(Boolean)
  for (const word of words) {
    const like = `%${word.replace(/[\\%_]/g, '\\$&')}%`
    rows = rows.where(eb => eb.or([eb(view('item'), 'ilike', like), eb(view('story'), 'ilike', like), eb(view('categoryName'), 'ilike', like), eb(view('town'), 'ilike', like)]))
  }
  if (query.townCode) rows = rows.where(view('townCode'), '=', query.townCode)
  if (query.category) rows = rows.where('category', '=', query.category)
  if (query.valueRange) rows = rows.where(view('valueRange'), '=', query.valueRange)
  if (query.ageBand) rows = rows.where(view('ageBand'), '=', query.ageBand)
  if (query.minValue !== undefined) rows = rows.where('value', '>=', query.minValue)
  if (query.maxValue !== undefined) rows = rows.where('value', '<=', query.maxValue)
  const { count } = await rows.select(eb => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
  let page = rows.select('public_view')
  page = query.sort === 'urgency'
    ? page.orderBy(sql`needed_by ASC NULLS LAST`).orderBy('published_at', 'asc')
    : page.orderBy('published_at', 'desc')
  const found = await page.orderBy('id').limit(query.hitsPerPage).offset((query.page - 1) * query.hitsPerPage).execute()
  const totalHits = Number(count)
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

/** Meilisearch first; PostgreSQL when it fails to answer. */
export async function searchWishes (db: Db, meili: Meilisearch, prefix: string, query: WishQuery, onFallback: (error: unknown) => void): Promise<WishSearchResult> {
  try {
    return await searchIndex(meili, prefix, query)
  } catch (error) {
    onFallback(error)
    return searchDatabase(db, query)
  }
}
