// Request schemas for households, shared by the evaluate endpoint, the registry API and the
// import (one schema per payload). Enumerations come from matching/domain.ts.
import { Type, type Static } from 'typebox'
import { CATEGORIES, DISABILITY_KINDS, HARDSHIPS, HOUSEHOLD_STATUSES, HUKOU_KINDS, LABOR_CAPACITIES, LEAVING_REASONS, RELATIONS, SCHOOL_STAGES } from '../../matching/domain.js'
import { PERSON_BASES } from '../../matching/policy/index.js'

const oneOf = <T extends string[]>(values: readonly [...T], description: string) => Type.Enum(values, { description })

/** 其他困难人员: who decides differs by document (Hubei 二(二), Jiyuan 二(二)6, Shanxi 工作任务(一)5, Gansu 一). */
export const CASE_BY_CASE = '已由文件规定的机关个案认定为其他困难人员（湖北：县级民政部门一事一议；济源：济源确定；山西某县：县人民政府；甘肃：市县人民政府）；南浔无此类别'

export const Money = Type.Number({ minimum: 0, maximum: 1e10, description: '元 (yuan)' })
export const CalendarDate = Type.String({ format: 'date', description: 'YYYY-MM-DD' })
const dateOf = (description: string) => Type.String({ format: 'date', description: `${description} (YYYY-MM-DD)` })

export const DisabilitySchema = Type.Union([
  Type.Null(),
  Type.Object({
    level: Type.Integer({ minimum: 1, maximum: 4, description: '残疾等级 1–4' }),
    kind: oneOf(DISABILITY_KINDS, '残疾类别')
  }, { additionalProperties: false })
])

/** 户籍, or null when not recorded (低收入农户 then cannot be decided). */
const Hukou = Type.Union([oneOf(HUKOU_KINDS, '户籍：rural 原农村户籍，urban 城镇户籍（南浔 三(五) 低收入农户须原农村户籍）'), Type.Null()])

/** A person's 防返贫 monitoring by the rural department: from its first day, until its last once it ended (both included). */
export const PovertyMonitoringSchema = Type.Union([
  Type.Null(),
  Type.Object({
    from: dateOf('防返贫监测开始日期'),
    until: Type.Optional(Type.Union([dateOf('防返贫监测结束日期（含当日；未结束不填）'), Type.Null()]))
  }, { additionalProperties: false })
])

/**
 * What the policy engine needs to know about a member (no identity). Left out, the income
 * source and the supporter default to "yes": 特困 needs the clerk to record 无生活来源 and
 * 无赡养人 explicitly, never by omission.
 */
export const memberFacts = {
  laborCapacity: oneOf(LABOR_CAPACITIES, '劳动能力'),
  hasIncomeSource: Type.Boolean({ default: true, description: '有无收入来源（未填按“有”：无生活来源须明确填写）' }),
  hasAbleSupporter: Type.Boolean({ default: true, description: '有无有履行能力的法定赡养、抚养、扶养义务人（未填按“有”）' }),
  disability: Type.Optional(DisabilitySchema),
  seriousIllness: Type.Boolean({ default: false, description: '是否患重病' }),
  schoolStage: Type.Optional(oneOf(SCHOOL_STAGES, '在学阶段')),
  employed: Type.Boolean({ default: false, description: '是否就业' }),
  hukou: Type.Optional(Hukou),
  publicSector: Type.Optional(Type.Boolean({ default: false, description: '是否行政事业单位人员（南浔 三(五)：低收入农户不含）' })),
  povertyMonitoring: Type.Optional(PovertyMonitoringSchema)
}

/** What the policy engine needs to know about a household. */
export const householdFacts = {
  annualIncome: Type.Number({ minimum: 0, maximum: 1e10, description: '家庭年收入（元，扣除就业成本前）' }),
  rigidExpenses: Type.Object({
    medical: Type.Number({ minimum: 0, maximum: 1e10, default: 0 }),
    education: Type.Number({ minimum: 0, maximum: 1e10, default: 0 }),
    other: Type.Optional(Type.Number({ minimum: 0, maximum: 1e10, default: 0, description: '其他刚性支出，如康复、护理（“医疗、教育等”）' }))
  }, { additionalProperties: false, default: { medical: 0, education: 0, other: 0 }, description: '刚性支出（元/年）' }),
  propertyCompliant: Type.Boolean({ description: '家庭财产状况是否符合规定' }),
  povertyMonitoring: Type.Boolean({ default: false, description: '防止返贫监测对象（导入标记）' }),
  hardships: Type.Array(oneOf(HARDSHIPS, '困难情形'), { uniqueItems: true, default: [], maxItems: HARDSHIPS.length }),
  previousAnnualIncome: Type.Optional(Type.Number({ minimum: 0, maximum: 1e10, description: '上年度家庭年收入（元），山西“收入大幅缩减”与之比较' })),
  propertyCheckedOn: Type.Optional(CalendarDate)
}

export const EvaluateMember = Type.Object({
  birthDate: CalendarDate,
  ...memberFacts
}, { additionalProperties: false })

export const EvaluateHousehold = Type.Object({
  ...householdFacts,
  caseByCase: Type.Optional(Type.Boolean({ description: CASE_BY_CASE })),
  administrativeVillage: Type.Optional(Type.Union([Type.Boolean(), Type.Null()], { description: '是否行政村（非城镇社区），南浔 三(五) 低收入农户用；登记的家庭由其村（社区）名称判断' })),
  members: Type.Array(EvaluateMember, { minItems: 1, maxItems: 30 })
}, { additionalProperties: false })

export type EvaluateHouseholdInput = Static<typeof EvaluateHousehold>

/** A registered member: identity fields on top of the facts; birth date and sex come from the ID number. */
export const RegistryMember = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 50 }),
  idNumber: Type.String({ minLength: 15, maxLength: 20, description: '居民身份证号码（18 位）' }),
  relation: oneOf(RELATIONS, '与户主关系'),
  ...memberFacts,
  illness: Type.Optional(Type.String({ maxLength: 100, description: '所患重病名称（加密保存）' }))
}, { additionalProperties: false })

/** A status, the day it began, and for a gradual exit its last day (required with it). */
const statusFields = {
  status: Type.Optional(oneOf(HOUSEHOLD_STATUSES, '状态')),
  statusSince: Type.Optional(dateOf('状态开始日期（未填为当天），监测期限自此起算')),
  gradualExitUntil: Type.Optional(dateOf('渐退期截止日期（状态为 gradual_exit 时必填）'))
}

export const RegistryHousehold = Type.Object({
  regionCode: Type.String({ pattern: '^[0-9]{12}$', description: '村（社区）代码，12 位' }),
  address: Type.String({ maxLength: 200, default: '' }),
  phone: Type.String({ pattern: '^(1[3-9][0-9]{9})?$', default: '', description: '手机号' }),
  ...householdFacts,
  ...statusFields,
  caseByCase: Type.Boolean({ default: false, description: CASE_BY_CASE }),
  members: Type.Array(RegistryMember, { minItems: 1, maxItems: 30 })
}, { additionalProperties: false })

export type RegistryHouseholdInput = Static<typeof RegistryHousehold>

/**
 * A change to a registered household: any subset of its facts, and of its members' facts by
 * person id. No defaults here: Ajv would fill them in and overwrite what was not sent.
 */
const expenses = Type.Object({ medical: Money, education: Money, other: Type.Optional(Money) }, { additionalProperties: false })
export const HouseholdChanges = Type.Object({
  annualIncome: Type.Optional(Money),
  rigidExpenses: Type.Optional(expenses),
  incomeChangedOn: Type.Optional(dateOf('新收入开始的日期：收入超标时渐退期自其次月起算')),
  previousAnnualIncome: Type.Optional(Type.Union([Money, Type.Null()])),
  propertyCompliant: Type.Optional(Type.Boolean()),
  propertyCheckedOn: Type.Optional(CalendarDate),
  povertyMonitoring: Type.Optional(Type.Boolean()),
  hardships: Type.Optional(Type.Array(oneOf(HARDSHIPS, '困难情形'), { uniqueItems: true, maxItems: HARDSHIPS.length })),
  ...statusFields,
  caseByCase: Type.Optional(Type.Boolean()),
  address: Type.Optional(Type.String({ maxLength: 200 })),
  phone: Type.Optional(Type.String({ pattern: '^(1[3-9][0-9]{9})?$' })),
  members: Type.Optional(Type.Array(Type.Object({
    id: Type.Integer({ minimum: 1 }),
    relation: Type.Optional(oneOf(RELATIONS, '与户主关系（如户主去世后另立户主）')),
    laborCapacity: Type.Optional(memberFacts.laborCapacity),
    hasIncomeSource: Type.Optional(Type.Boolean()),
    hasAbleSupporter: Type.Optional(Type.Boolean()),
    disability: Type.Optional(DisabilitySchema),
    seriousIllness: Type.Optional(Type.Boolean()),
    schoolStage: memberFacts.schoolStage,
    employed: Type.Optional(Type.Boolean()),
    hukou: Type.Optional(Hukou),
    publicSector: Type.Optional(Type.Boolean()),
    povertyMonitoring: Type.Optional(PovertyMonitoringSchema)
  }, { additionalProperties: false }), { maxItems: 30 })),
  addMembers: Type.Optional(Type.Array(RegistryMember, { minItems: 1, maxItems: 30, description: '新增成员（出生、迁入等），与登记时同样核验身份证号并执行一人一次' })),
  removeMembers: Type.Optional(Type.Array(Type.Object({
    id: Type.Integer({ minimum: 1 }),
    reason: oneOf(LEAVING_REASONS, '离开原因：death 去世, moved_out 迁出, other 其他'),
    on: dateOf('离开日期')
  }, { additionalProperties: false }), { minItems: 1, maxItems: 30, description: '离开的成员：保留其记录并注明日期和原因，不再计入家庭' }))
}, { additionalProperties: false, minProperties: 1 })

export type HouseholdChangesInput = Static<typeof HouseholdChanges>

// Responses. Fastify serialises exactly these fields: a column added to a row mapper reaches
// no client until it is named here. The registry's view types are taken from them (Static).

const NullableString = Type.Union([Type.String(), Type.Null()])
const NullableNumber = Type.Union([Type.Number(), Type.Null()])

export const MemberSummarySchema = Type.Object({
  id: Type.Integer(),
  relation: Type.String(),
  maskedName: Type.String({ description: '姓名脱敏，如“张**”' }),
  birthDate: Type.String(),
  sex: Type.String(),
  laborCapacity: Type.String(),
  hasIncomeSource: Type.Boolean(),
  hasAbleSupporter: Type.Boolean(),
  disability: Type.Union([Type.Object({ level: Type.Integer(), kind: Type.String() }), Type.Null()]),
  seriousIllness: Type.Boolean(),
  schoolStage: Type.String(),
  employed: Type.Boolean(),
  hukou: Type.Union([Type.Enum(HUKOU_KINDS), Type.Null()], { description: '户籍：rural 原农村户籍，urban 城镇户籍；null 未登记' }),
  publicSector: Type.Boolean({ description: '行政事业单位人员' }),
  povertyMonitoring: Type.Union([Type.Object({ from: Type.String(), until: NullableString }), Type.Null()], { description: '本人的防返贫监测：开始日期，结束后的最后一日' })
})
export type MemberSummary = Static<typeof MemberSummarySchema>

/** One ground of a person's outcome (the engine's PersonGround); its words are the outcome's reason when it decides. */
const PersonGroundSchema = Type.Object({
  category: Type.Enum(CATEGORIES, { description: '类别代码' }),
  basis: Type.Enum(PERSON_BASES, { description: 'tekun 本人特困, individual_dibao 单人保, single_person_household 参照单人户, poverty_monitoring 防返贫监测, household 家庭类别, gradual_exit 渐退期保留' }),
  source: Type.String({ description: '依据段落（文件 段）' })
})

/** What a decision found about one person, as the views show it: the person is known from where it is shown. */
export const PersonOutcomeSchema = Type.Object({
  category: Type.Enum([...CATEGORIES, 'none'], { description: '本人类别：其各项依据中最高者（就高、一人一次）；none 不属于低收入人口' }),
  reason: Type.String({ description: '决定本人类别的依据的说明' }),
  source: Type.String({ description: '该依据所在段落' }),
  grounds: Type.Array(PersonGroundSchema, { description: '适用的全部依据，由高到低' }),
  illnessImpoverished: Type.Optional(Type.Boolean({ description: '因病致贫重病患者（湖北 二(一)、济源 四(二)1、甘肃 三(二)）' })),
  lowIncomeFarmer: Type.Optional(Type.Boolean({ description: '低收入农户（南浔 三(五)）' })),
  monitoring: Type.Optional(Type.Object({
    from: NullableString,
    until: NullableString,
    current: Type.Boolean({ description: '认定日是否在监测期内' })
  }, { description: '本人的防返贫监测（仅有户的标记时日期为 null）' }))
}, { description: '本人的认定结果' })
export type PersonOutcome = Static<typeof PersonOutcomeSchema>

/** A member's outcome as the engine gives it (evaluate, a new decision): by the member's place among those classified. */
export const MemberOutcomeSchema = Type.Object({
  member: Type.Integer({ description: '成员在本次认定的成员（household.members）中的位置' }),
  ...PersonOutcomeSchema.properties
}, { description: '一名成员的认定结果' })

/** A member's outcome as a decision stores it: with the person it is about. */
export const StoredMemberOutcomeSchema = Type.Object({
  personId: Type.Integer({ description: '登记的成员' }),
  ...MemberOutcomeSchema.properties
}, { description: '一名登记成员的认定结果' })
export type StoredMemberOutcome = Static<typeof StoredMemberOutcomeSchema>

export const HouseholdSummarySchema = Type.Object({
  id: Type.Integer(),
  externalKey: NullableString,
  regionCode: Type.String(),
  category: NullableString,
  status: Type.String(),
  statusSince: Type.String({ description: '状态开始日期' }),
  gradualExitUntil: NullableString,
  annualIncome: Type.Number(),
  previousAnnualIncome: NullableNumber,
  rigidExpenses: Type.Object({ medical: Type.Number(), education: Type.Number(), other: Type.Number({ description: '其他刚性支出，如康复、护理' }) }),
  propertyCompliant: Type.Boolean(),
  propertyCheckedOn: NullableString,
  povertyMonitoring: Type.Boolean(),
  hardships: Type.Array(Type.String()),
  memberCount: Type.Integer({ description: '现有成员数（不含已离开的）' }),
  updatedAt: Type.String()
}, { description: '家庭概况（不含成员）' })
export type HouseholdSummary = Static<typeof HouseholdSummarySchema>

/** A current member with what the household's latest decision found about them. */
export const MemberViewSchema = Type.Object({
  ...MemberSummarySchema.properties,
  decision: Type.Union([PersonOutcomeSchema, Type.Null()], { description: '本人在最近一次认定中的结果；该认定早于本人（或早于按人认定）时为 null' })
})
export type MemberView = Static<typeof MemberViewSchema>

export const HouseholdDetailSchema = Type.Object({
  ...HouseholdSummarySchema.properties,
  members: Type.Array(MemberViewSchema, { description: '现有成员及其最近一次认定结果；人数、认定与匹配只计这些人' }),
  formerMembers: Type.Array(Type.Object({ ...MemberSummarySchema.properties, leftOn: Type.String(), leftReason: Type.String() }), { description: '已离开的成员（去世、迁出），保留记录，不再计入' }),
  monitoring: Type.Union([Type.Object({ monitored: Type.Boolean(), ground: Type.String(), until: NullableString }), Type.Null()], { description: '不予认定、退出及其他监测对象：是否仍在监测期内，至何时' }),
  propertyCheck: Type.Union([Type.Object({ checkedOn: Type.String(), validUntil: Type.String(), needsRecheck: Type.Boolean() }), Type.Null()], { description: '家庭经济状况核对是否仍在有效期内（湖北 二(三)）' }),
  decision: Type.Union([Type.Object({
    id: Type.Integer(),
    decidedAt: Type.String(),
    asOf: Type.String(),
    profile: Type.String(),
    profileVersion: Type.String(),
    category: Type.String()
  }), Type.Null()], { description: '类别与成员认定结果所出自的最近一次认定；首次认定前为 null' })
}, { description: '家庭详情（姓名脱敏）' })
export type HouseholdDetail = Static<typeof HouseholdDetailSchema>

export const HouseholdPiiSchema = Type.Object({
  address: NullableString,
  phone: NullableString,
  members: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), idNumber: Type.String(), illness: NullableString }))
}, { description: '完整个人信息（每次读取均留痕）' })
export type HouseholdPii = Static<typeof HouseholdPiiSchema>

/** One step of a classification's trace. Its inputs are what that rule read, and differ by rule. */
export const TraceStepSchema = Type.Object({
  rule: Type.String(),
  label: Type.String(),
  result: Type.Boolean(),
  inputs: Type.Record(Type.String(), Type.Unknown({ description: '该规则读取的数值、比较（comparisons）与参数，因规则而异 (what the rule read; differs by rule)' })),
  source: Type.String({ description: '所依据的文件段落' }),
  note: Type.Optional(Type.String({ description: '借用其他文件规则时的说明' }))
}, { additionalProperties: true, description: '认定依据的一步；政策引擎可增加字段 (the engine may add keys)' })

/** What the engine answers for a household, stored or not (a decision adds the day it is made as of). */
const classification = {
  profile: Type.String(),
  profileVersion: Type.String(),
  category: Type.String(),
  individualDibao: Type.Array(Type.Integer(), { description: '单人保成员（人员序号）' }),
  members: Type.Array(MemberOutcomeSchema, { description: '每名成员的认定结果，按成员顺序' }),
  perCapitaMonthlyIncome: Type.Number(),
  trace: Type.Array(TraceStepSchema)
}

/** POST /eligibility/evaluate: a dry-run classification; the engine may add keys. */
export const EvaluateResultSchema = Type.Object(classification, { additionalProperties: true, description: '认定试算结果（不保存）' })

export const DecisionSchema = Type.Object({ asOf: Type.String(), ...classification }, { description: '一次类别认定及其依据' })

const storedMembers = Type.Array(StoredMemberOutcomeSchema, { description: '每名成员的认定结果（含其登记 id）；按人认定之前作出的决定为 []' })

export const DecisionRecordSchema = Type.Object({ id: Type.Integer(), decidedAt: Type.String(), ...DecisionSchema.properties, members: storedMembers })
export type DecisionRecord = Static<typeof DecisionRecordSchema>

/** A household's status, 渐退期 and the day its status began, as a decision leaves them. */
const standing = { status: Type.String(), gradualExitUntil: NullableString }

/** What a comparison of two decisions says (matching/policy/compare.ts). */
const ComparisonSchema = Type.Object({
  same: Type.Boolean({ description: '没有任何变化' }),
  changes: Type.Array(Type.Object({
    field: Type.Enum(['category', 'status', 'gradualExitUntil', 'profileVersion', 'perCapitaMonthlyIncome']),
    from: Type.Union([Type.String(), Type.Number(), Type.Null()]),
    to: Type.Union([Type.String(), Type.Number(), Type.Null()]),
    says: Type.String({ description: '变化的说明' })
  }), { description: '家庭层面的变化' }),
  members: Type.Array(Type.Object({
    personId: Type.Integer(),
    kind: Type.Enum(['joined', 'left', 'changed'], { description: 'joined 现行决定中无此人，left 新决定中无此人，changed 类别或标记改变' }),
    from: NullableString,
    to: NullableString,
    reason: Type.String({ description: '新的认定依据（离开者为原依据）' }),
    says: Type.String({ description: '变化的说明' })
  }), { description: '成员层面的变化（未变者不列）' })
}, { description: '重新认定将带来的变化' })

/** A dry-run reclassification: the decision it would append against the current one; nothing is written. */
export const ReclassificationPreviewSchema = Type.Object({
  asOf: Type.String(),
  current: Type.Union([Type.Object({ ...DecisionRecordSchema.properties, ...standing }), Type.Null()], { description: '现行（最近一次）认定及现在的状态；首次认定前为 null' }),
  next: Type.Object({ ...DecisionSchema.properties, members: storedMembers, ...standing, statusSince: Type.String() }, { description: '重新认定将作出的决定及其后的状态' }),
  comparison: ComparisonSchema
}, { description: '重新认定试算（不保存）' })
export type ReclassificationPreview = Static<typeof ReclassificationPreviewSchema>

export const AssistanceEntrySchema = Type.Object({
  id: Type.Integer(),
  householdId: Type.Integer(),
  personId: Type.Union([Type.Integer(), Type.Null()]),
  source: Type.Enum(['government', 'charity']),
  kind: Type.String(),
  tags: Type.Array(Type.String()),
  value: Type.Number({ description: '元；冲正记录为负' }),
  occurredOn: Type.String(),
  provider: Type.String(),
  reference: NullableString,
  reverses: Type.Union([Type.Integer(), Type.Null()], { description: '所冲正的记录' }),
  reversalReason: Type.Union([Type.String(), Type.Null()], { description: '冲正原因：冲正记录上为冲正时写明的原因，其他记录为 null' }),
  createdAt: Type.String()
}, { description: '救助链中的一条记录' })
export type AssistanceEntry = Static<typeof AssistanceEntrySchema>

export const ReversalSchema = Type.Object({ ...AssistanceEntrySchema.properties, reversalReason: Type.String() })

/** Where the household and the person an entry is for stood when it was given: the decision in force on its day. */
export const ChainStandingSchema = Type.Object({
  decisionId: Type.Integer(),
  asOf: Type.String(),
  householdCategory: Type.String(),
  person: Type.Union([PersonOutcomeSchema, Type.Null()], { description: '受助人在该决定中的认定结果；面向全户或该决定未载此人时为 null' })
}, { description: '给予时有效的认定（as_of 不晚于给予日的最近一次）' })
export type ChainStanding = Static<typeof ChainStandingSchema>

/** An entry of the chain as the chain is read: with the standing it was given under (null before the first decision). */
export const ChainEntrySchema = Type.Object({ ...AssistanceEntrySchema.properties, standing: Type.Union([ChainStandingSchema, Type.Null()]) })


/** Government help appended to a household's chain (the API's body and the household page's form). */
export const NewAssistanceSchema = Type.Object({
  kind: Type.String({ minLength: 1, maxLength: 60, description: '救助类别，如 dibao_payment、medical_assistance、temporary_assistance' }),
  personId: Type.Optional(Type.Integer({ minimum: 1 })),
  tags: Type.Array(Type.String({ maxLength: 40 }), { default: [], maxItems: 10 }),
  value: Type.Number({ minimum: 0, maximum: 1e9 }),
  occurredOn: CalendarDate,
  provider: Type.String({ minLength: 1, maxLength: 100, description: '实施部门' }),
  reference: Type.Optional(Type.String({ maxLength: 100 }))
}, { additionalProperties: false })

export const ReversalRequestSchema = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 200 }), on: Type.Optional(CalendarDate) }, { additionalProperties: false })

const ImportProblemSchema = Type.Object({
  line: Type.Integer({ description: '行号（表头为第 1 行）' }),
  column: Type.String(),
  code: Type.String(),
  reason: Type.String(),
  value: Type.Union([Type.String(), Type.Null()], { description: '该格填写的内容（姓名、身份证号、电话、地址已脱敏；无此格时为 null）' })
})

export const ImportRunSchema = Type.Object({
  id: Type.Integer(),
  fileName: Type.String(),
  format: Type.Enum(['csv', 'xlsx']),
  mode: Type.Enum(['all_or_nothing', 'valid_rows_only']),
  status: Type.String({ description: 'queued, running, completed, rejected, failed' }),
  rowsRead: Type.Integer(),
  householdsCreated: Type.Integer(),
  householdsUnchanged: Type.Integer(),
  householdsRejected: Type.Integer(),
  createdAt: Type.String(),
  finishedAt: NullableString,
  rowsExpected: Type.Union([Type.Integer(), Type.Null()], { description: 'CSV 的数据行数（用于进度）；XLSX 为 null' }),
  problemCount: Type.Integer({ description: '问题行总数（problems 为其中一页）' }),
  problems: Type.Array(ImportProblemSchema),
  warnings: Type.Array(ImportProblemSchema, { description: '不影响导入的提示，如未知的列' }),
  progress: Type.Union([
    Type.Object({
      rowsRead: Type.Integer({ description: '已读取的行数' }),
      households: Type.Optional(Type.Integer({ description: '已读完的家庭数' })),
      householdsRejected: Type.Optional(Type.Integer({ description: '其中有问题的家庭数' })),
      problems: Type.Optional(Type.Integer({ description: '已发现的问题数' }))
    }),
    Type.Literal(0, { description: '任务尚未开始读取' }),
    Type.Null({ description: '任务已清除' })
  ])
}, { description: '花名册导入的状态、计数与问题行' })
