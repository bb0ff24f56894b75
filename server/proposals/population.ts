// Loads the matcher's population for a set of regions from the registry: households with
// their members and assistance chain. The income-gap factor measures income against the
// region profile's 低保边缘 line in force on the run's day.
import { PROFILES, resolveParameters, type ProfileId } from '../../matching/policy/index.js'
import { Population } from '../../matching/population.js'
import type { CategoryOrNone, Hardship, HouseholdStatus, SchoolStage } from '../../matching/domain.js'
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { parameterVersions } from '../registry/parameters.js'

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

export async function loadPopulation (db: Db, regionPrefixes: readonly string[], asOf: string): Promise<Population> {
  const prefixes = regionPrefixes.length > 0 ? regionPrefixes : ['']
  const patterns = prefixes.map(prefix => `${prefix}%`)
  const households = await db.selectFrom('households')
    .select(['id', 'region_code', 'category', 'status', 'hardships', 'annual_income'])
    .where(sql<boolean>`households.region_code LIKE ANY(${patterns}::text[])`)
    .execute()
  // Joins rather than id lists: a county has more households than a statement has parameters.
  const persons = await db.selectFrom('persons as p').innerJoin('households as h', 'h.id', 'p.household_id')
    .select(['p.id', 'p.household_id', 'p.birth_date', 'p.school_stage']).where(sql<boolean>`h.region_code LIKE ANY(${patterns}::text[])`).execute()
  const chain = await db.selectFrom('assistance_entries as e').innerJoin('households as h', 'h.id', 'e.household_id')
    .select(['e.id', 'e.household_id', 'e.source', 'e.kind', 'e.tags', 'e.value', 'e.occurred_on', 'e.reverses'])
    .where(sql<boolean>`h.region_code LIKE ANY(${patterns}::text[])`).execute()
  const membersOf = new Map<number, typeof persons>()
  for (const p of persons) membersOf.set(p.household_id, [...membersOf.get(p.household_id) ?? [], p])
  const chainOf = new Map<number, typeof chain>()
  for (const e of chain) chainOf.set(e.household_id, [...chainOf.get(e.household_id) ?? [], e])
  const lineFor = await edgeLines(db, asOf)
  const population = new Population(asOf)
  for (const h of households) {
    const members = membersOf.get(h.id) ?? []
    if (members.length === 0) continue
    population.upsert({
      id: h.id,
      regionCode: h.region_code,
      category: (h.category ?? 'none') as CategoryOrNone,
      status: h.status as HouseholdStatus,
      hardships: h.hardships as Hardship[],
      perCapitaMonthlyIncome: h.annual_income / members.length / 12,
      incomeLine: lineFor(h.region_code),
      chain: (chainOf.get(h.id) ?? []).map(e => ({ id: e.id, source: e.source, kind: e.kind, tags: e.tags, value: e.value, occurredOn: e.occurred_on, reverses: e.reverses }))
    }, members.map(m => ({ id: m.id, birthDate: m.birth_date, schoolStage: m.school_stage as SchoolStage })))
  }
  return population
}
