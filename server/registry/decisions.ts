// Category decisions: every classification is appended with its profile version and trace;
// a new parameter version never rewrites an old decision, it only informs the next one.
import { sql, type Selectable } from 'kysely'
import type { Db } from '../db/database.js'
import type { HouseholdTable, PersonTable } from '../db/schema.js'
import { EVERYWHERE, inScope, type RegionScope } from '../db/scope.js'
import { notFound } from '../http/errors.js'
import { categoryRank, type Category, type CategoryOrNone } from '../../matching/domain.js'
import { addDays } from '../../matching/dates.js'
import { compareDecisions, gradualExit, keepHouseholdCategory, monitoring, profileOf, resolveParameters, traceStep, type Profile, type TraceStep } from '../../matching/policy/index.js'
import { insertDecisions, storedMembers, type PreparedDecision } from './bulk-write.js'
import { parameterVersions } from './parameters.js'
import { listAssistance } from './assistance.js'
import { loadClassifier, policyLookup, regionPolicies, type HouseholdFacts } from './classify.js'
import { administrativeVillage } from './context.js'
import type { PrepareContext } from './prepare.js'
import { camelRow, type RowOf } from '../db/rows.js'
import type { AssistanceEntry, ChainStanding, DecisionRecord, PersonOutcome, ReclassificationPreview, StoredMemberOutcome } from '../schemas/household.js'

/** A household's decisions, latest first, with the columns of their view. */
function decisionsOf (db: Db, householdId: number) {
  return db.selectFrom('category_decisions')
    .select(['id', 'decided_at', 'as_of', 'profile', 'profile_version', 'category', 'individual_dibao', 'per_capita_monthly_income', 'trace', 'members'])
    .where('household_id', '=', householdId).orderBy('id', 'desc')
}

/** A stored decision as its view: the trace and the members' outcomes are stored JSON, [] for decisions made before outcomes per person were recorded. */
const toRecord = ({ trace, members, ...row }: RowOf<typeof decisionsOf>): DecisionRecord =>
  ({ ...camelRow(row), trace: trace as DecisionRecord['trace'], members: members as StoredMemberOutcome[] })

export async function decisionHistory (db: Db, scope: RegionScope, householdId: number): Promise<DecisionRecord[]> {
  await regionOf(db, scope, householdId)
  return (await decisionsOf(db, householdId).execute()).map(toRecord)
}

/** The household's current decision (its latest), or null before its first. */
export async function latestDecision (db: Db, householdId: number): Promise<DecisionRecord | null> {
  const row = await decisionsOf(db, householdId).limit(1).executeTakeFirst()
  return row === undefined ? null : toRecord(row)
}

export type DecisionSummary = Pick<DecisionRecord, 'id' | 'decidedAt' | 'asOf' | 'profile' | 'profileVersion' | 'category' | 'members'>

/** The latest decision without its trace (kilobytes), for the household view. */
export async function latestDecisionSummary (db: Db, householdId: number): Promise<DecisionSummary | null> {
  const row = await db.selectFrom('category_decisions').select(['id', 'decided_at', 'as_of', 'profile', 'profile_version', 'category', 'members'])
    .where('household_id', '=', householdId).orderBy('id', 'desc').limit(1).executeTakeFirst()
  if (row === undefined) return null
  const { members, ...decision } = row
  return { ...camelRow(decision), members: members as StoredMemberOutcome[] }
}

async function regionOf (db: Db, scope: RegionScope, householdId: number): Promise<string> {
  const row = await db.selectFrom('households').select('region_code').where('id', '=', householdId).executeTakeFirst()
  if (!row || !inScope(scope, row.region_code)) throw notFound('该家庭 (household)')
  return row.region_code
}

/**
 * The assistance chain with each entry's standing: the latest decision made as of its day
 * (as_of on or before it), so that the chain shows which category, household's and person's,
 * the help was given under; null for help given before the first decision.
 */
async function chainStandings<T extends { personId: number | null, occurredOn: string }> (db: Db, householdId: number, entries: T[]): Promise<Array<T & { standing: ChainStanding | null }>> {
  const decisions = await db.selectFrom('category_decisions').select(['id', 'as_of', 'category', 'members'])
    .where('household_id', '=', householdId).orderBy('as_of').orderBy('id').execute()
  return entries.map(entry => {
    let found: typeof decisions[number] | undefined
    for (const d of decisions) if (d.as_of <= entry.occurredOn) found = d
    if (found === undefined) return { ...entry, standing: null }
    const outcome = entry.personId === null ? undefined : (found.members as StoredMemberOutcome[]).find(m => m.personId === entry.personId)
    return { ...entry, standing: { decisionId: found.id, asOf: found.as_of, householdCategory: found.category, person: outcome === undefined ? null : withoutPlace(outcome) } }
  })
}

/** A household's chain as the API and the pages read it: oldest first, each entry with its standing. */
export async function assistanceChain (db: Db, householdId: number): Promise<Array<AssistanceEntry & { standing: ChainStanding | null }>> {
  return chainStandings(db, householdId, await listAssistance(db, householdId))
}

/** A stored outcome as the views show it: the person is known from where it is shown. */
export const withoutPlace = ({ personId: _personId, member: _member, ...outcome }: StoredMemberOutcome): PersonOutcome => outcome

/**
 * The facts the policy engine needs, read back from the registry (members who left are not
 * counted), and the ids of the members in the order the engine sees them.
 */
export async function householdFacts (db: Db, householdId: number): Promise<{ facts: HouseholdFacts, personIds: number[] }> {
  const found = (await householdsFacts(db, [householdId])).get(householdId)
  if (!found) throw new Error(`no household ${householdId}`)
  return found
}

/** householdFacts for many households in two queries (a department feed reclassifies thousands at a time). */
export async function householdsFacts (db: Db, householdIds: readonly number[]): Promise<Map<number, { facts: HouseholdFacts, personIds: number[] }>> {
  const result = new Map<number, { facts: HouseholdFacts, personIds: number[] }>()
  if (householdIds.length === 0) return result
  const ids = [...new Set(householdIds)]
  // Only the columns the facts read: a feed reclassifies thousands of households a batch, and
  // every further column (names, encrypted ID numbers, blind indexes) is decoded for nothing.
  const [households, members] = await Promise.all([
    db.selectFrom('households as h').innerJoin('regions as r', 'r.code', 'h.region_code')
      .select(HOUSEHOLD_FACT_COLUMNS.map(c => `h.${c}` as const)).select('r.name as village').where('h.id', 'in', ids).execute(),
    db.selectFrom('persons').select(['id', 'household_id', ...PERSON_FACT_COLUMNS])
      .where('household_id', 'in', ids).where('left_on', 'is', null).orderBy('household_id').orderBy('id').execute()
  ])
  const membersOf = new Map<number, typeof members>()
  for (const p of members) membersOf.set(p.household_id, [...membersOf.get(p.household_id) ?? [], p])
  for (const h of households) {
    const persons = membersOf.get(h.id) ?? []
    result.set(h.id, { facts: factsOf(h, persons), personIds: persons.map(p => p.id) })
  }
  return result
}

const HOUSEHOLD_FACT_COLUMNS = ['id', 'annual_income', 'previous_annual_income', 'medical_expense', 'education_expense', 'other_rigid_expense', 'property_compliant',
  'property_checked_on', 'poverty_monitoring', 'hardships', 'case_by_case'] as const satisfies ReadonlyArray<keyof HouseholdTable>
const PERSON_FACT_COLUMNS = ['birth_date', 'labor_capacity', 'has_income_source', 'has_able_supporter', 'disability_level', 'disability_kind', 'serious_illness',
  'school_stage', 'employed', 'hukou', 'public_sector', 'monitored_from', 'monitored_until'] as const satisfies ReadonlyArray<keyof PersonTable>

function factsOf (h: Pick<Selectable<HouseholdTable>, typeof HOUSEHOLD_FACT_COLUMNS[number]> & { village: string }, persons: Array<Pick<Selectable<PersonTable>, typeof PERSON_FACT_COLUMNS[number]>>): HouseholdFacts {
  return {
    annualIncome: h.annual_income,
    ...(h.previous_annual_income === null ? {} : { previousAnnualIncome: h.previous_annual_income }),
    rigidExpenses: { medical: h.medical_expense, education: h.education_expense, other: h.other_rigid_expense },
    propertyCompliant: h.property_compliant,
    ...(h.property_checked_on === null ? {} : { propertyCheckedOn: h.property_checked_on }),
    povertyMonitoring: h.poverty_monitoring,
    hardships: h.hardships as HouseholdFacts['hardships'],
    caseByCase: h.case_by_case,
    administrativeVillage: administrativeVillage(h.village),
    members: persons.map(p => ({
      birthDate: p.birth_date,
      laborCapacity: p.labor_capacity,
      hasIncomeSource: p.has_income_source,
      hasAbleSupporter: p.has_able_supporter,
      disability: p.disability_level === null ? null : { level: p.disability_level, kind: p.disability_kind } as never,
      seriousIllness: p.serious_illness,
      schoolStage: p.school_stage as HouseholdFacts['members'][number]['schoolStage'],
      employed: p.employed,
      hukou: p.hukou,
      publicSector: p.public_sector,
      povertyMonitoring: p.monitored_from === null ? null : { from: p.monitored_from, until: p.monitored_until }
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

/** What reclassifying would do: the decision and the household's status, 渐退期 and the day the status began. */
interface Plan {
  regionCode: string
  /** The household as it stands. */
  before: { status: string, since: string, until: string | null }
  decision: PreparedDecision
  /** The ids of the members classified, in the engine's order. */
  personIds: number[]
  status: string
  since: string
  until: string | null
}

/**
 * Classifies the household as it stands now, reading only. A 低保 or 边缘 household that moves
 * down (to a lower category or none) keeps its category through the 渐退期 where its document
 * gives one (Nanxun 三(一): both, 12 months from the month after income exceeded, none if
 * property exceeds; Gansu 三(二): employed 低保 members, ≤ 6 months), and so do its members;
 * the gradual exit ends when it runs out, when the household qualifies again, or when property
 * is found over the limit. A household that stops being monitored (防返贫监测) has no 渐退期:
 * the trace says when its monitoring ended. Households outside the categories get the
 * monitored-object window that applies to them (Nanxun 四(二), Hubei 三(二)) in the trace.
 * `lock` holds the household row until the caller's transaction ends (to write the plan).
 */
async function planReclassification (db: Db, scope: RegionScope, householdId: number, context: ClassifyContext, options: ReclassifyOptions, lock: boolean): Promise<Plan> {
  const regionCode = await regionOf(db, scope, householdId)
  const query = db.selectFrom('households').select(['status', 'status_since', 'gradual_exit_until']).where('id', '=', householdId)
  const household = await (lock ? query.forUpdate() : query).executeTakeFirstOrThrow()
  const { facts, personIds } = await householdFacts(db, householdId)
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
  const keep = (category: string, inputs: Record<string, unknown>, step?: TraceStep): PreparedDecision => {
    const kept = citedKept(profile, { assessedCategory: assessed.category, keptCategory: category, ...inputs })
    return {
      ...assessed, category, individualDibao: [], members: keepHouseholdCategory(profile, facts, assessed.members, category as Category),
      trace: [...assessed.trace, ...(step ? [step] : []), kept]
    }
  }
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
      next = outcome(keep(previous, { until, note: '渐退期内继续享受原救助保障待遇' }), 'gradual_exit', household.status_since, until)
    }
  } else if (household.status === 'active' && canLeaveGradually(previous) && movesDown(previous, assessed.category)) {
    const exit = leave(previous, options.incomeChangedOn?.slice(0, 7) ?? null)
    if (exit.gradualExitUntil !== null && exit.gradualExitUntil >= asOf) {
      next = outcome(keep(previous, { until: exit.gradualExitUntil }, exit.trace), 'gradual_exit', asOf, exit.gradualExitUntil)
    } else {
      next = outcome(withSteps(assessed, [exit.trace]), assessed.category === 'none' ? 'exited' : 'active', assessed.category === 'none' ? exit.exitFrom : household.status_since, null)
    }
  } else if (household.status === 'active' && previous === 'fanpin_monitor' && movesDown(previous, assessed.category)) {
    next = outcome(withSteps(assessed, [monitoringEnded(profile, facts, assessed, asOf)]), household.status, household.status_since, null)
  }

  const { status, since } = next
  let decision = next.decision
  if (status === 'exited' || status === 'refused' || status === 'monitored_other') {
    const window = monitoring(profile.id, status, since, asOf, await lastTemporaryAssistance(db, householdId), staffVersions)
    decision = withSteps(decision, [window.trace])
  }
  return { regionCode, before: { status: household.status, since: household.status_since, until }, decision, personIds, status, since, until: next.until }
}

/** Classifies the household as it stands now (see planReclassification) and appends the decision. */
export async function reclassifyHousehold (db: Db, scope: RegionScope, householdId: number, context: ClassifyContext, options: ReclassifyOptions = {}): Promise<PreparedDecision> {
  const plan = await planReclassification(db, scope, householdId, context, options, true)
  const { before, status, since, until, decision } = plan
  if (status !== before.status || since !== before.since || until !== before.until) {
    await db.updateTable('households').set({ status, status_since: since, gradual_exit_until: until }).where('id', '=', householdId).execute()
  }
  await insertDecisions(db, [{ householdId, decision, personIds: plan.personIds }])
  return decision
}

/** What reclassifying would do, against the household's current decision; nothing is written. */
export async function previewReclassification (db: Db, scope: RegionScope, householdId: number, context: ClassifyContext): Promise<ReclassificationPreview> {
  const plan = await planReclassification(db, scope, householdId, context, {}, false)
  const latest = await latestDecision(db, householdId)
  const current = latest === null ? null : { ...latest, status: plan.before.status, gradualExitUntil: plan.before.until }
  const next = { ...plan.decision, members: storedMembers(plan.decision.members, plan.personIds), status: plan.status, statusSince: plan.since, gradualExitUntil: plan.until }
  return { asOf: context.asOf, current, next, comparison: compareDecisions(current, next) }
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
 * another profile) — or was made before decisions recorded each member's outcome (migration
 * 0030), appending a decision for each, in its own transaction. Households of regions without a
 * profile are left alone. Returns how many were reclassified.
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
    .innerJoinLateral(eb => eb.selectFrom('category_decisions as d')
      // A decision always has a member to decide about: no outcomes means it predates them.
      .select(['d.profile_version', sql<boolean>`json_array_length(d.members) = 0`.as('without_members')])
      .whereRef('d.household_id', '=', 'h.id').orderBy('d.id', 'desc').limit(1).as('last'), join => join.onTrue())
    .select(['h.id', 'h.region_code', 'last.profile_version', 'last.without_members']).orderBy('h.id').execute()
  const stale = latest.filter(row => {
    const profile = profileFor(row.region_code)
    return profile !== undefined && (row.profile_version !== versionFor(profile) || row.without_members)
  })
  return reclassifyEach(db, stale.map(row => row.id), asOf)
}

const withSteps = (decision: PreparedDecision, steps: TraceStep[]): PreparedDecision => ({ ...decision, trace: [...decision.trace, ...steps] })

/** The gradual exit's step, renamed for what the registry did with it. */
const citedKept = (profile: Profile, inputs: Record<string, unknown>): TraceStep =>
  ({ ...traceStep(profile, 'gradual_exit', true, inputs), rule: 'gradual_exit_keeps_category', label: '渐退期保留原类别' })

/**
 * A household leaving 防止返贫监测对象: the rural department's monitoring ended, and no document
 * gives this category a 渐退期 (Nanxun 三(一) and Gansu 三(二) give one to 低保 and 边缘 households):
 * the step names the day the last member's monitoring ended, when the records have one.
 */
function monitoringEnded (profile: Profile, facts: HouseholdFacts, assessed: PreparedDecision, asOf: string): TraceStep {
  let endedOn: string | null = null
  for (const m of facts.members) {
    const until = m.povertyMonitoring?.until
    if (until != null && until < asOf && (endedOn === null || until > endedOn)) endedOn = until
  }
  return {
    ...traceStep(profile, 'fanpin_monitor', false, {
      previousCategory: 'fanpin_monitor', assessedCategory: assessed.category, monitoringEndedOn: endedOn,
      ...(endedOn === null ? { note: '户的监测标记已取消，成员记录未载结束日期 (the flag was lifted; no end date on record)' } : {}),
      gradualExit: '防止返贫监测对象不适用渐退期：文件只对低保、低保边缘家庭规定渐退期 (no gradual exit for this category)'
    }),
    rule: 'poverty_monitoring_ended',
    label: '防返贫监测结束'
  }
}

function ended (profile: Profile, kept: string | undefined, assessed: PreparedDecision, inputs: Record<string, unknown>): TraceStep {
  return { ...traceStep(profile, 'gradual_exit', false, { keptCategory: kept ?? null, assessedCategory: assessed.category, ...inputs }), rule: 'gradual_exit_ended', label: '渐退期结束' }
}
