// The five regional policy profiles, one per document in the policy library. Each names the
// categories its document defines, how its rules differ, where each rule is written, and its
// built-in parameter versions. Where a document gives no number the value is marked
// `demo: true`: a placeholder that staff replace with the locally published standard.
import type { Category } from '../domain.js'
import type { ParameterKey, ParameterVersion } from './parameters.js'

export const PROFILE_IDS = ['nanxun-2025', 'hubei-2024', 'jiyuan-2024', 'shanxi-county', 'gansu-2023'] as const
export type ProfileId = typeof PROFILE_IDS[number]

export const DOCUMENTS: Record<ProfileId, string> = {
  'nanxun-2025': '000_6379457d8a0eea12.txt',
  'hubei-2024': '001_8cb5f20805feca87.txt',
  'jiyuan-2024': '002_652007ff225b11c2.txt',
  'shanxi-county': '003_36aac0a6461aae9a.txt',
  'gansu-2023': '004_ada1234e2519cca0.txt'
}

/** How a profile reads the rigid-expense category. */
export type RigidExpenseRule =
  | 'income_after_expenses_below_edge' // Nanxun 二
  | 'expense_share_of_income' // Jiyuan 二(二)5 (Hubei and Gansu defer to provincial rules: same test, demo share)
  | 'hardship_driven' // Shanxi: 因病因灾因意外事故等刚性支出较大

export interface Profile {
  id: ProfileId
  title: string
  /** The categories this document defines, in 就高 order. */
  categories: readonly Category[]
  rigidExpense: RigidExpenseRule
  /** Nanxun caps the edge line at the minimum wage. */
  edgeCappedByMinWage: boolean
  /** Which households get the employment-cost deduction when their income is assessed. */
  employmentDeductionFor: ReadonlyArray<'dibao' | 'dibao_edge'>
  /** 单人保: severely disabled or seriously ill members of edge households covered individually. */
  individualDibao: boolean
  /** Paragraph citations per rule, "file section". */
  sources: Partial<Record<RuleId, string>>
  parameters: readonly ParameterVersion[]
}

export type RuleId =
  | 'tekun' | 'dibao' | 'fanpin_monitor' | 'dibao_edge' | 'rigid_expense' | 'low_income_support' | 'other'
  | 'employment_deduction' | 'individual_dibao' | 'precedence' | 'gradual_exit' | 'monitored_windows'

function versions (file: string, effectiveFrom: string, list: Array<[ParameterKey, number, string | null]>): ParameterVersion[] {
  return list.map(([key, value, section]) => section === null
    ? { key, value, effectiveFrom, source: `演示值：文件未给出具体数值，请按当地公布标准设置 (demo value; ${file} gives no number)`, demo: true }
    : { key, value, effectiveFrom, source: `${file} ${section}` })
}

const NANXUN = DOCUMENTS['nanxun-2025']
const HUBEI = DOCUMENTS['hubei-2024']
const JIYUAN = DOCUMENTS['jiyuan-2024']
const SHANXI = DOCUMENTS['shanxi-county']
const GANSU = DOCUMENTS['gansu-2023']

export const PROFILES: Record<ProfileId, Profile> = {
  'nanxun-2025': {
    id: 'nanxun-2025',
    title: '湖州市南浔区 浔政办发〔2025〕11号',
    categories: ['tekun', 'dibao', 'dibao_edge', 'rigid_expense', 'low_income_support'],
    rigidExpense: 'income_after_expenses_below_edge',
    edgeCappedByMinWage: true,
    employmentDeductionFor: ['dibao', 'dibao_edge'],
    individualDibao: false,
    sources: {
      tekun: `${NANXUN} 二`, dibao: `${NANXUN} 二`, dibao_edge: `${NANXUN} 二`, rigid_expense: `${NANXUN} 二`,
      low_income_support: `${NANXUN} 二`, employment_deduction: `${NANXUN} 三(一)`, gradual_exit: `${NANXUN} 三(一)`,
      monitored_windows: `${NANXUN} 四(二)`, precedence: `${HUBEI} 四`
    },
    parameters: versions(NANXUN, '2025-06-28', [
      ['dibaoMonthly', 1200, null],
      ['edgeMultiplier', 2, '二'],
      ['minWageMonthly', 2490, null],
      ['disposableIncomeAnnual', 70000, null],
      ['lowIncomeSupportAnnual', 33334, '二'],
      // The document says only "按相关规定扣减一定的就业成本"; 3,000 reproduces the API contract example.
      ['employmentDeductionMonthly', 3000, null],
      ['gradualExitMonths', 12, '三(一)'],
      ['warningDaysLowIncome', 10, '四(三)'],
      ['warningDaysOtherMonitored', 15, '四(三)'],
      ['temporaryAssistanceWindowYears', 1, '四(二)'],
      ['refusedWindowYears', 2, '四(二)'],
      ['exitedWindowYears', 3, '四(二)']
    ])
  },
  'hubei-2024': {
    id: 'hubei-2024',
    title: '湖北省 鄂民政发〔2024〕21号',
    categories: ['tekun', 'dibao', 'fanpin_monitor', 'dibao_edge', 'rigid_expense', 'other'],
    rigidExpense: 'expense_share_of_income',
    edgeCappedByMinWage: false,
    employmentDeductionFor: [],
    individualDibao: true,
    sources: {
      tekun: `${HUBEI} 二(二)`, dibao: `${HUBEI} 二(二)`, fanpin_monitor: `${HUBEI} 二(二)`, dibao_edge: `${HUBEI} 二(二)`,
      rigid_expense: `${HUBEI} 二(一)`, other: `${HUBEI} 二(二)`, individual_dibao: `${HUBEI} 四(一)`,
      monitored_windows: `${HUBEI} 三(二)`, precedence: `${HUBEI} 四`
    },
    parameters: versions(HUBEI, '2024-01-01', [
      ['dibaoMonthly', 800, null],
      ['edgeMultiplier', 2, null],
      ['disposableIncomeAnnual', 42000, null],
      ['rigidExpenseShare', 0.5, null],
      ['refusedWindowYears', 1, '三(二)'],
      ['exitedWindowYears', 2, '三(二)'],
      ['economicCheckValidityMonths', 6, '二(三)']
    ])
  },
  'jiyuan-2024': {
    id: 'jiyuan-2024',
    title: '济源示范区 济管办〔2024〕14号',
    categories: ['tekun', 'dibao', 'fanpin_monitor', 'dibao_edge', 'rigid_expense', 'other'],
    rigidExpense: 'expense_share_of_income',
    edgeCappedByMinWage: false,
    employmentDeductionFor: [],
    individualDibao: true,
    sources: {
      dibao: `${JIYUAN} 二(二)1`, tekun: `${JIYUAN} 二(二)2`, fanpin_monitor: `${JIYUAN} 二(二)3`, dibao_edge: `${JIYUAN} 二(二)4`,
      rigid_expense: `${JIYUAN} 二(二)5`, other: `${JIYUAN} 二(二)6`, individual_dibao: `${JIYUAN} 二(二)1`, precedence: `${HUBEI} 四`
    },
    parameters: versions(JIYUAN, '2024-01-01', [
      ['dibaoMonthly', 700, null],
      ['edgeMultiplier', 2, '二(二)4'],
      ['disposableIncomeAnnual', 38000, null],
      ['rigidExpenseShare', 0.5, '二(二)5']
    ])
  },
  'shanxi-county': {
    id: 'shanxi-county',
    title: '山西省某县 低收入人口常态化帮扶',
    categories: ['tekun', 'dibao', 'dibao_edge', 'rigid_expense', 'other'],
    rigidExpense: 'hardship_driven',
    edgeCappedByMinWage: false,
    employmentDeductionFor: [],
    individualDibao: true,
    sources: {
      dibao: `${SHANXI} 工作任务(三)1(1)`, tekun: `${SHANXI} 工作任务(三)1(3)`, dibao_edge: `${SHANXI} 工作任务(一)3`,
      rigid_expense: `${SHANXI} 工作任务(一)4`, other: `${SHANXI} 工作任务(一)5`, individual_dibao: `${SHANXI} 工作任务(三)1(2)`,
      precedence: `${HUBEI} 四`
    },
    parameters: versions(SHANXI, '2023-01-01', [
      ['dibaoMonthly', 650, null],
      ['edgeMultiplier', 1.5, '工作任务(一)3']
    ])
  },
  'gansu-2023': {
    id: 'gansu-2023',
    title: '甘肃省 甘政办发〔2023〕92号',
    categories: ['tekun', 'dibao', 'fanpin_monitor', 'dibao_edge', 'rigid_expense', 'other'],
    rigidExpense: 'expense_share_of_income',
    edgeCappedByMinWage: false,
    employmentDeductionFor: ['dibao'],
    individualDibao: true,
    sources: {
      tekun: `${GANSU} 一`, dibao: `${GANSU} 一`, fanpin_monitor: `${GANSU} 一`, dibao_edge: `${GANSU} 一`,
      rigid_expense: `${GANSU} 一`, other: `${GANSU} 一`, individual_dibao: `${GANSU} 三(一)`,
      employment_deduction: `${GANSU} 三(二)`, gradual_exit: `${GANSU} 三(二)`, precedence: `${HUBEI} 四`
    },
    parameters: versions(GANSU, '2023-11-24', [
      ['dibaoMonthly', 700, null],
      ['edgeMultiplier', 2, null],
      ['disposableIncomeAnnual', 35000, null],
      ['rigidExpenseShare', 0.5, null],
      ['employmentDeductionMonthly', 500, null],
      ['gradualExitMonths', 6, '三(二)']
    ])
  }
}

export class UnknownProfileError extends Error {
  override name = 'UnknownProfileError'
  constructor (readonly profile: string) {
    super(`unknown policy profile: ${profile}`)
  }
}

export function profileOf (id: string): Profile {
  if (!Object.hasOwn(PROFILES, id)) throw new UnknownProfileError(id)
  return PROFILES[id as ProfileId]
}
