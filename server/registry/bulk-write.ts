// Writes prepared households in bulk: ids reserved with nextval(), then one INSERT … SELECT
// FROM unnest(…) per table, so 1,000 households cost a handful of round trips. The API
// (one household) and the import (thousands) both write through here.
import { sql } from 'kysely'
import type { Static } from 'typebox'
import type { Db } from '../db/database.js'
import type { DecisionSchema, StoredMemberOutcome } from '../schemas/household.js'

export interface PreparedPerson {
  relation: string
  nameEncrypted: Buffer
  maskedName: string
  idNumberEncrypted: Buffer
  idBlindIndex: Buffer
  birthDate: string
  sex: 'male' | 'female'
  laborCapacity: string
  hasIncomeSource: boolean
  hasAbleSupporter: boolean
  disabilityLevel: number | null
  disabilityKind: string | null
  seriousIllness: boolean
  illnessEncrypted: Buffer | null
  schoolStage: string
  employed: boolean
  hukou: 'rural' | 'urban' | null
  publicSector: boolean
  monitoredFrom: string | null
  monitoredUntil: string | null
}

/**
 * A classification ready to store: the decision's view (schemas/household.ts) without its id
 * and time. Its members' outcomes are by their place among the members classified; stored,
 * each is under the person's id (storedMembers).
 */
export type PreparedDecision = Static<typeof DecisionSchema>

export interface PreparedHousehold {
  externalKey: string | null
  regionCode: string
  addressEncrypted: Buffer | null
  phoneEncrypted: Buffer | null
  annualIncome: number
  previousAnnualIncome: number | null
  medicalExpense: number
  educationExpense: number
  otherExpense: number
  propertyCompliant: boolean
  propertyCheckedOn: string | null
  povertyMonitoring: boolean
  hardships: string[]
  status: string
  statusSince: string
  gradualExitUntil: string | null
  caseByCase: boolean
  members: PreparedPerson[]
  decision: PreparedDecision
}

async function reserveIds (db: Db, table: 'households' | 'persons', count: number): Promise<number[]> {
  if (count === 0) return []
  const { rows } = await sql<{ id: number }>`
    SELECT nextval(pg_get_serial_sequence(${table}, 'id')) AS id FROM generate_series(1, ${count})`.execute(db)
  return rows.map(row => row.id)
}

/** Inserts households, members and their first decisions (each member's outcome under their new id); returns the new household ids in input order. */
export async function insertHouseholds (db: Db, households: PreparedHousehold[]): Promise<number[]> {
  if (households.length === 0) return []
  const ids = await reserveIds(db, 'households', households.length)
  const col = <T>(pick: (h: PreparedHousehold) => T) => households.map(pick)
  await sql`
    INSERT INTO households (id, external_key, region_code, address_encrypted, phone_encrypted, annual_income,
      previous_annual_income, medical_expense, education_expense, other_rigid_expense, property_compliant, property_checked_on, poverty_monitoring,
      hardships, status, status_since, gradual_exit_until, case_by_case, category)
    SELECT id, external_key, region_code, address_encrypted, phone_encrypted, annual_income, previous_annual_income, medical_expense,
      education_expense, other_rigid_expense, property_compliant, property_checked_on, poverty_monitoring,
      string_to_array(hardships, ','), status, status_since, gradual_exit_until, case_by_case, category
    FROM unnest(${ids}::bigint[], ${col(h => h.externalKey)}::text[], ${col(h => h.regionCode)}::text[],
      ${col(h => h.addressEncrypted)}::bytea[], ${col(h => h.phoneEncrypted)}::bytea[], ${col(h => h.annualIncome)}::numeric[],
      ${col(h => h.previousAnnualIncome)}::numeric[],
      ${col(h => h.medicalExpense)}::numeric[], ${col(h => h.educationExpense)}::numeric[], ${col(h => h.otherExpense)}::numeric[],
      ${col(h => h.propertyCompliant)}::boolean[],
      ${col(h => h.propertyCheckedOn)}::date[], ${col(h => h.povertyMonitoring)}::boolean[], ${col(h => h.hardships.join(','))}::text[],
      ${col(h => h.status)}::text[], ${col(h => h.statusSince)}::date[], ${col(h => h.gradualExitUntil)}::date[],
      ${col(h => h.caseByCase)}::boolean[], ${col(h => h.decision.category)}::text[])
      AS t(id, external_key, region_code, address_encrypted, phone_encrypted, annual_income, previous_annual_income, medical_expense,
        education_expense, other_rigid_expense, property_compliant, property_checked_on, poverty_monitoring, hardships, status, status_since,
        gradual_exit_until, case_by_case, category)
  `.execute(db)

  const personIds = await insertPersons(db, households.flatMap((h, i) => h.members.map(m => ({ ...m, householdId: ids[i] as number }))))
  let next = 0
  await insertDecisions(db, households.map((h, i) => {
    const members = personIds.slice(next, next += h.members.length)
    return { householdId: ids[i] as number, decision: h.decision, personIds: members }
  }))
  return ids
}

/** Inserts members into their households (new households, or people joining one); returns their ids in input order. */
export async function insertPersons (db: Db, members: Array<PreparedPerson & { householdId: number }>): Promise<number[]> {
  if (members.length === 0) return []
  const ids = await reserveIds(db, 'persons', members.length)
  const m = <T>(pick: (p: typeof members[number]) => T) => members.map(pick)
  await sql`
    INSERT INTO persons (id, household_id, relation, name_encrypted, masked_name, id_number_encrypted, id_blind_index,
      birth_date, sex, labor_capacity, has_income_source, has_able_supporter, disability_level, disability_kind,
      serious_illness, illness_encrypted, school_stage, employed, hukou, public_sector, monitored_from, monitored_until)
    SELECT * FROM unnest(${ids}::bigint[], ${m(p => p.householdId)}::bigint[], ${m(p => p.relation)}::text[], ${m(p => p.nameEncrypted)}::bytea[],
      ${m(p => p.maskedName)}::text[], ${m(p => p.idNumberEncrypted)}::bytea[], ${m(p => p.idBlindIndex)}::bytea[],
      ${m(p => p.birthDate)}::date[], ${m(p => p.sex)}::text[], ${m(p => p.laborCapacity)}::text[], ${m(p => p.hasIncomeSource)}::boolean[],
      ${m(p => p.hasAbleSupporter)}::boolean[], ${m(p => p.disabilityLevel)}::smallint[], ${m(p => p.disabilityKind)}::text[],
      ${m(p => p.seriousIllness)}::boolean[], ${m(p => p.illnessEncrypted)}::bytea[], ${m(p => p.schoolStage)}::text[], ${m(p => p.employed)}::boolean[],
      ${m(p => p.hukou)}::text[], ${m(p => p.publicSector)}::boolean[], ${m(p => p.monitoredFrom)}::date[], ${m(p => p.monitoredUntil)}::date[])
  `.execute(db)
  return ids
}

/** The member outcomes a decision stores: each under the id of the person it is about (`personIds` in the members' order). */
export const storedMembers = (members: PreparedDecision['members'], personIds: readonly number[]): StoredMemberOutcome[] =>
  members.map(outcome => ({ personId: personIds[outcome.member] as number, ...outcome }))

/**
 * Appends decisions (never rewrites old ones) and sets each household's current category.
 * `personIds` are the ids of the members classified, in the order the engine saw them.
 */
export async function insertDecisions (db: Db, decisions: Array<{ householdId: number, decision: PreparedDecision, personIds: readonly number[] }>): Promise<void> {
  if (decisions.length === 0) return
  const d = <T>(pick: (x: typeof decisions[number]) => T) => decisions.map(pick)
  // The traces (kilobytes each, full of quotes) travel as one JSON array: as elements of an
  // array literal every quote would be escaped by the driver and unescaped by the server.
  // The member outcomes likewise.
  await sql`
    INSERT INTO category_decisions (household_id, as_of, profile, profile_version, category, individual_dibao,
      per_capita_monthly_income, trace, members)
    SELECT household_id, as_of, profile, profile_version, category,
      ARRAY(SELECT jsonb_array_elements_text(individual_dibao)::int), per_capita_monthly_income, trace.value, members.value
    FROM unnest(${d(x => x.householdId)}::bigint[], ${d(x => x.decision.asOf)}::date[], ${d(x => x.decision.profile)}::text[],
      ${d(x => x.decision.profileVersion)}::text[], ${d(x => x.decision.category)}::text[],
      ${d(x => JSON.stringify(x.decision.individualDibao))}::jsonb[], ${d(x => x.decision.perCapitaMonthlyIncome)}::numeric[])
      WITH ORDINALITY AS t(household_id, as_of, profile, profile_version, category, individual_dibao, per_capita_monthly_income, n)
    JOIN json_array_elements(${JSON.stringify(d(x => x.decision.trace))}::json) WITH ORDINALITY AS trace(value, n) USING (n)
    JOIN json_array_elements(${JSON.stringify(d(x => storedMembers(x.decision.members, x.personIds)))}::json) WITH ORDINALITY AS members(value, n) USING (n)
  `.execute(db)
  await sql`
    UPDATE households h SET category = t.category, updated_at = now()
    FROM unnest(${d(x => x.householdId)}::bigint[], ${d(x => x.decision.category)}::text[]) AS t(id, category)
    WHERE h.id = t.id AND h.category IS DISTINCT FROM t.category
  `.execute(db)
}
