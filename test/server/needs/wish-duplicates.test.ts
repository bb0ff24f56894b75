// No second winter-clothing wish in the same season: a wish tagged winter_clothing is refused
// while the household has had, been promised or already asked for winter clothing this season
// (unless a clerk writes why), the help it becomes carries the tag into the chain, and a
// project's run sees a claimed coat as help already promised.
import t from 'tap'
import { PNG, registerHousehold } from '../../helpers/needs.js'
import { signIn } from '../../helpers/accounts.js'
import { today } from '../../../server/clock.js'
import { addDays } from '../../../matching/dates.js'
import { insertProject, lastAudit, runFor, world } from '../proposals/setup.js'

const COAT = { category: 'clothing', item: '冬季棉衣', value: 260, story: '孩子冬天没有厚衣服。', tags: ['winter_clothing'], submit: true }

t.test('a second winter-clothing wish of the season is refused, unless a clerk says why', async t => {
  const w = await world(t)
  const clerk = w.town
  const family = await registerHousehold(clerk, [{ name: '沈建国', birthDate: '1975-03-03', sex: 'male' }, { name: '沈小花', birthDate: '2014-09-09', sex: 'female', schoolStage: 'primary' }])
  const raise = (personId: number, extra: object = {}) => clerk.call({ method: 'POST', url: '/api/v1/wishes', payload: { personId, ...COAT, ...extra } })

  const first = await raise(family.personIds[1] as number)
  t.equal(first.statusCode, 201, first.body)
  t.same(first.json().tags, ['winter_clothing'])
  const second = await raise(family.personIds[0] as number)
  t.equal(second.statusCode, 409)
  t.match(second.json().error, { code: 'duplicate_assistance', details: [{ code: 'winter_clothing_same_season', pending: `wish:${first.json().id}` }] }, 'the household already asked for a coat this season')
  const summer = await raise(family.personIds[0] as number, { tags: [], item: '夏季短袖' })
  t.equal(summer.statusCode, 201, 'clothing without the winter tag is another matter')

  const other = await registerHousehold(clerk, [{ name: '钱大伯', birthDate: '1950-01-01', sex: 'male' }, { name: '钱小毛', birthDate: '2016-01-01', sex: 'male', schoolStage: 'primary' }])
  const given = async (on: string) => (await w.app.db.insertInto('assistance_entries').values({
    household_id: other.id, source: 'charity', kind: 'wish', tags: ['winter_clothing'], value: 300, occurred_on: on, provider: '慈善总会冬衣项目', reference: 'test'
  }).returning('id').executeTakeFirstOrThrow()).id
  await given(addDays(today(), -183))
  t.equal((await raise(other.personIds[1] as number)).statusCode, 201, 'a coat given last season does not count')
  await w.app.db.updateTable('wishes').set({ state: 'withdrawn', reason: '测试' }).where('household_id', '=', other.id).execute()
  const thisSeason = await given(today())
  const refused = await raise(other.personIds[1] as number)
  t.match(refused.json().error, { code: 'duplicate_assistance', details: [{ entryId: thisSeason, pending: null }] }, 'a coat in the chain this season blocks')

  const overridden = await raise(other.personIds[1] as number, { overrideReason: '上次的棉衣尺码太小，已退回' })
  t.equal(overridden.statusCode, 201, overridden.body)
  t.equal(overridden.json().overrideReason, '上次的棉衣尺码太小，已退回')
  t.match((await lastAudit(w.app, 'wish.create'))?.after, { tags: ['winter_clothing'], overrideReason: '上次的棉衣尺码太小，已退回' }, 'the override is in the audit trail')
})

t.test('a claimed coat is promised help: a winter-clothing run skips the household, and the receipt writes the tag to the chain', async t => {
  const w = await world(t)
  const clerk = w.town
  const family = await registerHousehold(clerk, [{ name: '孙梅', birthDate: '1980-05-05', sex: 'female' }, { name: '孙小宝', birthDate: '2015-05-05', sex: 'male', schoolStage: 'primary' }])
  const raised = (await clerk.call({ method: 'POST', url: '/api/v1/wishes', payload: { personId: family.personIds[1], ...COAT } })).json()
  await clerk.call({ method: 'POST', url: `/api/v1/wishes/${raised.id}/verify`, payload: { visitNote: '已入户核实' } })
  await clerk.call({ method: 'POST', url: `/api/v1/wishes/${raised.id}/publish` })
  const donor = await signIn(w.app, 'donor-person')
  const claim = await donor.call({ method: 'POST', url: `/api/v1/wishes/${raised.id}/claim` })
  t.equal(claim.statusCode, 201, claim.body)

  const coats = await insertProject(w.app, { kind: 'wish', budget: 3000, unit_cost: 300, capacity: 10, eligibility: JSON.stringify({ regionCodes: ['330503'], seasonalTags: ['winter_clothing'] }) })
  t.match((await runFor(w.charity, coats)).summary, { population: 2, eligible: 0, excluded: { seasonal_duplicate: 2 } }, 'the claimed coat counts for the whole household')

  const claimId = claim.json().id
  await donor.call({ method: 'POST', url: `/api/v1/claims/${claimId}/evidence?fileName=送达.png`, payload: PNG, headers: { 'content-type': 'image/png' } })
  await donor.call({ method: 'POST', url: `/api/v1/claims/${claimId}/delivered`, payload: { note: '已送到' } })
  t.equal((await clerk.call({ method: 'POST', url: `/api/v1/claims/${claimId}/confirm`, payload: {} })).json().state, 'confirmed')
  for (let i = 0; i < 100 && (await w.app.db.selectFrom('wishes').select('state').where('id', '=', raised.id).executeTakeFirstOrThrow()).state !== 'closed'; i++) {
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  const chain = await w.app.db.selectFrom('assistance_entries').select(['kind', 'tags', 'value']).where('household_id', '=', family.id).execute()
  t.same(chain, [{ kind: 'wish', tags: ['clothing', 'winter_clothing'], value: 260 }], 'the chain entry carries the category and the tag')
  t.match((await runFor(w.charity, coats)).summary, { eligible: 0, excluded: { seasonal_duplicate: 2 } }, 'and the next run still sees it, now from the chain')
})
