// 微心愿 for staff: raise, edit, submit, verify after a home visit, publish (de-identified and
// k-anonymous), reject or withdraw; staff-only photos; and the per-region rule of which
// households may have needs. Every change is audited in the transaction that makes it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ensureAllowed, regionScopeFor } from '../../../auth/policy.js'
import { acceptUploads, EVIDENCE_MAX_BYTES, listEvidence } from '../../../files/evidence.js'
import { errorResponseSchema } from '../../../http/errors.js'
import { needRuleFor, setNeedRuleFor } from '../../../needs/rules.js'
import { addWishPhoto, editWish, publish, raiseWish, sendBack, submitForVerification, verifyAfterVisit, withdraw } from '../../../needs/staff-steps.js'
import { getWish, listWishes } from '../../../needs/wishes.js'
import { EvidenceSchema } from '../../../schemas/evidence.js'
import { IdParams, NeedRuleSchema, NeedRuleViewSchema, NewWishSchema, PublishedWishSchema, Reason, WishChangesSchema, WishFiltersSchema, WishViewSchema } from '../../../schemas/needs.js'

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const tags = ['needs']

export const wishRoutes: FastifyPluginAsyncTypebox = async app => {
  acceptUploads(app)

  app.post('/api/v1/wishes', {
    config: { access: 'need.write' },
    schema: { tags, summary: '提出微心愿（草稿或直接提交）/ raise a wish', body: NewWishSchema, response: { 201: WishViewSchema, ...errors } }
  }, async (request, reply) => reply.status(201).send(await raiseWish(request, request.body)))

  app.get('/api/v1/wishes', {
    config: { access: 'need.read' },
    schema: { tags, summary: '本地区微心愿（姓名脱敏）/ wishes of your region', querystring: WishFiltersSchema, response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(WishViewSchema) }), ...errors } }
  }, async request => listWishes(app.db, regionScopeFor(request.principal, 'need.read'), request.query))

  app.get('/api/v1/wishes/:id', {
    config: { access: 'need.read' },
    schema: { tags, summary: '微心愿详情 / one wish', params: IdParams, response: { 200: WishViewSchema, ...errors } }
  }, async request => getWish(app.db, regionScopeFor(request.principal, 'need.read'), request.params.id))

  app.patch('/api/v1/wishes/:id', {
    config: { access: 'need.write' },
    schema: { tags, summary: '修改草稿或待审核的微心愿 / edit a draft or submitted wish', params: IdParams, body: WishChangesSchema, response: { 200: WishViewSchema, ...errors } }
  }, async request => editWish(request, request.params.id, request.body))

  app.post('/api/v1/wishes/:id/submit', {
    config: { access: 'need.write' },
    schema: { tags, summary: '提交审核 / submit for verification', params: IdParams, response: { 200: WishViewSchema, ...errors } }
  }, async request => submitForVerification(request, request.params.id))

  app.post('/api/v1/wishes/:id/verify', {
    config: { access: 'need.verify' },
    schema: {
      tags, summary: '入户核实通过 / verified after a home visit', params: IdParams,
      body: Type.Object({ visitNote: Type.String({ minLength: 4, maxLength: 1000, description: '入户核实情况' }) }, { additionalProperties: false }),
      response: { 200: WishViewSchema, ...errors }
    }
  }, async request => verifyAfterVisit(request, request.params.id, request.body.visitNote))

  app.post('/api/v1/wishes/:id/reject', {
    config: { access: 'need.verify' },
    schema: { tags, summary: '不予通过（须说明理由）/ reject with a reason', params: IdParams, body: Reason, response: { 200: WishViewSchema, ...errors } }
  }, async request => sendBack(request, request.params.id, request.body.reason))

  app.post('/api/v1/wishes/:id/publish', {
    config: { access: 'need.verify' },
    schema: {
      tags, summary: '去标识化后发布给爱心人士（k-匿名）/ publish de-identified',
      description: 'The answer is the wish with `removed`: what the de-identification took out of its item and story, as typed — `[{ field: "story", kind: "phone" | "id_number" | "digits" | "address" | "name", text }]` — for the clerk to check.',
      params: IdParams, response: { 200: PublishedWishSchema, ...errors }
    }
  }, async request => publish(request, request.params.id))

  app.post('/api/v1/wishes/:id/withdraw', {
    config: { access: 'need.write' },
    schema: { tags, summary: '撤回（须说明理由）/ withdraw with a reason', params: IdParams, body: Reason, response: { 200: WishViewSchema, ...errors } }
  }, async request => withdraw(request, request.params.id, request.body.reason))

  app.post('/api/v1/wishes/:id/photos', {
    config: { access: 'need.write' },
    bodyLimit: EVIDENCE_MAX_BYTES + 1,
    schema: {
      tags, summary: '上传心愿照片（仅工作人员可见；JPEG、PNG，≤ 5 MB，作为请求体）/ upload a photo (staff only)', params: IdParams,
      querystring: Type.Object({ fileName: Type.String({ minLength: 1, maxLength: 200, default: 'photo' }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ id: Type.Integer() }), ...errors, 413: errorResponseSchema, 415: errorResponseSchema }
    }
  }, async (request, reply) => reply.status(201).send({ id: await addWishPhoto(request, request.params.id, request.query.fileName, request.body) }))

  app.get('/api/v1/wishes/:id/photos', {
    config: { access: 'need.read' },
    schema: { tags, summary: '心愿照片列表 / photos of a wish', params: IdParams, response: { 200: Type.Array(EvidenceSchema), ...errors } }
  }, async request => {
    const wish = await getWish(app.db, regionScopeFor(request.principal, 'need.read'), request.params.id)
    return listEvidence(app.db, { wishId: wish.id })
  })

  app.get('/api/v1/need-rules/:regionCode', {
    config: { access: 'need.read' },
    schema: {
      tags, summary: '本地区哪些家庭可以提出需求 / which households may have needs here',
      params: Type.Object({ regionCode: Type.String({ pattern: '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$' }) }), response: { 200: NeedRuleViewSchema, ...errors }
    }
  }, async request => {
    ensureAllowed(request.principal, 'need.read', { regionCode: request.params.regionCode })
    return needRuleFor(app.db, request.params.regionCode)
  })

  app.put('/api/v1/need-rules/:regionCode', {
    config: { access: 'need.configure' },
    schema: {
      tags, summary: '设定本地区需求范围 / set which households may have needs',
      params: Type.Object({ regionCode: Type.String({ pattern: '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$' }) }), body: NeedRuleSchema, response: { 200: NeedRuleViewSchema, ...errors }
    }
  }, async request => setNeedRuleFor(request, request.params.regionCode, request.body))
}
