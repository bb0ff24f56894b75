// What a donor does with a claim, as one step each — the checks, the change and its audit
// record in one transaction — for the API (routes/api/v1/claims.ts) and the donor's pages
// (routes/web/donor.ts) alike.
import type { FastifyRequest } from 'fastify'
import { forbidden } from '../auth/errors.js'
import { storeEvidence } from '../files/evidence.js'
import { AppError } from '../http/errors.js'
import { today } from '../clock.js'
import { cancelClaim, claimWish, getClaim, markClaimDelivered, type ClaimView } from './claims.js'

/** The signed-in donor's id; 403 for anyone else. */
export function donorOf (request: FastifyRequest): number {
  const donorId = request.principal?.donorId
  if (donorId == null) throw forbidden('仅爱心人士账号可以认领 (donor accounts only)')
  return donorId
}

export const contactUnverified = () => new AppError(403, 'contact_unverified', '请先验证手机号或邮箱再认领 (verify your contact first)')

export async function claimForDonor (request: FastifyRequest, wishId: number): Promise<ClaimView> {
  const donorId = donorOf(request)
  // The family and staff must be able to reach whoever holds the wish.
  if (!request.principal?.contactVerified) throw contactUnverified()
  const { config } = request.server
  return request.server.db.transaction().execute(async trx => {
    const claim = await claimWish(trx, wishId, donorId, today(), { deliveryDays: config.claimDeliveryDays, maxActive: config.maxActiveClaims })
    await request.audit({ action: 'wish.claim', record: { type: 'wish', id: claim.wishId, regionCode: claim.regionCode }, details: { claimId: claim.id, dueOn: claim.dueOn } }, trx)
    return claim
  })
}

/** A delivery photo or signed receipt; returns the evidence id. */
export async function addClaimEvidence (request: FastifyRequest, claimId: number, fileName: string, content: unknown): Promise<number> {
  const { db, config } = request.server
  const claim = await getClaim(db, { donorId: donorOf(request) }, claimId, today())
  if (claim.state !== 'active' && claim.state !== 'delivered') throw new AppError(409, 'claim_closed', '这个认领已经结束，不能再上传凭证 (the claim is closed)')
  const id = await storeEvidence(db, config.dataDir, { claimId: claim.id }, fileName, content, request.principal?.userId ?? null)
  await request.audit({ action: 'claim.evidence', record: { type: 'claim', id: claim.id, regionCode: claim.regionCode }, details: { evidenceId: id } })
  return id
}

export async function reportDelivered (request: FastifyRequest, claimId: number, { on, note }: { on?: string | undefined, note?: string | undefined }): Promise<ClaimView> {
  const donorId = donorOf(request)
  return request.server.db.transaction().execute(async trx => {
    const claim = await markClaimDelivered(trx, donorId, claimId, on ?? today(), note ?? null)
    await request.audit({ action: 'claim.delivered', record: { type: 'claim', id: claim.id, regionCode: claim.regionCode } }, trx)
    return claim
  })
}

export async function giveUpClaim (request: FastifyRequest, claimId: number, reason: string): Promise<ClaimView> {
  const donorId = donorOf(request)
  return request.server.db.transaction().execute(async trx => {
    const claim = await cancelClaim(trx, donorId, claimId, reason, today())
    await request.audit({ action: 'claim.cancel', record: { type: 'claim', id: claim.id, regionCode: claim.regionCode }, details: { reason } }, trx)
    return claim
  })
}
