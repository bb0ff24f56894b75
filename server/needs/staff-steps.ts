// What civil-affairs staff do with a wish and a claim, as one step each — the scope of the
// action, the change and its audit record in one transaction — for the API
// (routes/api/v1/wishes.ts, claims.ts) and the workbench pages (routes/web/work/) alike.
import type { FastifyRequest } from 'fastify'
import { regionScopeFor, type Action } from '../auth/policy.js'
import type { Db } from '../db/database.js'
import { storeEvidence } from '../files/evidence.js'
import { AppError } from '../http/errors.js'
import { today } from '../clock.js'
import { queueFeedback } from '../../jobs/queues.js'
import type { WishView } from '../schemas/needs.js'
import { confirmClaimReceipt, getClaim, type ClaimView } from './claims.js'
import type { WishRemoval } from './public-view.js'
import { createWish, getWish, publishWish, rejectWish, submitWish, updateWish, verifyWish, withdrawWish, type NewWish, type WishChanges } from './wishes.js'

const actor = (request: FastifyRequest) => request.principal?.userId ?? null

/** Runs a change in a transaction with its audit record; the wish is read back in it. */
export function changeWish (request: FastifyRequest, access: Action, audit: string, id: number, change: (trx: Db) => Promise<unknown>): Promise<WishView> {
  return request.server.db.transaction().execute(async trx => {
    const scope = regionScopeFor(request.principal, access)
    const before = await getWish(trx, scope, id)
    await change(trx)
    const after = await getWish(trx, scope, id)
    await request.audit({ action: audit, record: { type: 'wish', id, regionCode: after.regionCode }, before: { state: before.state }, after: { state: after.state, reason: after.reason } }, trx)
    return after
  })
}

export function raiseWish (request: FastifyRequest, input: NewWish): Promise<WishView> {
  return request.server.db.transaction().execute(async trx => {
    const created = await createWish(trx, regionScopeFor(request.principal, 'need.write'), input, actor(request))
    await request.audit({ action: 'wish.create', record: { type: 'wish', id: created.id, regionCode: created.regionCode }, after: { state: created.state, category: created.category, item: created.item, value: created.value, tags: created.tags, overrideReason: created.overrideReason } }, trx)
    return created
  })
}

export const editWish = (request: FastifyRequest, id: number, changes: WishChanges) =>
  changeWish(request, 'need.write', 'wish.update', id, trx => updateWish(trx, regionScopeFor(request.principal, 'need.write'), id, changes))

export const submitForVerification = (request: FastifyRequest, id: number) =>
  changeWish(request, 'need.write', 'wish.submit', id, trx => submitWish(trx, regionScopeFor(request.principal, 'need.write'), id))

export const verifyAfterVisit = (request: FastifyRequest, id: number, visitNote: string) =>
  changeWish(request, 'need.verify', 'wish.verify', id, trx => verifyWish(trx, regionScopeFor(request.principal, 'need.verify'), id, visitNote, actor(request)))

export const sendBack = (request: FastifyRequest, id: number, reason: string) =>
  changeWish(request, 'need.verify', 'wish.reject', id, trx => rejectWish(trx, regionScopeFor(request.principal, 'need.verify'), id, reason))

export const withdraw = (request: FastifyRequest, id: number, reason: string) =>
  changeWish(request, 'need.write', 'wish.withdraw', id, trx => withdrawWish(trx, regionScopeFor(request.principal, 'need.write'), id, reason))

/** Publishes de-identified and k-anonymous; answers what the scrubber took out, for the clerk to check. */
export async function publish (request: FastifyRequest, id: number): Promise<WishView & { removed: WishRemoval[] }> {
  const { config } = request.server
  let removed: WishRemoval[] = []
  const wish = await changeWish(request, 'need.verify', 'wish.publish', id, async trx => {
    ({ removed } = await publishWish(trx, regionScopeFor(request.principal, 'need.verify'), id, { keys: config, k: config.kAnonymity, asOf: today() }))
  })
  return { ...wish, removed }
}

/** A staff photo of a wish (home visit); staff only. */
export async function addWishPhoto (request: FastifyRequest, id: number, fileName: string, content: unknown): Promise<number> {
  const { db, config } = request.server
  const wish = await getWish(db, regionScopeFor(request.principal, 'need.write'), id)
  const evidenceId = await storeEvidence(db, config.dataDir, { wishId: wish.id }, fileName, content, actor(request))
  await request.audit({ action: 'wish.photo', record: { type: 'wish', id: wish.id, regionCode: wish.regionCode }, details: { evidenceId } })
  return evidenceId
}

/** The household's receipt of a claimed wish; queues the feedback (chain entry, thanks, close) after the commit. */
export async function confirmReceipt (request: FastifyRequest, claimId: number, on: string = today()): Promise<ClaimView> {
  const { db, queues } = request.server
  const claim = await db.transaction().execute(async trx => {
    const confirmed = await confirmClaimReceipt(trx, regionScopeFor(request.principal, 'need.verify'), claimId, on)
    await request.audit({ action: 'claim.confirm', record: { type: 'claim', id: confirmed.id, regionCode: confirmed.regionCode } }, trx)
    return confirmed
  })
  // Without waiting: if the queue is down, the feedback sweep picks the claim up later.
  queueFeedback(queues, claim.id).catch(error => request.log.warn({ err: error, claimId: claim.id }, 'feedback not queued; the sweep will retry'))
  return claim
}

/**
 * The household's signed receipt (签收单, signed or thumb-printed), photographed by staff of the
 * wish's region: kept with the claim's evidence once the wish is delivered, as the evidence of
 * its confirmation.
 */
export async function addSignedReceipt (request: FastifyRequest, claimId: number, fileName: string, content: unknown): Promise<number> {
  const { db, config } = request.server
  const claim = await getClaim(db, { scope: regionScopeFor(request.principal, 'need.verify') }, claimId, today())
  if (claim.state !== 'delivered' && claim.state !== 'confirmed') {
    throw new AppError(409, 'claim_not_delivered', '心愿送达后才能上传签收单 (the wish has not been delivered)')
  }
  const id = await storeEvidence(db, config.dataDir, { claimId: claim.id, signedReceipt: true }, fileName, content, actor(request))
  await request.audit({ action: 'claim.signed_receipt', record: { type: 'claim', id: claim.id, regionCode: claim.regionCode }, details: { evidenceId: id } })
  return id
}
