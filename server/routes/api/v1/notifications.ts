// The signed-in person's in-app notifications (the bell on every page), for apps and scripts.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { errorResponseSchema } from '../../../http/errors.js'
import { listNotifications, markAllNotificationsRead, markNotificationRead, NotificationSchema, unreadCount } from '../../../notifications/notifications.js'
import { IdParams } from '../../../schemas/needs.js'

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema }
const tags = ['notifications']

export const notificationRoutes: FastifyPluginAsyncTypebox = async app => {
  app.get('/api/v1/notifications', {
    config: { access: 'signed_in' },
    schema: {
      tags, summary: '我的通知（最新在前）/ my notifications, newest first',
      querystring: Type.Object({ unread: Type.Optional(Type.Boolean()), limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }), offset: Type.Integer({ minimum: 0, default: 0 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(NotificationSchema), total: Type.Integer(), unread: Type.Integer() }), ...errors }
    }
  }, async request => {
    const userId = request.principal!.userId
    const [page, unread] = await Promise.all([listNotifications(app.db, userId, request.query), unreadCount(app.db, userId)])
    return { ...page, unread }
  })

  app.post('/api/v1/notifications/:id/read', {
    config: { access: 'signed_in' },
    schema: { tags, summary: '标为已读 / mark one read', params: IdParams, response: { 200: NotificationSchema, ...errors } }
  }, async request => markNotificationRead(app.db, request.principal!.userId, request.params.id))

  app.post('/api/v1/notifications/read-all', {
    config: { access: 'signed_in' },
    schema: { tags, summary: '全部标为已读 / mark all read', response: { 200: Type.Object({ marked: Type.Integer() }), ...errors } }
  }, async request => ({ marked: await markAllNotificationsRead(app.db, request.principal!.userId) }))
}
