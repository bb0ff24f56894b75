// A project's proposals as staff read them: the member's masked name, the score and its
// explanation, the duplicate check at confirmation, and the decision's reasons.
import type { Db } from '../db/database.js'
import { scopePattern, type RegionScope } from '../db/scope.js'
import type { Static } from 'typebox'
import type { ProposalSchema } from '../schemas/proposals.js'
import { camelRow } from '../db/rows.js'
import { today } from '../clock.js'

export type ProposalView = Static<typeof ProposalSchema>

export interface ProposalFilters {
  /** Absent: every status. */
  status?: string
  source?: 'run' | 'application'
  /** Only what this run proposed. */
  runId?: number
  limit: number
  offset: number
}

/** The project's proposals in the scope, by rank; applications are unranked (0) and come first. */
export async function listProposals (db: Db, projectId: number, scope: RegionScope, filters: ProposalFilters): Promise<ProposalView[]> {
  let query = db.selectFrom('proposals as pr').innerJoin('persons as p', 'p.id', 'pr.person_id')
    .select(['pr.id', 'pr.source', 'pr.household_id', 'pr.person_id', 'p.masked_name', 'pr.region_code', 'pr.rank', 'pr.score', 'pr.cost', 'pr.tags', 'pr.status',
      'pr.statement', 'pr.explanation', 'pr.duplicate_check', 'pr.reason', 'pr.override_reason'])
    .where('pr.project_id', '=', projectId)
    .where('pr.region_code', 'like', scopePattern(scope))
  if (filters.status) query = query.where('pr.status', '=', filters.status)
  if (filters.source) query = query.where('pr.source', '=', filters.source)
  if (filters.runId !== undefined) query = query.where('pr.run_id', '=', filters.runId)
  const rows = await query.orderBy('pr.rank').orderBy('pr.id').limit(filters.limit).offset(filters.offset).execute()
  // The stored JSON is read back as written (its schema lists what it holds).
  return rows.map(r => ({ ...camelRow(r), explanation: r.explanation as ProposalView['explanation'], duplicateCheck: r.duplicate_check as ProposalView['duplicateCheck'] }))
}

/** How many of the project's proposals are in each status, within the scope (for the tabs of its page). */
export async function proposalCounts (db: Db, projectId: number, scope: RegionScope): Promise<Record<string, number>> {
  const rows = await db.selectFrom('proposals').select(['status', eb => eb.fn.countAll<number>().as('n')])
    .where('project_id', '=', projectId).where('region_code', 'like', scopePattern(scope)).groupBy('status').execute()
  return Object.fromEntries(rows.map(r => [r.status, Number(r.n)]))
}

/** What a fulfilment's page says of its proposal: who (masked), where, which project, how much, when it was confirmed. */
export async function proposalBrief (db: Db, id: number) {
  const row = await db.selectFrom('proposals as pr').innerJoin('persons as p', 'p.id', 'pr.person_id').innerJoin('projects as j', 'j.id', 'pr.project_id')
    .select(['pr.id', 'p.masked_name', 'pr.region_code', 'pr.cost', 'pr.decided_at', 'pr.source', 'j.id as project_id', 'j.title as project_title', 'j.kind as project_kind'])
    .where('pr.id', '=', id).executeTakeFirst()
  return row ? { ...camelRow(row), decidedOn: row.decided_at ? today(row.decided_at) : null } : undefined
}
