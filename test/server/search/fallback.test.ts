// Donor search when Meilisearch does not answer: one timeout, then every search falls back at
// once (wishes and projects); and the PostgreSQL fallback looks only at a bounded window of
// wishes in the order asked.
import t from 'tap'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { holdingProxy } from '../../helpers/meili-proxy.js'
import { publishedWish, registerHousehold } from '../../helpers/needs.js'
import { FALLBACK_NOTICE, searchDatabase } from '../../../server/search/wish-search.js'

t.test('a hung Meilisearch costs one timeout; the searches after it fall back at once', async t => {
  const proxy = await holdingProxy(t, process.env.MEILI_URL as string)
  const app = await appWithAccounts(t, { MEILI_URL: proxy.url })
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const wish = await publishedWish(clerk, (await registerHousehold(clerk, [{ name: '孔一', birthDate: '1950-01-01', sex: 'male' }])).personIds[0] as number, { category: 'clothing', item: '棉衣' })
  proxy.hold(/\/search/)
  t.teardown(() => proxy.release())
  const timed = async (url: string) => {
    const started = Date.now()
    const response = await app.inject({ method: 'GET', url })
    return { response, ms: Date.now() - started }
  }
  const first = await timed('/api/v1/public/wishes')
  t.equal(first.response.json().source, 'database')
  t.ok(first.ms >= 2900, `the first search waited for the client's timeout (${first.ms} ms)`)
  for (const url of ['/api/v1/public/wishes?q=%E6%A3%89%E8%A1%A3', '/api/v1/public/projects', '/wishes']) {
    const next = await timed(url)
    t.equal(next.response.statusCode, 200)
    t.ok(next.ms < 1000, `${url} fell back at once (${next.ms} ms)`)
  }
  const again = (await timed('/api/v1/public/wishes')).response.json()
  t.same(again.hits.map((h: { id: number }) => h.id), [wish.id])
  t.equal(again.notice, FALLBACK_NOTICE)
})

t.test('the fallback looks only at the first window of wishes in the order asked', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const ids: number[] = []
  for (const [i, item] of ['轮椅', '棉被', '台灯'].entries()) {
    ids.push((await publishedWish(clerk, (await registerHousehold(clerk, [{ name: `曹${i}`, birthDate: '1950-01-01', sex: 'male' }])).personIds[0] as number, { category: 'daily_goods', item, neededBy: `2027-0${3 - i}-01` })).id)
  }
  const ask = (q: Partial<Parameters<typeof searchDatabase>[1]>, window?: number) => searchDatabase(app.db, { sort: 'newest', page: 1, hitsPerPage: 20, ...q }, window)
  t.same((await ask({})).hits.map(h => h.id), [ids[2], ids[1], ids[0]], 'newest first')
  t.same((await ask({ sort: 'urgency' })).hits.map(h => h.id), [ids[2], ids[1], ids[0]], 'the nearest need first')
  const windowed = await ask({}, 2)
  t.same([windowed.totalHits, windowed.totalPages, windowed.hits.map(h => h.id)], [2, 1, [ids[2], ids[1]]], 'a window of two newest')
  t.same((await ask({ q: '轮椅' }, 2)).hits, [], 'the oldest wish is past the window: not found in degraded mode')
  t.same((await ask({ q: '轮椅' })).hits.map(h => h.id), [ids[0]], 'found within the default window')
  t.same((await ask({ q: '轮椅', sort: 'urgency' }, 2)).hits, [], 'the window follows the order asked')
  t.same((await ask({ q: '台灯', sort: 'urgency' }, 1)).hits.map(h => h.id), [ids[2]])
  t.same((await ask({ page: 2, hitsPerPage: 2 })).totalHits, 3, 'a page past the last match still counts them')
  t.same((await ask({ page: 3, hitsPerPage: 2 })), { source: 'database', notice: FALLBACK_NOTICE, page: 3, hitsPerPage: 2, totalHits: 3, totalPages: 2, hits: [], facets: {} })
})
