// 梦想小屋: a child's room surveyed, designed, built and handed over, each stage with a due date
// and evidence. Civil-affairs staff of the region survey and see rooms whole; charity staff
// fund them from their projects and see them de-identified; both carry a funded room
// through its stages. Every change is audited in the transaction that makes it.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { listScope, regionScopeFor } from '../../../auth/policy.js'
import { addRoomEvidenceFor, completeStageFor, fundRoomFor, guardFor, roomRecord } from '../../../dream-rooms/actions.js'
import { adjustDueDates, cancelRoom } from '../../../dream-rooms/progress.js'
import { surveyRoom } from '../../../dream-rooms/survey.js'
import { getDeidentifiedRoom, getStaffRoom, listDeidentifiedRooms, listStaffRooms } from '../../../dream-rooms/views.js'
import { acceptUploads, EVIDENCE_MAX_BYTES } from '../../../files/evidence.js'
import { errorResponseSchema } from '../../../http/errors.js'
import { today } from '../../../clock.js'
import {
  CancelSchema, CompletionSchema, DeidentifiedRoomSchema, DueDateChangesSchema, EvidenceQuery, FundingSchema, NewRoomSchema, page,
  RoomFiltersSchema, RoomParams, StaffRoomSchema, StageParams
} from '../../../schemas/dream-rooms.js'

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const tags = ['needs']
const Transition = Type.Object({ id: Type.Integer(), from: Type.String(), to: Type.String(), chainEntryId: Type.Optional(Type.Integer()) })

const actor = (request: FastifyRequest) => request.principal?.userId ?? null
const record = roomRecord

export const dreamRoomRoutes: FastifyPluginAsyncTypebox = async app => {
  acceptUploads(app)

  app.post('/api/v1/dream-rooms', {
    config: { access: 'need.write' },
    schema: { tags, summary: '登记入户调查，建立梦想小屋 / record a survey', body: NewRoomSchema, response: { 201: StaffRoomSchema, ...errors } }
  }, async (request, reply) => {
    const on = today()
    const id = await app.db.transaction().execute(async trx => {
      const created = await surveyRoom(trx, guardFor(request, 'need.write'), request.body, actor(request), on)
      await request.audit({ action: 'dream_room.survey', record: await record(trx, created), after: request.body }, trx)
      return created
    })
    return reply.status(201).send(await getStaffRoom(app.db, guardFor(request, 'need.write'), id, on))
  })

  app.get('/api/v1/dream-rooms', {
    config: { access: 'need.read' },
    schema: { tags, summary: '梦想小屋列表（本辖区）/ rooms in your region', querystring: RoomFiltersSchema, response: { 200: page(StaffRoomSchema), ...errors } }
  }, async request => listStaffRooms(app.db, regionScopeFor(request.principal, 'need.read'), request.query, today()))

  app.get('/api/v1/dream-rooms/offers', {
    config: { access: 'dream_room.offer' },
    schema: { tags, summary: '待资助的梦想小屋（去标识化）/ rooms awaiting a funder, de-identified', querystring: RoomFiltersSchema, response: { 200: page(DeidentifiedRoomSchema), ...errors } }
  }, async request => listDeidentifiedRooms(app.db, app.config, { unfunded: true }, request.query, today()))

  app.get('/api/v1/dream-rooms/funded', {
    config: { access: 'dream_room.read_deidentified' },
    schema: { tags, summary: '本机构项目资助的梦想小屋（去标识化）/ rooms your projects fund, de-identified', querystring: RoomFiltersSchema, response: { 200: page(DeidentifiedRoomSchema), ...errors } }
  }, async request => {
    const scope = listScope(request.principal, 'dream_room.read_deidentified')
    if (!scope.everywhere && scope.organisationId === undefined) return { total: 0, items: [] }
    return listDeidentifiedRooms(app.db, app.config, { funded: true, organisationId: scope.everywhere ? undefined : scope.organisationId }, request.query, today())
  })

  app.get('/api/v1/dream-rooms/:id', {
    config: { access: 'need.read' },
    schema: { tags, summary: '梦想小屋详情：阶段、凭证、项目账目 / a room with stages, evidence and account', params: RoomParams, response: { 200: StaffRoomSchema, ...errors } }
  }, async request => getStaffRoom(app.db, guardFor(request, 'need.read'), request.params.id, today()))

  app.get('/api/v1/dream-rooms/:id/summary', {
    config: { access: 'dream_room.read_deidentified' },
    schema: { tags, summary: '去标识化的梦想小屋（资助机构）/ a funded room, de-identified', params: RoomParams, response: { 200: DeidentifiedRoomSchema, ...errors } }
  }, async request => getDeidentifiedRoom(app.db, app.config, guardFor(request, 'dream_room.read_deidentified'), request.params.id, today()))

  app.post('/api/v1/dream-rooms/:id/funding', {
    config: { access: 'project.write' },
    schema: {
      tags, summary: '以本机构梦想小屋项目资助（承诺预算，不超支）/ fund from your project; commits the estimate', params: RoomParams, body: FundingSchema,
      response: { 200: DeidentifiedRoomSchema, ...errors }
    }
  }, async request => {
    const { id } = request.params
    await fundRoomFor(request, id, request.body.projectId)
    return getDeidentifiedRoom(app.db, app.config, guardFor(request, 'dream_room.read_deidentified'), id, today())
  })

  app.post('/api/v1/dream-rooms/:id/evidence', {
    config: { access: 'dream_room.progress' },
    bodyLimit: EVIDENCE_MAX_BYTES + 1,
    schema: {
      tags, summary: '上传阶段凭证（JPEG、PNG、PDF，≤ 5 MB，作为请求体）/ upload a stage\'s evidence', params: RoomParams, querystring: EvidenceQuery,
      response: { 201: Type.Object({ id: Type.Integer() }), ...errors, 413: errorResponseSchema, 415: errorResponseSchema }
    }
  }, async (request, reply) => {
    const { stage, fileName } = request.query
    const evidenceId = await addRoomEvidenceFor(request, request.params.id, stage, fileName, request.body)
    return reply.status(201).send({ id: evidenceId })
  })

  app.post('/api/v1/dream-rooms/:id/stages/:stage/complete', {
    config: { access: 'dream_room.progress' },
    schema: {
      tags, summary: '完成当前阶段（须有凭证；交付即完成并写入救助链）/ complete the current stage', params: StageParams, body: CompletionSchema,
      response: { 200: Transition, ...errors }
    }
  }, async request => {
    const { id, stage } = request.params
    return completeStageFor(request, id, stage, request.body)
  })

  app.patch('/api/v1/dream-rooms/:id/due-dates', {
    config: { access: 'dream_room.progress' },
    schema: {
      tags, summary: '调整未完成阶段的期限 / move due dates of stages not yet done', params: RoomParams, body: DueDateChangesSchema,
      response: { 200: Type.Object({ id: Type.Integer(), dueDates: Type.Record(Type.String(), Type.String()) }), ...errors }
    }
  }, async request => {
    const { id } = request.params
    return app.db.transaction().execute(async trx => {
      const { before, after } = await adjustDueDates(trx, guardFor(request, 'dream_room.progress'), id, request.body)
      await request.audit({ action: 'dream_room.due_dates', record: await record(trx, id), before, after }, trx)
      return { id, dueDates: after }
    })
  })

  app.post('/api/v1/dream-rooms/:id/cancel', {
    config: { access: 'need.write' },
    schema: {
      tags, summary: '取消（须说明理由；释放已承诺的预算）/ cancel with a reason; releases the commitment', params: RoomParams, body: CancelSchema,
      response: { 200: Type.Object({ id: Type.Integer(), stage: Type.Literal('cancelled'), released: Type.Number() }), ...errors }
    }
  }, async request => {
    const { id } = request.params
    return app.db.transaction().execute(async trx => {
      const { from, released } = await cancelRoom(trx, guardFor(request, 'need.write'), id, request.body.reason)
      await request.audit({ action: 'dream_room.cancel', record: await record(trx, id), before: { stage: from }, after: { stage: 'cancelled', reason: request.body.reason, released } }, trx)
      return { id, stage: 'cancelled' as const, released }
    })
  })
}
