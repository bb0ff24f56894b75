// Loads the matcher's population from the registry: households with their members, the help
// that counts for matching (the standing chain and confirmed help not yet received), and how
// long their longest open need has waited. The worker keeps the whole registry's population and
// reloads the households that changed (live-population.ts); a run for another day loads its
// project's regions; an application loads its one household. The income-gap factor measures
// income against the region profile's 低保边缘 line in force on the run's day.
import { PROFILES, resolveParameters, type ProfileId } from '../../matching/policy/index.js'
import { Population, type PopulationHousehold, type PopulationPerson } from '../../matching/population.js'
import type { ChainEntry } from '../../matching/assistance-chain.js'
import { wishHelpTags } from '../../matching/duplicate-help.js'
import type { CategoryOrNone, Hardship, HouseholdStatus, SchoolStage } from '../../matching/domain.js'
import { sql, type RawBuilder } from 'kysely'
import type { Db } from '../db/database.js'
import { parameterVersions } from '../registry/parameters.js'

/** Which households: those of some regions (code prefixes; none: everywhere), one, or some (by id). */
export type Households = { regionPrefixes: readonly string[] } | { householdId: number } | { householdIds: readonly number[] }

/** The filter on `h` (households). Joins rather than id lists for regions: a county has more households than a statement has parameters. */
function whereHouseholds (which: Households): RawBuilder<boolean> {
  if ('householdId' in which) return sql<boolean>`h.id = ${which.householdId}`
  if ('householdIds' in which) return sql<boolean>`h.id = ANY(${[...which.householdIds]}::int[])`
  const patterns = (which.regionPrefixes.length > 0 ? which.regionPrefixes : ['']).map(prefix => `${prefix}%`)
  return sql<boolean>`h.region_code LIKE ANY(${patterns}::text[])`
}

/** A timestamp's calendar day in China, as the chain dates help. */
const chinaDay = (column: string) => sql<string>`(${sql.ref(column)} AT TIME ZONE 'Asia/Shanghai')::date`

async function edgeLines (db: Db, asOf: string): Promise<(regionCode: string) => number> {
  const policies = (await db.selectFrom('region_policies').select(['region_code', 'profile']).execute())
    .sort((a, b) => b.region_code.length - a.region_code.length)
  const staff = await parameterVersions(db)
  const lineOf = new Map<string, number>()
  for (const { profile } of policies) {
    const values = resolveParameters(profile, PROFILES[profile as ProfileId]?.parameters ?? [], staff.get(profile) ?? [], asOf).values
    lineOf.set(profile, Math.min((values.dibaoMonthly ?? 0) * (values.edgeMultiplier ?? 1), values.minWageMonthly ?? Infinity))
  }
  return regionCode => lineOf.get(policies.find(p => regionCode.startsWith(p.region_code))?.profile ?? '') ?? 0
}

/** Values grouped by household id. */
function byHousehold<T> (pairs: Iterable<readonly [number, T]>): Map<number, T[]> {
  const groups = new Map<number, T[]>()
  for (const [household, value] of pairs) {
    const group = groups.get(household)
    if (group) group.push(value)
    else groups.set(household, [value])
  }
  return groups
}

/**
 * The help that counts for matching, per household: the standing chain, and help promised but
 * not yet received — confirmed proposals whose fulfilment is open (dated the day confirmed),
 * rooms a project funds that are not yet handed over (dated their survey) and wishes a donor has
 * claimed and not yet seen written back (dated the claim) — so that a run and the duplicate
 * checks all see it.
 */
export async function helpOf (db: Db, which: Households): Promise<Map<number, ChainEntry[]>> {
  const chain = await db.selectFrom('assistance_entries as e').innerJoin('households as h', 'h.id', 'e.household_id')
    .select(['e.id', 'e.household_id', 'e.source', 'e.kind', 'e.tags', 'e.value', 'e.occurred_on', 'e.reverses'])
    .where(whereHouseholds(which)).execute()
  const pending = await db.selectFrom('fulfilments as f').innerJoin('proposals as pr', 'pr.id', 'f.proposal_id')
    .innerJoin('projects as p', 'p.id', 'pr.project_id').innerJoin('households as h', 'h.id', 'pr.household_id')
    .select(['pr.id', 'pr.household_id', 'p.kind', 'pr.tags', 'pr.cost', chinaDay('pr.decided_at').as('decided_on')])
    .where('f.state', 'in', ['in_progress', 'delivered']).where(whereHouseholds(which)).execute()
  const rooms = await db.selectFrom('dream_rooms as r').innerJoin('households as h', 'h.id', 'r.household_id')
    .select(['r.id', 'r.household_id', 'r.budget_estimate', chinaDay('r.created_at').as('surveyed_on')])
    .where('r.project_id', 'is not', null).where('r.stage', 'not in', ['completed', 'cancelled']).where(whereHouseholds(which)).execute()
  const wishes = await db.selectFrom('wishes as w').innerJoin('claims as c', 'c.wish_id', 'w.id').innerJoin('households as h', 'h.id', 'w.household_id')
    .select(['w.id', 'w.household_id', 'w.category', 'w.tags', 'w.value', chinaDay('c.claimed_at').as('claimed_on')])
    .where('w.state', 'in', ['claimed', 'delivered', 'confirmed']).where('c.state', 'in', ['active', 'delivered', 'confirmed']).where(whereHouseholds(which)).execute()
  return byHousehold<ChainEntry>([
    ...chain.map(e => [e.household_id, { id: e.id, source: e.source, kind: e.kind, tags: e.tags, value: e.value, occurredOn: e.occurred_on, reverses: e.reverses }] as const),
    ...pending.map(p => [p.household_id, { id: p.id, source: 'charity', kind: p.kind, tags: p.tags, value: p.cost, occurredOn: p.decided_on, reverses: null, pending: `proposal:${p.id}` }] as const),
    ...rooms.map(r => [r.household_id, { id: r.id, source: 'charity', kind: 'dream_room', tags: [], value: r.budget_estimate, occurredOn: r.surveyed_on, reverses: null, pending: `dream_room:${r.id}` }] as const),
    ...wishes.map(w => [w.household_id, { id: w.id, source: 'charity', kind: 'wish', tags: wishHelpTags(w), value: w.value, occurredOn: w.claimed_on, reverses: null, pending: `wish:${w.id}` }] as const)
  ])
}

/** Since when each household's longest-waiting open need has waited: a verified or published wish, an open fund application, a surveyed room awaiting a funder. */
async function needsSince (db: Db, which: Households, asOf: string): Promise<Map<number, string>> {
  const { rows } = await sql<{ household_id: number, since: string }>`
    SELECT n.household_id, min(${chinaDay('n.created_at')}) AS since
    FROM (
      SELECT household_id, created_at FROM wishes WHERE state IN ('verified', 'published')
      UNION ALL SELECT household_id, created_at FROM proposals WHERE source = 'application' AND status = 'open'
      UNION ALL SELECT household_id, created_at FROM dream_rooms WHERE stage = 'survey' AND project_id IS NULL
    ) n JOIN households h ON h.id = n.household_id
    WHERE ${whereHouseholds(which)} AND ${chinaDay('n.created_at')} <= ${asOf}::date
    GROUP BY n.household_id`.execute(db)
  return new Map(rows.map(r => [r.household_id, r.since]))
}

/** A household as the matcher reads it, with its members. */
export interface HouseholdRecord {
  household: PopulationHousehold
  persons: PopulationPerson[]
}

/** The households asked for, as of `asOf` (a household without members is left out: nobody to help). */
export async function loadHouseholds (db: Db, which: Households, asOf: string): Promise<HouseholdRecord[]> {
  // Income as the household's latest classification assessed it (after the profile's
  // deductions), measured against the same line; the gross income only if it was never classified.
  const households = await db.selectFrom('households as h')
    .select(['h.id', 'h.region_code', 'h.category', 'h.status', 'h.hardships', 'h.annual_income',
      eb => eb.selectFrom('category_decisions as d').select('d.per_capita_monthly_income').whereRef('d.household_id', '=', 'h.id')
        .orderBy('d.decided_at', 'desc').limit(1).as('assessed_income')])
    .where(whereHouseholds(which)).execute()
  const persons = await db.selectFrom('persons as p').innerJoin('households as h', 'h.id', 'p.household_id')
    .select(['p.id', 'p.household_id', 'p.birth_date', 'p.school_stage']).where(whereHouseholds(which)).where('p.left_on', 'is', null).execute()
  const membersOf = byHousehold(persons.map(p => [p.household_id, { id: p.id, birthDate: p.birth_date, schoolStage: p.school_stage as SchoolStage }] as const))
  const help = await helpOf(db, which)
  const waiting = await needsSince(db, which, asOf)
  const lineFor = await edgeLines(db, asOf)
  return households.flatMap(h => {
    const members = membersOf.get(h.id) ?? []
    if (members.length === 0) return []
    return [{
      household: {
        id: h.id,
        regionCode: h.region_code,
        category: (h.category ?? 'none') as CategoryOrNone,
        status: h.status as HouseholdStatus,
        hardships: h.hardships as Hardship[],
        perCapitaMonthlyIncome: h.assessed_income ?? h.annual_income / members.length / 12,
        incomeLine: lineFor(h.region_code),
        needSince: waiting.get(h.id) ?? null,
        chain: help.get(h.id) ?? []
      },
      persons: members
    }]
  })
}

export async function loadPopulation (db: Db, which: Households, asOf: string): Promise<Population> {
  const records = await loadHouseholds(db, which, asOf)
  const population = new Population(asOf, records.reduce((sum, r) => sum + r.persons.length, 0))
  for (const { household, persons } of records) population.upsert(household, persons)
  return population
}
