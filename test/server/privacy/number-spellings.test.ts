// Phone and ID numbers typed the way Chinese input methods and careless clerks type them —
// full-width, mixed, in Chinese digits, split by spaces and dashes — never reach what the
// public sees: the stored document, the public API, the search index (Meilisearch, and the
// PostgreSQL fallback), the pages. Publishing tells the clerk what was taken out.
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { testApp } from '../../helpers/services.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { registerHousehold, syncIndex } from '../../helpers/needs.js'

const PHONE = '13805721234'
const ID_NUMBER = '33050319800501123X'
/** Each number as the clerk typed it into the wish. */
const TYPED = {
  fullWidthPhone: '１３８０５７２１２３４',
  mixedId: '３３０５０3１９８００５０1１２３Ｘ',
  spacedPhone: '138 0572 1234',
  dashedPhone: '１３８－０５７２－１２３４',
  chinesePhone: '一三八〇五七二一二三四',
  plusPhone: '＋８６ １３８ ０５７２ １２３４'
}
const STORY = `孩子的书包坏了。妈妈电话${TYPED.fullWidthPhone}，也可打${TYPED.spacedPhone}或${TYPED.dashedPhone}，` +
  `奶奶说是${TYPED.chinesePhone}，外地拨${TYPED.plusPhone}。家长身份证${TYPED.mixedId}。`

/** The text with every spelling read as plain digits, separators left out: what a reader could reassemble. */
const digitsOf = (text: string) => text.normalize('NFKC')
  .replace(/[〇零一二三四五六七八九]/g, c => String('〇一二三四五六七八九'.indexOf(c === '零' ? '〇' : c)))
  .replace(/[\s\-－—_·]/g, '')

function leaks (text: string): string[] {
  const found = Object.entries(TYPED).filter(([, typed]) => text.includes(typed)).map(([name]) => name)
  const digits = digitsOf(text)
  if (digits.includes(PHONE)) found.push('the phone number, reassembled')
  if (digits.toUpperCase().includes(ID_NUMBER) || digits.includes(ID_NUMBER.slice(0, 17))) found.push('the ID number, reassembled')
  return found
}

async function publishTheWish (t: Test, app: FastifyInstance) {
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const family = await registerHousehold(clerk, [{ name: '郑大力', birthDate: '1985-02-02', sex: 'male' }, { name: '郑小雨', birthDate: '2016-04-04', sex: 'female', schoolStage: 'primary' }])
  const raised = await clerk.call({ method: 'POST', url: '/api/v1/wishes', payload: { personId: family.personIds[1], category: 'school_supplies', item: `书包（联系${TYPED.fullWidthPhone}）`, value: 150, story: STORY, submit: true } })
  t.equal(raised.statusCode, 201, raised.body)
  const id = raised.json().id as number
  t.equal((await clerk.call({ method: 'POST', url: `/api/v1/wishes/${id}/verify`, payload: { visitNote: '已入户核实，情况属实' } })).statusCode, 200)
  const published = await clerk.call({ method: 'POST', url: `/api/v1/wishes/${id}/publish` })
  t.equal(published.statusCode, 200, published.body)
  return { id, clerk, published: published.json() }
}

t.test('every spelling is taken out of the public document, and the clerk is told what was', async t => {
  const app = await appWithAccounts(t)
  const { id, clerk, published } = await publishTheWish(t, app)
  t.same(published.removed, [
    { field: 'item', kind: 'phone', text: TYPED.fullWidthPhone },
    { field: 'story', kind: 'phone', text: TYPED.fullWidthPhone },
    { field: 'story', kind: 'phone', text: TYPED.spacedPhone },
    { field: 'story', kind: 'phone', text: TYPED.dashedPhone },
    { field: 'story', kind: 'phone', text: TYPED.chinesePhone },
    { field: 'story', kind: 'phone', text: TYPED.plusPhone },
    { field: 'story', kind: 'id_number', text: TYPED.mixedId }
  ], 'each number, as typed, with its field and kind')
  t.equal(published.publicView.item, '书包（联系【已隐去】）')
  t.equal(published.publicView.story, '孩子的书包坏了。妈妈电话【已隐去】，也可打【已隐去】或【已隐去】，奶奶说是【已隐去】，外地拨【已隐去】。家长身份证【已隐去】。')
  t.equal((await clerk.call({ method: 'GET', url: `/api/v1/wishes/${id}` })).json().story, STORY, 'staff still see what they wrote')

  const stored = await app.db.selectFrom('wishes').select('public_view').where('id', '=', id).executeTakeFirstOrThrow()
  t.same(leaks(JSON.stringify(stored.public_view)), [], 'the stored document')
  const api = await app.inject({ method: 'GET', url: `/api/v1/public/wishes/${id}` })
  t.equal(api.statusCode, 200)
  t.same(leaks(api.body), [], 'the public API')
  const page = await app.inject({ method: 'GET', url: `/wishes/${id}` })
  t.equal(page.statusCode, 200)
  t.match(page.body, '孩子的书包坏了', 'the page shows the wish')
  t.same(leaks(page.body), [], 'the wish page')
})

t.test('no spelling of the numbers finds the wish, in Meilisearch or in the PostgreSQL fallback', async t => {
  const app = await appWithAccounts(t)
  const { id } = await publishTheWish(t, app)
  await syncIndex(app)
  const document = await app.meili.index(`${app.config.searchPrefix}wishes`).getDocument(id)
  t.same(leaks(JSON.stringify(document)), [], 'the indexed document')

  const hits = async (server: FastifyInstance, words: string) => {
    const answer = (await server.inject({ method: 'GET', url: `/api/v1/public/wishes?q=${encodeURIComponent(words)}` })).json()
    return { source: answer.source as string, ids: answer.hits.map((h: { id: number }) => h.id) as number[] }
  }
  const pageHits = async (server: FastifyInstance, words: string) => {
    const body = (await server.inject({ method: 'GET', url: `/wishes?q=${encodeURIComponent(words)}` })).body
    return body.includes(`/wishes/${id}"`)
  }
  // Without Meilisearch (nothing listens there), the same searches answer from PostgreSQL.
  const fallback = await testApp(t, { DATABASE_URL: app.config.databaseUrl, MEILI_URL: 'http://127.0.0.1:9' })
  for (const [server, source] of [[app, 'search'], [fallback, 'database']] as const) {
    t.same(await hits(server, '书包'), { source, ids: [id] }, `${source}: the wish is found by its words`)
    t.ok(await pageHits(server, '书包'), `${source}: and listed on the search page`)
    for (const words of [PHONE, '0572', '1234', ID_NUMBER, ID_NUMBER.slice(0, 6), ...Object.values(TYPED)]) {
      t.same(await hits(server, words), { source, ids: [] }, `${source}: ${words} finds nothing`)
      t.notOk(await pageHits(server, words), `${source}: nor does the search page`)
    }
  }
})
