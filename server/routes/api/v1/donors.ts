// Donors: their own profile and giving preferences, the messages we send them (a lapsed claim,
// thanks), wishes recommended to them; and the donor list for the staff who work with them
// (names and contacts: every read audited).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { recommendWishes, RECOMMEND_FACTORS } from '../../../../matching/recommend.js'
import { forbidden } from '../../../auth/errors.js'
import { auditDonorContactsRead } from '../../../audit/pii-read.js'
import type { Db } from '../../../db/database.js'
import { AppError, errorResponseSchema, notFound } from '../../../http/errors.js'
import type { PublicWish } from '../../../needs/public-view.js'
import { today } from '../../../registry/dates.js'
import { DonorPreferencesSchema, IdParams, PublicWishSchema, type DonorPreferencesInput } from '../../../schemas/needs.js'

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const tags = ['donors']

const DEFAULT_PREFERENCES: DonorPreferencesInput = { regionCodes: [], kinds: [], wishCategories: [], minValue: 0, maxValue: 1e7, hardships: [] }

const Donor = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum(['individual', 'enterprise']),
  name: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  preferences: DonorPreferencesSchema,
  createdAt: Type.String()
})

function donorOf (request: FastifyRequest): number {
  const donorId = request.principal?.donorId
  if (donorId == null) throw forbidden('仅爱心人士账号 (donor accounts only)')
  return donorId
}

const donorQuery = (db: Db) => db.selectFrom('donors').select(['id', 'kind', 'name', 'phone', 'email', 'preferences', 'created_at'])
type DonorRow = Awaited<ReturnType<ReturnType<typeof donorQuery>['executeTakeFirstOrThrow']>>

const toDonor = (row: DonorRow) => ({
  id: row.id, kind: row.kind, name: row.name, phone: row.phone, email: row.email,
  preferences: { ...DEFAULT_PREFERENCES, ...(row.preferences as Partial<DonorPreferencesInput>) }, createdAt: row.created_at.toISOString()
})

async function loadDonor (db: Db, id: number) {
  const row = await donorQuery(db).where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('该爱心人士 (donor)')
  return toDonor(row)
}

export const donorRoutes: FastifyPluginAsyncTypebox = async app => {
  app.get('/api/v1/donors/me', {
    config: { access: 'donor.self' },
    schema: { tags, summary: '我的资料与捐赠偏好 / my profile and preferences', response: { 200: Donor, ...errors } }
  }, async request => loadDonor(app.db, donorOf(request)))

  app.patch('/api/v1/donors/me', {
    config: { access: 'donor.self' },
    schema: {
      tags, summary: '修改资料与捐赠偏好 / change my profile and preferences',
      body: Type.Object({
        name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        preferences: Type.Optional(DonorPreferencesSchema)
      }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: Donor, ...errors }
    }
  }, async request => {
    const id = donorOf(request)
    const { name, preferences } = request.body
    if (preferences && preferences.minValue > preferences.maxValue) {
      throw new AppError(400, 'validation_failed', '最低金额不能高于最高金额 (minValue above maxValue)', [{ field: 'body.preferences.minValue', code: 'range', message: 'must not exceed maxValue' }])
    }
    return app.db.transaction().execute(async trx => {
      const before = await loadDonor(trx, id)
      await trx.updateTable('donors').set({ ...(name ? { name } : {}), ...(preferences ? { preferences: JSON.stringify(preferences) } : {}) }).where('id', '=', id).execute()
      const after = await loadDonor(trx, id)
      // Donors belong to no region: their own changes are for administrators.
      await request.audit({ action: 'donor.update', record: { type: 'donor', id }, before: { name: before.name, preferences: before.preferences }, after: { name: after.name, preferences: after.preferences } }, trx)
      return after
    })
  })

  app.get('/api/v1/donors/me/messages', {
    config: { access: 'donor.self' },
    schema: {
      tags, summary: '我的消息（认领到期、感谢与成效）/ my messages',
      querystring: Type.Object({ unread: Type.Optional(Type.Boolean()), limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }, { additionalProperties: false }),
      response: { 200: Type.Array(Type.Object({ id: Type.Integer(), kind: Type.String(), claimId: Type.Union([Type.Integer(), Type.Null()]), body: Type.String(), createdAt: Type.String(), read: Type.Boolean() })), ...errors }
    }
  }, async request => {
    let query = app.db.selectFrom('donor_messages').select(['id', 'kind', 'claim_id', 'body', 'created_at', 'read_at']).where('donor_id', '=', donorOf(request))
    if (request.query.unread) query = query.where('read_at', 'is', null)
    const rows = await query.orderBy('id', 'desc').limit(request.query.limit).execute()
    return rows.map(m => ({ id: m.id, kind: m.kind, claimId: m.claim_id, body: m.body, createdAt: m.created_at.toISOString(), read: m.read_at !== null }))
  })

  app.post('/api/v1/donors/me/messages/:id/read', {
    config: { access: 'donor.self' },
    schema: { tags, summary: '标为已读 / mark read', params: IdParams, response: { 204: Type.Null(), ...errors } }
  }, async (request, reply) => {
    const updated = await app.db.updateTable('donor_messages').set({ read_at: new Date() })
      .where('id', '=', request.params.id).where('donor_id', '=', donorOf(request)).executeTakeFirst()
    if (updated.numUpdatedRows === 0n) throw notFound('该消息 (message)')
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
    if (preferences.kinds.length > 0 && !preferences.kinds.includes('wish')) return []
    const rows = await app.db.selectFrom('wishes').select('public_view').where('state', '=', 'published').execute()
    const views = new Map(rows.map(r => [(r.public_view as PublicWish).id, r.public_view as PublicWish]))
    // Only what the donor may see takes part: the shown place, never the real village.
    const published = [...views.values()].map(v => ({ id: v.id, regionCode: v.villageCode ?? v.townCode, category: v.category, value: v.value, publishedOn: v.publishedAt.slice(0, 10), neededBy: v.neededBy }))
    return recommendWishes(preferences, published, today(), request.query.limit).map(r => ({ wish: views.get(r.wishId) as PublicWish, score: r.score, factors: r.factors }))
  })

  app.get('/api/v1/donors', {
    config: { access: 'donor.read' },
    schema: {
      tags, summary: '爱心人士与爱心企业 / donors',
      querystring: Type.Object({ kind: Type.Optional(Type.Enum(['individual', 'enterprise'])), limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }), offset: Type.Integer({ minimum: 0, default: 0 }) }, { additionalProperties: false }),
      response: { 200: Type.Array(Donor), ...errors }
    }
  }, async request => {
    let query = donorQuery(app.db)
    if (request.query.kind) query = query.where('kind', '=', request.query.kind)
    const rows = await query.orderBy('id').limit(request.query.limit).offset(request.query.offset).execute()
    if (rows.length > 0) await auditDonorContactsRead(request, rows.map(row => row.id))
    return rows.map(toDonor)
  })
}
