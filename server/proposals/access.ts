// Who may follow a charity project's matching — its runs, its proposals and its budget ledger:
// the project's organisation (charity staff, `match.read` reach 'organisation') and
// administrators whole; civil affairs and auditors whose region overlaps the project's regions
// (they confirm its proposals), each seeing the proposals of their own region only. Charity
// staff of another organisation see nothing of it.
import type { Principal } from '../auth/principal.js'
import { authorize, reachesFor, regionScopeFor } from '../auth/policy.js'
import { forbidden } from '../auth/errors.js'
import type { Db } from '../db/database.js'
import { EVERYWHERE, type RegionScope } from '../db/scope.js'
import { notFound } from '../http/errors.js'
import { projectScope } from './project.js'

export interface ProjectReach {
  organisationId: number
  /** The project's regions (the organisation's when it names none). */
  regions: readonly string[]
}

export async function projectReach (db: Db, projectId: number): Promise<ProjectReach> {
  const project = await db.selectFrom('projects as p').innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select(['p.organisation_id', 'p.kind', 'p.eligibility', 'o.region_code']).where('p.id', '=', projectId).executeTakeFirst()
  if (!project) throw notFound('该项目 (project)')
  return { organisationId: project.organisation_id, regions: projectScope({ ...project, organisationRegion: project.region_code }) }
}

const ofTheOrganisation = (principal: Principal | null, project: ProjectReach) =>
  authorize(principal, 'match.read', { organisationId: project.organisationId })

/** Throws 403 unless the principal may follow the project (see above). */
export function ensureMayFollowProject (principal: Principal | null, project: ProjectReach): void {
  if (ofTheOrganisation(principal, project)) return
  const own = principal?.regionCode
  const overlaps = own != null && project.regions.some(region => region.startsWith(own) || own.startsWith(region))
  if (!overlaps || !reachesFor(principal, 'match.read').includes('region')) throw forbidden()
}

/** Which of the project's proposals the principal may list: all for its organisation, else its region's. */
export function proposalScope (principal: Principal | null, project: ProjectReach): RegionScope {
  return ofTheOrganisation(principal, project) ? EVERYWHERE : regionScopeFor(principal, 'match.read')
}
