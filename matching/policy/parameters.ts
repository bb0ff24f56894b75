// Dated parameters: every threshold of a policy profile is a list of versions, each with the
// day it takes effect. For a given day the engine uses, per key, the version with the latest
// effective date on or before it; staff-added versions (stored by the server) are merged
// with the profile's built-in ones, and a version of the same key and day replaces it.
import { createHash } from 'node:crypto'

/**
 * Every parameter a profile may carry, with its unit and the values that make sense for it:
 * `min`/`max` inclusive unless `above` says the minimum itself is excluded; `integer` for
 * counts of months, years and days.
 */
export const PARAMETER_KEYS = {
  dibaoMonthly: { unit: '元/人/月', description: '最低生活保障标准 (dibao standard)', min: 0, above: true, max: 100_000 },
  edgeMultiplier: { unit: '倍', description: '低保边缘标准 = 低保标准 × k (edge multiplier k)', min: 1, above: true, max: 5 },
  minWageMonthly: { unit: '元/月', description: '当地最低工资标准，南浔低保边缘标准的上限 (minimum wage cap)', min: 0, above: true, max: 100_000 },
  disposableIncomeAnnual: { unit: '元/人/年', description: '上年度当地（城镇）居民人均可支配收入 (last year\'s per-capita disposable income)', min: 0, above: true, max: 10_000_000 },
  lowIncomeSupportAnnual: { unit: '元/人/年', description: '低收入帮扶家庭年人均收入上限 (low-income-support line)', min: 0, above: true, max: 10_000_000 },
  rigidExpenseShare: { unit: '比例', description: '医疗、教育支出占家庭总收入的比例下限 (rigid-expense share)', min: 0, above: true, max: 1 },
  incomeDropShare: { unit: '比例', description: '家庭年收入较上年减少的比例下限，山西“收入大幅缩减” (income-drop share)', min: 0, above: true, max: 1 },
  employmentDeductionMonthly: { unit: '元/人/月', description: '已就业成员核算收入时扣减的就业成本 (employment-cost deduction per employed member)', min: 0, max: 100_000 },
  gradualExitMonths: { unit: '月', description: '渐退期 (gradual-exit months)', min: 1, max: 36, integer: true },
  // Read by the warning work of the monitoring issue (预警处置时限); stored here so that staff keep them with the other dated thresholds.
  warningDaysLowIncome: { unit: '工作日', description: '低收入人口预警处置时限，供监测预警使用 (warning deadline, low-income persons; used by monitoring)', min: 1, max: 60, integer: true },
  warningDaysOtherMonitored: { unit: '工作日', description: '其他监测对象预警处置时限，供监测预警使用 (warning deadline, other monitored persons; used by monitoring)', min: 1, max: 60, integer: true },
  temporaryAssistanceWindowYears: { unit: '年', description: '获得临时救助后留在数据库的年限 (temporarily assisted window)', min: 1, max: 10, integer: true },
  refusedWindowYears: { unit: '年', description: '申请未获批后留在数据库的年限 (refused window)', min: 1, max: 10, integer: true },
  exitedWindowYears: { unit: '年', description: '退出救助后留在数据库的年限 (exited window)', min: 1, max: 10, integer: true },
  economicCheckValidityMonths: { unit: '月', description: '家庭经济状况核对结果互认期 (economic-check validity)', min: 1, max: 24, integer: true }
} as const satisfies Record<string, ParameterSpec>

export interface ParameterSpec {
  unit: string
  description: string
  min: number
  /** The minimum itself is not allowed (a standard of 0, a multiplier of 1). */
  above?: boolean
  max: number
  integer?: boolean
}

export type ParameterKey = keyof typeof PARAMETER_KEYS

export function isParameterKey (key: string): key is ParameterKey {
  return Object.hasOwn(PARAMETER_KEYS, key)
}

/** Why `value` cannot be a version of `key`, in words for the administrator; undefined when it can. */
export function parameterValueProblem (key: ParameterKey, value: number, limits: { max?: number } = {}): string | undefined {
  const spec: ParameterSpec = PARAMETER_KEYS[key]
  const max = Math.min(spec.max, limits.max ?? Infinity)
  if (!Number.isFinite(value)) return `${key} 须为数值 (must be a number)`
  if (spec.integer === true && !Number.isInteger(value)) return `${key} 须为整数（${spec.unit}）(must be a whole number of ${spec.unit})`
  if (spec.above === true ? value <= spec.min : value < spec.min) return `${key} 须${spec.above === true ? '大于' : '不小于'} ${spec.min}（${spec.unit}）(must be ${spec.above === true ? 'above' : 'at least'} ${spec.min})`
  if (value > max) return `${key} 不能超过 ${max}（${spec.unit}）(must be at most ${max})`
  return undefined
}

export interface ParameterVersion {
  key: string
  value: number
  /** YYYY-MM-DD */
  effectiveFrom: string
  /** Where the value comes from: a document paragraph, or who entered it. */
  source: string
  /** True when the document gives no number and this is a placeholder staff must replace. */
  demo?: boolean
  /** True when the document bears no date and effectiveFrom is a placeholder staff must replace. */
  placeholderDate?: boolean
}

export type ParameterValues = Partial<Record<ParameterKey, number>>

export interface ResolvedParameters {
  values: ParameterValues
  /** The version used for each key, for traces. */
  used: Partial<Record<ParameterKey, ParameterVersion>>
  /** Identifies exactly these values: profile@latest-effective-date#hash (+override). */
  version: string
}

/** Picks, per key, the latest version effective on `asOf`; `overrides` win for this call only. */
export function resolveParameters (profile: string, builtIn: readonly ParameterVersion[], staff: readonly ParameterVersion[], asOf: string, overrides: ParameterValues = {}): ResolvedParameters {
  const used: Partial<Record<ParameterKey, ParameterVersion>> = {}
  // Staff versions come after built-in ones so that, on the same day, staff win.
  for (const version of [...builtIn, ...staff]) {
    if (!isParameterKey(version.key) || version.effectiveFrom > asOf) continue
    const current = used[version.key]
    if (!current || version.effectiveFrom >= current.effectiveFrom) used[version.key] = version
  }
  const overridden = Object.entries(overrides).filter(([key, value]) => isParameterKey(key) && value !== undefined) as Array<[ParameterKey, number]>
  for (const [key, value] of overridden) {
    used[key] = { key, value, effectiveFrom: asOf, source: '本次测算临时指定 (override for this evaluation)' }
  }
  const values: ParameterValues = {}
  for (const [key, version] of Object.entries(used) as Array<[ParameterKey, ParameterVersion]>) values[key] = version.value
  const latest = Object.values(used).reduce((max, v) => v && v.effectiveFrom > max ? v.effectiveFrom : max, '0000-00-00')
  const canonical = Object.keys(values).sort().map(key => `${key}=${values[key as ParameterKey]}`).join(';')
  const hash = createHash('sha256').update(canonical).digest('hex').slice(0, 8)
  return { values, used, version: `${profile}@${latest}#${hash}${overridden.length > 0 ? '+override' : ''}` }
}
