// Writes a generated dataset to PostgreSQL. Households go through the registry's own path
// (prepareHousehold: ID checks, encryption, classification; insertHouseholds: bulk
// unnest inserts), in batches, so demo data is judged exactly like imported data.
import type { Db } from '../../server/db/database.js'
import type { PiiKeys } from '../../server/privacy/pii.js'
import { insertHouseholds, type PreparedHousehold } from '../../server/registry/bulk-write.js'
import { registryContext } from '../../server/registry/context.js'
import { prepareHousehold } from '../../server/registry/prepare.js'
import type { Dataset, HouseholdRecord } from './records.js'

export interface LoadOptions {
  asOf: string
  batchSize?: number
  onProgress?: (households: number) => void
}

export interface LoadCounts { households: number, persons: number, wishes: number }

async function loadReferenceData (db: Db, data: Dataset): Promise<{ organisations: Map<string, number>, institutions: Map<string, number> }> {
  for (const level of ['county', 'town', 'village'] as const) {
    const rows = data.regions.filter(r => r.level === level).map(r => ({ code: r.code, name: r.name, level: r.level, parent_code: r.parentCode }))
    for (let i = 0; i < rows.length; i += 1000) await db.insertInto('regions').values(rows.slice(i, i + 1000)).onConflict(oc => oc.doNothing()).execute()
  }
  await db.insertInto('region_policies').values(data.regionPolicies.map(p => ({ region_code: p.regionCode, profile: p.profile }))).onConflict(oc => oc.doNothing()).execute()

  // Organisations and institutions may already exist by name (the demo accounts create some).
  const byName = async (table: 'organisations' | 'institutions', key: string, name: string, regionCode: string): Promise<number> => {
    const existing = await db.selectFrom(table).select('id').where(eb => eb.or([eb('external_key', '=', key), eb('name', '=', name)])).executeTakeFirst()
    if (existing) return existing.id
    return (await db.insertInto(table).values({ external_key: key, name, region_code: regionCode }).returning('id').executeTakeFirstOrThrow()).id
  }
  const organisations = new Map<string, number>()
  for (const o of data.organisations) organisations.set(o.key, await byName('organisations', o.key, o.name, o.regionCode))
  const institutions = new Map<string, number>()
  for (const i of data.institutions) institutions.set(i.key, await byName('institutions', i.key, i.name, i.regionCode))

  await db.insertInto('donors').values(data.donors.map(d => ({
    external_key: d.key, kind: d.kind, name: d.name, phone: d.phone, email: d.email, preferences: JSON.stringify(d.preferences)
  }))).onConflict(oc => oc.doNothing()).execute()
  await db.insertInto('projects').values(data.projects.map(p => ({
    external_key: p.key, organisation_id: organisations.get(p.organisationKey) as number, kind: p.kind, title: p.title, description: p.description,
    budget: p.budget, unit_cost: p.unitCost, capacity: p.capacity, eligibility: JSON.stringify(p.eligibility), starts_on: p.startsOn, ends_on: p.endsOn, status: p.status
  }))).onConflict(oc => oc.doNothing()).execute()
  if (data.courses.length > 0) {
    await db.insertInto('courses').values(data.courses.map(c => ({
      external_key: c.key, institution_id: institutions.get(c.institutionKey) as number, title: c.title, seats: c.seats,
      min_age: c.minAge, max_age: c.maxAge, schedule: c.schedule, half_year: c.halfYear
    }))).onConflict(oc => oc.doNothing()).execute()
  }
  return { organisations, institutions }
}

async function writeBatch (db: Db, records: HouseholdRecord[], prepared: PreparedHousehold[]): Promise<number> {
  return db.transaction().execute(async trx => {
    const ids = await insertHouseholds(trx, prepared)
    const persons = await trx.selectFrom('persons').select(['id', 'household_id']).where('household_id', 'in', ids).orderBy('household_id').orderBy('id').execute()
    const membersOf = new Map<number, number[]>()
    for (const p of persons) membersOf.set(p.household_id, [...membersOf.get(p.household_id) ?? [], p.id])
    const wishes = records.flatMap((record, i) => record.wishes.map(w => ({
      external_key: w.key, person_id: membersOf.get(ids[i] as number)?.[w.memberIndex] as number,
      category: w.category, item: w.item, value: w.value, story: w.story, state: w.state
    })))
    if (wishes.length > 0) await trx.insertInto('wishes').values(wishes).execute()
    return wishes.length
  })
}

/** Loads everything; households whose 户编号 already exists are skipped, so a second load adds nothing. */
export async function loadDataset (db: Db, keys: PiiKeys, data: Dataset, { asOf, batchSize = 1000, onProgress }: LoadOptions): Promise<LoadCounts> {
  await loadReferenceData(db, data)
  const context = await registryContext(db, keys, asOf)
  const counts: LoadCounts = { households: 0, persons: 0, wishes: 0 }
  let batch: HouseholdRecord[] = []
  const flush = async () => {
    if (batch.length === 0) return
    const existing = new Set((await db.selectFrom('households').select('external_key').where('external_key', 'in', batch.map(h => h.key)).execute()).map(r => r.external_key))
    const fresh = batch.filter(h => !existing.has(h.key))
    batch = []
    const prepared = fresh.map(record => {
      const input = { ...record, members: record.members.map(({ illness, ...m }) => illness === null ? m : { ...m, illness }) }
      const { prepared: household, problems } = prepareHousehold(input, record.key, context)
      if (!household) throw new Error(`generated household ${record.key} is invalid: ${JSON.stringify(problems)}`)
      return household
    })
    counts.wishes += await writeBatch(db, fresh, prepared)
    counts.households += fresh.length
    counts.persons += fresh.reduce((n, h) => n + h.members.length, 0)
    onProgress?.(counts.households)
  }
  for (const household of data.households()) {
    batch.push(household)
    if (batch.length >= batchSize) await flush()
  }
  await flush()
  return counts
}
