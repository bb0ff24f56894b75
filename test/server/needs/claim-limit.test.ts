// A donor holds at most MAX_ACTIVE_CLAIMS undelivered claims: the next is refused with the
// reason and the limit, parallel claims cannot slip past it, and a delivered or given-up claim
// makes room again.
import t from 'tap'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { donorAccount, PASSWORD, PNG, publishedWish, registerHousehold } from '../../helpers/needs.js'

t.test('at most MAX_ACTIVE_CLAIMS undelivered claims per donor, even when claimed at once', async t => {
  const app = await appWithAccounts(t, { MAX_ACTIVE_CLAIMS: '2' })
  await insertRegionTree(app.db)
  const clerk = await signIn(app, 'mz-nanxun')
  const family = await registerHousehold(clerk, [{ name: '吴大海', birthDate: '1970-01-01', sex: 'male' }, { name: '吴小溪', birthDate: '2014-01-01', sex: 'female', schoolStage: 'primary' }])
  const wishes = []
  // One open wish per person and category: six categories between the two of them.
  const items = [['书包', 'school_supplies'], ['雨衣', 'clothing'], ['毛巾', 'daily_goods'], ['拐杖', 'rehab_aids'], ['台灯', 'appliances'], ['理发', 'services']]
  for (const [i, [item, category]] of items.entries()) wishes.push(await publishedWish(clerk, family.personIds[i % 2] as number, { item, category, value: 100 + i }))
  const donor = await signIn(app, await donorAccount(app, 'eager'), PASSWORD)
  const claim = (id: number) => donor.call({ method: 'POST', url: `/api/v1/wishes/${id}/claim` })

  const burst = await Promise.all(wishes.slice(0, 4).map(w => claim(w.id)))
  t.same(burst.map(r => r.statusCode).sort(), [201, 201, 409, 409], 'four at once: two pass')
  const refused = burst.find(r => r.statusCode === 409)!.json().error
  t.same(refused, {
    code: 'claim_limit_reached',
    message: '您已有 2 个认领尚未送达，请先送达或放弃其中的认领，再认领新的心愿 (at most 2 undelivered claims at once)',
    details: [{ code: 'claim_limit_reached', message: 'at most 2', limit: 2 }]
  })
  const held = burst.filter(r => r.statusCode === 201).map(r => r.json().id as number)
  t.equal((await claim(wishes[4]!.id)).statusCode, 409, 'still full')

  await donor.call({ method: 'POST', url: `/api/v1/claims/${held[0]}/evidence`, headers: { 'content-type': 'image/png' }, payload: PNG })
  t.equal((await donor.call({ method: 'POST', url: `/api/v1/claims/${held[0]}/delivered`, payload: {} })).statusCode, 200)
  t.equal((await claim(wishes[4]!.id)).statusCode, 201, 'a delivered claim makes room')
  t.equal((await donor.call({ method: 'POST', url: `/api/v1/claims/${held[1]}/cancel`, payload: { reason: '出差，送不了' } })).statusCode, 200)
  t.equal((await claim(wishes[5]!.id)).statusCode, 201, 'so does one given up')
  const other = await signIn(app, await donorAccount(app, 'patient'), PASSWORD)
  // A wish the burst was refused is still open whichever two the race let through.
  const neverClaimed = wishes[burst.findIndex(r => r.statusCode === 409)]!
  t.equal((await other.call({ method: 'POST', url: `/api/v1/wishes/${neverClaimed.id}/claim` })).statusCode, 201, 'the limit is per donor')
})
