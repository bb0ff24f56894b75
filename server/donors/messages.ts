// What we write to donors: a claim that lapsed, thanks when a wish came true, impact notes
// from a charity. De-identified when written; read and marked read by the donor.
import { Type, type Static } from 'typebox'
import type { Db } from '../db/database.js'
import { notFound } from '../http/errors.js'

export const DonorMessageSchema = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum(['claim_expired', 'thanks', 'impact']),
  claimId: Type.Union([Type.Integer(), Type.Null()]),
  sender: Type.Union([Type.String(), Type.Null()], { description: '发送机构（成效说明）；平台消息为空' }),
  body: Type.String(),
  createdAt: Type.String(),
  read: Type.Boolean()
})
export type DonorMessage = Static<typeof DonorMessageSchema>

export interface MessageFilter { unread?: boolean | undefined, limit: number, offset: number }

export async function listDonorMessages (db: Db, donorId: number, { unread, limit, offset }: MessageFilter): Promise<{ items: DonorMessage[], total: number, unread: number }> {
  const mine = db.selectFrom('donor_messages').where('donor_id', '=', donorId)
  const shown = unread ? mine.where('read_at', 'is', null) : mine
  const [rows, counts] = await Promise.all([
    shown.select(['id', 'kind', 'claim_id', 'sender', 'body', 'created_at', 'read_at']).orderBy('id', 'desc').limit(limit).offset(offset).execute(),
    mine.select(eb => [eb.fn.countAll<number>().as('total'), eb.fn.count<number>('id').filterWhere('read_at', 'is', null).as('unread')]).executeTakeFirstOrThrow()
  ])
  return {
    items: rows.map(m => ({ id: m.id, kind: m.kind, claimId: m.claim_id, sender: m.sender, body: m.body, createdAt: m.created_at.toISOString(), read: m.read_at !== null })),
    total: unread ? Number(counts.unread) : Number(counts.total),
    unread: Number(counts.unread)
  }
}

export async function markMessageRead (db: Db, donorId: number, id: number): Promise<void> {
  const updated = await db.updateTable('donor_messages').set({ read_at: new Date() }).where('id', '=', id).where('donor_id', '=', donorId).executeTakeFirst()
  if (updated.numUpdatedRows === 0n) throw notFound('该消息 (message)')
}

export async function markAllMessagesRead (db: Db, donorId: number): Promise<number> {
  const updated = await db.updateTable('donor_messages').set({ read_at: new Date() }).where('donor_id', '=', donorId).where('read_at', 'is', null).executeTakeFirst()
  return Number(updated.numUpdatedRows)
}
