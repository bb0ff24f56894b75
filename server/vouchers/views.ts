// What people see of a voucher. Staff of the region: the child's masked name (张**), age,
// town, school stage, days left and urgency — the list of children without a class is one
// query. A training institution, for the vouchers placed in its courses: a polite title
// (张同学) and an age band, never an ID number, full name, address or household category.
import { sql, type ExpressionBuilder } from 'kysely'
import type { Sex } from '../../matching/domain.js'
import { ageOn } from '../../matching/policy/index.js'
import { voucherUrgency } from '../../matching/seat-assignment.js'
import type { ListScope } from '../auth/policy.js'
import type { Db } from '../db/database.js'
import type { Database } from '../db/schema.js'
import { scopePattern, type RegionScope } from '../db/scope.js'
import { notFound } from '../http/errors.js'
import { ageBand, maskedTitle } from '../privacy/deidentify.js'
import { daysLeft, referenceDay } from './half-year.js'
import type { RowOf } from '../db/rows.js'
import type { PlacedChildView, VoucherView } from '../schemas/vouchers.js'

export type VoucherState = 'issued' | 'assigned' | 'redeemed' | 'lapsed'

export const VOUCHER_NAME = '该培训券 (voucher)'

/**
 * Whether the child's assistance chain shows a class in the voucher's half-year already (a
 * standing, unreversed training_voucher entry), e.g. through another programme. By household
 * first: that is how the chain is indexed.
 */
function hadClass (eb: ExpressionBuilder<Database & { v: Database['vouchers'] }, 'v'>) {
  return sql<boolean>`EXISTS (
    SELECT 1 FROM assistance_entries a
     WHERE a.household_id = ${eb.ref('v.household_id')} AND a.person_id = ${eb.ref('v.person_id')}
       AND a.kind = 'training_voucher' AND a.reverses IS NULL
       AND to_char(a.occurred_on, 'YYYY') || CASE WHEN extract(month FROM a.occurred_on) <= 6 THEN 'H1' ELSE 'H2' END = ${eb.ref('v.half_year')}
       AND NOT EXISTS (SELECT 1 FROM assistance_entries r WHERE r.reverses = a.id))`
}

/** Vouchers with their child, town (the village's first nine digits) and course. */
export function voucherQuery (db: Db) {
  return db.selectFrom('vouchers as v')
    .innerJoin('persons as p', 'p.id', 'v.person_id')
    .innerJoin('regions as town', join => join.on(eb => eb('town.code', '=', eb.fn<string>('left', [eb.ref('v.region_code'), eb.val(9)]))))
    .leftJoin('courses as c', 'c.id', 'v.course_id')
    .select(['v.id', 'v.half_year', 'v.state', 'v.person_id', 'v.household_id', 'v.region_code', 'v.project_id', 'v.course_id', 'v.assigned_via',
      'v.assigned_at', 'v.sessions_total', 'v.sessions_attended', 'v.redeemed_at', 'p.masked_name', 'p.sex', 'p.birth_date', 'p.school_stage',
      'town.code as town_code', 'town.name as town_name', 'c.institution_id', 'c.title as course_title'])
    .select(eb => hadClass(eb).as('had_class'))
}
type VoucherRow = RowOf<typeof voucherQuery>

/** Age, urgency and days left as of `asOf`, taken on the half-year's reference day. */
export function childFacts (row: Pick<VoucherRow, 'half_year' | 'birth_date' | 'had_class'>, asOf: string) {
  const day = referenceDay(row.half_year, asOf)
  return { age: ageOn(row.birth_date, day), urgency: voucherUrgency(day, row.had_class), daysLeft: daysLeft(row.half_year, asOf) }
}

function toStaffView (r: VoucherRow, asOf: string): VoucherView {
  const { age, urgency, daysLeft } = childFacts(r, asOf)
  return {
    id: r.id,
    halfYear: r.half_year,
    state: r.state,
    personId: r.person_id,
    householdId: r.household_id,
    maskedName: r.masked_name,
    age,
    schoolStage: r.school_stage,
    regionCode: r.region_code,
    town: { code: r.town_code, name: r.town_name },
    daysLeft,
    urgency,
    hadClassThisHalfYear: r.had_class,
    projectId: r.project_id,
    course: r.course_id !== null ? { id: r.course_id, title: r.course_title as string } : null,
    assignedVia: r.assigned_via,
    assignedAt: r.assigned_at?.toISOString() ?? null,
    sessionsTotal: r.sessions_total,
    sessionsAttended: r.sessions_attended,
    redeemedAt: r.redeemed_at?.toISOString() ?? null
  }
}

function toPlacedView (r: VoucherRow, asOf: string): PlacedChildView {
  const age = ageOn(r.birth_date, referenceDay(r.half_year, asOf))
  return {
    voucherId: r.id,
    halfYear: r.half_year,
    state: r.state,
    courseId: r.course_id,
    // masked_name keeps the surname (张**), which is all maskedTitle reads of a name.
    child: maskedTitle(r.masked_name, r.sex as Sex, age, 'fine'),
    ageBand: ageBand(age, 'fine'),
    assignedAt: r.assigned_at?.toISOString() ?? null,
    sessionsTotal: r.sessions_total,
    sessionsAttended: r.sessions_attended,
    redeemedAt: r.redeemed_at?.toISOString() ?? null
  }
}

/** Whose vouchers staff read: a region's, or those an organisation's projects pay for (charity staff). */
export type VoucherReader = RegionScope | { organisationId: number }

function readableBy (eb: ExpressionBuilder<Database & { v: Database['vouchers'] }, 'v'>, reader: VoucherReader) {
  return 'organisationId' in reader
    ? eb('v.project_id', 'in', eb.selectFrom('projects').select('projects.id').where('projects.organisation_id', '=', reader.organisationId))
    : eb('v.region_code', 'like', scopePattern(reader))
}

export async function getVoucher (db: Db, reader: VoucherReader, id: number, asOf: string): Promise<VoucherView> {
  const row = await voucherQuery(db).where('v.id', '=', id).where(eb => readableBy(eb, reader)).executeTakeFirst()
  if (!row) throw notFound(VOUCHER_NAME)
  return toStaffView(row, asOf)
}

export interface VoucherFilters {
  halfYear: string
  regionCode?: string
  state?: VoucherState
  /** Only children whose voucher has no seat yet. */
  withoutClass?: boolean
  householdId?: number
  limit: number
  offset: number
}

/** Children of the region with this half-year's voucher and no class yet: what the workbench counts. */
export async function countWithoutClass (db: Db, scope: RegionScope, halfYear: string): Promise<number> {
  const row = await db.selectFrom('vouchers').select(eb => eb.fn.countAll<string>().as('n'))
    .where('half_year', '=', halfYear).where('region_code', 'like', scopePattern(scope)).where('state', '=', 'issued').executeTakeFirstOrThrow()
  return Number(row.n)
}

/**
 * A half-year's vouchers in the scope, most urgent first: children without any class this
 * half-year before those the chain shows one for, then by town and voucher.
 */
export async function listVouchers (db: Db, reader: VoucherReader, filters: VoucherFilters, asOf: string): Promise<{ total: number, items: VoucherView[] }> {
  let query = voucherQuery(db).where('v.half_year', '=', filters.halfYear).where(eb => readableBy(eb, reader))
  if (filters.regionCode) query = query.where('v.region_code', 'like', `${filters.regionCode}%`)
  if (filters.withoutClass) query = query.where('v.state', '=', 'issued')
  if (filters.householdId) query = query.where('v.household_id', '=', filters.householdId)
  if (filters.state) query = query.where('v.state', '=', filters.state)
  const rows = await query.select(sql<number>`count(*) OVER ()`.as('total'))
    .orderBy('had_class').orderBy('town.code').orderBy('v.id').limit(filters.limit).offset(filters.offset).execute()
  return { total: Number(rows[0]?.total ?? 0), items: rows.map(r => toStaffView(r, asOf)) }
}

/**
 * The children placed in a course: an institution sees its own courses' whole roster; staff
 * bound to a region see the children of their region; charity staff those their
 * organisation's projects pay for.
 */
export async function courseRoster (db: Db, scope: ListScope, courseId: number, asOf: string): Promise<PlacedChildView[]> {
  let query = voucherQuery(db).where('v.course_id', '=', courseId)
  if (!scope.everywhere) {
    query = query.where(eb => eb.or([
      ...(scope.institutionId !== undefined ? [eb('c.institution_id', '=', scope.institutionId)] : []),
      ...(scope.regionPrefix !== undefined ? [readableBy(eb, { regionPrefix: scope.regionPrefix })] : []),
      ...(scope.organisationId !== undefined ? [readableBy(eb, { organisationId: scope.organisationId })] : [])
    ]))
  }
  const rows = await query.orderBy('v.id').execute()
  return rows.map(r => toPlacedView(r, asOf))
}
