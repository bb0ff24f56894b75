// Issuing a half-year's vouchers by the region's need rule, idempotently; the list of children
// without a class, region-scoped, most urgent first; bad input reported field by field.
import t from 'tap'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { today } from '../../../server/clock.js'
import { daysLeft } from '../../../server/vouchers/half-year.js'
import { insertChild, insertProject, NOW, OTHER_VILLAGE } from './fixtures.js'

async function setUp (t: Parameters<typeof appWithAccounts>[0]) {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  // A region under another profile: no vouchers there until staff set a rule.
  await app.db.insertInto('regions').values([
    { code: '419001', name: '济源示范区', level: 'county', parent_code: null },
    { code: '419001001', name: '沁园街道', level: 'town', parent_code: '419001' },
    { code: '419001001001', name: '沁园社区', level: 'village', parent_code: '419001001' }
  ]).execute()
  await app.db.insertInto('region_policies').values({ region_code: '419001', profile: 'jiyuan-2024' }).execute()
  const children = {
    primary: await insertChild(app, { age: 9, schoolStage: 'primary', surname: '王' }),
    junior: await insertChild(app, { age: 13, schoolStage: 'junior', status: 'gradual_exit', surname: '李' }),
    kindergarten: await insertChild(app, { village: OTHER_VILLAGE, age: 5, schoolStage: 'kindergarten', surname: '赵' }),
    senior: await insertChild(app, { age: 16, schoolStage: 'senior' }),
    dibao: await insertChild(app, { category: 'dibao', age: 9 }),
    exited: await insertChild(app, { status: 'exited', age: 9 }),
    jiyuan: await insertChild(app, { village: '419001001001', age: 9 })
  }
  return { app, children }
}

t.test('a child who has left the household gets no voucher', async t => {
  const { app, children } = await setUp(t)
  await app.db.updateTable('persons').set({ left_on: '2025-01-01', left_reason: 'moved_out' }).where('id', '=', children.primary.personId).execute()
  const county = await signIn(app, 'mz-county')
  const issued = await county.call({ method: 'POST', url: '/api/v1/vouchers/issue', payload: { halfYear: NOW, regionCode: '330503' } })
  t.match(issued.json(), { eligible: 2, issued: 2 })
  const holders = await app.db.selectFrom('vouchers').select('person_id').orderBy('person_id').execute()
  t.same(holders.map(h => h.person_id), [children.junior.personId, children.kindergarten.personId])
})

t.test('the Nanxun rule decides who gets a voucher, and issuing again adds nothing', async t => {
  const { app, children } = await setUp(t)
  const county = await signIn(app, 'mz-county')
  const first = await county.call({ method: 'POST', url: '/api/v1/vouchers/issue', payload: { halfYear: NOW, regionCode: '330503' } })
  t.equal(first.statusCode, 200, first.body)
  t.match(first.json(), { eligible: 3, issued: 3, alreadyHeld: 0, rules: [{ ruleRegion: null, profile: 'nanxun-2025', categories: ['low_income_support'], schoolStages: ['kindergarten', 'primary', 'junior'] }] })
  t.match(first.json().rules[0].basis, /000_6379457d8a0eea12\.txt 三\(二\)/, 'the report names the policy paragraph')
  const holders = await app.db.selectFrom('vouchers').select('person_id').orderBy('person_id').execute()
  t.same(holders.map(h => h.person_id), [children.primary.personId, children.junior.personId, children.kindergarten.personId],
    'low-income-support pupils, kindergarten to junior, of households in force (also in gradual exit)')

  const again = await county.call({ method: 'POST', url: '/api/v1/vouchers/issue', payload: { halfYear: NOW, regionCode: '330503' } })
  t.match(again.json(), { eligible: 3, issued: 0, alreadyHeld: 3 })
  const parallel = await Promise.all([1, 2, 3].map(() => county.call({ method: 'POST', url: '/api/v1/vouchers/issue', payload: { halfYear: NOW, regionCode: '330503' } })))
  t.same(parallel.map(r => r.statusCode), [200, 200, 200])
  t.equal((await app.db.selectFrom('vouchers').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n, 3, 'one voucher per child and half-year')
  t.equal((await app.db.selectFrom('audit_records').select('id').where('action', '=', 'voucher.issue').execute()).length, 5, 'every issue is audited')

  const admin = await signIn(app, 'admin')
  const jiyuan = await admin.call({ method: 'POST', url: '/api/v1/vouchers/issue', payload: { halfYear: NOW, regionCode: '419001' } })
  t.match(jiyuan.json(), { eligible: 0, issued: 0, rules: [{ profile: 'jiyuan-2024', categories: [] }] }, 'another profile issues none by default')
  await app.db.insertInto('region_need_rules').values({
    region_code: '419001', wish_categories: ['dibao'], wish_statuses: ['active'], voucher_categories: ['low_income_support'], voucher_school_stages: ['primary']
  }).execute()
  const ruled = await admin.call({ method: 'POST', url: '/api/v1/vouchers/issue', payload: { halfYear: NOW, regionCode: '419001' } })
  t.match(ruled.json(), { eligible: 1, issued: 1, rules: [{ ruleRegion: '419001' }] }, 'until staff set a rule')
})

t.test('issuing is for civil affairs of the region (or an administrator), for a half-year not over, with an open voucher project', async t => {
  const { app } = await setUp(t)
  const town = await signIn(app, 'mz-nanxun')
  const call = (session: typeof town, payload: object) => session.call({ method: 'POST', url: '/api/v1/vouchers/issue', payload })
  t.equal((await call(town, { halfYear: NOW, regionCode: '330503' })).statusCode, 403, 'not the county above the town')
  t.equal((await call(town, { halfYear: NOW, regionCode: '330503102' })).statusCode, 403, 'not the neighbouring town')
  t.match((await call(town, { halfYear: NOW, regionCode: '330503101' })).json(), { issued: 2 }, 'its own town')
  for (const who of ['auditor', 'training', 'cszh', 'donor-person']) {
    t.equal((await call(await signIn(app, who), { halfYear: NOW, regionCode: '330503101' })).statusCode, 403, who)
  }
  const past = await call(town, { halfYear: `${Number(NOW.slice(0, 4)) - 1}H1`, regionCode: '330503101' })
  t.equal(past.statusCode, 409)
  t.equal(past.json().error.code, 'half_year_over')

  const fund = await insertProject(app, 8000, 'fund')
  t.equal((await call(town, { halfYear: NOW, regionCode: '330503101', projectId: fund })).json().error.code, 'project_not_open')
  const programme = await insertProject(app, 8000)
  await app.db.deleteFrom('vouchers').execute()
  t.match((await call(town, { halfYear: NOW, regionCode: '330503101', projectId: programme })).json(), { issued: 2, projectId: programme })
  t.same((await app.db.selectFrom('vouchers').select('project_id').distinct().execute()).map(r => r.project_id), [programme])

  const bad = await call(town, { halfYear: '2026H3', regionCode: '33050', extra: 1 })
  t.equal(bad.statusCode, 400)
  t.same(bad.json().error.details.map((d: { field: string }) => d.field).sort(), ['body.extra', 'body.halfYear', 'body.regionCode'])
})

t.test('children without a class: one query, region-scoped, masked, most urgent first', async t => {
  const { app, children } = await setUp(t)
  const county = await signIn(app, 'mz-county')
  await county.call({ method: 'POST', url: '/api/v1/vouchers/issue', payload: { halfYear: NOW, regionCode: '330503' } })
  // 王's chain shows a class this half-year already (another programme): he can wait.
  await app.db.insertInto('assistance_entries').values({
    household_id: children.primary.householdId, person_id: children.primary.personId, source: 'charity', kind: 'training_voucher',
    tags: ['voucher'], value: 500, occurred_on: today(), provider: '其他培训项目'
  }).execute()

  const list = await county.call({ method: 'GET', url: `/api/v1/vouchers?halfYear=${NOW}&withoutClass=true` })
  t.equal(list.statusCode, 200, list.body)
  const { total, items } = list.json()
  t.equal(total, 3)
  t.same(items.map((v: { maskedName: string }) => v.maskedName), ['李**', '赵**', '王**'], 'no class anywhere first, then by town; the child with a class last')
  t.match(items[0], { age: 13, schoolStage: 'junior', town: { code: '330503101', name: '南浔镇' }, daysLeft: daysLeft(NOW, today()), state: 'issued', hadClassThisHalfYear: false })
  t.ok(items[0].urgency > items[2].urgency)
  for (const item of items) t.same(Object.keys(item).filter(k => /name|id_?number|address|category|phone/i.test(k)), ['maskedName'], 'masked name only')

  const town = await signIn(app, 'mz-nanxun')
  const mine = (await town.call({ method: 'GET', url: `/api/v1/vouchers?halfYear=${NOW}&withoutClass=true` })).json()
  t.same(mine.items.map((v: { town: { code: string } }) => v.town.code), ['330503101', '330503101'], 'a town clerk sees the town only')
  const elsewhere = items.find((v: { maskedName: string }) => v.maskedName === '赵**')
  t.equal((await town.call({ method: 'GET', url: `/api/v1/vouchers/${elsewhere.id}` })).statusCode, 404)
  t.equal((await county.call({ method: 'GET', url: `/api/v1/vouchers/${elsewhere.id}` })).json().maskedName, '赵**')
  t.equal((await (await signIn(app, 'training')).call({ method: 'GET', url: `/api/v1/vouchers?halfYear=${NOW}` })).statusCode, 403, 'institutions see their rosters, not the list')
  t.equal((await (await signIn(app, 'donor-person')).call({ method: 'GET', url: `/api/v1/vouchers?halfYear=${NOW}` })).statusCode, 403)

  const bad = await county.call({ method: 'GET', url: '/api/v1/vouchers?halfYear=2026-2&withoutClass=maybe&limit=0' })
  t.equal(bad.statusCode, 400)
  t.same(bad.json().error.details.map((d: { field: string }) => d.field).sort(), ['querystring.halfYear', 'querystring.limit', 'querystring.withoutClass'])
})
