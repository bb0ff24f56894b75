// Loading a room to act on it, with the organisation of the project that funds it for access
// checks. A change locks it for the caller's transaction, so that two people completing the
// same stage, or funding it, wait for each other and the second sees the first's result.
import type { Resource } from '../auth/policy.js'
import type { Db } from '../db/database.js'
import { conflict, notFound } from '../http/errors.js'

/** Throws unless the caller may act on a record like this one (ensureAllowed with the route's action). */
export type Guard = (resource: Resource) => void

export const ROOM_NAME = '该梦想小屋 (dream room)'

/** Each stage (and end) of a room in plain words: the domain's refusals and every page use these. */
export const ROOM_STAGE_NAMES: Record<string, string> = {
  survey: '入户调查', design: '设计', build: '施工', handover: '交付', completed: '已完成', cancelled: '已取消'
}

const roomQuery = (db: Db, id: number) => db.selectFrom('dream_rooms as r').leftJoin('projects as p', 'p.id', 'r.project_id')
  .select(['r.id', 'r.household_id', 'r.person_id', 'r.region_code', 'r.project_id', 'r.stage', 'r.budget_estimate', 'r.created_at',
    'p.organisation_id', 'p.title as project_title'])
  .where('r.id', '=', id)

function found<T> (room: T | undefined): T {
  if (!room) throw notFound(ROOM_NAME)
  return room
}

export const lockRoom = async (trx: Db, id: number) => found(await roomQuery(trx, id).forUpdate('r').executeTakeFirst())
export const readRoom = async (db: Db, id: number) => found(await roomQuery(db, id).executeTakeFirst())

/** Who may act on the room: the region's staff by its village, the funder's staff by its organisation. */
export const roomResource = (room: { region_code: string, organisation_id: number | null }): Resource =>
  ({ regionCode: room.region_code, organisationId: room.organisation_id })

/** 409 naming the stage the room is really in, for anything its stage does not allow. */
export function wrongStage (current: string, attempted: string) {
  return conflict('illegal_transition', `梦想小屋当前处于“${ROOM_STAGE_NAMES[current] ?? current}”阶段，不能${attempted} (not allowed in stage ${current})`,
    [{ code: 'illegal_transition', message: current, stage: current }])
}
