// Civil-affairs staff confirm or reject proposals of their region. Confirmation checks the
// household's assistance chain: a duplicate blocks unless overridden with a written reason;
// complementary help is noted. The project's budget is committed in the same transaction
// and can never be overspent (supply/budget.ts).
import { checkDuplicateHelp, type DuplicateVerdict } from '../../matching/duplicate-help.js'
import type { Db } from '../db/database.js'
import { inScope, type RegionScope } from '../db/scope.js'
import { conflict, notFound } from '../http/errors.js'
import { commitBudget } from '../supply/budget.js'
import { startFulfilment } from './fulfil.js'

async function openProposal (db: Db, scope: RegionScope, id: number) {
  const proposal = await db.selectFrom('proposals as pr').innerJoin('projects as p', 'p.id', 'pr.project_id')
    .select(['pr.id', 'pr.household_id', 'pr.region_code', 'pr.status', 'pr.cost', 'pr.project_id', 'p.kind'])
    .where('pr.id', '=', id).forUpdate().executeTakeFirst()
  if (!proposal || !inScope(scope, proposal.region_code)) throw notFound('该推荐 (proposal)')
  if (proposal.status !== 'open') throw conflict('proposal_not_open', `该推荐已是“${proposal.status}”状态，不能再处理 (proposal is not open)`)
  return proposal
}

export interface Confirmation {
  id: number
  status: 'confirmed'
  duplicateCheck: DuplicateVerdict
  overrideReason: string | null
}

export async function confirmProposal (db: Db, scope: RegionScope, id: number, decidedBy: number | null, on: string, overrideReason?: string): Promise<Confirmation> {
  return db.transaction().execute(async trx => {
    const proposal = await openProposal(trx, scope, id)
    const chain = await trx.selectFrom('assistance_entries').select(['id', 'source', 'kind', 'tags', 'value', 'occurred_on', 'reverses'])
      .where('household_id', '=', proposal.household_id).execute()
    const verdict = checkDuplicateHelp(chain.map(e => ({ id: e.id, source: e.source, kind: e.kind, tags: e.tags, value: e.value, occurredOn: e.occurred_on, reverses: e.reverses })),
      { kind: proposal.kind, tags: proposal.kind === 'training_voucher' ? ['voucher'] : [], on })
    if (verdict.verdict === 'duplicate' && !overrideReason) {
      throw conflict('duplicate_assistance', `与已有救助重复（${verdict.rule}，${verdict.conflicting.occurredOn}），如确需帮扶请填写理由 (duplicate help; override with a reason)`,
        [{ code: verdict.rule, message: `救助链第 ${verdict.conflicting.id} 条`, entryId: verdict.conflicting.id }])
    }
    await commitBudget(trx, proposal.project_id, proposal.cost, `proposal:${id}`)
    await startFulfilment(trx, id, proposal.kind, on)
    await trx.updateTable('proposals').set({
      status: 'confirmed', decided_by: decidedBy, decided_at: new Date(), override_reason: verdict.verdict === 'duplicate' ? overrideReason ?? null : null
    }).where('id', '=', id).execute()
    return { id, status: 'confirmed' as const, duplicateCheck: verdict, overrideReason: verdict.verdict === 'duplicate' ? overrideReason ?? null : null }
  })
}

export async function rejectProposal (db: Db, scope: RegionScope, id: number, decidedBy: number | null, reason: string): Promise<{ id: number, status: 'rejected', reason: string }> {
  return db.transaction().execute(async trx => {
    await openProposal(trx, scope, id)
    await trx.updateTable('proposals').set({ status: 'rejected', reason, decided_by: decidedBy, decided_at: new Date() }).where('id', '=', id).execute()
    return { id, status: 'rejected' as const, reason }
  })
}
