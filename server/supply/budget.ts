// A project's running account. Every change to what a project has committed or spent goes
// through here: a conditional UPDATE that can never take `committed` past the budget (backed
// by the table's CHECK), a ledger row naming what the money is for and, when what donors see
// changes, the project queued for the search index — all in the caller's transaction.
import type { Db } from '../db/database.js'
import { conflict } from '../http/errors.js'
import { queueIndexing } from '../search/outbox.js'

type Movement = 'commit' | 'release' | 'spend'

async function record (trx: Db, projectId: number, movement: Movement, amount: number, reference: string): Promise<void> {
  await trx.insertInto('project_ledger').values({ project_id: projectId, movement, amount, reference }).execute()
  // The projects index shows what is still available (budget − committed); spending moves neither.
  if (movement !== 'spend') await queueIndexing(trx, 'projects', [projectId])
}

/** Reserves `amount` of the budget for `reference` (e.g. 'proposal:42'); 409 when it would exceed it. */
export async function commitBudget (trx: Db, projectId: number, amount: number, reference: string): Promise<void> {
  if (amount <= 0) return
  const updated = await trx.updateTable('projects').set(eb => ({ committed: eb('committed', '+', amount), updated_at: new Date() }))
    .where('id', '=', projectId).where(eb => eb(eb('committed', '+', amount), '<=', eb.ref('budget'))).executeTakeFirst()
  if (updated.numUpdatedRows === 0n) throw conflict('budget_exceeded', '项目预算不足 (the project budget would be exceeded)', [{ code: 'budget_exceeded', message: `需要 ${amount} 元`, amount }])
  await record(trx, projectId, 'commit', amount, reference)
}

/** Gives back a commitment that will not be spent (a cancelled room, an unredeemed place). */
export async function releaseBudget (trx: Db, projectId: number, amount: number, reference: string): Promise<void> {
  if (amount <= 0) return
  await trx.updateTable('projects').set(eb => ({ committed: eb('committed', '-', amount), updated_at: new Date() }))
    .where('id', '=', projectId).execute()
  await record(trx, projectId, 'release', amount, reference)
}

/** Records spending of committed money (spent can never pass committed: the table's CHECK). */
export async function spendBudget (trx: Db, projectId: number, amount: number, reference: string): Promise<void> {
  if (amount <= 0) return
  await trx.updateTable('projects').set(eb => ({ spent: eb('spent', '+', amount), updated_at: new Date() }))
    .where('id', '=', projectId).execute()
  await record(trx, projectId, 'spend', amount, reference)
}
