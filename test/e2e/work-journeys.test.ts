// More of the workbench's journeys in a real browser (issue 17): a town officer on a phone
// changes a household with a dry run first and then saves, and corrects a wrong chain entry by
// a reversal; a county clerk prints a wish's 签收单, uploads the photographed signed receipt and
// confirms receipt, which writes the chain entry shown on the household's page; a roster
// import's progress moves while the job runs. Every page state is checked at 375 and 1280 px.
import t from 'tap'
import { signIn } from '../helpers/accounts.js'
import { PNG, registerHousehold, VILLAGE } from '../helpers/needs.js'
import { browserWorld, checkPage, shown, signInOnPage, DESK } from '../helpers/browser.js'
import { startWorker } from '../helpers/worker.js'
import { addDays } from '../../matching/dates.js'
import { makeResidentId } from '../../matching/resident-id.js'

t.test('a town officer changes a household after a dry run, and reverses a wrong chain entry, on a phone', async t => {
  const world = await browserWorld(t, 60)
  const { app } = world
  const clerk = await signIn(app, 'mz-nanxun')
  const family = await registerHousehold(clerk, [{ name: '沈国强', birthDate: '1962-02-02', sex: 'male' }])
  const income = async () => (await app.db.selectFrom('households').select('annual_income').where('id', '=', family.id).executeTakeFirstOrThrow()).annual_income
  const decisions = async () => (await app.db.selectFrom('category_decisions').select('id').where('household_id', '=', family.id).execute()).length

  const context = await world.context()
  const page = await context.newPage()
  await signInOnPage(page, 'mz-nanxun')
  await page.goto(`/work/households/${family.id}`)
  await page.getByRole('link', { name: '修改家庭情况' }).click()
  await shown(page.getByRole('heading', { name: '修改家庭情况' }))
  await page.getByLabel('家庭年收入（元）').fill('96000')
  await page.getByRole('button', { name: '先试算（不保存）' }).click()
  await shown(page.getByRole('heading', { name: '试算结果（尚未保存）' }))
  t.match(await page.locator('#outcome .was').textContent(), /现在\s*最低生活保障对象 · 在册/, 'what the household is now')
  t.match(await page.locator('#outcome .will').textContent(), /保存后\s*最低生活保障对象 · 渐退期，渐退期至/, 'what saving would make it: out of 低保, through the gradual exit')
  t.ok(await page.locator('#outcome li').count() >= 1, 'what would change, line by line')
  t.equal(await page.getByLabel('家庭年收入（元）').inputValue(), '96000', 'the form keeps what was typed')
  t.equal(await income(), 3000, 'the dry run saved nothing')
  t.equal(await decisions(), 1, 'nor appended a decision')
  await checkPage(t, page, 'work-household-edit-preview')
  // Saving right under the dry run's outcome (the form's own button is a phone's length below).
  await page.getByRole('button', { name: '按试算结果保存' }).click()
  await shown(page.getByText(/已保存，并按新情况重新认定为/))
  t.equal(await income(), 96000, 'saved')
  t.equal(await decisions(), 2, 'with the new decision appended')
  await checkPage(t, page, 'work-household-saved')

  // Government help entered with a wrong amount, then corrected: the original stays, the reversal is shown against it.
  await page.locator('#chain summary', { hasText: '登记一笔政府救助' }).click()
  await page.locator('#kind').selectOption('temporary_assistance')
  await page.getByLabel('金额（元）').fill('800')
  await page.getByLabel('实施部门').fill('南浔镇社会事务办')
  await page.getByRole('button', { name: '记入救助链' }).click()
  await shown(page.getByText(/已将“临时救助” .*800.* 记入救助链/))
  const entry = (await app.db.selectFrom('assistance_entries').select('id').where('household_id', '=', family.id).orderBy('id', 'desc').executeTakeFirstOrThrow()).id
  await page.locator('#chain summary', { hasText: '这条记录有误？冲正' }).first().click()
  await page.getByLabel('冲正原因').fill('金额登记错误，实际发放 600 元')
  await page.getByRole('button', { name: '冲正（追加一条负数记录）' }).click()
  await shown(page.getByText(`已冲正第 ${entry} 条记录（临时救助），原记录保留。`))
  const reversal = await app.db.selectFrom('assistance_entries').select(['id', 'value', 'reverses']).where('household_id', '=', family.id).orderBy('id', 'desc').executeTakeFirstOrThrow()
  t.same([reversal.value, reversal.reverses], [-800, entry], 'a negative entry naming the one it reverses')
  const items = page.locator('#chain ol.timeline > li')
  t.match(await items.nth(0).textContent(), new RegExp(`第 ${reversal.id} 条[\\s\\S]*冲正第 ${entry} 条记录：金额登记错误，实际发放 600 元`), 'the reversal first, naming the entry it corrects and why')
  t.match(await items.nth(1).textContent(), new RegExp(`第 ${entry} 条[\\s\\S]*已被第 ${reversal.id} 条记录冲正（原记录保留）`), 'the original kept, marked as reversed')
  t.equal(await page.locator('#chain summary', { hasText: '这条记录有误？冲正' }).count(), 0, 'neither can be reversed again')
  await checkPage(t, page, 'work-household-reversed')
  await context.close()
})

t.test('a county clerk prints a 签收单, attaches the signed receipt and confirms receipt, at a desk', async t => {
  const world = await browserWorld(t, 200)
  const { app } = world
  startWorker(app)
  // The demo has claims delivered by the demo donors and waiting for the household's confirmation.
  const claim = await app.db.selectFrom('claims as c').innerJoin('wishes as w', 'w.id', 'c.wish_id').select(['c.id', 'w.household_id', 'w.item'])
    .where('c.state', '=', 'delivered').where('w.region_code', 'like', '330503%').orderBy('c.id').executeTakeFirstOrThrow()

  const context = await world.context(DESK)
  const page = await context.newPage()
  await signInOnPage(page, 'mz-county')
  await page.locator('[data-queue="claims-delivered"] a').first().click()
  await page.locator(`a[href="/work/claims/${claim.id}"]`).first().click()
  await shown(page.getByRole('heading', { name: '确认受助家庭已收到' }))
  await page.getByRole('link', { name: '打印签收单' }).click()
  await shown(page.getByRole('heading', { name: '微心愿物品签收单' }))
  await shown(page.getByText(claim.item).first())
  await checkPage(t, page, 'work-receipt-to-sign')
  await page.goBack()

  await page.locator('#photo').setInputFiles({ name: '签收单.png', mimeType: 'image/png', buffer: PNG })
  await page.getByRole('button', { name: '上传签收单' }).click()
  await shown(page.getByText('签收单照片已保存，作为确认收到的凭证。'))
  const receipts = await app.db.selectFrom('evidence').select(['kind', 'file_name']).where('claim_id', '=', claim.id).where('kind', '=', 'signed_receipt').execute()
  t.same(receipts.map(r => r.file_name), ['签收单.png'], 'the photo is kept as the claim\'s signed receipt')
  await checkPage(t, page, 'work-claim-receipt-attached')

  await page.getByRole('button', { name: '确认收到' }).click()
  await shown(page.getByText(`已确认受助家庭收到“${claim.item}”。这次帮扶会写入家庭的救助链，并向爱心人士致谢。`))
  // The feedback job writes the chain entry (and thanks the donor) moments later.
  const chainEntry = () => app.db.selectFrom('assistance_entries').select(['id', 'source', 'household_id']).where('origin', '=', `claim:${claim.id}`).execute()
  let written = await chainEntry()
  for (let i = 0; i < 100 && written.length === 0; i++) { await new Promise(resolve => setTimeout(resolve, 200)); written = await chainEntry() }
  t.same(written.map(e => [e.source, e.household_id]), [['charity', claim.household_id]], 'one chain entry, for the wish\'s household')
  await checkPage(t, page, 'work-claim-confirmed')

  await page.goto(`/work/households/${claim.household_id}`)
  const first = page.locator('#chain ol.timeline > li').first()
  t.match(await first.textContent(), new RegExp(`慈善帮扶 · 第 ${written[0]!.id} 条`), 'the help heads the household\'s chain')
  await context.close()
})

t.test('a roster import\'s progress moves while the job runs', async t => {
  const world = await browserWorld(t, 20)
  const { app } = world
  startWorker(app)
  // 12,000 one-person households of one village: the job reports every 1,000 rows read, and
  // reading waits while each batch of households is written, so the answers move through the file.
  const header = ['户编号', '村社区代码', '姓名', '身份证号', '与户主关系', '劳动能力', '有收入来源', '有赡养人', '患重病', '在学阶段', '就业', '家庭年收入', '医疗支出', '教育支出', '财产符合', '防返贫监测']
  const ROWS = 12000
  const rows = Array.from({ length: ROWS }, (_, i) => [`P${i}`, VILLAGE, `顾${i}`, makeResidentId('330503', addDays('1940-01-01', Math.floor(i / 4) * 5), 11 + (i % 4) * 2, i % 2 ? 'male' : 'female'), '户主', '无', '否', '否', '否', '无', '否', '4000', '0', '0', '是', '否'])
  const csv = [header, ...rows].map(row => row.join(',')).join('\n') + '\n'

  const context = await world.context()
  const page = await context.newPage()
  await signInOnPage(page, 'mz-county')
  await page.goto('/work/imports')
  await page.getByLabel('花名册文件（.csv 或 .xlsx）').setInputFiles({ name: '顾家村花名册.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await page.getByRole('button', { name: '开始导入' }).click()
  await page.waitForURL(/\/work\/imports\/[0-9]+$/)
  const url = page.url()
  // The fragment htmx polls, asked for as htmx does, until the job ends: its answers while it ran.
  const seen: string[] = []
  for (let i = 0; i < 600; i++) {
    const answer = await page.request.get(url, { headers: { 'hx-request': 'true' } })
    const html = await answer.text()
    if (answer.headers()['hx-refresh'] === 'true') break
    const read = /已读取<\/dt><dd>([0-9]+) 行（共 12000 行）/.exec(html)?.[1]
    const percent = /<progress max="100" value="([0-9]+)"/.exec(html)?.[1]
    if (read && Number(read) > 0 && Number(read) < ROWS) {
      seen.push(`${read}/${percent}`)
      if (seen.length === 1) await checkPage(t, page, 'work-import-running')
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  t.ok(seen.length >= 1, `the fragment showed the job part-way (${seen.join(', ')})`)
  t.ok(seen.every(s => { const [read, percent] = s.split('/').map(Number); return read! % 1000 === 0 && percent === Math.round(read! / ROWS * 100) }), 'rows read, in steps of 1,000, and the percent of the file')
  await shown(page.getByText(`新建 ${ROWS} 户，已登记未变 0 户`))
  await checkPage(t, page, 'work-import-done')
  await context.close()
})
