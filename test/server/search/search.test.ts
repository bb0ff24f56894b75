// The public wish index against a real Meilisearch: Chinese queries with synonyms and
// category names, facets, filters, sorting and paging; no personal field in any document or
// donor response; the outbox keeps the index in step through a Meilisearch outage; rebuild and
// the consistency check.
import t, { type Test } from 'tap'
import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import { appWithAccounts, signIn, type Session } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { ownService } from '../../helpers/services.js'
import { publishedWish, registerHousehold, syncIndex, VILLAGE, type MemberSpec } from '../../helpers/needs.js'
import { startMeilisearch } from '../../../scripts/services/meilisearch.js'
import { indexUid } from '../../../server/search/indexes.js'
import { checkConsistency } from '../../../server/search/maintenance.js'
import { syncSearchIndex } from '../../../server/search/outbox.js'
import { FALLBACK_NOTICE, searchDatabase, searchIndex } from '../../../server/search/wish-search.js'
import { ClaimSchema, PublicWishSchema } from '../../../server/schemas/needs.js'
import { expireClaims } from '../../../server/needs/claims.js'
import { setClock, today } from '../../../server/clock.js'
import { startWorker } from '../../helpers/worker.js'

interface Family { members: MemberSpec[], wish: { item: string, category: string, value: number, story: string, neededBy?: string } }

// What each family asks for; the stories carry the kind of details real submissions do.
const FAMILIES: Family[] = [
  { members: [{ name: '刘德华', birthDate: '1980-01-01', sex: 'male' }, { name: '刘小燕', birthDate: '2016-05-05', sex: 'female', schoolStage: 'primary' }], wish: { item: '书包', category: 'school_supplies', value: 120, story: '刘小燕的书包用了四年，拉链坏了。电话13812345678。', neededBy: '2026-12-20' } },
  { members: [{ name: '杨建军', birthDate: '1982-01-01', sex: 'male' }, { name: '杨浩然', birthDate: '2014-05-05', sex: 'male', schoolStage: 'junior' }], wish: { item: '双肩包', category: 'school_supplies', value: 180, story: '杨浩然上初中了，想要一个结实的双肩包。家住东大街88号2单元。', neededBy: '2026-12-01' } },
  { members: [{ name: '黄淑芬', birthDate: '1948-03-03', sex: 'female' }], wish: { item: '轮椅', category: 'rehab_aids', value: 900, story: '黄淑芬腿脚不便，出门需要轮椅。身份证号330503194803031229。' } },
  { members: [{ name: '徐国庆', birthDate: '1955-10-01', sex: 'male' }], wish: { item: '冬季羽绒服', category: 'clothing', value: 320, story: '老人冬天没有厚衣服，想要一件羽绒服。' } },
  { members: [{ name: '马丽', birthDate: '1990-07-07', sex: 'female' }, { name: '马晓东', birthDate: '2019-07-07', sex: 'male', schoolStage: 'kindergarten' }], wish: { item: 'LED台灯', category: 'school_supplies', value: 90, story: '马晓东要上小学了，希望有一盏 Philips 护眼台灯。' } }
]

/** Everything personal about the families: no document or donor response may contain any of it. */
const SECRETS = [
  ...FAMILIES.flatMap(f => f.members.flatMap(m => [m.name, m.name.slice(1), m.birthDate, m.birthDate.replaceAll('-', '')])),
  '13812345678', '13905721234', '东大街88号', '南浔镇东大街 12 号', '330503194803031229', 'dibao', '最低生活保障'
]

/** The fields each kind of public document may have: its schema's, nothing else. */
const WISH_FIELDS = Object.keys(PublicWishSchema.properties)
const PROJECT_FIELDS = ['id', 'title', 'kind', 'kindName', 'description', 'organisation', 'regionCodes', 'budget', 'available', 'unitCost', 'startsOn', 'endsOn']

/** Field names that must appear nowhere in a public response, at any depth. */
const PERSONAL_FIELDS = ['annualIncome', 'idNumber', 'name', 'address', 'phone', 'category_label', 'income', 'illness', 'personId', 'householdId', 'regionCode', 'birthDate', 'visitNote', 'coarsened']

/** Every value of `value` against the secrets, and its field names against the personal ones. */
function scan (t: Test, label: string, value: unknown, secrets: string[]): void {
  const text = JSON.stringify(value)
  t.same(secrets.filter(secret => secret.length >= 2 && text.includes(secret)), [], `${label}: no personal data`)
  t.same(PERSONAL_FIELDS.filter(field => text.includes(`"${field}"`)), [], `${label}: no personal field`)
}

/** A document's own fields are within its public schema; then the scan. */
function scanDocument (t: Test, label: string, document: Record<string, unknown>, fields: string[], secrets: string[]): void {
  t.same(Object.keys(document).filter(key => !fields.includes(key)), [], `${label}: only public fields`)
  scan(t, label, document, secrets)
}

async function seed (app: FastifyInstance, clerk: Session): Promise<{ ids: number[], idNumbers: string[] }> {
  const ids: number[] = []
  for (const family of FAMILIES) {
    const household = await registerHousehold(clerk, family.members)
    const person = household.personIds[household.personIds.length - 1] as number
    ids.push((await publishedWish(clerk, person, family.wish)).id)
  }
  const households = await app.db.selectFrom('households').select('id').execute()
  const idNumbers = (await Promise.all(households.map(async h => (await clerk.call({ method: 'GET', url: `/api/v1/households/${h.id}/pii` })).json().members.map((m: { idNumber: string }) => m.idNumber)))).flat()
  return { ids, idNumbers }
}

const search = async (app: FastifyInstance, query: string) => (await app.inject({ method: 'GET', url: `/api/v1/public/wishes?${query}` })).json()
const items = (result: { hits: Array<{ item: string }> }) => result.hits.map(h => h.item).sort()

t.test('Chinese search, synonyms, categories, facets, filters, sorting, paging', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const { ids } = await seed(app, clerk)
  const synced = await syncSearchIndex(app.db, app.meili, app.config.searchPrefix)
  t.equal(synced.upserted, 5)

  const bags = await search(app, `q=${encodeURIComponent('书包')}`)
  t.equal(bags.source, 'search')
  t.same(items(bags), ['书包', '双肩包'], '书包 finds 双肩包 through the synonyms, not the lamp')
  t.same(items(await search(app, `q=${encodeURIComponent('学习用品')}`)), ['LED台灯', '书包', '双肩包'], 'a category name finds its wishes')
  t.same(items(await search(app, `q=${encodeURIComponent('台灯')}`)), ['LED台灯'])
  t.same(items(await search(app, `q=${encodeURIComponent('羽绒服')}`)), ['冬季羽绒服'], 'a word inside a longer item')
  t.same(items(await search(app, 'q=Phillips')), ['LED台灯'], 'a misspelt brand still finds the lamp (typo tolerance)')
  t.same(items(await search(app, 'q=Xylophone')), [], 'an unrelated word finds nothing')

  const all = await search(app, 'hitsPerPage=50')
  t.equal(all.totalHits, 5)
  // Every family is alone in its class (sex and band differ), so each shows the town and the wide band.
  t.same(all.facets, {
    town: { 南浔镇: 5 },
    category: { school_supplies: 3, rehab_aids: 1, clothing: 1 },
    valueRange: { '0-99': 1, '100-299': 2, '300-499': 1, '500-999': 1 },
    ageBand: { '0-17岁': 3, '60岁以上': 2 }
  })
  t.same(items(await search(app, `ageBand=${encodeURIComponent('60岁以上')}`)), ['冬季羽绒服', '轮椅'], 'the age band filter')
  t.same(items(await search(app, `ageBand=${encodeURIComponent('6-11岁')}`)), [], 'a band nobody shows')
  t.same(items(await search(app, 'category=school_supplies&maxValue=150')), ['LED台灯', '书包'])
  t.same(items(await search(app, 'minValue=100&maxValue=180')), ['书包', '双肩包'], 'both bounds, inclusive')
  t.same(items(await search(app, 'maxValue=90')), ['LED台灯'], 'the upper bound includes its value')
  t.same(items(await search(app, 'minValue=900')), ['轮椅'], 'and so does the lower')
  t.same(items(await search(app, 'valueRange=500-999')), ['轮椅'])
  t.same((await search(app, 'sort=urgency&hitsPerPage=2')).hits.map((h: { item: string }) => h.item), ['双肩包', '书包'], 'the nearest need first')
  const page2 = await search(app, 'sort=newest&hitsPerPage=2&page=2')
  t.match(page2, { page: 2, hitsPerPage: 2, totalHits: 5, totalPages: 3 })
  t.same(page2.hits.map((h: { id: number }) => h.id), [ids[2], ids[1]], 'newest first, second page')

  const bad = await app.inject({ method: 'GET', url: '/api/v1/public/wishes?hitsPerPage=500&sort=cheapest' })
  t.equal(bad.statusCode, 400)
  t.same(bad.json().error.details.map((d: { field: string }) => d.field).sort(), ['querystring.hitsPerPage', 'querystring.sort'])
})

t.test('facet counts are reused for the same words and filters while they are fresh; the hits never are', async t => {
  const app = await appWithAccounts(t, { FACET_CACHE_SECONDS: '3' })
  // The counts' lifetime runs on the application's clock, held still here however slow the machine.
  let at = Date.now()
  setClock(() => at)
  t.teardown(() => setClock())
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  await seed(app, clerk)
  await syncSearchIndex(app.db, app.meili, app.config.searchPrefix)
  // A third 书包, published but not yet in the index: only a sync stands between the first
  // search and the next, well inside the counts' lifetime however slow the machine.
  const household = await registerHousehold(clerk, [{ name: '周志强', birthDate: '1979-02-02', sex: 'male' }, { name: '周欣怡', birthDate: '2015-03-03', sex: 'female', schoolStage: 'primary' }])
  await publishedWish(clerk, household.personIds[1] as number, { item: '书包', category: 'school_supplies', value: 150, story: '开学要用的新书包。' })
  const bags = `q=${encodeURIComponent('书包')}`
  const first = await search(app, bags)
  t.same([first.totalHits, first.facets.category], [2, { school_supplies: 2 }])
  t.equal((await syncSearchIndex(app.db, app.meili, app.config.searchPrefix)).upserted, 1)

  const resorted = await search(app, `${bags}&sort=urgency&hitsPerPage=2&page=2`)
  t.same([resorted.totalHits, resorted.hits.length], [3, 1], 'the hits include the new wish at once')
  t.same(resorted.facets.category, { school_supplies: 2 }, 'another sort and page of the same words: the counts of a moment ago')
  t.same((await search(app, `${bags}&category=school_supplies`)).facets.category, { school_supplies: 3 }, 'other filters: counted afresh')
  at += 2999
  t.same((await search(app, bags)).facets.category, { school_supplies: 2 }, 'a millisecond before FACET_CACHE_SECONDS: still the counts of then')
  at += 1
  t.same((await search(app, bags)).facets.category, { school_supplies: 3 }, 'after FACET_CACHE_SECONDS: counted afresh')
})

t.test('no personal field or value in any public document or donor response', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const { ids, idNumbers } = await seed(app, clerk)
  t.equal(idNumbers.length, 8, 'the scan knows every ID number')
  const coarsened = await app.db.selectFrom('wishes').select('coarsened').orderBy('id').execute()
  t.ok(coarsened.every(w => w.coarsened.includes('village→town')), 'every wish shows only the town')
  const secrets = [...SECRETS, ...idNumbers, VILLAGE, '东大街社区']
  const charity = await signIn(app, 'cszh')
  const project = (await charity.call({ method: 'POST', url: '/api/v1/projects', payload: { kind: 'wish', title: '冬季暖心行动', description: '为困难老人和孩子实现冬季小心愿。', budget: 5000, unitCost: 300, capacity: 10, eligibility: { regionCodes: ['330503'] } } })).json()
  await charity.call({ method: 'POST', url: `/api/v1/projects/${project.id}/open` })
  await syncIndex(app)

  // Every field of every document in both indexes.
  const wishDocuments = await app.meili.index(indexUid(app.config.searchPrefix, 'wishes')).getDocuments({ limit: 1000 })
  t.equal(wishDocuments.results.length, 5)
  for (const document of wishDocuments.results) scanDocument(t, `wish document ${String(document.id)}`, document, WISH_FIELDS, secrets)
  const projectDocuments = await app.meili.index(indexUid(app.config.searchPrefix, 'projects')).getDocuments({ limit: 1000 })
  t.equal(projectDocuments.results.length, 1)
  scanDocument(t, 'project document', projectDocuments.results[0] as Record<string, unknown>, PROJECT_FIELDS, secrets)

  // Every public and donor-facing response, document by document.
  const found = await search(app, 'hitsPerPage=50')
  t.same(Object.keys(found).sort(), ['facets', 'hits', 'hitsPerPage', 'page', 'source', 'totalHits', 'totalPages'])
  for (const hit of found.hits) scanDocument(t, `search hit ${hit.id}`, hit, WISH_FIELDS, secrets)
  scan(t, 'search facets', found.facets, secrets)
  const fallback = await searchDatabase(app.db, { sort: 'newest', page: 1, hitsPerPage: 50 })
  t.equal(fallback.hits.length, 5)
  for (const hit of fallback.hits) scanDocument(t, `database fallback hit ${hit.id}`, hit as unknown as Record<string, unknown>, WISH_FIELDS, secrets)
  for (const id of ids) scanDocument(t, `public wish ${id}`, (await app.inject({ method: 'GET', url: `/api/v1/public/wishes/${id}` })).json(), WISH_FIELDS, secrets)
  const projects = (await app.inject({ method: 'GET', url: '/api/v1/public/projects' })).json()
  t.same(projects.hits.map((p: { id: number }) => p.id), [project.id])
  for (const hit of projects.hits) scanDocument(t, 'public project', hit, PROJECT_FIELDS, secrets)

  const donor = await signIn(app, 'donor-person')
  const recommended = (await donor.call({ method: 'GET', url: '/api/v1/donors/me/recommendations' })).json()
  t.equal(recommended.length, 5)
  for (const r of recommended) {
    t.same(Object.keys(r).sort(), ['factors', 'score', 'wish'])
    scanDocument(t, `recommended ${r.wish.id}`, r.wish, WISH_FIELDS, secrets)
    scan(t, `recommendation factors ${r.wish.id}`, r.factors, secrets)
  }
  const claimFields = [...Object.keys(ClaimSchema.properties)]
  const claimed = (await donor.call({ method: 'POST', url: `/api/v1/wishes/${ids[0]}/claim` })).json()
  for (const [label, claim] of [['a claim', claimed], ['the claim read back', (await donor.call({ method: 'GET', url: `/api/v1/claims/${claimed.id}` })).json()], ...(await donor.call({ method: 'GET', url: '/api/v1/claims' })).json().map((c: unknown) => ['my claims', c])]) {
    scanDocument(t, label, claim, claimFields, secrets)
    scanDocument(t, `${label}: its wish`, claim.wish, WISH_FIELDS, secrets)
  }
  await syncIndex(app)
  t.same(items(await search(app, `q=${encodeURIComponent('书包')}`)), ['双肩包'], 'a claimed wish leaves the index')
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/public/wishes/${ids[0]}` })).statusCode, 404, 'and the public page')
  await sql`UPDATE claims SET due_on = current_date - 1 WHERE id = ${claimed.id}`.execute(app.db)
  t.same(await expireClaims(app.db, today()), [claimed.id])
  const messages = (await donor.call({ method: 'GET', url: '/api/v1/donors/me/messages' })).json()
  t.equal(messages.length, 1)
  scanDocument(t, 'a message', messages[0], ['id', 'kind', 'claimId', 'sender', 'body', 'createdAt', 'read'], secrets)
  t.match(messages[0].body, /LED台灯|书包|双肩包|轮椅|羽绒服/, 'the message names the wish (so the scan read a real body)')

  await syncIndex(app)
  t.same(items(await search(app, `q=${encodeURIComponent('书包')}`)), ['书包', '双肩包'], 'the lapsed wish is back in the index')
})

t.test('consent shows the category; recommendations follow the donor\'s preferences', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const household = await registerHousehold(clerk, [{ name: '郑秀兰', birthDate: '1952-02-02', sex: 'female' }])
  const consenting = await publishedWish(clerk, household.personIds[0] as number, { category: 'appliances', item: '电饭煲', value: 260, showCategory: true })
  t.same(consenting.publicView.householdCategory, { code: 'dibao', name: '最低生活保障对象' })
  const other = await registerHousehold(clerk, [{ name: '冯强', birthDate: '2015-02-02', sex: 'male', schoolStage: 'primary' }])
  const bag = await publishedWish(clerk, other.personIds[0] as number, { item: '书包', value: 100 })
  const donor = await signIn(app, 'donor-person')
  const set = await donor.call({ method: 'PATCH', url: '/api/v1/donors/me', payload: { preferences: { regionCodes: ['330503101'], kinds: ['wish'], wishCategories: ['school_supplies'], minValue: 50, maxValue: 200 } } })
  t.equal(set.statusCode, 200, set.body)
  const recommended = (await donor.call({ method: 'GET', url: '/api/v1/donors/me/recommendations' })).json()
  t.same(recommended.map((r: { wish: { id: number } }) => r.wish.id), [bag.id, consenting.id], 'the school bag fits every preference')
  t.match(recommended[0].factors.find((f: { factor: string }) => f.factor === 'region'), { value: '330503101', normalised: 1 }, 'the region factor shows the town donors see, never the village')
  const backwards = await donor.call({ method: 'PATCH', url: '/api/v1/donors/me', payload: { preferences: { regionCodes: [], kinds: [], wishCategories: [], minValue: 500, maxValue: 100 } } })
  t.equal(backwards.statusCode, 400)
})

t.test('writes go on while Meilisearch is down; search falls back; the index catches up', async t => {
  const meili = await ownService(t, (dir, port) => startMeilisearch({ dir, port }))
  const app = await appWithAccounts(t, { MEILI_URL: meili.running.url, MEILI_MASTER_KEY: meili.running.masterKey })
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const first = await registerHousehold(clerk, [{ name: '蒋文', birthDate: '2014-01-01', sex: 'male', schoolStage: 'junior' }])
  await publishedWish(clerk, first.personIds[0] as number, { item: '书包', value: 150 })
  await syncIndex(app)
  t.equal((await search(app, `q=${encodeURIComponent('书包')}`)).totalHits, 1)

  // The worker's own processors on this test's queues: the sync and the reindex go through bull.
  startWorker(app)
  await meili.running.stop()
  const second = await registerHousehold(clerk, [{ name: '沈雪', birthDate: '2015-01-01', sex: 'female', schoolStage: 'primary' }])
  const written = await publishedWish(clerk, second.personIds[0] as number, { item: '双肩包', value: 160 })
  t.ok(written.id, 'publishing succeeds with the index away')
  await t.rejects((await app.queues.search.add('sync', {})).finished(), 'the sync job fails')
  const pending = await app.db.selectFrom('search_outbox').select(['document_id', 'lease']).execute()
  t.same(pending, [{ document_id: written.id, lease: null }], 'and keeps its row, unclaimed for the next run')
  const fallback = await search(app, `q=${encodeURIComponent('双肩包')}`)
  t.same(fallback, { source: 'database', notice: FALLBACK_NOTICE, page: 1, hitsPerPage: 20, totalHits: 1, totalPages: 1, hits: [written.publicView], facets: {} }, 'donors still find it')

  await meili.start()
  t.equal(await (await app.queues.search.add('sync', {})).finished(), 1, 'the next sync job catches up')
  t.equal((await app.db.selectFrom('search_outbox').select('id').execute()).length, 0)
  const query = { q: '书包', sort: 'relevance', page: 1, hitsPerPage: 20 } as const
  t.same(items(await searchIndex(app.meili, app.config.searchPrefix, query, app.facetCache)), ['书包', '双肩包'], 'the missed wish is in the index')
  t.equal((await search(app, `q=${encodeURIComponent('书包')}`)).source, 'database', 'donor search leaves Meilisearch alone for its cool-down after the failure')
  t.match(await checkConsistency(app.db, app.meili, app.config.searchPrefix, 'wishes'), { database: 2, indexed: 2, missing: [], stale: [], different: [], consistent: true })
})

t.test('the consistency check finds what is missing or stale; repair and rebuild fix it', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const ids: number[] = []
  for (const [i, name] of ['何一', '何二', '何三'].entries()) {
    const household = await registerHousehold(clerk, [{ name, birthDate: `196${i}-01-01`, sex: 'male' }])
    ids.push((await publishedWish(clerk, household.personIds[0] as number, { category: 'daily_goods', item: '米面油', value: 200 })).id)
  }
  await app.meili.deleteIndex(indexUid(app.config.searchPrefix, 'wishes')).waitTask()
  const unbuilt = await checkConsistency(app.db, app.meili, app.config.searchPrefix, 'wishes', 10)
  t.match(unbuilt, { database: 3, indexed: 0, stale: [], different: [], consistent: false }, 'an index not created yet holds nothing: a finding, not an error')
  t.same([...unbuilt.missing].sort((a, b) => a - b), ids, 'every member is missing from it')
  await syncIndex(app)
  const index = app.meili.index(indexUid(app.config.searchPrefix, 'wishes'))
  await index.deleteDocument(ids[0] as number).waitTask()
  await app.db.updateTable('wishes').set({ state: 'withdrawn', reason: '测试：绕过出件箱' }).where('id', '=', ids[1] as number).execute()
  const broken = await checkConsistency(app.db, app.meili, app.config.searchPrefix, 'wishes', 10)
  t.match(broken, { database: 2, indexed: 2, missing: [ids[0]], stale: [ids[1]], consistent: false })

  const admin = await signIn(app, 'admin')
  const auditor = await signIn(app, 'auditor')
  const checked = await auditor.call({ method: 'GET', url: '/api/v1/search/consistency/wishes?sample=10' })
  t.match(checked.json(), { missing: [ids[0]], stale: [ids[1]], consistent: false }, 'auditors check')
  const byGet = await admin.call({ method: 'GET', url: '/api/v1/search/consistency/wishes?repair=true' })
  t.equal(byGet.statusCode, 400, 'a GET never repairs (a cross-site link could trigger it)')
  t.same(byGet.json().error.details.map((d: { field: string }) => d.field), ['querystring.repair'])
  t.same(await app.db.selectFrom('search_outbox').select('id').execute(), [], 'checking queued nothing')
  t.equal((await auditor.call({ method: 'POST', url: '/api/v1/search/consistency/wishes/repair?sample=10' })).statusCode, 403, 'auditors never repair')
  t.equal((await admin.call({ method: 'POST', url: '/api/v1/search/consistency/wishes/repair?sample=10', csrf: false })).statusCode, 403, 'a repair needs the CSRF token')
  const repaired = await admin.call({ method: 'POST', url: '/api/v1/search/consistency/wishes/repair?sample=10' })
  t.equal(repaired.statusCode, 200)
  t.same(repaired.json().queued, [ids[0], ids[1]])
  const trail = await app.db.selectFrom('audit_records').select(['action', 'record_id', 'details']).where('action', '=', 'search.repair').execute()
  t.match(trail, [{ action: 'search.repair', record_id: 'wishes', details: { missing: [ids[0]], stale: [ids[1]], different: [] } }])
  await syncIndex(app)
  t.match(await checkConsistency(app.db, app.meili, app.config.searchPrefix, 'wishes', 10), { database: 2, indexed: 2, missing: [], stale: [], consistent: true })

  await index.deleteAllDocuments().waitTask()
  startWorker(app)
  t.equal((await auditor.call({ method: 'POST', url: '/api/v1/search/reindex', payload: { index: 'wishes' } })).statusCode, 403, 'auditors do not rebuild')
  const unknown = await admin.call({ method: 'POST', url: '/api/v1/search/reindex', payload: { index: 'households' } })
  t.equal(unknown.statusCode, 400, 'households are never indexed')
  t.same(unknown.json().error.details.map((d: { field: string }) => d.field), ['body.index'])
  const started = await admin.call({ method: 'POST', url: '/api/v1/search/reindex', payload: { index: 'wishes' } })
  t.equal(started.statusCode, 202)
  const job = await app.queues.search.getJob(started.json().jobId)
  t.equal(await job?.finished(), 2, 'the reindex job rebuilt both published wishes')
  t.same((await app.queues.search.getJob(started.json().jobId))?.progress(), { documents: 2 })
  t.match(await app.db.selectFrom('audit_records').select(['record_id', 'details']).where('action', '=', 'search.reindex').execute(), [{ record_id: 'wishes', details: { jobId: started.json().jobId } }])
  t.match(await checkConsistency(app.db, app.meili, app.config.searchPrefix, 'wishes', 10), { database: 2, indexed: 2, consistent: true })
  const status = (await admin.call({ method: 'GET', url: '/api/v1/search/status' })).json()
  t.match(status.indexes, [{ index: 'wishes', available: true, documents: 2, pending: 0 }, { index: 'projects', available: false }])
})
