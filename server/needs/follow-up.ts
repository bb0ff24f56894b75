// What civil-affairs staff follow up of their region's wishes and claims: the counts their
// workbench shows, the claims by where they stand (overdue, delivered and waiting for the
// household's receipt, under way, confirmed, ended) with the wish's person and village and
// the donor who holds it, and one claim with its evidence. Region-scoped like the API.
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { inScope, scopePattern, type RegionScope } from '../db/scope.js'
import { notFound } from '../http/errors.js'
import { listEvidence } from '../files/evidence.js'
import type { WishState } from '../../matching/domain.js'
import type { EvidenceView } from '../schemas/evidence.js'
import type { PublicWish } from './public-view.js'

/** Wishes of the region in the given states. */
export async function countWishes (db: Db, scope: RegionScope, states: readonly WishState[]): Promise<number> {
  const row = await db.selectFrom('wishes').select(eb => eb.fn.countAll<string>().as('n'))
    .where('region_code', 'like', scopePattern(scope)).where('state', 'in', [...states]).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** How staff group claims: what needs them first. */
export const FOLLOW_UP_GROUPS = ['overdue', 'delivered', 'active', 'confirmed', 'ended'] as const
export type FollowUpGroup = typeof FOLLOW_UP_GROUPS[number]

function claimsQuery (db: Db, scope: RegionScope) {
  return db.selectFrom('claims as c').innerJoin('wishes as w', 'w.id', 'c.wish_id').innerJoin('persons as p', 'p.id', 'w.person_id')
    .innerJoin('donors as d', 'd.id', 'c.donor_id').innerJoin('regions as village', 'village.code', 'w.region_code')
    .where('w.region_code', 'like', scopePattern(scope))
}

function inGroup<Q extends ReturnType<typeof claimsQuery>> (query: Q, group: FollowUpGroup, asOf: string): Q {
  switch (group) {
    case 'overdue': return query.where('c.state', '=', 'active').where('c.due_on', '<', asOf) as Q
    case 'active': return query.where('c.state', '=', 'active').where('c.due_on', '>=', asOf) as Q
    case 'delivered': return query.where('c.state', '=', 'delivered') as Q
    case 'confirmed': return query.where('c.state', '=', 'confirmed') as Q
    case 'ended': return query.where('c.state', 'in', ['expired', 'cancelled']) as Q
  }
}

export interface StaffClaim {
  id: number
  state: string
  wishId: number
  item: string
  value: number
  maskedName: string
  householdId: number
  regionCode: string
  village: string
  /** Who holds the wish: the donor's name (the household signs for what they bring). */
  donorName: string
  claimedAt: string
  dueOn: string
  deliveredOn: string | null
  confirmedOn: string | null
  overdue: boolean
  evidenceCount: number
  /** The signed receipt (签收单) has been photographed. */
  signedReceipt: boolean
}

function selectClaims (query: ReturnType<typeof claimsQuery>) {
  return query.select(['c.id', 'c.state', 'c.wish_id', 'w.item', 'w.value', 'p.masked_name', 'w.household_id', 'w.region_code', 'village.name as village',
    'd.name as donor_name', 'c.claimed_at', 'c.due_on', 'c.delivered_on', 'c.confirmed_on'])
    .select(eb => eb.selectFrom('evidence as e').select(eb.fn.countAll<string>().as('n')).whereRef('e.claim_id', '=', 'c.id').as('evidence_count'))
    .select(eb => eb.exists(eb.selectFrom('evidence as r').select('r.id').whereRef('r.claim_id', '=', 'c.id').where('r.kind', '=', 'signed_receipt')).as('signed_receipt'))
}

type ClaimRow = Awaited<ReturnType<ReturnType<typeof selectClaims>['execute']>>[number]

const toStaffClaim = (r: ClaimRow, asOf: string): StaffClaim => ({
  id: r.id,
  state: r.state,
  wishId: r.wish_id,
  item: r.item,
  value: r.value,
  maskedName: r.masked_name,
  householdId: r.household_id,
  regionCode: r.region_code,
  village: r.village,
  donorName: r.donor_name,
  claimedAt: r.claimed_at.toISOString(),
  dueOn: r.due_on,
  deliveredOn: r.delivered_on,
  confirmedOn: r.confirmed_on,
  overdue: r.state === 'active' && r.due_on < asOf,
  evidenceCount: Number(r.evidence_count ?? 0),
  signedReceipt: r.signed_receipt === true
})

/** Claims of a group, the most pressing first (the oldest due day, the oldest delivery), with every group's size. */
export async function listFollowUp (db: Db, scope: RegionScope, group: FollowUpGroup, page: { limit: number, offset: number }, asOf: string): Promise<{ items: StaffClaim[], counts: Record<FollowUpGroup, number> }> {
  const ordered = group === 'delivered' ? 'c.delivered_on' : group === 'overdue' || group === 'active' ? 'c.due_on' : 'c.id'
  const [rows, counts] = await Promise.all([
    selectClaims(inGroup(claimsQuery(db, scope), group, asOf)).orderBy(ordered, group === 'confirmed' || group === 'ended' ? 'desc' : 'asc').orderBy('c.id').limit(page.limit).offset(page.offset).execute(),
    countFollowUp(db, scope, asOf)
  ])
  return { items: rows.map(r => toStaffClaim(r, asOf)), counts }
}

/** The size of every group, in one pass. */
export async function countFollowUp (db: Db, scope: RegionScope, asOf: string): Promise<Record<FollowUpGroup, number>> {
  const row = await db.selectFrom('claims as c').innerJoin('wishes as w', 'w.id', 'c.wish_id').where('w.region_code', 'like', scopePattern(scope))
    .select([
      sql<string>`count(*) FILTER (WHERE c.state = 'active' AND c.due_on < ${asOf})`.as('overdue'),
      sql<string>`count(*) FILTER (WHERE c.state = 'active' AND c.due_on >= ${asOf})`.as('active'),
      sql<string>`count(*) FILTER (WHERE c.state = 'delivered')`.as('delivered'),
      sql<string>`count(*) FILTER (WHERE c.state = 'confirmed')`.as('confirmed'),
      sql<string>`count(*) FILTER (WHERE c.state IN ('expired', 'cancelled'))`.as('ended')
    ]).executeTakeFirstOrThrow()
  return { overdue: Number(row.overdue), delivered: Number(row.delivered), active: Number(row.active), confirmed: Number(row.confirmed), ended: Number(row.ended) }
}

/** Claims overdue, or delivered and waiting for the household's receipt: what the workbench counts. */
export async function countClaimsInGroup (db: Db, scope: RegionScope, group: 'overdue' | 'delivered', asOf: string): Promise<number> {
  // The group's claims first (few: the worker lapses overdue claims daily, staff confirm delivered ones; each group has
  // its partial index), then each one's wish for its region, as a subquery per claim: joined, the planner misjudged
  // how many claims there are and read every wish of the region (200–470 ms at 1,000,000 wishes). The list's joins
  // to the person, donor and village are not needed to count.
  const claims = db.selectFrom('claims as c').select(eb => eb.fn.countAll<string>().as('n'))
    .where(eb => eb(eb.selectFrom('wishes as w').select('w.region_code').whereRef('w.id', '=', 'c.wish_id'), 'like', scopePattern(scope)))
  const row = await (group === 'overdue' ? claims.where('c.state', '=', 'active').where('c.due_on', '<', asOf) : claims.where('c.state', '=', 'delivered'))
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

export interface StaffClaimDetail extends StaffClaim {
  note: string | null
  /** What donors saw of the wish. */
  publicView: PublicWish
  evidence: EvidenceView[]
}

/** One claim of the region with its evidence; 404 outside it, as the API answers. */
export async function staffClaim (db: Db, scope: RegionScope, id: number, asOf: string): Promise<StaffClaimDetail> {
  const row = await selectClaims(claimsQuery(db, { regionPrefix: '' })).select(['c.note', 'w.public_view']).where('c.id', '=', id).executeTakeFirst()
  if (!row || !inScope(scope, row.region_code)) throw notFound('该认领 (claim)')
  return { ...toStaffClaim(row, asOf), note: row.note, publicView: row.public_view as PublicWish, evidence: await listEvidence(db, { claimId: id }) }
}

/** The claims of one wish, newest first (a lapsed claim, then the one that delivered it). */
export async function claimsOfWish (db: Db, scope: RegionScope, wishId: number, asOf: string): Promise<StaffClaim[]> {
  const rows = await selectClaims(claimsQuery(db, scope)).where('c.wish_id', '=', wishId).orderBy('c.id', 'desc').execute()
  return rows.map(r => toStaffClaim(r, asOf))
}
