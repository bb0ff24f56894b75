// 爱心培训券: each child's entitlement per half-year, placement in a seat (by the matcher, or
// chosen by the family) and redemption with attendance. The courses are courses.ts.
import type { FastifyRequest } from 'fastify'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { regionScopeFor } from '../../../auth/policy.js'
import type { RequestAuditEntry } from '../../../audit/plugin.js'
import type { Db } from '../../../db/database.js'
import type { RegionScope } from '../../../db/scope.js'
import { errorResponseSchema } from '../../../http/errors.js'
import { today } from '../../../clock.js'
import { chooseCourse, releasePlacement } from '../../../vouchers/placement.js'
import { assignSeatsFor, issueVouchersFor, redeemVoucherFor, voucherReader } from '../../../vouchers/actions.js'
import { getVoucher, listVouchers } from '../../../vouchers/views.js'
import { AssignmentReportSchema, AttendanceBody, HalfYear, IssueReportSchema, RegionCode, Voucher, VoucherState, type VoucherView } from '../../../schemas/vouchers.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const tags = ['vouchers']

export const voucherRoutes: FastifyPluginAsyncTypebox = async app => {
  /** A move of one voucher by staff of its region, audited in the same transaction; answers with the voucher as it now is. */
  const voucherMove = async (request: FastifyRequest, id: number, action: string, move: (trx: Db, scope: RegionScope) => Promise<Pick<RequestAuditEntry, 'before' | 'after' | 'details'>>): Promise<VoucherView> => {
    const scope = regionScopeFor(request.principal, 'voucher.manage')
    return app.db.transaction().execute(async trx => {
      const change = await move(trx, scope)
      const voucher = await getVoucher(trx, scope, id, today())
      await request.audit({ action, record: { type: 'voucher', id, regionCode: voucher.regionCode }, ...change }, trx)
      return voucher
    })
  }

  app.post('/api/v1/vouchers/issue', {
    config: { access: 'voucher.manage' },
    schema: {
      tags, summary: '发放半年度爱心培训券（可重复执行）/ issue a half-year\'s vouchers for a region (idempotent)',
      body: Type.Object({ halfYear: HalfYear, regionCode: RegionCode, projectId: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
      response: { 200: IssueReportSchema, ...errors }
    }
  }, async request => issueVouchersFor(request, request.body))

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
  }, async request => listVouchers(app.db, voucherReader(request), request.query, today()))

  app.get('/api/v1/vouchers/:id', {
    config: { access: 'voucher.read' },
    schema: { tags, summary: '培训券详情 / one voucher', params: IdParams, response: { 200: Voucher, ...errors } }
  }, async request => getVoucher(app.db, voucherReader(request), request.params.id, today()))

  app.post('/api/v1/vouchers/:id/choice', {
    config: { access: 'voucher.manage' },
    schema: {
      tags, summary: '登记家庭自选课程（名额满则 409）/ record the family\'s chosen course', params: IdParams,
      body: Type.Object({ courseId: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }),
      response: { 200: Voucher, ...errors }
    }
  }, async request => voucherMove(request, request.params.id, 'voucher.choose', async (trx, scope) => {
    await chooseCourse(trx, scope, request.params.id, request.body.courseId, today())
    return { before: { state: 'issued' }, after: { state: 'assigned', courseId: request.body.courseId } }
  }))

  app.post('/api/v1/vouchers/:id/release', {
    config: { access: 'voucher.manage' },
    schema: {
      tags, summary: '退回名额（须说明理由）/ release a placement with a reason', params: IdParams,
      body: Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false }),
      response: { 200: Voucher, ...errors }
    }
  }, async request => voucherMove(request, request.params.id, 'voucher.release', async (trx, scope) => {
    const { courseId } = await releasePlacement(trx, scope, request.params.id)
    return { before: { state: 'assigned', courseId }, after: { state: 'issued' }, details: { reason: request.body.reason } }
  }))

  app.post('/api/v1/vouchers/assignments', {
    config: { access: 'voucher.manage' },
    schema: {
      tags, summary: '自动分配名额（最小费用最大流，附最优性证明）/ place the region\'s unplaced children (min-cost max-flow, certified)',
      body: Type.Object({
        halfYear: HalfYear, regionCode: RegionCode,
        minTownShare: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: '每个乡镇至少安置的比例' })),
        crossTownCost: Type.Optional(Type.Number({ minimum: 0, maximum: 1000, description: '跨乡镇上课的代价；不填则不跨乡镇' }))
      }, { additionalProperties: false }),
      response: { 200: AssignmentReportSchema, ...errors }
    }
  }, async request => assignSeatsFor(request, request.body))

  app.post('/api/v1/vouchers/:id/redemption', {
    config: { access: 'voucher.redeem' },
    schema: {
      tags, summary: '培训机构核销（登记出勤），写入救助链 / redeem with attendance; appends to the assistance chain once', params: IdParams,
      body: AttendanceBody,
      response: { 200: Type.Object({ voucherId: Type.Integer(), chainEntryId: Type.Integer(), appended: Type.Boolean(), spent: Type.Number() }), ...errors }
    }
  }, async request => redeemVoucherFor(request, request.params.id, request.body))
}
