// From confirmation to receipt: the charity delivers with evidence, civil-affairs staff
// record the household's receipt, and the help is written back into the household's
// assistance chain exactly once (the entry's origin key is unique), with the project's
// spending updated in the same transaction.
import type { Db } from '../db/database.js'
import { appendCharityHelp } from '../db/repositories/assistance.js'
import { inScope, type RegionScope } from '../db/scope.js'
import { listEvidence, storeEvidence } from '../files/evidence.js'
import { conflict, notFound } from '../http/errors.js'
import { addDays } from '../registry/dates.js'
import { spendBudget } from '../supply/budget.js'

/** Days to deliver after confirmation, per kind of help. */
const DELIVERY_DAYS: Record<string, number> = { wish: 14, fund: 30, training_voucher: 60, dream_room: 90 }

export async function startFulfilment (db: Db, proposalId: number, kind: string, on: string): Promise<void> {
  await db.insertInto('fulfilments').values({ proposal_id: proposalId, due_on: addDays(on, DELIVERY_DAYS[kind] ?? 30) }).execute()
}

async function fulfilmentOf (db: Db, proposalId: number) {
  const row = await db.selectFrom('fulfilments as f').innerJoin('proposals as pr', 'pr.id', 'f.proposal_id').innerJoin('projects as p', 'p.id', 'pr.project_id')
    .select(['f.proposal_id', 'f.state', 'f.due_on', 'f.delivered_on', 'f.received_on', 'f.note', 'pr.household_id', 'pr.person_id', 'pr.region_code', 'pr.cost', 'p.id as project_id', 'p.kind', 'p.title', 'p.organisation_id'])
    .where('f.proposal_id', '=', proposalId).forUpdate('f').executeTakeFirst()
  if (!row) throw notFound('该帮扶的落实记录 (fulfilment)')
  return row
}

export async function fulfilmentView (db: Db, proposalId: number, asOf: string) {
  const row = await fulfilmentOf(db, proposalId)
  const evidence = await listEvidence(db, { proposalId })
  return {
    proposalId, state: row.state, dueOn: row.due_on, overdue: row.state === 'in_progress' && row.due_on < asOf,
    deliveredOn: row.delivered_on, receivedOn: row.received_on, note: row.note, organisationId: row.organisation_id, regionCode: row.region_code,
    evidence
  }
}

export async function addEvidence (db: Db, dataDir: string, proposalId: number, fileName: string, content: unknown, uploadedBy: number | null): Promise<number> {
  await fulfilmentOf(db, proposalId)
  return storeEvidence(db, dataDir, { proposalId }, fileName, content, uploadedBy)
}

export async function markDelivered (db: Db, proposalId: number, on: string, note: string | null): Promise<void> {
  await db.transaction().execute(async trx => {
    const row = await fulfilmentOf(trx, proposalId)
    if (row.state !== 'in_progress') throw conflict('already_delivered', '已登记送达 (already delivered)')
    const evidence = await trx.selectFrom('evidence').select('id').where('proposal_id', '=', proposalId).limit(1).executeTakeFirst()
    if (!evidence) throw conflict('evidence_required', '请先上传送达凭证（照片或签收单）(upload evidence first)')
    await trx.updateTable('fulfilments').set({ state: 'delivered', delivered_on: on, note, updated_at: new Date() }).where('proposal_id', '=', proposalId).execute()
  })
}

/**
 * The household confirmed receipt (through staff). Safe to repeat: the second call finds the
 * fulfilment received and the chain entry present, and changes nothing.
 */
export async function confirmReceipt (db: Db, scope: RegionScope, proposalId: number, on: string): Promise<{ chainEntryId: number, appended: boolean }> {
  return db.transaction().execute(async trx => {
    const row = await fulfilmentOf(trx, proposalId)
    if (!inScope(scope, row.region_code)) throw notFound('该帮扶的落实记录 (fulfilment)')
    if (row.state === 'received') {
      const existing = await trx.selectFrom('assistance_entries').select('id').where('origin', '=', `proposal:${proposalId}`).executeTakeFirstOrThrow()
      return { chainEntryId: existing.id, appended: false }
    }
    if (row.state !== 'delivered') throw conflict('not_delivered', '尚未登记送达 (not delivered yet)')
    const written = await appendCharityHelp(trx, {
      householdId: row.household_id, personId: row.person_id, kind: row.kind, tags: row.kind === 'training_voucher' ? ['voucher'] : [],
      value: row.cost, occurredOn: on, provider: row.title, origin: `proposal:${proposalId}`
    })
    await spendBudget(trx, row.project_id, row.cost, `proposal:${proposalId}`)
    await trx.updateTable('fulfilments').set({ state: 'received', received_on: on, updated_at: new Date() }).where('proposal_id', '=', proposalId).execute()
    return written
  })
}
