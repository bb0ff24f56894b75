import type { Db } from '../db/database.js'
import type { PiiKeys } from '../privacy/pii.js'
import { loadClassifier } from './classify.js'
import type { PrepareContext } from './prepare.js'

/**
 * Whether a village is an administrative village (行政村) or an urban community (社区, 居委会),
 * from its official name — Nanxun 三(五)'s 低收入农户 live in 行政村; null when the name says neither.
 */
export function administrativeVillage (name: string): boolean | null {
  if (/村(民委员会|委会)?$/.test(name)) return true
  if (/(社区|居民委员会|居委会)$/.test(name)) return false
  return null
}

/** What registering or reclassifying needs: keys, the known villages and the classifier as of a date. */
export async function registryContext (db: Db, keys: PiiKeys, asOf: string): Promise<PrepareContext> {
  const villages = new Map((await db.selectFrom('regions').select(['code', 'name']).where('level', '=', 'village').execute()).map(r => [r.code, administrativeVillage(r.name)]))
  return {
    keys,
    asOf,
    isVillage: code => villages.has(code),
    administrativeVillage: code => villages.get(code) ?? null,
    classify: await loadClassifier(db, asOf)
  }
}
