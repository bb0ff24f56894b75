// Charity projects as donors and the public see them: what each is for, where, when, and how
// far its money has gone — never whom it helped. Drafts are not public.
import { sql } from 'kysely'
import { Type, type Static } from 'typebox'
import { HELP_KIND_NAMES, HELP_KINDS, type HelpKind } from '../../matching/domain.js'
import type { Db } from '../db/database.js'
import { notFound } from '../http/errors.js'

export const PublicProjectSchema = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum(HELP_KINDS),
  kindName: Type.String(),
  title: Type.String(),
  description: Type.String(),
  organisation: Type.String(),
  status: Type.Enum(['open', 'paused', 'closed'], { description: 'paused：暂停接受新的帮扶' }),
  regions: Type.Array(Type.String(), { description: '项目覆盖的地区' }),
  regionCodes: Type.Array(Type.String(), { description: '项目覆盖的地区代码' }),
  startsOn: Type.Union([Type.String(), Type.Null()]),
  endsOn: Type.Union([Type.String(), Type.Null()]),
  budget: Type.Number(),
  committed: Type.Number({ description: '已承诺（已确认帮扶对象）的金额' }),
  spent: Type.Number({ description: '已支出（帮扶已送达并签收）的金额' }),
  available: Type.Number({ description: '尚可安排的金额' }),
  unitCost: Type.Union([Type.Number(), Type.Null()]),
  householdsHelped: Type.Integer({ description: '帮扶已送达并签收的家庭数' }),
  householdsConfirmed: Type.Integer({ description: '已确认帮扶（含尚在进行中）的家庭数' })
})
export type PublicProject = Static<typeof PublicProjectSchema>

/** Households whose help from the project was received (or, `received` false, confirmed at all). */
const households = (received: boolean) => sql<number>`(
  SELECT count(DISTINCT h.household_id) FROM (
    SELECT pr.household_id FROM proposals pr LEFT JOIN fulfilments f ON f.proposal_id = pr.id
      WHERE pr.project_id = p.id AND pr.status = 'confirmed' ${received ? sql`AND f.received_on IS NOT NULL` : sql``}
    UNION ALL
    SELECT r.household_id FROM dream_rooms r
      WHERE r.project_id = p.id ${received ? sql`AND r.stage = 'completed'` : sql`AND r.stage <> 'cancelled'`}
    UNION ALL
    SELECT v.household_id FROM vouchers v
      WHERE v.project_id = p.id ${received ? sql`AND v.state = 'redeemed'` : sql`AND v.state IN ('assigned', 'redeemed')`}
  ) h)`

function publicProjectQuery (db: Db) {
  return db.selectFrom('projects as p').innerJoin('organisations as o', 'o.id', 'p.organisation_id').innerJoin('regions as orgRegion', 'orgRegion.code', 'o.region_code')
    .select(['p.id', 'p.kind', 'p.title', 'p.description', 'o.name as organisation', 'o.region_code as organisation_region_code', 'p.status', 'p.starts_on', 'p.ends_on', 'p.budget', 'p.committed', 'p.spent', 'p.unit_cost', 'orgRegion.name as organisation_region',
      sql<Array<{ code: string, name: string }>>`coalesce((SELECT json_agg(json_build_object('code', r.code, 'name', r.name) ORDER BY r.code) FROM regions r
        WHERE r.code IN (SELECT jsonb_array_elements_text(coalesce(p.eligibility -> 'regionCodes', '[]'::jsonb)))), '[]'::json)`.as('regions'),
      households(true).as('households_helped'), households(false).as('households_confirmed')])
    .where('p.status', 'in', ['open', 'paused', 'closed'])
}

type Row = Awaited<ReturnType<ReturnType<typeof publicProjectQuery>['executeTakeFirstOrThrow']>>

const toPublic = (r: Row): PublicProject => ({
  id: r.id,
  kind: r.kind,
  kindName: HELP_KIND_NAMES[r.kind],
  title: r.title,
  description: r.description,
  organisation: r.organisation,
  status: r.status as PublicProject['status'],
  regions: r.regions.length > 0 ? r.regions.map(region => region.name) : [r.organisation_region],
  regionCodes: r.regions.length > 0 ? r.regions.map(region => region.code) : [r.organisation_region_code],
  startsOn: r.starts_on,
  endsOn: r.ends_on,
  budget: r.budget,
  committed: r.committed,
  spent: r.spent,
  available: r.budget - r.committed,
  unitCost: r.unit_cost,
  householdsHelped: Number(r.households_helped),
  householdsConfirmed: Number(r.households_confirmed)
})

export interface PublicProjectFilters { kind?: HelpKind | undefined, status: 'open' | 'closed', limit: number, offset: number }

export async function listPublicProjects (db: Db, { kind, status, limit, offset }: PublicProjectFilters): Promise<{ items: PublicProject[], total: number }> {
  let query = publicProjectQuery(db).where('p.status', '=', status)
  let count = db.selectFrom('projects').select(eb => eb.fn.countAll<number>().as('n')).where('status', '=', status)
  if (kind) {
    query = query.where('p.kind', '=', kind)
    count = count.where('kind', '=', kind)
  }
  const [rows, total] = await Promise.all([query.orderBy('p.id', 'desc').limit(limit).offset(offset).execute(), count.executeTakeFirstOrThrow()])
  return { items: rows.map(toPublic), total: Number(total.n) }
}

export async function getPublicProject (db: Db, id: number): Promise<PublicProject> {
  const row = await publicProjectQuery(db).where('p.id', '=', id).executeTakeFirst()
  if (!row) throw notFound('该项目 (project)')
  return toPublic(row)
}
