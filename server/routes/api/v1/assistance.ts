// 一户一条救助链: a household's assistance chain, government help appended to it by civil
// affairs of its region, and an entry corrected by appending its reversal (never edited).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { regionScopeFor } from '../../../auth/policy.js'
import { today } from '../../../clock.js'
import type { Db } from '../../../db/database.js'
import { errorResponseSchema } from '../../../http/errors.js'
import { appendAssistance, householdRegion, listAssistance, reverseAssistance } from '../../../registry/assistance.js'
import { chainStandings } from '../../../registry/decisions.js'
import { getHousehold } from '../../../registry/households.js'
import { AssistanceEntrySchema, CalendarDate, ChainEntrySchema, ReversalSchema } from '../../../schemas/household.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const tags = ['registry']

/** An assistance entry as an audit record's subject, under its household's region. */
const entryRecord = async (trx: Db, entry: { id: number, householdId: number }) =>
  ({ type: 'assistance_entry', id: entry.id, regionCode: await householdRegion(trx, entry.householdId) ?? null })

export const assistanceRoutes: FastifyPluginAsyncTypebox = async app => {
  app.get('/api/v1/households/:id/assistance', {
    config: { access: 'assistance.read' },
    schema: { tags, summary: '一户一条救助链（含每条给予时有效的认定）/ the assistance chain, each entry with the decision in force on its day', params: IdParams, response: { 200: Type.Array(ChainEntrySchema), ...errors } }
  }, async request => {
    await getHousehold(app.db, regionScopeFor(request.principal, 'assistance.read'), request.params.id)
    return chainStandings(app.db, request.params.id, await listAssistance(app.db, request.params.id))
  })

  app.post('/api/v1/households/:id/assistance', {
    config: { access: 'assistance.write' },
    schema: {
      tags,
      summary: '登记政府救助 / append a government assistance entry',
      params: IdParams,
      body: Type.Object({
        kind: Type.String({ minLength: 1, maxLength: 60, description: '救助类别，如 dibao_payment、medical_assistance、temporary_assistance' }),
        personId: Type.Optional(Type.Integer({ minimum: 1 })),
        tags: Type.Array(Type.String({ maxLength: 40 }), { default: [], maxItems: 10 }),
        value: Type.Number({ minimum: 0, maximum: 1e9 }),
        occurredOn: CalendarDate,
        provider: Type.String({ minLength: 1, maxLength: 100, description: '实施部门' }),
        reference: Type.Optional(Type.String({ maxLength: 100 }))
      }, { additionalProperties: false }),
      response: { 201: AssistanceEntrySchema, ...errors }
    }
  }, async (request, reply) => {
    const entry = await app.db.transaction().execute(async trx => {
      const appended = await appendAssistance(trx, regionScopeFor(request.principal, 'assistance.write'), { ...request.body, householdId: request.params.id, source: 'government' })
      await request.audit({ action: 'assistance.append', record: await entryRecord(trx, appended), after: appended }, trx)
      return appended
    })
    return reply.status(201).send(entry)
  })

  app.post('/api/v1/assistance/:id/reversal', {
    config: { access: 'assistance.write' },
    schema: {
      tags,
      summary: '冲正一条救助记录 / reverse an entry (the original stays)',
      params: IdParams,
      body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 200 }), on: Type.Optional(CalendarDate) }, { additionalProperties: false }),
      response: { 201: ReversalSchema, ...errors }
    }
  }, async (request, reply) => {
    const entry = await app.db.transaction().execute(async trx => {
      const reversal = await reverseAssistance(trx, regionScopeFor(request.principal, 'assistance.write'), request.params.id, request.body.reason, request.body.on ?? today())
      await request.audit({ action: 'assistance.reverse', record: await entryRecord(trx, reversal), after: reversal }, trx)
      return reversal
    })
    return reply.status(201).send(entry)
  })
}
