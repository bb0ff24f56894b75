// Dynamic monitoring in a real browser at a phone's width, without touching the API: a town
// clerk uploads a department's death records, watches the import run, reads what did not
// match, finds the warnings it raised in the worklist, handles one and refers another to
// charity; another town's clerk sees neither; the administrator's settings pages.
import t from 'tap'
import { signIn } from '../helpers/accounts.js'
import { browserWorld, checkPage, shown, signInOnPage } from '../helpers/browser.js'
import { csvOf, family, residentId } from '../helpers/monitoring.js'
import { startWorker } from '../helpers/worker.js'
import { OTHER_TOWN } from '../helpers/accounts.js'
import { today } from '../../server/clock.js'

t.test('a town clerk: a feed imported with live progress, its warnings in the worklist, one handled, one referred to charity', async t => {
  const world = await browserWorld(t, 60)
  const clerk = await signIn(world.app, 'mz-nanxun')
  // Two families of the town, each losing a working-age member a few days ago.
  const day = new Date(Date.parse(`${today()}T00:00:00Z`) - 3 * 86_400_000).toISOString().slice(0, 10)
  const first = await family(clerk, [{ birthDate: '1968-02-02', name: '沈大福' }, { birthDate: '1990-03-03', name: '沈小福' }])
  const second = await family(clerk, [{ birthDate: '1966-06-06', name: '陆阿强' }, { birthDate: '1988-08-08', name: '陆小强' }])
  const stranger = residentId('1955-05-05')
  const file = csvOf([
    ['身份证号', '姓名', '死亡日期'],
    [first.idNumbers[1]!, '沈小福', day],
    [second.idNumbers[1]!, '陆小强', day],
    [stranger, '外地人', day],
    [first.idNumbers[0]!, '沈大福', '二月三日']
  ])

  const context = await world.context()
  const page = await context.newPage()
  await signInOnPage(page, 'mz-nanxun')
  await page.locator('summary', { hasText: '菜单' }).click()
  await page.locator('.menu').getByRole('link', { name: '部门数据' }).click()
  await shown(page.getByRole('heading', { name: '部门数据导入' }))
  await checkPage(t, page, 'monitoring-feeds')

  // Without a file: said beside the field.
  await page.getByRole('button', { name: '开始导入' }).click()
  await shown(page.getByText('请选择要导入的文件').last())
  await checkPage(t, page, 'monitoring-feeds-error')

  // The worker is not running yet: the import waits in the queue and the page shows its progress.
  await page.getByLabel('数据类型').selectOption({ label: '死亡信息（卫健、公安）' })
  await page.locator('#file').setInputFiles({ name: '死亡数据.csv', mimeType: 'text/csv', buffer: Buffer.from(file) })
  await shown(page.getByText('已选择：死亡数据.csv'))
  await page.getByRole('button', { name: '开始导入' }).click()
  await page.waitForURL(/\/work\/feeds\/\d+$/)
  await shown(page.getByText('文件已上传，正在导入。'))
  await shown(page.getByRole('progressbar', { name: '导入进度' }))
  await checkPage(t, page, 'monitoring-feed-progress')
  startWorker(world.app)
  // htmx asks every second; when the job is done, the page shows the results by itself.
  await shown(page.getByText('读取行数'))
  t.match(await page.locator('.feed-numbers').innerText(), /4\s*读取行数\s*2\s*匹配在册人员\s*1\s*未匹配\s*1\s*无效行\s*0\s*此前已导入\s*2\s*生成预警/)
  await shown(page.getByText('不在低收入人口监测数据库中'))
  await shown(page.getByText('“二月三日”不是日期，应写成 2026-02-03'))
  await checkPage(t, page, 'monitoring-feed')

  await page.getByRole('link', { name: '查看本批生成的 2 条预警' }).click()
  await shown(page.getByText(/共 2 条（第 \d+ 批导入生成的预警）/))
  t.equal(await page.locator('.warning-row').count(), 2)
  const raisedList = page.url()
  await checkPage(t, page, 'monitoring-warnings')

  // Handle the first: a visit, first forgetting the note.
  await page.locator('.warning-row').first().getByRole('link').click()
  await shown(page.getByRole('heading', { name: '登记处置' }))
  await shown(page.getByText(/还剩 \d+ 个工作日/).first())
  await checkPage(t, page, 'monitoring-warning')
  await page.getByLabel('处置情况').selectOption({ label: '已落实救助政策（办结）' })
  await page.getByRole('button', { name: '保存处置' }).click()
  await shown(page.getByText('请填写说明').last())
  t.equal(await page.getByLabel('处置情况').inputValue(), 'policy_applied', 'the choice kept')
  await checkPage(t, page, 'monitoring-warning-error')
  await page.getByLabel('说明', { exact: true }).fill('已入户走访，落实临时救助')
  await page.locator('summary', { hasText: '已发放救助？' }).click()
  await page.getByLabel('救助类型').fill('临时救助')
  await page.getByLabel('救助金额（元）').fill('2000')
  await page.getByRole('button', { name: '保存处置' }).click()
  await shown(page.getByText('预警已办结。救助已写入该户的救助链。'))
  await shown(page.getByText(/已办结 · 已落实政策/))

  // Refer the other to charity as a wish, from the worklist.
  await page.goto(raisedList)
  t.equal(await page.locator('.warning-row').count(), 1, 'one of the two still open')
  await page.locator('.warning-row').first().getByRole('link').click()
  await page.getByLabel('心愿类别').selectOption({ label: '生活用品' })
  await page.getByLabel('心愿物品或服务').fill('电饭煲')
  await page.getByLabel('估计价值（元）').fill('300')
  await page.getByRole('button', { name: '转慈善帮扶' }).click()
  await shown(page.getByText(/已转为微心愿（第 \d+ 号），进入待核实/))
  await shown(page.getByText(/已办结 · 已转慈善帮扶/))
  await checkPage(t, page, 'monitoring-warning-closed')
  const wish = await world.app.db.selectFrom('wishes').select(['item', 'state', 'person_id']).where('item', '=', '电饭煲').where('person_id', 'in', second.personIds).executeTakeFirstOrThrow()
  t.same(wish, { item: '电饭煲', state: 'submitted', person_id: second.personIds[0] })
  // The member the death record names is still listed on the household's page, marked 已故 with the record.
  const closedWarning = page.url()
  await page.goto(`/work/households/${second.id}`)
  await shown(page.locator('#members .tag', { hasText: '已故' }))
  await shown(page.locator('#members').getByText(/去世，据死亡信息（卫健、公安）第 \d+ 批导入第 \d+ 行/))
  await checkPage(t, page, 'monitoring-household-died')
  await page.goto(closedWarning)

  // Another town's clerk: not in their list, and the page is not found.
  const warningPath = new URL(page.url()).pathname
  const admin = await signIn(world.app, 'admin')
  await admin.call({ method: 'POST', url: '/api/v1/users', payload: { username: 'mz-shuanglin', displayName: '双林镇 社会事务办 孙干事', password: 'long-enough-pass-1', roles: ['civil_affairs'], regionCode: OTHER_TOWN } })
  const elsewhere = await (await world.context()).newPage()
  await signInOnPage(elsewhere, 'mz-shuanglin', 'long-enough-pass-1')
  await elsewhere.goto('/work/warnings?desk=all&status=closed')
  await shown(elsewhere.getByRole('heading', { name: '预警处置' }))
  t.equal(await elsewhere.locator(`a[href="${warningPath}"]`).count(), 0, 'not in another town\'s list')
  const refused = await elsewhere.goto(warningPath)
  t.equal(refused?.status(), 404)
  await context.close()
})

t.test('the administrator\'s settings: routing table, rules, holiday calendar', async t => {
  const world = await browserWorld(t, 60)
  const page = await (await world.context()).newPage()
  await signInOnPage(page, 'admin')
  await page.goto('/admin/monitoring/rules')
  await shown(page.getByRole('heading', { name: '预警规则' }))
  await checkPage(t, page, 'monitoring-rules')
  await page.getByRole('link', { name: '路由表' }).click()
  await shown(page.getByRole('heading', { name: '预警路由表' }))
  // Send deaths in working-age to the county desk; the table says it is changed.
  await page.getByLabel('预警类别').selectOption({ label: '出现新困难' })
  await page.getByLabel('规则').selectOption({ label: '收入骤减：劳动年龄段家庭成员死亡' })
  await page.getByLabel('承办部门').selectOption({ label: '民政' })
  await page.getByLabel('县（区）').check()
  await page.getByRole('button', { name: '保存' }).click()
  await shown(page.getByText('请填写调整依据').last())
  await checkPage(t, page, 'monitoring-routes-error')
  await page.getByLabel('调整依据').fill('区民政局 2026 年第 3 号通知')
  await page.getByRole('button', { name: '保存' }).click()
  await shown(page.getByText(/已设置：出现新困难（收入骤减：劳动年龄段家庭成员死亡） → 民政 · 县（区）/))
  await shown(page.getByText('已调整'))
  await checkPage(t, page, 'monitoring-routes')
  await page.getByRole('link', { name: '节假日与调休' }).click()
  await shown(page.getByRole('heading', { name: '节假日与调休' }))
  await checkPage(t, page, 'monitoring-calendar')
})
