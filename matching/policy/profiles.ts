// The five regional policy profiles, one per document in the policy library. Each names the
// categories its document defines, how its rules differ, where each rule is written, and its
// built-in parameter versions. Where a document gives no number the value is marked
// `demo: true`: a placeholder that staff replace with the locally published standard.
import type { Category } from '../domain.js'
import { parameterValueProblem, type ParameterKey, type ParameterVersion } from './parameters.js'

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
  | 'expense_share_of_income' // Jiyuan 二(二)5 (Hubei and Gansu defer to other rules: the same test, demo values)
  | 'spending_or_income_drop' // Shanxi 工作任务(一)4: 刚性支出较大或收入大幅缩减

/**
 * Where a rule is written. `source` is the paragraph whose text the engine applies; when
 * that paragraph is not in the profile's own document (the document defers to rules outside
 * the library, or is silent), `note` says so and names the profile's own paragraph.
 */
export interface Citation {
  source: string
  note?: string
}

export type RuleId =
  | 'tekun' | 'dibao' | 'fanpin_monitor' | 'dibao_edge' | 'rigid_expense' | 'low_income_support' | 'other'
  | 'assessed_income' | 'individual_dibao' | 'precedence' | 'gradual_exit' | 'monitored_windows' | 'economic_check'
  | 'standards_ignored'
  // Decisions about persons: 参照单人户纳入低保, 因病致贫重病患者, 低收入农户, and each member's category.
  | 'single_person_household' | 'illness_impoverished' | 'low_income_farmer' | 'person_outcomes'

export interface Profile {
  id: ProfileId
  title: string
  /** The categories this document defines, in 就高 order. */
  categories: readonly Category[]
  rigidExpense: RigidExpenseRule
  /**
   * How the edge band is written: Nanxun 二 "超过低保标准，一般低于低保标准的 2 倍（但不超过当地
   * 最低工资标准）"; the others "不符合低保条件…低于低保标准 k 倍" (the 低保 line itself is in).
   */
  edgeBand: 'above_dibao_below_k_within_wage' | 'not_dibao_below_k'
  /** Who decides 其他困难人员, in the document's words; null when it defines no such category. */
  otherRule: string | null
  /** Which households get the employment-cost deduction when their income is assessed. */
  employmentDeductionFor: ReadonlyArray<'dibao' | 'dibao_edge'>
  /** 单人保: severely disabled or seriously ill members of edge households covered individually. */
  individualDibao: boolean
  /** Categories whose households keep their treatment through a 渐退期 when income rises. */
  gradualExitFrom: ReadonlyArray<'dibao' | 'dibao_edge'>
  /**
   * Where each rule the profile applies is written (only those it applies). The person rules
   * single_person_household, illness_impoverished and low_income_farmer apply where cited.
   */
  rules: Partial<Record<RuleId, Citation>>
  /** Upper limits a document sets on a parameter (Gansu: 渐退期 原则上不超过6个月). */
  limits?: Partial<Record<ParameterKey, { max: number, source: string }>>
  parameters: readonly ParameterVersion[]
}

/** Section of the profile's own document; `null` for a demo value; `{ from }` for a value another document sets. */
type ValueSource = string | null | { from: string }

/**
 * The day the built-in versions take effect: the document's own date (its 施行 date where it
 * gives one, else its 印发 date), or, for an undated document, a placeholder that says so.
 */
type DocumentDate = { on: string, placeholder?: false } | { on: string, placeholder: true }

const UNDATED = '；生效日期为占位值：文件未载成文、印发或施行日期，请按实际施行日期设置 (placeholder effective date: the document is undated)'

function versions (file: string, date: DocumentDate, list: Array<[ParameterKey, number, ValueSource]>): ParameterVersion[] {
  const effectiveFrom = date.on
  return list.map(([key, value, section]) => {
    const version: ParameterVersion = section === null
      ? { key, value, effectiveFrom, source: `演示值：文件未给出具体数值，请按当地公布标准设置 (demo value; ${file} gives no number)`, demo: true }
      : typeof section === 'string'
        ? { key, value, effectiveFrom, source: `${file} ${section}` }
        : { key, value, effectiveFrom, source: `沿用 ${section.from}：${file} 未规定 (borrowed; ${file} sets none)` }
    return date.placeholder === true ? { ...version, source: version.source + UNDATED, placeholderDate: true } : version
  })
}

const NANXUN = DOCUMENTS['nanxun-2025']
const HUBEI = DOCUMENTS['hubei-2024']
const JIYUAN = DOCUMENTS['jiyuan-2024']
const SHANXI = DOCUMENTS['shanxi-county']
const GANSU = DOCUMENTS['gansu-2023']

/** A rule the profile's document leaves to others, applied as written in `source`. */
const borrowed = (source: string, note: string): Citation => ({ source, note })

// The conditions of 特困 and 低保 as the library writes them (Jiyuan 二(二)2 and 二(二)1; the
// Shanxi county's 工作任务(三)1 says the same): used where a document only defers to them.
const TEKUN_TEXT = `${JIYUAN} 二(二)2`
const DIBAO_TEXT = `${JIYUAN} 二(二)1`
const precedence = (file: string) => borrowed(`${HUBEI} 四`, `${file} 未写就高原则，沿用湖北 四“按‘就高’的原则落实相应救助政策” (borrowed from Hubei 四)`)
const checkValidity = (file: string) => borrowed(`${HUBEI} 二(三)`, `${file} 未规定经济状况核对结果的有效期，沿用湖北 二(三)“在 6 个月内互通互认” (borrowed from Hubei 二(三))`)
/** For documents without a 渐退期: the household leaves when it no longer qualifies, at the time Nanxun 三(一) sets. */
const noGradualExit = (document: string) => borrowed(`${NANXUN} 三(一)`,
  `${document} 未规定渐退期：不再符合条件即退出，退出时间沿用南浔 三(一)“自发现之日次月起” (no gradual exit in this document; exit timing borrowed from Nanxun)`)
/** 单人保's "重度残疾人" in certificate levels, as only the Shanxi county writes it. */
const SEVERE_LEVELS = `“重度残疾人”按山西 ${SHANXI} 工作任务(三)1(2) 的口径：二代残疾人证一、二级，或三级智力、精神残疾`
/**
 * "参照单人户纳入最低生活保障范围的成年无业重度残疾人等其他特殊困难人员" gives no income test: read
 * as the members of a household found low-income (four "低收入人口") but not 低保 or 特困.
 */
const SINGLE_PERSON = `未写收入条件：适用于已认定为低收入人口（非低保、特困）家庭中的成年（满18周岁）未就业重度残疾人，家庭财产须符合规定；${SEVERE_LEVELS}`
/** Each member's category: the highest that applies to them (就高), counted once (一人一次). */
const personPrecedence = (file: string) => borrowed(`${HUBEI} 四`, `${file} 未写就高、一人一次：沿用湖北 四、三(二) (borrowed from Hubei)`)

export const PROFILES: Record<ProfileId, Profile> = {
  'nanxun-2025': {
    id: 'nanxun-2025',
    title: '湖州市南浔区 浔政办发〔2025〕11号',
    categories: ['tekun', 'dibao', 'dibao_edge', 'rigid_expense', 'low_income_support'],
    rigidExpense: 'income_after_expenses_below_edge',
    edgeBand: 'above_dibao_below_k_within_wage',
    otherRule: null,
    employmentDeductionFor: ['dibao', 'dibao_edge'],
    individualDibao: false,
    gradualExitFrom: ['dibao', 'dibao_edge'],
    rules: {
      assessed_income: { source: `${NANXUN} 三(一)` },
      tekun: borrowed(TEKUN_TEXT, `南浔 ${NANXUN} 二 只写“特困供养人员……的认定条件按现有规定执行”；此处按济源 二(二)2 所写的通行条件判定 (Nanxun defers; conditions as written in Jiyuan)`),
      dibao: borrowed(DIBAO_TEXT, `南浔 ${NANXUN} 二 只写“最低生活保障对象的认定条件按现有规定执行”；此处按济源 二(二)1 所写的通行条件判定 (Nanxun defers; conditions as written in Jiyuan)`),
      dibao_edge: { source: `${NANXUN} 二` },
      rigid_expense: { source: `${NANXUN} 二` },
      low_income_support: { source: `${NANXUN} 二` },
      precedence: precedence(NANXUN),
      gradual_exit: { source: `${NANXUN} 三(一)` },
      monitored_windows: { source: `${NANXUN} 四(二)` },
      economic_check: checkValidity(NANXUN),
      low_income_farmer: { source: `${NANXUN} 三(五)` },
      person_outcomes: personPrecedence(NANXUN)
    },
    parameters: versions(NANXUN, { on: '2025-06-28' }, [ // “本意见自 2025年6月28日起施行” (its closing line)
      ['dibaoMonthly', 1200, null],
      ['edgeMultiplier', 2, '二'],
      ['minWageMonthly', 2490, null],
      ['disposableIncomeAnnual', 70000, null],
      ['lowIncomeSupportAnnual', 33334, '二'],
      // "按相关规定扣减一定的就业成本" gives no amount; a modest placeholder, well under the
      // minimum wage, so that a worker's income still counts.
      ['employmentDeductionMonthly', 500, null],
      ['gradualExitMonths', 12, '三(一)'],
      ['warningDaysLowIncome', 10, '四(三)'],
      ['warningDaysOtherMonitored', 15, '四(三)'],
      ['temporaryAssistanceWindowYears', 1, '四(二)'],
      ['refusedWindowYears', 2, '四(二)'],
      ['exitedWindowYears', 3, '四(二)'],
      ['economicCheckValidityMonths', 6, { from: `${HUBEI} 二(三)` }]
    ])
  },
  'hubei-2024': {
    id: 'hubei-2024',
    title: '湖北省 鄂民政发〔2024〕21号',
    categories: ['tekun', 'dibao', 'fanpin_monitor', 'dibao_edge', 'rigid_expense', 'other'],
    rigidExpense: 'expense_share_of_income',
    edgeBand: 'not_dibao_below_k',
    otherRule: '其他困难人员由县级民政部门召集相关部门采取“一事一议”方式等进行认定',
    employmentDeductionFor: [],
    individualDibao: true,
    gradualExitFrom: [],
    rules: {
      assessed_income: borrowed(DIBAO_TEXT, `湖北 ${HUBEI} 二(二) 规定低保“按现有规定开展认定”，未写收入核算；按济源 二(二)1“共同生活家庭成员人均收入”计算，不扣减就业成本`),
      tekun: borrowed(TEKUN_TEXT, `湖北 ${HUBEI} 二(二) 只写特困人员由民政部门“按现有规定开展认定”；此处按济源 二(二)2 所写的通行条件判定 (Hubei defers; conditions as written in Jiyuan)`),
      dibao: borrowed(DIBAO_TEXT, `湖北 ${HUBEI} 二(二) 只写最低生活保障对象由民政部门“按现有规定开展认定”；此处按济源 二(二)1 所写的通行条件判定 (Hubei defers; conditions as written in Jiyuan)`),
      fanpin_monitor: { source: `${HUBEI} 二(二)` },
      dibao_edge: borrowed(`${JIYUAN} 二(二)4`, `湖北 ${HUBEI} 二(二) 规定边缘家庭“由民政部门制定认定办法”，文件未给出标准；沿用济源 二(二)4 的判定，k 为演示值 (Hubei leaves it to a local method)`),
      rigid_expense: borrowed(`${JIYUAN} 二(二)5`, `湖北 ${HUBEI} 二(二) 规定刚性支出困难家庭“由民政部门制定认定办法”，文件未给出标准；沿用济源 二(二)5 的判定，数值为演示值 (Hubei leaves it to a local method)`),
      other: { source: `${HUBEI} 二(二)` },
      individual_dibao: { source: `${HUBEI} 四(一)`, note: SEVERE_LEVELS },
      precedence: { source: `${HUBEI} 四` },
      gradual_exit: noGradualExit(`湖北 ${HUBEI}`),
      monitored_windows: { source: `${HUBEI} 三(二)` },
      economic_check: { source: `${HUBEI} 二(三)` },
      single_person_household: { source: `${HUBEI} 四(一)`, note: SINGLE_PERSON },
      illness_impoverished: { source: `${HUBEI} 二(一)` },
      person_outcomes: { source: `${HUBEI} 四` }
    },
    parameters: versions(HUBEI, { on: '2024-09-09' }, [ // 湖北省民政厅办公室 2024年9月9日印发 (成文 9月6日; no 施行 date)
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
    edgeBand: 'not_dibao_below_k',
    otherRule: '其他困难人员：济源确定的其他特殊困难家庭或人员',
    employmentDeductionFor: [],
    individualDibao: true,
    gradualExitFrom: [],
    rules: {
      assessed_income: { source: `${JIYUAN} 二(二)1` },
      dibao: { source: `${JIYUAN} 二(二)1` },
      tekun: { source: `${JIYUAN} 二(二)2` },
      fanpin_monitor: { source: `${JIYUAN} 二(二)3` },
      dibao_edge: { source: `${JIYUAN} 二(二)4` },
      rigid_expense: { source: `${JIYUAN} 二(二)5` },
      other: { source: `${JIYUAN} 二(二)6` },
      individual_dibao: { source: `${JIYUAN} 四(一)`, note: `亦见 二(二)1“最低生活保障边缘家庭中符合‘单人保’条件的重病重残人员”；${SEVERE_LEVELS}` },
      precedence: precedence(JIYUAN),
      gradual_exit: noGradualExit(`济源 ${JIYUAN}`),
      monitored_windows: borrowed(`${JIYUAN} 三(二)`, '本段（完善低收入人口数据库）未规定退出、未获批、临时救助对象的留库期限 (no windows in Jiyuan\'s document)'),
      economic_check: checkValidity(JIYUAN),
      single_person_household: { source: `${JIYUAN} 四(一)`, note: SINGLE_PERSON },
      illness_impoverished: { source: `${JIYUAN} 四(二)1` },
      person_outcomes: personPrecedence(JIYUAN)
    },
    parameters: versions(JIYUAN, { on: '2024-06-11' }, [ // 2024年6月11日印发
      ['dibaoMonthly', 700, null],
      ['edgeMultiplier', 2, '二(二)4'],
      ['disposableIncomeAnnual', 38000, null],
      ['rigidExpenseShare', 0.5, '二(二)5'],
      ['economicCheckValidityMonths', 6, { from: `${HUBEI} 二(三)` }]
    ])
  },
  'shanxi-county': {
    id: 'shanxi-county',
    title: '山西省某县 低收入人口常态化帮扶',
    categories: ['tekun', 'dibao', 'dibao_edge', 'rigid_expense', 'other'],
    rigidExpense: 'spending_or_income_drop',
    edgeBand: 'not_dibao_below_k',
    otherRule: '其他低收入人口：县人民政府确定的其他特殊困难家庭或者人员',
    employmentDeductionFor: [],
    individualDibao: true,
    gradualExitFrom: [],
    rules: {
      assessed_income: { source: `${SHANXI} 工作任务(三)1(1)` },
      dibao: { source: `${SHANXI} 工作任务(三)1(1)` },
      tekun: { source: `${SHANXI} 工作任务(三)1(3)` },
      dibao_edge: { source: `${SHANXI} 工作任务(一)3` },
      rigid_expense: {
        source: `${SHANXI} 工作任务(一)4`,
        note: `文件未给出数额：“刚性支出较大”按医疗教育支出占家庭总收入的比例、“基本生活出现严重困难”按人均收入低于上年度居民人均可支配收入、且家庭财产符合规定——均沿用济源 ${JIYUAN} 二(二)5 的检验，数值为演示值；“收入大幅缩减”按较上年减少的比例（演示值），须因病因灾因意外事故等`
      },
      other: { source: `${SHANXI} 工作任务(一)5` },
      individual_dibao: { source: `${SHANXI} 工作任务(三)1(2)` },
      precedence: precedence(SHANXI),
      gradual_exit: noGradualExit(`山西 ${SHANXI}`),
      monitored_windows: borrowed(`${SHANXI} 工作任务(一)`, '本段（建立完善低收入人口数据库）未规定退出、未获批、临时救助对象的留库期限 (no windows in this document)'),
      economic_check: checkValidity(SHANXI),
      person_outcomes: personPrecedence(SHANXI)
    },
    parameters: versions(SHANXI, { on: '2023-01-01', placeholder: true }, [
      ['dibaoMonthly', 650, null],
      ['edgeMultiplier', 1.5, '工作任务(一)3'],
      ['disposableIncomeAnnual', 30000, null],
      ['rigidExpenseShare', 0.5, null],
      ['incomeDropShare', 0.5, null],
      ['economicCheckValidityMonths', 6, { from: `${HUBEI} 二(三)` }]
    ])
  },
  'gansu-2023': {
    id: 'gansu-2023',
    title: '甘肃省 甘政办发〔2023〕92号',
    categories: ['tekun', 'dibao', 'fanpin_monitor', 'dibao_edge', 'rigid_expense', 'other'],
    rigidExpense: 'expense_share_of_income',
    edgeBand: 'not_dibao_below_k',
    otherRule: '其他困难人员由市县人民政府按照相关规定确定',
    employmentDeductionFor: ['dibao'],
    individualDibao: true,
    gradualExitFrom: ['dibao'],
    rules: {
      assessed_income: { source: `${GANSU} 三(二)` },
      tekun: borrowed(TEKUN_TEXT, `甘肃 ${GANSU} 一：特困人员按《甘肃省特困人员认定办法》第二章第四条至第十条认定，该办法不在文件库中；此处按济源 二(二)2 所写的通行条件判定`),
      dibao: borrowed(DIBAO_TEXT, `甘肃 ${GANSU} 一：低保按《甘肃省最低生活保障审核确认实施细则》第三章第十三条至第十九条认定，该细则不在文件库中；此处按济源 二(二)1 所写的通行条件判定`),
      fanpin_monitor: { source: `${GANSU} 一` },
      dibao_edge: borrowed(`${JIYUAN} 二(二)4`, `甘肃 ${GANSU} 一：边缘家庭按《甘肃省低收入人口认定及救助帮扶办法》第二章第九条、第十条认定，该办法不在文件库中；沿用济源 二(二)4 的判定，k 为演示值`),
      rigid_expense: borrowed(`${JIYUAN} 二(二)5`, `甘肃 ${GANSU} 一：刚性支出困难家庭按《甘肃省低收入人口认定及救助帮扶办法》第二章第十一条至第十三条认定，该办法不在文件库中；沿用济源 二(二)5 的判定，数值为演示值`),
      other: { source: `${GANSU} 一` },
      individual_dibao: { source: `${GANSU} 三(一)`, note: SEVERE_LEVELS },
      precedence: precedence(GANSU),
      gradual_exit: { source: `${GANSU} 三(二)` },
      monitored_windows: borrowed(`${GANSU} 二(二)`, '本段（建立完善低收入人口数据库）未规定退出、未获批、临时救助对象的留库期限 (no windows in Gansu\'s document)'),
      economic_check: checkValidity(GANSU),
      single_person_household: { source: `${GANSU} 三(一)`, note: SINGLE_PERSON },
      illness_impoverished: { source: `${GANSU} 三(二)`, note: '甘肃写作“刚性支出困难家庭中符合条件的大病患者”' },
      person_outcomes: personPrecedence(GANSU)
    },
    limits: { gradualExitMonths: { max: 6, source: `${GANSU} 三(二)“原则上不超过6个月”` } },
    parameters: versions(GANSU, { on: '2023-11-24' }, [ // 2023年11月24日印发
      ['dibaoMonthly', 700, null],
      ['edgeMultiplier', 2, null],
      ['disposableIncomeAnnual', 35000, null],
      ['rigidExpenseShare', 0.5, null],
      ['employmentDeductionMonthly', 500, null],
      ['gradualExitMonths', 6, '三(二)'],
      ['economicCheckValidityMonths', 6, { from: `${HUBEI} 二(三)` }]
    ])
  }
}

/** The parameters a profile reads: those it ships a version of. */
export function profileReads (profile: Profile, key: ParameterKey): boolean {
  return profile.parameters.some(version => version.key === key)
}

/** Why `value` cannot be a version of `key` under this profile, for the administrator; undefined when it can. */
export function parameterProblem (profile: Profile, key: ParameterKey, value: number): string | undefined {
  if (!profileReads(profile, key)) return `${profile.id} 不使用参数 ${key}（其文件没有相应规定）(${profile.id} does not read ${key})`
  const limit = profile.limits?.[key]
  const problem = parameterValueProblem(key, value, limit ? { max: limit.max } : {})
  return problem && limit && value > limit.max ? `${problem}；依据 ${limit.source}` : problem
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
