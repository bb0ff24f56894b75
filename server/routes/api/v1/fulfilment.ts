// Fulfilment of confirmed proposals: evidence (JPEG/PNG/PDF, checked by content), delivery
// by the charity, and receipt recorded by civil-affairs staff, which writes the help into
// the household's assistance chain once.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ensureAllowed, regionScopeFor } from '../../../auth/policy.js'
import { errorResponseSchema } from '../../../http/errors.js'
import { acceptUploads, EVIDENCE_MAX_BYTES } from '../../../files/evidence.js'
import { addEvidence, confirmReceipt, fulfilmentView, markDelivered } from '../../../proposals/fulfil.js'
import { today } from '../../../registry/dates.js'
import { CalendarDate } from '../../../schemas/household.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema, 413: errorResponseSchema, 415: errorResponseSchema }
const tags = ['matching']

export const fulfilmentRoutes: FastifyPluginAsyncTypebox = async app => {
  acceptUploads(app)

  const charityMayAct = async (request: Parameters<typeof ensureAllowed>[0], proposalId: number) => {
    const view = await fulfilmentView(app.db, proposalId, today())
    ensureAllowed(request, 'project.write', { organisationId: view.organisationId })
    return view
  }

  app.get('/api/v1/proposals/:id/fulfilment', {
    config: { access: 'match.read' },
    schema: { tags, summary: '落实进度与凭证 / fulfilment state and evidence', params: IdParams, response: { 200: Type.Any(), ...errors } }
  }, async request => {
    const view = await fulfilmentView(app.db, request.params.id, today())
    ensureAllowed(request.principal, 'match.read', { regionCode: view.regionCode })
    return view
  })

  app.post('/api/v1/proposals/:id/evidence', {
    config: { access: 'project.write' },
    bodyLimit: EVIDENCE_MAX_BYTES + 1,
    schema: {
      tags, summary: '上传凭证（JPEG、PNG、PDF，≤ 5 MB，作为请求体）/ upload evidence', params: IdParams,
      querystring: Type.Object({ fileName: Type.String({ minLength: 1, maxLength: 200, default: 'evidence' }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ id: Type.Integer() }), ...errors }
    }
  }, async (request, reply) => {
    await charityMayAct(request.principal, request.params.id)
    const id = await addEvidence(app.db, app.config.dataDir, request.params.id, request.query.fileName, request.body, request.principal?.userId ?? null)
    await request.audit({ action: 'fulfilment.evidence', record: { type: 'proposal', id: request.params.id }, details: { evidenceId: id } })
    return reply.status(201).send({ id })
  })

  app.post('/api/v1/proposals/:id/delivered', {
    config: { access: 'project.write' },
    schema: {
      tags, summary: '登记送达（须先上传凭证）/ record delivery', params: IdParams,
      body: Type.Object({ on: Type.Optional(CalendarDate), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
      response: { 200: Type.Any(), ...errors }
    }
  }, async request => {
    await charityMayAct(request.principal, request.params.id)
    await markDelivered(app.db, request.params.id, request.body.on ?? today(), request.body.note ?? null)
    await request.audit({ action: 'fulfilment.delivered', record: { type: 'proposal', id: request.params.id } })
    return fulfilmentView(app.db, request.params.id, today())
  })

  app.post('/api/v1/proposals/:id/received', {
    config: { access: 'match.confirm' },
    schema: {
      tags, summary: '登记受助家庭签收，写入救助链 / record receipt; appends to the assistance chain once', params: IdParams,
      body: Type.Object({ on: Type.Optional(CalendarDate) }, { additionalProperties: false }),
      response: { 200: Type.Any(), ...errors }
    }
  }, async request => {
    const result = await confirmReceipt(app.db, regionScopeFor(request.principal, 'match.confirm'), request.params.id, request.body.on ?? today())
    if (result.appended) await request.audit({ action: 'fulfilment.received', record: { type: 'proposal', id: request.params.id }, details: { chainEntryId: result.chainEntryId } })
    return { ...await fulfilmentView(app.db, request.params.id, today()), ...result }
  })
}
