// Claims: a donor claims a published wish (exactly one donor holds it), uploads proof and says
// it was delivered, or gives it up; civil-affairs staff of the wish's region record the
// household's receipt, which queues the feedback (chain entry, thanks, close).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { listScope } from '../../../auth/policy.js'
import { forbidden } from '../../../auth/errors.js'
import { acceptUploads, EVIDENCE_MAX_BYTES, listEvidence } from '../../../files/evidence.js'
import { errorResponseSchema } from '../../../http/errors.js'
import { getClaim, listClaims, type ClaimReader } from '../../../needs/claims.js'
import { addClaimEvidence, claimForDonor, giveUpClaim, reportDelivered } from '../../../needs/donor-claims.js'
import { addSignedReceipt, confirmReceipt } from '../../../needs/staff-steps.js'
import { today } from '../../../clock.js'
import { CalendarDate } from '../../../schemas/household.js'
import { EvidenceSchema } from '../../../schemas/evidence.js'
import { ClaimSchema, IdParams, Reason } from '../../../schemas/needs.js'

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const tags = ['claims']

/** Donors read their own claims; staff read the claims of their region. */
function readerOf (request: FastifyRequest): ClaimReader {
  const scope = listScope(request.principal, 'claim.read')
  if (scope.everywhere) return { scope: { regionPrefix: '' } }
  if (scope.donorId !== undefined) return { donorId: scope.donorId }
  if (scope.regionPrefix !== undefined) return { scope: { regionPrefix: scope.regionPrefix } }
  throw forbidden()
}

export const claimRoutes: FastifyPluginAsyncTypebox = async app => {
  acceptUploads(app)

  app.post('/api/v1/wishes/:id/claim', {
    config: { access: 'wish.claim' },
    schema: { tags, summary: '认领微心愿（一个心愿只能由一位爱心人士认领；须先验证联系方式）/ claim a published wish', params: IdParams, response: { 201: ClaimSchema, ...errors } }
  }, async (request, reply) => reply.status(201).send(await claimForDonor(request, request.params.id)))

  app.get('/api/v1/claims', {
    config: { access: 'claim.read' },
    schema: {
      tags, summary: '认领记录（爱心人士：本人；工作人员：本地区）/ claims',
      querystring: Type.Object({
        state: Type.Optional(Type.Enum(['active', 'delivered', 'confirmed', 'expired', 'cancelled'])),
        limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        offset: Type.Integer({ minimum: 0, default: 0 })
      }, { additionalProperties: false }),
      response: { 200: Type.Array(ClaimSchema), ...errors }
    }
  }, async request => listClaims(app.db, readerOf(request), request.query, today()))

  app.get('/api/v1/claims/:id', {
    config: { access: 'claim.read' },
    schema: { tags, summary: '认领详情 / one claim', params: IdParams, response: { 200: ClaimSchema, ...errors } }
  }, async request => getClaim(app.db, readerOf(request), request.params.id, today()))

  app.post('/api/v1/claims/:id/evidence', {
    config: { access: 'claim.fulfil' },
    bodyLimit: EVIDENCE_MAX_BYTES + 1,
    schema: {
      tags, summary: '上传送达凭证（JPEG、PNG、PDF，≤ 5 MB，作为请求体）/ upload delivery proof', params: IdParams,
      querystring: Type.Object({ fileName: Type.String({ minLength: 1, maxLength: 200, default: 'evidence' }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ id: Type.Integer() }), ...errors, 413: errorResponseSchema, 415: errorResponseSchema }
    }
  }, async (request, reply) => reply.status(201).send({ id: await addClaimEvidence(request, request.params.id, request.query.fileName, request.body) }))

  app.get('/api/v1/claims/:id/evidence', {
    config: { access: 'claim.read' },
    schema: { tags, summary: '送达凭证列表 / delivery proof', params: IdParams, response: { 200: Type.Array(EvidenceSchema), ...errors } }
  }, async request => {
    const claim = await getClaim(app.db, readerOf(request), request.params.id, today())
    return listEvidence(app.db, { claimId: claim.id })
  })

  app.post('/api/v1/claims/:id/delivered', {
    config: { access: 'claim.fulfil' },
    schema: {
      tags, summary: '登记已送达（须先上传凭证）/ say it was delivered', params: IdParams,
      body: Type.Object({ on: Type.Optional(CalendarDate), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
      response: { 200: ClaimSchema, ...errors }
    }
  }, async request => reportDelivered(request, request.params.id, request.body))

  app.post('/api/v1/claims/:id/cancel', {
    config: { access: 'claim.fulfil' },
    schema: { tags, summary: '放弃认领（心愿重新开放）/ give the wish up', params: IdParams, body: Reason, response: { 200: ClaimSchema, ...errors } }
  }, async request => giveUpClaim(request, request.params.id, request.body.reason))

  app.post('/api/v1/claims/:id/confirm', {
    config: { access: 'need.verify' },
    schema: {
      tags, summary: '登记受助人已签收（写入救助链并致谢）/ record the household\'s receipt', params: IdParams,
      body: Type.Object({ on: Type.Optional(CalendarDate) }, { additionalProperties: false }),
      response: { 200: ClaimSchema, ...errors }
    }
  }, async request => confirmReceipt(request, request.params.id, request.body.on ?? today()))

  app.post('/api/v1/claims/:id/signed-receipt', {
    config: { access: 'need.verify' },
    bodyLimit: EVIDENCE_MAX_BYTES + 1,
    schema: {
      tags, summary: '上传受助家庭签字（按手印）的签收单照片（送达后；JPEG、PNG、PDF，≤ 5 MB，作为请求体）/ attach the signed receipt as the confirmation\'s evidence', params: IdParams,
      description: 'Civil affairs of the wish\'s region, once the claim is delivered (or confirmed): the photographed 签收单 is kept with the claim\'s evidence as kind signed_receipt.',
      querystring: Type.Object({ fileName: Type.String({ minLength: 1, maxLength: 200, default: 'signed-receipt' }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ id: Type.Integer() }), ...errors, 413: errorResponseSchema, 415: errorResponseSchema }
    }
  }, async (request, reply) => reply.status(201).send({ id: await addSignedReceipt(request, request.params.id, request.query.fileName, request.body) }))
}
