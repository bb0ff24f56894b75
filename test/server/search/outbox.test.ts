// The outbox sync against the real services: it holds no transaction or lock while it waits
// for Meilisearch, writes go on meanwhile, a second sync leaves the claimed batch alone (and
// takes what came later), rows go only once Meilisearch applied them, the next batch is sent
// while Meilisearch applies one, a failure gives back every batch not yet applied, and a dead
// sync's lease runs out.
import t from 'tap'
import { sql } from 'kysely'
import { Meilisearch } from 'meilisearch'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { holdingProxy } from '../../helpers/meili-proxy.js'
import { publishedWish, registerHousehold } from '../../helpers/needs.js'
import { indexUid } from '../../../server/search/indexes.js'
import { syncSearchIndex } from '../../../server/search/outbox.js'

t.test('no transaction while Meilisearch applies a batch; a second sync takes only what is not claimed', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const first = await publishedWish(clerk, (await registerHousehold(clerk, [{ name: '宋一', birthDate: '1950-01-01', sex: 'male' }])).personIds[0] as number)
  const proxy = await holdingProxy(t, app.config.meiliUrl)
  const slowMeili = new Meilisearch({ host: proxy.url, apiKey: app.config.meiliMasterKey })
  await syncSearchIndex(app.db, slowMeili, app.config.searchPrefix) // prepares the index through the proxy

  await app.db.insertInto('search_outbox').values({ index_name: 'wishes', document_id: first.id }).execute()
  proxy.hold(/^\/tasks\/\d+/)
  const slow = syncSearchIndex(app.db, slowMeili, app.config.searchPrefix)
  await proxy.held()

  const open = await sql<{ count: number }>`SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`.execute(app.db)
  t.equal(open.rows[0]?.count, 0, 'no transaction is open while the sync waits')
  const locks = await sql<{ count: number }>`SELECT count(*)::int AS count FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'search_outbox' AND l.pid <> pg_backend_pid()`.execute(app.db)
  t.equal(locks.rows[0]?.count, 0, 'and no lock on the outbox')
  const claimed = await app.db.selectFrom('search_outbox').select(['document_id', 'lease', 'leased_until']).execute()
  t.equal(claimed.length, 1)
  t.match(claimed[0], { document_id: first.id, lease: /^[0-9a-f-]{36}$/, leased_until: Date }, 'the batch is claimed by a lease instead')

  const second = await publishedWish(clerk, (await registerHousehold(clerk, [{ name: '宋二', birthDate: '1951-01-01', sex: 'female' }])).personIds[0] as number)
  await app.db.insertInto('search_outbox').values({ index_name: 'wishes', document_id: first.id }).execute()
  const meanwhile = await syncSearchIndex(app.db, app.meili, app.config.searchPrefix)
  t.same(meanwhile, { rows: 1, upserted: 1, deleted: 0 }, 'writes went on; another sync takes the new wish, not the claimed batch nor a newer row of its document')
  t.same((await app.db.selectFrom('search_outbox').select('document_id').orderBy('id').execute()).map(r => r.document_id), [first.id, first.id])

  proxy.release()
  t.same(await slow, { rows: 1, upserted: 1, deleted: 0 }, 'the held sync finishes its own batch')
  t.same((await app.db.selectFrom('search_outbox').select(['document_id', 'lease']).execute()), [{ document_id: first.id, lease: null }], 'removing only its own rows')
  t.same(await syncSearchIndex(app.db, app.meili, app.config.searchPrefix), { rows: 1, upserted: 1, deleted: 0 })
  const indexed = await app.meili.index(indexUid(app.config.searchPrefix, 'wishes')).getDocuments<{ id: number }>({ fields: ['id'] })
  t.same(indexed.results.map(d => d.id).sort((a, b) => a - b), [first.id, second.id])
})

/** Three published wishes, the index prepared through a holding proxy, and the outbox holding the three again. */
async function threeQueued (t: { teardown: (fn: () => unknown) => void }) {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const ids: number[] = []
  for (const name of ['罗一', '罗二', '罗三']) ids.push((await publishedWish(clerk, (await registerHousehold(clerk, [{ name, birthDate: '1950-01-01', sex: 'male' }])).personIds[0] as number)).id)
  const proxy = await holdingProxy(t, app.config.meiliUrl)
  const meili = new Meilisearch({ host: proxy.url, apiKey: app.config.meiliMasterKey })
  await syncSearchIndex(app.db, meili, app.config.searchPrefix)
  await app.db.insertInto('search_outbox').values(ids.map(id => ({ index_name: 'wishes' as const, document_id: id }))).execute()
  const outbox = () => app.db.selectFrom('search_outbox').select(['document_id', 'lease']).orderBy('id').execute()
  return { app, ids, proxy, meili, outbox }
}

t.test('while Meilisearch applies one batch, the next is already claimed and sent', async t => {
  const { app, ids, proxy, meili, outbox } = await threeQueued(t)
  const uid = indexUid(app.config.searchPrefix, 'wishes')
  const additions = async () => (await app.meili.tasks.getTasks({ indexUids: [uid], types: ['documentAdditionOrUpdate'] })).total
  const before = await additions()
  proxy.hold(/^\/tasks\/\d+/)
  const sync = syncSearchIndex(app.db, meili, app.config.searchPrefix, 1)
  await proxy.held()
  const rows = await outbox()
  t.same(rows.map(r => r.document_id), ids)
  t.ok(rows[0]?.lease && rows[1]?.lease && rows[0].lease !== rows[1].lease, 'the first two batches are claimed, each under its own lease')
  t.equal(rows[2]?.lease, null, 'the third waits until the first is applied')
  t.equal(await additions(), before + 2, 'both claimed batches are already with Meilisearch')
  proxy.release()
  t.same(await sync, { rows: 3, upserted: 3, deleted: 0 })
  t.same(await outbox(), [])
})

t.test('a batch Meilisearch fails to apply gives back itself and the batch sent after it', async t => {
  const { app, ids, proxy, meili, outbox } = await threeQueued(t)
  proxy.hold(/^\/tasks\/\d+/)
  const sync = syncSearchIndex(app.db, meili, app.config.searchPrefix, 1)
  await proxy.held()
  t.same((await outbox()).map(r => r.lease !== null), [true, true, false], 'the first batch is being applied, the second already sent')
  proxy.fail()
  await t.rejects(sync)
  t.same(await outbox(), ids.map(id => ({ document_id: id, lease: null })), 'every row is there, none claimed')
  t.same(await syncSearchIndex(app.db, app.meili, app.config.searchPrefix, 1), { rows: 3, upserted: 3, deleted: 0 }, 'the next run takes them all')
})

t.test('a failed push gives its batch back at once; a dead sync\'s lease runs out', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const wish = await publishedWish(clerk, (await registerHousehold(clerk, [{ name: '韩一', birthDate: '1950-01-01', sex: 'male' }])).personIds[0] as number)
  const nowhere = new Meilisearch({ host: 'http://127.0.0.1:9', apiKey: app.config.meiliMasterKey })
  await t.rejects(syncSearchIndex(app.db, nowhere, app.config.searchPrefix))
  t.same(await app.db.selectFrom('search_outbox').select(['document_id', 'lease', 'leased_until']).execute(), [{ document_id: wish.id, lease: null, leased_until: null }])

  await sql`UPDATE search_outbox SET lease = gen_random_uuid(), leased_until = now() + interval '1 minute'`.execute(app.db)
  t.same(await syncSearchIndex(app.db, app.meili, app.config.searchPrefix), { rows: 0, upserted: 0, deleted: 0 }, 'a live lease is left alone')
  await sql`UPDATE search_outbox SET leased_until = now() - interval '1 second'`.execute(app.db)
  t.same(await syncSearchIndex(app.db, app.meili, app.config.searchPrefix), { rows: 1, upserted: 1, deleted: 0 }, 'a lapsed one is taken over')
  t.same(await app.db.selectFrom('search_outbox').select('id').execute(), [])
})
