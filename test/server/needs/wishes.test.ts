// 微心愿 on the staff side against the real services: the life cycle and its illegal
// transitions, de-identification and k-anonymity at publication, who may have a wish, region
// scoping, audit, and bad input.
import t from 'tap'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { registerHousehold, publishedWish, OTHER_VILLAGE, VILLAGE } from '../../helpers/needs.js'

async function setUp (t: { teardown: (fn: () => unknown) => void }) {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  return { app, clerk: await signIn(app, 'mz-nanxun'), county: await signIn(app, 'mz-county') }
}

t.test('a wish goes draft → submitted → verified → published, and refuses every other step', async t => {
  const { app, clerk } = await setUp(t)
  const family = await registerHousehold(clerk, [
    { name: '王建国', birthDate: '1980-05-01', sex: 'male' },
    { name: '王小明', birthDate: '2016-03-09', sex: 'male', schoolStage: 'primary' }
  ])
  t.equal(family.category, 'dibao')
  const raised = await clerk.call({
    method: 'POST', url: '/api/v1/wishes',
    payload: { personId: family.personIds[1], category: 'school_supplies', item: '书包', value: 120, story: '王小明的书包破了，家住南浔镇东大街12号3室，请联系13905721234，父亲身份证330503198005011234。' }
  })
  t.equal(raised.statusCode, 201, raised.body)
  const wish = raised.json()
  t.match(wish, { state: 'draft', maskedName: '王**', regionCode: VILLAGE, publicView: null })

  const early = await clerk.call({ method: 'POST', url: `/api/v1/wishes/${wish.id}/publish` })
  t.equal(early.statusCode, 409)
  t.match(early.json().error, { code: 'illegal_transition', details: [{ state: 'draft', allowedFrom: ['verified'], to: 'published' }] })
  t.equal((await clerk.call({ method: 'POST', url: `/api/v1/wishes/${wish.id}/verify`, payload: { visitNote: '入户核实' } })).json().error.code, 'illegal_transition', 'a draft cannot be verified')

  t.equal((await clerk.call({ method: 'PATCH', url: `/api/v1/wishes/${wish.id}`, payload: { value: 150 } })).json().value, 150, 'a draft can be edited')
  t.equal((await clerk.call({ method: 'POST', url: `/api/v1/wishes/${wish.id}/submit` })).json().state, 'submitted')
  t.equal((await clerk.call({ method: 'POST', url: `/api/v1/wishes/${wish.id}/submit` })).statusCode, 409, 'not twice')
  const verified = await clerk.call({ method: 'POST', url: `/api/v1/wishes/${wish.id}/verify`, payload: { visitNote: '已入户核实，书包确已破损' } })
  t.match(verified.json(), { state: 'verified', visitNote: '已入户核实，书包确已破损' })
  t.equal((await clerk.call({ method: 'PATCH', url: `/api/v1/wishes/${wish.id}`, payload: { value: 900 } })).statusCode, 409, 'what was verified stays as verified')

  const published = await clerk.call({ method: 'POST', url: `/api/v1/wishes/${wish.id}/publish` })
  t.equal(published.statusCode, 200, published.body)
  const view = published.json().publicView
  t.match(view, { id: wish.id, sex: 'male', town: '南浔镇', townCode: '330503101', village: null, villageCode: null, category: 'school_supplies', categoryName: '学习用品', item: '书包', value: 150, valueRange: '100-299' })
  t.equal(view.ageBand, '0-17岁', 'the only published wish: the widest band')
  t.equal(view.title, '王家孩子', 'and a form of address that says no more (not 同学, which would tell school age)')
  t.same(published.json().coarsened, ['village→town', 'age:fine→wide', 'below_k'])
  t.equal(view.story, '【已隐去】的书包破了，【已隐去】，请联系【已隐去】，父亲身份证【已隐去】。')
  t.notOk('householdCategory' in view, 'no category without the household\'s consent')

  for (const [action, payload] of [['submit', undefined], ['verify', { visitNote: '再次核实' }], ['reject', { reason: '不符合' }]] as const) {
    const refused = await clerk.call({ method: 'POST', url: `/api/v1/wishes/${wish.id}/${action}`, ...(payload ? { payload } : {}) })
    t.equal(refused.statusCode, 409, `${action} a published wish`)
    t.equal(refused.json().error.details[0].state, 'published')
  }
  t.equal((await clerk.call({ method: 'POST', url: `/api/v1/wishes/${wish.id}/withdraw`, payload: { reason: '家庭已自行解决' } })).json().state, 'withdrawn')
  t.equal((await clerk.call({ method: 'POST', url: `/api/v1/wishes/${wish.id}/withdraw`, payload: { reason: '再次撤回' } })).statusCode, 409)
  const outbox = await app.db.selectFrom('search_outbox').select('document_id').where('index_name', '=', 'wishes').execute()
  t.same(outbox.map(r => r.document_id), [wish.id, wish.id], 'published and withdrawn: the index is told both times')

  const trail = await app.db.selectFrom('audit_records').select(['action', 'region_code']).where('record_type', '=', 'wish').orderBy('id').execute()
  t.same(trail.map(r => r.action), ['wish.create', 'wish.update', 'wish.submit', 'wish.verify', 'wish.publish', 'wish.withdraw'])
  t.ok(trail.every(r => r.region_code === VILLAGE), 'every record names the region, for region-bound auditors')
})

t.test('rejection needs a reason; rejected and withdrawn wishes keep it', async t => {
  const { clerk } = await setUp(t)
  const family = await registerHousehold(clerk, [{ name: '李桂英', birthDate: '1950-01-01', sex: 'female' }])
  const wish = (await clerk.call({ method: 'POST', url: '/api/v1/wishes', payload: { personId: family.personIds[0], category: 'clothing', item: '冬季羽绒服', value: 300, submit: true } })).json()
  const noReason = await clerk.call({ method: 'POST', url: `/api/v1/wishes/${wish.id}/reject`, payload: {} })
  t.equal(noReason.statusCode, 400)
  t.same(noReason.json().error.details.map((d: { field: string }) => d.field), ['body.reason'])
  const rejected = await clerk.call({ method: 'POST', url: `/api/v1/wishes/${wish.id}/reject`, payload: { reason: '已有同类救助' } })
  t.match(rejected.json(), { state: 'rejected', reason: '已有同类救助' })
})

t.test('k-anonymity: classes are what donors see; look-alikes move to the village together; below k is flagged', async t => {
  const { app, clerk } = await setUp(t)
  const girls = []
  for (const [i, name] of ['张一', '张二', '张三'].entries()) {
    const family = await registerHousehold(clerk, [{ name: `${name}父`, birthDate: '1985-01-01', sex: 'male' }, { name, birthDate: `2017-0${i + 1}-15`, sex: 'female', schoolStage: 'primary' }])
    girls.push(await publishedWish(clerk, family.personIds[1] as number))
  }
  t.same(girls.map(w => w.coarsened), [
    ['village→town', 'age:fine→wide', 'below_k'],
    ['village→town', 'age:fine→wide', 'below_k'],
    []
  ], 'the first two alone (and then two) in 南浔镇 0-17岁; the third may show the village')
  t.match(girls[0]!.publicView, { village: null, ageBand: '0-17岁', title: '张家孩子' }, 'a widened band gets a form of address no finer than itself')
  t.match(girls[2]!.publicView, { village: '东大街社区', villageCode: VILLAGE, ageBand: '6-11岁', title: '张同学', sex: 'female' })
  const stored = await app.db.selectFrom('wishes').select(['id', 'coarsened', 'public_view']).where('id', 'in', girls.map(w => w.id)).orderBy('id').execute()
  t.same(stored.map(w => [w.coarsened, (w.public_view as { villageCode: string }).villageCode, (w.public_view as { ageBand: string }).ageBand, (w.public_view as { title: string }).title]),
    [[[], VILLAGE, '6-11岁', '张同学'], [[], VILLAGE, '6-11岁', '张同学'], [[], VILLAGE, '6-11岁', '张同学']],
    'the two earlier girls moved with her: three show the same, none is left alone in 南浔镇 0-17岁')
  const told = await app.db.selectFrom('search_outbox').select('document_id').where('document_id', 'in', [girls[0]!.id, girls[1]!.id]).execute()
  t.equal(told.length, 4, 'the index is told of each earlier girl twice: published, then moved')

  // Boys of three fine bands: they can share only 南浔镇 0-17岁, and the third completes it.
  const boys = []
  for (const [name, birthDate] of [['李小宝', '2022-06-01'], ['李中', '2013-06-01'], ['李大', '2010-06-01']] as const) {
    const family = await registerHousehold(clerk, [{ name: `${name}母`, birthDate: '1988-01-01', sex: 'female' }, { name, birthDate, sex: 'male', schoolStage: name === '李小宝' ? 'kindergarten' : 'junior' }])
    boys.push(await publishedWish(clerk, family.personIds[1] as number, { category: 'clothing', item: '棉衣' }))
  }
  t.match(boys[0]!.publicView, { title: '李家孩子', ageBand: '0-17岁', village: null }, 'a child of four whose band is widened is not called 小朋友')
  t.same(boys.map(w => w.coarsened), [
    ['village→town', 'age:fine→wide', 'below_k'],
    ['village→town', 'age:fine→wide', 'below_k'],
    ['village→town', 'age:fine→wide']
  ])

  const elder = await registerHousehold(clerk, [{ name: '张四', birthDate: '1940-01-01', sex: 'female' }])
  const fourth = await publishedWish(clerk, elder.personIds[0] as number, { category: 'clothing', item: '棉被' })
  t.match(fourth.publicView, { title: '张奶奶', village: null, ageBand: '60岁以上' }, 'an elderly woman does not share the girls\' class')
  const flagged = (await clerk.call({ method: 'GET', url: '/api/v1/wishes?belowK=true' })).json()
  t.same(flagged.items.map((w: { id: number }) => w.id), [fourth.id], 'staff list what is still below k: the boys\' class reached three')
  t.same((await clerk.call({ method: 'GET', url: '/api/v1/wishes?belowK=false&state=published' })).json().items.map((w: { id: number }) => w.id).sort((a: number, b: number) => a - b),
    [...girls, ...boys].map(w => w.id))
})

t.test('only households the region\'s rule allows may have wishes, one open wish per kind', async t => {
  const { app, clerk, county } = await setUp(t)
  const rich = await registerHousehold(clerk, [{ name: '赵富', birthDate: '1975-01-01', sex: 'male' }], { annualIncome: 500000 })
  t.equal(rich.category, 'none')
  const refused = await clerk.call({ method: 'POST', url: '/api/v1/wishes', payload: { personId: rich.personIds[0], category: 'daily_goods', item: '米面油', value: 200 } })
  t.equal(refused.statusCode, 409)
  t.equal(refused.json().error.code, 'household_not_eligible')

  const poor = await registerHousehold(clerk, [{ name: '钱贫', birthDate: '1960-01-01', sex: 'male' }])
  const first = await clerk.call({ method: 'POST', url: '/api/v1/wishes', payload: { personId: poor.personIds[0], category: 'daily_goods', item: '米面油', value: 200 } })
  t.equal(first.statusCode, 201)
  const twice = await clerk.call({ method: 'POST', url: '/api/v1/wishes', payload: { personId: poor.personIds[0], category: 'daily_goods', item: '保温杯', value: 60 } })
  t.equal(twice.statusCode, 409)
  t.match(twice.json().error, { code: 'open_wish_exists', details: [{ wishId: first.json().id }] })
  t.equal((await clerk.call({ method: 'POST', url: '/api/v1/wishes', payload: { personId: poor.personIds[0], category: 'clothing', item: '棉衣', value: 200 } })).statusCode, 201, 'another kind is fine')

  t.match((await county.call({ method: 'GET', url: '/api/v1/need-rules/330503101' })).json(), { source: null, profile: 'nanxun-2025', wishStatuses: ['active', 'gradual_exit'] })
  const narrowed = await county.call({ method: 'PUT', url: '/api/v1/need-rules/330503101', payload: { wishCategories: ['tekun'], wishStatuses: ['active'], voucherCategories: [], voucherSchoolStages: [] } })
  t.equal(narrowed.statusCode, 200, narrowed.body)
  t.equal(narrowed.json().source, '330503101')
  const another = await registerHousehold(clerk, [{ name: '孙低', birthDate: '1962-01-01', sex: 'male' }])
  const now = await clerk.call({ method: 'POST', url: '/api/v1/wishes', payload: { personId: another.personIds[0], category: 'daily_goods', item: '米面油', value: 200 } })
  t.equal(now.json().error.code, 'household_not_eligible', 'the town\'s own rule now applies')
  t.equal((await clerk.call({ method: 'PUT', url: '/api/v1/need-rules/330503', payload: { wishCategories: [], wishStatuses: [], voucherCategories: [], voucherSchoolStages: [] } })).statusCode, 403, 'a town clerk cannot set the county\'s rule')
  const audit = await app.db.selectFrom('audit_records').select('action').where('action', '=', 'need.configure').execute()
  t.equal(audit.length, 1)
})

t.test('no wish for a member who has left the household', async t => {
  const { clerk } = await setUp(t)
  const family = await registerHousehold(clerk, [{ name: '钱贫', birthDate: '1960-01-01', sex: 'male' }, { name: '钱妻', birthDate: '1962-01-01', sex: 'female' }])
  const left = await clerk.call({ method: 'PATCH', url: `/api/v1/households/${family.id}`, payload: { removeMembers: [{ id: family.personIds[1], reason: 'moved_out', on: '2025-01-01' }] } })
  t.equal(left.statusCode, 200, left.body)
  const refused = await clerk.call({ method: 'POST', url: '/api/v1/wishes', payload: { personId: family.personIds[1], category: 'daily_goods', item: '米面油', value: 200 } })
  t.equal(refused.statusCode, 404)
  t.equal((await clerk.call({ method: 'POST', url: '/api/v1/wishes', payload: { personId: family.personIds[0], category: 'daily_goods', item: '米面油', value: 200 } })).statusCode, 201, 'the member who stays may')
})

t.test('staff see and change wishes of their own region only', async t => {
  const { app, clerk, county } = await setUp(t)
  const inTown = await registerHousehold(clerk, [{ name: '周一', birthDate: '1960-01-01', sex: 'male' }])
  const elsewhere = await registerHousehold(county, [{ name: '吴二', birthDate: '1961-01-01', sex: 'female' }], { regionCode: OTHER_VILLAGE })
  const mine = (await clerk.call({ method: 'POST', url: '/api/v1/wishes', payload: { personId: inTown.personIds[0], category: 'appliances', item: '电饭煲', value: 200 } })).json()
  const theirs = (await county.call({ method: 'POST', url: '/api/v1/wishes', payload: { personId: elsewhere.personIds[0], category: 'appliances', item: '取暖器', value: 200 } })).json()
  t.equal((await clerk.call({ method: 'POST', url: '/api/v1/wishes', payload: { personId: elsewhere.personIds[0], category: 'clothing', item: '棉衣', value: 200 } })).statusCode, 404, 'no wish for a person outside the region')
  t.same((await clerk.call({ method: 'GET', url: '/api/v1/wishes' })).json().items.map((w: { id: number }) => w.id), [mine.id])
  t.same((await county.call({ method: 'GET', url: '/api/v1/wishes' })).json().items.map((w: { id: number }) => w.id), [theirs.id, mine.id])
  t.equal((await clerk.call({ method: 'GET', url: `/api/v1/wishes/${theirs.id}` })).statusCode, 404)
  t.equal((await clerk.call({ method: 'POST', url: `/api/v1/wishes/${theirs.id}/submit` })).statusCode, 404)
  const auditor = await signIn(app, 'auditor')
  t.equal((await auditor.call({ method: 'GET', url: `/api/v1/wishes/${mine.id}` })).statusCode, 200, 'auditors read')
  t.equal((await auditor.call({ method: 'POST', url: `/api/v1/wishes/${mine.id}/submit` })).statusCode, 403, 'and change nothing')
  for (const who of ['cszh', 'donor-person', 'training']) {
    t.equal((await (await signIn(app, who)).call({ method: 'GET', url: '/api/v1/wishes' })).statusCode, 403, `${who} does not browse the staff side`)
  }
})

t.test('bad input names every bad field', async t => {
  const { clerk } = await setUp(t)
  const response = await clerk.call({ method: 'POST', url: '/api/v1/wishes', payload: { category: 'toys', item: '', value: -5, neededBy: '2026-13-01', extra: 1 } })
  t.equal(response.statusCode, 400)
  t.same(response.json().error.details.map((d: { field: string }) => d.field).sort(), ['body.category', 'body.extra', 'body.item', 'body.neededBy', 'body.personId', 'body.value'])
})
