// Paging agrees with what Meilisearch can reach (maxTotalHits): every page the limits allow has
// its hits, and a page beyond the first 5,000 is refused with a clear 400 — on the API, on the
// wish page, and in the PostgreSQL fallback's count.
import t from 'tap'
import { sql } from 'kysely'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { registerHousehold, syncIndex, VILLAGE } from '../../helpers/needs.js'
import { MAX_TOTAL_HITS } from '../../../server/search/indexes.js'
import { searchDatabase } from '../../../server/search/wish-search.js'

t.test('5,001 published wishes: the last reachable page has its hits, the next is refused', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const household = await registerHousehold(clerk, [{ name: '鲁一', birthDate: '1950-01-01', sex: 'male' }])
  // Published wishes written straight into the table (the rule of one open wish per kind is the API's),
  // each with a complete de-identified document, then indexed through the outbox as usual.
  await sql`
    INSERT INTO wishes (person_id, household_id, region_code, category, item, value, state, published_at, public_view)
    SELECT ${household.personIds[0]}, ${household.id}, ${VILLAGE}, 'daily_goods', '米面油', 100, 'published', now() - i * interval '1 minute', '{}'
    FROM generate_series(1, ${MAX_TOTAL_HITS + 1}) i`.execute(app.db)
  await sql`
    UPDATE wishes SET public_view = jsonb_build_object('id', id, 'title', '鲁爷爷', 'sex', 'male', 'ageBand', '60岁以上', 'town', '南浔镇', 'townCode', '330503101',
      'village', null, 'villageCode', null, 'category', 'daily_goods', 'categoryName', '生活用品', 'item', '米面油', 'value', 100, 'valueRange', '100-299',
      'story', '', 'publishedAt', published_at, 'publishedTs', (extract(epoch FROM published_at) * 1000)::bigint, 'neededBy', null)`.execute(app.db)
  await sql`INSERT INTO search_outbox (index_name, document_id) SELECT 'wishes', id FROM wishes`.execute(app.db)
  await syncIndex(app)

  const page = async (query: string) => app.inject({ method: 'GET', url: `/api/v1/public/wishes?${query}` })
  for (const [hitsPerPage, last, onLast] of [[50, 100, 50], [20, 250, 20], [30, 167, 20], [45, 112, 5]] as const) {
    const reached = await page(`hitsPerPage=${hitsPerPage}&page=${last}`)
    t.equal(reached.statusCode, 200, `${hitsPerPage} a page: page ${last} is reachable`)
    t.match(reached.json(), { source: 'search', totalHits: MAX_TOTAL_HITS, totalPages: last })
    t.equal(reached.json().hits.length, onLast, `and has its ${onLast} hits`)
    if (last < 250) {
      const beyond = await page(`hitsPerPage=${hitsPerPage}&page=${last + 1}`)
      t.equal(beyond.statusCode, 400, `page ${last + 1} is refused`)
      t.match(beyond.json().error, { code: 'validation_failed', details: [{ field: 'querystring.page', code: 'beyond_reach', lastPage: last, message: new RegExp(`最多可浏览前 5000 个结果，每页 ${hitsPerPage} 个时最多 ${last} 页`) }] })
    }
  }
  t.same((await page('page=251')).json().error.details.map((d: { field: string }) => d.field), ['querystring.page'], 'beyond the schema\'s own limit too')
  const projects = await app.inject({ method: 'GET', url: '/api/v1/public/projects?hitsPerPage=50&page=101' })
  t.equal(projects.statusCode, 400, 'projects page the same way')
  const web = await app.inject({ method: 'GET', url: '/wishes?hitsPerPage=50&page=101' })
  t.equal(web.statusCode, 200, 'the wish page still answers')
  t.match(web.body, /查询条件有误/)
  t.match(web.body, /最多可浏览前 5000 个结果/)

  const fallback = await searchDatabase(app.db, { sort: 'newest', page: 100, hitsPerPage: 50 })
  t.same([fallback.totalHits, fallback.totalPages, fallback.hits.length], [MAX_TOTAL_HITS, 100, 50], 'the fallback counts to the same limit and reaches the same last page')
})
