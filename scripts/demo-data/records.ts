// Plain records produced by the demo and benchmark generator. They mirror the registry's
// input (server/schemas/household.ts) plus what the generator intended, so tests can check
// that the policy engine classifies each household the way it was drawn. Money is in whole
// yuan, dates are 'YYYY-MM-DD', codes are matching/domain.ts's. Keys (H0000001, H0000001-W1,
// D0001, P001, ORG-330503, I001, I001-C1) are stable for a seed, so records can refer to
// each other before the database assigns ids.
import type { CategoryOrNone, DisabilityKind, Hardship, HelpKind, HouseholdStatus, HukouKind, LaborCapacity, Relation, SchoolStage, Sex } from '../../matching/domain.js'

export interface RegionRecord {
  /** GB/T 2260 county (6 digits), town or street (9), village or community (12). */
  code: string
  name: string
  level: 'county' | 'town' | 'village'
  parentCode: string | null
}

export interface MemberRecord {
  name: string
  /** 18 characters, valid GB 11643 check digit; birth date and sex agree with the fields below. */
  idNumber: string
  relation: Relation
  birthDate: string
  sex: Sex
  laborCapacity: LaborCapacity
  hasIncomeSource: boolean
  hasAbleSupporter: boolean
  disability: { level: 1 | 2 | 3 | 4, kind: DisabilityKind } | null
  seriousIllness: boolean
  /** The diagnosis when seriousIllness (e.g. 尿毒症), else null. */
  illness: string | null
  schoolStage: SchoolStage
  /** Employed members' income is assessed less the employment cost (Nanxun). */
  employed: boolean
  /** 户籍: mostly rural in administrative villages, urban in communities; null for the few not recorded. */
  hukou: HukouKind | null
  /** 行政事业单位人员: a few of the employed. */
  publicSector: boolean
  /** The rural department's 防返贫 monitoring of this person (Jiyuan): current in monitored households, ended in a few others. */
  povertyMonitoring: { from: string, until: string | null } | null
  /** What the generator drew the person to be: the household's category, or their own (特困 in a family, 单人保, 参照单人户). */
  intendedCategory: CategoryOrNone
  /** Under Nanxun, whether the person was drawn to be a 低收入农户 (三(五)); absent elsewhere. */
  intendedLowIncomeFarmer?: boolean
}

export interface WishRecord {
  key: string
  /** Index into the household's members. */
  memberIndex: number
  category: WishCategory
  item: string
  /** Yuan. */
  value: number
  /** About one in twenty carries a phone number, an address or an ID-like number, for the scrubber. */
  story: string
  state: 'submitted' | 'verified' | 'published' | 'claimed' | 'delivered'
}

export interface HouseholdRecord {
  /** Stable key, used as 户编号. */
  key: string
  /** A village in the region tree. */
  regionCode: string
  /** Town + village + 组 + 号. */
  address: string
  /** A mobile number. */
  phone: string
  /** The whole household's income, yuan a year, before any employment-cost deduction (the engine applies it). */
  annualIncome: number
  /** Yuan a year; other is rigid spending besides medical and education (rehabilitation, care). */
  rigidExpenses: { medical: number, education: number, other: number }
  /** Whether the family's property met the rules at the last check, on propertyCheckedOn. */
  propertyCompliant: boolean
  propertyCheckedOn: string
  /** The 防返贫监测 flag imported from the agricultural department. */
  povertyMonitoring: boolean
  hardships: Hardship[]
  status: HouseholdStatus
  /** The last day of a gradual exit; only with status gradual_exit. */
  gradualExitUntil?: string
  /** 一事一议: the county decided this household case by case (其他困难人员). */
  caseByCase: boolean
  /** Why, for case-by-case households; null otherwise. */
  caseNote: string | null
  /** What the generator drew the household to be under its region's profile. */
  intendedCategory: CategoryOrNone
  members: MemberRecord[]
  wishes: WishRecord[]
}

export const WISH_CATEGORIES = ['school_supplies', 'clothing', 'daily_goods', 'rehab_aids', 'appliances', 'services'] as const
export type WishCategory = typeof WISH_CATEGORIES[number]

export interface OrganisationRecord { key: string, name: string, regionCode: string }

export interface DonorRecord {
  key: string
  kind: 'individual' | 'enterprise'
  name: string
  phone: string
  email: string
  preferences: { regionCodes: string[], kinds: HelpKind[], wishCategories: WishCategory[], minValue: number, maxValue: number }
}

export interface ProjectRecord {
  key: string
  organisationKey: string
  kind: HelpKind
  title: string
  description: string
  budget: number
  unitCost: number
  capacity: number
  eligibility: { categories: string[], regionCodes: string[], minAge?: number, maxAge?: number, schoolStages?: SchoolStage[], hardships?: Hardship[], notHelpedSameKindMonths?: number }
  startsOn: string
  endsOn: string
  status: 'draft' | 'open' | 'closed'
}

export interface InstitutionRecord { key: string, name: string, regionCode: string }

export interface CourseRecord {
  key: string
  institutionKey: string
  title: string
  seats: number
  minAge: number
  maxAge: number
  schedule: string
  halfYear: string
}

export interface Dataset {
  regions: RegionRecord[]
  /** Region code → policy profile (the county sets it). */
  regionPolicies: Array<{ regionCode: string, profile: string }>
  organisations: OrganisationRecord[]
  donors: DonorRecord[]
  projects: ProjectRecord[]
  institutions: InstitutionRecord[]
  courses: CourseRecord[]
  /** Generated lazily, in order, so that 300,000 households never sit in memory at once. */
  households: () => Iterable<HouseholdRecord>
}
