// What to suggest to a donor: published wishes ranked by how they fit the donor's preferences,
// how urgent they are and how long they have waited (matching/recommend.ts, each factor
// shown), and open projects of the kinds and places the donor cares about. Only what the donor
// may see takes part: the place a wish shows, never its real village.
import { recommendProjects, recommendWishes, type ProjectRecommendation, type Recommendation } from '../../matching/recommend.js'
import type { Db } from '../db/database.js'
import type { PublicWish } from '../needs/public-view.js'
import type { DonorPreferencesInput } from '../schemas/needs.js'
import { listPublicProjects, type PublicProject } from '../supply/public-projects.js'

/**
 * Which published wishes are ranked: the most urgent and longest-waiting of those in the
 * donor's categories and value band, and of all. A million published wishes must not be read
 * for one page; far down both orders, a wish could only outrank these by a near tie.
 */
const FITTING = 2000
const ANY = 500

export async function recommendedWishes (db: Db, preferences: DonorPreferencesInput, asOf: string, limit: number): Promise<Array<{ wish: PublicWish } & Omit<Recommendation, 'wishId'>>> {
  if (preferences.kinds.length > 0 && !preferences.kinds.includes('wish')) return []
  const published = db.selectFrom('wishes').select('public_view').where('state', '=', 'published')
  const mostWaiting = <Q extends typeof published>(query: Q, count: number) => query.orderBy('needed_by', 'asc').orderBy('published_at', 'asc').limit(count).execute()
  let fitting = published.where('value', '>=', preferences.minValue).where('value', '<=', preferences.maxValue)
  if (preferences.wishCategories.length > 0) fitting = fitting.where('category', 'in', preferences.wishCategories)
  const rows = (await Promise.all([mostWaiting(fitting, FITTING), mostWaiting(published, ANY)])).flat()
  const views = new Map(rows.map(r => [(r.public_view as PublicWish).id, r.public_view as PublicWish]))
  const candidates = [...views.values()].map(v => ({ id: v.id, regionCode: v.villageCode ?? v.townCode, category: v.category, value: v.value, publishedOn: v.publishedAt.slice(0, 10), neededBy: v.neededBy }))
  return recommendWishes(preferences, candidates, asOf, limit).map(({ wishId, ...rest }) => ({ wish: views.get(wishId) as PublicWish, ...rest }))
}

export async function recommendedProjects (db: Db, preferences: DonorPreferencesInput, asOf: string, limit: number): Promise<Array<ProjectRecommendation & { project: PublicProject }>> {
  const { items } = await listPublicProjects(db, { status: 'open', limit: 200, offset: 0 })
  const byId = new Map(items.map(p => [p.id, p]))
  const open = items.map(p => ({ id: p.id, kind: p.kind, regionCodes: p.regionCodes, endsOn: p.endsOn }))
  return recommendProjects(preferences, open, asOf, limit).map(r => ({ ...r, project: byId.get(r.projectId) as PublicProject }))
}
