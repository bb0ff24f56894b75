// A charity funds a surveyed room from one of its open dream-room projects: the estimate is
// committed against the project's budget in the caller's transaction (never beyond it,
// supply/budget.ts), and settled when the room is handed over or cancelled.
import type { Db } from '../db/database.js'
import { conflict, notFound } from '../http/errors.js'
import { commitBudget, releaseBudget, spendBudget } from '../supply/budget.js'
import { lockRoom, wrongStage, type Guard } from './rooms.js'
import { isOpen } from './stages.js'

/** The budget ledger's and the assistance chain's key for a room. */
export const roomReference = (id: number) => `dream_room:${id}`

interface ProjectRow { kind: string, status: string, per_item_limit: number | null, eligibility: unknown }

/** Why this project cannot pay for this room, or null when it can. */
function projectRefusal (project: ProjectRow, room: { region_code: string, budget_estimate: number }) {
  if (project.kind !== 'dream_room') return conflict('wrong_project_kind', `该项目不是梦想小屋项目（${project.kind}）(not a dream-room project)`)
  if (project.status !== 'open') return conflict('project_not_open', `该项目状态为“${project.status}”，不能资助 (the project is not open)`)
  if (project.per_item_limit !== null && room.budget_estimate > project.per_item_limit) {
    return conflict('over_item_limit', `预算 ${room.budget_estimate} 元超过项目单项上限 ${project.per_item_limit} 元 (over the project's per-item limit)`)
  }
  const regions = (project.eligibility as { regionCodes?: string[] } | null)?.regionCodes ?? []
  if (regions.length > 0 && !regions.some(code => room.region_code.startsWith(code))) {
    return conflict('outside_project_region', '该小屋不在项目覆盖的地区 (the room is outside the project\'s regions)')
  }
  return null
}

/** `guard` checks the project's organisation (the funder's staff). */
export async function fundRoom (trx: Db, guard: Guard, id: number, projectId: number): Promise<void> {
  const room = await lockRoom(trx, id)
  const project = await trx.selectFrom('projects').select(['organisation_id', 'kind', 'status', 'per_item_limit', 'eligibility'])
    .where('id', '=', projectId).executeTakeFirst()
  if (!project) throw notFound('该项目 (project)')
  guard({ organisationId: project.organisation_id })
  if (!isOpen(room.stage)) throw wrongStage(room.stage, '资助')
  if (room.project_id !== null) {
    throw conflict('already_funded', `该小屋已由第 ${room.project_id} 号项目资助 (already funded)`, [{ code: 'already_funded', message: String(room.project_id), projectId: room.project_id }])
  }
  const refusal = projectRefusal(project, room)
  if (refusal) throw refusal
  await commitBudget(trx, projectId, room.budget_estimate, roomReference(id))
  await trx.updateTable('dream_rooms').set({ project_id: projectId, updated_at: new Date() }).where('id', '=', id).execute()
}

/** At handover: the actual cost is spent and the rest of the estimate goes back to the project. */
export async function settleRoom (trx: Db, room: { id: number, project_id: number, budget_estimate: number }, actualCost: number): Promise<void> {
  await spendBudget(trx, room.project_id, actualCost, roomReference(room.id))
  await releaseBudget(trx, room.project_id, Math.round((room.budget_estimate - actualCost) * 100) / 100, roomReference(room.id))
}
