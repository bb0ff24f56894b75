// Schemas of the dream-room API. The response schemas are also what Fastify serialises: the
// de-identified room carries exactly these fields, so a personal field added to the view by
// mistake is dropped on the way out rather than shown to charity staff.
import { Type } from 'typebox'
import { ROOM_STAGES, STAGES } from '../dream-rooms/stages.js'
import { CalendarDate } from './household.js'
import { EvidenceSchema } from './evidence.js'

export const RoomParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
export const StageParams = Type.Object({ id: Type.Integer({ minimum: 1 }), stage: Type.Enum(STAGES) })

const Stage = Type.Enum(STAGES, { description: 'survey 入户调查 → design 设计 → build 施工 → handover 交付' })
const RoomStage = Type.Enum(ROOM_STAGES)
const NullableString = Type.Union([Type.String(), Type.Null()])
const NullableNumber = Type.Union([Type.Number(), Type.Null()])

const dueDateFields = {
  survey: Type.Optional(CalendarDate), design: Type.Optional(CalendarDate), build: Type.Optional(CalendarDate), handover: Type.Optional(CalendarDate)
}

export const DueDatesSchema = Type.Object(dueDateFields, { additionalProperties: false, description: '各阶段完成期限（默认：调查后 14、30、75、90 天）' })
export const DueDateChangesSchema = Type.Object(dueDateFields, { additionalProperties: false, minProperties: 1 })

export const NewRoomSchema = Type.Object({
  personId: Type.Integer({ minimum: 1, description: '孩子（未满 18 周岁，或在读大学以下）' }),
  roomCondition: Type.String({ minLength: 2, maxLength: 1000, description: '房间现状' }),
  areaM2: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 200, description: '面积（平方米）' })),
  budgetEstimate: Type.Number({ exclusiveMinimum: 0, maximum: 200000, description: '预算估计（元）' }),
  dueDates: Type.Optional(DueDatesSchema)
}, { additionalProperties: false })

export const FundingSchema = Type.Object({ projectId: Type.Integer({ minimum: 1, description: '本机构开放中的梦想小屋项目' }) }, { additionalProperties: false })

export const CompletionSchema = Type.Object({
  actualCost: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 200000, description: '仅交付时：实际费用，不超过已承诺的预算' })),
  note: Type.Optional(Type.String({ maxLength: 500 }))
}, { additionalProperties: false })

export const CancelSchema = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false })

export const EvidenceQuery = Type.Object({
  stage: Stage,
  fileName: Type.String({ minLength: 1, maxLength: 200, default: 'evidence' })
}, { additionalProperties: false })

const listFilters = {
  stage: Type.Optional(RoomStage),
  overdue: Type.Optional(Type.Boolean({ description: 'true：只看有阶段逾期的小屋' })),
  projectId: Type.Optional(Type.Integer({ minimum: 1 })),
  regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{6,12}$' })),
  householdId: Type.Optional(Type.Integer({ minimum: 1, description: '只看一个家庭的小屋' })),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 })
}
export const RoomFiltersSchema = Type.Object(listFilters, { additionalProperties: false })

const stageFields = {
  stage: Stage,
  dueOn: Type.String(),
  completedOn: NullableString,
  overdue: Type.Boolean(),
  evidenceCount: Type.Integer()
}

const project = {
  id: Type.Integer(),
  title: Type.String()
}

export const StaffRoomSchema = Type.Object({
  id: Type.Integer(),
  stage: RoomStage,
  householdId: Type.Integer(),
  personId: Type.Integer(),
  maskedName: Type.String(),
  regionCode: Type.String(),
  village: Type.String(),
  roomCondition: Type.String(),
  areaM2: NullableNumber,
  budgetEstimate: Type.Number(),
  reason: NullableString,
  overdue: Type.Boolean(),
  stages: Type.Array(Type.Object({ ...stageFields, completedBy: Type.Union([Type.Integer(), Type.Null()]), note: NullableString })),
  project: Type.Union([Type.Object({ ...project, organisationId: Type.Integer(), budget: Type.Number(), committed: Type.Number(), spent: Type.Number() }), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  evidence: Type.Optional(Type.Array(EvidenceSchema)),
  ledger: Type.Optional(Type.Array(Type.Object({ movement: Type.String(), amount: Type.Number(), at: Type.String() }), { description: '本小屋在项目账目中的记录：承诺、支出、释放' }))
}, { description: '民政人员看到的梦想小屋（姓名脱敏）' })

export const DeidentifiedRoomSchema = Type.Object({
  id: Type.Integer(),
  stage: RoomStage,
  title: Type.String({ description: '称呼，如“张同学”' }),
  ageBand: Type.String(),
  town: Type.String(),
  townCode: Type.String(),
  roomCondition: Type.String({ description: '隐去姓名、电话、证件号和住址' }),
  areaM2: NullableNumber,
  budgetEstimate: Type.Number(),
  overdue: Type.Boolean(),
  stages: Type.Array(Type.Object(stageFields)),
  project: Type.Union([Type.Object(project), Type.Null()]),
  createdAt: Type.String()
}, { description: '慈善机构看到的去标识化梦想小屋' })

export const page = <T extends typeof StaffRoomSchema | typeof DeidentifiedRoomSchema>(item: T) => Type.Object({ total: Type.Integer(), items: Type.Array(item) })
