// Charity projects posted by charity-federation staff: drafted, opened (visible to donors and
// the public search), closed. A draft can be changed freely; an open project only in what
// does not break commitments already made (the budget never below what is committed, the
// capacity never below the places confirmed). Every change to an open project re-indexes it.
import { sql } from 'kysely'
import { HELP_KINDS, type HelpKind } from '../../matching/domain.js'
import { DEFAULT_WEIGHTS, type Weights } from '../../matching/score.js'
import type { Db } from '../db/database.js'
import { camelRow, type RowOf } from '../db/rows.js'
import { AppError, conflict, notFound } from '../http/errors.js'
import { queueIndexing } from '../search/outbox.js'
import type { ProjectInput, ProjectView } from '../schemas/projects.js'
import { isLive, PROJECT_MOVES, PROJECT_STATUS_NAMES, type ProjectMove, type ProjectStatus } from './project-states.js'

export type { ProjectStatus } from './project-states.js'

function projectQuery (db: Db) {
  return db.selectFrom('projects as p').innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select(['p.id', 'p.organisation_id', 'o.name as organisation', 'p.kind', 'p.title', 'p.description', 'p.status', 'p.budget', 'p.committed', 'p.spent',
      'p.unit_cost', 'p.per_item_limit', 'p.capacity', 'p.eligibility', 'p.starts_on', 'p.ends_on', 'p.score_weights', 'p.funding_donor_id', 'p.created_at', 'p.updated_at',
      eb => eb.selectFrom('proposals as pr').select(eb => eb.fn.countAll<number>().as('n')).whereRef('pr.project_id', '=', 'p.id').where('pr.status', '=', 'confirmed').as('places_taken')])
}
type ProjectRow = RowOf<typeof projectQuery>

const toView = ({ places_taken: taken, score_weights: weights, ...r }: ProjectRow): ProjectView => ({
  ...camelRow(r),
  status: r.status as ProjectStatus,
  available: r.budget - r.committed,
  placesTaken: Number(taken ?? 0),
  eligibility: r.eligibility as ProjectView['eligibility'],
  scoreWeights: { ...DEFAULT_WEIGHTS, ...weights as Partial<Weights> | null }
})

/** A project as an audit record's subject, under its organisation's region (whose auditors see it). */
export async function projectRecord (db: Db, project: { id: number, organisationId: number }) {
  const organisation = await db.selectFrom('organisations').select('region_code').where('id', '=', project.organisationId).executeTakeFirstOrThrow()
  return { type: 'project', id: project.id, regionCode: organisation.region_code }
}

export async function getProject (db: Db, id: number): Promise<ProjectView> {
  const row = await projectQuery(db).where('p.id', '=', id).executeTakeFirst()
  if (!row) throw notFound('该项目 (project)')
  return toView(row)
}

export interface ProjectFilters {
  status?: ProjectStatus
  kind?: HelpKind
  organisationId?: number
  limit: number
  offset: number
}

/** `draftsOf`: whose drafts the reader may see (their organisation; null: all; undefined: none). */
export async function listProjects (db: Db, filters: ProjectFilters, draftsOf: number | null | undefined): Promise<ProjectView[]> {
  let query = projectQuery(db)
  if (filters.status) query = query.where('p.status', '=', filters.status)
  if (filters.kind) query = query.where('p.kind', '=', filters.kind)
  if (filters.organisationId) query = query.where('p.organisation_id', '=', filters.organisationId)
  if (draftsOf !== null) query = query.where(eb => eb.or([eb('p.status', '<>', 'draft'), ...(draftsOf !== undefined ? [eb('p.organisation_id', '=', draftsOf)] : [])]))
  const rows = await query.orderBy('p.id', 'desc').limit(filters.limit).offset(filters.offset).execute()
  return rows.map(toView)
}

/** Checks what a schema cannot: dates in order, costs within the budget, region codes and the funding donor that exist, weights that weigh something. */
async function checkProject (db: Db, p: Pick<ProjectInput, 'budget' | 'unitCost' | 'perItemLimit' | 'startsOn' | 'endsOn' | 'eligibility' | 'scoreWeights' | 'fundingDonorId'>): Promise<void> {
  const details: Array<{ field: string, code: string, message: string }> = []
  if (p.startsOn && p.endsOn && p.startsOn > p.endsOn) details.push({ field: 'body.endsOn', code: 'before_start', message: '结束日期早于开始日期 (ends before it starts)' })
  if (p.unitCost != null && p.unitCost > p.budget) details.push({ field: 'body.unitCost', code: 'over_budget', message: '单位成本超过总预算 (unit cost above the budget)' })
  if (p.perItemLimit != null && p.perItemLimit > p.budget) details.push({ field: 'body.perItemLimit', code: 'over_budget', message: '单项限额超过总预算 (per-item limit above the budget)' })
  const e = p.eligibility ?? {}
  if (e.minAge !== undefined && e.maxAge !== undefined && e.minAge > e.maxAge) details.push({ field: 'body.eligibility.maxAge', code: 'below_min', message: '最大年龄小于最小年龄 (maxAge below minAge)' })
  const codes = e.regionCodes ?? []
  if (codes.length > 0) {
    const known = new Set((await db.selectFrom('regions').select('code').where('code', 'in', codes).execute()).map(r => r.code))
    codes.forEach((code, i) => { if (!known.has(code)) details.push({ field: `body.eligibility.regionCodes.${i}`, code: 'unknown_region', message: `未知的地区代码 ${code} (unknown region)` }) })
  }
  if (p.scoreWeights && Object.values({ ...DEFAULT_WEIGHTS, ...p.scoreWeights }).every(w => w === 0)) {
    details.push({ field: 'body.scoreWeights', code: 'all_zero', message: '评分权重不能全为 0 (at least one weight above 0)' })
  }
  if (p.fundingDonorId != null && !await db.selectFrom('donors').select('id').where('id', '=', p.fundingDonorId).executeTakeFirst()) {
    details.push({ field: 'body.fundingDonorId', code: 'unknown_donor', message: `未知的捐赠人 ${p.fundingDonorId} (unknown donor)` })
  }
  if (details.length > 0) throw new AppError(400, 'validation_failed', '请求参数不合法 (request validation failed)', details)
}

export async function createProject (db: Db, organisationId: number, input: ProjectInput, createdBy: number | null): Promise<ProjectView> {
  if (!HELP_KINDS.includes(input.kind)) throw new AppError(400, 'validation_failed', `未知的项目类型 ${input.kind}`)
  await checkProject(db, input)
  const organisation = await db.selectFrom('organisations').select('id').where('id', '=', organisationId).executeTakeFirst()
  if (!organisation) throw notFound('该慈善组织 (organisation)')
  const row = await db.insertInto('projects').values({
    organisation_id: organisationId, kind: input.kind, title: input.title, description: input.description ?? '', budget: input.budget,
    unit_cost: input.unitCost ?? null, per_item_limit: input.perItemLimit ?? null, capacity: input.capacity ?? null,
    eligibility: JSON.stringify(input.eligibility ?? {}), starts_on: input.startsOn ?? null, ends_on: input.endsOn ?? null, created_by: createdBy,
    score_weights: JSON.stringify(input.scoreWeights ?? {}), funding_donor_id: input.fundingDonorId ?? null
  }).returning('id').executeTakeFirstOrThrow()
  return getProject(db, row.id)
}

/** What may change once a project is open: nothing that commitments depend on, except upwards. */
export const OPEN_FIELDS = new Set(['description', 'endsOn', 'budget', 'capacity', 'title', 'scoreWeights', 'fundingDonorId'])

export async function updateProject (trx: Db, id: number, changes: Partial<ProjectInput>): Promise<ProjectView> {
  const before = await getProject(trx, id)
  if (before.status === 'closed') throw conflict('project_closed', '项目已结束，不能修改 (the project is closed)')
  if (isLive(before.status)) {
    const locked = Object.keys(changes).filter(key => !OPEN_FIELDS.has(key))
    if (locked.length > 0) throw conflict('project_open', `项目已开放，以下内容不能再修改：${locked.join('、')} (fixed once open)`, locked.map(field => ({ field: `body.${field}`, code: 'fixed_once_open', message: 'fixed once the project is open' })))
  }
  const merged = { ...before, ...changes }
  await checkProject(trx, merged)
  if (changes.budget !== undefined && changes.budget < before.committed) throw conflict('budget_below_committed', `预算不能低于已承诺的 ${before.committed} 元 (budget below what is committed)`)
  if (changes.capacity != null && changes.capacity < before.placesTaken) throw conflict('capacity_below_taken', `名额不能少于已确认的 ${before.placesTaken} 个 (capacity below places taken)`)
  await trx.updateTable('projects').set({
    ...(changes.kind !== undefined ? { kind: changes.kind } : {}),
    ...(changes.title !== undefined ? { title: changes.title } : {}),
    ...(changes.description !== undefined ? { description: changes.description } : {}),
    ...(changes.budget !== undefined ? { budget: changes.budget } : {}),
    ...(changes.unitCost !== undefined ? { unit_cost: changes.unitCost } : {}),
    ...(changes.perItemLimit !== undefined ? { per_item_limit: changes.perItemLimit } : {}),
    ...(changes.capacity !== undefined ? { capacity: changes.capacity } : {}),
    ...(changes.eligibility !== undefined ? { eligibility: JSON.stringify(changes.eligibility) } : {}),
    ...(changes.startsOn !== undefined ? { starts_on: changes.startsOn } : {}),
    ...(changes.endsOn !== undefined ? { ends_on: changes.endsOn } : {}),
    ...(changes.scoreWeights !== undefined ? { score_weights: JSON.stringify(changes.scoreWeights) } : {}),
    ...(changes.fundingDonorId !== undefined ? { funding_donor_id: changes.fundingDonorId } : {}),
    updated_at: new Date()
  }).where('id', '=', id).execute()
  if (before.status === 'open') await queueIndexing(trx, 'projects', [id])
  return getProject(trx, id)
}

/** A move of the state machine (project-states.ts), one conditional UPDATE; the search index follows (only open projects are in it). */
export async function moveProject (trx: Db, id: number, move: ProjectMove): Promise<ProjectView> {
  const { from, to } = PROJECT_MOVES[move]
  const moved = await trx.updateTable('projects').set({ status: to, updated_at: new Date() }).where('id', '=', id).where('status', 'in', [...from]).returning('id').executeTakeFirst()
  if (!moved) {
    const current = await getProject(trx, id)
    const allowed = from.map(state => `“${PROJECT_STATUS_NAMES[state]}”`).join('或')
    throw conflict('illegal_transition', `项目当前为“${PROJECT_STATUS_NAMES[current.status]}”，不能${PROJECT_MOVES[move].name}（须为${allowed}）(illegal transition)`, [{ code: 'illegal_transition', message: current.status, state: current.status, allowedFrom: [...from], to }])
  }
  await queueIndexing(trx, 'projects', [id])
  return getProject(trx, id)
}

export async function projectLedger (db: Db, id: number) {
  const rows = await db.selectFrom('project_ledger').select(['id', 'movement', 'amount', 'reference', 'at',
    sql<number>`sum(CASE movement WHEN 'commit' THEN amount WHEN 'release' THEN -amount ELSE 0 END) OVER (ORDER BY id)`.as('committed_after'),
    sql<number>`sum(CASE movement WHEN 'spend' THEN amount ELSE 0 END) OVER (ORDER BY id)`.as('spent_after')])
    .where('project_id', '=', id).orderBy('id').execute()
  return rows.map(r => ({ id: r.id, movement: r.movement, amount: r.amount, reference: r.reference, at: r.at.toISOString(), committedAfter: Number(r.committed_after), spentAfter: Number(r.spent_after) }))
}
