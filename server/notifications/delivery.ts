// Notifications also go to the phone or e-mail of those who asked for it (a donor's
// "notifyByContact" preference) and whose contact is verified. The worker sends what is
// waiting every minute; a failed send is tried again next time, for a day.
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import type { MessageSender } from '../messaging/senders.js'

const BATCH = 100

export interface DeliveryResult { sent: number, failed: number }

export async function sendNotificationsByContact (db: Db, sender: MessageSender): Promise<DeliveryResult> {
  return db.transaction().execute(async trx => {
    // Locked while they are sent, so that two workers never send one twice.
    const waiting = await trx.selectFrom('notifications as n').innerJoin('users as u', 'u.id', 'n.user_id').innerJoin('donors as d', 'd.id', 'u.donor_id')
      .select(['n.id', 'n.body', 'u.contact'])
      .where('n.sent_at', 'is', null).where('n.created_at', '>', sql<Date>`now() - interval '1 day'`)
      .where('u.contact_verified_at', 'is not', null).where('u.contact', 'is not', null).where('u.disabled_at', 'is', null)
      .where(sql<boolean>`coalesce((d.preferences ->> 'notifyByContact')::boolean, false)`)
      .orderBy('n.id').limit(BATCH).forUpdate('n').skipLocked().execute()
    const result: DeliveryResult = { sent: 0, failed: 0 }
    for (const { id, body, contact } of waiting) {
      try {
        await sender.send({ to: contact as string, subject: '善桥通知', text: `【善桥】${body}` })
        await trx.updateTable('notifications').set({ sent_at: new Date() }).where('id', '=', id).execute()
        result.sent++
      } catch {
        result.failed++
      }
    }
    return result
  })
}
