// The public pages: the home page, the wish search and a wish, and the open projects. They read
// exactly what the public API gives (de-identified documents through the same search, with the
// same query schema), so a page can show nothing the API would not.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Static } from 'typebox'
import { Value } from 'typebox/value'
import { WISH_CATEGORIES, WISH_CATEGORY_NAMES, HELP_KIND_NAMES } from '../../../matching/domain.js'
import type { PublicWish } from '../../needs/public-view.js'
import { IdParams, WishSearchQuery } from '../../schemas/needs.js'
import { pageBeyondReach } from '../../search/indexes.js'
import { searchWishes } from '../../search/wish-search.js'

const SORTS = [['relevance', '最相关'], ['urgency', '最紧急'], ['newest', '最新发布']] as const

type Query = Static<typeof WishSearchQuery>

/** The query string of the same search on another page. */
function pageLink (query: Query, page: number): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries({ ...query, page })) if (value !== undefined && value !== '') params.set(key, String(value))
  return params.toString()
}

export const publicPages: FastifyPluginAsyncTypebox = async app => {
  const page = { config: { access: 'public' as const }, schema: { hide: true } }

  app.get('/', page, async (_request, reply) => {
    const count = (table: 'wishes' | 'projects', column: 'state' | 'status', values: string[]) =>
      app.db.selectFrom(table).select(eb => eb.fn.countAll<number>().as('n')).where(column, 'in', values).executeTakeFirstOrThrow().then(r => Number(r.n))
    const [published, fulfilled, projects, latest] = await Promise.all([
      count('wishes', 'state', ['published']),
      count('wishes', 'state', ['confirmed', 'closed']),
      count('projects', 'status', ['open']),
      app.db.selectFrom('wishes').select('public_view').where('state', '=', 'published').orderBy('published_at', 'desc').limit(6).execute()
    ])
    return reply.view('pages/home.hbs', { title: '首页', published, fulfilled, projects, latest: latest.map(r => r.public_view) })
  })

  app.get('/wishes', { ...page, attachValidation: true, schema: { hide: true, querystring: WishSearchQuery } }, async (request, reply) => {
    // A mistyped link still gets the page: the problems are listed and the defaults used.
    const issues = (request.validationError as { validation?: Array<{ instancePath: string, message?: string, params: Record<string, unknown> }> } | undefined)?.validation ?? []
    const problems = issues.map(issue => ({ field: issue.instancePath.slice(1) || String(issue.params.additionalProperty ?? ''), message: issue.message ?? '' }))
    const beyond = problems.length === 0 ? pageBeyondReach(request.query.page, request.query.hitsPerPage) : undefined
    if (beyond) problems.push({ field: 'page', message: beyond.message })
    const query: Query = problems.length > 0 ? Value.Default(WishSearchQuery, {}) as Query : request.query
    const sort = query.sort === 'relevance' && !query.q ? 'newest' : query.sort
    const result = await searchWishes(app, { ...query, sort }, error => request.log.warn({ err: error }, 'wish page fell back to PostgreSQL'))
    const towns = await app.db.selectFrom('regions').select(['code', 'name']).where('level', '=', 'town').orderBy('code').execute()
    return reply.view('pages/wishes.hbs', {
      title: '微心愿',
      query,
      problems,
      result,
      categories: WISH_CATEGORIES.map(code => ({ code, name: WISH_CATEGORY_NAMES[code], count: result.facets.category?.[code], selected: code === query.category })),
      towns: towns.map(t => ({ code: t.code, name: t.name, count: result.facets.town?.[t.name], selected: t.code === query.townCode })),
      sorts: SORTS.map(([code, name]) => ({ code, name, selected: code === query.sort })),
      previous: result.page > 1 ? pageLink(query, result.page - 1) : null,
      next: result.page < result.totalPages ? pageLink(query, result.page + 1) : null
    })
  })

  app.get('/wishes/:id', { ...page, attachValidation: true, schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const row = request.validationError ? undefined : await app.db.selectFrom('wishes').select('public_view').where('id', '=', request.params.id).where('state', '=', 'published').executeTakeFirst()
    if (!row) return reply.status(404).view('pages/not-found.hbs', { title: '没有找到', message: '这个心愿不存在，或已被认领、已实现。' })
    const wish = row.public_view as PublicWish
    return reply.view('pages/wish.hbs', { title: wish.item, wish, claimDays: app.config.claimDeliveryDays, publishedOn: wish.publishedAt.slice(0, 10) })
  })

  app.get('/projects', page, async (_request, reply) => {
    const rows = await app.db.selectFrom('projects as p').innerJoin('organisations as o', 'o.id', 'p.organisation_id')
      .select(['p.title', 'p.kind', 'p.description', 'p.budget', 'p.committed', 'p.unit_cost', 'p.ends_on', 'o.name as organisation'])
      .where('p.status', '=', 'open').orderBy('p.id', 'desc').limit(100).execute()
    return reply.view('pages/projects.hbs', {
      title: '慈善项目',
      projects: rows.map(p => ({ title: p.title, kindName: HELP_KIND_NAMES[p.kind], description: p.description, organisation: p.organisation, budget: p.budget, available: p.budget - p.committed, unitCost: p.unit_cost, endsOn: p.ends_on }))
    })
  })
}
