// Category decisions: every classification is appended with its profile version and trace;
// a new parameter version never rewrites an old decision, it only informs the next one.
import type { Db } from '../db/database.js'
import { EVERYWHERE, inScope, type RegionScope } from '../db/scope.js'
import { notFound } from '../http/errors.js'
import { categoryRank, type CategoryOrNone } from '../../matching/domain.js'
import { addDays } from '../../matching/dates.js'
import { gradualExit, monitoring, profileOf, resolveParameters, traceStep, type Profile, type TraceStep } from '../../matching/policy/index.js'
import { insertDecisions, type PreparedDecision } from './bulk-write.js'
import { parameterVersions } from './parameters.js'
import { loadClassifier, policyLookup, regionPolicies, type HouseholdFacts } from './classify.js'
import type { PrepareContext } from './prepare.js'
import type { DecisionRecord } from '../schemas/household.js'


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
    trace: row.trace as DecisionRecord['trace']
  }))
}

async function regionOf (db: Db, scope: RegionScope, householdId: number): Promise<string> {
  const row = await db.selectFrom('households').select('region_code').where('id', '=', householdId).executeTakeFirst()
  if (!row || !inScope(scope, row.region_code)) throw notFound('该家庭 (household)')
  return row.region_code
}

/** The facts the policy engine needs, read back from the registry (members who left are not counted). */
export async function householdFacts (db: Db, householdId: number): Promise<HouseholdFacts> {
  const h = await db.selectFrom('households').selectAll().where('id', '=', householdId).executeTakeFirstOrThrow()
  const persons = await db.selectFrom('persons').selectAll().where('household_id', '=', householdId).where('left_on', 'is', null).orderBy('id').execute()
  return {
    annualIncome: h.annual_income,
    ...(h.previous_annual_income === null ? {} : { previousAnnualIncome: h.previous_annual_income }),
    rigidExpenses: { medical: h.medical_expense, education: h.education_expense },
    propertyCompliant: h.property_compliant,
    ...(h.property_checked_on === null ? {} : { propertyCheckedOn: h.property_checked_on }),
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

/** The latest temporary assistance in the household's chain that was not reversed. */
export async function lastTemporaryAssistance (db: Db, householdId: number): Promise<string | null> {
  const row = await db.selectFrom('assistance_entries as a').select(eb => eb.fn.max('a.occurred_on').as('on'))
    .where('a.household_id', '=', householdId).where('a.kind', '=', 'temporary_assistance').where('a.reverses', 'is', null)
    .where(eb => eb.not(eb.exists(eb.selectFrom('assistance_entries as r').select('r.id').whereRef('r.reverses', '=', 'a.id'))))
    .executeTakeFirst()
  return row?.on ?? null
}

/** What reclassification needs: the day and the classifier of that day. */
export type ClassifyContext = Pick<PrepareContext, 'asOf' | 'classify'>

export interface ReclassifyOptions {
  /** When the new income began, if the change came with it: a 渐退期 counts from the month after. */
  incomeChangedOn?: string
}

type Leaving = 'dibao' | 'dibao_edge'
const canLeaveGradually = (category: string | undefined): category is Leaving => category === 'dibao' || category === 'dibao_edge'
/** A move down the 就高 order (to a lower category or none). */
const movesDown = (from: string, to: string) => categoryRank(to as CategoryOrNone) > categoryRank(from as CategoryOrNone)

/**
 * Classifies the household as it stands now and appends the decision. A 低保 or 边缘
 * household that moves down (to a lower category or none) keeps its category through the
 * 渐退期 where its document gives one (Nanxun 三(一): both, 12 months from the month after
 * income exceeded, none if property exceeds; Gansu 三(二): employed 低保 members, ≤ 6
 * months); the gradual exit ends when it runs out, when the household qualifies again, or
 * when property is found over the limit. Households outside the categories get the
 * monitored-object window that applies to them (Nanxun 四(二), Hubei 三(二)) in the trace.
 */
export async function reclassifyHousehold (db: Db, scope: RegionScope, householdId: number, context: ClassifyContext, options: ReclassifyOptions = {}): Promise<PreparedDecision> {
  const regionCode = await regionOf(db, scope, householdId)
  const household = await db.selectFrom('households').select(['status', 'status_since', 'gradual_exit_until'])
    .where('id', '=', householdId).forUpdate().executeTakeFirstOrThrow()
  const facts = await householdFacts(db, householdId)
  const assessed = context.classify(regionCode, facts)
  const profile = profileOf(assessed.profile)
  const previous = (await db.selectFrom('category_decisions').select('category').where('household_id', '=', householdId).orderBy('id', 'desc').executeTakeFirst())?.category
  const staffVersions = (await parameterVersions(db, profile.id)).get(profile.id) ?? []
  const { asOf } = context
  const leave = (from: Leaving, incomeExceededIn: string | null) => gradualExit({
    profile: profile.id, from, asOf, incomeExceededIn, propertyCompliant: facts.propertyCompliant,
    // Property found over the limit was discovered by the check that found it, when recorded.
    discoveredOn: !facts.propertyCompliant && facts.propertyCheckedOn && facts.propertyCheckedOn <= asOf ? facts.propertyCheckedOn : asOf,
    employed: facts.members.some(m => m.employed), staffVersions
  })
  const outcome = (decision: PreparedDecision, status: string, since: string, until: string | null) => ({ decision, status, since, until })

  let next = outcome(assessed, household.status, household.status_since, household.gradual_exit_until)
  const until = household.gradual_exit_until
  if (household.status === 'gradual_exit') {
    if (until === null || asOf > until) {
      const reason = until === null ? '渐退期未登记截止日期，按现状认定 (no end date on record)' : '渐退期已满 (the gradual exit has run out)'
      next = outcome(withSteps(assessed, [ended(profile, previous, assessed, { until, reason })]), assessed.category === 'none' ? 'exited' : 'active', until === null ? asOf : addDays(until, 1), null)
    } else if (!canLeaveGradually(previous)) {
      // Registered as gradual exit (API or import) without the category it keeps: respected until its end.
      next = outcome(withSteps(assessed, [citedKept(profile, { assessedCategory: assessed.category, until, note: '渐退期由工作人员登记，保持至截止日 (registered by staff; kept until its end)' })]), 'gradual_exit', household.status_since, until)
    } else if (!movesDown(previous, assessed.category)) {
      next = outcome(withSteps(assessed, [ended(profile, previous, assessed, { until, reason: '渐退期内重新符合原类别或更高类别 (qualifies again)' })]), 'active', asOf, null)
    } else if (!facts.propertyCompliant) {
      // Nanxun 三(一): 渐退期内发现家庭财产超标的，自发现之日次月起退出救助保障范围.
      const exit = leave(previous, null)
      next = outcome(withSteps(assessed, [exit.trace]), assessed.category === 'none' ? 'exited' : 'active', exit.exitFrom, null)
    } else {
      next = outcome(keep(profile, assessed, previous, { until, note: '渐退期内继续享受原救助保障待遇' }), 'gradual_exit', household.status_since, until)
    }
  } else if (household.status === 'active' && canLeaveGradually(previous) && movesDown(previous, assessed.category)) {
    const exit = leave(previous, options.incomeChangedOn?.slice(0, 7) ?? null)
    if (exit.gradualExitUntil !== null && exit.gradualExitUntil >= asOf) {
      next = outcome(keep(profile, assessed, previous, { until: exit.gradualExitUntil }, exit.trace), 'gradual_exit', asOf, exit.gradualExitUntil)
    } else {
      next = outcome(withSteps(assessed, [exit.trace]), assessed.category === 'none' ? 'exited' : 'active', assessed.category === 'none' ? exit.exitFrom : household.status_since, null)
    }
  }

  const { status, since } = next
  let decision = next.decision
  if (status === 'exited' || status === 'refused' || status === 'monitored_other') {
    const window = monitoring(profile.id, status, since, asOf, await lastTemporaryAssistance(db, householdId), staffVersions)
    decision = withSteps(decision, [window.trace])
  }
  if (status !== household.status || since !== household.status_since || next.until !== household.gradual_exit_until) {
    await db.updateTable('households').set({ status, status_since: since, gradual_exit_until: next.until }).where('id', '=', householdId).execute()
  }
  await insertDecisions(db, [{ householdId, decision }])
  return decision
}

/**
 * Reclassifies every household whose gradual exit ended before `asOf` (or was registered
 * without an end): each leaves for what it is assessed as now, in its own transaction.
 * Returns how many were reclassified. For the worker's maintenance schedule.
 */
export async function expireGradualExits (db: Db, asOf: string): Promise<number> {
  const due = await db.selectFrom('households').select('id').where('status', '=', 'gradual_exit')
    .where(eb => eb.or([eb('gradual_exit_until', '<', asOf), eb('gradual_exit_until', 'is', null)])).orderBy('id').execute()
  return reclassifyEach(db, due.map(row => row.id), asOf)
}

/** Reclassifies the households on `asOf`, each in its own transaction; returns how many. */
async function reclassifyEach (db: Db, ids: number[], asOf: string): Promise<number> {
  if (ids.length === 0) return 0
  const context: ClassifyContext = { asOf, classify: await loadClassifier(db, asOf) }
  for (const id of ids) await db.transaction().execute(trx => reclassifyHousehold(trx, EVERYWHERE, id, context))
  return ids.length
}

/**
 * Reclassifies every household whose latest decision used other parameters than its region's
 * profile has in force on `asOf` — a new version has taken effect since (or the region got
 * another profile) — appending a decision for each, in its own transaction. Households of
 * regions without a profile are left alone. Returns how many were reclassified.
 */
export async function reclassifyStale (db: Db, asOf: string): Promise<number> {
  const profileFor = policyLookup(await regionPolicies(db))
  const staff = await parameterVersions(db)
  const inForce = new Map<string, string>()
  const versionFor = (id: string) => {
    let version = inForce.get(id)
    if (version === undefined) {
      const profile = profileOf(id)
      inForce.set(id, version = resolveParameters(profile.id, profile.parameters, staff.get(id) ?? [], asOf).version)
    }
    return version
  }
  const latest = await db.selectFrom('households as h')
    .innerJoinLateral(eb => eb.selectFrom('category_decisions as d').select('d.profile_version').whereRef('d.household_id', '=', 'h.id')
      .orderBy('d.id', 'desc').limit(1).as('last'), join => join.onTrue())
    .select(['h.id', 'h.region_code', 'last.profile_version']).orderBy('h.id').execute()
  const stale = latest.filter(row => {
    const profile = profileFor(row.region_code)
    return profile !== undefined && row.profile_version !== versionFor(profile)
  })
  return reclassifyEach(db, stale.map(row => row.id), asOf)
}

const withSteps = (decision: PreparedDecision, steps: TraceStep[]): PreparedDecision => ({ ...decision, trace: [...decision.trace, ...steps] })

/** The gradual exit's step, renamed for what the registry did with it. */
const citedKept = (profile: Profile, inputs: Record<string, unknown>): TraceStep =>
  ({ ...traceStep(profile, 'gradual_exit', true, inputs), rule: 'gradual_exit_keeps_category', label: '渐退期保留原类别' })

/** The engine's finding, with the old category kept for the gradual exit. */
function keep (profile: Profile, assessed: PreparedDecision, category: string, inputs: Record<string, unknown>, step?: TraceStep): PreparedDecision {
  const kept = citedKept(profile, { assessedCategory: assessed.category, keptCategory: category, ...inputs })
  return { ...assessed, category, individualDibao: [], trace: [...assessed.trace, ...(step ? [step] : []), kept] }
}

function ended (profile: Profile, kept: string | undefined, assessed: PreparedDecision, inputs: Record<string, unknown>): TraceStep {
  return { ...traceStep(profile, 'gradual_exit', false, { keptCategory: kept ?? null, assessedCategory: assessed.category, ...inputs }), rule: 'gradual_exit_ended', label: '渐退期结束' }
}
