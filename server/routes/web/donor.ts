// The donor's pages: claiming a wish, the claims with their delivery steps (proof from the
// phone's camera, delivered, give up), messages, recommendations and giving preferences. Each
// action calls the function the API calls (server/needs/donor-claims.ts, server/donors/*).
import { createReadStream } from 'node:fs'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import { HARDSHIP_NAMES, HARDSHIPS, HELP_KIND_NAMES, HELP_KINDS, WISH_CATEGORIES, WISH_CATEGORY_NAMES } from '../../../matching/domain.js'
import { RECOMMEND_FACTORS } from '../../../matching/recommend.js'
import { formBody } from '../../auth/csrf.js'
import type { UploadedFile } from '../../auth/plugin.js'
import { listDonorMessages, markAllMessagesRead, markMessageRead } from '../../donors/messages.js'
import { loadDonor, updateDonor } from '../../donors/profile.js'
import { recommendedProjects, recommendedWishes } from '../../donors/recommendations.js'
import { EVIDENCE_MAX_BYTES, evidenceFile, listEvidence } from '../../files/evidence.js'
import { AppError } from '../../http/errors.js'
import { CLAIM_GROUPS, getClaim, listDonorClaims, type ClaimGroup, type ClaimView } from '../../needs/claims.js'
import { addClaimEvidence, claimForDonor, donorOf, giveUpClaim, reportDelivered } from '../../needs/donor-claims.js'
import { wishForDonors } from '../../needs/public-wishes.js'
import { addDays } from '../../../matching/dates.js'
import { today } from '../../clock.js'
import { townsByCounty } from '../../registry/regions.js'
import { DonorPreferencesSchema, IdParams, Reason } from '../../schemas/needs.js'
import { setFlash } from '../../web/flash.js'
import { blankForm, plainMessage, submitForm } from '../../web/forms.js'
import { daysLeft, fullDate, monthDay } from '../../web/format.js'
import { pagination } from '../../web/pagination.js'

const PER_PAGE = 10
const GROUP_NAMES: Record<ClaimGroup, string> = { active: '待送达', delivered: '待确认收到', confirmed: '已实现', ended: '已结束' }
const STATE_NAMES: Record<ClaimView['state'], string> = { active: '待送达', delivered: '已送达，待村（社区）确认', confirmed: '已实现', expired: '已过期（未按时送达）', cancelled: '已放弃' }
const FACTOR_NAMES: Record<typeof RECOMMEND_FACTORS[number], string> = { region: '您关注的地区', category: '您关注的类别', value_range: '您的金额范围', urgency: '需要得急', waiting: '等待较久' }

const ClaimList = Type.Object({
  group: Type.Enum(Object.keys(CLAIM_GROUPS) as ClaimGroup[], { default: 'active' }),
  page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 })
}, { additionalProperties: false })
const Paged = Type.Object({ page: Type.Integer({ minimum: 1, maximum: 1000, default: 1 }) }, { additionalProperties: false })
const EvidenceParams = Type.Object({ id: Type.Integer({ minimum: 1 }), evidenceId: Type.Integer({ minimum: 1 }) })
const DeliveredForm = formBody({ note: Type.Optional(Type.String({ maxLength: 500 })) })
const GiveUpForm = formBody(Reason.properties)
const PreferencesForm = formBody(DonorPreferencesSchema.properties)

/** A claim as its page and its card show it: days left, the steps done, what can be done next. */
function claimCard (claim: ClaimView, asOf: string) {
  const due = claim.state === 'active' ? daysLeft(asOf, claim.dueOn) : null
  return {
    ...claim,
    stateName: STATE_NAMES[claim.state],
    due: due && { ...due, soon: !due.overdue && due.days <= 2, dueText: monthDay(claim.dueOn) },
    steps: [
      { label: `${fullDate(claim.claimedAt.slice(0, 10))} 认领`, done: true },
      { label: claim.deliveredOn ? `${fullDate(claim.deliveredOn)} 送达` : '送达并上传凭证', done: claim.deliveredOn !== null },
      { label: claim.confirmedOn ? `${fullDate(claim.confirmedOn)} 受助家庭确认收到` : '受助家庭确认收到', done: claim.confirmedOn !== null }
    ],
    canDeliver: claim.state === 'active',
    canUpload: claim.state === 'active' || claim.state === 'delivered'
  }
}

export const donorPages: FastifyPluginAsyncTypebox = async app => {
  const hide = { hide: true }
  const mine = { config: { access: 'donor.self' as const } }

  // —— Claiming a wish (the wish page's form) ——
  app.post('/wishes/:id/claim', { config: { access: 'wish.claim' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const wishId = request.params.id
    let claim: ClaimView
    try {
      claim = await claimForDonor(request, wishId)
    } catch (error) {
      // Taken meanwhile, contact not verified, too many claims: said on the wish page itself.
      if (!(error instanceof AppError) || ![403, 409].includes(error.statusCode) || error.code === 'csrf_rejected') throw error
      const found = await wishForDonors(app.db, wishId, request.principal?.donorId ?? null)
      if (!found) throw error
      const claimError = {
        message: plainMessage(error.message),
        link: error.code === 'contact_unverified' ? { href: '/account/verify', label: '去验证联系方式' } : error.code === 'claim_limit_reached' ? { href: '/me/claims', label: '查看我的认领' } : undefined
      }
      const data = {
        title: found.wish.item, wish: found.wish, availability: found.availability, myClaimId: found.myClaimId, claimError,
        offer: { canClaim: true }, claimDays: app.config.claimDeliveryDays, dueIfClaimedToday: fullDate(addDays(today(), app.config.claimDeliveryDays)),
        publishedOn: found.wish.publishedAt.slice(0, 10), breadcrumbs: [{ label: '微心愿', href: '/wishes' }, { label: found.wish.item }]
      }
      reply.status(error.statusCode)
      return request.wantsFragment ? reply.fragment('wishes/claim', data) : reply.page('wish', data)
    }
    const dueText = monthDay(claim.dueOn)
    if (request.wantsFragment) return reply.fragment('wishes/claim', { claimed: { id: claim.id, dueText } })
    setFlash(request, reply, 'success', `已认领，请在 ${dueText} 前送达。送达后在这里上传照片并点“已送达”。`)
    return reply.redirect(`/me/claims/${claim.id}`, 303)
  })

  // —— My claims ——
  app.get('/me/claims', { ...mine, attachValidation: true, schema: { ...hide, querystring: ClaimList } }, async (request, reply) => {
    const query = request.validationError ? { group: 'active' as const, page: 1 } : request.query
    const asOf = today()
    const { items, counts } = await listDonorClaims(app.db, donorOf(request), query.group, { limit: PER_PAGE, offset: (query.page - 1) * PER_PAGE }, asOf)
    return reply.page('me/claims', {
      title: '我的认领',
      breadcrumbs: [{ label: '我的认领' }],
      group: query.group,
      groupName: GROUP_NAMES[query.group],
      groups: (Object.keys(CLAIM_GROUPS) as ClaimGroup[]).map(group => ({ href: `/me/claims?group=${group}`, label: `${GROUP_NAMES[group]}（${counts[group]}）`, current: group === query.group })),
      claims: items.map(claim => claimCard(claim, asOf)),
      hasAny: Object.values(counts).some(n => n > 0),
      limit: app.config.maxActiveClaims,
      pages: pagination(query.page, Math.ceil(counts[query.group] / PER_PAGE), p => `/me/claims?group=${query.group}&page=${p}`)
    })
  })

  const claimPage = async (request: FastifyRequest, id: number) => {
    const asOf = today()
    const claim = await getClaim(app.db, { donorId: donorOf(request) }, id, asOf)
    const [evidence, thanks] = await Promise.all([
      listEvidence(app.db, { claimId: id }),
      listDonorMessages(app.db, claim.donorId, { limit: 50, offset: 0 }).then(messages => messages.items.filter(m => m.claimId === id))
    ])
    return {
      title: `我的认领：${claim.wish.item}`,
      breadcrumbs: [{ label: '我的认领', href: '/me/claims' }, { label: claim.wish.item }],
      claim: claimCard(claim, asOf),
      evidence: evidence.map(e => ({ ...e, href: `/me/claims/${id}/evidence/${e.id}`, image: e.contentType.startsWith('image/') })),
      messages: thanks,
      maxBytes: EVIDENCE_MAX_BYTES,
      deliveredForm: blankForm(),
      giveUpForm: blankForm()
    }
  }

  app.get('/me/claims/:id', { ...mine, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    return reply.page('me/claim', await claimPage(request, request.params.id))
  })

  app.get('/me/claims/:id/evidence/:evidenceId', { ...mine, schema: { ...hide, params: EvidenceParams } }, async (request, reply) => {
    const claim = await getClaim(app.db, { donorId: donorOf(request) }, request.params.id, today())
    const file = await evidenceFile(app.db, app.config.dataDir, { claimId: claim.id }, request.params.evidenceId)
    return reply.type(file.contentType).header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff').send(createReadStream(file.path))
  })

  app.post('/me/claims/:id/evidence', { ...mine, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'me/claim', data: () => claimPage(request, id), labels: { photo: '照片' }, as: 'uploadForm' }, async () => {
      const photo = (request.body as { photo?: UploadedFile } | undefined)?.photo
      if (!photo?.content?.length) throw new AppError(400, 'validation_failed', '请先选择或拍摄一张照片', [{ field: 'body.photo', code: 'required', message: '请先选择或拍摄一张照片' }])
      await addClaimEvidence(request, id, photo.fileName.slice(0, 200) || '送达照片', photo.content)
      setFlash(request, reply, 'success', '凭证已上传。确认物品已交到受助人手中后，请点“已送达”。')
      return reply.redirect(`/me/claims/${id}`, 303)
    })
  })

  app.post('/me/claims/:id/delivered', { ...mine, attachValidation: true, schema: { ...hide, params: IdParams, body: DeliveredForm } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'me/claim', data: () => claimPage(request, id), labels: { note: '送达说明' }, as: 'deliveredForm' }, async () => {
      await reportDelivered(request, id, { note: request.body.note })
      setFlash(request, reply, 'success', '已登记送达。村（社区）工作人员向受助家庭确认收到后，心愿就实现了，我们会通知您。')
      return reply.redirect(`/me/claims/${id}`, 303)
    })
  })

  app.post('/me/claims/:id/cancel', { ...mine, attachValidation: true, schema: { ...hide, params: IdParams, body: GiveUpForm } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'me/claim', data: () => claimPage(request, id), labels: { reason: '放弃的原因' }, as: 'giveUpForm' }, async () => {
      await giveUpClaim(request, id, request.body.reason)
      setFlash(request, reply, 'info', '已放弃认领，这个心愿已重新开放给其他爱心人士。谢谢您告诉我们原因。')
      return reply.redirect('/me/claims', 303)
    })
  })

  // —— Messages ——
  app.get('/me/messages', { ...mine, attachValidation: true, schema: { ...hide, querystring: Paged } }, async (request, reply) => {
    const page = request.validationError ? 1 : request.query.page
    const { items, total, unread } = await listDonorMessages(app.db, donorOf(request), { limit: PER_PAGE, offset: (page - 1) * PER_PAGE })
    return reply.page('me/messages', {
      title: '感谢与消息',
      breadcrumbs: [{ label: '感谢与消息' }],
      messages: items.map(m => ({ ...m, kindName: m.kind === 'thanks' ? '感谢信' : m.kind === 'impact' ? '成效说明' : '认领到期' })),
      unread,
      pages: pagination(page, Math.ceil(total / PER_PAGE), p => `/me/messages?page=${p}`)
    })
  })

  app.post('/me/messages/:id/read', { ...mine, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    await markMessageRead(app.db, donorOf(request), request.params.id)
    return reply.redirect('/me/messages', 303)
  })

  app.post('/me/messages/read-all', { ...mine, schema: hide }, async (request, reply) => {
    const marked = await markAllMessagesRead(app.db, donorOf(request))
    setFlash(request, reply, 'success', marked > 0 ? `已将 ${marked} 条消息标为已读。` : '没有未读消息。')
    return reply.redirect('/me/messages', 303)
  })

  // —— Recommendations ——
  app.get('/me/recommendations', { ...mine, schema: hide }, async (request, reply) => {
    const { preferences } = await loadDonor(app.db, donorOf(request))
    const asOf = today()
    const [wishes, projects] = await Promise.all([recommendedWishes(app.db, preferences, asOf, 12), recommendedProjects(app.db, preferences, asOf, 6)])
    return reply.page('me/recommendations', {
      title: '为我推荐',
      breadcrumbs: [{ label: '为我推荐' }],
      offer: { canClaim: true },
      hasPreferences: preferences.regionCodes.length + preferences.wishCategories.length + preferences.kinds.length > 0 || preferences.minValue > 0 || preferences.maxValue < 1e7,
      wishes: wishes.map(r => ({
        ...r.wish,
        reasons: r.factors.filter(f => f.normalised > 0 && (f.factor === 'urgency' || f.factor === 'waiting' || preferenceNamed(preferences, f.factor)))
          .map(f => f.factor === 'urgency' ? `${f.value} 天内需要` : f.factor === 'waiting' ? `已等待 ${f.value} 天` : FACTOR_NAMES[f.factor])
      })),
      projects: projects.map(r => ({
        ...r.project,
        reasons: [
          ...(r.kindMatched ? [`您关注的${HELP_KIND_NAMES[r.project.kind]}`] : []),
          ...(r.regionsMatched.length > 0 ? ['覆盖您关注的地区'] : []),
          ...(r.daysLeft !== null ? [`${r.daysLeft} 天后截止`] : [])
        ]
      }))
    })
  })

  // —— Preferences ——
  const preferencesPage = async (request: FastifyRequest) => {
    const counties = await townsByCounty(app.db)
    return {
      title: '捐赠偏好',
      breadcrumbs: [{ label: '捐赠偏好' }],
      counties,
      categories: WISH_CATEGORIES.map(code => ({ code, name: WISH_CATEGORY_NAMES[code] })),
      kinds: HELP_KINDS.map(code => ({ code, name: HELP_KIND_NAMES[code] })),
      hardships: HARDSHIPS.map(code => ({ code, name: HARDSHIP_NAMES[code] })),
      donorName: (await loadDonor(app.db, donorOf(request))).name
    }
  }

  app.get('/me/preferences', { ...mine, schema: hide }, async (request, reply) => {
    const { preferences } = await loadDonor(app.db, donorOf(request))
    return reply.page('me/preferences', { ...await preferencesPage(request), form: blankForm(preferencesValues(preferences)) })
  })

  app.post('/me/preferences', { ...mine, attachValidation: true, schema: { ...hide, body: PreferencesForm } }, async (request, reply) => {
    return submitForm(request, reply, { view: 'me/preferences', data: () => preferencesPage(request), labels: PREFERENCE_LABELS }, async () => {
      const { _csrf: _token, ...preferences } = request.body
      await updateDonor(request, donorOf(request), { preferences })
      setFlash(request, reply, 'success', '捐赠偏好已保存。“为我推荐”会按新的偏好推荐心愿和项目。')
      return reply.redirect('/me/preferences', 303)
    })
  })
}

const PREFERENCE_LABELS = { regionCodes: '关注的镇（街道）', wishCategories: '心愿类别', kinds: '帮扶类型', minValue: '最低金额', maxValue: '最高金额', hardships: '困难情形', remindDueSoon: '到期提醒', notifyByContact: '短信或邮件通知' }

/** The form shows "no upper limit" as an empty field, not 10000000. */
function preferencesValues (preferences: Static<typeof DonorPreferencesSchema>) {
  return { ...preferences, minValue: preferences.minValue || '', maxValue: preferences.maxValue >= 1e7 ? '' : preferences.maxValue }
}

/** Whether the donor stated this preference (an unstated one fits everything and explains nothing). */
function preferenceNamed (preferences: Static<typeof DonorPreferencesSchema>, factor: string): boolean {
  if (factor === 'region') return preferences.regionCodes.length > 0
  if (factor === 'category') return preferences.wishCategories.length > 0
  return preferences.minValue > 0 || preferences.maxValue < 1e7
}
