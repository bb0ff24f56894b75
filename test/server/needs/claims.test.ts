// Claims against the real services: one winner among many parallel claims, a lapsed claim
// returns the wish and tells the donor, delivery needs proof, receipt is confirmed by the
// region's staff and the feedback job writes the help back exactly once, however often it runs.
import t from 'tap'
import { sql } from 'kysely'
import { appWithAccounts, signIn, type Session } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { donorAccount, PASSWORD, PNG, publishedWish, registerHousehold } from '../../helpers/needs.js'
import { expireClaims } from '../../../server/needs/claims.js'
import { completeWishFeedback } from '../../../server/needs/feedback.js'
import { today } from '../../../server/clock.js'
import { addDays } from '../../../matching/dates.js'
import { startWorker } from '../../helpers/worker.js'

async function setUp (t: { teardown: (fn: () => unknown) => void }) {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const family = await registerHousehold(clerk, [{ name: '陈大山', birthDate: '1978-02-02', sex: 'male' }, { name: '陈小雨', birthDate: '2015-06-01', sex: 'female', schoolStage: 'primary' }])
  const wish = await publishedWish(clerk, family.personIds[1] as number, { item: '台灯', value: 120, story: '陈小雨晚上写作业光线太暗。' })
  return { app, clerk, family, wish }
}

t.test('many donors claim at once: exactly one wins, the rest get a clear 409', async t => {
  const { app, wish } = await setUp(t)
  const donors: Session[] = []
  for (let i = 0; i < 12; i++) donors.push(await signIn(app, await donorAccount(app, `giver${i}`), PASSWORD))
  const responses = await Promise.all(donors.flatMap(donor => [0, 1].map(() => donor.call({ method: 'POST', url: `/api/v1/wishes/${wish.id}/claim` }))))
  const codes = responses.map(r => r.statusCode).sort()
  t.same(codes, [201, ...new Array(23).fill(409)], 'one success among 24 parallel claims')
  t.ok(responses.filter(r => r.statusCode === 409).every(r => r.json().error.code === 'wish_not_available'))
  const claims = await app.db.selectFrom('claims').select(['wish_id', 'state']).execute()
  t.same(claims, [{ wish_id: wish.id, state: 'active' }])
  const winner = responses.find(r => r.statusCode === 201)!.json()
  t.match(winner, { wishId: wish.id, state: 'active', dueOn: addDays(today(), 14), overdue: false, wish: { item: '台灯', title: '陈家孩子' } })
  t.equal((await app.db.selectFrom('wishes').select('state').where('id', '=', wish.id).executeTakeFirstOrThrow()).state, 'claimed')
})

t.test('a claim not delivered in time lapses: the wish is published again and the donor told', async t => {
  const { app, wish } = await setUp(t)
  const donor = await signIn(app, 'donor-person')
  const claim = (await donor.call({ method: 'POST', url: `/api/v1/wishes/${wish.id}/claim` })).json()
  t.same(await expireClaims(app.db, today()), [], 'not yet due')
  await sql`UPDATE claims SET due_on = current_date - 1 WHERE id = ${claim.id}`.execute(app.db)
  t.equal((await donor.call({ method: 'GET', url: `/api/v1/claims/${claim.id}` })).json().overdue, true)
  t.same(await expireClaims(app.db, today()), [claim.id])
  t.same(await expireClaims(app.db, today()), [], 'once')
  t.equal((await app.db.selectFrom('wishes').select('state').where('id', '=', wish.id).executeTakeFirstOrThrow()).state, 'published')
  t.equal((await donor.call({ method: 'GET', url: `/api/v1/claims/${claim.id}` })).json().state, 'expired')
  const messages = (await donor.call({ method: 'GET', url: '/api/v1/donors/me/messages' })).json()
  t.match(messages, [{ kind: 'claim_expired', claimId: claim.id, read: false }])
  t.match(messages[0].body, /台灯.*南浔镇 陈家孩子.*重新开放/)
  const outbox = await app.db.selectFrom('search_outbox').select('document_id').orderBy('id', 'desc').executeTakeFirstOrThrow()
  t.equal(outbox.document_id, wish.id, 'the index is told to show it again')
  const again = await (await signIn(app, 'donor-company')).call({ method: 'POST', url: `/api/v1/wishes/${wish.id}/claim` })
  t.equal(again.statusCode, 201, 'another donor can claim it now')
})

t.test('delivery with proof, receipt by the region, feedback exactly once', async t => {
  const { app, clerk, family, wish } = await setUp(t)
  const donor = await signIn(app, 'donor-person')
  const other = await signIn(app, 'donor-company')
  const claim = (await donor.call({ method: 'POST', url: `/api/v1/wishes/${wish.id}/claim` })).json()

  const noProof = await donor.call({ method: 'POST', url: `/api/v1/claims/${claim.id}/delivered`, payload: {} })
  t.equal(noProof.statusCode, 409)
  t.equal(noProof.json().error.code, 'evidence_required')
  t.equal((await other.call({ method: 'POST', url: `/api/v1/claims/${claim.id}/evidence`, payload: PNG, headers: { 'content-type': 'image/png' } })).statusCode, 404, 'not someone else\'s claim')
  const fake = await donor.call({ method: 'POST', url: `/api/v1/claims/${claim.id}/evidence`, payload: Buffer.from('not an image'), headers: { 'content-type': 'image/png' } })
  t.equal(fake.statusCode, 415, 'checked by content')
  t.equal((await donor.call({ method: 'POST', url: `/api/v1/claims/${claim.id}/evidence?fileName=送达.png`, payload: PNG, headers: { 'content-type': 'image/png' } })).statusCode, 201)
  t.equal((await clerk.call({ method: 'POST', url: `/api/v1/claims/${claim.id}/confirm`, payload: {} })).json().error.details[0].state, 'active', 'receipt only after delivery')
  const delivered = await donor.call({ method: 'POST', url: `/api/v1/claims/${claim.id}/delivered`, payload: { note: '已送到家中' } })
  t.equal(delivered.json().state, 'delivered')
  t.equal((await donor.call({ method: 'POST', url: `/api/v1/claims/${claim.id}/cancel`, payload: { reason: '改变主意' } })).statusCode, 409, 'too late to give it up')

  const otherTown = await (async () => {
    const admin = await signIn(app, 'admin')
    await admin.call({ method: 'POST', url: '/api/v1/users', payload: { username: 'mz-shuanglin', displayName: '双林镇干事', password: PASSWORD, roles: ['civil_affairs'], regionCode: '330503102' } })
    return signIn(app, 'mz-shuanglin', PASSWORD)
  })()
  t.equal((await otherTown.call({ method: 'POST', url: `/api/v1/claims/${claim.id}/confirm`, payload: {} })).statusCode, 404, 'another town cannot confirm')
  t.same((await otherTown.call({ method: 'GET', url: '/api/v1/claims' })).json(), [], 'nor list it')
  t.equal((await clerk.call({ method: 'POST', url: `/api/v1/claims/${claim.id}/confirm`, payload: {} })).json().state, 'confirmed')

  // The worker's processor, through the real queue, and then the same work repeated and raced.
  startWorker(app)
  const job = await app.queues.feedback.add({ claimId: claim.id })
  await job.finished()
  const raced = await Promise.all([completeWishFeedback(app.db, claim.id), completeWishFeedback(app.db, claim.id), completeWishFeedback(app.db, claim.id)])
  t.same(raced.map(r => r.appended), [false, false, false], 'a retried job appends nothing')
  const chain = await app.db.selectFrom('assistance_entries').selectAll().where('household_id', '=', family.id).execute()
  t.equal(chain.length, 1, 'one chain entry')
  t.match(chain[0], { source: 'charity', kind: 'wish', tags: ['school_supplies'], value: 120, person_id: family.personIds[1], origin: `claim:${claim.id}` })
  t.equal((await app.db.selectFrom('wishes').select('state').where('id', '=', wish.id).executeTakeFirstOrThrow()).state, 'closed')
  const thanks = (await donor.call({ method: 'GET', url: '/api/v1/donors/me/messages' })).json()
  t.equal(thanks.length, 1)
  t.match(thanks[0], { kind: 'thanks', claimId: claim.id })
  t.match(thanks[0].body, /台灯.*南浔镇的陈家孩子/)
  t.notMatch(thanks[0].body, /陈小雨|陈大山/, 'the impact note is de-identified')
})

t.test('only verified donors claim; donors see only their own claims', async t => {
  const { app, wish } = await setUp(t)
  await donorAccount(app, 'unverified')
  await app.db.updateTable('users').set({ contact_verified_at: null }).where('username', '=', 'unverified').execute()
  const unverified = await signIn(app, 'unverified', PASSWORD)
  const refused = await unverified.call({ method: 'POST', url: `/api/v1/wishes/${wish.id}/claim` })
  t.equal(refused.statusCode, 403)
  t.equal(refused.json().error.code, 'contact_unverified')
  const staff = await signIn(app, 'mz-nanxun')
  t.equal((await staff.call({ method: 'POST', url: `/api/v1/wishes/${wish.id}/claim` })).statusCode, 403, 'staff do not claim')
  const donor = await signIn(app, 'donor-person')
  const claim = (await donor.call({ method: 'POST', url: `/api/v1/wishes/${wish.id}/claim` })).json()
  t.same((await unverified.call({ method: 'GET', url: '/api/v1/claims' })).json(), [])
  t.equal((await unverified.call({ method: 'GET', url: `/api/v1/claims/${claim.id}` })).statusCode, 404)
  t.equal((await donor.call({ method: 'POST', url: `/api/v1/wishes/999999/claim` })).statusCode, 404)
  const cancelled = await donor.call({ method: 'POST', url: `/api/v1/claims/${claim.id}/cancel`, payload: { reason: '临时出差，无法送达' } })
  t.equal(cancelled.json().state, 'cancelled')
  t.equal((await app.db.selectFrom('wishes').select('state').where('id', '=', wish.id).executeTakeFirstOrThrow()).state, 'published', 'given up: open to others at once')
})
