// Minimal registry rows: 南浔区 with two towns and a village in each, governed by nanxun-2025.
import type { Db } from '../../server/db/database.js'

export async function insertRegionTree (db: Db): Promise<void> {
  await db.insertInto('regions').values([
    { code: '330503', name: '南浔区', level: 'county', parent_code: null }
  ]).onConflict(oc => oc.doNothing()).execute()
  await db.insertInto('regions').values([
    { code: '330503101', name: '南浔镇', level: 'town', parent_code: '330503' },
    { code: '330503102', name: '双林镇', level: 'town', parent_code: '330503' }
  ]).onConflict(oc => oc.doNothing()).execute()
  await db.insertInto('regions').values([
    { code: '330503101001', name: '东大街社区', level: 'village', parent_code: '330503101' },
    { code: '330503102001', name: '双林村', level: 'village', parent_code: '330503102' }
  ]).onConflict(oc => oc.doNothing()).execute()
  await db.insertInto('region_policies').values({ region_code: '330503', profile: 'nanxun-2025' })
    .onConflict(oc => oc.doNothing()).execute()
}

/** A bare household row (no members) in the given village. */
export async function insertBareHousehold (db: Db, regionCode: string): Promise<number> {
  await insertRegionTree(db)
  const row = await db.insertInto('households').values({
    region_code: regionCode, annual_income: 12000, property_compliant: true
  }).returning('id').executeTakeFirstOrThrow()
  return row.id
}
