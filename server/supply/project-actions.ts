// What staff do to a project, for the API and the pages alike: each checks the organisation,
// makes the change and appends its audit record in one transaction (the route adds nothing
// but its schema and its answer).
import type { FastifyRequest } from 'fastify'
import { ensureAllowed, reachesFor } from '../auth/policy.js'
import { AppError } from '../http/errors.js'
import type { ProjectInput, ProjectView } from '../schemas/projects.js'
import type { ProjectMove } from './project-states.js'
import { createProject, getProject, moveProject, projectRecord, updateProject } from './projects.js'

/** The organisation a charity worker acts for; an administrator names it. */
export function organisationFor (request: FastifyRequest, given: number | undefined): number {
  const principal = request.principal
  if (principal?.organisationId != null) {
    if (given !== undefined && given !== principal.organisationId) ensureAllowed(principal, 'project.write', { organisationId: given })
    return given ?? principal.organisationId
  }
  if (given === undefined) throw new AppError(400, 'validation_failed', '请指定发布项目的慈善组织 (organisationId is required)', [{ field: 'body.organisationId', code: 'required', message: '请选择慈善组织 (required for administrators)' }])
  ensureAllowed(principal, 'project.write', { organisationId: given })
  return given
}

/** Whose drafts a reader sees: all (administrators), their organisation's, or none. */
export function draftsVisibleTo (request: FastifyRequest): number | null | undefined {
  if (reachesFor(request.principal, 'project.write').includes('all')) return null
  return request.principal?.organisationId ?? undefined
}

/** Drafts are for their organisation (and administrators) only. */
export function ensureMayRead (request: FastifyRequest, project: ProjectView): void {
  if (project.status === 'draft') ensureAllowed(request.principal, 'project.write', { organisationId: project.organisationId })
}

/** A project of the organisation the reader may read (drafts: its own organisation only). */
export async function readableProject (request: FastifyRequest, id: number): Promise<ProjectView> {
  const project = await getProject(request.server.db, id)
  ensureMayRead(request, project)
  return project
}

export async function draftProject (request: FastifyRequest, input: ProjectInput & { organisationId?: number | undefined }): Promise<ProjectView> {
  const { organisationId, ...fields } = input
  const organisation = organisationFor(request, organisationId)
  return request.server.db.transaction().execute(async trx => {
    const created = await createProject(trx, organisation, fields, request.principal?.userId ?? null)
    await request.audit({ action: 'project.create', record: await projectRecord(trx, created), after: created }, trx)
    return created
  })
}

export async function changeProject (request: FastifyRequest, id: number, changes: Partial<ProjectInput>): Promise<ProjectView> {
  return request.server.db.transaction().execute(async trx => {
    const before = await getProject(trx, id)
    ensureAllowed(request.principal, 'project.write', { organisationId: before.organisationId })
    const after = await updateProject(trx, before.id, changes)
    await request.audit({ action: 'project.update', record: await projectRecord(trx, before), before, after }, trx)
    return after
  })
}

export async function makeProjectMove (request: FastifyRequest, id: number, move: ProjectMove): Promise<ProjectView> {
  return request.server.db.transaction().execute(async trx => {
    const before = await getProject(trx, id)
    ensureAllowed(request.principal, 'project.write', { organisationId: before.organisationId })
    const after = await moveProject(trx, before.id, move)
    await request.audit({ action: `project.${move}`, record: await projectRecord(trx, before), before: { status: before.status }, after: { status: after.status } }, trx)
    return after
  })
}
