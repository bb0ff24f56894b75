import type { Db } from '../db/database.js'
import type { PiiKeys } from '../privacy/pii.js'
import { loadClassifier } from './classify.js'
import type { PrepareContext } from './prepare.js'

/** What registering or reclassifying needs: keys, the known villages and the classifier as of a date. */
export async function registryContext (db: Db, keys: PiiKeys, asOf: string): Promise<PrepareContext> {
  const villages = new Set((await db.selectFrom('regions').select('code').where('level', '=', 'village').execute()).map(r => r.code))
  return { keys, asOf, isVillage: code => villages.has(code), classify: await loadClassifier(db, asOf) }
}
