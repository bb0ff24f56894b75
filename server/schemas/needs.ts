// Schemas for wishes, claims and what donors see. The public wish schema is also the response
// schema of every donor-facing route: Fastify serialises exactly these fields, so a field added
// to a document by mistake is dropped on the way out rather than shown.
import { Type, type Static } from 'typebox'
import { CATEGORIES, HARDSHIPS, HELP_KINDS, HOUSEHOLD_STATUSES, SCHOOL_STAGES, WISH_CATEGORIES, WISH_STATES } from '../../matching/domain.js'
import { CalendarDate } from './household.js'

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })

const WishCategory = Type.Enum(WISH_CATEGORIES, { description: '心愿类别：学习用品、衣物、生活用品、康复辅具、小家电、服务、其他' })

const STORY = '心愿故事（发布时隐去电话、证件号、住址和姓名）'

const wishFields = {
  category: WishCategory,
  item: Type.String({ minLength: 1, maxLength: 60, description: '物品或服务，如“书包”“上门理发”' }),
  value: Type.Number({ exclusiveMinimum: 0, maximum: 20000, description: '估计价值（元）' }),
  story: Type.String({ maxLength: 1000, description: STORY }),
  neededBy: Type.Optional(CalendarDate),
  showCategory: Type.Optional(Type.Boolean({ description: '家庭同意向爱心人士展示其救助类别' }))
}

export const NewWishSchema = Type.Object({
  personId: Type.Integer({ minimum: 1, description: '心愿人（在册家庭成员）' }),
  ...wishFields,
  story: Type.String({ maxLength: 1000, description: STORY, default: '' }),
  tags: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z_]{2,40}$' }), { uniqueItems: true, maxItems: 10, description: '帮扶标签，如 winter_clothing（冬衣：同一家庭每季一次）' })),
  overrideReason: Type.Optional(Type.String({ minLength: 4, maxLength: 500, description: '与已有帮扶重复仍需提出时的理由（记入审计）' })),
  submit: Type.Optional(Type.Boolean({ description: '直接提交审核（否则保存为草稿）' }))
}, { additionalProperties: false })

// No defaults here: a default would overwrite the stored value on every edit.
export const WishChangesSchema = Type.Partial(Type.Object(wishFields), { additionalProperties: false, minProperties: 1 })

export const WishFiltersSchema = Type.Object({
  state: Type.Optional(Type.Enum(WISH_STATES)),
  category: Type.Optional(WishCategory),
  regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{6,12}$' })),
  householdId: Type.Optional(Type.Integer({ minimum: 1 })),
  belowK: Type.Optional(Type.Boolean({ description: '发布时仍不满足 k-匿名（已按最粗粒度显示）的心愿，供工作人员复核' })),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 })
}, { additionalProperties: false })

export const Reason = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false })

export const PublicWishSchema = Type.Object({
  id: Type.Integer(),
  title: Type.String({ description: '称呼，如“张同学”“李奶奶”' }),
  sex: Type.Enum(['male', 'female']),
  ageBand: Type.String(),
  town: Type.String(),
  townCode: Type.String(),
  village: Type.Union([Type.String(), Type.Null()], { description: '仅在满足 k-匿名时显示' }),
  villageCode: Type.Union([Type.String(), Type.Null()]),
  category: WishCategory,
  categoryName: Type.String(),
  item: Type.String(),
  value: Type.Number(),
  valueRange: Type.String(),
  story: Type.String(),
  publishedAt: Type.String(),
  publishedTs: Type.Integer(),
  neededBy: Type.Union([Type.String(), Type.Null()]),
  neededByTs: Type.Optional(Type.Integer()),
  householdCategory: Type.Optional(Type.Object({ code: Type.Enum(CATEGORIES), name: Type.String() }))
}, { description: '去标识化的微心愿' })
export type PublicWish = Static<typeof PublicWishSchema>

const NullableString = Type.Union([Type.String(), Type.Null()])

/** A wish as staff of its region see it: the member's masked name, the home visit, the published view. */
export const WishViewSchema = Type.Object({
  id: Type.Integer(),
  state: Type.Enum(WISH_STATES),
  householdId: Type.Integer(),
  personId: Type.Integer(),
  maskedName: Type.String(),
  regionCode: Type.String(),
  category: WishCategory,
  item: Type.String(),
  value: Type.Number(),
  story: Type.String(),
  neededBy: NullableString,
  showCategory: Type.Boolean(),
  tags: Type.Array(Type.String()),
  overrideReason: NullableString,
  visitNote: NullableString,
  reason: NullableString,
  createdAt: Type.String(),
  verifiedAt: NullableString,
  publishedAt: NullableString,
  coarsened: Type.Array(Type.String(), { description: '发布时为满足 k-匿名所做的概括，如 village→town；below_k：仍未满足' }),
  publicView: Type.Union([PublicWishSchema, Type.Null()])
}, { description: '工作人员看到的微心愿（姓名脱敏）' })
export type WishView = Static<typeof WishViewSchema>

export const ClaimSchema = Type.Object({
  id: Type.Integer(),
  wishId: Type.Integer(),
  donorId: Type.Integer(),
  state: Type.Enum(['active', 'delivered', 'confirmed', 'expired', 'cancelled']),
  claimedAt: Type.String(),
  dueOn: Type.String(),
  deliveredOn: Type.Union([Type.String(), Type.Null()]),
  confirmedOn: Type.Union([Type.String(), Type.Null()]),
  overdue: Type.Boolean(),
  wish: PublicWishSchema
})

/** A publication's answer: the wish, and what the de-identification took out of its texts, as typed, for the clerk to check. */
export const PublishedWishSchema = Type.Object({
  ...WishViewSchema.properties,
  removed: Type.Array(Type.Object({
    field: Type.Enum(['item', 'story']),
    kind: Type.Enum(['id_number', 'phone', 'digits', 'address', 'name']),
    text: Type.String()
  }), { description: '去标识化时从物品和故事中去掉的内容（原样），请工作人员核对' })
})

export const DonorPreferencesSchema = Type.Object({
  regionCodes: Type.Array(Type.String({ pattern: '^[0-9]{6,12}$' }), { maxItems: 50, uniqueItems: true, default: [] }),
  kinds: Type.Array(Type.Enum(HELP_KINDS), { uniqueItems: true, default: [] }),
  wishCategories: Type.Array(WishCategory, { uniqueItems: true, default: [] }),
  minValue: Type.Number({ minimum: 0, maximum: 1e7, default: 0 }),
  maxValue: Type.Number({ minimum: 0, maximum: 1e7, default: 1e7 }),
  hardships: Type.Array(Type.Enum(HARDSHIPS), { uniqueItems: true, default: [], description: '愿意优先帮扶的困难情形（资助项目时计入“捐赠人偏好”评分）' }),
  remindDueSoon: Type.Boolean({ default: true, description: '认领到期前 2 天提醒我' }),
  notifyByContact: Type.Boolean({ default: false, description: '站内通知同时发送到已验证的手机或邮箱' })
}, { additionalProperties: false })
export type DonorPreferencesInput = Static<typeof DonorPreferencesSchema>

export const NeedRuleSchema = Type.Object({
  wishCategories: Type.Array(Type.Enum(CATEGORIES), { uniqueItems: true }),
  wishStatuses: Type.Array(Type.Enum(HOUSEHOLD_STATUSES), { uniqueItems: true }),
  voucherCategories: Type.Array(Type.Enum(CATEGORIES), { uniqueItems: true }),
  voucherSchoolStages: Type.Array(Type.Enum(SCHOOL_STAGES), { uniqueItems: true })
}, { additionalProperties: false })
export type NeedRuleInput = Static<typeof NeedRuleSchema>

/** The rule in force for a region, and where it comes from. */
export const NeedRuleViewSchema = Type.Object({
  source: Type.Union([Type.String(), Type.Null()], { description: '规则所在的地区；null 为认定政策的默认规则' }),
  profile: Type.Union([Type.String(), Type.Null()]),
  ...NeedRuleSchema.properties
})
export type NeedRule = Static<typeof NeedRuleViewSchema>

/** A donor's search: the API's querystring and the wish page's form alike. */
export const WishSearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100, description: '关键词，如“书包”“学习用品”' })),
  townCode: Type.Optional(Type.String({ pattern: '^[0-9]{9}$' })),
  category: Type.Optional(Type.Enum(WISH_CATEGORIES)),
  valueRange: Type.Optional(Type.Enum(['0-99', '100-299', '300-499', '500-999', '1000+'])),
  ageBand: Type.Optional(Type.String({ maxLength: 20 })),
  minValue: Type.Optional(Type.Number({ minimum: 0 })),
  maxValue: Type.Optional(Type.Number({ minimum: 0 })),
  sort: Type.Enum(['relevance', 'urgency', 'newest'], { default: 'relevance', description: '相关度、紧急程度（需求日期近者优先）或发布时间' }),
  page: Type.Integer({ minimum: 1, maximum: 250, default: 1 }),
  hitsPerPage: Type.Integer({ minimum: 1, maximum: 50, default: 20 })
}, { additionalProperties: false })
