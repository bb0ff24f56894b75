// A dream room begins with civil-affairs staff's survey of a child's room: its condition,
// size and estimated cost, and when each stage should be done. One open room per household,
// and none within 36 months of a room the household's assistance chain records as delivered.
import { checkDuplicateHelp } from '../../matching/duplicate-help.js'
import { ageOn } from '../../matching/policy/index.js'
import type { Db } from '../db/database.js'
import { listAssistance } from '../registry/assistance.js'
import { conflict, invalid, notFound } from '../http/errors.js'
import { type Guard } from './rooms.js'
import { checkDueDates, defaultDueDates, isChild, STAGES, type DueDates } from './stages.js'

export interface NewRoom {
  personId: number
  roomCondition: string
  areaM2?: number
  budgetEstimate: number
  /** Stages without a date get the defaults (stages.ts). */
  dueDates?: Partial<DueDates>
}

/** Households no longer in the low-income database get no new rooms. */
const LEFT_THE_DATABASE = ['exited', 'refused']

async function refuseDuplicate (trx: Db, householdId: number, on: string): Promise<void> {
  const chain = await listAssistance(trx, householdId)
  const verdict = checkDuplicateHelp(chain, { kind: 'dream_room', tags: [], on })
  if (verdict.verdict !== 'duplicate') return
  const entry = verdict.conflicting
  const provider = chain.find(e => e.id === entry.id)?.provider ?? ''
  throw conflict('duplicate_assistance',
    `该家庭已于 ${entry.occurredOn} 获得梦想小屋帮扶（救助链第 ${entry.id} 条，${provider}），36 个月内不再重复 (a dream room was delivered within 36 months)`,
    [{ code: verdict.rule, message: verdict.window, entryId: entry.id, occurredOn: entry.occurredOn, provider }])
}

/** Records the survey; returns the new room's id. `guard` checks the household's region. */
export async function surveyRoom (trx: Db, guard: Guard, input: NewRoom, surveyedBy: number | null, on: string): Promise<number> {
  checkDueDates(input.dueDates ?? {}, on, stage => `body.dueDates.${stage}`)
  const dueDates = { ...defaultDueDates(on), ...input.dueDates }
  // The household row is locked so that two surveys of one household cannot both pass the checks.
  const person = await trx.selectFrom('persons as p').innerJoin('households as h', 'h.id', 'p.household_id')
    .select(['p.id', 'p.household_id', 'p.birth_date', 'p.school_stage', 'h.region_code', 'h.status'])
    .where('p.id', '=', input.personId).where('p.left_on', 'is', null).forUpdate('h').executeTakeFirst()
  if (!person) throw notFound('该人员 (person)')
  guard({ regionCode: person.region_code })
  if (LEFT_THE_DATABASE.includes(person.status)) {
    throw conflict('household_not_eligible', `该家庭状态为“${person.status}”，不在低收入人口库中 (household is not in the low-income database)`)
  }
  if (!isChild(ageOn(person.birth_date, on), person.school_stage)) {
    throw invalid([{ field: 'body.personId', code: 'not_a_child', message: '梦想小屋只为未满 18 周岁或在读（大学以下）的孩子 (a child under 18 or at school below college)' }])
  }
  const open = await trx.selectFrom('dream_rooms').select(['id', 'stage']).where('household_id', '=', person.household_id).where('stage', 'in', STAGES).executeTakeFirst()
  if (open) {
    throw conflict('open_room_exists', `该家庭已有进行中的梦想小屋（第 ${open.id} 号，${open.stage}）(the household has an open dream room)`,
      [{ code: 'open_room_exists', message: String(open.id), roomId: open.id, stage: open.stage }])
  }
  await refuseDuplicate(trx, person.household_id, on)
  const room = await trx.insertInto('dream_rooms').values({
    household_id: person.household_id, person_id: person.id, region_code: person.region_code,
    room_condition: input.roomCondition, area_m2: input.areaM2 ?? null, budget_estimate: input.budgetEstimate, created_by: surveyedBy
  }).returning('id').executeTakeFirstOrThrow()
  await trx.insertInto('dream_room_stages').values(STAGES.map(stage => ({ room_id: room.id, stage, due_on: dueDates[stage] }))).execute()
  return room.id
}
