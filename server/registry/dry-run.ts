// A change tried and taken back: the registry's own functions run in a transaction that is
// rolled back, so that a clerk sees exactly what saving would do — the category, the 渐退期,
// the trace — before anything is stored. Nothing is written, so nothing is audited.
import type { Db } from '../db/database.js'
import type { RegionScope } from '../db/scope.js'
import type { HouseholdChangesInput, HouseholdDetail, DecisionRecord } from '../schemas/household.js'
import { decisionHistory } from './decisions.js'
import { getHousehold, updateHousehold, type Clashes } from './households.js'
import type { PrepareContext } from './prepare.js'

class TakenBack<T> extends Error {
  constructor (readonly result: T) { super('dry run: rolled back') }
}

/** Runs `work` in a transaction and rolls it back, answering what it returned. */
export async function dryRun<T> (db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  try {
    await db.transaction().execute(async trx => { throw new TakenBack(await work(trx)) })
  } catch (error) {
    if (error instanceof TakenBack) return error.result as T
    throw error
  }
  throw new Error('a dry run always rolls back')
}

export interface Outcome {
  before: HouseholdDetail
  after: HouseholdDetail
  /** The decision saving would append. */
  decision: DecisionRecord
}

/** What the changes would make of the household and its category, without storing them; or the 一人一次 clashes they would meet. */
export function previewChanges (db: Db, scope: RegionScope, id: number, changes: HouseholdChangesInput, context: PrepareContext): Promise<Outcome | { clashes: Clashes }> {
  return dryRun(db, async trx => {
    const before = await getHousehold(trx, scope, id, context.asOf)
    const result = await updateHousehold(trx, scope, id, changes, context)
    if ('clashes' in result) return { clashes: result.clashes }
    const [decision] = await decisionHistory(trx, scope, id)
    return { before, after: result.household, decision: decision as DecisionRecord }
  })
}
