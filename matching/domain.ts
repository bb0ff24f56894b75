// The vocabulary every part of Shanqiao shares. Codes are the API's codes (see README,
// "Domain codes"); the Chinese names are what the pages show.

/** Low-income categories in 就高 order: earlier entries take precedence (Hubei 四). */
export const CATEGORIES = [
  'tekun',
  'dibao',
  'fanpin_monitor',
  'dibao_edge',
  'rigid_expense',
  'low_income_support',
  'other',
] as const
export type Category = (typeof CATEGORIES)[number]
/** A classification result: one of the categories, or none of them. */
export type CategoryOrNone = Category | 'none'

export const CATEGORY_NAMES: Record<CategoryOrNone, string> = {
  tekun: '特困人员',
  dibao: '最低生活保障对象',
  fanpin_monitor: '防止返贫监测对象',
  dibao_edge: '最低生活保障边缘家庭',
  rigid_expense: '刚性支出困难家庭',
  low_income_support: '低收入帮扶家庭',
  other: '其他困难人员',
  none: '不属于低收入人口',
}

/** Rank in the 就高 order: 0 is the most severe; 'none' ranks after every category. */
export function categoryRank(category: CategoryOrNone): number {
  const index = CATEGORIES.indexOf(category as Category)
  return index === -1 ? CATEGORIES.length : index
}

export const HARDSHIPS = [
  'emergency',
  'accident',
  'serious_illness',
  'severe_disability',
  'disaster',
  'other_special',
] as const
export type Hardship = (typeof HARDSHIPS)[number]
export const HARDSHIP_NAMES: Record<Hardship, string> = {
  emergency: '突发事件',
  accident: '意外事故',
  serious_illness: '重大疾病',
  severe_disability: '重度残疾',
  disaster: '自然灾害',
  other_special: '其他特殊困难',
}

export const LABOR_CAPACITIES = ['full', 'weak', 'none'] as const
export type LaborCapacity = (typeof LABOR_CAPACITIES)[number]

export const DISABILITY_KINDS = [
  'physical',
  'intellectual',
  'mental',
  'visual',
  'hearing',
  'speech',
  'multiple',
] as const
export type DisabilityKind = (typeof DISABILITY_KINDS)[number]
export interface Disability {
  /** Certificate level, 1 (most severe) to 4, of the 2nd-generation disability certificate. */
  level: 1 | 2 | 3 | 4
  kind: DisabilityKind
}

export const SCHOOL_STAGES = [
  'none',
  'kindergarten',
  'primary',
  'junior',
  'senior',
  'vocational',
  'college',
] as const
export type SchoolStage = (typeof SCHOOL_STAGES)[number]

/** 户籍: rural for 原农村户籍 (Nanxun 三(五)'s 低收入农户), urban otherwise. */
export const HUKOU_KINDS = ['rural', 'urban'] as const
export type HukouKind = (typeof HUKOU_KINDS)[number]

export const SEXES = ['male', 'female'] as const
export type Sex = (typeof SEXES)[number]

export const RELATIONS = ['head', 'spouse', 'child', 'parent', 'grandchild', 'grandparent', 'sibling', 'other'] as const
export type Relation = (typeof RELATIONS)[number]

/** Why a member left the household: the monitoring triggers of the documents (a death, a move). */
export const LEAVING_REASONS = ['death', 'moved_out', 'other'] as const

export const HOUSEHOLD_STATUSES = ['active', 'gradual_exit', 'exited', 'refused', 'monitored_other'] as const
export type HouseholdStatus = (typeof HOUSEHOLD_STATUSES)[number]

/** Kinds of charity help: a project's kind (a wish campaign is `wish`) and a charity chain entry's kind. */
export const HELP_KINDS = ['wish', 'dream_room', 'training_voucher', 'fund'] as const
export type HelpKind = (typeof HELP_KINDS)[number]
export const HELP_KIND_NAMES: Record<HelpKind, string> = {
  wish: '微心愿',
  dream_room: '梦想小屋',
  training_voucher: '爱心培训券',
  fund: '慈善基金项目',
}

/**
 * Whether a project of this kind gives a household one place, however many members qualify:
 * a fund grant or a renovated room serves the household; a wish or a training class serves a
 * person, so siblings may each have one.
 */
export const onePlacePerHousehold = (kind: HelpKind) => kind === 'fund' || kind === 'dream_room'

export const REGION_LEVELS = ['county', 'town', 'village'] as const
export type RegionLevel = (typeof REGION_LEVELS)[number]

/** 微心愿 categories; the Chinese names are searchable, so 学习用品 finds school supplies. */
export const WISH_CATEGORIES = ['school_supplies', 'clothing', 'daily_goods', 'rehab_aids', 'appliances', 'services', 'other'] as const
export type WishCategory = (typeof WISH_CATEGORIES)[number]
export const WISH_CATEGORY_NAMES: Record<WishCategory, string> = {
  school_supplies: '学习用品',
  clothing: '衣物',
  daily_goods: '生活用品',
  rehab_aids: '康复辅具',
  appliances: '小家电',
  services: '服务',
  other: '其他',
}

/**
 * A wish's life: raised (draft), submitted, verified after a home visit, published to donors,
 * claimed by one donor, delivered, its receipt confirmed, closed once written back; side
 * exits rejected and withdrawn. A lapsed claim returns the wish to published.
 */
export const WISH_STATES = ['draft', 'submitted', 'verified', 'published', 'claimed', 'delivered', 'confirmed', 'closed', 'rejected', 'withdrawn'] as const
export type WishState = (typeof WISH_STATES)[number]
