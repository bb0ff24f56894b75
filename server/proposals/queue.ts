// The confirmation queue as civil-affairs staff work it: the projects with proposals in their
// region, what the duplicate check would say of each open proposal before anyone confirms it
// (with the help already given: what, when, by whom), and what became of confirmed ones
// (delivered, received, evidence). Region-scoped like the API's proposal list.
import { checkDuplicateHelp, windowsFor, type DuplicateVerdict } from '../../matching/duplicate-help.js'
import type { ChainEntry } from '../../matching/assistance-chain.js'
import type { Db } from '../db/database.js'
import { scopePattern, type RegionScope } from '../db/scope.js'
import { helpOf } from './population.js'
import { projectRules } from './project.js'

export interface ProjectInQueue {
  id: number
  title: string
  kind: string
  status: string
  organisation: string
  open: number
  confirmed: number
  rejected: number
  /** Confirmed help delivered and waiting for the household's receipt. */
  awaitingReceipt: number
}

/** Projects with proposals in the region, those with open ones first. */
export async function projectsInQueue (db: Db, scope: RegionScope): Promise<ProjectInQueue[]> {
  const rows = await db.selectFrom('proposals as pr').innerJoin('projects as p', 'p.id', 'pr.project_id').innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .leftJoin('fulfilments as f', 'f.proposal_id', 'pr.id')
    .select(['p.id', 'p.title', 'p.kind', 'p.status', 'o.name as organisation'])
    .select(eb => [
      eb.fn.count<string>('pr.id').filterWhere('pr.status', '=', 'open').as('open'),
      eb.fn.count<string>('pr.id').filterWhere('pr.status', '=', 'confirmed').as('confirmed'),
      eb.fn.count<string>('pr.id').filterWhere('pr.status', '=', 'rejected').as('rejected'),
      eb.fn.count<string>('pr.id').filterWhere('f.state', '=', 'delivered').as('awaiting')
    ])
    .where('pr.region_code', 'like', scopePattern(scope)).where('pr.status', 'in', ['open', 'confirmed', 'rejected'])
    .groupBy(['p.id', 'p.title', 'p.kind', 'p.status', 'o.name']).execute()
  return rows.map(r => ({ id: r.id, title: r.title, kind: r.kind, status: r.status, organisation: r.organisation, open: Number(r.open), confirmed: Number(r.confirmed), rejected: Number(r.rejected), awaitingReceipt: Number(r.awaiting) }))
    .sort((a, b) => Number(b.open > 0) - Number(a.open > 0) || b.awaitingReceipt - a.awaitingReceipt || a.id - b.id)
}

/** Open proposals of the region: what the workbench counts. */
export async function countOpenProposals (db: Db, scope: RegionScope): Promise<number> {
  const row = await db.selectFrom('proposals').select(eb => eb.fn.countAll<string>().as('n'))
    .where('status', '=', 'open').where('region_code', 'like', scopePattern(scope)).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Confirmed help of the region delivered and waiting for the household's receipt. */
export async function countAwaitingReceipt (db: Db, scope: RegionScope): Promise<number> {
  const row = await db.selectFrom('fulfilments as f').innerJoin('proposals as pr', 'pr.id', 'f.proposal_id').select(eb => eb.fn.countAll<string>().as('n'))
    .where('f.state', '=', 'delivered').where('pr.region_code', 'like', scopePattern(scope)).executeTakeFirstOrThrow()
  return Number(row.n)
}

/** Help already given or promised, as the clerk reads it: what, when, by whom, how much. */
export interface GivenHelp {
  what: string
  on: string
  by: string
  value: number
  /** Promised and not yet received. */
  pending: boolean
}

/** Describes chain entries and promises (proposal:42, wish:7, dream_room:3) by what they are. */
export async function describeHelp (db: Db, entries: readonly ChainEntry[]): Promise<Map<ChainEntry, GivenHelp>> {
  const ids = (prefix: string) => entries.filter(e => e.pending?.startsWith(`${prefix}:`)).map(e => e.id)
  const chainIds = entries.filter(e => e.pending === undefined).map(e => e.id)
  const [chain, proposals, wishes] = await Promise.all([
    chainIds.length === 0 ? [] : db.selectFrom('assistance_entries').select(['id', 'kind', 'provider']).where('id', 'in', chainIds).execute(),
    ids('proposal').length === 0 ? [] : db.selectFrom('proposals as pr').innerJoin('projects as p', 'p.id', 'pr.project_id').innerJoin('organisations as o', 'o.id', 'p.organisation_id')
      .select(['pr.id', 'p.title', 'o.name']).where('pr.id', 'in', ids('proposal')).execute(),
    ids('wish').length === 0 ? [] : db.selectFrom('wishes').select(['id', 'item']).where('id', 'in', ids('wish')).execute()
  ])
  const described = new Map<ChainEntry, GivenHelp>()
  for (const entry of entries) {
    const base = { on: entry.occurredOn, value: entry.value, pending: entry.pending !== undefined }
    const kind = entry.pending?.split(':')[0]
    if (kind === 'proposal') {
      const p = proposals.find(r => r.id === entry.id)
      described.set(entry, { ...base, what: p?.title ?? '慈善项目帮扶', by: p?.name ?? '慈善机构' })
    } else if (kind === 'wish') {
      described.set(entry, { ...base, what: `微心愿：${wishes.find(r => r.id === entry.id)?.item ?? ''}`, by: '爱心人士（认领）' })
    } else if (kind === 'dream_room') {
      described.set(entry, { ...base, what: '梦想小屋（改造中）', by: '慈善项目' })
    } else {
      const row = chain.find(r => r.id === entry.id)
      described.set(entry, { ...base, what: row?.kind ?? entry.kind, by: row?.provider ?? '' })
    }
  }
  return described
}

export interface DuplicatePreview {
  verdict: DuplicateVerdict['verdict']
  /** The window's rule id (fund_12_months, …). */
  rule?: string
  /** The help it collides with. */
  conflicting?: GivenHelp
  /** Other help of the last 12 months: noted, not blocking. */
  complementary: GivenHelp[]
}

/**
 * What confirming each proposal today would find against its household's help — the check
 * confirmProposal makes, read-only — so that the clerk sees a duplicate before pressing confirm.
 */
export async function duplicatePreviews (db: Db, proposals: ReadonlyArray<{ id: number, householdId: number, tags: readonly string[] }>, project: { kind: string, eligibility: unknown }, on: string): Promise<Map<number, DuplicatePreview>> {
  if (proposals.length === 0) return new Map()
  const help = await helpOf(db, { householdIds: [...new Set(proposals.map(p => p.householdId))] })
  const rules = projectRules(project)
  const verdicts = proposals.map(p => {
    // The proposal itself is not help already given.
    const chain = (help.get(p.householdId) ?? []).filter(e => e.pending !== `proposal:${p.id}`)
    return [p.id, checkDuplicateHelp(chain, { kind: rules.kind, tags: p.tags, on }, windowsFor({ ...rules, tags: p.tags }))] as const
  })
  const entries = verdicts.flatMap(([, v]) => v.verdict === 'duplicate' ? [v.conflicting, ...v.complementary] : v.verdict === 'complementary' ? v.complementary : [])
  const described = await describeHelp(db, entries)
  const given = (entry: ChainEntry) => described.get(entry) as GivenHelp
  return new Map(verdicts.map(([id, v]) => [id, v.verdict === 'duplicate'
    ? { verdict: v.verdict, rule: v.rule, conflicting: given(v.conflicting), complementary: v.complementary.map(given) }
    : { verdict: v.verdict, complementary: v.verdict === 'complementary' ? v.complementary.map(given) : [] }]))
}

export interface Afterwards {
  proposalId: number
  state: string
  dueOn: string
  deliveredOn: string | null
  receivedOn: string | null
  note: string | null
  evidenceCount: number
  decidedAt: string | null
}

/** What became of decided proposals: the fulfilment's state and days, and the evidence uploaded. */
export async function afterwards (db: Db, proposalIds: readonly number[]): Promise<Map<number, Afterwards>> {
  if (proposalIds.length === 0) return new Map()
  const rows = await db.selectFrom('proposals as pr').leftJoin('fulfilments as f', 'f.proposal_id', 'pr.id')
    .select(['pr.id', 'pr.decided_at', 'f.state', 'f.due_on', 'f.delivered_on', 'f.received_on', 'f.note'])
    .select(eb => eb.selectFrom('evidence as e').select(eb.fn.countAll<string>().as('n')).whereRef('e.proposal_id', '=', 'pr.id').as('evidence_count'))
    .where('pr.id', 'in', [...proposalIds]).execute()
  return new Map(rows.map(r => [r.id, {
    proposalId: r.id, state: r.state ?? '', dueOn: r.due_on ?? '', deliveredOn: r.delivered_on ?? null, receivedOn: r.received_on ?? null, note: r.note ?? null,
    evidenceCount: Number(r.evidence_count ?? 0), decidedAt: r.decided_at?.toISOString() ?? null
  }]))
}

export interface HouseholdProposal {
  id: number
  projectId: number
  project: string
  status: string
  maskedName: string
  cost: number
  fulfilment: string | null
}

/** A household's proposals and applications, newest first. */
export async function proposalsOfHousehold (db: Db, householdId: number): Promise<HouseholdProposal[]> {
  const rows = await db.selectFrom('proposals as pr').innerJoin('projects as p', 'p.id', 'pr.project_id').innerJoin('persons as ps', 'ps.id', 'pr.person_id')
    .leftJoin('fulfilments as f', 'f.proposal_id', 'pr.id')
    .select(['pr.id', 'pr.project_id', 'p.title', 'pr.status', 'ps.masked_name', 'pr.cost', 'f.state'])
    .where('pr.household_id', '=', householdId).where('pr.status', 'in', ['open', 'confirmed']).orderBy('pr.id', 'desc').limit(20).execute()
  return rows.map(r => ({ id: r.id, projectId: r.project_id, project: r.title, status: r.status, maskedName: r.masked_name, cost: r.cost, fulfilment: r.state ?? null }))
}
