// Claims followed up by civil-affairs staff: overdue, delivered and waiting for the household's
// receipt (with the donor's proof photos), under way, confirmed, ended. The household's receipt
// is confirmed here (it queues the chain entry and the thanks), the signed 签收单 can be
// photographed and kept as the confirmation's evidence, and the 签收单 itself is printed here.
// The staff steps and the region scope of /api/v1/claims.
import { createReadStream } from 'node:fs'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { formBody } from '../../../auth/csrf.js'
import type { UploadedFile } from '../../../auth/plugin.js'
import { authorize, regionScopeFor } from '../../../auth/policy.js'
import { today } from '../../../clock.js'
import { EVIDENCE_MAX_BYTES, evidenceFile } from '../../../files/evidence.js'
import { AppError } from '../../../http/errors.js'
import { FOLLOW_UP_GROUPS, listFollowUp, staffClaim, type FollowUpGroup, type StaffClaim } from '../../../needs/follow-up.js'
import { addSignedReceipt, confirmReceipt } from '../../../needs/staff-steps.js'
import { getHousehold } from '../../../registry/households.js'
import { regionNames } from '../../../registry/regions.js'
import { CalendarDate } from '../../../schemas/household.js'
import { IdParams } from '../../../schemas/needs.js'
import { setFlash } from '../../../web/flash.js'
import { blankForm, submitForm } from '../../../web/forms.js'
import { daysLeft, dateTime, fullDate, yuan } from '../../../web/format.js'
import { pagination } from '../../../web/pagination.js'
import { CLAIM_STATE_NAMES, nameOf } from '../../../web/work-names.js'
import { withQuery, workRegion } from './context.js'

const PER_PAGE = 20
const GROUP_NAMES: Record<FollowUpGroup, string> = { overdue: '逾期未送达', delivered: '已送达待确认', active: '送达中', confirmed: '已确认收到', ended: '已结束' }
const ListQuery = Type.Object({
  group: Type.Enum(FOLLOW_UP_GROUPS, { default: 'delivered' }),
  page: Type.Integer({ minimum: 1, maximum: 10000, default: 1 })
}, { additionalProperties: false })
const ConfirmForm = formBody({ on: Type.Optional(CalendarDate) })
const EvidenceParams = Type.Object({ id: Type.Integer({ minimum: 1 }), evidenceId: Type.Integer({ minimum: 1 }) })

/** A claim as the follow-up shows it: days left or overdue, its state in words. */
function claimRow (c: StaffClaim, asOf: string) {
  const due = c.state === 'active' ? daysLeft(asOf, c.dueOn) : null
  return { ...c, value: yuan(c.value), stateName: nameOf(CLAIM_STATE_NAMES, c.state), due, claimedOn: fullDate(c.claimedAt.slice(0, 10)) }
}

export const claimPages: FastifyPluginAsyncTypebox = async app => {
  const hide = { hide: true }

  app.get('/work/claims', { config: { access: 'claim.read' }, attachValidation: true, schema: { ...hide, querystring: ListQuery } }, async (request, reply) => {
    const query = request.validationError ? { group: 'delivered' as const, page: 1 } : request.query
    const region = await workRegion(request, 'claim.read')
    const asOf = today()
    const { items, counts } = await listFollowUp(app.db, region.scope, query.group, { limit: PER_PAGE, offset: (query.page - 1) * PER_PAGE }, asOf)
    return reply.page('work/claims', {
      title: '认领跟进',
      breadcrumbs: [{ label: '工作台', href: '/work' }, { label: '认领跟进' }],
      region,
      group: query.group,
      groupName: GROUP_NAMES[query.group],
      tabs: FOLLOW_UP_GROUPS.map(group => ({ href: `/work/claims?group=${group}`, label: `${GROUP_NAMES[group]}（${counts[group]}）`, current: group === query.group })),
      claims: items.map(c => claimRow(c, asOf)),
      pages: pagination(query.page, Math.ceil(counts[query.group] / PER_PAGE), page => withQuery('/work/claims', { group: query.group, page }))
    })
  })

  const claimPage = async (request: FastifyRequest, id: number) => {
    const asOf = today()
    const claim = await staffClaim(app.db, regionScopeFor(request.principal, 'claim.read'), id, asOf)
    const places = await regionNames(app.db, [claim.regionCode, claim.regionCode.slice(0, 9)])
    const canConfirm = authorize(request.principal, 'need.verify')
    return {
      title: `认领：${claim.item}`,
      breadcrumbs: [{ label: '认领跟进', href: '/work/claims' }, { label: claim.item }],
      claim: { ...claimRow(claim, asOf), village: places.get(claim.regionCode) ?? '', town: places.get(claim.regionCode.slice(0, 9)) ?? '', deliveredOnText: claim.deliveredOn ? fullDate(claim.deliveredOn) : null, confirmedOnText: claim.confirmedOn ? fullDate(claim.confirmedOn) : null },
      publicView: claim.publicView,
      proofs: claim.evidence.filter(e => e.kind === 'proof').map(e => ({ ...e, href: `/work/claims/${id}/evidence/${e.id}`, image: e.contentType.startsWith('image/'), at: dateTime(e.uploadedAt) })),
      receipts: claim.evidence.filter(e => e.kind === 'signed_receipt').map(e => ({ ...e, href: `/work/claims/${id}/evidence/${e.id}`, image: e.contentType.startsWith('image/'), at: dateTime(e.uploadedAt) })),
      canConfirm: canConfirm && claim.state === 'delivered',
      canAttach: canConfirm && (claim.state === 'delivered' || claim.state === 'confirmed'),
      maxBytes: EVIDENCE_MAX_BYTES,
      confirmForm: blankForm({ on: asOf }),
      receiptForm: blankForm()
    }
  }

  app.get('/work/claims/:id', { config: { access: 'claim.read' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    return reply.page('work/claim', await claimPage(request, request.params.id))
  })

  app.post('/work/claims/:id/confirm', { config: { access: 'need.verify' }, attachValidation: true, schema: { ...hide, params: IdParams, body: ConfirmForm } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'work/claim', data: () => claimPage(request, id), labels: { on: '签收日期' }, as: 'confirmForm' }, async () => {
      const claim = await confirmReceipt(request, id, request.body.on ?? today())
      setFlash(request, reply, 'success', `已确认受助家庭收到“${claim.wish.item}”。这次帮扶会写入家庭的救助链，并向爱心人士致谢。`)
      return reply.redirect('/work/claims?group=delivered', 303)
    })
  })

  app.post('/work/claims/:id/signed-receipt', { config: { access: 'need.verify' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'work/claim', data: () => claimPage(request, id), labels: { photo: '签收单照片' }, as: 'receiptForm' }, async () => {
      const photo = (request.body as { photo?: UploadedFile } | undefined)?.photo
      if (!photo?.content?.length) throw new AppError(400, 'validation_failed', '请先拍下签收单', [{ field: 'body.photo', code: 'required', message: '请先拍下签收单' }])
      await addSignedReceipt(request, id, photo.fileName.slice(0, 200) || '签收单', photo.content)
      setFlash(request, reply, 'success', '签收单照片已保存，作为确认收到的凭证。')
      return reply.redirect(`/work/claims/${id}`, 303)
    })
  })

  // The donor's proof and the signed receipt, for staff of the wish's region (as GET /api/v1/claims/:id/evidence lists them).
  app.get('/work/claims/:id/evidence/:evidenceId', { config: { access: 'claim.read' }, schema: { ...hide, params: EvidenceParams } }, async (request, reply) => {
    const claim = await staffClaim(app.db, regionScopeFor(request.principal, 'claim.read'), request.params.id, today())
    const file = await evidenceFile(app.db, app.config.dataDir, { claimId: claim.id }, request.params.evidenceId)
    return reply.type(file.contentType).header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff').send(createReadStream(file.path))
  })

  // 签收单: what was delivered, by whom, when, and a box for the household's signature or thumbprint (A4).
  app.get('/work/claims/:id/receipt', { config: { access: 'claim.read' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const scope = regionScopeFor(request.principal, 'claim.read')
    const asOf = today()
    const claim = await staffClaim(app.db, scope, request.params.id, asOf)
    const household = await getHousehold(app.db, regionScopeFor(request.principal, 'household.read'), claim.householdId, asOf)
    const places = await regionNames(app.db, [claim.regionCode, claim.regionCode.slice(0, 9)])
    return reply.page('work/receipt', {
      title: `签收单：${claim.item}`,
      breadcrumbs: [{ label: '认领跟进', href: '/work/claims' }, { label: claim.item, href: `/work/claims/${claim.id}` }, { label: '签收单' }],
      claim: { ...claimRow(claim, asOf), deliveredOnText: claim.deliveredOn ? fullDate(claim.deliveredOn) : '', village: places.get(claim.regionCode) ?? '', town: places.get(claim.regionCode.slice(0, 9)) ?? '' },
      household: { id: household.id, key: household.externalKey ?? `#${household.id}` },
      printedOn: fullDate(asOf)
    })
  })
}
