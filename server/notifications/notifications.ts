// In-app notifications: what happened that a person should know about (a claim due soon, a
// wish returned, a delivery confirmed, thanks received; for staff later: new work, warnings
// due). One module for every role: a notification belongs to a user, names its event by kind
// and subject — so an event notifies each person once however often the code that raises it
// runs — and may link to the page where the person acts on it.
import { Type, type Static } from 'typebox'
import type { Db } from '../db/database.js'
import { notFound } from '../http/errors.js'

export const NotificationSchema = Type.Object({
  id: Type.Integer(),
  kind: Type.String({ description: '事件类型，如 claim_due_soon、claim_expired、claim_confirmed、thanks' }),
  body: Type.String(),
  link: Type.Union([Type.String(), Type.Null()], { description: '处理此事的页面（站内路径）' }),
  createdAt: Type.String(),
  read: Type.Boolean()
})
export type NotificationView = Static<typeof NotificationSchema>

export interface NewNotification {
  kind: string
  /** What it is about, e.g. `claim:12`: with the kind, it names the event. */
  subject: string
  body: string
  link?: string | null
}

/** Notifies the users; a user already told of this event is not told again. */
export async function notifyUsers (db: Db, userIds: number[], notification: NewNotification): Promise<void> {
  if (userIds.length === 0) return
  await db.insertInto('notifications')
    .values(userIds.map(userId => ({ user_id: userId, kind: notification.kind, subject: notification.subject, body: notification.body, link: notification.link ?? null })))
    .onConflict(oc => oc.columns(['user_id', 'kind', 'subject']).doNothing())
    .execute()
}

/** Every account of a donor (an enterprise may have several) hears of the donor's events. */
export async function notifyDonor (db: Db, donorId: number, notification: NewNotification): Promise<void> {
  const users = await db.selectFrom('users').select('id').where('donor_id', '=', donorId).where('disabled_at', 'is', null).execute()
  await notifyUsers(db, users.map(u => u.id), notification)
}

export async function unreadCount (db: Db, userId: number): Promise<number> {
  const row = await db.selectFrom('notifications').select(eb => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirstOrThrow()
  return Number(row.n)
}

const COLUMNS = ['id', 'kind', 'body', 'link', 'created_at', 'read_at'] as const

function toView (r: { id: number, kind: string, body: string, link: string | null, created_at: Date, read_at: Date | null }): NotificationView {
  return { id: r.id, kind: r.kind, body: r.body, link: r.link, createdAt: r.created_at.toISOString(), read: r.read_at !== null }
}

export interface NotificationPage {
  items: NotificationView[]
  total: number
}

export async function listNotifications (db: Db, userId: number, { unread, limit, offset }: { unread?: boolean | undefined, limit: number, offset: number }): Promise<NotificationPage> {
  let query = db.selectFrom('notifications').where('user_id', '=', userId)
  if (unread) query = query.where('read_at', 'is', null)
  const [rows, count] = await Promise.all([
    query.select(COLUMNS).orderBy('id', 'desc').limit(limit).offset(offset).execute(),
    query.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  ])
  return {
    items: rows.map(toView),
    total: Number(count.n)
  }
}

/** Marks one of the user's notifications read; another user's is "not found". */
export async function markNotificationRead (db: Db, userId: number, id: number): Promise<NotificationView> {
  const row = await db.updateTable('notifications').set({ read_at: new Date() })
    .where('id', '=', id).where('user_id', '=', userId)
    .returning(COLUMNS).executeTakeFirst()
  if (!row) throw notFound('该通知 (notification)')
  return toView(row)
}

/** Marks all of the user's notifications read; returns how many were unread. */
export async function markAllNotificationsRead (db: Db, userId: number): Promise<number> {
  const result = await db.updateTable('notifications').set({ read_at: new Date() })
    .where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst()
  return Number(result.numUpdatedRows)
}
