// Following a project's runs, for the API and the pages alike: a run with its live progress
// (the bull job's last report, else the stored summary's counts), a project's run history, and
// what a run proposed and left out for lack of budget. Each is for those who may follow the
// project (access.ts): its organisation whole, the regions' staff their part.
import type { FastifyRequest } from 'fastify'
import type { Static } from 'typebox'
import { jobOrNull, proposalRunJobId } from '../../jobs/queues.js'
import type { RunViewSchema } from '../schemas/proposals.js'
import { ensureMayFollowProject, projectReach, proposalScope } from './access.js'
import { getRun, leftOutOfRun, listRuns, runProgress, type LeftOut } from './runs.js'
import { listProposals, type ProposalView } from './views.js'

export type RunView = Static<typeof RunViewSchema>

export async function runWithProgress (request: FastifyRequest, id: number): Promise<RunView> {
  const { db, queues } = request.server
  const run = await getRun(db, id)
  ensureMayFollowProject(request.principal, await projectReach(db, run.projectId))
  const job = await jobOrNull(queues.proposals, proposalRunJobId(run.id))
  return { ...run, progress: runProgress(job ? await job.progress() : null, run) }
}

export async function runHistory (request: FastifyRequest, projectId: number, page: { limit: number, offset: number }) {
  const { db } = request.server
  ensureMayFollowProject(request.principal, await projectReach(db, projectId))
  return listRuns(db, projectId, page)
}

/** Every proposal the run made (whatever became of it since) and the best of those it left out, within the reader's part of the project. */
export async function runOutcome (request: FastifyRequest, id: number): Promise<{ proposed: ProposalView[], leftOut: LeftOut[] }> {
  const { db } = request.server
  const run = await getRun(db, id)
  const reach = await projectReach(db, run.projectId)
  ensureMayFollowProject(request.principal, reach)
  const scope = proposalScope(request.principal, reach)
  const [proposed, leftOut] = await Promise.all([
    listProposals(db, run.projectId, scope, { runId: run.id, limit: 500, offset: 0 }),
    leftOutOfRun(db, run, scope)
  ])
  return { proposed, leftOut }
}
