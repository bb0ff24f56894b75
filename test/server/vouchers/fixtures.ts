// Voucher test set-up: children in registered households (rows written directly, so that a
// test can pick the category, status and school stage it needs), courses and the half-year
// that is running today.
import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { today } from '../../../server/clock.js'
import { addDays } from '../../../matching/dates.js'
import { halfYearLabel } from '../../../server/vouchers/half-year.js'

export const VILLAGE = '330503101001'
export const OTHER_VILLAGE = '330503102001'
export const NOW = halfYearLabel(today())

/** A birth date giving exactly `years` years of age today (the birthday is a few weeks past). */
export function bornYearsAgo (years: number): string {
  const day = today()
  const d = new Date(Date.UTC(Number(day.slice(0, 4)) - years, Number(day.slice(5, 7)) - 1, 1))
  d.setUTCDate(0)
  return d.toISOString().slice(0, 10)
}

export interface ChildSpec {
  village?: string
  category?: string | null
  status?: string
  age?: number
  schoolStage?: string
  surname?: string
}

/** One child in a household of its own; returns the person and household ids. */
export async function insertChild (app: FastifyInstance, spec: ChildSpec = {}): Promise<{ personId: number, householdId: number }> {
  const household = await app.db.insertInto('households').values({
    region_code: spec.village ?? VILLAGE, annual_income: 40000, property_compliant: true,
    category: spec.category === undefined ? 'low_income_support' : spec.category, status: spec.status ?? 'active',
    gradual_exit_until: spec.status === 'gradual_exit' ? addDays(today(), 180) : null
  }).returning('id').executeTakeFirstOrThrow()
  const person = await app.db.insertInto('persons').values({
    household_id: household.id, relation: 'child', name_encrypted: randomBytes(16), masked_name: `${spec.surname ?? '张'}**`,
    id_number_encrypted: randomBytes(16), id_blind_index: randomBytes(32), birth_date: bornYearsAgo(spec.age ?? 9), sex: 'male',
    labor_capacity: 'none', has_income_source: false, has_able_supporter: true, school_stage: spec.schoolStage ?? 'primary'
  }).returning('id').executeTakeFirstOrThrow()
  return { personId: person.id, householdId: household.id }
}

/** An issued voucher for a child, written directly (for half-years the API no longer issues). */
export async function insertVoucher (app: FastifyInstance, child: { personId: number, householdId: number }, halfYear = NOW, village = VILLAGE): Promise<number> {
  const row = await app.db.insertInto('vouchers').values({ person_id: child.personId, household_id: child.householdId, region_code: village, half_year: halfYear })
    .returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function demoInstitution (app: FastifyInstance): Promise<number> {
  const row = await app.db.selectFrom('institutions').select('id').where('name', '=', '南浔区阳光培训学校').executeTakeFirstOrThrow()
  return row.id
}

export interface CourseSpec {
  seats?: number
  minAge?: number
  maxAge?: number
  town?: string
  halfYear?: string
  institutionId?: number
}

export async function insertCourse (app: FastifyInstance, spec: CourseSpec = {}): Promise<number> {
  const row = await app.db.insertInto('courses').values({
    institution_id: spec.institutionId ?? await demoInstitution(app), title: '书法兴趣班', seats: spec.seats ?? 10,
    min_age: spec.minAge ?? 6, max_age: spec.maxAge ?? 12, half_year: spec.halfYear ?? NOW, region_code: spec.town ?? '330503101'
  }).returning('id').executeTakeFirstOrThrow()
  return row.id
}

/** An open project of the demo charity federation (a training-voucher programme unless told). */
export async function insertProject (app: FastifyInstance, budget: number, kind: 'training_voucher' | 'fund' = 'training_voucher'): Promise<number> {
  const organisation = await app.db.selectFrom('organisations').select('id').where('name', '=', '南浔区慈善总会').executeTakeFirstOrThrow()
  const row = await app.db.insertInto('projects').values({ organisation_id: organisation.id, kind, title: '爱心培训券', budget, unit_cost: 800, status: 'open' })
    .returning('id').executeTakeFirstOrThrow()
  return row.id
}
