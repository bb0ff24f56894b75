// What the charity (and, for cancelling, the region's staff) do to confirmed help, for the API
// and the pages alike: evidence, delivery, cancellation — each checked against the household's
// region or the project's organisation and audited.
import type { FastifyRequest } from 'fastify'
import { ensureAllowed, type Action } from '../auth/policy.js'
import { today } from '../clock.js'
import { addEvidence, cancelFulfilment, fulfilmentView, markDelivered } from './fulfil.js'

/** The fulfilment, once the principal may do `action` on it (by the household's region or the project's organisation). */
export async function reachableFulfilment (request: FastifyRequest, action: Action, proposalId: number) {
  const view = await fulfilmentView(request.server.db, proposalId, today())
  ensureAllowed(request.principal, action, { regionCode: view.regionCode, organisationId: view.organisationId })
  return view
}

const record = (id: number, regionCode: string) => ({ type: 'proposal', id, regionCode })

export async function addFulfilmentEvidence (request: FastifyRequest, proposalId: number, fileName: string, content: unknown): Promise<number> {
  const { db, config } = request.server
  const view = await reachableFulfilment(request, 'project.write', proposalId)
  const id = await addEvidence(db, config.dataDir, proposalId, fileName, content, request.principal?.userId ?? null)
  await request.audit({ action: 'fulfilment.evidence', record: record(proposalId, view.regionCode), details: { evidenceId: id } })
  return id
}

export async function recordDelivery (request: FastifyRequest, proposalId: number, body: { on?: string | undefined, note?: string | undefined }) {
  const view = await reachableFulfilment(request, 'project.write', proposalId)
  await request.server.db.transaction().execute(async trx => {
    await markDelivered(trx, proposalId, body.on ?? today(), body.note ?? null)
    await request.audit({ action: 'fulfilment.delivered', record: record(proposalId, view.regionCode) }, trx)
  })
  return fulfilmentView(request.server.db, proposalId, today())
}

export async function cancelHelp (request: FastifyRequest, proposalId: number, reason: string) {
  const view = await reachableFulfilment(request, 'fulfilment.cancel', proposalId)
  await request.server.db.transaction().execute(async trx => {
    await cancelFulfilment(trx, proposalId, reason)
    await request.audit({ action: 'fulfilment.cancel', record: record(proposalId, view.regionCode), after: { state: 'cancelled', reason } }, trx)
  })
  return fulfilmentView(request.server.db, proposalId, today())
}
