// The region tree as pickers and filters need it.
import type { Db } from '../db/database.js'

export interface RegionName { code: string, name: string }

/** Every town (镇/街道), in code order: the place filter donors see. */
export async function listTowns (db: Db): Promise<RegionName[]> {
  return db.selectFrom('regions').select(['code', 'name']).where('level', '=', 'town').orderBy('code').execute()
}

/** The names of the given regions, in the order given (unknown codes left out). */
export async function regionNames (db: Db, codes: string[]): Promise<RegionName[]> {
  if (codes.length === 0) return []
  const rows = await db.selectFrom('regions').select(['code', 'name']).where('code', 'in', codes).execute()
  const byCode = new Map(rows.map(r => [r.code, r]))
  return codes.flatMap(code => byCode.get(code) ?? [])
}
