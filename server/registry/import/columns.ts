// The roster columns an import accepts: one row per person, rows of a household next to
// each other and sharing 户编号. Headers may be Chinese (as county rosters are exported) or
// the English field names. Household-level columns are read from the household's first row.
import { DISABILITY_KINDS, HARDSHIPS, HOUSEHOLD_STATUSES, HUKOU_KINDS, LABOR_CAPACITIES, RELATIONS, SCHOOL_STAGES } from '../../../matching/domain.js'

export type FieldKind = 'text' | 'money' | 'boolean' | 'date' | 'integer' | 'enum' | 'enum_list'

export interface ColumnSpec {
  field: string
  headers: string[]
  kind: FieldKind
  required: boolean
  /** Accepted spellings → code, for enum columns (codes themselves are always accepted). */
  values?: Record<string, string>
  codes?: readonly string[]
}

const YES_NO: Record<string, string> = { 是: 'true', 否: 'false', 有: 'true', 无: 'false', y: 'true', n: 'false', yes: 'true', no: 'false', true: 'true', false: 'false', 1: 'true', 0: 'false' }

export const COLUMNS: ColumnSpec[] = [
  { field: 'householdKey', headers: ['户编号', '家庭编号'], kind: 'text', required: true },
  { field: 'regionCode', headers: ['村社区代码', '区划代码', '村（社区）代码'], kind: 'text', required: false },
  { field: 'name', headers: ['姓名'], kind: 'text', required: true },
  { field: 'idNumber', headers: ['身份证号', '身份证号码', '公民身份号码'], kind: 'text', required: true },
  {
    field: 'relation', headers: ['与户主关系'], kind: 'enum', required: true, codes: RELATIONS,
    values: { 户主: 'head', 本人: 'head', 配偶: 'spouse', 妻: 'spouse', 夫: 'spouse', 子女: 'child', 子: 'child', 女: 'child', 父母: 'parent', 父亲: 'parent', 母亲: 'parent', 孙子女: 'grandchild', 孙子: 'grandchild', 孙女: 'grandchild', 外孙子女: 'grandchild', 祖父母: 'grandparent', 兄弟姐妹: 'sibling', 其他: 'other' }
  },
  {
    field: 'laborCapacity', headers: ['劳动能力'], kind: 'enum', required: true, codes: LABOR_CAPACITIES,
    values: { 有: 'full', 完全: 'full', 完全劳动能力: 'full', 部分: 'weak', 弱: 'weak', 部分劳动能力: 'weak', 无: 'none', 无劳动能力: 'none', 丧失劳动能力: 'none' }
  },
  { field: 'hasIncomeSource', headers: ['有收入来源', '收入来源'], kind: 'boolean', required: false, values: YES_NO },
  { field: 'hasAbleSupporter', headers: ['有赡养人', '有法定义务人'], kind: 'boolean', required: false, values: YES_NO },
  { field: 'disabilityLevel', headers: ['残疾等级'], kind: 'integer', required: false, values: { 一级: '1', 二级: '2', 三级: '3', 四级: '4' } },
  {
    field: 'disabilityKind', headers: ['残疾类别'], kind: 'enum', required: false, codes: DISABILITY_KINDS,
    values: { 肢体: 'physical', 智力: 'intellectual', 精神: 'mental', 视力: 'visual', 听力: 'hearing', 言语: 'speech', 多重: 'multiple' }
  },
  { field: 'seriousIllness', headers: ['患重病', '重病'], kind: 'boolean', required: false, values: YES_NO },
  {
    field: 'schoolStage', headers: ['在学阶段', '就学阶段'], kind: 'enum', required: false, codes: SCHOOL_STAGES,
    values: { 无: 'none', 非在学: 'none', 学前: 'kindergarten', 幼儿园: 'kindergarten', 小学: 'primary', 初中: 'junior', 高中: 'senior', 中职: 'vocational', 职高: 'vocational', 大学: 'college', 大专: 'college' }
  },
  { field: 'employed', headers: ['就业', '是否就业'], kind: 'boolean', required: false, values: YES_NO },
  { field: 'illness', headers: ['所患重病', '重病名称', '疾病名称'], kind: 'text', required: false },
  {
    field: 'hukou', headers: ['户籍', '户籍性质', '户口性质'], kind: 'enum', required: false, codes: HUKOU_KINDS,
    values: { 农村: 'rural', 农业: 'rural', 农村户籍: 'rural', 原农村户籍: 'rural', 农业户口: 'rural', 城镇: 'urban', 城市: 'urban', 城镇户籍: 'urban', 非农业: 'urban', 非农业户口: 'urban' }
  },
  { field: 'publicSector', headers: ['行政事业单位人员', '是否行政事业单位人员'], kind: 'boolean', required: false, values: YES_NO },
  { field: 'monitoredFrom', headers: ['监测开始日期', '防返贫监测开始日期'], kind: 'date', required: false },
  { field: 'monitoredUntil', headers: ['监测结束日期', '防返贫监测结束日期'], kind: 'date', required: false },
  { field: 'annualIncome', headers: ['家庭年收入', '家庭年总收入'], kind: 'money', required: false },
  { field: 'previousAnnualIncome', headers: ['上年家庭年收入', '上年度家庭年收入'], kind: 'money', required: false },
  { field: 'medicalExpense', headers: ['医疗支出', '年医疗支出'], kind: 'money', required: false },
  { field: 'educationExpense', headers: ['教育支出', '年教育支出'], kind: 'money', required: false },
  { field: 'otherExpense', headers: ['其他刚性支出', '其他支出'], kind: 'money', required: false },
  { field: 'propertyCompliant', headers: ['财产符合', '财产状况符合'], kind: 'boolean', required: false, values: YES_NO },
  { field: 'propertyCheckedOn', headers: ['财产核查日期'], kind: 'date', required: false },
  { field: 'povertyMonitoring', headers: ['防返贫监测', '防止返贫监测对象'], kind: 'boolean', required: false, values: YES_NO },
  {
    field: 'hardships', headers: ['困难情形'], kind: 'enum_list', required: false, codes: HARDSHIPS,
    values: { 突发事件: 'emergency', 意外事故: 'accident', 重大疾病: 'serious_illness', 重病: 'serious_illness', 重度残疾: 'severe_disability', 自然灾害: 'disaster', 其他特殊困难: 'other_special' }
  },
  {
    field: 'status', headers: ['状态', '救助状态'], kind: 'enum', required: false, codes: HOUSEHOLD_STATUSES,
    values: { 在册: 'active', 渐退: 'gradual_exit', 渐退期: 'gradual_exit', 退出: 'exited', 拒绝: 'refused', 其他监测: 'monitored_other' }
  },
  { field: 'statusSince', headers: ['状态日期', '状态开始日期'], kind: 'date', required: false },
  { field: 'gradualExitUntil', headers: ['渐退期截止日期', '渐退截止日期'], kind: 'date', required: false },
  { field: 'address', headers: ['地址', '家庭住址'], kind: 'text', required: false },
  { field: 'phone', headers: ['电话', '联系电话', '手机号'], kind: 'text', required: false }
]

