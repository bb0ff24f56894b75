// Starting and following proposal runs: which projects can be run, the run row a job works
// on, and what a run looks like while and after it runs (runProposals in run.ts does the work).
import type { Db } from '../db/database.js'
import { notFound } from '../http/errors.js'
import type { RowOf } from '../db/rows.js'
import { scopePattern, type RegionScope } from '../db/scope.js'
import type { Static } from 'typebox'
import type { LeftOutSchema } from '../schemas/proposals.js'
import type { RunProgress, RunSummary } from './run.js'

export type LeftOut = Static<typeof LeftOutSchema>

/** What starting a run needs to know of a project. */
const runnableProjects = (db: Db) => db.selectFrom('projects').select(['id', 'organisation_id', 'status', 'unit_cost', 'per_item_limit'])
export type RunnableProject = RowOf<typeof runnableProjects>

export async function runnableProject (db: Db, id: number): Promise<RunnableProject> {
  const project = await runnableProjects(db).where('id', '=', id).executeTakeFirst()
  if (!project) throw notFound('该项目 (project)')
  return project
}

/** The named projects that exist, or else the open projects (of one organisation, when given). */
export async function projectsToRun (db: Db, which: { projectIds: number[] } | { organisationId?: number }): Promise<RunnableProject[]> {
  let query = runnableProjects(db)
  if ('projectIds' in which) query = query.where('id', 'in', which.projectIds)
  else {
    query = query.where('status', '=', 'open')
    if (which.organisationId !== undefined) query = query.where('organisation_id', '=', which.organisationId)
  }
  return query.orderBy('id').execute()
}

/** The run row the worker's job picks up (queue it once this commits). */
export async function createRun (trx: Db, projectId: number, asOf: string, createdBy: number | null): Promise<number> {
  const created = await trx.insertInto('proposal_runs').values({ project_id: projectId, as_of: asOf, created_by: createdBy }).returning('id').executeTakeFirstOrThrow()
  return created.id
}

export interface RunRecord {
  id: number
  projectId: number
  status: string
  asOf: string
  summary: RunSummary | null
  createdAt: string
  finishedAt: string | null
}

export async function getRun (db: Db, id: number): Promise<RunRecord> {
  const run = await db.selectFrom('proposal_runs').select(['id', 'project_id', 'status', 'as_of', 'summary', 'created_at', 'finished_at'])
    .where('id', '=', id).executeTakeFirst()
  if (!run) throw notFound('该推荐任务 (run)')
  return {
    id: run.id, projectId: run.project_id, status: run.status, asOf: run.as_of, summary: run.summary as RunSummary | null,
    createdAt: run.created_at.toISOString(), finishedAt: run.finished_at?.toISOString() ?? null
  }
}

/** The job's last report; once the job is gone (kept for the last 1,000), the stored summary's counts. */
export function runProgress (jobProgress: unknown, run: Pick<RunRecord, 'status' | 'summary'>): RunProgress | null {
  if (jobProgress !== null && typeof jobProgress === 'object') return jobProgress as RunProgress
  if (run.status === 'completed' && run.summary) return { percent: 100, population: run.summary.population, eligible: run.summary.eligible, proposed: run.summary.proposed }
  return null
}

/** A project's runs, newest first, with who started each. */
export async function listRuns (db: Db, projectId: number, { limit, offset }: { limit: number, offset: number }): Promise<Array<RunRecord & { startedBy: string | null }>> {
  const rows = await db.selectFrom('proposal_runs as r').leftJoin('users as u', 'u.id', 'r.created_by')
    .select(['r.id', 'r.project_id', 'r.status', 'r.as_of', 'r.summary', 'r.created_at', 'r.finished_at', 'u.display_name'])
    .where('r.project_id', '=', projectId).orderBy('r.id', 'desc').limit(limit).offset(offset).execute()
  return rows.map(run => ({
    id: run.id, projectId: run.project_id, status: run.status, asOf: run.as_of, summary: run.summary as RunSummary | null,
    createdAt: run.created_at.toISOString(), finishedAt: run.finished_at?.toISOString() ?? null, startedBy: run.display_name
  }))
}

/** The people a completed run left out (its summary's best ranked), with masked names, within the reader's regions. */
export async function leftOutOfRun (db: Db, run: Pick<RunRecord, 'summary'>, scope: RegionScope): Promise<LeftOut[]> {
  const items = run.summary?.leftOut?.items ?? []
  if (items.length === 0) return []
  const persons = await db.selectFrom('persons as p').innerJoin('households as h', 'h.id', 'p.household_id')
    .select(['p.id', 'p.masked_name', 'h.region_code']).where('p.id', 'in', items.map(i => i.personId))
    .where('h.region_code', 'like', scopePattern(scope)).execute()
  const byId = new Map(persons.map(p => [p.id, p]))
  return items.flatMap(item => {
    const person = byId.get(item.personId)
    return person ? [{ rank: item.rank, personId: item.personId, householdId: item.householdId, maskedName: person.masked_name, regionCode: person.region_code, score: item.score }] : []
  })
}
