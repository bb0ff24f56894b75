// A donor's claim on a published wish, from the claim to the household's confirmed receipt.
// Exactly one donor holds a wish: the claim moves the wish from published to claimed in one
// conditional UPDATE (concurrent claims find it claimed and get 409), and a partial unique
// index on live claims backs that up. A claim not delivered by its due day lapses: the wish
// returns to published and the donor is told. Confirmed receipt queues the feedback job
// (feedback.ts), which writes the help into the household's chain once and thanks the donor.
import type { Static } from 'typebox'
import type { Db } from '../db/database.js'
import { camelRow, type RowOf } from '../db/rows.js'
import { EVERYWHERE, inScope, scopePattern, type RegionScope } from '../db/scope.js'
import { conflict, notFound } from '../http/errors.js'
import { addDays } from '../../matching/dates.js'
import { queueIndexing } from '../search/outbox.js'
import type { PublicWish } from './public-view.js'
import type { ClaimSchema } from '../schemas/needs.js'
import { illegalTransition, moveWish } from './wishes.js'

export type ClaimState = 'active' | 'delivered' | 'confirmed' | 'expired' | 'cancelled'

/** A claim as donors and staff read it (ClaimSchema), and the wish's village for audit records (not shown). */
export type ClaimView = Static<typeof ClaimSchema> & { regionCode: string }

function claimQuery (db: Db) {
  return db.selectFrom('claims as c').innerJoin('wishes as w', 'w.id', 'c.wish_id')
    .select(['c.id', 'c.wish_id', 'c.donor_id', 'c.state', 'c.claimed_at', 'c.due_on', 'c.delivered_on', 'c.confirmed_on', 'w.public_view', 'w.region_code'])
}
type ClaimRow = RowOf<typeof claimQuery>

const toView = ({ public_view: wish, ...r }: ClaimRow, asOf: string): ClaimView => ({
  ...camelRow(r),
  overdue: r.state === 'active' && r.due_on < asOf,
  wish: wish as PublicWish
})

/** Who may see a claim: its donor, or staff whose region holds the wish. */
export type ClaimReader = { donorId: number } | { scope: RegionScope }

const visibleTo = (row: ClaimRow, reader: ClaimReader) => 'donorId' in reader ? row.donor_id === reader.donorId : inScope(reader.scope, row.region_code)

export async function getClaim (db: Db, reader: ClaimReader, id: number, asOf: string): Promise<ClaimView> {
  const row = await claimQuery(db).where('c.id', '=', id).executeTakeFirst()
  if (!row || !visibleTo(row, reader)) throw notFound('该认领 (claim)')
  return toView(row, asOf)
}

export async function listClaims (db: Db, reader: ClaimReader, filters: { state?: ClaimState, limit: number, offset: number }, asOf: string): Promise<ClaimView[]> {
  let query = claimQuery(db)
  query = 'donorId' in reader ? query.where('c.donor_id', '=', reader.donorId) : query.where('w.region_code', 'like', scopePattern(reader.scope))
  if (filters.state) query = query.where('c.state', '=', filters.state)
  const rows = await query.orderBy('c.id', 'desc').limit(filters.limit).offset(filters.offset).execute()
  return rows.map(r => toView(r, asOf))
}

/** Call inside a transaction (as every changing function here): the route audits in it. */
export async function claimWish (trx: Db, wishId: number, donorId: number, today: string, deliveryDays: number): Promise<ClaimView> {
  const wish = await trx.selectFrom('wishes').select('state').where('id', '=', wishId).executeTakeFirst()
  // Donors only ever see published wishes: anything never published is "not found" to them.
  if (!wish || ['draft', 'submitted', 'verified', 'rejected'].includes(wish.state)) throw notFound('该微心愿 (wish)')
  const moved = await trx.updateTable('wishes').set({ state: 'claimed', updated_at: new Date() }).where('id', '=', wishId).where('state', '=', 'published').returning('id').executeTakeFirst()
  if (!moved) throw conflict('wish_not_available', '该微心愿已被其他爱心人士认领或已关闭 (the wish is no longer available)')
  await queueIndexing(trx, 'wishes', [wishId])
  const claim = await trx.insertInto('claims').values({ wish_id: wishId, donor_id: donorId, due_on: addDays(today, deliveryDays) }).returning('id').executeTakeFirstOrThrow()
  return getClaim(trx, { donorId }, claim.id, today)
}

/** Moves the claim from `from` to `to`, refusing others' claims (404) and wrong states (409). */
async function moveClaim (trx: Db, reader: ClaimReader, id: number, from: ClaimState, to: ClaimState, patch: Record<string, unknown> = {}): Promise<ClaimRow> {
  const row = await claimQuery(trx).where('c.id', '=', id).forUpdate('c').executeTakeFirst()
  if (!row || !visibleTo(row, reader)) throw notFound('该认领 (claim)')
  if (row.state !== from) throw illegalTransition(row.state, [from], to)
  await trx.updateTable('claims').set({ ...patch, state: to, ...(to === 'expired' || to === 'cancelled' ? { ended_at: new Date() } : {}) }).where('id', '=', id).execute()
  return row
}

/** The donor says the wish was delivered; at least one delivery photo or receipt must be uploaded first. */
export async function markClaimDelivered (trx: Db, donorId: number, id: number, on: string, note: string | null): Promise<ClaimView> {
  const row = await moveClaim(trx, { donorId }, id, 'active', 'delivered', { delivered_on: on, note })
  const evidence = await trx.selectFrom('evidence').select('id').where('claim_id', '=', id).limit(1).executeTakeFirst()
  if (!evidence) throw conflict('evidence_required', '请先上传送达凭证（照片或签收单）(upload evidence first)')
  await moveWish(trx, EVERYWHERE, row.wish_id, ['claimed'], 'delivered')
  return getClaim(trx, { donorId }, id, on)
}

/** The donor gives the wish up before delivering: it returns to the others at once. */
export async function cancelClaim (trx: Db, donorId: number, id: number, reason: string, today: string): Promise<ClaimView> {
  const row = await moveClaim(trx, { donorId }, id, 'active', 'cancelled', { note: reason })
  await moveWish(trx, EVERYWHERE, row.wish_id, ['claimed'], 'published')
  return getClaim(trx, { donorId }, id, today)
}

/** Civil-affairs staff of the wish's region record that the household received it. */
export async function confirmClaimReceipt (trx: Db, scope: RegionScope, id: number, on: string): Promise<ClaimView> {
  const row = await moveClaim(trx, { scope }, id, 'delivered', 'confirmed', { confirmed_on: on })
  await moveWish(trx, scope, row.wish_id, ['delivered'], 'confirmed')
  return getClaim(trx, { scope }, id, on)
}

export function lapseMessage (wish: PublicWish, dueOn: string): string {
  return `您认领的微心愿「${wish.item}」（${wish.town} ${wish.title}）未能在 ${dueOn} 前送达，已重新开放给其他爱心人士认领。感谢您的关心，欢迎再次认领。`
}

/**
 * Claims still active after their due day lapse: the wish returns to published (and to the
 * search index) and the donor gets a message. Returns the lapsed claims' ids.
 */
export async function expireClaims (db: Db, today: string): Promise<number[]> {
  const due = await db.selectFrom('claims').select('id').where('state', '=', 'active').where('due_on', '<', today).orderBy('id').execute()
  const lapsed: number[] = []
  for (const { id } of due) {
    await db.transaction().execute(async trx => {
      const row = await claimQuery(trx).where('c.id', '=', id).where('c.state', '=', 'active').forUpdate('c').executeTakeFirst()
      if (!row) return
      await trx.updateTable('claims').set({ state: 'expired', ended_at: new Date() }).where('id', '=', id).execute()
      await moveWish(trx, EVERYWHERE, row.wish_id, ['claimed'], 'published')
      await trx.insertInto('donor_messages').values({ donor_id: row.donor_id, kind: 'claim_expired', claim_id: id, body: lapseMessage(row.public_view as PublicWish, row.due_on) }).execute()
      lapsed.push(id)
    })
  }
  return lapsed
}
