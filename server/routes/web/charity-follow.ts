// Following help through to the household (/charity/fulfilments): confirmed proposals with
// their due days, evidence from the phone's camera, delivery, cancellation with a reason, and
// the receipt civil affairs record; and dream rooms (/charity/dream-rooms): rooms awaiting a
// funder, funding one from the organisation's project, and carrying a funded room through its
// stages with evidence. Each action calls the function its API twin calls
// (proposals/fulfil-actions.ts, dream-rooms/actions.ts) under the same access rule.
import { createReadStream } from 'node:fs'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { listScope, reachesFor } from '../../auth/policy.js'
import type { UploadedFile } from '../../auth/plugin.js'
import { formBody } from '../../auth/csrf.js'
import { today } from '../../clock.js'
import { addRoomEvidenceFor, completeStageFor, fundRoomFor, guardFor } from '../../dream-rooms/actions.js'
import { STAGES, type Stage } from '../../dream-rooms/stages.js'
import { getDeidentifiedRoom, listDeidentifiedRooms } from '../../dream-rooms/views.js'
import { EVIDENCE_MAX_BYTES, evidenceFile } from '../../files/evidence.js'
import { AppError } from '../../http/errors.js'
import { listFulfilments } from '../../proposals/fulfil.js'
import { addFulfilmentEvidence, cancelHelp, reachableFulfilment, recordDelivery } from '../../proposals/fulfil-actions.js'
import { proposalBrief } from '../../proposals/views.js'
import { placeOf, regionNames } from '../../registry/regions.js'
import { CompletionSchema, FundingSchema, StageParams } from '../../schemas/dream-rooms.js'
import { IdParams } from '../../schemas/needs.js'
import { CalendarDate } from '../../schemas/household.js'
import { listProjects } from '../../supply/projects.js'
import { setFlash } from '../../web/flash.js'
import { blankForm, submitForm } from '../../web/forms.js'
import { daysLeft } from '../../web/format.js'
import { pagination } from '../../web/pagination.js'
import { ROOM_EVIDENCE_NAMES, ROOM_STAGE_NAMES } from '../../web/work-names.js'

const PER_PAGE = 20
const STATE_NAMES: Record<string, string> = { in_progress: '落实中', delivered: '已送达，待签收', received: '已签收', cancelled: '已取消' }
const DeliveredForm = formBody({ on: Type.Optional(CalendarDate), note: Type.Optional(Type.String({ maxLength: 500 })) })
const CancelForm = formBody({ reason: Type.String({ minLength: 2, maxLength: 500 }) })
const FundForm = formBody(FundingSchema.properties)
const CompleteForm = formBody(CompletionSchema.properties)
const EvidenceParams = Type.Object({ id: Type.Integer({ minimum: 1 }), evidenceId: Type.Integer({ minimum: 1 }) })

/** The photo of a multipart form, or a refusal beside its field. */
function photoOf (request: FastifyRequest): UploadedFile {
  const photo = (request.body as { photo?: UploadedFile } | undefined)?.photo
  if (!photo?.content?.length) throw new AppError(400, 'validation_failed', '请先选择或拍摄一张照片', [{ field: 'body.photo', code: 'required', message: '请先选择或拍摄一张照片' }])
  return photo
}

export const charityFollowPages: FastifyPluginAsyncTypebox = async app => {
  const hide = { hide: true }

  // —— Fulfilments ——
  const FulfilmentList = Type.Object({
    state: Type.Optional(Type.Enum(['in_progress', 'delivered', 'received', 'cancelled'])),
    overdue: Type.Optional(Type.Boolean()),
    page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 })
  }, { additionalProperties: false })

  app.get('/charity/fulfilments', { config: { access: 'fulfilment.read' }, attachValidation: true, schema: { ...hide, querystring: FulfilmentList } }, async (request, reply) => {
    const query = request.validationError ? { page: 1 } as { state?: string, overdue?: boolean, page: number } : request.query
    const asOf = today()
    const found = await listFulfilments(app.db, listScope(request.principal, 'fulfilment.read'), { ...(query.state ? { state: query.state } : {}), ...(query.overdue !== undefined ? { overdue: query.overdue } : {}), limit: PER_PAGE + 1, offset: (query.page - 1) * PER_PAGE }, asOf)
    const shown = found.slice(0, PER_PAGE)
    const briefs = await Promise.all(shown.map(f => proposalBrief(app.db, f.proposalId)))
    const names = await regionNames(app.db, shown.flatMap(f => [f.regionCode, f.regionCode.slice(0, 9)]))
    const link = (changes: Record<string, unknown>) => {
      const params = new URLSearchParams(Object.entries({ ...query, ...changes }).filter(([key, value]) => value !== undefined && !(key === 'page' && value === 1)).map(([k, v]) => [k, String(v)] as [string, string]))
      return `/charity/fulfilments${params.size > 0 ? `?${params.toString()}` : ''}`
    }
    return reply.page('charity/fulfilments', {
      title: '落实跟进', tab: 'fulfilments', breadcrumbs: [{ label: '慈善工作台', href: '/charity' }, { label: '落实跟进' }],
      tabs: [
        { label: '全部', href: link({ state: undefined, overdue: undefined, page: 1 }), current: !query.state && query.overdue === undefined },
        { label: '已逾期', href: link({ state: undefined, overdue: true, page: 1 }), current: query.overdue === true },
        ...(['in_progress', 'delivered', 'received', 'cancelled'] as const).map(state => ({ label: STATE_NAMES[state], href: link({ state, overdue: undefined, page: 1 }), current: query.state === state && query.overdue === undefined }))
      ],
      fulfilments: shown.map((f, i) => ({
        ...f, stateName: STATE_NAMES[f.state], place: placeOf(names, f.regionCode), brief: briefs[i],
        due: f.state === 'in_progress' ? daysLeft(asOf, f.dueOn) : null
      })),
      pages: pagination(query.page, query.page + (found.length > PER_PAGE ? 1 : 0), page => link({ page }))
    })
  })

  const fulfilmentPage = async (request: FastifyRequest, id: number) => {
    const view = await reachableFulfilment(request, 'fulfilment.read', id)
    const brief = await proposalBrief(app.db, id)
    const names = await regionNames(app.db, [view.regionCode, view.regionCode.slice(0, 9)])
    const asOf = today()
    const mayAct = reachesFor(request.principal, 'project.write').length > 0
    return {
      title: `落实：${brief?.projectTitle ?? ''} · 推荐 ${id}`, tab: 'fulfilments',
      breadcrumbs: [{ label: '慈善工作台', href: '/charity' }, { label: '落实跟进', href: '/charity/fulfilments' }, { label: `推荐 ${id}` }],
      fulfilment: { ...view, stateName: STATE_NAMES[view.state], place: placeOf(names, view.regionCode), due: view.state === 'in_progress' ? daysLeft(asOf, view.dueOn) : null },
      brief,
      evidence: view.evidence.map(e => ({ ...e, href: `/charity/fulfilments/${id}/evidence/${e.id}`, image: e.contentType.startsWith('image/') })),
      steps: [
        { label: brief?.decidedOn ? `民政确认（${brief.decidedOn}）` : '民政确认', done: true },
        { label: view.deliveredOn ? `送达（${view.deliveredOn}）` : '送达并上传凭证', done: view.deliveredOn !== null },
        { label: view.receivedOn ? `家庭签收（${view.receivedOn}）` : '家庭签收（由村社区登记）', done: view.receivedOn !== null }
      ],
      canUpload: mayAct && (view.state === 'in_progress' || view.state === 'delivered'),
      canDeliver: mayAct && view.state === 'in_progress',
      canCancel: view.state === 'in_progress',
      maxBytes: EVIDENCE_MAX_BYTES,
      uploadAction: `/charity/fulfilments/${id}/evidence`,
      deliveredForm: blankForm({ on: asOf }),
      cancelForm: blankForm()
    }
  }

  app.get('/charity/fulfilments/:id', { config: { access: 'fulfilment.read' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    return reply.page('charity/fulfilment', await fulfilmentPage(request, request.params.id))
  })

  app.get('/charity/fulfilments/:id/evidence/:evidenceId', { config: { access: 'fulfilment.read' }, schema: { ...hide, params: EvidenceParams } }, async (request, reply) => {
    await reachableFulfilment(request, 'fulfilment.read', request.params.id)
    const file = await evidenceFile(app.db, app.config.dataDir, { proposalId: request.params.id }, request.params.evidenceId)
    return reply.type(file.contentType).header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff').send(createReadStream(file.path))
  })

  app.post('/charity/fulfilments/:id/evidence', { config: { access: 'project.write' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'charity/fulfilment', data: () => fulfilmentPage(request, id), labels: { photo: '照片' }, as: 'uploadForm' }, async () => {
      const photo = photoOf(request)
      await addFulfilmentEvidence(request, id, photo.fileName.slice(0, 200) || '凭证', photo.content)
      setFlash(request, reply, 'success', '凭证已上传。帮扶交到家庭手中后，请点“登记送达”。')
      return reply.redirect(`/charity/fulfilments/${id}`, 303)
    })
  })

  app.post('/charity/fulfilments/:id/delivered', { config: { access: 'project.write' }, attachValidation: true, schema: { ...hide, params: IdParams, body: DeliveredForm } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'charity/fulfilment', data: () => fulfilmentPage(request, id), labels: { on: '送达日期', note: '送达说明' }, as: 'deliveredForm' }, async () => {
      await recordDelivery(request, id, { on: request.body.on, note: request.body.note })
      setFlash(request, reply, 'success', '已登记送达。村（社区）工作人员向家庭确认签收后，帮扶写入救助链，项目计入支出。')
      return reply.redirect(`/charity/fulfilments/${id}`, 303)
    })
  })

  app.post('/charity/fulfilments/:id/cancel', { config: { access: 'fulfilment.cancel' }, attachValidation: true, schema: { ...hide, params: IdParams, body: CancelForm } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'charity/fulfilment', data: () => fulfilmentPage(request, id), labels: { reason: '取消的原因' }, as: 'cancelForm' }, async () => {
      await cancelHelp(request, id, request.body.reason)
      setFlash(request, reply, 'info', '帮扶已取消，承诺的预算已释放。')
      return reply.redirect(`/charity/fulfilments/${id}`, 303)
    })
  })

  // —— Dream rooms ——
  const RoomList = Type.Object({ show: Type.Enum(['offers', 'funded'], { default: 'offers' }), page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }) }, { additionalProperties: false })

  /** The organisation's open dream-room projects (administrators: every organisation's), to fund a room from. */
  const roomProjects = async (request: FastifyRequest) => {
    const everywhere = reachesFor(request.principal, 'project.write').includes('all')
    const organisationId = request.principal?.organisationId ?? undefined
    if (!everywhere && organisationId === undefined) return []
    const projects = await listProjects(app.db, { status: 'open', kind: 'dream_room', ...(everywhere ? {} : { organisationId }), limit: 50, offset: 0 }, null)
    return projects.map(p => ({ id: p.id, title: p.title, available: p.available }))
  }

  const roomsPage = async (request: FastifyRequest, query: { show: 'offers' | 'funded', page: number }) => {
    const asOf = today()
    const filters = { limit: PER_PAGE, offset: (query.page - 1) * PER_PAGE }
    let found = { total: 0, items: [] as Awaited<ReturnType<typeof listDeidentifiedRooms>>['items'] }
    if (query.show === 'offers') found = await listDeidentifiedRooms(app.db, app.config, { unfunded: true }, filters, asOf)
    else {
      const scope = listScope(request.principal, 'dream_room.read_deidentified')
      if (scope.everywhere || scope.organisationId !== undefined) found = await listDeidentifiedRooms(app.db, app.config, { funded: true, organisationId: scope.everywhere ? undefined : scope.organisationId }, filters, asOf)
    }
    return {
      title: '梦想小屋', tab: 'rooms', breadcrumbs: [{ label: '慈善工作台', href: '/charity' }, { label: '梦想小屋' }],
      show: query.show,
      tabs: [{ label: '等待资助', href: '/charity/dream-rooms', current: query.show === 'offers' }, { label: '本机构资助的', href: '/charity/dream-rooms?show=funded', current: query.show === 'funded' }],
      rooms: found.items.map(room => ({ ...room, stageName: ROOM_STAGE_NAMES[room.stage] })),
      total: found.total,
      projects: await roomProjects(request),
      pages: pagination(query.page, Math.ceil(found.total / PER_PAGE), page => `/charity/dream-rooms?show=${query.show}&page=${page}`)
    }
  }

  app.get('/charity/dream-rooms', { config: { access: 'dream_room.offer' }, attachValidation: true, schema: { ...hide, querystring: RoomList } }, async (request, reply) => {
    const query = request.validationError ? { show: 'offers' as const, page: 1 } : request.query
    return reply.page('charity/dream-rooms', { ...await roomsPage(request, query), form: blankForm() })
  })

  app.post('/charity/dream-rooms/:id/fund', { config: { access: 'project.write' }, attachValidation: true, schema: { ...hide, params: IdParams, body: FundForm } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'charity/dream-rooms', data: () => roomsPage(request, { show: 'offers', page: 1 }), labels: { projectId: '资助项目' } }, async () => {
      await fundRoomFor(request, id, request.body.projectId)
      setFlash(request, reply, 'success', '已资助这间梦想小屋，预算已承诺。请和村（社区）一起推进设计和施工，每个阶段上传凭证。')
      return reply.redirect(`/charity/dream-rooms/${id}`, 303)
    })
  })

  const roomPage = async (request: FastifyRequest, id: number) => {
    const asOf = today()
    const room = await getDeidentifiedRoom(app.db, app.config, guardFor(request, 'dream_room.read_deidentified'), id, asOf)
    const current = room.stages.find(s => s.completedOn === null)
    return {
      title: `梦想小屋：${room.title}`, tab: 'rooms',
      breadcrumbs: [{ label: '慈善工作台', href: '/charity' }, { label: '梦想小屋', href: '/charity/dream-rooms?show=funded' }, { label: room.title }],
      room: { ...room, stageName: ROOM_STAGE_NAMES[room.stage] },
      stages: room.stages.map(s => ({ ...s, name: ROOM_STAGE_NAMES[s.stage], current: s === current, hint: ROOM_EVIDENCE_NAMES[s.stage] })),
      current: current && { ...current, name: ROOM_STAGE_NAMES[current.stage], hint: ROOM_EVIDENCE_NAMES[current.stage], handover: current.stage === 'handover' },
      open: room.stage !== 'completed' && room.stage !== 'cancelled',
      maxBytes: EVIDENCE_MAX_BYTES,
      uploadAction: `/charity/dream-rooms/${id}/evidence`,
      completeForm: blankForm()
    }
  }

  app.get('/charity/dream-rooms/:id', { config: { access: 'dream_room.read_deidentified' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    return reply.page('charity/dream-room', await roomPage(request, request.params.id))
  })

  app.post('/charity/dream-rooms/:id/evidence', { config: { access: 'dream_room.progress' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'charity/dream-room', data: () => roomPage(request, id), labels: { photo: '照片', stage: '阶段' }, as: 'uploadForm' }, async () => {
      const stageName = (request.body as { stage?: unknown } | undefined)?.stage
      if (!STAGES.includes(stageName as Stage)) throw new AppError(400, 'validation_failed', '请选择阶段', [{ field: 'body.stage', code: 'enum', message: '请选择阶段' }])
      const photo = photoOf(request)
      await addRoomEvidenceFor(request, id, stageName as Stage, photo.fileName.slice(0, 200) || '凭证', photo.content)
      setFlash(request, reply, 'success', `“${ROOM_STAGE_NAMES[stageName as Stage]}”阶段的凭证已上传。`)
      return reply.redirect(`/charity/dream-rooms/${id}`, 303)
    })
  })

  app.post('/charity/dream-rooms/:id/stages/:stage/complete', { config: { access: 'dream_room.progress' }, attachValidation: true, schema: { ...hide, params: StageParams, body: CompleteForm } }, async (request, reply) => {
    const { id, stage } = request.params
    return submitForm(request, reply, { view: 'charity/dream-room', data: () => roomPage(request, id), labels: { actualCost: '实际费用', note: '说明' }, as: 'completeForm' }, async () => {
      const done = await completeStageFor(request, id, stage, { note: request.body.note, actualCost: request.body.actualCost })
      setFlash(request, reply, 'success', done.to === 'completed' ? '梦想小屋已交付，写入了家庭的救助链，实际费用计入项目支出。' : `“${ROOM_STAGE_NAMES[stage]}”阶段已完成，进入“${ROOM_STAGE_NAMES[done.to] ?? done.to}”。`)
      return reply.redirect(`/charity/dream-rooms/${id}`, 303)
    })
  })
}
