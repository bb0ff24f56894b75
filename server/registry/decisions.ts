// Category decisions: every classification is appended with its profile version and trace;
// a new parameter version never rewrites an old decision, it only informs the next one.
import type { Db } from '../db/database.js'
import { inScope, type RegionScope } from '../db/scope.js'
import { notFound } from '../http/errors.js'
import { insertDecisions, type PreparedDecision } from './bulk-write.js'
import type { HouseholdFacts } from './classify.js'
import type { PrepareContext } from './prepare.js'

export interface DecisionRecord extends PreparedDecision {
  id: number
  decidedAt: string
}

export async function decisionHistory (db: Db, scope: RegionScope, householdId: number): Promise<DecisionRecord[]> {
  await regionOf(db, scope, householdId)
  const rows = await db.selectFrom('category_decisions').selectAll().where('household_id', '=', householdId).orderBy('id', 'desc').execute()
  return rows.map(row => ({
    id: row.id,
    decidedAt: row.decided_at.toISOString(),
    asOf: row.as_of,
    profile: row.profile,
    profileVersion: row.profile_version,
    category: row.category,
    individualDibao: row.individual_dibao,
    perCapitaMonthlyIncome: row.per_capita_monthly_income,
    trace: row.trace
  }))
}

async function regionOf (db: Db, scope: RegionScope, householdId: number): Promise<string> {
  const row = await db.selectFrom('households').select('region_code').where('id', '=', householdId).executeTakeFirst()
  if (!row || !inScope(scope, row.region_code)) throw notFound('该家庭 (household)')
  return row.region_code
}

/** The facts the policy engine needs, read back from the registry. */
export async function householdFacts (db: Db, householdId: number): Promise<HouseholdFacts> {
  const h = await db.selectFrom('households').selectAll().where('id', '=', householdId).executeTakeFirstOrThrow()
  const persons = await db.selectFrom('persons').selectAll().where('household_id', '=', householdId).orderBy('id').execute()
  return {
    annualIncome: h.annual_income,
    rigidExpenses: { medical: h.medical_expense, education: h.education_expense },
    propertyCompliant: h.property_compliant,
    povertyMonitoring: h.poverty_monitoring,
    hardships: h.hardships as HouseholdFacts['hardships'],
    caseByCase: h.case_by_case,
    members: persons.map(p => ({
      birthDate: p.birth_date,
      laborCapacity: p.labor_capacity,
      hasIncomeSource: p.has_income_source,
      hasAbleSupporter: p.has_able_supporter,
      disability: p.disability_level === null ? null : { level: p.disability_level, kind: p.disability_kind } as never,
      seriousIllness: p.serious_illness,
      schoolStage: p.school_stage as HouseholdFacts['members'][number]['schoolStage'],
      employed: p.employed
    }))
  }
}

/** Classifies the household as it stands now and appends the decision. */
export async function reclassifyHousehold (db: Db, scope: RegionScope, householdId: number, context: PrepareContext): Promise<PreparedDecision> {
  const regionCode = await regionOf(db, scope, householdId)
  const decision = context.classify(regionCode, await householdFacts(db, householdId))
  await insertDecisions(db, [{ householdId, decision }])
  return decision
}
