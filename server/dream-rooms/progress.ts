// A room moves one stage at a time: the current stage is completed once it has evidence, and
// completing the handover completes the room — the help enters the household's assistance
// chain exactly once and the project's account is settled, in the same transaction. Due
// dates of stages not yet done can be moved; an open room can be cancelled with a reason.
import type { Db } from '../db/database.js'
import { appendCharityHelp } from '../registry/assistance.js'
import { storeEvidence } from '../files/evidence.js'
import { conflict, invalid } from '../http/errors.js'
import { today } from '../clock.js'
import { releaseBudget } from '../supply/budget.js'
import { roomReference, settleRoom } from './funding.js'
import { lockRoom, readRoom, roomResource, wrongStage, type Guard } from './rooms.js'
import { checkDueDates, hasReached, isOpen, nextStage, REQUIRED_EVIDENCE, type DueDates, type RoomStage, type Stage } from './stages.js'

export interface Completion {
  /** For the handover: what the room really cost, at most the committed estimate (default: the estimate). */
  actualCost?: number
  note?: string
}

export interface Completed {
  from: Stage
  to: RoomStage
  /** The assistance-chain entry, when the handover completed the room. */
  chainEntryId?: number
}

export async function completeStage (trx: Db, guard: Guard, id: number, stage: Stage, completion: Completion, by: number | null, on: string): Promise<Completed> {
  const room = await lockRoom(trx, id)
  guard(roomResource(room))
  if (room.stage !== stage) throw wrongStage(room.stage, `完成“${stage}”阶段`)
  const actualCost = completion.actualCost ?? room.budget_estimate
  if (completion.actualCost !== undefined && stage !== 'handover') {
    throw invalid([{ field: 'body.actualCost', code: 'handover_only', message: '实际费用在交付时登记 (actual cost is given at handover)' }])
  }
  if (actualCost > room.budget_estimate) {
    throw invalid([{ field: 'body.actualCost', code: 'over_commitment', message: `不能超过已承诺的预算 ${room.budget_estimate} 元 (must not exceed the committed estimate)` }])
  }
  const evidence = await trx.selectFrom('evidence').select('id').where('dream_room_id', '=', id).where('stage', '=', stage).limit(1).executeTakeFirst()
  if (!evidence) throw conflict('evidence_required', `请先上传本阶段凭证：${REQUIRED_EVIDENCE[stage]} (upload evidence for this stage first)`, [{ code: 'evidence_required', message: REQUIRED_EVIDENCE[stage], stage }])
  // Building needs money: from design on, a stage is completed only once a project funds the room.
  const projectId = room.project_id
  if (stage !== 'survey' && projectId === null) throw conflict('not_funded', '小屋尚未获得项目资助，不能开始施工 (no project funds the room yet)')
  const to = nextStage(stage)
  await trx.updateTable('dream_room_stages').set({ completed_on: on, completed_by: by, note: completion.note ?? null })
    .where('room_id', '=', id).where('stage', '=', stage).execute()
  await trx.updateTable('dream_rooms').set({ stage: to, updated_at: new Date() }).where('id', '=', id).execute()
  if (to !== 'completed' || projectId === null) return { from: stage, to }

  await settleRoom(trx, { id, project_id: projectId, budget_estimate: room.budget_estimate }, actualCost)
  const { chainEntryId } = await appendCharityHelp(trx, {
    householdId: room.household_id, personId: room.person_id, kind: 'dream_room', tags: [], value: actualCost, occurredOn: on,
    provider: room.project_title ?? '', origin: roomReference(id)
  })
  return { from: stage, to, chainEntryId }
}

export async function cancelRoom (trx: Db, guard: Guard, id: number, reason: string): Promise<{ from: Stage, released: number }> {
  const room = await lockRoom(trx, id)
  guard(roomResource(room))
  if (!isOpen(room.stage)) throw wrongStage(room.stage, '取消')
  const released = room.project_id === null ? 0 : room.budget_estimate
  if (room.project_id !== null) await releaseBudget(trx, room.project_id, released, roomReference(id))
  await trx.updateTable('dream_rooms').set({ stage: 'cancelled', reason, updated_at: new Date() }).where('id', '=', id).execute()
  return { from: room.stage, released }
}

/** Moves the due dates of stages not yet completed (not before the survey day). Returns the old and new dates. */
export async function adjustDueDates (trx: Db, guard: Guard, id: number, changes: Partial<DueDates>): Promise<{ before: DueDates, after: DueDates }> {
  const room = await lockRoom(trx, id)
  guard(roomResource(room))
  if (!isOpen(room.stage)) throw wrongStage(room.stage, '调整期限')
  const stages = await trx.selectFrom('dream_room_stages').select(['stage', 'due_on', 'completed_on']).where('room_id', '=', id).execute()
  const done = stages.filter(s => s.completed_on !== null && changes[s.stage] !== undefined)
  if (done.length > 0) {
    throw invalid(done.map(s => ({ field: `body.${s.stage}`, code: 'stage_completed', message: `该阶段已于 ${s.completed_on} 完成 (already completed)` })))
  }
  checkDueDates(changes, today(room.created_at), stage => `body.${stage}`)
  const before = Object.fromEntries(stages.map(s => [s.stage, s.due_on])) as DueDates
  const after = { ...before, ...changes }
  for (const [stage, dueOn] of Object.entries(changes) as Array<[Stage, string]>) {
    await trx.updateTable('dream_room_stages').set({ due_on: dueOn }).where('room_id', '=', id).where('stage', '=', stage).execute()
  }
  return { before, after }
}

/** Evidence for the current stage or one already done (late photos); never ahead of the room, never for a cancelled one. */
export async function addRoomEvidence (db: Db, guard: Guard, dataDir: string, id: number, stage: Stage, fileName: string, content: unknown, by: number | null): Promise<number> {
  const room = await readRoom(db, id)
  guard(roomResource(room))
  if (!hasReached(room.stage, stage)) throw wrongStage(room.stage, `上传“${stage}”阶段凭证`)
  return storeEvidence(db, dataDir, { dreamRoomId: id, stage }, fileName, content, by)
}
