// Donors: their own profile and giving preferences, the messages we send them (a lapsed claim,
// thanks, impact notes), wishes recommended to them; and the donor list for the staff who work
// with them (names and contacts: every read audited).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { RECOMMEND_FACTORS } from '../../../../matching/recommend.js'
import { auditDonorContactsRead } from '../../../audit/pii-read.js'
import { loadDonor, updateDonor, DonorChangesSchema, DonorSchema } from '../../../donors/profile.js'
import { checkDonorNote, listStaffDonors, sendNoteAs, staffDonorRead } from '../../../donors/staff.js'
import { DonorNoteInputSchema, NoteCheckSchema, StaffDonorDetailSchema, StaffDonorSchema } from '../../../schemas/donors.js'
import { DonorMessageSchema, listDonorMessages, markMessageRead } from '../../../donors/messages.js'
import { recommendedWishes } from '../../../donors/recommendations.js'
import { errorResponseSchema } from '../../../http/errors.js'
import { donorOf } from '../../../needs/donor-claims.js'
import { today } from '../../../clock.js'
import { IdParams, PublicWishSchema } from '../../../schemas/needs.js'

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const tags = ['donors']

export const donorRoutes: FastifyPluginAsyncTypebox = async app => {
  app.get('/api/v1/donors/me', {
    config: { access: 'donor.self' },
    schema: { tags, summary: '我的资料与捐赠偏好 / my profile and preferences', response: { 200: DonorSchema, ...errors } }
  }, async request => loadDonor(app.db, donorOf(request)))

  app.patch('/api/v1/donors/me', {
    config: { access: 'donor.self' },
    schema: { tags, summary: '修改资料与捐赠偏好 / change my profile and preferences', body: DonorChangesSchema, response: { 200: DonorSchema, ...errors } }
  }, async request => updateDonor(request, donorOf(request), request.body))

  app.get('/api/v1/donors/me/messages', {
    config: { access: 'donor.self' },
    schema: {
      tags, summary: '我的消息（认领到期、感谢与成效）/ my messages',
      querystring: Type.Object({ unread: Type.Optional(Type.Boolean()), limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }), offset: Type.Integer({ minimum: 0, default: 0 }) }, { additionalProperties: false }),
      response: { 200: Type.Array(DonorMessageSchema), ...errors }
    }
  }, async request => (await listDonorMessages(app.db, donorOf(request), request.query)).items)

  app.post('/api/v1/donors/me/messages/:id/read', {
    config: { access: 'donor.self' },
    schema: { tags, summary: '标为已读 / mark read', params: IdParams, response: { 204: Type.Null(), ...errors } }
  }, async (request, reply) => {
    await markMessageRead(app.db, donorOf(request), request.params.id)
    return reply.status(204).send(null)
  })

  app.get('/api/v1/donors/me/recommendations', {
    config: { access: 'donor.self' },
    schema: {
      tags, summary: '为我推荐的微心愿（按偏好、紧急程度、等待时间）/ wishes recommended to me',
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }) }, { additionalProperties: false }),
      response: {
        200: Type.Array(Type.Object({
          wish: PublicWishSchema,
          score: Type.Number(),
          factors: Type.Array(Type.Object({ factor: Type.Enum(RECOMMEND_FACTORS), value: Type.Union([Type.Number(), Type.String()]), normalised: Type.Number(), weight: Type.Number(), contribution: Type.Number() }))
        })),
        ...errors
      }
    }
  }, async request => {
    const { preferences } = await loadDonor(app.db, donorOf(request))
    return recommendedWishes(app.db, preferences, today(), request.query.limit)
  })

  app.get('/api/v1/donors', {
    config: { access: 'donor.read' },
    schema: {
      tags, summary: '爱心人士与爱心企业（含验证状态、认领与捐赠）/ donors with verification, claims and gifts',
      querystring: Type.Object({
        kind: Type.Optional(Type.Enum(['individual', 'enterprise'])),
        verified: Type.Optional(Type.Boolean()),
        q: Type.Optional(Type.String({ maxLength: 50, description: '名称中的字' })),
        limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        offset: Type.Integer({ minimum: 0, default: 0 })
      }, { additionalProperties: false }),
      response: { 200: Type.Array(StaffDonorSchema), ...errors }
    }
  }, async request => {
    const { items } = await listStaffDonors(app.db, request.query)
    if (items.length > 0) await auditDonorContactsRead(request, items.map(donor => donor.id))
    return items
  })

  app.get('/api/v1/donors/:id', {
    config: { access: 'donor.read' },
    schema: {
      tags, summary: '一位爱心人士：认领（去标识化）、资助的项目、收到的感谢与成效说明 / one donor, read audited', params: IdParams,
      response: { 200: StaffDonorDetailSchema, ...errors }
    }
  }, async request => staffDonorRead(request, request.params.id, today()))

  app.post('/api/v1/donors/:id/notes/check', {
    config: { access: 'donor.message' },
    schema: {
      tags, summary: '检查感谢信或成效说明：会隐去哪些可能识别受助家庭的内容（不发送）/ check a note before sending', params: IdParams,
      body: DonorNoteInputSchema, response: { 200: NoteCheckSchema, ...errors }
    }
  }, async request => checkDonorNote(app.db, app.config, request.params.id, request.body.body))

  app.post('/api/v1/donors/:id/notes', {
    config: { access: 'donor.message' },
    schema: {
      tags, summary: '给爱心人士发送感谢信或成效说明（须无可识别受助家庭的内容）/ send a thank-you or impact note', params: IdParams,
      description: '400 identifying (field body.body) names what to take out: the names of the families the donor helped, phone and ID numbers, addresses, long numbers. The donor reads it at /me/messages and is notified.',
      body: DonorNoteInputSchema, response: { 201: DonorMessageSchema, ...errors }
    }
  }, async (request, reply) => reply.status(201).send(await sendNoteAs(request, request.params.id, request.body)))
}
