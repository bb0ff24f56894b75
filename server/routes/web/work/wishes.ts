// 微心愿 for civil-affairs staff: the verification queue (verify after a home visit, send back
// with a reason, publish — saying what publishing took out of the text and how k-anonymity
// shaped what donors see), raising a wish for a household member, editing, withdrawing, the
// staff-only photos, and the list a town officer prints for a village visit. The staff steps
// of /api/v1/wishes (needs/staff-steps.ts), region-scoped as the API is.
import { createReadStream } from 'node:fs'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { WISH_CATEGORIES, WISH_CATEGORY_NAMES, WISH_STATES } from '../../../../matching/domain.js'
import { formBody } from '../../../auth/csrf.js'
import type { UploadedFile } from '../../../auth/plugin.js'
import { authorize, regionScopeFor } from '../../../auth/policy.js'
import { today } from '../../../clock.js'
import { EVIDENCE_MAX_BYTES, evidenceFile, listEvidence } from '../../../files/evidence.js'
import { AppError } from '../../../http/errors.js'
import { claimsOfWish } from '../../../needs/follow-up.js'
import { addWishPhoto, editWish, publish, raiseWish, sendBack, submitForVerification, verifyAfterVisit, withdraw } from '../../../needs/staff-steps.js'
import { getWish, listWishes } from '../../../needs/wishes.js'
import { getHousehold, headNames, householdOfPerson } from '../../../registry/households.js'
import { regionNames } from '../../../registry/regions.js'
import { IdParams, NewWishSchema, Reason, WishChangesSchema, type WishView } from '../../../schemas/needs.js'
import { setFlash } from '../../../web/flash.js'
import { blankForm, submitForm } from '../../../web/forms.js'
import { dateTime, fullDate, yuan } from '../../../web/format.js'
import { pagination } from '../../../web/pagination.js'
import { CLAIM_STATE_NAMES, nameOf, options, RELATION_NAMES, WISH_STATE_NAMES, wishCategoryName } from '../../../web/work-names.js'
import { placeOptions, withQuery, workRegion } from './context.js'
import { recordedDeaths } from '../../../monitoring/deaths.js'

const PER_PAGE = 20
/** The tabs of the list: the verification queue first. */
const TABS = [
  { key: 'submitted', label: '待核实' },
  { key: 'verified', label: '待发布' },
  { key: 'published', label: '已发布' },
  { key: 'claimed', label: '已认领' },
  { key: 'delivered', label: '待确认收到' },
  { key: 'draft', label: '草稿' },
  { key: 'belowK', label: '隐私待复核' },
  { key: 'all', label: '全部' }
] as const

const ListQuery = Type.Object({
  state: Type.Enum([...WISH_STATES, 'all', 'belowK'], { default: 'submitted' }),
  town: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })),
  village: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
  category: Type.Optional(Type.Enum(WISH_CATEGORIES)),
  page: Type.Integer({ minimum: 1, maximum: 10000, default: 1 })
}, { additionalProperties: false })
const VisitQuery = Type.Object({ town: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })), village: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })) }, { additionalProperties: false })
const NewQuery = Type.Object({ householdId: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false })
const PhotoParams = Type.Object({ id: Type.Integer({ minimum: 1 }), evidenceId: Type.Integer({ minimum: 1 }) })

const NewWishForm = formBody(NewWishSchema.properties)
const ChangesForm = formBody(WishChangesSchema.properties)
const VisitForm = formBody({ visitNote: Type.String({ minLength: 4, maxLength: 1000 }) })
const ReasonForm = formBody(Reason.properties)
const WISH_LABELS = { personId: '心愿人', category: '心愿类别', item: '物品或服务', value: '估计价值（元）', story: '心愿故事', neededBy: '需要日期', showCategory: '是否展示救助类别', tags: '帮扶标签', overrideReason: '重复帮扶仍需提出的理由', submit: '直接提交核实' }

/** What k-anonymity did to what donors see, in words (privacy/k-anonymity.ts). */
export function coarsenedWords (coarsened: readonly string[], k: number): string[] {
  const words: string[] = []
  if (coarsened.includes('village→town')) words.push(`地点只显示到镇（街道）：同村已发布的心愿中，显示相同性别和年龄段的不足 ${k} 个，显示村名可能让人认出受助人。`)
  if (coarsened.includes('age:fine→wide')) words.push('年龄段放宽为宽年龄段（如 0-17岁），称呼随之改为“某家孩子”等，同样是为了不让人认出。')
  if (coarsened.includes('below_k')) words.push(`即使只显示镇和宽年龄段，相同显示的已发布心愿仍不足 ${k} 个。心愿已发布，但列入“隐私待复核”：如果故事可能让人认出受助人，请撤回。后续同类心愿发布后，此提示会自动消失。`)
  return words
}

const REMOVED_KINDS: Record<string, string> = { phone: '电话号码', id_number: '身份证号', digits: '长串数字', address: '住址', name: '家庭成员姓名' }

export const wishPages: FastifyPluginAsyncTypebox = async app => {
  const hide = { hide: true }
  const k = app.config.kAnonymity

  app.get('/work/wishes', { config: { access: 'need.read' }, attachValidation: true, schema: { ...hide, querystring: ListQuery } }, async (request, reply) => {
    const query = request.validationError ? { state: 'submitted' as const, page: 1 } as typeof request.query : request.query
    const region = await workRegion(request, 'need.read')
    const { total, items } = await listWishes(app.db, region.scope, {
      ...(query.state === 'all' || query.state === 'belowK' ? {} : { state: query.state }),
      ...(query.state === 'belowK' ? { belowK: true } : {}),
      regionCode: query.village ?? query.town, category: query.category, limit: PER_PAGE, offset: (query.page - 1) * PER_PAGE
    })
    const [heads, places] = await Promise.all([headNames(app.db, items.map(w => w.householdId)), regionNames(app.db, items.flatMap(w => [w.regionCode, w.regionCode.slice(0, 9)]))])
    const filters = { town: query.town, village: query.village, category: query.category }
    return reply.page('work/wishes', {
      title: '心愿核实',
      breadcrumbs: [{ label: '工作台', href: '/work' }, { label: '微心愿' }],
      region,
      query,
      tabs: TABS.map(tab => ({ ...tab, href: withQuery('/work/wishes', { ...filters, state: tab.key }), current: tab.key === query.state })),
      tab: TABS.find(tab => tab.key === query.state)?.label ?? '',
      places: await placeOptions(request, region.scope, { town: query.town, village: query.village }),
      categories: options(WISH_CATEGORY_NAMES, query.category),
      total,
      wishes: items.map(w => wishRow(w, heads, places)),
      canVerify: authorize(request.principal, 'need.verify'),
      pages: pagination(query.page, Math.ceil(total / PER_PAGE), page => withQuery('/work/wishes', { ...filters, state: query.state, page }))
    })
  })

  // 入户核实清单: the submitted wishes of a town (or village) on one A4 sheet, to take on a visit.
  app.get('/work/wishes/visit-list', { config: { access: 'need.read' }, attachValidation: true, schema: { ...hide, querystring: VisitQuery } }, async (request, reply) => {
    const query = request.validationError ? {} : request.query
    const region = await workRegion(request, 'need.read')
    const place = query.village ?? query.town
    const { total, items } = await listWishes(app.db, region.scope, { state: 'submitted', regionCode: place, limit: 200, offset: 0 })
    const [heads, places] = await Promise.all([headNames(app.db, items.map(w => w.householdId)), regionNames(app.db, [...items.flatMap(w => [w.regionCode, w.regionCode.slice(0, 9)]), ...(place ? [place] : [])])])
    const rows = items.map(w => wishRow(w, heads, places)).sort((a, b) => a.regionCode.localeCompare(b.regionCode) || a.householdId - b.householdId)
    return reply.page('work/visit-list', {
      title: '入户核实清单',
      breadcrumbs: [{ label: '微心愿', href: '/work/wishes' }, { label: '入户核实清单' }],
      region,
      placeName: place ? places.get(place) ?? place : region.name,
      places: await placeOptions(request, region.scope, { town: query.town, village: query.village }),
      printedOn: fullDate(today()),
      total,
      wishes: rows.map((row, i) => ({ ...row, number: i + 1 })),
      truncated: total > rows.length
    })
  })

  const raisePage = async (request: FastifyRequest, householdId: number | undefined) => {
    const household = householdId === undefined ? undefined : await getHousehold(app.db, regionScopeFor(request.principal, 'need.write'), householdId)
    const deaths = await recordedDeaths(app.db, household?.members.map(m => m.id) ?? [])
    return {
      title: '提出微心愿',
      breadcrumbs: household
        ? [{ label: '低收入家庭', href: '/work/households' }, { label: household.externalKey ?? `#${household.id}`, href: `/work/households/${household.id}` }, { label: '提出微心愿' }]
        : [{ label: '微心愿', href: '/work/wishes' }, { label: '提出微心愿' }],
      household,
      members: household?.members.map(m => ({ ...m, died: deaths.get(m.id), relationName: nameOf(RELATION_NAMES, m.relation), age: Number(today().slice(0, 4)) - Number(m.birthDate.slice(0, 4)) })) ?? [],
      categories: options(WISH_CATEGORY_NAMES, undefined),
      k
    }
  }

  app.get('/work/wishes/new', { config: { access: 'need.write' }, attachValidation: true, schema: { ...hide, querystring: NewQuery } }, async (request, reply) => {
    const householdId = request.validationError ? undefined : request.query.householdId
    return reply.page('work/wish-new', { ...await raisePage(request, householdId), form: blankForm({ householdId, submit: true }) })
  })

  app.post('/work/wishes', { config: { access: 'need.write' }, attachValidation: true, schema: { ...hide, body: NewWishForm } }, async (request, reply) => {
    const householdId = await personsHousehold(request)
    return submitForm(request, reply, { view: 'work/wish-new', data: () => raisePage(request, householdId), labels: WISH_LABELS }, async () => {
      const { _csrf: _token, ...input } = request.body
      const wish = await raiseWish(request, input)
      setFlash(request, reply, 'success', wish.state === 'submitted' ? '心愿已提交，等待入户核实。' : '心愿已保存为草稿，提交后才进入核实。')
      return reply.redirect(`/work/wishes/${wish.id}`, 303)
    })
  })

  /** The household of the person a wish form names (to show the form again), if the clerk may see it. */
  async function personsHousehold (request: FastifyRequest): Promise<number | undefined> {
    const personId = Number((request.body as { personId?: unknown } | undefined)?.personId)
    if (!Number.isSafeInteger(personId) || personId < 1) return undefined
    return householdOfPerson(app.db, regionScopeFor(request.principal, 'need.write'), personId)
  }

  const wishPage = async (request: FastifyRequest, id: number): Promise<Record<string, unknown>> => {
    const scope = regionScopeFor(request.principal, 'need.read')
    const wish = await getWish(app.db, scope, id)
    const [photos, claims, places, heads] = await Promise.all([
      listEvidence(app.db, { wishId: id }),
      claimsOfWish(app.db, scope, id, today()),
      regionNames(app.db, [wish.regionCode, wish.regionCode.slice(0, 9)]),
      headNames(app.db, [wish.householdId])
    ])
    const may = (action: 'need.write' | 'need.verify') => authorize(request.principal, action)
    return {
      title: `微心愿：${wish.item}`,
      breadcrumbs: [{ label: '微心愿', href: '/work/wishes' }, { label: wish.item }],
      wish: { ...wishRow(wish, heads, places), story: wish.story, visitNote: wish.visitNote, reason: wish.reason, overrideReason: wish.overrideReason, neededBy: wish.neededBy, createdAt: dateTime(wish.createdAt), verifiedAt: wish.verifiedAt ? dateTime(wish.verifiedAt) : null, publishedAt: wish.publishedAt ? dateTime(wish.publishedAt) : null },
      publicView: wish.publicView,
      coarsened: coarsenedWords(wish.coarsened, k),
      photos: photos.map(p => ({ ...p, href: `/work/wishes/${id}/photos/${p.id}`, image: p.contentType.startsWith('image/') })),
      claims: claims.map(c => ({ ...c, stateName: nameOf(CLAIM_STATE_NAMES, c.state) })),
      can: {
        submit: may('need.write') && wish.state === 'draft',
        edit: may('need.write') && (wish.state === 'draft' || wish.state === 'submitted'),
        verify: may('need.verify') && wish.state === 'submitted',
        sendBack: may('need.verify') && (wish.state === 'submitted' || wish.state === 'verified'),
        publish: may('need.verify') && wish.state === 'verified',
        withdraw: may('need.write') && ['draft', 'submitted', 'verified', 'published'].includes(wish.state),
        photo: may('need.write') && !['closed', 'rejected', 'withdrawn'].includes(wish.state)
      },
      k,
      maxBytes: EVIDENCE_MAX_BYTES,
      visitForm: blankForm(),
      sendBackForm: blankForm(),
      withdrawForm: blankForm(),
      photoForm: blankForm()
    }
  }

  app.get('/work/wishes/:id', { config: { access: 'need.read' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    return reply.page('work/wish', await wishPage(request, request.params.id))
  })

  app.post('/work/wishes/:id/submit', { config: { access: 'need.write' }, schema: { ...hide, params: IdParams, body: formBody({}) } }, async (request, reply) => {
    await submitForVerification(request, request.params.id)
    setFlash(request, reply, 'success', '已提交，等待入户核实。')
    return reply.redirect(`/work/wishes/${request.params.id}`, 303)
  })

  app.post('/work/wishes/:id/verify', { config: { access: 'need.verify' }, attachValidation: true, schema: { ...hide, params: IdParams, body: VisitForm } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'work/wish', data: () => wishPage(request, id), labels: { visitNote: '入户核实情况' }, as: 'visitForm' }, async () => {
      await verifyAfterVisit(request, id, request.body.visitNote)
      setFlash(request, reply, 'success', '已核实。发布前请再看一遍故事：发布时会去掉电话、证件号、住址和家人姓名。')
      return reply.redirect(`/work/wishes/${id}`, 303)
    })
  })

  app.post('/work/wishes/:id/reject', { config: { access: 'need.verify' }, attachValidation: true, schema: { ...hide, params: IdParams, body: ReasonForm } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'work/wish', data: () => wishPage(request, id), labels: { reason: '退回的理由' }, as: 'sendBackForm' }, async () => {
      await sendBack(request, id, request.body.reason)
      setFlash(request, reply, 'info', '已退回，这个心愿不会发布。理由已记录。')
      return reply.redirect('/work/wishes?state=submitted', 303)
    })
  })

  app.post('/work/wishes/:id/withdraw', { config: { access: 'need.write' }, attachValidation: true, schema: { ...hide, params: IdParams, body: ReasonForm } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'work/wish', data: () => wishPage(request, id), labels: { reason: '撤回的理由' }, as: 'withdrawForm' }, async () => {
      await withdraw(request, id, request.body.reason)
      setFlash(request, reply, 'info', '已撤回。已发布的心愿会从爱心人士的搜索中消失。')
      return reply.redirect(`/work/wishes/${id}`, 303)
    })
  })

  // Publishing answers with what it did: the text taken out and the k-anonymity it applied (shown once, here).
  app.post('/work/wishes/:id/publish', { config: { access: 'need.verify' }, schema: { ...hide, params: IdParams, body: formBody({}) } }, async (request, reply) => {
    const published = await publish(request, request.params.id)
    return reply.page('work/wish-published', {
      title: `已发布：${published.item}`,
      breadcrumbs: [{ label: '微心愿', href: '/work/wishes' }, { label: published.item, href: `/work/wishes/${published.id}` }, { label: '已发布' }],
      wish: published,
      publicView: published.publicView,
      removed: published.removed.map(r => ({ ...r, kindName: REMOVED_KINDS[r.kind] ?? r.kind, fieldName: r.field === 'item' ? '物品' : '故事' })),
      coarsened: coarsenedWords(published.coarsened, k),
      k,
      next: '/work/wishes?state=verified'
    })
  })

  const editPage = async (request: FastifyRequest, id: number) => {
    const wish = await getWish(app.db, regionScopeFor(request.principal, 'need.write'), id)
    return { title: `修改心愿：${wish.item}`, breadcrumbs: [{ label: '微心愿', href: '/work/wishes' }, { label: wish.item, href: `/work/wishes/${id}` }, { label: '修改' }], wish, categories: options(WISH_CATEGORY_NAMES, undefined) }
  }

  app.get('/work/wishes/:id/edit', { config: { access: 'need.write' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const page = await editPage(request, request.params.id)
    const { wish } = page
    return reply.page('work/wish-edit', { ...page, form: blankForm({ category: wish.category, item: wish.item, value: wish.value, story: wish.story, neededBy: wish.neededBy ?? '', showCategory: wish.showCategory }) })
  })

  app.post('/work/wishes/:id/edit', { config: { access: 'need.write' }, attachValidation: true, schema: { ...hide, params: IdParams, body: ChangesForm } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'work/wish-edit', data: () => editPage(request, id), labels: WISH_LABELS }, async () => {
      const { _csrf: _token, ...changes } = request.body
      await editWish(request, id, changes)
      setFlash(request, reply, 'success', '心愿已修改。')
      return reply.redirect(`/work/wishes/${id}`, 303)
    })
  })

  app.post('/work/wishes/:id/photos', { config: { access: 'need.write' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'work/wish', data: () => wishPage(request, id), labels: { photo: '照片' }, as: 'photoForm' }, async () => {
      const photo = (request.body as { photo?: UploadedFile } | undefined)?.photo
      if (!photo?.content?.length) throw new AppError(400, 'validation_failed', '请先选择或拍摄一张照片', [{ field: 'body.photo', code: 'required', message: '请先选择或拍摄一张照片' }])
      await addWishPhoto(request, id, photo.fileName.slice(0, 200) || '入户照片', photo.content)
      setFlash(request, reply, 'success', '照片已上传（只有工作人员能看到）。')
      return reply.redirect(`/work/wishes/${id}#photos`, 303)
    })
  })

  app.get('/work/wishes/:id/photos/:evidenceId', { config: { access: 'need.read' }, schema: { ...hide, params: PhotoParams } }, async (request, reply) => {
    const wish = await getWish(app.db, regionScopeFor(request.principal, 'need.read'), request.params.id)
    const file = await evidenceFile(app.db, app.config.dataDir, { wishId: wish.id }, request.params.evidenceId)
    return reply.type(file.contentType).header('cache-control', 'private, max-age=3600').header('x-content-type-options', 'nosniff').send(createReadStream(file.path))
  })
}

/** A wish as the lists show it: the person masked, the household's head, the village. */
function wishRow (w: WishView, heads: Map<number, string>, places: Map<string, string>) {
  return {
    id: w.id,
    state: w.state,
    stateName: nameOf(WISH_STATE_NAMES, w.state),
    item: w.item,
    value: yuan(w.value),
    categoryName: wishCategoryName(w.category),
    maskedName: w.maskedName,
    householdId: w.householdId,
    head: heads.get(w.householdId) ?? '',
    regionCode: w.regionCode,
    village: places.get(w.regionCode) ?? w.regionCode,
    town: places.get(w.regionCode.slice(0, 9)) ?? '',
    story: w.story,
    neededBy: w.neededBy,
    belowK: w.coarsened.includes('below_k'),
    created: fullDate(w.createdAt.slice(0, 10))
  }
}
