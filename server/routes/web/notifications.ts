// The bell's list: every signed-in person's notifications, newest first; following one marks
// it read and goes where it points.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { listNotifications, markAllNotificationsRead, markNotificationRead } from '../../notifications/notifications.js'
import { nameRegionsIn } from '../../registry/regions.js'
import { IdParams } from '../../schemas/needs.js'
import { setFlash } from '../../web/flash.js'
import { safeNextPath } from '../../web/next-path.js'
import { pagination } from '../../web/pagination.js'

const PER_PAGE = 20
const Paged = Type.Object({ page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }), unread: Type.Optional(Type.Boolean()) }, { additionalProperties: false })

export const notificationPages: FastifyPluginAsyncTypebox = async app => {
  const signedIn = { config: { access: 'signed_in' as const } }

  app.get('/notifications', { ...signedIn, attachValidation: true, schema: { hide: true, querystring: Paged } }, async (request, reply) => {
    const { page, unread } = request.validationError ? { page: 1, unread: undefined } : request.query
    const { items, total } = await listNotifications(app.db, request.principal!.userId, { unread, limit: PER_PAGE, offset: (page - 1) * PER_PAGE })
    // Warning notices name desks by region code ('下级窗口（330503101）'): shown by the region's name.
    const bodies = await nameRegionsIn(app.db, items.map(n => n.body))
    return reply.page('notifications', {
      title: '通知',
      breadcrumbs: [{ label: '通知' }],
      notifications: items.map((n, i) => ({ ...n, body: bodies[i] })),
      onlyUnread: unread === true,
      pages: pagination(page, Math.ceil(total / PER_PAGE), p => `/notifications?page=${p}${unread ? '&unread=true' : ''}`)
    })
  })

  // Opening a notification is reading it.
  app.get('/notifications/:id', { ...signedIn, schema: { hide: true, params: IdParams } }, async (request, reply) => {
    const notification = await markNotificationRead(app.db, request.principal!.userId, request.params.id)
    return reply.redirect(safeNextPath(notification.link) ?? '/notifications', 303)
  })

  app.post('/notifications/:id/read', { ...signedIn, schema: { hide: true, params: IdParams } }, async (request, reply) => {
    await markNotificationRead(app.db, request.principal!.userId, request.params.id)
    return reply.redirect('/notifications', 303)
  })

  app.post('/notifications/read-all', { ...signedIn, schema: { hide: true } }, async (request, reply) => {
    const marked = await markAllNotificationsRead(app.db, request.principal!.userId)
    setFlash(request, reply, 'success', marked > 0 ? `已将 ${marked} 条通知标为已读。` : '没有未读通知。')
    return reply.redirect('/notifications', 303)
  })
}
