// The civil-affairs workbench in a real browser: a county clerk at a desk and a town officer on
// a phone, on the demo county. The clerk starts from the counts on /work, finds a household,
// reads why it is in its category, reveals its personal data (recorded), verifies and publishes
// a wish, follows a claim up to the 签收单; the town officer sees only their town — another
// town's household is refused, and it is in neither their list nor their counts.
import t from 'tap'
import { signIn } from '../helpers/accounts.js'
import { registerHousehold, OTHER_VILLAGE } from '../helpers/needs.js'
import { browserWorld, checkPage, shown, signInOnPage, DESK } from '../helpers/browser.js'

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

  // The households list, masked; the household page: the decision explained, the chain, the audited reveal.
  await page.getByRole('link', { name: '家庭', exact: true }).first().click()
  await shown(page.getByRole('heading', { name: '低收入家庭' }))
  await checkPage(t, page, 'work-households')
  t.notOk(await page.getByText('周建国').count(), 'names are masked in the list')
  await page.goto(`/work/households/${family.id}`)
  await shown(page.getByRole('heading', { name: '类别认定依据' }))
  t.notOk(await page.getByText('周建国').count(), 'names are masked on the household page')
  await shown(page.getByRole('heading', { name: '救助链（最新在前）' }))
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
