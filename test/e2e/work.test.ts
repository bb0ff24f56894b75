// The civil-affairs workbench in a real browser: a county clerk at a desk and a town officer on
// a phone, on the demo county. The clerk starts from the counts on /work, finds a household,
// reads why it is in its category, reveals its personal data (recorded), verifies and publishes
// a wish, follows a claim up to the 签收单; the town officer sees only their town — another
// town's household is refused, and it is in neither their list nor their counts.
import t from 'tap'
import { signIn } from '../helpers/accounts.js'
import { registerHousehold, OTHER_VILLAGE } from '../helpers/needs.js'
import { browserWorld, checkPage, shown, signInOnPage, DESK } from '../helpers/browser.js'
import { startWorker } from '../helpers/worker.js'
import { makeResidentId } from '../../matching/resident-id.js'

t.test('a county clerk works through the queues, at a desk and on a phone', async t => {
  const world = await browserWorld(t, 200)
  const { app } = world
  const county = await signIn(app, 'mz-county')
  const family = await registerHousehold(county, [{ name: '周建国', birthDate: '1955-05-05', sex: 'male' }, { name: '周小雨', birthDate: '2013-09-09', sex: 'female', schoolStage: 'primary' }], { regionCode: OTHER_VILLAGE })
  const raised = await county.call({ method: 'POST', url: '/api/v1/wishes', payload: { personId: family.personIds[1], category: 'school_supplies', item: '台灯', value: 120, story: '孩子晚上写作业的灯坏了，想要一盏护眼台灯。', submit: true } })
  t.equal(raised.statusCode, 201, 'a wish waits for verification')
  const wishId = raised.json().id as number

  const context = await world.context(DESK)
  const page = await context.newPage()
  await signInOnPage(page, 'mz-county')
  t.match(new URL(page.url()).pathname, /^\/work$/, 'civil-affairs staff land on the workbench')
  await shown(page.getByText('负责地区：'))
  const toVerify = Number(await page.locator('[data-queue="wishes-to-verify"] .count').textContent())
  t.ok(toVerify >= 1, 'the wish to verify is counted')
  await checkPage(t, page, 'work-home')

  // The header at a desk: one row of links, the rest in menus that open below their names, one at a time.
  const desk = page.locator('.desk-nav')
  const row = await desk.locator('ul.links').first().boundingBox()
  t.ok(row !== null && row.height < 60, `the staff header keeps one row at 1280 px (${row?.height} px high)`)
  t.notOk(await desk.getByRole('link', { name: '微心愿' }).count(), 'no public pages in the staff header')
  const menu = (name: string) => desk.locator('summary', { hasText: name })
  await menu('帮扶').click()
  await shown(desk.getByRole('link', { name: '梦想小屋' }))
  await menu('数据').click()
  await shown(desk.getByRole('link', { name: '花名册' }))
  t.notOk(await desk.getByRole('link', { name: '梦想小屋' }).isVisible(), 'opening one menu closes the other')
  await checkPage(t, page, 'work-home-menu-open')
  await page.keyboard.press('Escape')
  t.notOk(await desk.getByRole('link', { name: '花名册' }).isVisible(), 'Escape closes it')

  // The households list, masked; the household page: the decision explained, the chain, the audited reveal.
  await page.getByRole('link', { name: '家庭', exact: true }).first().click()
  await shown(page.getByRole('heading', { name: '低收入家庭' }))
  await checkPage(t, page, 'work-households')
  t.notOk(await page.getByText('周建国').count(), 'names are masked in the list')
  await page.goto(`/work/households/${family.id}`)
  await shown(page.getByRole('heading', { name: '类别认定依据' }))
  t.notOk(await page.getByText('周建国').count(), 'names are masked on the household page')
  await shown(page.getByRole('heading', { name: '救助链（最新在前）' }))
  await shown(page.getByRole('columnheader', { name: '本人认定' }))
  t.ok(await page.locator('td[data-label="本人认定"]', { hasText: '最低生活保障对象' }).count() >= 1, 'each member\'s own outcome is shown')
  await checkPage(t, page, 'work-household')
  // Every view of the page records the health details it shows; the reveal records the rest.
  const reveals = () => app.db.selectFrom('audit_records').select(['details']).where('action', '=', 'household.read_pii').where('record_id', '=', String(family.id)).execute()
    .then(rows => rows.map(r => (r.details as { fields: string[] }).fields).filter(fields => fields.includes('id_number')))
  t.same(await reveals(), [], 'nothing revealed yet')
  await page.getByRole('button', { name: '显示个人信息（将记入审计）' }).click()
  await shown(page.getByText('周建国'))
  await shown(page.getByText(/本次查看已于 .* 记入审计记录/))
  t.same(await reveals(), [['name', 'id_number', 'address', 'phone', 'health']], 'the reveal wrote one audit record, naming the fields shown')
  await checkPage(t, page, 'work-household-pii')

  await page.goto(`/work/households/${family.id}/decisions`)
  await checkPage(t, page, 'work-decisions')
  await page.goto(`/work/households/${family.id}/print`)
  await shown(page.getByRole('heading', { name: '家庭救助链' }))
  await checkPage(t, page, 'work-chain-print')
  await page.goto(`/work/households/${family.id}/reclassify`)
  await checkPage(t, page, 'work-reclassify')
  await page.goto(`/work/households/${family.id}/edit`)
  await checkPage(t, page, 'work-household-edit')
  await page.goto('/work/households/new')
  await page.getByRole('button', { name: /登记/ }).last().click()
  await shown(page.locator('.error-summary'))
  await checkPage(t, page, 'work-household-register-errors')

  // The verification queue: verify after the visit, then publish, and see what publishing did.
  await page.goto('/work/wishes?state=submitted')
  await checkPage(t, page, 'work-wishes')
  await page.getByRole('link', { name: '台灯' }).click()
  await shown(page.getByRole('heading', { name: '入户核实' }))
  await page.getByRole('button', { name: '核实通过' }).click()
  await shown(page.locator('.error-summary'))
  await page.getByLabel('入户核实情况').fill('12月3日入户，台灯确已损坏，情况属实。')
  await page.getByRole('button', { name: '核实通过' }).click()
  await shown(page.getByText('已核实。'))
  await checkPage(t, page, 'work-wish')
  await page.getByRole('button', { name: '发布', exact: true }).click()
  await shown(page.getByRole('heading', { name: /已发布/ }))
  await checkPage(t, page, 'work-wish-published')
  const published = await app.db.selectFrom('wishes').select('state').where('id', '=', wishId).executeTakeFirstOrThrow()
  t.equal(published.state, 'published', 'the wish is published')
  await page.goto('/work/wishes/visit-list')
  await checkPage(t, page, 'work-visit-list')
  await page.goto(`/work/wishes/new?householdId=${family.id}`)
  await checkPage(t, page, 'work-wish-new')

  // Claims follow-up, the claim, and its 签收单.
  const claim = await app.db.selectFrom('claims').select('id').orderBy('id').executeTakeFirst()
  await page.goto('/work/claims?group=active')
  await checkPage(t, page, 'work-claims')
  if (claim) {
    await page.goto(`/work/claims/${claim.id}`)
    await checkPage(t, page, 'work-claim')
    await page.goto(`/work/claims/${claim.id}/receipt`)
    await shown(page.getByRole('heading', { name: '微心愿物品签收单' }))
    await checkPage(t, page, 'work-receipt')
  }
  await context.close()
})

t.test('a town officer on a phone sees only their town', async t => {
  const world = await browserWorld(t, 200)
  const { app } = world
  const county = await signIn(app, 'mz-county')
  const elsewhere = await registerHousehold(county, [{ name: '吴大海', birthDate: '1960-06-06', sex: 'male' }], { regionCode: OTHER_VILLAGE })

  const context = await world.context()
  const page = await context.newPage()
  await signInOnPage(page, 'mz-nanxun')
  await shown(page.locator('.work-region', { hasText: '南浔镇' }))
  await checkPage(t, page, 'work-home-town')
  // On a phone the 菜单 lists every link under its menu's name, nothing folded away.
  await page.locator('summary', { hasText: '菜单' }).click()
  const phoneMenu = page.locator('.menu')
  await shown(phoneMenu.locator('.group-name', { hasText: '帮扶' }))
  await shown(phoneMenu.getByRole('link', { name: '梦想小屋' }))
  t.notOk(await phoneMenu.getByRole('link', { name: '微心愿' }).count(), 'no public pages in the staff menu')
  await checkPage(t, page, 'work-menu-open')
  await page.locator('summary', { hasText: '菜单' }).click()
  await page.goto('/work/households?text=吴')
  await shown(page.getByText(/共 \d+ 户符合条件|没有符合条件的家庭/))
  t.equal(await page.locator(`a[href="/work/households/${elsewhere.id}"]`).count(), 0, 'another town\'s household is not in the town officer\'s list')
  const response = await page.goto(`/work/households/${elsewhere.id}`)
  t.equal(response?.status(), 404, 'another town\'s household is not shown (404, as the API answers)')
  await checkPage(t, page, 'work-household-other-town')

  // The same list as the county clerk's, seen from the town: none of it lies outside 南浔镇.
  await page.goto('/work/households')
  const villages = await page.locator('td[data-label="村（社区）"]').allTextContents()
  t.ok(villages.length > 0, 'the town has households')
  t.ok(villages.every(v => v.includes('南浔镇')), 'every household listed is in 南浔镇')
  await checkPage(t, page, 'work-households-town')
  await context.close()
})

t.test('a county clerk imports a roster with errors, and confirms help through a duplicate warning', async t => {
  const world = await browserWorld(t, 120)
  const { app } = world
  startWorker(app)
  const county = await signIn(app, 'mz-county')

  // A roster with one good household and two with problems (a wrong check digit, a negative income).
  const V = '330503101001'
  const good = makeResidentId('330503', '1949-10-01', 91, 'male')
  const bad = makeResidentId('330503', '1970-01-01', 93, 'male')
  const badChecksum = bad.slice(0, 17) + (bad.endsWith('0') ? '1' : '0')
  const header = ['户编号', '村社区代码', '姓名', '身份证号', '与户主关系', '劳动能力', '有收入来源', '有赡养人', '患重病', '在学阶段', '就业', '家庭年收入', '医疗支出', '教育支出', '财产符合', '防返贫监测']
  const rows = [
    ['R1', V, '冯一', good, '户主', '无', '否', '否', '否', '无', '否', '5000', '0', '0', '是', '否'],
    ['R2', V, '冯二', badChecksum, '户主', '完全', '是', '否', '否', '无', '是', '30000', '0', '0', '是', '否'],
    ['R3', V, '冯三', makeResidentId('330503', '1975-03-03', 95, 'male'), '户主', '完全', '是', '否', '否', '无', '是', '-100', '0', '0', '是', '否']
  ]
  const csv = [header, ...rows].map(row => row.join(',')).join('\n') + '\n'

  const context = await world.context(DESK)
  const page = await context.newPage()
  await signInOnPage(page, 'mz-county')
  await page.locator('.desk-nav summary', { hasText: '数据' }).click()
  await page.locator('.desk-nav').getByRole('link', { name: '花名册', exact: true }).click()
  await shown(page.getByRole('heading', { name: '花名册导入' }))
  await checkPage(t, page, 'work-imports')
  await page.getByLabel('花名册文件（.csv 或 .xlsx）').setInputFiles({ name: '荷花村花名册.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await page.getByRole('button', { name: '开始导入' }).click()
  await shown(page.getByRole('heading', { name: '导入：荷花村花名册.csv' }))
  await shown(page.getByText('这份花名册没有导入。'))
  await shown(page.getByRole('heading', { name: '问题行（2 处）' }))
  const lines = await page.locator('td.main').allTextContents()
  t.same(lines, ['第 3 行', '第 4 行'], 'the problems, by row')
  await shown(page.getByText('家庭年收入'))
  await checkPage(t, page, 'work-import')
  const download = page.waitForEvent('download')
  await page.getByRole('link', { name: '下载问题清单（XLSX）' }).click()
  const file = await download
  t.match(file.suggestedFilename(), /问题清单-荷花村花名册\.xlsx/, 'the problems download as XLSX')

  // A fund project, a fund application for a household that had fund help three months ago: the warning, the reason, the audit.
  const household = (await app.db.selectFrom('households').select('id').where('region_code', 'like', '330503%').where('status', '=', 'active').orderBy('id').executeTakeFirstOrThrow()).id
  const organisation = (await app.db.selectFrom('organisations').select('id').orderBy('id').executeTakeFirstOrThrow()).id
  const project = (await app.db.insertInto('projects').values({ organisation_id: organisation, kind: 'fund', title: '大病救助金', budget: 50000, status: 'open' }).returning('id').executeTakeFirstOrThrow()).id
  const applied = await county.call({ method: 'POST', url: `/api/v1/projects/${project}/applications`, payload: { householdId: household, statement: '户主住院，自付部分较多。', amount: 2000 } })
  t.equal(applied.statusCode, 201, 'the application is an open proposal')
  const proposal = applied.json().id as number
  const earlier = new Date(Date.now() - 90 * 86400_000).toISOString().slice(0, 10)
  await app.db.insertInto('assistance_entries').values({ household_id: household, source: 'charity', kind: 'fund', value: 3000, occurred_on: earlier, provider: '南浔区慈善总会' }).execute()

  await page.goto('/work/proposals')
  await checkPage(t, page, 'work-proposals')
  await page.getByRole('link', { name: '大病救助金' }).click()
  await shown(page.getByText(/重复帮扶提示：12 个月内已获同类慈善基金资助/))
  await page.getByLabel(new RegExp(`第 ${proposal} 号`)).check()
  await page.getByRole('button', { name: '确认勾选的推荐' }).click()
  await shown(page.getByText(/1 条没有办理/))
  t.equal((await app.db.selectFrom('proposals').select('status').where('id', '=', proposal).executeTakeFirstOrThrow()).status, 'open', 'not confirmed without a reason')
  await checkPage(t, page, 'work-project-proposals')
  await page.getByLabel(new RegExp(`第 ${proposal} 号`)).check()
  await page.getByLabel('仍要确认的理由（勾选并确认时必填，记入审计）').fill('上次资助用于住院押金，本次为后续治疗，经入户核实确有需要。')
  await page.getByRole('button', { name: '确认勾选的推荐' }).click()
  await shown(page.getByText(/已确认 1 条推荐/))
  t.equal((await app.db.selectFrom('proposals').select('status').where('id', '=', proposal).executeTakeFirstOrThrow()).status, 'confirmed', 'confirmed with the reason')
  const audit = await app.db.selectFrom('audit_records').select(['action', 'after']).where('record_type', '=', 'proposal').where('record_id', '=', String(proposal)).where('action', '=', 'match.confirm_override').execute()
  t.equal(audit.length, 1, 'the override is audited as its own action')
  t.match((audit[0]?.after as { overrideReason: string }).overrideReason, /后续治疗/, 'with the reason given')
  await page.goto(`/work/proposals/${project}?status=confirmed`)
  await checkPage(t, page, 'work-project-confirmed')
  await context.close()
})
