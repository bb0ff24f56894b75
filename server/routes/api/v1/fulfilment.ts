// Fulfilment of confirmed proposals: evidence (JPEG/PNG/PDF, checked by content), delivery
// by the charity, receipt recorded by civil-affairs staff (which writes the help into the
// household's assistance chain once), cancellation with a reason (the budget is released),
// and the list of fulfilments, overdue ones first. Changes commit with their audit record.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { listScope } from '../../../auth/policy.js'
import { errorResponseSchema } from '../../../http/errors.js'
import { acceptUploads, EVIDENCE_MAX_BYTES } from '../../../files/evidence.js'
import { recordReceipt } from '../../../proposals/staff-steps.js'
import { fulfilmentView, listFulfilments } from '../../../proposals/fulfil.js'
import { addFulfilmentEvidence, cancelHelp, reachableFulfilment, recordDelivery } from '../../../proposals/fulfil-actions.js'
import { today } from '../../../clock.js'
import { CalendarDate } from '../../../schemas/household.js'
import { FulfilmentDetailSchema, FulfilmentSchema, ReceiptSchema } from '../../../schemas/proposals.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema, 413: errorResponseSchema, 415: errorResponseSchema }
const tags = ['matching']

export const fulfilmentRoutes: FastifyPluginAsyncTypebox = async app => {
  acceptUploads(app)

  app.get('/api/v1/fulfilments', {
    config: { access: 'fulfilment.read' },
    schema: {
      tags, summary: '帮扶落实列表（可只看逾期）/ fulfilments, e.g. the overdue ones',
      description: 'Civil affairs and auditors: their region; charity staff: their organisation\'s projects. overdue=true: in progress past the due day.',
      querystring: Type.Object({
        overdue: Type.Optional(Type.Boolean()),
        state: Type.Optional(Type.Enum(['in_progress', 'delivered', 'received', 'cancelled'])),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        offset: Type.Integer({ minimum: 0, default: 0 })
      }, { additionalProperties: false }),
      response: { 200: Type.Array(FulfilmentSchema), ...errors }
    }
  }, async request => listFulfilments(app.db, listScope(request.principal, 'fulfilment.read'), request.query, today()))

  app.get('/api/v1/proposals/:id/fulfilment', {
    config: { access: 'fulfilment.read' },
    schema: { tags, summary: '落实进度与凭证 / fulfilment state and evidence', params: IdParams, response: { 200: FulfilmentDetailSchema, ...errors } }
  }, async request => reachableFulfilment(request, 'fulfilment.read', request.params.id))

  app.post('/api/v1/proposals/:id/evidence', {
    config: { access: 'project.write' },
    bodyLimit: EVIDENCE_MAX_BYTES + 1,
    schema: {
      tags, summary: '上传凭证（JPEG、PNG、PDF，≤ 5 MB，作为请求体）/ upload evidence', params: IdParams,
      querystring: Type.Object({ fileName: Type.String({ minLength: 1, maxLength: 200, default: 'evidence' }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ id: Type.Integer() }), ...errors }
    }
  }, async (request, reply) => {
    return reply.status(201).send({ id: await addFulfilmentEvidence(request, request.params.id, request.query.fileName, request.body) })
  })

  app.post('/api/v1/proposals/:id/delivered', {
    config: { access: 'project.write' },
    schema: {
      tags, summary: '登记送达（须先上传凭证）/ record delivery', params: IdParams,
      body: Type.Object({ on: Type.Optional(CalendarDate), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
      response: { 200: FulfilmentDetailSchema, ...errors }
    }
  }, async request => recordDelivery(request, request.params.id, request.body))

  app.post('/api/v1/proposals/:id/received', {
    config: { access: 'match.confirm' },
    schema: {
      tags, summary: '登记受助家庭签收，写入救助链 / record receipt; appends to the assistance chain once', params: IdParams,
      body: Type.Object({ on: Type.Optional(CalendarDate) }, { additionalProperties: false }),
      response: { 200: ReceiptSchema, ...errors }
    }
  }, async request => {
    const result = await recordReceipt(request, request.params.id, request.body.on ?? today())
    return { ...await fulfilmentView(app.db, request.params.id, today()), ...result }
  })

  app.post('/api/v1/proposals/:id/cancel', {
    config: { access: 'fulfilment.cancel' },
    schema: {
      tags, summary: '取消尚未送达的帮扶（须说明理由，释放预算）/ cancel help not yet delivered; releases the budget', params: IdParams,
      description: 'Charity staff of the project\'s organisation or civil affairs of the household\'s region.',
      body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false }),
      response: { 200: FulfilmentDetailSchema, ...errors }
    }
  }, async request => cancelHelp(request, request.params.id, request.body.reason))
}
