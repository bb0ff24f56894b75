// Starting a proposal run, for the API and the pages alike: the organisation's staff (or an
// administrator) start a run of an open project with a cost per place; the run row and its
// audit record commit together, then the job is queued (or, with Redis away, left for the
// worker's queue sweep).
import type { FastifyRequest } from 'fastify'
import { ensureAllowed } from '../auth/policy.js'
import { today } from '../clock.js'
import { conflict } from '../http/errors.js'
import { PROJECT_STATUS_NAMES, type ProjectStatus } from '../supply/project-states.js'
import { projectRecord } from '../supply/projects.js'
import { queueProposalRun, QueueUnavailable } from '../../jobs/queues.js'
import { placeCost } from './run.js'
import { createRun, type RunnableProject } from './runs.js'

export async function startRun (request: FastifyRequest, project: RunnableProject, asOf: string | undefined): Promise<number> {
  const app = request.server
  ensureAllowed(request.principal, 'match.run', { organisationId: project.organisation_id })
  if (project.status !== 'open') throw conflict('project_not_open', `项目当前为“${PROJECT_STATUS_NAMES[project.status as ProjectStatus] ?? project.status}”，开放后才能生成推荐 (only open projects are matched)`)
  placeCost(project)
  const runId = await app.db.transaction().execute(async trx => {
    const created = await createRun(trx, project.id, asOf ?? today(), request.principal?.userId ?? null)
    await request.audit({ action: 'match.run', record: await projectRecord(trx, { id: project.id, organisationId: project.organisation_id }), details: { runId: created } }, trx)
    return created
  })
  // Queued once the run row is committed, so that the worker finds it. The row is the durable
  // record: when Redis does not take the job now, the worker's queue sweep queues it later.
  await queueProposalRun(app.queues, runId).catch(error => {
    if (!(error instanceof QueueUnavailable)) throw error
    request.log.warn({ runId }, 'proposal run recorded; the queue sweep will queue it once Redis answers')
  })
  return runId
}
