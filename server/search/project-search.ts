// Donor and public search of open projects: Meilisearch, or, when it does not answer, a
// plainer bounded PostgreSQL query building the same documents, with a notice saying so.
import type { HelpKind } from '../../matching/domain.js'
import type { ProjectDocument } from '../schemas/projects.js'
import type { ProjectSearchResult } from '../schemas/search.js'
import { withFallback } from './breaker.js'
import { DOCUMENTS, indexUid, MAX_TOTAL_HITS } from './indexes.js'
import { containing, type SearchContext } from './wish-search.js'

const FALLBACK_NOTICE = '搜索服务暂时不可用，以下结果来自数据库 (search is unavailable; plain database results)'

export interface ProjectQuery {
  q?: string
  kind?: HelpKind
  page: number
  hitsPerPage: number
}

export async function searchProjects (context: Omit<SearchContext, 'facetCache'>, query: ProjectQuery, onFallback: (error: unknown) => void): Promise<ProjectSearchResult> {
  const { q, kind, page, hitsPerPage } = query
  return withFallback<ProjectSearchResult>(context.searchBreaker, async () => {
    const params = { filter: kind ? [`kind = "${kind}"`] : [], page, hitsPerPage }
    const found = await context.meili.index(indexUid(context.config.searchPrefix, 'projects')).search<ProjectDocument, typeof params>(q ?? '', params)
    return { source: 'search', totalHits: found.totalHits, hits: found.hits }
  }, async () => {
    const { db } = context
    let rows = db.selectFrom('projects').select('id').where('status', '=', 'open')
    if (kind) rows = rows.where('kind', '=', kind)
    if (q) rows = rows.where(eb => eb.or([eb('title', 'ilike', containing(q)), eb('description', 'ilike', containing(q))]))
    const { count } = await db.selectFrom(rows.limit(MAX_TOTAL_HITS).as('r')).select(eb => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()
    const ids = (await rows.orderBy('id').limit(hitsPerPage).offset((page - 1) * hitsPerPage).execute()).map(r => r.id)
    const { upserts } = ids.length > 0 ? await DOCUMENTS.projects(db, ids) : { upserts: [] }
    return { source: 'database', notice: FALLBACK_NOTICE, totalHits: Number(count), hits: upserts as ProjectDocument[] }
  }, onFallback)
}
