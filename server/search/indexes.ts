// The two public search indexes and what goes into them. `wishes` holds only published wishes,
// as their stored de-identified document (needs/public-view.ts); `projects` holds open
// projects. Staff search of households never uses these indexes (it runs on PostgreSQL).
import { sql } from 'kysely'
import type { Meilisearch, Settings } from 'meilisearch'
import { HELP_KIND_NAMES } from '../../matching/domain.js'
import type { Db } from '../db/database.js'
import type { ErrorDetail } from '../http/errors.js'
import type { ProjectDocument } from '../schemas/projects.js'

export const INDEX_NAMES = ['wishes', 'projects'] as const
export type IndexName = (typeof INDEX_NAMES)[number]

export const indexUid = (prefix: string, name: IndexName) => `${prefix}${name}`

/** Hits a search can page through (Meilisearch's maxTotalHits; the database fallback's window too). */
export const MAX_TOTAL_HITS = 5000

/** A page that starts beyond MAX_TOTAL_HITS would come back empty: the detail to refuse it with. */
export function pageBeyondReach (page: number, hitsPerPage: number): ErrorDetail | undefined {
  const lastPage = Math.ceil(MAX_TOTAL_HITS / hitsPerPage)
  if (page <= lastPage) return undefined
  return { field: 'querystring.page', code: 'beyond_reach', message: `最多可浏览前 ${MAX_TOTAL_HITS} 个结果，每页 ${hitsPerPage} 个时最多 ${lastPage} 页 (page beyond the first ${MAX_TOTAL_HITS} hits)`, lastPage }
}

/** Built-in synonym groups: every word of a group finds the others. Staff can replace them. */
export const DEFAULT_SYNONYMS: Record<IndexName, string[][]> = {
  wishes: [
    ['书包', '双肩包', '背包', '书袋'],
    ['羽绒服', '棉衣', '棉袄', '冬衣'],
    ['棉被', '被子'],
    ['台灯', '护眼灯'],
    ['运动鞋', '球鞋'],
    ['电饭煲', '电饭锅'],
    ['取暖器', '电暖器', '暖风机'],
    ['轮椅', '助行轮椅'],
    ['米面油', '粮油']
  ],
  projects: [
    ['梦想小屋', '小屋改造', '房间改造'],
    ['培训券', '培训班', '兴趣班']
  ]
}

/** Meilisearch wants word → the words it also finds. */
export function synonymMap (groups: readonly string[][]): Record<string, string[]> {
  const map: Record<string, string[]> = {}
  for (const group of groups) for (const word of group) map[word] = [...new Set([...(map[word] ?? []), ...group.filter(w => w !== word)])]
  return map
}

const SETTINGS: Record<IndexName, Settings> = {
  wishes: {
    searchableAttributes: ['item', 'categoryName', 'story', 'town', 'village'],
    // Only what donors filter or facet on (and id, for the consistency check): each costs indexing time.
    filterableAttributes: ['id', 'townCode', 'town', 'category', 'value', 'valueRange', 'ageBand'],
    sortableAttributes: ['publishedTs', 'neededByTs', 'value'],
    // Chinese text throughout: without this, short titles can be read as Japanese kanji.
    localizedAttributes: [{ attributePatterns: ['*'], locales: ['cmn'] }],
    faceting: { maxValuesPerFacet: 200 },
    // Word distance counted per field, not per word pair: indexing a batch takes about a third
    // less time (bench/RESULTS.md, catch-up), and queries are a word or two against short texts.
    proximityPrecision: 'byAttribute',
    pagination: { maxTotalHits: MAX_TOTAL_HITS }
  },
  projects: {
    searchableAttributes: ['title', 'kindName', 'description', 'organisation'],
    filterableAttributes: ['id', 'kind', 'regionCodes'],
    sortableAttributes: ['startsOn', 'available'],
    localizedAttributes: [{ attributePatterns: ['*'], locales: ['cmn'] }],
    pagination: { maxTotalHits: MAX_TOTAL_HITS }
  }
}

export async function synonymGroups (db: Db, name: IndexName): Promise<string[][]> {
  const row = await db.selectFrom('search_settings').select('synonyms').where('index_name', '=', name).executeTakeFirst()
  return row?.synonyms ?? DEFAULT_SYNONYMS[name]
}

/** Stores an index's synonym groups in place of the built-in ones; the index takes them when next prepared. */
export async function setSynonymGroups (db: Db, name: IndexName, groups: string[][], by: number | null): Promise<void> {
  await db.insertInto('search_settings').values({ index_name: name, synonyms: JSON.stringify(groups), updated_by: by })
    .onConflict(oc => oc.column('index_name').doUpdateSet({ synonyms: JSON.stringify(groups), updated_by: by, updated_at: new Date() })).execute()
}

/** The settings an index should have, synonyms from the database. */
export async function indexSettings (db: Db, name: IndexName): Promise<Settings> {
  return { ...SETTINGS[name], synonyms: synonymMap(await synonymGroups(db, name)) }
}

/** Creates the index when missing and applies its settings; waits until they are in force. */
export async function prepareIndex (db: Db, meili: Meilisearch, uid: string, name: IndexName): Promise<void> {
  const exists = await meili.getIndex(uid).then(() => true, () => false)
  if (!exists) await meili.createIndex(uid, { primaryKey: 'id' }).waitTask()
  const task = await meili.index(uid).updateSettings(await indexSettings(db, name)).waitTask()
  if (task.status !== 'succeeded') throw new Error(`settings of ${uid}: ${task.error?.message ?? task.status}`)
}

/** The documents the index should hold for these ids, and the ids it should not hold. */
export interface Documents<T> { upserts: T[], deletes: number[] }

async function wishDocuments (db: Db, ids: number[]): Promise<Documents<unknown>> {
  const rows = await db.selectFrom('wishes').select(['id', 'public_view']).where(sql<boolean>`id = ANY(${ids}::bigint[])`).where('state', '=', 'published').execute()
  const present = new Set(rows.map(r => r.id))
  return { upserts: rows.map(r => r.public_view), deletes: ids.filter(id => !present.has(id)) }
}

async function projectDocuments (db: Db, ids: number[]): Promise<Documents<ProjectDocument>> {
  const rows = await db.selectFrom('projects as p').innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select(['p.id', 'p.title', 'p.kind', 'p.description', 'p.eligibility', 'p.budget', 'p.committed', 'p.unit_cost', 'p.starts_on', 'p.ends_on', 'o.name as organisation', 'o.region_code'])
    .where(sql<boolean>`p.id = ANY(${ids}::bigint[])`).where('p.status', '=', 'open').execute()
  const present = new Set(rows.map(r => r.id))
  return {
    upserts: rows.map(r => ({
      id: r.id, title: r.title, kind: r.kind, kindName: HELP_KIND_NAMES[r.kind], description: r.description, organisation: r.organisation,
      regionCodes: (r.eligibility as { regionCodes?: string[] }).regionCodes ?? [r.region_code],
      budget: r.budget, available: r.budget - r.committed, unitCost: r.unit_cost, startsOn: r.starts_on, endsOn: r.ends_on
    })),
    deletes: ids.filter(id => !present.has(id))
  }
}

export const DOCUMENTS: Record<IndexName, (db: Db, ids: number[]) => Promise<Documents<unknown>>> = {
  wishes: wishDocuments,
  projects: projectDocuments
}
