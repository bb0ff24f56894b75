// Civil-affairs staff confirm or reject proposals of their region, each decision in the
// caller's transaction (so that its audit record commits with it). Confirmation checks the
// household's help — the chain and help promised but not yet received — against the
// project's duplicate windows: a duplicate blocks unless overridden with a written reason, and
// the verdict (what was complementary) is kept on the proposal. A fund or a room is one place
// per household; the project's capacity and budget are never exceeded (supply/budget.ts).
import { onePlacePerHousehold } from '../../matching/domain.js'
import type { Static } from 'typebox'
import { checkDuplicateHelp, windowsFor } from '../../matching/duplicate-help.js'
import type { Db } from '../db/database.js'
import { inScope, type RegionScope } from '../db/scope.js'
import { conflict, notFound } from '../http/errors.js'
import { commitBudget } from '../supply/budget.js'
import { startFulfilment } from './fulfil.js'
import { helpOf } from './population.js'
import { projectRules } from './project.js'
import { duplicateRefusal } from './duplicate-refusal.js'
import type { ConfirmationSchema } from '../schemas/proposals.js'

/** Locks the proposal and its project: one project's confirmations queue behind each other. */
async function openProposal (trx: Db, scope: RegionScope, id: number) {
  const proposal = await trx.selectFrom('proposals as pr').innerJoin('projects as p', 'p.id', 'pr.project_id')
    .select(['pr.id', 'pr.household_id', 'pr.region_code', 'pr.status', 'pr.cost', 'pr.tags', 'pr.project_id', 'p.kind', 'p.eligibility', 'p.capacity', 'p.status as projectStatus'])
    .where('pr.id', '=', id).forUpdate().executeTakeFirst()
  if (!proposal || !inScope(scope, proposal.region_code)) throw notFound('该推荐 (proposal)')
  if (proposal.status !== 'open') throw conflict('proposal_not_open', `该推荐已是“${proposal.status}”状态，不能再处理 (proposal is not open)`)
  return proposal
}

type OpenProposal = Awaited<ReturnType<typeof openProposal>>

/** The household's place (fund, dream room) and the project's capacity. */
async function ensurePlace (trx: Db, proposal: OpenProposal): Promise<void> {
  const confirmed = await trx.selectFrom('proposals').select(['id', 'household_id']).where('project_id', '=', proposal.project_id).where('status', '=', 'confirmed').execute()
  const sameHousehold = confirmed.find(c => c.household_id === proposal.household_id)
  if (sameHousehold && onePlacePerHousehold(projectRules(proposal).kind)) {
    throw conflict('household_has_place', '该家庭已在本项目获得名额，每户限一个 (the household already has this project\'s one place per household)',
      [{ code: 'household_has_place', message: `推荐 ${sameHousehold.id} 已确认`, proposalId: sameHousehold.id }])
  }
  if (proposal.capacity !== null && confirmed.length >= proposal.capacity) throw conflict('capacity_reached', `项目名额（${proposal.capacity} 个）已满 (the project is full)`)
}

export type Confirmation = Static<typeof ConfirmationSchema>

export async function confirmProposal (trx: Db, scope: RegionScope, id: number, decidedBy: number | null, on: string, overrideReason?: string): Promise<Confirmation> {
  const proposal = await openProposal(trx, scope, id)
  if (proposal.projectStatus !== 'open') throw conflict('project_not_open', `项目当前为“${proposal.projectStatus}”状态，不能再确认推荐 (the project is not open)`)
  // One household at a time: two projects confirming it concurrently each see the other's promise.
  await trx.selectFrom('households').select('id').where('id', '=', proposal.household_id).forNoKeyUpdate().execute()
  await ensurePlace(trx, proposal)
  const rules = projectRules(proposal)
  const help = (await helpOf(trx, { householdId: proposal.household_id })).get(proposal.household_id) ?? []
  const verdict = checkDuplicateHelp(help, { kind: rules.kind, tags: proposal.tags, on }, windowsFor({ ...rules, tags: proposal.tags }))
  if (verdict.verdict === 'duplicate' && !overrideReason) throw duplicateRefusal(verdict, { subject: `proposal:${id}`, householdId: proposal.household_id, regionCode: proposal.region_code, kind: rules.kind, value: proposal.cost })
  const override = verdict.verdict === 'duplicate' ? overrideReason ?? null : null
  await commitBudget(trx, proposal.project_id, proposal.cost, `proposal:${id}`)
  await startFulfilment(trx, id, rules.kind, on)
  await trx.updateTable('proposals').set({
    status: 'confirmed', decided_by: decidedBy, decided_at: new Date(), override_reason: override, duplicate_check: JSON.stringify(verdict)
  }).where('id', '=', id).execute()
  // The verdict's lists are read-only, the answer's type is not; the values are the same.
  return { id, status: 'confirmed', regionCode: proposal.region_code, duplicateCheck: verdict as Confirmation['duplicateCheck'], overrideReason: override }
}

export async function rejectProposal (trx: Db, scope: RegionScope, id: number, decidedBy: number | null, reason: string): Promise<{ id: number, status: 'rejected', regionCode: string, reason: string }> {
  const proposal = await openProposal(trx, scope, id)
  await trx.updateTable('proposals').set({ status: 'rejected', reason, decided_by: decidedBy, decided_at: new Date() }).where('id', '=', id).execute()
  return { id, status: 'rejected', regionCode: proposal.region_code, reason }
}
