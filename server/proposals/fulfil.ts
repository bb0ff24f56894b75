// From confirmation to receipt: the charity delivers with evidence, civil-affairs staff
// record the household's receipt, and the help is written back into the household's
// assistance chain exactly once (the entry's origin key is unique), with its tags and the
// project's spending updated in the same transaction. A fulfilment not yet delivered can be
// cancelled with a reason, which gives the committed budget back; one past its due day is
// overdue, and the maintenance sweep flags it. Functions that change state run in the
// caller's transaction, so that the audit record commits with the change.
import type { Db } from '../db/database.js'
import { appendCharityHelp } from '../registry/assistance.js'
import { inScope, scopePattern, type RegionScope } from '../db/scope.js'
import type { ListScope } from '../auth/policy.js'
import { listEvidence, storeEvidence } from '../files/evidence.js'
import { conflict, notFound } from '../http/errors.js'
import { addDays } from '../../matching/dates.js'
import { releaseBudget, spendBudget } from '../supply/budget.js'
import type { RowOf } from '../db/rows.js'
import type { Fulfilment } from '../schemas/proposals.js'

/** Days to deliver after confirmation, per kind of help. */
const DELIVERY_DAYS: Record<string, number> = { wish: 14, fund: 30, training_voucher: 60, dream_room: 90 }

export async function startFulfilment (trx: Db, proposalId: number, kind: string, on: string): Promise<void> {
  await trx.insertInto('fulfilments').values({ proposal_id: proposalId, due_on: addDays(on, DELIVERY_DAYS[kind] ?? 30) }).execute()
}

function fulfilments (db: Db) {
  return db.selectFrom('fulfilments as f').innerJoin('proposals as pr', 'pr.id', 'f.proposal_id').innerJoin('projects as p', 'p.id', 'pr.project_id')
    .select(['f.proposal_id', 'f.state', 'f.due_on', 'f.delivered_on', 'f.received_on', 'f.note', 'f.overdue_since', 'pr.household_id', 'pr.person_id', 'pr.region_code',
      'pr.cost', 'pr.tags', 'pr.reason', 'p.id as project_id', 'p.kind', 'p.title', 'p.organisation_id'])
}
type FulfilmentRow = RowOf<typeof fulfilments>

/** Locks the fulfilment: steps on one proposal queue behind each other. */
async function fulfilmentOf (db: Db, proposalId: number): Promise<FulfilmentRow> {
  const row = await fulfilments(db).where('f.proposal_id', '=', proposalId).forUpdate('f').executeTakeFirst()
  if (!row) throw notFound('该帮扶的落实记录 (fulfilment)')
  return row
}

/** In progress past its due day (delivery is what is due). */
const isOverdue = (row: Pick<FulfilmentRow, 'state' | 'due_on'>, asOf: string) => row.state === 'in_progress' && row.due_on < asOf

const toView = (row: FulfilmentRow, asOf: string): Fulfilment => ({
  proposalId: row.proposal_id, projectId: row.project_id, kind: row.kind, state: row.state as Fulfilment['state'], dueOn: row.due_on, overdue: isOverdue(row, asOf), overdueSince: row.overdue_since,
  deliveredOn: row.delivered_on, receivedOn: row.received_on, note: row.note, cancelReason: row.state === 'cancelled' ? row.reason : null,
  organisationId: row.organisation_id, regionCode: row.region_code
})

export async function fulfilmentView (db: Db, proposalId: number, asOf: string) {
  const row = await fulfilments(db).where('f.proposal_id', '=', proposalId).executeTakeFirst()
  if (!row) throw notFound('该帮扶的落实记录 (fulfilment)')
  return { ...toView(row, asOf), evidence: await listEvidence(db, { proposalId }) }
}

export interface FulfilmentFilter {
  overdue?: boolean
  state?: string
  limit: number
  offset: number
}

/** Fulfilments the caller reaches (by region or the project's organisation), most overdue first. */
export async function listFulfilments (db: Db, scope: ListScope, filter: FulfilmentFilter, asOf: string) {
  let query = fulfilments(db)
  if (!scope.everywhere) {
    query = query.where(eb => eb.or([
      ...(scope.regionPrefix !== undefined ? [eb('pr.region_code', 'like', scopePattern({ regionPrefix: scope.regionPrefix }))] : []),
      ...(scope.organisationId !== undefined ? [eb('p.organisation_id', '=', scope.organisationId)] : [])
    ]))
  }
  if (filter.overdue === true) query = query.where('f.state', '=', 'in_progress').where('f.due_on', '<', asOf)
  if (filter.overdue === false) query = query.where(eb => eb.or([eb('f.state', '<>', 'in_progress'), eb('f.due_on', '>=', asOf)]))
  if (filter.state !== undefined) query = query.where('f.state', '=', filter.state)
  const rows = await query.orderBy('f.due_on').orderBy('f.proposal_id').limit(filter.limit).offset(filter.offset).execute()
  return rows.map(row => toView(row, asOf))
}

/**
 * For the maintenance sweep: flags fulfilments still in progress past their due day with the
 * day they were found overdue; returns the proposal ids flagged now (each once).
 */
export async function flagOverdueFulfilments (db: Db, asOf: string): Promise<number[]> {
  const flagged = await db.updateTable('fulfilments').set({ overdue_since: asOf, updated_at: new Date() })
    .where('state', '=', 'in_progress').where('due_on', '<', asOf).where('overdue_since', 'is', null)
    .returning('proposal_id').execute()
  return flagged.map(f => f.proposal_id)
}

/** Evidence documents help being given: before delivery or with it, not after receipt or cancellation. */
export async function addEvidence (db: Db, dataDir: string, proposalId: number, fileName: string, content: unknown, uploadedBy: number | null): Promise<number> {
  const row = await fulfilmentOf(db, proposalId)
  if (row.state !== 'in_progress' && row.state !== 'delivered') throw conflict('fulfilment_closed', `该帮扶已是“${row.state}”状态，不再接收凭证 (evidence is for help still being delivered)`)
  return storeEvidence(db, dataDir, { proposalId }, fileName, content, uploadedBy)
}

export async function markDelivered (trx: Db, proposalId: number, on: string, note: string | null): Promise<void> {
  const row = await fulfilmentOf(trx, proposalId)
  if (row.state !== 'in_progress') throw conflict('not_in_progress', `该帮扶已是“${row.state}”状态，不能登记送达 (not in progress)`)
  const evidence = await trx.selectFrom('evidence').select('id').where('proposal_id', '=', proposalId).limit(1).executeTakeFirst()
  if (!evidence) throw conflict('evidence_required', '请先上传送达凭证（照片或签收单）(upload evidence first)')
  await trx.updateTable('fulfilments').set({ state: 'delivered', delivered_on: on, note, updated_at: new Date() }).where('proposal_id', '=', proposalId).execute()
}

/**
 * The household confirmed receipt (through staff). Safe to repeat, also concurrently: the
 * fulfilment row is locked, and a second call finds it received and the chain entry present.
 */
export async function confirmReceipt (trx: Db, scope: RegionScope, proposalId: number, on: string): Promise<{ chainEntryId: number, appended: boolean }> {
  const row = await fulfilmentOf(trx, proposalId)
  if (!inScope(scope, row.region_code)) throw notFound('该帮扶的落实记录 (fulfilment)')
  if (row.state === 'received') {
    const existing = await trx.selectFrom('assistance_entries').select('id').where('origin', '=', `proposal:${proposalId}`).executeTakeFirstOrThrow()
    return { chainEntryId: existing.id, appended: false }
  }
  if (row.state !== 'delivered') throw conflict('not_delivered', '尚未登记送达 (not delivered yet)')
  const written = await appendCharityHelp(trx, {
    householdId: row.household_id, personId: row.person_id, kind: row.kind, tags: row.tags,
    value: row.cost, occurredOn: on, provider: row.title, origin: `proposal:${proposalId}`
  })
  await spendBudget(trx, row.project_id, row.cost, `proposal:${proposalId}`)
  await trx.updateTable('fulfilments').set({ state: 'received', received_on: on, updated_at: new Date() }).where('proposal_id', '=', proposalId).execute()
  return written
}

/**
 * A confirmed help that will not be delivered: the place is given up (the proposal is
 * cancelled with the reason; a run does not propose the person again) and the committed
 * budget released. Who and when are in the audit record; decided_by/at stay the confirmation's.
 */
export async function cancelFulfilment (trx: Db, proposalId: number, reason: string): Promise<void> {
  const row = await fulfilmentOf(trx, proposalId)
  if (row.state !== 'in_progress') throw conflict('not_in_progress', `该帮扶已是“${row.state}”状态，只能取消尚未送达的帮扶 (only help not yet delivered can be cancelled)`)
  await releaseBudget(trx, row.project_id, row.cost, `proposal:${proposalId}`)
  await trx.updateTable('fulfilments').set({ state: 'cancelled', updated_at: new Date() }).where('proposal_id', '=', proposalId).execute()
  await trx.updateTable('proposals').set({ status: 'cancelled', reason }).where('id', '=', proposalId).execute()
}
