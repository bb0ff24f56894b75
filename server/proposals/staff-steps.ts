// What civil-affairs staff decide on proposals, as one step each — the decision and its audit
// record in one transaction — one by one or in batches (each item on its own), for the API
// (routes/api/v1/proposals.ts) and the workbench's confirmation queue alike. An override of a
// duplicate warning is its own audit action (match.confirm_override) with the reason.
import type { FastifyRequest } from 'fastify'
import { regionScopeFor } from '../auth/policy.js'
import { today } from '../clock.js'
import { AppError } from '../http/errors.js'
import type { ApplicationInput, Refusal, SubmittedApplication } from '../schemas/proposals.js'
import { householdRegion } from '../registry/assistance.js'
import { noteRefusal } from '../statistics/refusals.js'
import { submitApplication } from './applications.js'
import { confirmProposal, rejectProposal, type Confirmation } from './decide.js'
import { confirmReceipt, fulfilmentView } from './fulfil.js'

/** A fund application for a household of the clerk's region: an open proposal, decided like the others. */
export function applyForHousehold (request: FastifyRequest, projectId: number, input: ApplicationInput): Promise<SubmittedApplication> {
  return request.server.db.transaction().execute(async trx => {
    const application = await submitApplication(trx, regionScopeFor(request.principal, 'need.write'), projectId, input, request.principal?.userId ?? null, today())
    const regionCode = await householdRegion(trx, application.householdId) ?? null
    await request.audit({ action: 'match.apply', record: { type: 'proposal', id: application.id, regionCode }, after: { ...application, statement: input.statement } }, trx)
    return application
  })
}

export function confirmOne (request: FastifyRequest, item: { id: number, overrideReason?: string | undefined }): Promise<Confirmation> {
  return request.server.db.transaction().execute(async trx => {
    const result = await confirmProposal(trx, regionScopeFor(request.principal, 'match.confirm'), item.id, request.principal?.userId ?? null, today(), item.overrideReason)
    await request.audit({
      action: result.overrideReason ? 'match.confirm_override' : 'match.confirm',
      record: { type: 'proposal', id: result.id, regionCode: result.regionCode },
      after: { status: 'confirmed', overrideReason: result.overrideReason, duplicateCheck: result.duplicateCheck }
    }, trx)
    return result
  })
}

export function rejectOne (request: FastifyRequest, id: number, reason: string): Promise<{ id: number, status: 'rejected', regionCode: string, reason: string }> {
  return request.server.db.transaction().execute(async trx => {
    const result = await rejectProposal(trx, regionScopeFor(request.principal, 'match.confirm'), id, request.principal?.userId ?? null, reason)
    await request.audit({ action: 'match.reject', record: { type: 'proposal', id, regionCode: result.regionCode }, after: { status: 'rejected', reason } }, trx)
    return result
  })
}

/** Decides each item on its own: one refusal (409, 404 …) does not hold back the others. */
export async function eachOnItsOwn<T extends { id: number }, R> (request: FastifyRequest, items: readonly T[], decide: (item: T) => Promise<R>): Promise<Array<R | Refusal>> {
  const results: Array<R | Refusal> = []
  for (const item of items) {
    try {
      results.push(await decide(item))
    } catch (error) {
      await noteRefusal(request, error)
      if (!(error instanceof AppError)) request.log.error({ err: error, proposalId: item.id }, 'batch decision failed')
      const { code, message, details } = error instanceof AppError ? error : { code: 'internal_error', message: '服务器内部错误，请稍后重试 (internal error)', details: [] }
      results.push({ id: item.id, status: 'refused', error: { code, message, details } })
    }
  }
  return results
}

export const summarised = <R extends { status: string }>(results: R[]) =>
  ({ results, decided: results.filter(r => r.status !== 'refused').length, refused: results.filter(r => r.status === 'refused').length })

/** Confirms a batch, each item on its own. */
export async function confirmMany (request: FastifyRequest, items: ReadonlyArray<{ id: number, overrideReason?: string | undefined }>) {
  return summarised(await eachOnItsOwn(request, items, item => confirmOne(request, item)))
}

/** Rejects a batch with one reason, each item on its own. */
export async function rejectMany (request: FastifyRequest, ids: readonly number[], reason: string) {
  return summarised(await eachOnItsOwn(request, ids.map(id => ({ id })), item => rejectOne(request, item.id, reason)))
}

/** The household's receipt of confirmed help: appended to its assistance chain once (audited when it is), as the API and the workbench record it. */
export function recordReceipt (request: FastifyRequest, proposalId: number, on: string): Promise<{ chainEntryId: number, appended: boolean }> {
  return request.server.db.transaction().execute(async trx => {
    const written = await confirmReceipt(trx, regionScopeFor(request.principal, 'match.confirm'), proposalId, on)
    if (written.appended) {
      const { regionCode } = await fulfilmentView(trx, proposalId, today())
      await request.audit({ action: 'fulfilment.received', record: { type: 'proposal', id: proposalId, regionCode }, details: { chainEntryId: written.chainEntryId } }, trx)
    }
    return written
  })
}
