// Households drawn from target category mixes. Each household is drawn to be one category
// under its county's profile and parameters (resolved once from matching/policy, so the
// generator and the engine never disagree about a threshold), and records that intention.
import type { CategoryOrNone, DisabilityKind, Hardship, HouseholdStatus, Relation, SchoolStage, Sex } from '../../matching/domain.js'
import { ageOn } from '../../matching/policy/evaluate.js'
import { addDays, monthStart, periodEnd } from '../../matching/dates.js'
import type { ParameterValues } from '../../matching/policy/parameters.js'
import { makeResidentId } from '../../matching/resident-id.js'
import type { Random } from '../../matching/random.js'
import { givenName, surname } from './names.js'
import type { CountySpec, DemoProfileId } from './regions.js'
import type { HouseholdRecord, MemberRecord } from './records.js'
import { drawWishes } from './wishes.js'

/** Intended categories per profile, with their weights in the demo population. */
const MIX: Record<DemoProfileId, Array<readonly [Drawn, number]>> = {
  'nanxun-2025': [['tekun', 8], ['dibao', 24], ['dibao_edge', 22], ['rigid_expense', 12], ['lis_above_edge', 12], ['lis_property', 5], ['none', 17]],
  'jiyuan-2024': [['tekun', 8], ['dibao', 26], ['fanpin_monitor', 10], ['dibao_edge', 22], ['rigid_expense', 12], ['other', 4], ['none', 18]]
}
type Drawn = Exclude<CategoryOrNone, 'low_income_support'> | 'lis_above_edge' | 'lis_property'

const ILLNESSES = ['尿毒症', '恶性肿瘤', '白血病', '重症肌无力', '肝硬化', '脑卒中后遗症', '先天性心脏病']
const DISABILITY_KINDS: Array<readonly [DisabilityKind, number]> = [['physical', 45], ['visual', 12], ['hearing', 12], ['intellectual', 12], ['mental', 12], ['speech', 3], ['multiple', 4]]
const OTHER_HARDSHIPS: Hardship[] = ['emergency', 'accident', 'serious_illness', 'severe_disability', 'disaster', 'other_special']
const DISABILITY_LEVELS = [[1, 15], [2, 25], [3, 30], [4, 30]] as const
/** Adults who still live with their parents because of a disability are mostly severely disabled. */
const DEPENDENT_DISABILITY_LEVELS = [[1, 35], [2, 35], [3, 20], [4, 10]] as const
/** Why the county decided a household case by case (其他困难人员, 一事一议). */
const CASE_NOTES = [
  '家中突发火灾，房屋受损、财物尽毁，生活暂时陷入困境，经县级民政部门一事一议认定',
  '主要劳动力因交通事故长期卧床，收入骤减且需专人护理，经县级民政部门一事一议认定',
  '子女均在外地且无力赡养，本人患多种慢性病、医疗负担重，经县级民政部门一事一议认定',
  '因洪涝灾害种养殖全部绝收，经县级民政部门一事一议认定'
]

interface Person { relation: Relation, age: number, sex: Sex, disabled?: true }

/** A village with the place name its addresses start with (town + village), and whether it is a 行政村 (not a 社区). */
export interface VillagePlace { code: string, place: string, administrative: boolean }

export interface HouseholdContext {
  random: Random
  asOf: string
  /** County code → its villages. */
  villages: Map<string, VillagePlace[]>
  /** The thresholds each profile's households are drawn against. */
  parameters: Record<DemoProfileId, ParameterValues>
  calendar: Calendar
  /** Birth day × 2 + (1 for men) → sequence numbers used, to keep ID numbers unique. */
  sequences: Map<number, number>
}

export function createHouseholdContext (random: Random, asOf: string, villages: Map<string, VillagePlace[]>, parameters: Record<DemoProfileId, ParameterValues>): HouseholdContext {
  return { random, asOf, villages, parameters, calendar: createCalendar(asOf), sequences: new Map() }
}

const DAY_MS = 86_400_000

/** Birthdays as day numbers, and their text cached: ~40,000 distinct days recur a million times. */
interface Calendar {
  /** The day that makes someone exactly `age` on asOf, less `daysBefore` (0–364). */
  birthDay: (age: number, daysBefore: number) => number
  format: (day: number) => string
}

function createCalendar (asOf: string): Calendar {
  const [year, month, day] = asOf.split('-').map(Number) as [number, number, number]
  const formatted = new Map<number, string>()
  return {
    birthDay: (age, daysBefore) => Date.UTC(year - age, month - 1, day) / DAY_MS - daysBefore,
    format: (dayNumber) => {
      let text = formatted.get(dayNumber)
      if (text === undefined) {
        text = new Date(dayNumber * DAY_MS).toISOString().slice(0, 10)
        formatted.set(dayNumber, text)
      }
      return text
    }
  }
}

function schoolStageFor (random: Random, age: number): SchoolStage {
  if (age >= 3 && age <= 5) return 'kindergarten'
  if (age >= 6 && age <= 11) return 'primary'
  if (age >= 12 && age <= 14) return 'junior'
  if (age >= 15 && age <= 17) return random.chance(0.7) ? 'senior' : 'vocational'
  if (age >= 18 && age <= 21 && random.chance(0.35)) return 'college'
  return 'none'
}

/** Family shapes seen in low-income registers. */
function drawStructure (random: Random, category: Drawn): Person[] {
  const sex = (): Sex => random.chance(0.5) ? 'male' : 'female'
  const other = (s: Sex): Sex => s === 'male' ? 'female' : 'male'
  if (category === 'tekun') {
    // 特困 people are old, disabled or minors (orphans without anyone able to support them).
    const kind = random.weighted([['old', 70], ['disabled', 22], ['minor', 8]] as const)
    if (kind === 'old') return [{ relation: 'head', age: random.int(62, 92), sex: sex() }]
    if (kind === 'disabled') return [{ relation: 'head', age: random.int(25, 58), sex: sex(), disabled: true }]
    return [{ relation: 'head', age: random.int(6, 17), sex: sex() }]
  }
  // Weights chosen so that a population averages ~3.3 persons a household (300,000 ≈ 1M persons).
  const shape = random.weighted([['elderly_alone', 6], ['elderly_couple', 10], ['family', 38], ['three_generations', 18], ['grandparents', 12], ['single_parent', 10], ['disabled_adult', 8], ['adult_alone', 2]] as const)
  const headSex = sex()
  switch (shape) {
    case 'elderly_alone': return [{ relation: 'head', age: random.int(60, 90), sex: headSex }]
    case 'elderly_couple': {
      const age = random.int(60, 86)
      return [{ relation: 'head', age, sex: 'male' }, { relation: 'spouse', age: age - random.int(-2, 4), sex: 'female' }]
    }
    case 'family': {
      const age = random.int(28, 50)
      const spouseAge = age - random.int(-2, 4)
      const children = random.int(1, 3)
      // Both parents were at least 20 when each child was born.
      const oldestChild = Math.min(20, age - 20, spouseAge - 20)
      return [
        { relation: 'head', age, sex: 'male' }, { relation: 'spouse', age: spouseAge, sex: 'female' },
        ...Array.from({ length: children }, () => ({ relation: 'child' as const, age: random.int(0, oldestChild), sex: sex() }))
      ]
    }
    case 'three_generations': {
      const age = random.int(55, 76)
      const son = age - random.int(24, 30)
      const daughterInLaw = son - random.int(0, 3)
      return [
        { relation: 'head', age, sex: 'male' }, { relation: 'spouse', age: age - random.int(0, 4), sex: 'female' },
        { relation: 'child', age: son, sex: 'male' }, { relation: 'other', age: daughterInLaw, sex: 'female' },
        ...Array.from({ length: random.int(1, 2) }, () => ({ relation: 'grandchild' as const, age: random.int(0, Math.min(16, daughterInLaw - 20)), sex: sex() }))
      ]
    }
    case 'grandparents': {
      const age = random.int(56, 78)
      const people: Person[] = [{ relation: 'head', age, sex: headSex }]
      if (random.chance(0.6)) people.push({ relation: 'spouse', age: age - random.int(-2, 4), sex: other(headSex) })
      for (let i = random.int(1, 2); i > 0; i--) people.push({ relation: 'grandchild', age: random.int(3, 16), sex: sex() })
      return people
    }
    case 'single_parent': {
      const age = random.int(26, 50)
      return [{ relation: 'head', age, sex: headSex }, ...Array.from({ length: random.int(1, 2) }, () => ({ relation: 'child' as const, age: random.int(1, Math.min(18, age - 20)), sex: sex() }))]
    }
    case 'disabled_adult': {
      const age = random.int(52, 76)
      return [{ relation: 'head', age, sex: 'male' }, { relation: 'spouse', age: age - random.int(0, 4), sex: 'female' }, { relation: 'child', age: random.int(20, age - 24), sex: sex(), disabled: true }]
    }
    case 'adult_alone': return [{ relation: 'head', age: random.int(30, 59), sex: headSex }]
  }
}

function residentId (context: HouseholdContext, county: string, birthDay: number, birthDate: string, sex: Sex): string {
  const key = birthDay * 2 + (sex === 'male' ? 1 : 0)
  const used = context.sequences.get(key) ?? 0
  context.sequences.set(key, used + 1)
  // 500 numbers of each sex per day and area code; overflow moves to neighbouring area codes.
  const area = used < 500 ? county : String(Number(county) + Math.floor(used / 500)).padStart(6, '0')
  return makeResidentId(area, birthDate, (used % 500) * 2, sex)
}

/** Severe disability in the certificate levels the documents' 单人保 uses: level 1–2, or level 3 intellectual or mental. */
const severe = (m: MemberRecord) => m.disability !== null && (m.disability.level <= 2 || (m.disability.level === 3 && (m.disability.kind === 'intellectual' || m.disability.kind === 'mental')))

/**
 * What the person was drawn to be. Jiyuan (二(二)1, 四(一)): in an edge household the seriously
 * ill and the severely disabled are 低保 on their own (单人保); in another low-income household
 * that is not 低保, so is an adult without work and with a severe disability (参照单人户). Nanxun
 * 三(五): the 原农村户籍 of a 行政村, not public-sector staff, of the four categories are 低收入农户.
 */
function drawPerson (m: MemberRecord, profile: DemoProfileId, household: CategoryOrNone, administrative: boolean, propertyCompliant: boolean, asOf: string): void {
  const tekun = m.laborCapacity === 'none' && !m.hasIncomeSource && !m.hasAbleSupporter
  let category = household
  if (tekun) category = 'tekun'
  else if (profile === 'jiyuan-2024' && household === 'dibao_edge' && (m.seriousIllness || severe(m))) category = 'dibao'
  else if (profile === 'jiyuan-2024' && ['fanpin_monitor', 'rigid_expense', 'other'].includes(household) && propertyCompliant &&
    ageOn(m.birthDate, asOf) >= 18 && !m.employed && severe(m)) category = 'dibao'
  m.intendedCategory = category
  if (profile === 'nanxun-2025') {
    m.intendedLowIncomeFarmer = administrative && m.hukou === 'rural' && !m.publicSector && ['tekun', 'dibao', 'dibao_edge', 'rigid_expense'].includes(category)
  }
}

/** The edge line per person a month: k × the dibao line, capped by the minimum wage where the profile has one. */
function edgeLine (p: ParameterValues): number {
  return Math.min((p.dibaoMonthly as number) * (p.edgeMultiplier as number), p.minWageMonthly ?? Infinity)
}

/** Per-capita monthly income for the intended category, away from every boundary. */
function drawIncome (random: Random, category: Drawn, p: ParameterValues): number {
  const dibao = p.dibaoMonthly as number
  const edge = edgeLine(p)
  switch (category) {
    case 'tekun': return random.int(0, Math.floor(dibao * 0.5))
    case 'dibao': return random.int(Math.floor(dibao * 0.1), dibao - 50)
    case 'fanpin_monitor': return random.int(edge + 100, edge + 1500)
    case 'dibao_edge': return random.int(dibao + 50, edge - 50)
    case 'rigid_expense': return random.int(edge + 100, Math.floor((p.disposableIncomeAnnual as number) / 12) - 200)
    case 'lis_above_edge': return random.int(edge + 50, Math.floor((p.lowIncomeSupportAnnual as number) / 12) - 30)
    case 'lis_property': return random.int(Math.floor(dibao * 0.3), edge - 50)
    case 'other': return random.int(4000, 8000)
    case 'none': return random.int(Math.ceil(Math.max(p.lowIncomeSupportAnnual ?? 0, p.disposableIncomeAnnual ?? 0) / 12) + 300, 12000)
  }
}

export function drawHousehold (context: HouseholdContext, index: number, county: CountySpec): HouseholdRecord {
  const { random, asOf } = context
  const profile = county.profile
  const p = context.parameters[profile]
  const category = random.weighted(MIX[profile])
  const people = drawStructure(random, category)
  const family = surname(random)
  const tekun = category === 'tekun'
  const village = random.pick(context.villages.get(county.code) ?? [])

  const members: MemberRecord[] = people.map((person, i) => {
    const birthDay = context.calendar.birthDay(person.age, random.int(0, 364))
    const birthDate = context.calendar.format(birthDay)
    const working = person.age >= 18 && person.age < 60
    const disabled = person.disabled === true || random.chance(person.age >= 60 ? 0.1 : 0.05)
    const level = disabled ? random.weighted(person.disabled ? DEPENDENT_DISABILITY_LEVELS : DISABILITY_LEVELS) : null
    const seriousIllness = !tekun && random.chance(person.age >= 45 ? 0.08 : 0.02)
    const capacity = tekun || (disabled && (level ?? 4) <= 2) ? 'none' : !working ? (person.age >= 60 ? 'weak' : 'none') : random.chance(0.8) ? 'full' : 'weak'
    const headNeedsCapacity = !tekun && i === 0 && capacity === 'none'
    const laborCapacity = headNeedsCapacity ? 'weak' : capacity
    const employed = !tekun && working && laborCapacity === 'full' && category !== 'dibao' && category !== 'rigid_expense' && category !== 'lis_above_edge' && random.chance(0.5)
    return {
      name: `${person.relation === 'spouse' ? surname(random) : family}${givenName(random, person.sex, Number(birthDate.slice(0, 4)))}`,
      idNumber: residentId(context, county.code, birthDay, birthDate, person.sex),
      relation: person.relation,
      birthDate,
      sex: person.sex,
      laborCapacity,
      hasIncomeSource: !tekun && (employed || person.age >= 60 || random.chance(0.3)),
      // A family supports its members (特困 is decided per person: only those drawn so lack a supporter).
      hasAbleSupporter: !tekun,
      disability: level === null ? null : { level, kind: random.weighted(DISABILITY_KINDS) },
      seriousIllness,
      illness: seriousIllness ? random.pick(ILLNESSES) : null,
      schoolStage: schoolStageFor(random, person.age),
      employed,
      hukou: random.chance(0.02) ? null : random.chance(village.administrative ? 0.85 : 0.3) ? 'rural' : 'urban',
      publicSector: employed && random.chance(0.05),
      povertyMonitoring: null,
      intendedCategory: 'none'
    }
  })
  // 特困 is decided per person: now and then an old or disabled member of a poorer family has no
  // labour, income or anyone able to support them, and is 特困 while the family is not.
  if (!tekun && members.length > 1 && random.chance(0.08)) {
    const candidates = members.filter((m, i) => i > 0 && !m.employed && ((people[i] as Person).age >= 60 || m.disability !== null))
    if (candidates.length > 0) Object.assign(random.pick(candidates), { laborCapacity: 'none', hasIncomeSource: false, hasAbleSupporter: false })
  }

  const size = members.length
  const employedCount = members.filter(m => m.employed).length
  const perCapita = drawIncome(random, category, p)
  // Employed members of edge households: the drawn figure is after the employment-cost deduction.
  const deduction = category === 'dibao_edge' && profile === 'nanxun-2025' ? employedCount * (p.employmentDeductionMonthly ?? 0) * 12 : 0
  const annualIncome = perCapita * size * 12 + deduction
  let medical = 0
  let education = 0
  let other = 0
  if (category === 'rigid_expense') {
    // Nanxun: what is left after the expenses falls below the edge line; elsewhere the
    // expenses reach the profile's share of the income.
    const spend = profile === 'nanxun-2025'
      ? annualIncome - random.int(Math.floor(edgeLine(p) * 0.25), Math.floor(edgeLine(p) * 0.9)) * size * 12
      : Math.ceil(annualIncome * random.int(Math.ceil((p.rigidExpenseShare as number) * 100) + 2, 90) / 100)
    const schoolChildren = members.some(m => m.schoolStage !== 'none')
    education = schoolChildren ? Math.floor(spend * random.int(10, 60) / 100) : 0
    // Some of it is other rigid spending (rehabilitation, care): "医疗、教育等".
    other = random.chance(0.25) ? Math.floor((spend - education) * random.int(20, 50) / 100) : 0
    medical = spend - education - other
  }
  const hardships: Hardship[] = []
  if (category === 'lis_property') hardships.push(random.pick(['serious_illness', 'accident', 'severe_disability', 'emergency'] as const))
  else if (random.chance(0.12)) hardships.push(random.pick(OTHER_HARDSHIPS))
  if (members.some(m => m.seriousIllness) && !hardships.includes('serious_illness') && category !== 'lis_property' && random.chance(0.5)) hardships.push('serious_illness')

  const status: HouseholdStatus = category === 'none' ? random.weighted([['exited', 5], ['refused', 3], ['monitored_other', 2]] as const) : random.chance(0.04) ? 'gradual_exit' : 'active'
  // 防返贫监测 (Jiyuan): half the monitored households carry the department's flag, half a dated
  // record for each member; a few others have a member whose monitoring has ended.
  let flagged = false
  if (category === 'fanpin_monitor') {
    flagged = random.chance(0.5)
    if (!flagged) {
      const from = addDays(asOf, -random.int(30, 900))
      for (const m of members) m.povertyMonitoring = { from, until: null }
    }
  } else if (profile === 'jiyuan-2024' && random.chance(0.05)) {
    const until = addDays(asOf, -random.int(1, 300))
    random.pick(members).povertyMonitoring = { from: addDays(until, -random.int(90, 720)), until }
  }
  const intended: CategoryOrNone = category === 'lis_above_edge' || category === 'lis_property' ? 'low_income_support' : category
  for (const m of members) drawPerson(m, profile, intended, village.administrative, category !== 'lis_property', asOf)
  const checkedMonthsAgo = random.int(0, 5)
  const checked = new Date(`${asOf}T00:00:00Z`)
  checked.setUTCMonth(checked.getUTCMonth() - checkedMonthsAgo)
  const key = `H${String(index + 1).padStart(7, '0')}`
  const record: HouseholdRecord = {
    key,
    regionCode: village.code,
    address: `${village.place}${random.int(1, 12)}组${random.int(1, 99)}号`,
    phone: `1${random.pick(['39', '58', '88', '37', '59', '35'])}${String(random.int(0, 99999999)).padStart(8, '0')}`,
    annualIncome,
    rigidExpenses: { medical, education, other },
    propertyCompliant: category !== 'lis_property',
    propertyCheckedOn: checked.toISOString().slice(0, 10),
    povertyMonitoring: flagged,
    hardships,
    status,
    // A gradual exit drawn as running: it ends with the sixth month after asOf.
    ...(status === 'gradual_exit' ? { gradualExitUntil: periodEnd(monthStart(asOf, 1), 6) } : {}),
    caseByCase: category === 'other',
    caseNote: category === 'other' ? random.pick(CASE_NOTES) : null,
    intendedCategory: intended,
    members,
    wishes: []
  }
  record.wishes = drawWishes(random, record, asOf)
  return record
}
