// 爱心培训券: courses offered by training institutions, each child's entitlement per half-year,
// placement in a seat (by the matcher, or chosen by the family) and redemption with attendance.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ensureAllowed, regionScopeFor } from '../../../auth/policy.js'
import { errorResponseSchema } from '../../../http/errors.js'
import { today } from '../../../registry/dates.js'
import { HALF_YEAR_PATTERN } from '../../../vouchers/half-year.js'
import { issueVouchers } from '../../../vouchers/issue.js'
import { getVoucher, listVouchers } from '../../../vouchers/views.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const tags = ['vouchers']

const HalfYear = Type.String({ pattern: HALF_YEAR_PATTERN, description: '半年度：2026H1（1–6 月）、2026H2（7–12 月）' })
const RegionCode = Type.String({ pattern: '^[0-9]{6}([0-9]{3}){0,2}$', description: '区县（6 位）、乡镇（9 位）或村社区（12 位）代码' })
const NullableText = Type.Union([Type.String(), Type.Null()])
const NullableInt = Type.Union([Type.Integer(), Type.Null()])
const VoucherState = Type.Enum(['issued', 'assigned', 'redeemed', 'lapsed'])
const Voucher = Type.Object({
  id: Type.Integer(), halfYear: Type.String(), state: VoucherState, personId: Type.Integer(), householdId: Type.Integer(),
  maskedName: Type.String(), age: Type.Integer(), schoolStage: Type.String(), regionCode: Type.String(),
  town: Type.Object({ code: Type.String(), name: Type.String() }), daysLeft: Type.Integer(), urgency: Type.Integer(),
  hadClassThisHalfYear: Type.Boolean(), projectId: NullableInt,
  course: Type.Union([Type.Object({ id: Type.Integer(), title: Type.String() }), Type.Null()]),
  assignedVia: Type.Union([Type.Enum(['matcher', 'family']), Type.Null()]), assignedAt: NullableText,
  sessionsTotal: NullableInt, sessionsAttended: NullableInt, redeemedAt: NullableText
})
export const voucherRoutes: FastifyPluginAsyncTypebox = async app => {
  app.post('/api/v1/vouchers/issue', {
    config: { access: 'voucher.manage' },
    schema: {
      tags, summary: '发放半年度爱心培训券（可重复执行）/ issue a half-year\'s vouchers for a region (idempotent)',
      body: Type.Object({ halfYear: HalfYear, regionCode: RegionCode, projectId: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
      response: { 200: Type.Any(), ...errors }
    }
  }, async request => {
    ensureAllowed(request.principal, 'voucher.manage', { regionCode: request.body.regionCode })
    return app.db.transaction().execute(async trx => {
      const report = await issueVouchers(trx, request.body, today())
      await request.audit({ action: 'voucher.issue', record: { type: 'region', id: request.body.regionCode, regionCode: request.body.regionCode }, details: report }, trx)
      return report
    })
  })

  app.get('/api/v1/vouchers', {
    config: { access: 'voucher.read' },
    schema: {
      tags, summary: '培训券名单，最紧急在前（withoutClass=true：尚未入班的孩子）/ vouchers, most urgent first',
      querystring: Type.Object({
        halfYear: HalfYear, regionCode: Type.Optional(RegionCode), state: Type.Optional(VoucherState),
        withoutClass: Type.Optional(Type.Boolean({ description: '只列尚未分到名额的孩子' })),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }), offset: Type.Integer({ minimum: 0, default: 0 })
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(Voucher) }), ...errors }
    }
  }, async request => listVouchers(app.db, regionScopeFor(request.principal, 'voucher.read'), request.query, today()))

  app.get('/api/v1/vouchers/:id', {
    config: { access: 'voucher.read' },
    schema: { tags, summary: '培训券详情 / one voucher', params: IdParams, response: { 200: Voucher, ...errors } }
  }, async request => getVoucher(app.db, regionScopeFor(request.principal, 'voucher.read'), request.params.id, today()))
}
