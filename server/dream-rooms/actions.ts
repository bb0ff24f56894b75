// What charity staff and the region's staff do to a room, for the API and the pages alike:
// each checks the record-level rule, makes the change and appends its audit record (in one
// transaction where the change is in the database alone).
import type { FastifyRequest } from 'fastify'
import { ensureAllowed, type Action } from '../auth/policy.js'
import type { Db } from '../db/database.js'
import { today } from '../clock.js'
import { fundRoom } from './funding.js'
import { addRoomEvidence, completeStage } from './progress.js'
import { readRoom, type Guard } from './rooms.js'
import type { Stage } from './stages.js'

/** The record-level check of the route's action, for the logic to call once it has the record. */
export const guardFor = (request: FastifyRequest, action: Action): Guard => resource => ensureAllowed(request.principal, action, resource)
const actor = (request: FastifyRequest) => request.principal?.userId ?? null
/** A room as an audit record's subject, under its village, so that the region's auditors see it. */
export const roomRecord = async (db: Db, id: number) => ({ type: 'dream_room', id, regionCode: (await readRoom(db, id)).region_code })

export async function fundRoomFor (request: FastifyRequest, id: number, projectId: number): Promise<void> {
  await request.server.db.transaction().execute(async trx => {
    await fundRoom(trx, guardFor(request, 'project.write'), id, projectId)
    await request.audit({ action: 'dream_room.fund', record: await roomRecord(trx, id), after: { projectId } }, trx)
  })
}

export async function addRoomEvidenceFor (request: FastifyRequest, id: number, stage: Stage, fileName: string, content: unknown): Promise<number> {
  const { db, config } = request.server
  const evidenceId = await addRoomEvidence(db, guardFor(request, 'dream_room.progress'), config.dataDir, id, stage, fileName, content, actor(request))
  await request.audit({ action: 'dream_room.evidence', record: await roomRecord(db, id), details: { evidenceId, stage } })
  return evidenceId
}

export async function completeStageFor (request: FastifyRequest, id: number, stage: Stage, body: { note?: string | undefined, actualCost?: number | undefined }) {
  return request.server.db.transaction().execute(async trx => {
    const done = await completeStage(trx, guardFor(request, 'dream_room.progress'), id, stage, body, actor(request), today())
    await request.audit({ action: 'dream_room.complete_stage', record: await roomRecord(trx, id), before: { stage }, after: { stage: done.to, ...body }, details: { chainEntryId: done.chainEntryId } }, trx)
    return { id, ...done }
  })
}
