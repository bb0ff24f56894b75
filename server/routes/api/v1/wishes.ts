// 微心愿 for staff: raise, edit, submit, verify after a home visit, publish (de-identified and
// k-anonymous), reject or withdraw; staff-only photos; and the per-region rule of which
// households may have needs. Every change is audited in the transaction that makes it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { ensureAllowed, regionScopeFor, type Action } from '../../../auth/policy.js'
import type { Db } from '../../../db/database.js'
import { acceptUploads, EVIDENCE_MAX_BYTES, listEvidence, storeEvidence } from '../../../files/evidence.js'
import { errorResponseSchema } from '../../../http/errors.js'
import type { WishRemoval } from '../../../needs/public-view.js'
import { needRuleFor, setNeedRuleFor } from '../../../needs/rules.js'
import { createWish, getWish, listWishes, publishWish, rejectWish, submitWish, updateWish, verifyWish, withdrawWish } from '../../../needs/wishes.js'
import { today } from '../../../clock.js'
import { EvidenceSchema } from '../../../schemas/evidence.js'
import { IdParams, NeedRuleSchema, NeedRuleViewSchema, NewWishSchema, PublishedWishSchema, Reason, WishChangesSchema, WishFiltersSchema, WishViewSchema, type WishView } from '../../../schemas/needs.js'

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const tags = ['needs']

export const wishRoutes: FastifyPluginAsyncTypebox = async app => {
  acceptUploads(app)

  /** Runs a change in a transaction with its audit record; the wish is read back in it. */
  const changeWish = (request: FastifyRequest, access: Action, audit: string, id: number, change: (trx: Db) => Promise<unknown>): Promise<WishView> =>
    app.db.transaction().execute(async trx => {
      const scope = regionScopeFor(request.principal, access)
      const before = await getWish(trx, scope, id)
      await change(trx)
      const after = await getWish(trx, scope, id)
      await request.audit({ action: audit, record: { type: 'wish', id, regionCode: after.regionCode }, before: { state: before.state }, after: { state: after.state, reason: after.reason } }, trx)
      return after
    })

  app.post('/api/v1/wishes', {
    config: { access: 'need.write' },
    schema: { tags, summary: '提出微心愿（草稿或直接提交）/ raise a wish', body: NewWishSchema, response: { 201: WishViewSchema, ...errors } }
  }, async (request, reply) => {
    const wish = await app.db.transaction().execute(async trx => {
      const created = await createWish(trx, regionScopeFor(request.principal, 'need.write'), request.body, request.principal?.userId ?? null)
      await request.audit({ action: 'wish.create', record: { type: 'wish', id: created.id, regionCode: created.regionCode }, after: { state: created.state, category: created.category, item: created.item, value: created.value, tags: created.tags, overrideReason: created.overrideReason } }, trx)
      return created
    })
    return reply.status(201).send(wish)
  })

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
  }, async request => changeWish(request, 'need.write', 'wish.update', request.params.id, trx => updateWish(trx, regionScopeFor(request.principal, 'need.write'), request.params.id, request.body)))

  app.post('/api/v1/wishes/:id/submit', {
    config: { access: 'need.write' },
    schema: { tags, summary: '提交审核 / submit for verification', params: IdParams, response: { 200: WishViewSchema, ...errors } }
  }, async request => changeWish(request, 'need.write', 'wish.submit', request.params.id, trx => submitWish(trx, regionScopeFor(request.principal, 'need.write'), request.params.id)))

  app.post('/api/v1/wishes/:id/verify', {
    config: { access: 'need.verify' },
    schema: {
      tags, summary: '入户核实通过 / verified after a home visit', params: IdParams,
      body: Type.Object({ visitNote: Type.String({ minLength: 4, maxLength: 1000, description: '入户核实情况' }) }, { additionalProperties: false }),
      response: { 200: WishViewSchema, ...errors }
    }
  }, async request => changeWish(request, 'need.verify', 'wish.verify', request.params.id,
    trx => verifyWish(trx, regionScopeFor(request.principal, 'need.verify'), request.params.id, request.body.visitNote, request.principal?.userId ?? null)))

  app.post('/api/v1/wishes/:id/reject', {
    config: { access: 'need.verify' },
    schema: { tags, summary: '不予通过（须说明理由）/ reject with a reason', params: IdParams, body: Reason, response: { 200: WishViewSchema, ...errors } }
  }, async request => changeWish(request, 'need.verify', 'wish.reject', request.params.id, trx => rejectWish(trx, regionScopeFor(request.principal, 'need.verify'), request.params.id, request.body.reason)))

  app.post('/api/v1/wishes/:id/publish', {
    config: { access: 'need.verify' },
    schema: {
      tags, summary: '去标识化后发布给爱心人士（k-匿名）/ publish de-identified',
      description: 'The answer is the wish with `removed`: what the de-identification took out of its item and story, as typed — `[{ field: "story", kind: "phone" | "id_number" | "digits" | "address" | "name", text }]` — for the clerk to check.',
      params: IdParams, response: { 200: PublishedWishSchema, ...errors }
    }
  }, async request => {
    let removed: WishRemoval[] = []
    const wish = await changeWish(request, 'need.verify', 'wish.publish', request.params.id, async trx => {
      ({ removed } = await publishWish(trx, regionScopeFor(request.principal, 'need.verify'), request.params.id, { keys: app.config, k: app.config.kAnonymity, asOf: today() }))
    })
    return { ...wish, removed }
  })

  app.post('/api/v1/wishes/:id/withdraw', {
    config: { access: 'need.write' },
    schema: { tags, summary: '撤回（须说明理由）/ withdraw with a reason', params: IdParams, body: Reason, response: { 200: WishViewSchema, ...errors } }
  }, async request => changeWish(request, 'need.write', 'wish.withdraw', request.params.id, trx => withdrawWish(trx, regionScopeFor(request.principal, 'need.write'), request.params.id, request.body.reason)))

  app.post('/api/v1/wishes/:id/photos', {
    config: { access: 'need.write' },
    bodyLimit: EVIDENCE_MAX_BYTES + 1,
    schema: {
      tags, summary: '上传心愿照片（仅工作人员可见；JPEG、PNG，≤ 5 MB，作为请求体）/ upload a photo (staff only)', params: IdParams,
      querystring: Type.Object({ fileName: Type.String({ minLength: 1, maxLength: 200, default: 'photo' }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ id: Type.Integer() }), ...errors, 413: errorResponseSchema, 415: errorResponseSchema }
    }
  }, async (request, reply) => {
    const wish = await getWish(app.db, regionScopeFor(request.principal, 'need.write'), request.params.id)
    const id = await storeEvidence(app.db, app.config.dataDir, { wishId: wish.id }, request.query.fileName, request.body, request.principal?.userId ?? null)
    await request.audit({ action: 'wish.photo', record: { type: 'wish', id: wish.id, regionCode: wish.regionCode }, details: { evidenceId: id } })
    return reply.status(201).send({ id })
  })

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
