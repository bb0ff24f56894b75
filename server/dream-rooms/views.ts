// What people see of a room. Staff of the region: the child's masked name, the stages with
// due and completed dates, the evidence and the project's account. Charity staff: a
// de-identified room — a polite title, an age band and the town, the room's condition with
// names, numbers and addresses scrubbed — never an ID number, a name, an address, income
// or health. "Overdue" is worked out on reading (a stage not done by its due date), so it
// is always current and needs no job.
import { sql, type ExpressionBuilder } from 'kysely'
import { ageOn } from '../../matching/policy/index.js'
import { addDays } from '../../matching/dates.js'
import type { Sex } from '../../matching/domain.js'
import type { Db } from '../db/database.js'
import type { RowOf } from '../db/rows.js'
import type { Database } from '../db/schema.js'
import { scopePattern, type RegionScope } from '../db/scope.js'
import { listEvidence } from '../files/evidence.js'
import type { Static } from 'typebox'
import type { DeidentifiedRoomSchema, StaffRoomSchema } from '../schemas/dream-rooms.js'
import { notFound } from '../http/errors.js'
import { ageBand, givenNameOf, maskedTitle, scrubStory } from '../privacy/deidentify.js'
import { decrypt, type PiiKeys } from '../privacy/pii.js'
import { roomReference } from './funding.js'
import { ROOM_NAME, type Guard } from './rooms.js'
import { isOpen, STAGES, type RoomStage, type Stage } from './stages.js'

export interface RoomFilters {
  stage?: RoomStage
  /** Only rooms with (true) or without (false) a stage past its due date. */
  overdue?: boolean
  projectId?: number
  regionCode?: string
  householdId?: number
  limit: number
  offset: number
}

/** Which rooms a list may show, besides the filters: a region subtree, funded rooms (of one funder), or rooms awaiting a funder. */
export type RoomSet = { regionScope: RegionScope } | { funded: true, organisationId?: number } | { unfunded: true }

type Rooms = ExpressionBuilder<Database & { r: Database['dream_rooms'] }, 'r'>

const overdueStage = (eb: Rooms, asOf: string) => eb.and([
  eb('r.stage', 'in', STAGES),
  eb.exists(eb.selectFrom('dream_room_stages as s').select('s.room_id').whereRef('s.room_id', '=', 'r.id')
    .where('s.completed_on', 'is', null).where('s.due_on', '<', asOf))
])

function roomQuery (db: Db) {
  return db.selectFrom('dream_rooms as r')
    .innerJoin('persons as p', 'p.id', 'r.person_id')
    .innerJoin('regions as village', 'village.code', 'r.region_code')
    .innerJoin('regions as town', 'town.code', 'village.parent_code')
    .leftJoin('projects as pj', 'pj.id', 'r.project_id')
    .select(['r.id', 'r.stage', 'r.household_id', 'r.person_id', 'r.region_code', 'r.project_id', 'r.room_condition', 'r.area_m2',
      'r.budget_estimate', 'r.reason', 'r.created_at', 'r.updated_at', 'p.masked_name', 'p.name_encrypted', 'p.sex', 'p.birth_date',
      'village.name as village_name', 'town.code as town_code', 'town.name as town_name',
      'pj.title as project_title', 'pj.organisation_id', 'pj.budget', 'pj.committed', 'pj.spent'])
}

type RoomRow = RowOf<typeof roomQuery>

async function findRooms (db: Db, set: RoomSet, filters: RoomFilters, asOf: string): Promise<{ total: number, rows: RoomRow[] }> {
  let query = roomQuery(db)
  if ('regionScope' in set) query = query.where('r.region_code', 'like', scopePattern(set.regionScope))
  if ('funded' in set) query = query.where('r.project_id', 'is not', null)
  if ('funded' in set && set.organisationId !== undefined) query = query.where('pj.organisation_id', '=', set.organisationId)
  if ('unfunded' in set) query = query.where('r.project_id', 'is', null).where('r.stage', 'in', STAGES)
  if (filters.regionCode) query = query.where('r.region_code', 'like', `${filters.regionCode}%`)
  if (filters.stage) query = query.where('r.stage', '=', filters.stage)
  if (filters.projectId) query = query.where('r.project_id', '=', filters.projectId)
  if (filters.householdId) query = query.where('r.household_id', '=', filters.householdId)
  if (filters.overdue !== undefined) query = query.where(eb => filters.overdue ? overdueStage(eb, asOf) : eb.not(overdueStage(eb, asOf)))
  const rows = await query.select(sql<number>`count(*) OVER ()`.as('total')).orderBy('r.id', 'desc').limit(filters.limit).offset(filters.offset).execute()
  return { total: Number(rows[0]?.total ?? 0), rows }
}

interface StageRow { stage: Stage, dueOn: string, completedOn: string | null, completedBy: number | null, note: string | null, overdue: boolean, evidenceCount: number }

/** Each room's stages in order, with how many files document each and whether it is overdue. */
async function stagesOf (db: Db, rooms: readonly RoomRow[], asOf: string): Promise<Map<number, StageRow[]>> {
  const byRoom = new Map<number, StageRow[]>(rooms.map(r => [r.id, []]))
  if (rooms.length === 0) return byRoom
  const open = new Set(rooms.filter(r => isOpen(r.stage)).map(r => r.id))
  const rows = await db.selectFrom('dream_room_stages as s')
    .select(['s.room_id', 's.stage', 's.due_on', 's.completed_on', 's.completed_by', 's.note', eb => eb.selectFrom('evidence as e')
      .select(eb.fn.countAll<string>().as('n')).whereRef('e.dream_room_id', '=', 's.room_id').whereRef('e.stage', '=', 's.stage').as('evidence_count')])
    .where('s.room_id', 'in', rooms.map(r => r.id)).execute()
  for (const s of rows.sort((a, b) => STAGES.indexOf(a.stage) - STAGES.indexOf(b.stage))) {
    byRoom.get(s.room_id)?.push({
      stage: s.stage, dueOn: s.due_on, completedOn: s.completed_on, completedBy: s.completed_by, note: s.note,
      overdue: open.has(s.room_id) && s.completed_on === null && s.due_on < asOf, evidenceCount: Number(s.evidence_count ?? 0)
    })
  }
  return byRoom
}

/** What staff see of a room (StaffRoomSchema: the type and what is serialised). */
export type StaffRoom = Static<typeof StaffRoomSchema>
export type StaffRoomDetail = StaffRoom & Required<Pick<StaffRoom, 'evidence' | 'ledger'>>
/** What charity staff see of a room, de-identified (DeidentifiedRoomSchema). */
export type DeidentifiedRoom = Static<typeof DeidentifiedRoomSchema>

const staffRoom = (r: RoomRow, stages: StageRow[]): StaffRoom => ({
  id: r.id,
  stage: r.stage as RoomStage,
  householdId: r.household_id,
  personId: r.person_id,
  maskedName: r.masked_name,
  regionCode: r.region_code,
  village: r.village_name,
  roomCondition: r.room_condition,
  areaM2: r.area_m2,
  budgetEstimate: r.budget_estimate,
  reason: r.reason,
  overdue: stages.some(s => s.overdue),
  stages,
  project: r.project_id === null
    ? null
    : { id: r.project_id, title: r.project_title ?? '', organisationId: r.organisation_id ?? 0, budget: r.budget ?? 0, committed: r.committed ?? 0, spent: r.spent ?? 0 },
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString()
})

/**
 * Open rooms of the region whose current stage is past its due day or due within `withinDays`:
 * the stages the workbench counts as due.
 */
export async function countStagesDue (db: Db, scope: RegionScope, asOf: string, withinDays = 7): Promise<number> {
  const row = await db.selectFrom('dream_rooms as r').innerJoin('dream_room_stages as s', join => join.onRef('s.room_id', '=', 'r.id').onRef('s.stage', '=', 'r.stage'))
    .select(eb => eb.fn.countAll<string>().as('n'))
    .where('r.region_code', 'like', scopePattern(scope)).where('r.stage', 'in', STAGES).where('s.completed_on', 'is', null)
    .where('s.due_on', '<=', addDays(asOf, withinDays)).executeTakeFirstOrThrow()
  return Number(row.n)
}

export async function listStaffRooms (db: Db, scope: RegionScope, filters: RoomFilters, asOf: string): Promise<{ total: number, items: StaffRoom[] }> {
  const { total, rows } = await findRooms(db, { regionScope: scope }, filters, asOf)
  const stages = await stagesOf(db, rows, asOf)
  return { total, items: rows.map(r => staffRoom(r, stages.get(r.id) ?? [])) }
}

async function oneRoom (db: Db, guard: Guard, id: number, asOf: string) {
  const row = await roomQuery(db).where('r.id', '=', id).executeTakeFirst()
  if (!row) throw notFound(ROOM_NAME)
  guard({ regionCode: row.region_code, organisationId: row.organisation_id })
  return { row, stages: (await stagesOf(db, [row], asOf)).get(id) ?? [] }
}

/** `guard` checks the room's region (need.read). */
export async function getStaffRoom (db: Db, guard: Guard, id: number, asOf: string): Promise<StaffRoomDetail> {
  const { row, stages } = await oneRoom(db, guard, id, asOf)
  const ledger = await db.selectFrom('project_ledger').select(['movement', 'amount', 'at']).where('reference', '=', roomReference(id)).orderBy('id').execute()
  return {
    ...staffRoom(row, stages),
    evidence: await listEvidence(db, { dreamRoomId: id }),
    ledger: ledger.map(l => ({ movement: l.movement, amount: l.amount, at: l.at.toISOString() }))
  }
}

/** Each household's members' full and given names (decrypted), for the scrubber. */
export async function familyNames (db: Db, keys: PiiKeys, householdIds: number[]): Promise<Map<number, string[]>> {
  const names = new Map<number, string[]>()
  if (householdIds.length === 0) return names
  const rows = await db.selectFrom('persons').select(['household_id', 'name_encrypted']).where('household_id', 'in', householdIds).execute()
  for (const row of rows) {
    const name = decrypt(keys, row.name_encrypted)
    names.set(row.household_id, [...names.get(row.household_id) ?? [], name, givenNameOf(name)])
  }
  return names
}

function deidentifiedRoom (r: RoomRow, stages: StageRow[], keys: PiiKeys, family: string[], asOf: string): DeidentifiedRoom {
  const age = ageOn(r.birth_date, asOf)
  return {
    id: r.id,
    stage: r.stage as RoomStage,
    title: maskedTitle(decrypt(keys, r.name_encrypted), r.sex as Sex, age, 'fine'),
    ageBand: ageBand(age, 'fine'),
    town: r.town_name,
    townCode: r.town_code,
    roomCondition: scrubStory(r.room_condition, family),
    areaM2: r.area_m2,
    budgetEstimate: r.budget_estimate,
    overdue: stages.some(s => s.overdue),
    stages: stages.map(s => ({ stage: s.stage, dueOn: s.dueOn, completedOn: s.completedOn, overdue: s.overdue, evidenceCount: s.evidenceCount })),
    project: r.project_id === null ? null : { id: r.project_id, title: r.project_title ?? '' },
    createdAt: r.created_at.toISOString()
  }
}

async function deidentify (db: Db, keys: PiiKeys, rows: RoomRow[], stages: Map<number, StageRow[]>, asOf: string): Promise<DeidentifiedRoom[]> {
  const names = await familyNames(db, keys, [...new Set(rows.map(r => r.household_id))])
  return rows.map(r => deidentifiedRoom(r, stages.get(r.id) ?? [], keys, names.get(r.household_id) ?? [], asOf))
}

export async function listDeidentifiedRooms (db: Db, keys: PiiKeys, set: RoomSet, filters: RoomFilters, asOf: string): Promise<{ total: number, items: DeidentifiedRoom[] }> {
  const { total, rows } = await findRooms(db, set, filters, asOf)
  return { total, items: await deidentify(db, keys, rows, await stagesOf(db, rows, asOf), asOf) }
}

/** `guard` checks the funder's organisation (dream_room.read_deidentified). */
export async function getDeidentifiedRoom (db: Db, keys: PiiKeys, guard: Guard, id: number, asOf: string): Promise<DeidentifiedRoom> {
  const { row, stages } = await oneRoom(db, guard, id, asOf)
  const [room] = await deidentify(db, keys, [row], new Map([[id, stages]]), asOf)
  return room as DeidentifiedRoom
}
