// 爱心培训券 for civil-affairs staff (/work/vouchers): this half-year's entitled children (masked
// names), those without a class with the days left in the half-year, and the two region-wide
// steps — issuing the half-year's vouchers and the seat assignment — each confirmed on a page of
// its own and answered with a flash saying what it did. The same domain functions and access
// rules as /api/v1/vouchers (voucherReader for reading; regionWide: voucher.manage over the
// region, audited with its report in the one transaction the step runs in).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { authorize } from '../../../auth/policy.js'
import { formBody } from '../../../auth/csrf.js'
import { today } from '../../../clock.js'
import { RegionCode } from '../../../schemas/vouchers.js'
import { placesWithin } from '../../../registry/regions.js'
import { assignSeatsFor, issueVouchersFor, voucherReader } from '../../../vouchers/actions.js'
import { daysLeft, halfYearLabel } from '../../../vouchers/half-year.js'
import { listVouchers } from '../../../vouchers/views.js'
import { setFlash } from '../../../web/flash.js'
import { blankForm, submitForm } from '../../../web/forms.js'
import { pagination } from '../../../web/pagination.js'
import { withQuery, workRegion, type WorkRegion } from './context.js'

const PER_PAGE = 20
const SHOWS = ['without-class', 'placed'] as const
type Show = typeof SHOWS[number]
const ListQuery = Type.Object({
  show: Type.Optional(Type.Union(SHOWS.map(s => Type.Literal(s)))),
  page: Type.Integer({ minimum: 1, maximum: 10000, default: 1 })
}, { additionalProperties: false })
const StepForm = formBody({ regionCode: RegionCode })
const STEPS = {
  issue: {
    title: '发放培训券',
    does: '按本地区的发放规则，为本半年符合条件的孩子各发一张爱心培训券。已经有券的孩子不会重复发放，可以放心再次执行。',
    button: '确认发放'
  },
  assign: {
    title: '分配培训名额',
    does: '把尚未入班的孩子，按年龄和所在乡镇安排进有空余名额的课程，最紧急的孩子优先；已有名额的孩子不受影响。全部在一次操作里完成，完成后显示分到名额和仍未分到的人数及原因。',
    button: '确认分配'
  }
} as const
type Step = keyof typeof STEPS

const STATE_NAMES: Record<string, string> = { issued: '未入班', assigned: '已分到名额', redeemed: '已上课核销', lapsed: '已过期' }

/** The places a step can run over: the person's whole region (when it is one) and its towns. */
async function stepRegions (request: FastifyRequest, region: WorkRegion, chosen?: string) {
  const { towns } = await placesWithin(request.server.db, region.scope.regionPrefix)
  // A county clerk picks the whole county or one town; a town officer sees just their town's name.
  const whole = region.scope.regionPrefix ? [{ code: region.scope.regionPrefix, name: towns.length > 1 ? `${region.name}（全部乡镇）` : region.name }] : []
  const options = [...whole, ...(towns.length > 1 || whole.length === 0 ? towns : [])]
  return options.map((o, i) => ({ ...o, selected: chosen ? o.code === chosen : i === 0 }))
}

export const voucherPages: FastifyPluginAsyncTypebox = async app => {
  const hide = { hide: true }

  app.get('/work/vouchers', { config: { access: 'voucher.read' }, attachValidation: true, schema: { ...hide, querystring: ListQuery } }, async (request, reply) => {
    const query: { show?: Show, page: number } = request.validationError ? { page: 1 } : request.query
    const region = await workRegion(request, 'voucher.read')
    const asOf = today()
    const halfYear = halfYearLabel(asOf)
    const filters = { halfYear, withoutClass: query.show === 'without-class' || undefined, state: query.show === 'placed' ? 'assigned' as const : undefined }
    const found = await listVouchers(app.db, voucherReader(request), { ...filters, limit: PER_PAGE, offset: (query.page - 1) * PER_PAGE }, asOf)
    const tab = (label: string, show: Show | undefined) => ({ label, href: withQuery('/work/vouchers', { show }), current: query.show === show })
    return reply.page('work/vouchers', {
      title: '培训券',
      breadcrumbs: [{ label: '工作台', href: '/work' }, { label: '培训券' }],
      region,
      halfYear: `${halfYear.slice(0, 4)}年${halfYear.endsWith('H1') ? '上' : '下'}半年`,
      daysLeft: daysLeft(halfYear, asOf),
      tabs: [tab('全部', undefined), tab('尚未入班', 'without-class'), tab('已分到名额', 'placed')],
      withoutClass: query.show === 'without-class',
      filtered: query.show !== undefined,
      canManage: authorize(request.principal, 'voucher.manage'),
      total: found.total,
      vouchers: found.items.map(v => ({ ...v, stateName: STATE_NAMES[v.state] ?? v.state, waiting: v.state === 'issued' || v.state === 'assigned' })),
      pages: pagination(query.page, Math.ceil(found.total / PER_PAGE), page => withQuery('/work/vouchers', { show: query.show, page }))
    })
  })

  const stepPage = async (request: FastifyRequest, step: Step, chosen?: string) => {
    const region = await workRegion(request, 'voucher.manage')
    const halfYear = halfYearLabel(today())
    return {
      title: STEPS[step].title,
      breadcrumbs: [{ label: '培训券', href: '/work/vouchers' }, { label: STEPS[step].title }],
      step: STEPS[step],
      action: `/work/vouchers/${step}`,
      halfYear: `${halfYear.slice(0, 4)}年${halfYear.endsWith('H1') ? '上' : '下'}半年`,
      regions: await stepRegions(request, region, chosen),
      form: blankForm()
    }
  }

  for (const step of Object.keys(STEPS) as Step[]) {
    app.get(`/work/vouchers/${step}`, { config: { access: 'voucher.manage' }, schema: hide }, async (request, reply) => {
      return reply.page('work/voucher-step', await stepPage(request, step))
    })
  }

  app.post('/work/vouchers/issue', { config: { access: 'voucher.manage' }, attachValidation: true, schema: { ...hide, body: StepForm } }, async (request, reply) => {
    return submitForm(request, reply, { view: 'work/voucher-step', data: () => stepPage(request, 'issue'), labels: { regionCode: '地区' } }, async () => {
      const report = await issueVouchersFor(request, { halfYear: halfYearLabel(today()), regionCode: request.body.regionCode })
      setFlash(request, reply, 'success', report.eligible === 0
        ? '本半年没有符合发放条件的孩子，没有发券。'
        : `本半年符合条件的孩子 ${report.eligible} 人：新发放 ${report.issued} 张培训券，${report.alreadyHeld} 人此前已有。下一步：分配培训名额。`)
      return reply.redirect('/work/vouchers?show=without-class', 303)
    })
  })

  app.post('/work/vouchers/assign', { config: { access: 'voucher.manage' }, attachValidation: true, schema: { ...hide, body: StepForm } }, async (request, reply) => {
    return submitForm(request, reply, { view: 'work/voucher-step', data: () => stepPage(request, 'assign'), labels: { regionCode: '地区' } }, async () => {
      const report = await assignSeatsFor(request, { halfYear: halfYearLabel(today()), regionCode: request.body.regionCode })
      const noSeat = report.unplaced - report.unfunded
      const why = [noSeat ? `${noSeat} 人附近没有适合其年龄、尚有空位的课程` : '', report.unfunded ? `${report.unfunded} 人因资助项目预算已用完` : ''].filter(Boolean).join('，')
      setFlash(request, reply, report.unplaced ? 'info' : 'success', report.children === 0
        ? '没有等待分配名额的孩子。'
        : `名额分配完成：${report.children} 个尚未入班的孩子中，${report.placed} 人分到名额${report.unplaced ? `，${report.unplaced} 人仍未分到（${why}）。可请培训机构增开名额后再分配一次` : '，全部安排好了'}。`)
      return reply.redirect(report.unplaced ? '/work/vouchers?show=without-class' : '/work/vouchers?show=placed', 303)
    })
  })
}
