// 梦想小屋 for civil-affairs staff (/work/dream-rooms): the region's rooms by stage, with each
// stage's due date and whether it is overdue; a room's stages with their evidence photos; and
// carrying a room through a stage — the photo that documents it, then its completion. The same
// domain functions and access rules as /api/v1/dream-rooms (need.read over the region;
// dream_room.progress checked on the room by dream-rooms/actions.ts).
import { createReadStream } from 'node:fs'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { authorize } from '../../../auth/policy.js'
import type { UploadedFile } from '../../../auth/plugin.js'
import { formBody } from '../../../auth/csrf.js'
import { today } from '../../../clock.js'
import { addRoomEvidenceFor, completeStageFor, guardFor } from '../../../dream-rooms/actions.js'
import { ROOM_STAGES, STAGES, type RoomStage, type Stage } from '../../../dream-rooms/stages.js'
import { getStaffRoom, listStaffRooms, type StaffRoom } from '../../../dream-rooms/views.js'
import { EVIDENCE_MAX_BYTES, evidenceFile } from '../../../files/evidence.js'
import { AppError } from '../../../http/errors.js'
import { CompletionSchema, StageParams } from '../../../schemas/dream-rooms.js'
import { IdParams } from '../../../schemas/needs.js'
import { setFlash } from '../../../web/flash.js'
import { blankForm, submitForm } from '../../../web/forms.js'
import { daysLeft, dateTime, yuan } from '../../../web/format.js'
import { pagination } from '../../../web/pagination.js'
import { nameOf, ROOM_EVIDENCE_NAMES, ROOM_STAGE_NAMES } from '../../../web/work-names.js'
import { withQuery, workRegion } from './context.js'

const PER_PAGE = 20
const ListQuery = Type.Object({
  stage: Type.Optional(Type.Enum(ROOM_STAGES)),
  overdue: Type.Optional(Type.Boolean()),
  page: Type.Integer({ minimum: 1, maximum: 10000, default: 1 })
}, { additionalProperties: false })
const CompleteForm = formBody(CompletionSchema.properties)
const EvidenceParams = Type.Object({ id: Type.Integer({ minimum: 1 }), evidenceId: Type.Integer({ minimum: 1 }) })

/** A room as the list shows it: its stage in words and the current stage's due date, days left or overdue. */
function roomRow (room: StaffRoom, asOf: string) {
  const current = room.stages.find(s => s.stage === room.stage && s.completedOn === null)
  return {
    ...room,
    stageName: nameOf(ROOM_STAGE_NAMES, room.stage),
    budget: yuan(room.budgetEstimate),
    due: current ? { on: current.dueOn, ...daysLeft(asOf, current.dueOn) } : null,
    evidenceHint: current ? ROOM_EVIDENCE_NAMES[current.stage] : null
  }
}

function photoOf (request: FastifyRequest): UploadedFile {
  const photo = (request.body as { photo?: UploadedFile } | undefined)?.photo
  if (!photo?.content?.length) throw new AppError(400, 'validation_failed', '请先拍照或选择一张照片', [{ field: 'body.photo', code: 'required', message: '请先拍照或选择一张照片' }])
  return photo
}

export const dreamRoomPages: FastifyPluginAsyncTypebox = async app => {
  const hide = { hide: true }

  app.get('/work/dream-rooms', { config: { access: 'need.read' }, attachValidation: true, schema: { ...hide, querystring: ListQuery } }, async (request, reply) => {
    const query: { stage?: RoomStage, overdue?: boolean, page: number } = request.validationError ? { page: 1 } : request.query
    const region = await workRegion(request, 'need.read')
    const asOf = today()
    const found = await listStaffRooms(app.db, region.scope, { stage: query.stage, overdue: query.overdue || undefined, limit: PER_PAGE, offset: (query.page - 1) * PER_PAGE }, asOf)
    const tab = (label: string, stage: RoomStage | undefined, overdue?: boolean) => ({
      label, href: withQuery('/work/dream-rooms', { stage, overdue }), current: query.stage === stage && Boolean(query.overdue) === Boolean(overdue)
    })
    const filtered = query.stage !== undefined || query.overdue === true
    return reply.page('work/dream-rooms', {
      title: '梦想小屋',
      breadcrumbs: [{ label: '工作台', href: '/work' }, { label: '梦想小屋' }],
      region,
      tabs: [tab('全部', undefined), tab('有阶段逾期', undefined, true), ...STAGES.map(s => tab(ROOM_STAGE_NAMES[s] as string, s)), tab('已完成', 'completed'), tab('已取消', 'cancelled')],
      total: found.total,
      filtered,
      rooms: found.items.map(r => roomRow(r, asOf)),
      pages: pagination(query.page, Math.ceil(found.total / PER_PAGE), page => withQuery('/work/dream-rooms', { stage: query.stage, overdue: query.overdue, page }))
    })
  })

  const roomPage = async (request: FastifyRequest, id: number) => {
    const asOf = today()
    const room = await getStaffRoom(app.db, guardFor(request, 'need.read'), id, asOf)
    const open = (STAGES as readonly string[]).includes(room.stage)
    const current = open ? room.stages.find(s => s.stage === room.stage) : undefined
    const canProgress = open && authorize(request.principal, 'dream_room.progress')
    const photos = (stage: Stage) => room.evidence.filter(e => e.stage === stage)
      .map(e => ({ ...e, href: `/work/dream-rooms/${id}/evidence/${e.id}`, image: e.contentType.startsWith('image/'), at: dateTime(e.uploadedAt) }))
    return {
      title: `梦想小屋：${room.maskedName}`,
      breadcrumbs: [{ label: '梦想小屋', href: '/work/dream-rooms' }, { label: room.maskedName }],
      room: roomRow(room, asOf),
      stages: room.stages.map(s => ({
        ...s, name: ROOM_STAGE_NAMES[s.stage], hint: ROOM_EVIDENCE_NAMES[s.stage], current: s === current,
        // Days left for the stage in hand, and for any later one already past its date.
        due: s.completedOn === null && open && (s === current || s.overdue) ? daysLeft(asOf, s.dueOn) : null, photos: photos(s.stage)
      })),
      current: current && { ...current, name: ROOM_STAGE_NAMES[current.stage], hint: ROOM_EVIDENCE_NAMES[current.stage], handover: current.stage === 'handover' },
      canProgress,
      open,
      maxBytes: EVIDENCE_MAX_BYTES,
      uploadAction: `/work/dream-rooms/${id}/evidence`,
      uploadForm: blankForm(),
      completeForm: blankForm()
    }
  }

  app.get('/work/dream-rooms/:id', { config: { access: 'need.read' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    return reply.page('work/dream-room', await roomPage(request, request.params.id))
  })

  app.post('/work/dream-rooms/:id/evidence', { config: { access: 'dream_room.progress' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'work/dream-room', data: () => roomPage(request, id), labels: { photo: '照片', stage: '阶段' }, as: 'uploadForm' }, async () => {
      const stage = (request.body as { stage?: unknown } | undefined)?.stage
      if (!STAGES.includes(stage as Stage)) throw new AppError(400, 'validation_failed', '请选择这张照片属于哪个阶段', [{ field: 'body.stage', code: 'enum', message: '请选择这张照片属于哪个阶段' }])
      const photo = photoOf(request)
      await addRoomEvidenceFor(request, id, stage as Stage, photo.fileName.slice(0, 200) || '照片', photo.content)
      setFlash(request, reply, 'success', `“${ROOM_STAGE_NAMES[stage as Stage]}”阶段的照片已上传。照片齐了就可以完成这一阶段。`)
      return reply.redirect(`/work/dream-rooms/${id}`, 303)
    })
  })

  app.post('/work/dream-rooms/:id/stages/:stage/complete', { config: { access: 'dream_room.progress' }, attachValidation: true, schema: { ...hide, params: StageParams, body: CompleteForm } }, async (request, reply) => {
    const { id, stage } = request.params
    return submitForm(request, reply, { view: 'work/dream-room', data: () => roomPage(request, id), labels: { actualCost: '实际费用', note: '说明' }, as: 'completeForm' }, async () => {
      const done = await completeStageFor(request, id, stage, { note: request.body.note, actualCost: request.body.actualCost })
      setFlash(request, reply, 'success', done.to === 'completed'
        ? '梦想小屋已交付，写入了家庭的救助链。'
        : `“${ROOM_STAGE_NAMES[stage]}”阶段已完成，进入“${nameOf(ROOM_STAGE_NAMES, done.to)}”。`)
      return reply.redirect(`/work/dream-rooms/${id}`, 303)
    })
  })

  // A stage's photo or document, for staff of the room's region (as GET /api/v1/dream-rooms/:id lists them).
  app.get('/work/dream-rooms/:id/evidence/:evidenceId', { config: { access: 'need.read' }, schema: { ...hide, params: EvidenceParams } }, async (request, reply) => {
    const room = await getStaffRoom(app.db, guardFor(request, 'need.read'), request.params.id, today())
    const file = await evidenceFile(app.db, app.config.dataDir, { dreamRoomId: room.id }, request.params.evidenceId)
    return reply.type(file.contentType).header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff').send(createReadStream(file.path))
  })
}
