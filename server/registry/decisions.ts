// Category decisions: every classification is appended with its profile version and trace;
// a new parameter version never rewrites an old decision, it only informs the next one.
import type { Db } from '../db/database.js'
import { inScope, type RegionScope } from '../db/scope.js'
import { notFound } from '../http/errors.js'
import { gradualExit, profileOf, type TraceStep } from '../../matching/policy/index.js'
import { insertDecisions, type PreparedDecision } from './bulk-write.js'
import { parameterVersions } from './parameters.js'
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

const COVERED = new Set(['tekun', 'dibao', 'dibao_edge'])

/**
 * Classifies the household as it stands now and appends the decision. A 低保 or 边缘
 * household whose income rose keeps its category through the 渐退期 (Nanxun 三(一): 12
 * months from the month after income exceeded, none if property exceeds; Gansu: employed
 * 低保 members, ≤ 6 months); the decision's trace says what the engine found and until when
 * the old category is kept.
 */
export async function reclassifyHousehold (db: Db, scope: RegionScope, householdId: number, context: PrepareContext): Promise<PreparedDecision> {
  const regionCode = await regionOf(db, scope, householdId)
  const facts = await householdFacts(db, householdId)
  const assessed = context.classify(regionCode, facts)
  const household = await db.selectFrom('households').select(['status', 'gradual_exit_until']).where('id', '=', householdId).executeTakeFirstOrThrow()
  const previous = await db.selectFrom('category_decisions').select('category').where('household_id', '=', householdId).orderBy('id', 'desc').executeTakeFirst()
  let decision = assessed
  let status = household.status
  let until = household.gradual_exit_until
  const stillCovered = COVERED.has(assessed.category)
  if (status === 'gradual_exit' && until !== null) {
    if (!stillCovered && facts.propertyCompliant && context.asOf <= until && previous) {
      decision = keep(assessed, previous.category, { until, note: '渐退期内继续享受原救助保障待遇' })
    } else {
      status = stillCovered || assessed.category !== 'none' ? 'active' : 'exited'
      until = null
    }
  } else if (previous && (previous.category === 'dibao' || previous.category === 'dibao_edge') && !stillCovered && status === 'active') {
    const exit = gradualExit({
      profile: assessed.profile, from: previous.category, asOf: context.asOf, incomeExceededIn: context.asOf.slice(0, 7), propertyCompliant: facts.propertyCompliant,
      discoveredOn: context.asOf, employed: facts.members.some(m => m.employed),
      staffVersions: (await parameterVersions(db, assessed.profile)).get(assessed.profile) ?? []
    })
    if (exit.gradualExitUntil) {
      decision = keep(assessed, previous.category, { until: exit.gradualExitUntil }, exit.trace)
      status = 'gradual_exit'
      until = exit.gradualExitUntil
    } else {
      decision = { ...assessed, trace: [...assessed.trace as unknown[], exit.trace] }
      status = assessed.category === 'none' ? 'exited' : 'active'
    }
  }
  if (status !== household.status || until !== household.gradual_exit_until) {
    await db.updateTable('households').set({ status, gradual_exit_until: until }).where('id', '=', householdId).execute()
  }
  await insertDecisions(db, [{ householdId, decision }])
  return decision
}

/** The engine's finding, with the old category kept for the gradual exit. */
function keep (assessed: PreparedDecision, category: string, inputs: Record<string, unknown>, step?: TraceStep): PreparedDecision {
  const kept = { rule: 'gradual_exit_keeps_category', label: '渐退期保留原类别', result: true, inputs: { assessedCategory: assessed.category, keptCategory: category, ...inputs }, source: profileOf(assessed.profile).rules.gradual_exit?.source ?? '' }
  return { ...assessed, category, individualDibao: [], trace: [...assessed.trace as unknown[], ...(step ? [step] : []), kept] }
}
