// 微心愿 on the staff side: raised for a member of a registered household, submitted, verified
// after a home visit, published to donors in de-identified form, withdrawn or rejected. Every
// state change is one conditional UPDATE (`moveWish`), so two people acting at once cannot
// both succeed and an illegal transition is refused with the state the wish is really in.
// Functions that change data take a transaction from the caller, so that the route's audit
// record commits with the change.
import { sql, type Updateable } from 'kysely'
import { ageOn } from '../../matching/policy/index.js'
import type { Sex, WishCategory, WishState } from '../../matching/domain.js'
import type { Db } from '../db/database.js'
import { camelRow, type RowOf } from '../db/rows.js'
import type { WishTable } from '../db/schema.js'
import { EVERYWHERE, inScope, scopePattern, type RegionScope } from '../db/scope.js'
import { conflict, notFound, AppError } from '../http/errors.js'
import { decrypt, type PiiKeys } from '../privacy/pii.js'
import { ageBand } from '../privacy/deidentify.js'
import { generalise, type Peer, type QuasiIdentifiers } from '../privacy/k-anonymity.js'
import { queueIndexing } from '../search/outbox.js'
import { buildPublicWish, scrubbedTexts, type WishFacts, type WishRemoval } from './public-view.js'
import type { PublicWish, WishView } from '../schemas/needs.js'
import { needRuleFor, wishRefusal } from './rules.js'
import type { ChainEntry } from '../../matching/assistance-chain.js'
import { checkDuplicateHelp, windowsFor, wishHelpTags, type DuplicateVerdict } from '../../matching/duplicate-help.js'
import { duplicateRefusal } from '../proposals/duplicate-refusal.js'
import { helpOf } from '../proposals/population.js'
import { today } from '../clock.js'

/** Wishes a person can have only one of at a time, per category (the same help is not raised twice). */
export const OPEN_STATES: readonly WishState[] = ['draft', 'submitted', 'verified', 'published', 'claimed', 'delivered']
/** States in which the de-identified view exists and donors may have seen it. */
export const VISIBLE_STATES: readonly WishState[] = ['published', 'claimed', 'delivered', 'confirmed', 'closed']

const WISH_NAME = '该微心愿 (wish)'

export interface NewWish {
  personId: number
  category: WishCategory
  item: string
  value: number
  story: string
  neededBy?: string
  showCategory?: boolean
  /** What the help is beyond the category (e.g. winter_clothing): carried to the chain, checked against the seasonal windows. */
  tags?: string[]
  /** Why the wish is raised although a duplicate window forbids it. */
  overrideReason?: string
  /** Submit for verification at once instead of keeping a draft. */
  submit?: boolean
}

function staffQuery (db: Db) {
  return db.selectFrom('wishes as w').innerJoin('persons as p', 'p.id', 'w.person_id')
    .select(['w.id', 'w.state', 'w.household_id', 'w.person_id', 'p.masked_name', 'w.region_code', 'w.category', 'w.item', 'w.value', 'w.story',
      'w.needed_by', 'w.show_category', 'w.tags', 'w.override_reason', 'w.visit_note', 'w.reason', 'w.created_at', 'w.verified_at', 'w.published_at', 'w.coarsened', 'w.public_view'])
}

type StaffRow = RowOf<typeof staffQuery>

const toView = (r: StaffRow): WishView => ({
  ...camelRow(r),
  state: r.state as WishState,
  category: r.category as WishCategory,
  publicView: (r.public_view ?? null) as PublicWish | null
})

export async function getWish (db: Db, scope: RegionScope, id: number): Promise<WishView> {
  const row = await staffQuery(db).where('w.id', '=', id).executeTakeFirst()
  if (!row || !inScope(scope, row.region_code)) throw notFound(WISH_NAME)
  return toView(row)
}

export interface WishFilters {
  state?: WishState
  category?: WishCategory
  regionCode?: string
  householdId?: number
  /** Published wishes whose class was still below k at publication: for staff to review. */
  belowK?: boolean
  limit: number
  offset: number
}

export async function listWishes (db: Db, scope: RegionScope, filters: WishFilters): Promise<{ total: number, items: WishView[] }> {
  let query = staffQuery(db).where('w.region_code', 'like', scopePattern(scope))
  if (filters.regionCode) query = query.where('w.region_code', 'like', `${filters.regionCode}%`)
  if (filters.state) query = query.where('w.state', '=', filters.state)
  if (filters.category) query = query.where('w.category', '=', filters.category)
  if (filters.householdId) query = query.where('w.household_id', '=', filters.householdId)
  if (filters.belowK !== undefined) query = query.where(sql<boolean>`'below_k' = ANY(w.coarsened)`, '=', filters.belowK)
  const rows = await query.select(sql<number>`count(*) OVER ()`.as('total')).orderBy('w.id', 'desc').limit(filters.limit).offset(filters.offset).execute()
  return { total: Number(rows[0]?.total ?? 0), items: rows.map(({ total: _total, ...row }) => toView(row)) }
}

export async function createWish (trx: Db, scope: RegionScope, input: NewWish, raisedBy: number | null): Promise<WishView> {
  const person = await trx.selectFrom('persons as p').innerJoin('households as h', 'h.id', 'p.household_id')
    .select(['p.id', 'p.household_id', 'h.region_code', 'h.category', 'h.status'])
    .where('p.id', '=', input.personId).where('p.left_on', 'is', null).forUpdate('h').executeTakeFirst()
  if (!person || !inScope(scope, person.region_code)) throw notFound('该人员 (person)')
  const refusal = wishRefusal(await needRuleFor(trx, person.region_code), person)
  if (refusal) throw conflict('household_not_eligible', refusal)
  const open = await trx.selectFrom('wishes').select(['id', 'state']).where('person_id', '=', input.personId)
    .where('category', '=', input.category).where('state', 'in', OPEN_STATES).executeTakeFirst()
  if (open) throw conflict('open_wish_exists', `该成员已有同类微心愿（第 ${open.id} 号，${open.state}），请勿重复提出 (an open wish of this category exists)`, [{ code: 'open_wish_exists', message: String(open.id), wishId: open.id }])
  const tags = input.tags ?? []
  const verdict = await duplicateVerdict(trx, person.household_id, { category: input.category, tags }, today())
  if (verdict.verdict === 'duplicate' && !input.overrideReason) throw duplicateRefusal(verdict, { subject: `wish:${person.id}:${input.category}:${today()}`, householdId: person.household_id, regionCode: person.region_code, kind: 'wish', value: input.value })
  const row = await trx.insertInto('wishes').values({
    person_id: person.id, household_id: person.household_id, region_code: person.region_code,
    category: input.category, item: input.item, value: input.value, story: input.story,
    needed_by: input.neededBy ?? null, show_category: input.showCategory ?? false, tags,
    override_reason: verdict.verdict === 'duplicate' ? input.overrideReason ?? null : null,
    state: input.submit ? 'submitted' : 'draft', raised_by: raisedBy
  }).returning('id').executeTakeFirstOrThrow()
  return getWish(trx, scope, row.id)
}

/**
 * A new wish against the seasonal windows of what it gives (winter_clothing: once a season per
 * household): the household's chain, help promised to it (claimed wishes, confirmed proposals)
 * and what it has already asked for in other open wishes.
 */
async function duplicateVerdict (trx: Db, householdId: number, wish: { category: string, tags: readonly string[] }, on: string): Promise<DuplicateVerdict> {
  const help = { kind: 'wish', tags: wishHelpTags(wish), on }
  const windows = windowsFor(help)
  if (windows.length === 0) return { verdict: 'clear' }
  const asked = await trx.selectFrom('wishes').select(['id', 'category', 'tags', 'value', sql<string>`(created_at AT TIME ZONE 'Asia/Shanghai')::date::text`.as('asked_on')])
    .where('household_id', '=', householdId).where('state', 'in', ['submitted', 'verified', 'published']).execute()
  const entries: ChainEntry[] = [
    ...(await helpOf(trx, { householdId })).get(householdId) ?? [],
    ...asked.map(w => ({ id: w.id, source: 'charity' as const, kind: 'wish', tags: wishHelpTags(w), value: w.value, occurredOn: w.asked_on, reverses: null, pending: `wish:${w.id}` }))
  ]
  return checkDuplicateHelp(entries, help, windows)
}

export type WishChanges = Partial<Pick<NewWish, 'category' | 'item' | 'value' | 'story' | 'neededBy' | 'showCategory'>>

/** Editing is for drafts and submitted wishes; once verified, what was checked stays as checked. */
export async function updateWish (db: Db, scope: RegionScope, id: number, changes: WishChanges): Promise<WishView> {
  await moveWish(db, scope, id, ['draft', 'submitted'], null, {
    ...(changes.category !== undefined ? { category: changes.category } : {}),
    ...(changes.item !== undefined ? { item: changes.item } : {}),
    ...(changes.value !== undefined ? { value: changes.value } : {}),
    ...(changes.story !== undefined ? { story: changes.story } : {}),
    ...(changes.neededBy !== undefined ? { needed_by: changes.neededBy } : {}),
    ...(changes.showCategory !== undefined ? { show_category: changes.showCategory } : {})
  })
  return getWish(db, scope, id)
}

/**
 * Moves a wish from one of `from` to `to` (or, with `to` null, changes it in place) in one
 * conditional UPDATE. Refuses with 404 outside the scope and 409 `illegal_transition` naming
 * the current state otherwise. Queues the search index when the wish may enter or leave it.
 */
export async function moveWish (trx: Db, scope: RegionScope, id: number, from: readonly WishState[], to: WishState | null, patch: Updateable<WishTable> = {}): Promise<{ id: number, from: WishState, regionCode: string }> {
  const before = await trx.selectFrom('wishes').select(['state', 'region_code']).where('id', '=', id).executeTakeFirst()
  if (!before || !inScope(scope, before.region_code)) throw notFound(WISH_NAME)
  const moved = await trx.updateTable('wishes').set({ ...patch, ...(to ? { state: to } : {}), updated_at: new Date() })
    .where('id', '=', id).where('state', 'in', from).returning('id').executeTakeFirst()
  if (!moved) {
    const current = await trx.selectFrom('wishes').select('state').where('id', '=', id).executeTakeFirstOrThrow()
    throw illegalTransition(current.state, from, to)
  }
  if (to === 'published' || from.includes('published')) await queueIndexing(trx, 'wishes', [id])
  return { id, from: before.state as WishState, regionCode: before.region_code }
}

export function illegalTransition (current: string, from: readonly string[], to: string | null): AppError {
  return conflict('illegal_transition', `微心愿当前为“${current}”状态，不能${to ? `转为“${to}”` : '修改'}（需处于：${from.join('、')}）(illegal transition)`,
    [{ code: 'illegal_transition', message: current, state: current, allowedFrom: [...from], to }])
}

export const submitWish = (db: Db, scope: RegionScope, id: number) => moveWish(db, scope, id, ['draft'], 'submitted')

export const verifyWish = (db: Db, scope: RegionScope, id: number, visitNote: string, verifiedBy: number | null) =>
  moveWish(db, scope, id, ['submitted'], 'verified', { visit_note: visitNote, verified_by: verifiedBy, verified_at: new Date() })

export const rejectWish = (db: Db, scope: RegionScope, id: number, reason: string) =>
  moveWish(db, scope, id, ['submitted', 'verified'], 'rejected', { reason })

export const withdrawWish = (db: Db, scope: RegionScope, id: number, reason: string) =>
  moveWish(db, scope, id, ['draft', 'submitted', 'verified', 'published'], 'withdrawn', { reason })

/**
 * What a wish's de-identified view is built from, and its person's true attributes, for each
 * of `ids` (the family's names are decrypted for the scrubber and never leave the server).
 */
async function wishFacts (trx: Db, ids: number[], options: PublishOptions): Promise<Map<number, { facts: WishFacts, truth: QuasiIdentifiers }>> {
  const rows = await trx.selectFrom('wishes as w')
    .innerJoin('persons as p', 'p.id', 'w.person_id')
    .innerJoin('households as h', 'h.id', 'w.household_id')
    .innerJoin('regions as village', 'village.code', 'w.region_code')
    .innerJoin('regions as town', 'town.code', 'village.parent_code')
    .select(['w.id', 'w.region_code', 'w.category', 'w.item', 'w.value', 'w.story', 'w.needed_by', 'w.show_category', 'w.household_id', 'w.published_at',
      'p.name_encrypted', 'p.sex', 'p.birth_date', 'h.category as household_category',
      'village.name as village_name', 'town.code as town_code', 'town.name as town_name'])
    .where('w.id', 'in', ids).execute()
  const family = await trx.selectFrom('persons').select(['household_id', 'name_encrypted']).where('household_id', 'in', rows.map(r => r.household_id)).execute()
  return new Map(rows.map(wish => {
    const age = ageOn(wish.birth_date, options.asOf)
    const facts: WishFacts = {
      id: wish.id,
      category: wish.category as WishCategory,
      item: wish.item,
      value: wish.value,
      story: wish.story,
      neededBy: wish.needed_by,
      showCategory: wish.show_category,
      householdCategory: wish.household_category,
      publishedAt: wish.published_at ?? options.now ?? new Date(),
      person: { fullName: decrypt(options.keys, wish.name_encrypted), sex: wish.sex as Sex, age },
      familyNames: family.filter(m => m.household_id === wish.household_id).map(m => decrypt(options.keys, m.name_encrypted)),
      town: { code: wish.town_code, name: wish.town_name },
      village: { code: wish.region_code, name: wish.village_name }
    }
    return [wish.id, { facts, truth: { villageCode: wish.region_code, sex: wish.sex, age } }]
  }))
}

/**
 * The published wishes of the need's town and sex that show one of the age bands the need
 * could show (its fine or its wide band): every class the need could join or take peers
 * from, whole. Locked until the publication commits, so none is claimed half-way.
 */
async function publishedPeers (trx: Db, need: QuasiIdentifiers, asOf: string, except: number): Promise<Peer[]> {
  const shownBand = sql<string>`w.public_view->>'ageBand'`
  const rows = await trx.selectFrom('wishes as w').innerJoin('persons as p', 'p.id', 'w.person_id')
    .select(['w.id', 'w.region_code', 'w.coarsened', 'p.sex', 'p.birth_date', shownBand.as('shown_band')])
    .where('w.state', '=', 'published').where('w.region_code', 'like', `${need.villageCode.slice(0, 9)}%`).where('w.id', '<>', except)
    .where('p.sex', '=', need.sex as Sex).where(shownBand, 'in', [ageBand(need.age, 'fine'), ageBand(need.age, 'wide')])
    .forUpdate('w').execute()
  return rows.map(r => ({
    id: r.id,
    truth: { villageCode: r.region_code, sex: r.sex, age: ageOn(r.birth_date, asOf) },
    shown: { place: r.coarsened.includes('village→town') ? 'town' : 'village', band: r.coarsened.includes('age:fine→wide') ? 'wide' : 'fine', ageBand: r.shown_band }
  }))
}

export interface PublishOptions {
  keys: PiiKeys
  k: number
  asOf: string
  now?: Date
}

/**
 * Publishes a verified wish: builds its de-identified view, coarsened until at least k
 * published wishes show the same (privacy/k-anonymity.ts), stores the view with what was
 * coarsened, and queues it for the search index (call inside a transaction). Peers that move
 * to the wish's finer class get their views rebuilt; peers whose class now reaches k lose
 * their below_k mark. Publications in one town take turns, so classes are counted whole.
 * Returns the wish and what the scrubber took out of its item and story, for the clerk.
 */
export async function publishWish (trx: Db, scope: RegionScope, id: number, options: PublishOptions): Promise<WishView & { removed: WishRemoval[] }> {
  const wish = await trx.selectFrom('wishes').select(['state', 'region_code']).where('id', '=', id).forUpdate().executeTakeFirst()
  if (!wish || !inScope(scope, wish.region_code)) throw notFound(WISH_NAME)
  if (wish.state !== 'verified') throw illegalTransition(wish.state, ['verified'], 'published')
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`wish-publication:${wish.region_code.slice(0, 9)}`}))`.execute(trx)
  const now = options.now ?? new Date()
  const { facts, truth } = (await wishFacts(trx, [id], { ...options, now })).get(id) as { facts: WishFacts, truth: QuasiIdentifiers }
  const shown = generalise(truth, await publishedPeers(trx, truth, options.asOf, id), options.k)
  await moveWish(trx, scope, id, ['verified'], 'published', { public_view: JSON.stringify(buildPublicWish(facts, shown)), coarsened: shown.coarsened, published_at: now })
  if (shown.refined.length > 0) {
    for (const peer of (await wishFacts(trx, shown.refined, options)).values()) {
      await moveWish(trx, EVERYWHERE, peer.facts.id, ['published'], null, { public_view: JSON.stringify(buildPublicWish(peer.facts, shown)), coarsened: shown.coarsened })
    }
  }
  if (!shown.coarsened.includes('below_k') && shown.joined.length > 0) {
    await trx.updateTable('wishes').set({ coarsened: sql`array_remove(coarsened, 'below_k')` }).where('id', 'in', shown.joined).execute()
  }
  return { ...await getWish(trx, scope, id), removed: scrubbedTexts(facts).removed }
}
