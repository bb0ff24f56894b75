// Dynamic monitoring's payloads: feed imports, warnings and their handling, and the settings
// administrators keep (rules, routing table, holiday calendar). What the API serialises and
// what the pages' forms post.
import { Type, type Static } from 'typebox'
import { WISH_CATEGORIES } from '../../matching/domain.js'
import { DEPARTMENTS, DESK_LEVELS, FEED_KINDS, RULE_KEYS, WARNING_CLASSES } from '../../matching/monitoring/index.js'
import { PROFILE_IDS } from '../../matching/policy/index.js'
import { CalendarDate } from './household.js'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()])

// —— Feeds ——

export const FeedKindSchema = Type.Enum(FEED_KINDS, { description: 'unemployment 失业登记, medical 医疗费用, disability 残疾人证, death 死亡, disaster 灾害损失, assistance 部门救助帮扶记录' })

export const FeedImportSchema = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  fileName: Type.String(),
  format: Type.String({ description: 'csv, xlsx 或 json' }),
  status: Type.String({ description: 'queued, running, completed, failed' }),
  rowsRead: Type.Integer(),
  matched: Type.Integer({ description: '与数据库中在册人员匹配的记录' }),
  unmatched: Type.Integer({ description: '未匹配的有效记录（保留，见 unmatchedRecords）' }),
  invalid: Type.Integer({ description: '无法读取的行（见 problems）' }),
  alreadyImported: Type.Integer({ description: '此前已导入的记录：不重复处理' }),
  warningsRaised: Type.Integer(),
  chainEntries: Type.Integer({ description: '写入救助链的部门救助记录' }),
  createdAt: Type.String(),
  finishedAt: Nullable(Type.String())
})
export type FeedImportView = Static<typeof FeedImportSchema>

export const FeedImportDetailSchema = Type.Object({
  ...FeedImportSchema.properties,
  progress: Type.Union([Type.Object({ rowsRead: Type.Integer() }), Type.Literal(0), Type.Null()], { description: '任务进度：已读行数；0 为尚未报告；null 为任务已结束或不可查' }),
  problems: Type.Array(Type.Object({ line: Type.Integer(), field: Type.String(), code: Type.String(), reason: Type.String() })),
  problemCount: Type.Integer(),
  unmatchedRecords: Type.Array(Type.Object({ line: Type.Integer(), idMasked: Type.String({ description: '脱敏身份证号' }), occurredOn: Type.String(), reason: Type.String() })),
  unmatchedCount: Type.Integer()
})
export type FeedImportDetail = Static<typeof FeedImportDetailSchema>

// —— Warnings ——

export const WarningClassSchema = Type.Enum(WARNING_CLASSES, { description: 'policy_not_applied 政策未落实, new_hardship 出现新困难, possibly_eligible 可能符合条件, no_longer_eligible 可能不再符合条件, complex 情形复杂' })

export const WarningSummarySchema = Type.Object({
  id: Type.Integer(),
  personId: Type.Integer(),
  householdId: Type.Integer(),
  maskedName: Type.String(),
  regionCode: Type.String(),
  townName: Type.String(),
  villageName: Type.String(),
  deskRegion: Type.String({ description: '承办窗口所在地区（镇或县）' }),
  department: Type.String(),
  warningClass: Type.String(),
  rule: Type.String(),
  cause: Type.String(),
  status: Type.String({ description: 'open 待处置, in_progress 处置中, closed 已办结' }),
  outcome: Nullable(Type.String()),
  lowIncome: Type.Boolean({ description: '低收入人口（10 个工作日）或其他监测对象（15 个工作日）' }),
  summary: Type.String(),
  raisedOn: Type.String(),
  workingDays: Type.Integer(),
  dueOn: Type.String(),
  daysLeft: Type.Integer({ description: '剩余工作日；负数为已逾期的工作日' }),
  overdue: Type.Boolean(),
  escalatedTo: Nullable(Type.String())
})
export type WarningSummary = Static<typeof WarningSummarySchema>

export const WarningListSchema = Type.Object({ total: Type.Integer(), items: Type.Array(WarningSummarySchema) })

export const WarningEventSchema = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  actor: Type.String({ description: '用户名（system 为系统）' }),
  actorName: Type.String({ description: '操作人的显示名（系统操作为“系统”）' }),
  kind: Type.String({ description: 'raised, reminded, overdue, escalated, extended, visit, note, policy_applied, referred, closed_not_needed, referred_to_charity, evidence' }),
  note: Nullable(Type.String()),
  details: Type.Unknown({ description: '事件的细节：救助记录、心愿或申请编号、延期天数等' })
})

export const WarningDetailSchema = Type.Object({
  ...WarningSummarySchema.properties,
  profile: Type.String(),
  ruleVersion: Type.Unknown({ description: '所用规则版本：rule, enabled, params, effectiveFrom, source' }),
  route: Type.Unknown({ description: '所用路由行：warningClass, cause, department, level, source' }),
  evidence: Type.Unknown({ description: '触发预警的证据：部门记录（类型、日期、金额等，不含身份信息）、规则比较的数值、重新测算的结果' }),
  household: Type.Object({
    id: Type.Integer(),
    category: Nullable(Type.String()),
    status: Type.String(),
    members: Type.Array(Type.Object({ id: Type.Integer(), maskedName: Type.String(), relation: Type.String(), age: Type.Integer(), left: Type.Boolean() }))
  }),
  events: Type.Array(WarningEventSchema),
  files: Type.Array(Type.Object({ id: Type.Integer(), fileName: Type.String(), contentType: Type.String(), bytes: Type.Integer(), uploadedAt: Type.String() })),
  calendarMissingYears: Type.Array(Type.Integer(), { description: '期限所跨年份中节假日安排缺失的年份（按周一至周五计）' })
})
export type WarningDetail = Static<typeof WarningDetailSchema>

export const HANDLING_ACTIONS = ['visit', 'note', 'policy_applied', 'referred', 'closed_not_needed'] as const
export const HandlingSchema = Type.Object({
  action: Type.Enum(HANDLING_ACTIONS, { description: 'visit 入户走访, note 记录, policy_applied 已落实政策（办结）, referred 已转办相关部门（办结）, closed_not_needed 核实无需处置（办结）' }),
  note: Type.String({ minLength: 2, maxLength: 1000, description: '做了什么、结果如何' }),
  assistanceKind: Type.Optional(Type.String({ minLength: 2, maxLength: 40, description: '已落实的救助类型（写入救助链），如 medical_assistance、temporary_assistance' })),
  assistanceValue: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000, description: '救助金额（元）' })),
  assistanceOn: Type.Optional(CalendarDate)
}, { additionalProperties: false })
export type HandlingInput = Static<typeof HandlingSchema>

export const ExtensionSchema = Type.Object({
  workingDays: Type.Integer({ minimum: 1, maximum: 30, description: '延长的工作日数' }),
  reason: Type.String({ minLength: 4, maxLength: 500, description: '延期理由（情况复杂等）' })
}, { additionalProperties: false })
export type ExtensionInput = Static<typeof ExtensionSchema>

export const ReferralSchema = Type.Object({
  kind: Type.Enum(['wish', 'fund'] as const, { description: 'wish 转为微心愿（待核实）；fund 转为慈善基金项目申请' }),
  personId: Type.Optional(Type.Integer({ minimum: 1, description: '心愿人（默认为预警对象）' })),
  category: Type.Optional(Type.Enum(WISH_CATEGORIES)),
  item: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  value: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 20000 })),
  story: Type.Optional(Type.String({ maxLength: 1000 })),
  projectId: Type.Optional(Type.Integer({ minimum: 1, description: '慈善基金项目（kind=fund 时必填）' })),
  statement: Type.Optional(Type.String({ minLength: 4, maxLength: 1000, description: '申请说明（kind=fund 时必填）' })),
  amount: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000 }))
}, { additionalProperties: false })
export type ReferralInput = Static<typeof ReferralSchema>

export const ReferralResultSchema = Type.Object({
  warningId: Type.Integer(),
  wishId: Nullable(Type.Integer()),
  proposalId: Nullable(Type.Integer())
})

// —— Settings ——

export const RouteSchema = Type.Object({
  warningClass: WarningClassSchema,
  cause: Type.Union([Type.Enum(RULE_KEYS), Type.Literal('')], { description: '规则；空为该类别的全部预警' }),
  department: Type.Enum(DEPARTMENTS),
  level: Type.Enum(DESK_LEVELS),
  source: Type.String(),
  edited: Type.Boolean(),
  defaultDepartment: Nullable(Type.String()),
  defaultLevel: Nullable(Type.String())
})

export const RouteChangeSchema = Type.Object({
  warningClass: WarningClassSchema,
  cause: Type.Optional(Type.Union([Type.Enum(RULE_KEYS), Type.Literal('')], { default: '' })),
  department: Type.Enum(DEPARTMENTS),
  level: Type.Enum(DESK_LEVELS),
  note: Type.String({ minLength: 2, maxLength: 200, description: '调整依据' })
}, { additionalProperties: false })

export const RuleInForceSchema = Type.Object({
  profile: Type.String(),
  profileTitle: Type.String(),
  rule: Type.String(),
  name: Type.String(),
  trigger: Type.String({ description: 'feed 部门数据触发, scan 定期排查, setting 时限设置' }),
  enabled: Type.Boolean(),
  params: Type.Array(Type.Object({ name: Type.String(), value: Type.Number(), unit: Type.String(), description: Type.String(), min: Type.Number(), max: Type.Number() })),
  effectiveFrom: Type.String(),
  source: Type.String(),
  demo: Type.Boolean({ description: '文件未给出数值，阈值为演示值' }),
  versions: Type.Array(Type.Object({
    enabled: Type.Boolean(),
    params: Type.Record(Type.String(), Type.Number()),
    effectiveFrom: Type.String(),
    source: Type.String(),
    staff: Type.Boolean()
  }))
})

export const NewRuleVersionSchema = Type.Object({
  profile: Type.Enum(PROFILE_IDS),
  rule: Type.Enum(RULE_KEYS),
  enabled: Type.Boolean({ default: true }),
  params: Type.Record(Type.String({ pattern: '^[a-zA-Z]{1,30}$' }), Type.Number(), { default: {}, description: '规则的全部参数，见 GET /api/v1/monitoring/rules' }),
  effectiveFrom: CalendarDate,
  note: Type.String({ minLength: 2, maxLength: 200, description: '依据，如文件文号' })
}, { additionalProperties: false })

export const CalendarYearSchema = Type.Object({
  year: Type.Integer(),
  source: Type.String({ description: '来源：chinese-days 版本，或录入的管理员' }),
  updatedAt: Type.String(),
  days: Type.Array(Type.Object({ day: Type.String(), kind: Type.String({ description: 'holiday 放假，workday 调休上班' }), name: Type.String() }))
})

export const CalendarYearInputSchema = Type.Object({
  days: Type.Array(Type.Object({
    day: CalendarDate,
    kind: Type.Enum(['holiday', 'workday'] as const),
    name: Type.String({ minLength: 1, maxLength: 40 })
  }, { additionalProperties: false }), { maxItems: 120 }),
  note: Type.String({ minLength: 2, maxLength: 200, description: '依据，如国务院办公厅通知文号' })
}, { additionalProperties: false })
