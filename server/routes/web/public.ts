// The public pages: the home page, the wish search and a wish, and the charity projects. They
// read what the public API gives (de-identified documents through the same search, with the
// same query schema), so a page can show nothing the API would not. A signed-in donor sees
// claim buttons; anyone else is offered the sign-in that brings them back.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { Value } from 'typebox/value'
import { HELP_KIND_NAMES, HELP_KINDS, WISH_CATEGORIES, WISH_CATEGORY_NAMES } from '../../../matching/domain.js'
import { authorize } from '../../auth/policy.js'
import { homeFigures, wishForDonors } from '../../needs/public-wishes.js'
import { townsByCounty } from '../../registry/regions.js'
import { today } from '../../clock.js'
import { addDays } from '../../../matching/dates.js'
import { IdParams, WishSearchQuery } from '../../schemas/needs.js'
import { pageBeyondReach } from '../../search/indexes.js'
import { searchWishes } from '../../search/wish-search.js'
import { getPublicProject, listPublicProjects } from '../../supply/public-projects.js'
import { fullDate } from '../../web/format.js'
import { loginPathFor } from '../../web/next-path.js'
import { pagination } from '../../web/pagination.js'
import { renderChart } from '../../statistics/charts.js'
import { homeImpact } from '../../statistics/impact.js'
import { freshnessText } from '../../statistics/present.js'
import { grouped, money } from '../../statistics/numbers.js'

const SORTS = [['relevance', '最相关'], ['urgency', '最紧急'], ['newest', '最新发布']] as const
const PROJECTS_PER_PAGE = 12

type Query = Static<typeof WishSearchQuery>

/** The query string of the same search on another page. */
function queryString (query: Query, page: number): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries({ ...query, page })) if (value !== undefined && value !== '' && !(key === 'page' && value === 1)) params.set(key, String(value))
  return params.toString()
}

/** What the wish cards and the wish page offer this reader: claim, sign in first, or nothing. */
function claimOffer (request: FastifyRequest, wishPath: string) {
  if (authorize(request.principal, 'wish.claim')) return { canClaim: true }
  return { canClaim: false, signInToClaim: request.principal ? undefined : loginPathFor(wishPath) }
}

export const publicPages: FastifyPluginAsyncTypebox = async app => {
  const page = { config: { access: 'public' as const }, schema: { hide: true } }

  app.get('/', page, async (request, reply) => {
    const [figures, impact] = await Promise.all([homeFigures(app.db), homeImpact(app.db, app.config.kAnonymity, today())])
    // The platform's work in figures (de-identified, suppressed below k: statistics/impact.ts).
    const count = (cell: { suppressed: boolean, n: number | null }) => cell.suppressed ? '—' : grouped(cell.n ?? 0)
    const chart = renderChart({ id: 'chart-home-trend', title: '近 12 个月每月的帮扶次数', kind: 'line', unit: '次', categories: impact.trend.categories, series: [{ name: '帮扶次数', values: impact.trend.values }] })
    return reply.page('home', {
      title: '首页', ...figures, offer: claimOffer(request, '/'),
      impact: {
        households: count(impact.households), helps: count(impact.value), wishes: count(impact.wishes),
        value: impact.value.suppressed ? '—' : `¥${money(impact.value.amount ?? 0)}`,
        chart, months: impact.trend.categories.map((label, i) => ({ label, value: impact.trend.values[i] === null ? '—' : String(impact.trend.values[i]) })), k: app.config.kAnonymity,
        freshness: freshnessText(impact.freshness)
      }
    })
  })

  app.get('/wishes', { ...page, attachValidation: true, schema: { hide: true, querystring: WishSearchQuery } }, async (request, reply) => {
    // A mistyped link still gets the page: the problems are listed and the defaults used.
    const issues = (request.validationError as { validation?: Array<{ instancePath: string, message?: string, params: Record<string, unknown> }> } | undefined)?.validation ?? []
    const problems = issues.map(issue => ({ field: issue.instancePath.slice(1) || String(issue.params.additionalProperty ?? ''), message: issue.message ?? '' }))
    const beyond = problems.length === 0 ? pageBeyondReach(request.query.page, request.query.hitsPerPage) : undefined
    if (beyond) problems.push({ field: 'page', message: beyond.message })
    const query: Query = problems.length > 0 ? Value.Default(WishSearchQuery, {}) as Query : request.query
    const sort = query.sort === 'relevance' && !query.q ? 'newest' : query.sort
    const [result, counties] = await Promise.all([
      searchWishes(app, { ...query, sort }, error => request.log.warn({ err: error }, 'wish page fell back to PostgreSQL')),
      townsByCounty(app.db)
    ])
    const data = {
      title: query.q ? `“${query.q}”的心愿` : '微心愿',
      query,
      problems,
      result,
      offer: claimOffer(request, '/wishes'),
      claimDays: app.config.claimDeliveryDays,
      categories: WISH_CATEGORIES.map(code => ({ code, name: WISH_CATEGORY_NAMES[code], count: result.facets.category?.[code], selected: code === query.category })),
      counties: counties.map(county => ({ ...county, towns: county.towns.map(t => ({ ...t, count: result.facets.town?.[t.name], selected: t.code === query.townCode })) })),
      sorts: SORTS.map(([code, name]) => ({ code, name, selected: code === query.sort })),
      pages: pagination(result.page, result.totalPages, p => `/wishes?${queryString(query, p)}`),
      signedIn: request.principal !== null
    }
    // htmx asks for the results alone when a filter changes; the address bar gets the full link.
    if (request.wantsFragment) return reply.fragment('wishes/results', data)
    return reply.page('wishes', data)
  })

  app.get('/wishes/:id', { ...page, schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const found = await wishForDonors(app.db, request.params.id, request.principal?.donorId ?? null)
    if (!found) return reply.callNotFound()
    const { wish, availability, myClaimId } = found
    return reply.page('wish', {
      title: wish.item,
      breadcrumbs: [{ label: '微心愿', href: '/wishes' }, { label: wish.item }],
      wish,
      availability,
      myClaimId,
      offer: claimOffer(request, `/wishes/${wish.id}`),
      claimDays: app.config.claimDeliveryDays,
      dueIfClaimedToday: fullDate(addDays(today(), app.config.claimDeliveryDays)),
      publishedOn: wish.publishedAt.slice(0, 10)
    })
  })

  const ProjectList = Type.Object({
    kind: Type.Optional(Type.Enum(HELP_KINDS)),
    status: Type.Enum(['open', 'closed'], { default: 'open' }),
    page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 })
  }, { additionalProperties: false })

  app.get('/projects', { ...page, attachValidation: true, schema: { hide: true, querystring: ProjectList } }, async (request, reply) => {
    const query = request.validationError ? Value.Default(ProjectList, {}) as Static<typeof ProjectList> : request.query
    const { items, total } = await listPublicProjects(app.db, { kind: query.kind, status: query.status, limit: PROJECTS_PER_PAGE, offset: (query.page - 1) * PROJECTS_PER_PAGE })
    const link = (changes: Partial<Static<typeof ProjectList>>) => {
      const params = new URLSearchParams(Object.entries({ ...query, ...changes }).filter(([key, value]) => value !== undefined && !(key === 'page' && value === 1) && !(key === 'status' && value === 'open')).map(([key, value]) => [key, String(value)] as [string, string]))
      return params.size > 0 ? `/projects?${params.toString()}` : '/projects'
    }
    return reply.page('projects', {
      title: '慈善项目',
      query,
      projects: items.map(withProgress),
      total,
      statuses: [{ label: '进行中', href: link({ status: 'open', page: 1 }), current: query.status === 'open' }, { label: '已结束', href: link({ status: 'closed', page: 1 }), current: query.status === 'closed' }],
      kinds: [{ code: '', name: '全部类型', selected: !query.kind }, ...HELP_KINDS.map(code => ({ code, name: HELP_KIND_NAMES[code], selected: code === query.kind }))],
      pages: pagination(query.page, Math.ceil(total / PROJECTS_PER_PAGE), p => link({ page: p }))
    })
  })

  app.get('/projects/:id', { ...page, schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const project = withProgress(await getPublicProject(app.db, request.params.id))
    return reply.page('project', {
      title: project.title,
      breadcrumbs: [{ label: '慈善项目', href: '/projects' }, { label: project.title }],
      project
    })
  })
}

/** A project with its money as shares of the budget, for the progress bars. */
function withProgress<P extends { budget: number, committed: number, spent: number }> (project: P) {
  const share = (amount: number) => project.budget > 0 ? Math.min(100, Math.round(amount / project.budget * 100)) : 0
  return { ...project, committedShare: share(project.committed), spentShare: share(project.spent) }
}
