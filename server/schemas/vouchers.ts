// Schemas of the training-voucher API: courses, vouchers, the roster an institution sees, and
// the reports of issuing and of the seat matcher. The response schemas are what Fastify
// serialises (an institution's roster carries exactly the fields named), and the views'
// types are taken from them.
import { Type, type Static } from 'typebox'
import { HALF_YEAR_PATTERN } from '../vouchers/half-year.js'

export const HalfYear = Type.String({ pattern: HALF_YEAR_PATTERN, description: '半年度：2026H1（1–6 月）、2026H2（7–12 月）' })
export const RegionCode = Type.String({ pattern: '^[0-9]{6}([0-9]{3}){0,2}$', description: '区县（6 位）、乡镇（9 位）或村社区（12 位）代码' })
const Town = Type.String({ pattern: '^[0-9]{9}$', description: '上课所在乡镇（街道）代码' })
const Age = Type.Integer({ minimum: 2, maximum: 18 })
export const CourseStatus = Type.Enum(['open', 'closed'])
export const courseFields = {
  title: Type.String({ minLength: 2, maxLength: 100 }),
  seats: Type.Integer({ minimum: 0, maximum: 10000 }),
  minAge: Age,
  maxAge: Age,
  regionCode: Town,
  schedule: Type.String({ maxLength: 200 })
}

/** A course as an institution offers it (API and page form alike). */
export const NewCourseBody = Type.Object({
  ...courseFields, schedule: Type.String({ maxLength: 200, default: '' }), halfYear: HalfYear,
  institutionId: Type.Optional(Type.Integer({ minimum: 1, description: '管理员代机构开设时填写' }))
}, { additionalProperties: false })
/** What changes of a course, or its closing. */
export const CourseChangesBody = Type.Partial(Type.Object({ ...courseFields, status: CourseStatus }), { additionalProperties: false, minProperties: 1 })
/** Attendance reported when a voucher is redeemed. */
export const AttendanceBody = Type.Object({ sessionsTotal: Type.Integer({ minimum: 1, maximum: 500 }), sessionsAttended: Type.Integer({ minimum: 1, maximum: 500 }) }, { additionalProperties: false })

export const Course = Type.Object({
  id: Type.Integer(), institutionId: Type.Integer(), institution: Type.String(), title: Type.String(),
  seats: Type.Integer(), seatsTaken: Type.Integer(), seatsFree: Type.Integer(), minAge: Type.Integer(), maxAge: Type.Integer(),
  town: Type.Object({ code: Type.String(), name: Type.String() }), schedule: Type.String(), halfYear: Type.String(), status: CourseStatus
})
const NullableText = Type.Union([Type.String(), Type.Null()])
const NullableInt = Type.Union([Type.Integer(), Type.Null()])
export const VoucherState = Type.Enum(['issued', 'assigned', 'redeemed', 'lapsed'])
export const Voucher = Type.Object({
  id: Type.Integer(), halfYear: Type.String(), state: VoucherState, personId: Type.Integer(), householdId: Type.Integer(),
  maskedName: Type.String(), age: Type.Integer(), schoolStage: Type.String(), regionCode: Type.String(),
  town: Type.Object({ code: Type.String(), name: Type.String() }), daysLeft: Type.Integer(), urgency: Type.Integer(),
  hadClassThisHalfYear: Type.Boolean(), projectId: NullableInt,
  course: Type.Union([Type.Object({ id: Type.Integer(), title: Type.String() }), Type.Null()]),
  assignedVia: Type.Union([Type.Enum(['matcher', 'family']), Type.Null()]), assignedAt: NullableText,
  sessionsTotal: NullableInt, sessionsAttended: NullableInt, redeemedAt: NullableText
})
// What an institution sees of a child: the serialiser drops anything not named here.
export const PlacedChild = Type.Object({
  voucherId: Type.Integer(), halfYear: Type.String(), state: VoucherState, courseId: NullableInt,
  child: Type.String({ description: '姓氏加称呼，如 张同学' }), ageBand: Type.String(), assignedAt: NullableText,
  sessionsTotal: NullableInt, sessionsAttended: NullableInt, redeemedAt: NullableText
})

export type CourseView = Static<typeof Course>
export type VoucherView = Static<typeof Voucher>
export type PlacedChildView = Static<typeof PlacedChild>

export const IssueReportSchema = Type.Object({
  halfYear: Type.String(),
  regionCode: Type.String(),
  projectId: NullableInt,
  eligible: Type.Integer(),
  issued: Type.Integer({ description: '本次新发放' }),
  alreadyHeld: Type.Integer({ description: '此前已持有' }),
  rules: Type.Array(Type.Object({
    ruleRegion: NullableText,
    profile: NullableText,
    basis: Type.String({ description: '依据：地区规则或文件段落' }),
    categories: Type.Array(Type.String()),
    schoolStages: Type.Array(Type.String()),
    villages: Type.Integer(),
    eligible: Type.Integer(),
    issued: Type.Integer()
  }), { description: '各村适用的发放规则及人数' })
})

export const AssignmentReportSchema = Type.Object({
  halfYear: Type.String(),
  regionCode: Type.String(),
  children: Type.Integer({ description: '开始时尚无名额的孩子' }),
  placed: Type.Integer(),
  unplaced: Type.Integer(),
  unfunded: Type.Integer({ description: '项目剩余预算不足而未安置' }),
  totalCost: Type.Number(),
  towns: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), children: Type.Integer(), required: Type.Integer(), placed: Type.Integer() })),
  certificate: Type.Object({
    problems: Type.Array(Type.String(), { description: '空：已证明为最小费用最大安置' }),
    placed: Type.Integer(),
    totalCost: Type.Number(),
    proven: Type.Boolean()
  }),
  placements: Type.Array(Type.Object({ voucherId: Type.Integer(), courseId: Type.Integer() }))
})
