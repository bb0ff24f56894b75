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
import { notifyDonor } from '../notifications/notifications.js'
import { sql } from 'kysely'
import { fullDate, monthDay } from '../web/format.js'

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

/** How a donor's claims are grouped on their page. */
export const CLAIM_GROUPS = {
  active: ['active'],
  delivered: ['delivered'],
  confirmed: ['confirmed'],
  ended: ['expired', 'cancelled']
} as const satisfies Record<string, readonly ClaimState[]>
export type ClaimGroup = keyof typeof CLAIM_GROUPS

/** A donor's claims in a group (undelivered ones by their due day, the rest newest first), with the size of every group. */
export async function listDonorClaims (db: Db, donorId: number, group: ClaimGroup, { limit, offset }: { limit: number, offset: number }, asOf: string): Promise<{ items: ClaimView[], counts: Record<ClaimGroup, number> }> {
  const [rows, states] = await Promise.all([
    claimQuery(db).where('c.donor_id', '=', donorId).where('c.state', 'in', [...CLAIM_GROUPS[group]])
      .orderBy(group === 'active' ? 'c.due_on' : 'c.id', group === 'active' ? 'asc' : 'desc').orderBy('c.id', 'desc').limit(limit).offset(offset).execute(),
    db.selectFrom('claims').select(['state', eb => eb.fn.countAll<number>().as('n')]).where('donor_id', '=', donorId).groupBy('state').execute()
  ])
  const byState = new Map(states.map(r => [r.state, Number(r.n)]))
  const counts = Object.fromEntries(Object.entries(CLAIM_GROUPS).map(([name, members]) => [name, members.reduce((sum, state) => sum + (byState.get(state) ?? 0), 0)])) as Record<ClaimGroup, number>
  return { items: rows.map(r => toView(r, asOf)), counts }
}

export interface ClaimTerms {
  /** Days the donor has to deliver (CLAIM_DELIVERY_DAYS). */
  deliveryDays: number
  /** Claims a donor may hold undelivered at once (MAX_ACTIVE_CLAIMS). */
  maxActive: number
}

export const claimLimitReached = (limit: number) => conflict('claim_limit_reached',
  `您已有 ${limit} 个认领尚未送达，请先送达或放弃其中的认领，再认领新的心愿 (at most ${limit} undelivered claims at once)`, [{ code: 'claim_limit_reached', message: `at most ${limit}`, limit }])

/**
 * Call inside a transaction (as every changing function here): the route audits in it. The
 * donor's row is locked while their open claims are counted, so two claims at once cannot
 * both slip under the limit.
 */
export async function claimWish (trx: Db, wishId: number, donorId: number, today: string, terms: ClaimTerms): Promise<ClaimView> {
  const wish = await trx.selectFrom('wishes').select('state').where('id', '=', wishId).executeTakeFirst()
  // Donors only ever see published wishes: anything never published is "not found" to them.
  if (!wish || ['draft', 'submitted', 'verified', 'rejected'].includes(wish.state)) throw notFound('该微心愿 (wish)')
  await trx.selectFrom('donors').select('id').where('id', '=', donorId).forUpdate().execute()
  const open = await trx.selectFrom('claims').select(eb => eb.fn.countAll<number>().as('n')).where('donor_id', '=', donorId).where('state', '=', 'active').executeTakeFirstOrThrow()
  if (Number(open.n) >= terms.maxActive) throw claimLimitReached(terms.maxActive)
  const moved = await trx.updateTable('wishes').set({ state: 'claimed', updated_at: new Date() }).where('id', '=', wishId).where('state', '=', 'published').returning('id').executeTakeFirst()
  if (!moved) throw conflict('wish_not_available', '该微心愿已被其他爱心人士认领或已关闭 (the wish is no longer available)')
  await queueIndexing(trx, 'wishes', [wishId])
  const claim = await trx.insertInto('claims').values({ wish_id: wishId, donor_id: donorId, due_on: addDays(today, terms.deliveryDays) }).returning('id').executeTakeFirstOrThrow()
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

/** Civil-affairs staff of the wish's region record that the household received it; the donor hears of it. */
export async function confirmClaimReceipt (trx: Db, scope: RegionScope, id: number, on: string): Promise<ClaimView> {
  const row = await moveClaim(trx, { scope }, id, 'delivered', 'confirmed', { confirmed_on: on })
  await moveWish(trx, scope, row.wish_id, ['delivered'], 'confirmed')
  const wish = row.public_view as PublicWish
  await notifyDonor(trx, row.donor_id, {
    kind: 'claim_confirmed', subject: `claim:${id}`, link: `/me/claims/${id}`,
    body: `${wish.town}的${wish.title}已确认收到您送去的「${wish.item}」。感谢您！`
  })
  return getClaim(trx, { scope }, id, on)
}

/** Days before the due day that a donor is reminded of an undelivered claim. */
export const REMINDER_DAYS = 2

/**
 * Active claims due within REMINDER_DAYS remind their donors once (unless a donor turned
 * reminders off). Returns how many claims were due for a reminder.
 */
export async function remindClaimsDueSoon (db: Db, today: string): Promise<number> {
  const due = await claimQuery(db).innerJoin('donors as d', 'd.id', 'c.donor_id')
    .where('c.state', '=', 'active').where('c.due_on', '>=', today).where('c.due_on', '<=', addDays(today, REMINDER_DAYS))
    .where(sql<boolean>`coalesce((d.preferences ->> 'remindDueSoon')::boolean, true)`)
    .execute()
  for (const row of due) {
    const wish = row.public_view as PublicWish
    const when = row.due_on === today ? '今天' : row.due_on === addDays(today, 1) ? '明天' : monthDay(row.due_on)
    await notifyDonor(db, row.donor_id, {
      kind: 'claim_due_soon', subject: `claim:${row.id}`, link: `/me/claims/${row.id}`,
      body: `您认领的「${wish.item}」（${wish.town} ${wish.title}）需在${when}前送达。送达后请上传凭证并点“已送达”；不能按时送达，请放弃认领，让心愿重新开放。`
    })
  }
  return due.length
}

export function lapseMessage (wish: PublicWish, dueOn: string): string {
  return `您认领的微心愿「${wish.item}」（${wish.town} ${wish.title}）未能在${fullDate(dueOn)}前送达，已重新开放给其他爱心人士认领。感谢您的关心，欢迎再次认领。`
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
      const body = lapseMessage(row.public_view as PublicWish, row.due_on)
      await trx.insertInto('donor_messages').values({ donor_id: row.donor_id, kind: 'claim_expired', claim_id: id, body }).execute()
      await notifyDonor(trx, row.donor_id, { kind: 'claim_expired', subject: `claim:${id}`, link: `/me/claims/${id}`, body })
      lapsed.push(id)
    })
  }
  return lapsed
}
