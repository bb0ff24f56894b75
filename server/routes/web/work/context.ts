// What every workbench page shares: the region the person works for, stated on the page, and
// the places (towns, villages) within it that its filters offer.
import type { FastifyRequest } from 'fastify'
import { regionScopeFor, type Action } from '../../../auth/policy.js'
import type { RegionScope } from '../../../db/scope.js'
import { placesWithin, regionNames } from '../../../registry/regions.js'

export interface WorkRegion {
  scope: RegionScope
  /** "湖州市南浔区", or "全部地区" for administrators. */
  name: string
}

/** The region the person reaches for the action, and its name; 403 for those who reach no region. */
export async function workRegion (request: FastifyRequest, action: Action = 'household.read'): Promise<WorkRegion> {
  const scope = regionScopeFor(request.principal, action)
  if (scope.regionPrefix === '') return { scope, name: '全部地区' }
  const names = await regionNames(request.server.db, [scope.regionPrefix])
  return { scope, name: names.get(scope.regionPrefix) ?? scope.regionPrefix }
}

/** Towns and villages of the region for a place filter, the chosen one marked. */
export async function placeOptions (request: FastifyRequest, scope: RegionScope, chosen: { town?: string | undefined, village?: string | undefined }) {
  const { towns, villages } = await placesWithin(request.server.db, scope.regionPrefix)
  return {
    towns: towns.map(t => ({ ...t, selected: t.code === chosen.town })),
    // With a town chosen, its villages; a town officer's whole town otherwise.
    villages: villages.filter(v => chosen.town ? v.town === chosen.town : towns.length <= 1).map(v => ({ ...v, selected: v.code === chosen.village }))
  }
}

/** The page's address with the given query (empty values left out), for pagination and tabs. */
export function withQuery (path: string, query: Record<string, unknown>): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '' && value !== false) params.set(key, String(value))
  const text = params.toString()
  return text ? `${path}?${text}` : path
}
