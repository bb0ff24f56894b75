// Request schemas for households, shared by the evaluate endpoint, the registry API and the
// import (one schema per payload). Enumerations come from matching/domain.ts.
import { Type, type Static } from 'typebox'
import { DISABILITY_KINDS, HARDSHIPS, HOUSEHOLD_STATUSES, HUKOU_KINDS, LABOR_CAPACITIES, LEAVING_REASONS, RELATIONS, SCHOOL_STAGES } from '../../matching/domain.js'

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

/** One ground of a member's outcome (the engine's PersonGround). */
const PersonGroundSchema = Type.Object({
  category: Type.String({ description: '类别代码' }),
  basis: Type.String({ description: 'tekun 本人特困, individual_dibao 单人保, single_person_household 参照单人户, poverty_monitoring 防返贫监测, household 家庭类别, gradual_exit 渐退期保留' }),
  source: Type.String({ description: '依据段落（文件 段）' })
})

/** A member's outcome, as the evaluate endpoint returns it and a decision stores it (with personId). */
export const MemberOutcomeSchema = Type.Object({
  personId: Type.Optional(Type.Integer({ description: '登记的成员（决定中）' })),
  member: Type.Integer({ description: '成员在 household.members 中的位置' }),
  category: Type.String({ description: '本人类别：其各项依据中最高者（就高、一人一次）' }),
  reason: Type.String({ description: '决定本人类别的依据的说明' }),
  source: Type.String({ description: '该依据所在段落' }),
  grounds: Type.Array(PersonGroundSchema),
  illnessImpoverished: Type.Optional(Type.Boolean({ description: '因病致贫重病患者（湖北 二(一)、济源 四(二)1、甘肃 三(二)）' })),
  lowIncomeFarmer: Type.Optional(Type.Boolean({ description: '低收入农户（南浔 三(五)）' })),
  monitoring: Type.Optional(Type.Object({
    from: Type.Union([Type.String(), Type.Null()]),
    until: Type.Union([Type.String(), Type.Null()]),
    current: Type.Boolean()
  }))
})

