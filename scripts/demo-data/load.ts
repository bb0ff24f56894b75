// Writes a generated dataset to PostgreSQL. Households go through the registry's own path
// (prepareHousehold: ID checks, encryption, classification; insertHouseholds: bulk
// unnest inserts), in batches, so demo data is judged exactly like imported data. Wishes are
// raised as submitted or verified and then taken further along the same paths staff and
// donors use: published (de-identified, k-anonymous), claimed by a donor, delivered; the
// half-year's training vouchers are issued and placed in course seats by the matcher.
import type { Db } from '../../server/db/database.js'
import type { PiiKeys } from '../../server/privacy/pii.js'
import { insertHouseholds, type PreparedHousehold } from '../../server/registry/bulk-write.js'
import { registryContext } from '../../server/registry/context.js'
import { prepareHousehold } from '../../server/registry/prepare.js'
import { EVERYWHERE } from '../../server/db/scope.js'
import { storeEvidence } from '../../server/files/evidence.js'
import { claimWish, markClaimDelivered } from '../../server/needs/claims.js'
import { publishWish } from '../../server/needs/wishes.js'
import { DEFAULT_K } from '../../server/privacy/k-anonymity.js'
import { halfYearLabel } from '../../server/vouchers/half-year.js'
import { issueVouchers } from '../../server/vouchers/issue.js'
import { assignRegionSeats } from '../../server/vouchers/matcher.js'
import type { Dataset, HouseholdRecord, WishRecord } from './records.js'
import { loadDemoDreamRooms } from './dream-rooms.js'
import { loadDemoHistory } from './history.js'
import { loadDemoMonitoring } from './monitoring.js'
import { loadDemoPayments } from './payments.js'
import { refreshStatistics } from '../../server/statistics/refresh.js'
import { DEMO_PHOTO } from './photo.js'

export interface LoadOptions {
  asOf: string
  batchSize?: number
  onProgress?: (households: number) => void
  /** k for publishing wishes (the server's K_ANONYMITY). */
  k?: number
  /** Where delivery photos go (DATA_DIR); without it, wishes drawn as delivered stay claimed. */
  dataDir?: string
}

export interface LoadCounts { households: number, persons: number, wishes: number }

async function loadReferenceData (db: Db, data: Dataset): Promise<{ organisations: Map<string, number>, institutions: Map<string, number>, donors: number[] }> {
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
  const townOf = new Map(data.institutions.map(i => [i.key, i.regionCode]))
  if (data.courses.length > 0) {
    await db.insertInto('courses').values(data.courses.map(c => ({
      external_key: c.key, institution_id: institutions.get(c.institutionKey) as number, title: c.title, seats: c.seats,
      min_age: c.minAge, max_age: c.maxAge, schedule: c.schedule, half_year: c.halfYear, region_code: townOf.get(c.institutionKey) as string
    }))).onConflict(oc => oc.doNothing()).execute()
  }
  const donors = await db.selectFrom('donors').select('id').where('external_key', 'in', data.donors.map(d => d.key)).orderBy('id').execute()
  return { organisations, institutions, donors: donors.map(d => d.id) }
}

/** How far a generated wish goes after it is raised, in the order the steps happen. */
const WISH_STEPS: Record<WishRecord['state'], number> = { submitted: 0, verified: 1, published: 2, claimed: 3, delivered: 4 }


/** Takes wishes from verified to published, claimed and delivered through the server's own functions. */
async function advanceWishes (db: Db, keys: PiiKeys, targets: Map<string, number>, donors: number[], { asOf, k = DEFAULT_K, dataDir }: LoadOptions): Promise<void> {
  const rows = await db.selectFrom('wishes').select(['id', 'external_key']).where('state', '=', 'verified').orderBy('id').execute()
  for (const [i, row] of rows.entries()) {
    const step = targets.get(row.external_key ?? '') ?? 0
    if (step < 2) continue
    await db.transaction().execute(async trx => {
      await publishWish(trx, EVERYWHERE, row.id, { keys, k, asOf })
      if (step < 3 || donors.length === 0) return
      const donorId = donors[i % donors.length] as number
      const claim = await claimWish(trx, row.id, donorId, asOf, { deliveryDays: DEMO_CLAIM_DAYS, maxActive: Infinity })
      if (step < 4 || !dataDir) return
      await storeEvidence(trx, dataDir, { claimId: claim.id }, '送达照片.png', DEMO_PHOTO, null)
      await markClaimDelivered(trx, donorId, claim.id, asOf, '已送到家中')
    })
  }
}

const DEMO_CLAIM_DAYS = 14

async function writeBatch (db: Db, records: HouseholdRecord[], prepared: PreparedHousehold[], targets: Map<string, number>): Promise<number> {
  return db.transaction().execute(async trx => {
    const ids = await insertHouseholds(trx, prepared)
    const persons = await trx.selectFrom('persons').select(['id', 'household_id']).where('household_id', 'in', ids).orderBy('household_id').orderBy('id').execute()
    const membersOf = new Map<number, number[]>()
    for (const p of persons) membersOf.set(p.household_id, [...membersOf.get(p.household_id) ?? [], p.id])
    const wishes = records.flatMap((record, i) => record.wishes.map(w => {
      targets.set(w.key, WISH_STEPS[w.state])
      return {
        external_key: w.key, person_id: membersOf.get(ids[i] as number)?.[w.memberIndex] as number,
        household_id: ids[i] as number, region_code: record.regionCode,
        category: w.category, item: w.item, value: w.value, story: w.story,
        state: w.state === 'submitted' ? 'submitted' : 'verified', visit_note: w.state === 'submitted' ? null : '已入户核实（演示数据）'
      }
    }))
    if (wishes.length > 0) await trx.insertInto('wishes').values(wishes).execute()
    return wishes.length
  })
}

/** Loads everything; households whose 户编号 already exists are skipped, so a second load adds nothing. */
export async function loadDataset (db: Db, keys: PiiKeys, data: Dataset, options: LoadOptions): Promise<LoadCounts> {
  const { asOf, batchSize = 1000, onProgress } = options
  const { donors } = await loadReferenceData(db, data)
  const targets = new Map<string, number>()
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
    counts.wishes += await writeBatch(db, fresh, prepared, targets)
    counts.households += fresh.length
    counts.persons += fresh.reduce((n, h) => n + h.members.length, 0)
    onProgress?.(counts.households)
  }
  for (const household of data.households()) {
    batch.push(household)
    if (batch.length >= batchSize) await flush()
  }
  await flush()
  await advanceWishes(db, keys, targets, donors, options)
  await placeVouchers(db, data, options.asOf)
  if (options.dataDir) await loadDemoHistory(db, { asOf: options.asOf, dataDir: options.dataDir })
  if (options.dataDir) await loadDemoDreamRooms(db, { asOf: options.asOf, dataDir: options.dataDir })
  if (options.dataDir) await loadDemoMonitoring(db, { ...keys, dataDir: options.dataDir }, data, options.asOf)
  await loadDemoPayments(db, options.asOf)
  // The dashboards' figures, as the worker would rebuild them.
  await refreshStatistics(db)
  return counts
}

/**
 * This half-year's training vouchers for each county whose rule gives them, paid by the
 * county's open voucher project, and the seat matcher run over them, as staff would.
 */
async function placeVouchers (db: Db, data: Dataset, asOf: string): Promise<void> {
  const halfYear = halfYearLabel(asOf)
  for (const project of data.projects.filter(p => p.kind === 'training_voucher' && p.status === 'open')) {
    const row = await db.selectFrom('projects').select('id').where('external_key', '=', project.key).executeTakeFirstOrThrow()
    for (const regionCode of project.eligibility.regionCodes) {
      await db.transaction().execute(async trx => {
        await issueVouchers(trx, { halfYear, regionCode, projectId: row.id }, asOf)
        await assignRegionSeats(trx, { halfYear, regionCode, crossTownCost: 30 }, asOf)
      })
    }
  }
}
