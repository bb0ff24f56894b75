// Schemas of charity projects: what staff send (one definition for the API and the types of
// supply/projects.ts) and what a project looks like when read, which is also what Fastify
// serialises.
import { Type, type Static } from 'typebox'
import { CATEGORIES, HARDSHIPS, HELP_KINDS, HOUSEHOLD_STATUSES, SCHOOL_STAGES } from '../../matching/domain.js'
import { SCORE_FACTORS } from '../../matching/score.js'
import { CalendarDate } from './household.js'
import { PROJECT_STATUSES } from '../supply/project-states.js'

export const eligibilityFields = {
  categories: Type.Optional(Type.Array(Type.Enum([...CATEGORIES, 'none']), { uniqueItems: true, description: '适用类别（空：全部）' })),
  regionCodes: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$' }), { uniqueItems: true, maxItems: 200, description: '适用地区' })),
  minAge: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
  maxAge: Type.Optional(Type.Integer({ minimum: 0, maximum: 120 })),
  schoolStages: Type.Optional(Type.Array(Type.Enum(SCHOOL_STAGES), { uniqueItems: true })),
  hardships: Type.Optional(Type.Array(Type.Enum(HARDSHIPS), { uniqueItems: true, description: '须有其中之一' })),
  statuses: Type.Optional(Type.Array(Type.Enum(HOUSEHOLD_STATUSES), { uniqueItems: true })),
  notHelpedSameKindMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 120, description: 'N 个月内未获同类帮扶' })),
  seasonalTags: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z_]{2,40}$' }), { uniqueItems: true, maxItems: 10, description: '每季只帮扶一次的标签，如 winter_clothing' }))
}
const Eligibility = Type.Object(eligibilityFields, { additionalProperties: false })

export const projectFields = {
  kind: Type.Enum(HELP_KINDS, { description: '微心愿活动、梦想小屋、爱心培训券、慈善基金项目' }),
  title: Type.String({ minLength: 2, maxLength: 100 }),
  description: Type.Optional(Type.String({ maxLength: 4000 })),
  budget: Type.Number({ minimum: 0, maximum: 1e10, description: '总预算（元）' }),
  unitCost: Type.Optional(Type.Union([Type.Number({ exclusiveMinimum: 0, maximum: 1e9 }), Type.Null()], { description: '每人（户）成本' })),
  perItemLimit: Type.Optional(Type.Union([Type.Number({ exclusiveMinimum: 0, maximum: 1e9 }), Type.Null()], { description: '单项限额' })),
  capacity: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 10_000_000 }), Type.Null()], { description: '名额' })),
  eligibility: Type.Optional(Eligibility),
  startsOn: Type.Optional(Type.Union([CalendarDate, Type.Null()])),
  endsOn: Type.Optional(Type.Union([CalendarDate, Type.Null()])),
  scoreWeights: Type.Optional(Type.Object(Object.fromEntries(SCORE_FACTORS.map(factor => [factor, Type.Optional(Type.Number({ minimum: 0, maximum: 1 }))])), {
    additionalProperties: false,
    description: '评分权重（0–1，未给出的用默认值；{} 即全部默认）：severity 类别, hardship 困难情形, income_gap 收入差距, little_recent_help 近期受助少, waiting 等待时间, proximity 就近, donor_fit 捐赠人偏好, urgency 紧迫'
  })),
  fundingDonorId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: '资助本项目的捐赠人：其偏好计入“捐赠人偏好”评分' }))
}

export const ProjectInputSchema = Type.Object(projectFields, { additionalProperties: false })
export type ProjectInput = Static<typeof ProjectInputSchema>

const NullableNumber = Type.Union([Type.Number(), Type.Null()])
const NullableString = Type.Union([Type.String(), Type.Null()])

export const ProjectViewSchema = Type.Object({
  id: Type.Integer(),
  organisationId: Type.Integer(),
  organisation: Type.String(),
  kind: Type.Enum(HELP_KINDS),
  title: Type.String(),
  description: Type.String(),
  status: Type.Enum(PROJECT_STATUSES, { description: 'draft 草稿, open 进行中, paused 已暂停（不再生成推荐、受理申请、确认或资助）, closed 已结束' }),
  budget: Type.Number(),
  committed: Type.Number(),
  spent: Type.Number(),
  available: Type.Number({ description: '尚未承诺的预算' }),
  unitCost: NullableNumber,
  perItemLimit: NullableNumber,
  capacity: Type.Union([Type.Integer(), Type.Null()]),
  placesTaken: Type.Integer({ description: '已确认的名额' }),
  eligibility: Type.Object({
    ...eligibilityFields,
    tags: Type.Optional(Type.Array(Type.String(), { description: '帮扶标签（随推荐写入救助链）' }))
  }),
  startsOn: NullableString,
  endsOn: NullableString,
  scoreWeights: Type.Object(Object.fromEntries(SCORE_FACTORS.map(factor => [factor, Type.Number()])), { description: '生成推荐时使用的评分权重（未设定的为默认值）' }),
  fundingDonorId: Type.Union([Type.Integer(), Type.Null()]),
  createdAt: Type.String(),
  updatedAt: Type.String()
}, { description: '慈善项目及其预算执行情况' })
export type ProjectView = Static<typeof ProjectViewSchema>

export const LedgerEntrySchema = Type.Object({
  id: Type.Integer(),
  movement: Type.Enum(['commit', 'release', 'spend']),
  amount: Type.Number(),
  reference: Type.String({ description: '来源，如 proposal:42、dream_room:3、voucher:7' }),
  at: Type.String(),
  committedAfter: Type.Number({ description: '此笔之后的已承诺总额' }),
  spentAfter: Type.Number({ description: '此笔之后的已支出总额' })
})

export const ProjectLedgerSchema = Type.Object({
  project: Type.Object({ id: Type.Integer(), budget: Type.Number(), committed: Type.Number(), spent: Type.Number(), available: Type.Number() }),
  entries: Type.Array(LedgerEntrySchema)
})

/** An open project as donors and the public find it (the search index's document). */
export const ProjectDocumentSchema = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  kind: Type.Enum(HELP_KINDS),
  kindName: Type.String(),
  description: Type.String(),
  organisation: Type.String(),
  regionCodes: Type.Array(Type.String()),
  budget: Type.Number(),
  available: Type.Number({ description: '尚未承诺的预算' }),
  unitCost: Type.Union([Type.Number(), Type.Null()]),
  startsOn: Type.Union([Type.String(), Type.Null()]),
  endsOn: Type.Union([Type.String(), Type.Null()])
}, { description: '开放中的慈善项目（公开）' })
export type ProjectDocument = Static<typeof ProjectDocumentSchema>


/** The draft of a project as the reach preview reads it: the project's own fields, none required but the kind. */
export const ReachPreviewInputSchema = Type.Object({
  ...Type.Partial(Type.Object(projectFields)).properties,
  kind: projectFields.kind,
  organisationId: Type.Optional(Type.Integer({ minimum: 1, description: '管理员预览时指定慈善组织' }))
}, { additionalProperties: false })
export type ReachPreviewInput = Static<typeof ReachPreviewInputSchema>

const PreviewFactorSchema = Type.Object({
  factor: Type.String(),
  value: Type.Union([Type.Number(), Type.String()], { description: '原始值：类别代码、元、天数或说明' }),
  normalised: Type.Number(),
  weight: Type.Number(),
  contribution: Type.Number()
})

export const ReachPreviewSchema = Type.Object({
  asOf: Type.String(),
  regionCodes: Type.Array(Type.String(), { description: '预览所覆盖的地区（项目未指定时为机构所在地区）' }),
  population: Type.Integer({ description: '覆盖地区内的人数' }),
  eligible: Type.Integer({ description: '符合全部条件的人数' }),
  households: Type.Integer({ description: '有人符合条件的家庭数' }),
  excluded: Type.Array(Type.Object({ rule: Type.String(), count: Type.Integer() }), { description: '按首个不符合的条件统计的排除人数，依检查顺序' }),
  places: Type.Union([Type.Integer(), Type.Null()], { description: '预算和名额可覆盖的人（户）数；null：未设单位成本或单项限额' }),
  top: Type.Array(Type.Object({
    rank: Type.Integer(),
    title: Type.String({ description: '称呼，如“张同学”（不显示姓名）' }),
    ageBand: Type.String(),
    town: Type.String(),
    category: Type.String(),
    score: Type.Number(),
    factors: Type.Array(PreviewFactorSchema)
  }), { description: '得分最高的 20 人（户）及评分依据' })
}, { description: '项目规则的覆盖范围预览（不保存任何内容）' })
export type ReachPreview = Static<typeof ReachPreviewSchema>
