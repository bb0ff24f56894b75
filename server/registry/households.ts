// Reading and changing registered households. Every query takes the caller's region scope;
// lists show masked names only. Full personal data comes from readHouseholdPii, which the
// route audits.
import { sql, type ExpressionBuilder, type Updateable } from 'kysely'
import type { Database, HouseholdTable, PersonTable } from '../db/schema.js'
import { inTransaction, type Db } from '../db/database.js'
import { camelRow, type RowOf } from '../db/rows.js'
import { inScope, scopePattern, type RegionScope } from '../db/scope.js'
import { AppError, conflict, notFound } from '../http/errors.js'
import { blindIndex, decrypt, encrypt, type PiiKeys } from '../privacy/pii.js'
import { insertHouseholds, insertPersons, type PreparedPerson } from './bulk-write.js'
import { prepareHousehold, prepareMembers, statusProblems, type PrepareContext, type Problem } from './prepare.js'
import type { HouseholdChangesInput, HouseholdDetail, HouseholdPii, HouseholdSummary, MemberSummary, RegistryHouseholdInput, StoredMemberOutcome } from '../schemas/household.js'
import { lastTemporaryAssistance, latestDecisionSummary, reclassifyHousehold, withoutPlace } from './decisions.js'
import { policyLookup, regionPolicies } from './classify.js'
import { parameterVersions } from './parameters.js'
import { today } from '../clock.js'
import { periodEnd } from '../../matching/dates.js'
import { monitoring, profileOf, resolveParameters, type ParameterVersion } from '../../matching/policy/index.js'

export interface HouseholdFilters {
  regionCode?: string
  category?: string
  status?: string
  hardship?: string
  /** An 18-digit ID number (exact, through the blind index), a 户编号, or a surname. */
  text?: string
  /** Only households with help under way (true) or without (false): see `helpUnderWay`. */
  openHelp?: boolean
  /** Only households changed on or after this day (YYYY-MM-DD, China time). */
  changedSince?: string
  limit: number
  offset: number
}

/**
 * Help under way for the household: a wish between submission and receipt, a proposal open
 * or confirmed and not yet received, a dream room not finished, a training voucher not used.
 * Read from the household's `help_under_way` flag, which triggers keep exactly so (migration
 * 0170, whose `has_help_under_way` states the four conditions), so that a county's list
 * filters and counts by it without probing four tables per household.
 */
export function helpUnderWay (eb: ExpressionBuilder<Database & { h: Database['households'] }, 'h'>) {
  return eb('h.help_under_way', '=', true)
}

function summaryQuery (db: Db, scope: RegionScope) {
  return db.selectFrom('households as h')
    .select(['h.id', 'h.external_key', 'h.region_code', 'h.category', 'h.status', 'h.status_since', 'h.gradual_exit_until', 'h.annual_income',
      'h.previous_annual_income', 'h.medical_expense', 'h.education_expense', 'h.other_rigid_expense', 'h.property_compliant', 'h.property_checked_on', 'h.poverty_monitoring',
      'h.hardships', 'h.updated_at'])
    .select(eb => eb.selectFrom('persons').select(eb.fn.countAll<number>().as('n')).whereRef('persons.household_id', '=', 'h.id').where('persons.left_on', 'is', null).as('member_count'))
    .where('h.region_code', 'like', scopePattern(scope))
}

type SummaryRow = RowOf<typeof summaryQuery>

const toSummary = ({ medical_expense: medical, education_expense: education, other_rigid_expense: other, member_count: members, ...row }: SummaryRow): HouseholdSummary => ({
  ...camelRow(row),
  rigidExpenses: { medical, education, other },
  memberCount: Number(members ?? 0)
})

export async function listHouseholds (db: Db, scope: RegionScope, keys: PiiKeys, filters: HouseholdFilters): Promise<{ total: number, items: HouseholdSummary[] }> {
  let query = summaryQuery(db, scope)
  if (filters.regionCode) query = query.where('h.region_code', 'like', `${filters.regionCode}%`)
  if (filters.category) query = query.where('h.category', '=', filters.category)
  if (filters.status) query = query.where('h.status', '=', filters.status)
  if (filters.hardship) query = query.where(sql<boolean>`${filters.hardship} = ANY(h.hardships)`)
  if (filters.openHelp !== undefined) query = query.where(eb => filters.openHelp === true ? helpUnderWay(eb) : eb.not(helpUnderWay(eb)))
  if (filters.changedSince) query = query.where('h.updated_at', '>=', new Date(`${filters.changedSince}T00:00:00+08:00`))
  const text = filters.text?.trim()
  if (text) {
    if (/^[0-9]{17}[0-9Xx]$/.test(text)) {
      const index = blindIndex(keys, text.toUpperCase())
      query = query.where(eb => eb.exists(eb.selectFrom('persons').select('id').whereRef('persons.household_id', '=', 'h.id').where('left_on', 'is', null).where('id_blind_index', '=', index)))
    } else {
      query = query.where(eb => eb.or([
        eb('h.external_key', '=', text),
        eb.exists(eb.selectFrom('persons').select('id').whereRef('persons.household_id', '=', 'h.id').where('left_on', 'is', null).where('masked_name', 'like', `${Array.from(text)[0]}%`))
      ]))
    }
  }
  // The page's ids first, then their rows: the members' count in the select list would
  // otherwise be worked out for every row a deep page skips.
  const [page, count] = await Promise.all([
    query.clearSelect().select('h.id').orderBy('h.id').limit(filters.limit).offset(filters.offset).execute(),
    query.clearSelect().select(eb => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()
  ])
  const rows = page.length === 0 ? [] : await summaryQuery(db, scope).where('h.id', 'in', page.map(r => r.id)).orderBy('h.id').execute()
  return { total: Number(count.total), items: rows.map(toSummary) }
}

/** The household of a current member, if it lies in the scope (else undefined, as if there were none). */
export async function householdOfPerson (db: Db, scope: RegionScope, personId: number): Promise<number | undefined> {
  const row = await db.selectFrom('persons as p').innerJoin('households as h', 'h.id', 'p.household_id').select(['h.id', 'h.region_code'])
    .where('p.id', '=', personId).where('p.left_on', 'is', null).executeTakeFirst()
  return row && inScope(scope, row.region_code) ? row.id : undefined
}

/** The masked name of each household's head (lists show the household by it), by household id. */
export async function headNames (db: Db, householdIds: readonly number[]): Promise<Map<number, string>> {
  if (householdIds.length === 0) return new Map()
  const rows = await db.selectFrom('persons').select(['household_id', 'masked_name']).where('household_id', 'in', [...householdIds])
    .where('relation', '=', 'head').where('left_on', 'is', null).execute()
  return new Map(rows.map(r => [r.household_id, r.masked_name]))
}

/** The household's current members, each with their outcome in `outcomes` (the latest decision's), and those who left. */
async function membersOf (db: Db, householdId: number, outcomes: readonly StoredMemberOutcome[]): Promise<Pick<HouseholdDetail, 'members' | 'formerMembers'>> {
  const rows = await db.selectFrom('persons').selectAll().where('household_id', '=', householdId).orderBy('id').execute()
  const byPerson = new Map(outcomes.map(outcome => [outcome.personId, withoutPlace(outcome)]))
  const summary = (row: typeof rows[number]): MemberSummary => ({
    id: row.id,
    relation: row.relation,
    maskedName: row.masked_name,
    birthDate: row.birth_date,
    sex: row.sex,
    laborCapacity: row.labor_capacity,
    hasIncomeSource: row.has_income_source,
    hasAbleSupporter: row.has_able_supporter,
    disability: row.disability_level === null ? null : { level: row.disability_level, kind: row.disability_kind ?? '' },
    seriousIllness: row.serious_illness,
    schoolStage: row.school_stage,
    employed: row.employed,
    hukou: row.hukou,
    publicSector: row.public_sector,
    povertyMonitoring: row.monitored_from === null ? null : { from: row.monitored_from, until: row.monitored_until }
  })
  return {
    members: rows.filter(row => row.left_on === null).map(row => ({ ...summary(row), decision: byPerson.get(row.id) ?? null })),
    formerMembers: rows.flatMap(row => row.left_on === null ? [] : [{ ...summary(row), leftOn: row.left_on, leftReason: row.left_reason ?? 'other' }])
  }
}

export async function getHousehold (db: Db, scope: RegionScope, id: number, asOf: string = today()): Promise<HouseholdDetail> {
  const row = await summaryQuery(db, scope).where('h.id', '=', id).executeTakeFirst()
  if (!row) throw notFound('该家庭 (household)')
  const summary = toSummary(row)
  const profileId = policyLookup(await regionPolicies(db))(summary.regionCode)
  const staff = profileId === undefined ? [] : (await parameterVersions(db, profileId)).get(profileId) ?? []
  const latest = await latestDecisionSummary(db, id)
  const decision = latest === null
    ? null
    : { id: latest.id, decidedAt: latest.decidedAt, asOf: latest.asOf, profile: latest.profile, profileVersion: latest.profileVersion, category: latest.category }
  return { ...summary, ...(await membersOf(db, id, latest?.members ?? [])), ...(await standing(db, summary, profileId, staff, asOf)), decision }
}

/** Where the household stands on `asOf`: its monitored-object window and its property check's validity. */
async function standing (db: Db, h: HouseholdSummary, profileId: string | undefined, staff: ParameterVersion[], asOf: string): Promise<Pick<HouseholdDetail, 'monitoring' | 'propertyCheck'>> {
  if (profileId === undefined) return { monitoring: null, propertyCheck: null }
  let window: HouseholdDetail['monitoring'] = null
  if (h.status === 'exited' || h.status === 'refused' || h.status === 'monitored_other') {
    const found = monitoring(profileId, h.status, h.statusSince, asOf, await lastTemporaryAssistance(db, h.id), staff)
    window = { monitored: found.monitored, ground: found.ground, until: found.until }
  }
  const profile = profileOf(profileId)
  const months = resolveParameters(profile.id, profile.parameters, staff, asOf).values.economicCheckValidityMonths
  const checkedOn = h.propertyCheckedOn
  const validUntil = checkedOn === null || months === undefined ? null : periodEnd(checkedOn, months)
  return { monitoring: window, propertyCheck: checkedOn === null || validUntil === null ? null : { checkedOn, validUntil, needsRecheck: asOf > validUntil } }
}

/** Decrypts the household's personal data. The caller must audit this read. */
export async function readHouseholdPii (db: Db, scope: RegionScope, keys: PiiKeys, id: number): Promise<HouseholdPii> {
  const household = await db.selectFrom('households').select(['region_code', 'address_encrypted', 'phone_encrypted']).where('id', '=', id).executeTakeFirst()
  if (!household || !inScope(scope, household.region_code)) throw notFound('该家庭 (household)')
  const persons = await db.selectFrom('persons').select(['id', 'name_encrypted', 'id_number_encrypted', 'illness_encrypted'])
    .where('household_id', '=', id).orderBy('id').execute()
  return {
    address: household.address_encrypted ? decrypt(keys, household.address_encrypted) : null,
    phone: household.phone_encrypted ? decrypt(keys, household.phone_encrypted) : null,
    members: persons.map(p => ({
      id: p.id,
      name: decrypt(keys, p.name_encrypted),
      idNumber: decrypt(keys, p.id_number_encrypted),
      illness: p.illness_encrypted ? decrypt(keys, p.illness_encrypted) : null
    }))
  }
}

export const invalidHousehold = (problems: Problem[]) => new AppError(400, 'invalid_household', '家庭信息有误 (invalid household)',
  problems.map(p => ({ field: `body.${p.field}`, code: p.code, message: p.message })))

/** Where a person is registered already (一人一次). */
export interface RegisteredOwner { householdId: number, externalKey: string | null, regionCode: string }

/** 一人一次: an ID number may be a current member once in the whole database. Keys are the blind indexes in hex. */
export async function registeredElsewhere (db: Db, indexes: Buffer[]): Promise<Map<string, RegisteredOwner>> {
  if (indexes.length === 0) return new Map()
  const rows = await db.selectFrom('persons as p').innerJoin('households as h', 'h.id', 'p.household_id')
    .select(['p.id_blind_index', 'h.id', 'h.external_key', 'h.region_code']).where('p.id_blind_index', 'in', indexes).where('p.left_on', 'is', null).execute()
  return new Map(rows.map(row => [row.id_blind_index.toString('hex'), { householdId: row.id, externalKey: row.external_key, regionCode: row.region_code }]))
}

/**
 * A clash with a household outside the caller's region is refused without naming it: its
 * id and 户编号 would tell the caller who is registered where. The county sorts it out.
 */
export const REGISTERED_IN_ANOTHER_REGION = '身份证号已在其他地区登记（一人一次），请联系县级民政部门核实 (ID number already registered elsewhere: contact the county civil-affairs bureau)'

/** The audit record of a 一人一次 lookup that hit a household outside the caller's region (for that region's auditors). */
export const clashAudit = (owner: RegisteredOwner, details: Record<string, unknown>) =>
  ({ action: 'household.registered_elsewhere', record: { type: 'household', id: owner.householdId, regionCode: owner.regionCode }, details })

const alreadyRegistered = () => conflict('id_already_registered', '身份证号已在册，每人只能登记一次 (ID number already registered)')

/** Members whose ID number is registered already (一人一次), by their index in the input. */
export type Clashes = Array<{ index: number, owner: RegisteredOwner }>

async function clashesOf (db: Db, members: PreparedPerson[]): Promise<Clashes> {
  const taken = await registeredElsewhere(db, members.map(m => m.idBlindIndex))
  return members.flatMap((member, index) => {
    const owner = taken.get(member.idBlindIndex.toString('hex'))
    return owner ? [{ index, owner }] : []
  })
}

/** The 409 for clashes: inside the caller's region the household is named, outside it not. `list` names the members' place in the request. */
export function clashConflict (scope: RegionScope, clashes: Clashes, list = 'members'): AppError {
  return conflict('id_already_registered', alreadyRegistered().message, clashes.map(({ index, owner }) => {
    const field = `body.${list}.${index}.idNumber`
    if (!inScope(scope, owner.regionCode)) return { field, code: 'id_already_registered', message: REGISTERED_IN_ANOTHER_REGION }
    return { field, code: 'id_already_registered', message: `身份证号已登记在第 ${owner.householdId} 号家庭${owner.externalKey ? `（户编号 ${owner.externalKey}）` : ''}（一人一次）`, householdId: owner.householdId }
  }))
}

/** Two clerks registering the same person at the same moment: the unique index decides. */
function samePersonAtOnce (error: unknown): never {
  if ((error as { constraint?: string }).constraint === 'persons_id_blind_index_key') throw alreadyRegistered()
  throw error
}

/**
 * Registers and classifies a household in the caller's transaction. When a member is
 * registered already, nothing is written and the clashes are returned instead, so that the
 * caller can audit the lookups (clashConflict makes the answer).
 */
export async function createHousehold (trx: Db, scope: RegionScope, input: RegistryHouseholdInput, context: PrepareContext): Promise<{ household: HouseholdDetail } | { clashes: Clashes }> {
  if (!inScope(scope, input.regionCode)) throw new AppError(403, 'forbidden', '只能登记本辖区的家庭 (outside your region)')
  const { prepared, problems } = prepareHousehold(input, null, context)
  if (!prepared) throw invalidHousehold(problems)
  const clashes = await clashesOf(trx, prepared.members)
  if (clashes.length > 0) return { clashes }
  const [id] = await insertHouseholds(trx, [prepared]).catch(samePersonAtOnce)
  return { household: await getHousehold(trx, scope, id as number, context.asOf) }
}

/**
 * Who leaves must be a current member, on a day that has come; when the membership or a
 * relation changes, at least one member and exactly one head must remain.
 */
function membershipProblems (current: HouseholdDetail, changes: HouseholdChangesInput, asOf: string): Problem[] {
  const problems: Problem[] = []
  const relationOf = new Map(current.members.map(m => [m.id, m.relation]))
  const leaving = new Set<number>()
  changes.removeMembers?.forEach((member, index) => {
    if (!relationOf.has(member.id) || leaving.has(member.id)) {
      problems.push({ field: `removeMembers.${index}.id`, code: 'not_a_member', message: `第 ${member.id} 号人员不是该户现有成员 (not a current member of this household)` })
    } else if (member.on > asOf) {
      problems.push({ field: `removeMembers.${index}.on`, code: 'future_date', message: `离开日期 ${member.on} 晚于今天 ${asOf} (a day still to come)` })
    }
    leaving.add(member.id)
  })
  changes.members?.forEach((member, index) => {
    const monitoring = member.povertyMonitoring
    if (monitoring?.until != null && monitoring.until < monitoring.from) {
      problems.push({ field: `members.${index}.povertyMonitoring.until`, code: 'ends_before_start', message: `监测结束日期 ${monitoring.until} 早于开始日期 ${monitoring.from} (monitoring ends before it starts)` })
    }
  })
  const relationChanged = changes.members?.some(m => m.relation !== undefined) === true
  if (changes.addMembers === undefined && changes.removeMembers === undefined && !relationChanged) return problems
  for (const member of changes.members ?? []) if (member.relation !== undefined && relationOf.has(member.id)) relationOf.set(member.id, member.relation)
  const relations = [...relationOf].flatMap(([id, relation]) => leaving.has(id) ? [] : [relation]).concat((changes.addMembers ?? []).map(m => m.relation))
  if (relations.length === 0) {
    problems.push({ field: 'removeMembers', code: 'no_members_left', message: '家庭至少须保留一名成员 (a household keeps at least one member)' })
  } else {
    const heads = relations.filter(relation => relation === 'head').length
    if (heads !== 1) problems.push({ field: 'members', code: 'one_head', message: `每户须有且只有一名户主，变更后有 ${heads} 名 (exactly one head)` })
  }
  return problems
}

/**
 * Applies the changes, re-encrypting contact data: members join (ID checks and 一人一次 as at
 * registration) or leave (kept, with the day and reason), and the household is reclassified
 * in the same transaction. A joining member registered already writes nothing and returns the
 * clashes, as at registration.
 */
export async function updateHousehold (db: Db, scope: RegionScope, id: number, changes: HouseholdChangesInput, context: PrepareContext): Promise<{ household: HouseholdDetail } | { clashes: Clashes }> {
  const current = await getHousehold(db, scope, id, context.asOf)
  const status = changes.status ?? current.status
  // Leaving gradual_exit clears its end; a new gradual exit must bring one.
  const until = changes.gradualExitUntil ?? (status === 'gradual_exit' ? current.gradualExitUntil : null)
  const joining = prepareMembers(changes.addMembers ?? [], context, index => `addMembers.${index}`)
  const problems = [...statusProblems(status, until), ...joining.problems, ...membershipProblems(current, changes, context.asOf)]
  if (problems.length > 0) throw invalidHousehold(problems)
  const clashes = await inTransaction(db, async trx => {
    const clashes = await clashesOf(trx, joining.members)
    if (clashes.length > 0) return clashes
    const set: Updateable<HouseholdTable> = { updated_at: new Date() }
    if (changes.annualIncome !== undefined) set.annual_income = changes.annualIncome
    if (changes.previousAnnualIncome !== undefined) set.previous_annual_income = changes.previousAnnualIncome
    if (changes.rigidExpenses) {
      set.medical_expense = changes.rigidExpenses.medical
      set.education_expense = changes.rigidExpenses.education
      if (changes.rigidExpenses.other !== undefined) set.other_rigid_expense = changes.rigidExpenses.other
    }
    if (changes.propertyCompliant !== undefined) set.property_compliant = changes.propertyCompliant
    if (changes.propertyCheckedOn !== undefined) set.property_checked_on = changes.propertyCheckedOn
    if (changes.povertyMonitoring !== undefined) set.poverty_monitoring = changes.povertyMonitoring
    if (changes.hardships) set.hardships = changes.hardships
    if (status !== current.status || changes.statusSince !== undefined) {
      set.status = status
      set.status_since = changes.statusSince ?? context.asOf
    }
    if (until !== current.gradualExitUntil) set.gradual_exit_until = until
    if (changes.caseByCase !== undefined) set.case_by_case = changes.caseByCase
    if (changes.address !== undefined) set.address_encrypted = changes.address ? encrypt(context.keys, changes.address) : null
    if (changes.phone !== undefined) set.phone_encrypted = changes.phone ? encrypt(context.keys, changes.phone) : null
    await trx.updateTable('households').set(set).where('id', '=', id).execute()
    for (const member of changes.members ?? []) {
      const update: Updateable<PersonTable> = {}
      if (member.relation) update.relation = member.relation
      if (member.laborCapacity) update.labor_capacity = member.laborCapacity
      if (member.hasIncomeSource !== undefined) update.has_income_source = member.hasIncomeSource
      if (member.hasAbleSupporter !== undefined) update.has_able_supporter = member.hasAbleSupporter
      if (member.disability !== undefined) {
        update.disability_level = member.disability?.level ?? null
        update.disability_kind = member.disability?.kind ?? null
      }
      if (member.seriousIllness !== undefined) update.serious_illness = member.seriousIllness
      if (member.schoolStage) update.school_stage = member.schoolStage
      if (member.employed !== undefined) update.employed = member.employed
      if (member.hukou !== undefined) update.hukou = member.hukou
      if (member.publicSector !== undefined) update.public_sector = member.publicSector
      if (member.povertyMonitoring !== undefined) {
        update.monitored_from = member.povertyMonitoring?.from ?? null
        update.monitored_until = member.povertyMonitoring?.until ?? null
      }
      if (Object.keys(update).length === 0) continue
      const result = await trx.updateTable('persons').set(update).where('id', '=', member.id).where('household_id', '=', id).where('left_on', 'is', null).executeTakeFirst()
      if (result.numUpdatedRows === 0n) {
        throw invalidHousehold([{ field: 'members', code: 'not_a_member', message: `第 ${member.id} 号人员不是该户现有成员 (not a current member of this household)` }])
      }
    }
    for (const leaving of changes.removeMembers ?? []) {
      await trx.updateTable('persons').set({ left_on: leaving.on, left_reason: leaving.reason }).where('id', '=', leaving.id).where('household_id', '=', id).execute()
    }
    if (joining.members.length > 0) await insertPersons(trx, joining.members.map(member => ({ ...member, householdId: id })))
    await reclassifyHousehold(trx, scope, id, context, changes.incomeChangedOn ? { incomeChangedOn: changes.incomeChangedOn } : {})
    return []
  }).catch(samePersonAtOnce)
  return clashes.length > 0 ? { clashes } : { household: await getHousehold(db, scope, id, context.asOf) }
}
