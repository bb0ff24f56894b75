// The monitoring pages as a browser meets them (without one): a department feed uploaded on the
// page, its live progress, and every bad row counted with its reason; the worklist with its
// working days left, its filters and its region; a warning handled, extended and referred to
// charity on its page, with the errors beside their fields and what was typed kept.
import t from 'tap'
import ExcelJS from 'exceljs'
import { appWithAccounts, OTHER_TOWN, signIn } from '../../helpers/accounts.js'
import { clockAt, csvOf, family, importFeed, monitoringWorld, postFile, residentId } from '../../helpers/monitoring.js'
import { PageClient, fieldError, inputValue, textOf, unescaped } from '../../helpers/pages.js'
import { setClock } from '../../../server/clock.js'
import { MAINTENANCE_TASKS } from '../../../jobs/processors/maintenance.js'
import { jobContext } from '../../helpers/worker.js'

t.teardown(() => setClock())

async function setUp (t: Parameters<typeof appWithAccounts>[0]) {
  const { app, clerk } = await monitoringWorld(t)
  const household = await family(clerk, [{ birthDate: '1970-01-01' }, { birthDate: '1985-05-05', name: '周二成' }])
  const browser = new PageClient(app)
  await browser.signIn('mz-nanxun')
  return { app, clerk, household, browser }
}

/** The rows of the table under a heading: each cell's text. */
function tableUnder (html: string, headingId: string): string[][] {
  const section = html.slice(html.indexOf(`id="${headingId}"`)).split('</section>')[0] as string
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(section)?.[1] ?? ''
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(row => [...(row[1] as string).matchAll(/<td>([\s\S]*?)<\/td>/g)].map(cell => textOf(cell[1] as string)))
}

/** The option chosen in a select. */
const selected = (html: string, id: string) => new RegExp(`<select id="${id}"[^>]*>[\\s\\S]*?<option value="([^"]*)" selected>`).exec(html)?.[1]

t.test('a feed uploaded on the page: progress while it runs, then each bad row counted with its reason; again, nothing new', async t => {
  const { household, browser } = await setUp(t)
  const page = await browser.get('/work/feeds')
  t.equal(page.statusCode, 200)
  t.match(textOf(page.body), /还没有导入过部门数据。 下载模板，填好后在上方导入。/)

  // Nothing chosen, then a file of another kind: said beside the file field, the kind kept.
  const none = await postFile(browser, '/work/feeds', { kind: 'death' })
  t.equal(none.statusCode, 400)
  t.equal(fieldError(none.body, 'file'), '请选择要导入的文件')
  t.equal(selected(none.body, 'kind'), 'death')
  const text = await postFile(browser, '/work/feeds', { kind: 'death' }, { field: 'file', name: 'deaths.txt', content: 'x' })
  t.equal(text.statusCode, 400)
  t.equal(fieldError(text.body, 'file'), '文件须为 CSV（.csv）、Excel（.xlsx）或 JSON（.json）')

  const stranger = residentId('1960-01-01')
  const badChecksum = household.idNumbers[0]!.slice(0, 17) + (household.idNumbers[0]!.endsWith('1') ? '2' : '1')
  const file = csvOf([
    ['身份证号', '姓名', '死亡日期'],
    [household.idNumbers[1]!, '周二成', '2026-02-02'], // line 2: matched, a working-age member
    [stranger, '王某', '2026-02-03'], // line 3: not in the registry
    [badChecksum, '周大成', '2026-02-03'], // line 4: the check digit is wrong
    [household.idNumbers[0]!, '周大成', ''], // line 5: no date
    [household.idNumbers[0]!, '周大成', '2026-03-01'], // line 6: a day still to come
    [household.idNumbers[1]!, '周二成', '2026-02-02'] // line 7: line 2 again
  ])
  const uploaded = await postFile(browser, '/work/feeds', { kind: 'death' }, { field: 'file', name: '死亡数据.csv', content: file, type: 'text/csv' })
  t.equal(uploaded.statusCode, 303)
  const id = Number(/^\/work\/feeds\/(\d+)$/.exec(String(uploaded.headers.location))?.[1])
  t.ok(id > 0, 'to the import\'s own page')
  const landed = await browser.follow(uploaded)
  t.match(textOf(landed.body), /文件已上传，正在导入。导入完成后会显示匹配结果和未匹配的记录。/)
  t.match(textOf(landed.body), new RegExp(`死亡信息（卫健、公安）：第 ${id} 批 死亡数据.csv`))

  // htmx asks for the progress part every second; once the job is done it is sent to the whole page.
  let done: Awaited<ReturnType<PageClient['get']>> | undefined
  for (let i = 0; i < 100 && !done; i++) {
    const part = await browser.get(`/work/feeds/${id}`, { 'hx-request': 'true' })
    t.equal(part.statusCode, 200)
    if (part.headers['hx-redirect']) done = part
    else {
      t.match(part.body, /id="feed-progress"[^>]*hx-trigger="every 1s"/, 'a progress part that asks again')
      t.notMatch(part.body, /<html/, 'a part, not a page')
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  }
  t.equal(done?.headers['hx-redirect'], `/work/feeds/${id}`)
  t.equal(done?.body, '')

  const result = await browser.get(`/work/feeds/${id}`)
  const read = textOf(result.body)
  t.match(read, /已完成/)
  t.match(read, /6 读取行数 1 匹配在册人员 1 未匹配 4 无效行 0 此前已导入 1 生成预警/)
  t.match(unescaped(result.body), `href="/work/warnings?desk=all&feed=${id}">查看本批生成的 1 条预警`)
  t.same(tableUnder(result.body, 'problems-heading'), [
    ['4', '身份证号', tableUnder(result.body, 'problems-heading')[0]?.[2] as string],
    ['5', '死亡日期', '缺少死亡日期'],
    ['6', '死亡日期', '2026-03-01 晚于今天'],
    ['7', '', '与第 2 行是同一条记录']
  ])
  t.match(tableUnder(result.body, 'problems-heading')[0]?.[2], /校验/, 'the check digit named')
  t.same(tableUnder(result.body, 'unmatched-heading'), [['3', `${stranger.slice(0, 6)}********${stranger.slice(14)}`, '2026-02-03', '不在低收入人口监测数据库中']])
  t.match(read, /未匹配的记录（1）/)
  t.match(read, /无效的行（4）/)
  t.notMatch(result.body, new RegExp(stranger), 'no ID number in the clear')

  // The warnings the import raised, from its link.
  const raised = textOf((await browser.get(`/work/warnings?desk=all&feed=${id}`)).body)
  t.match(raised, new RegExp(`共 1 条（第 ${id} 批导入生成的预警）`))
  t.match(raised, /收入骤减：劳动年龄段家庭成员死亡/)

  // The same file again: nothing new, and the page says why.
  await browser.get('/work/feeds')
  const again = await postFile(browser, '/work/feeds', { kind: 'death' }, { field: 'file', name: '死亡数据.csv', content: file, type: 'text/csv' })
  const second = String(again.headers.location)
  for (let i = 0; i < 100; i++) {
    if (!(await browser.get(second, { 'hx-request': 'true' })).headers['hx-redirect']) await new Promise(resolve => setTimeout(resolve, 100))
    else break
  }
  const repeat = textOf((await browser.get(second)).body)
  t.match(repeat, /6 读取行数 0 匹配在册人员 0 未匹配 4 无效行 2 此前已导入 0 生成预警/)
  t.match(repeat, /有 2 条记录此前已经导入过，这次没有重复处理。/)

  // The list of imports, newest first.
  const list = await browser.get('/work/feeds')
  t.same(tableUnder(list.body, 'imports-heading').map(row => row.slice(2)), [['已完成', '0', '0', '4', '0'], ['已完成', '1', '1', '4', '1']])
})

t.test('templates: CSV with a byte-order mark and XLSX, the Chinese headers in the schema\'s order', async t => {
  const { browser } = await setUp(t)
  const csv = await browser.get('/work/feeds/templates/medical')
  t.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
  t.equal(csv.headers['content-disposition'], `attachment; filename*=UTF-8''${encodeURIComponent('医疗费用（医保）模板.csv')}`)
  t.equal(csv.body, '\uFEFF身份证号,姓名,结算日期,自付金额,医疗总费用,业务编号\r\n330503198005010012,张三,2026-02-10,12500,36000,YB2026-000123\r\n')
  const xlsx = await browser.get('/work/feeds/templates/disaster?format=xlsx')
  const workbook = new ExcelJS.Workbook()
  await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
  t.same((workbook.worksheets[0]?.getRow(1).values as unknown[]).slice(1), ['身份证号', '姓名', '灾害日期', '损失金额', '灾害类型', '业务编号'])
  t.equal((await browser.get('/work/feeds/templates/weather')).statusCode, 404)
})

t.test('the worklist: the desk\'s warnings by deadline in working days, its filters, and none from another town', async t => {
  const { app, clerk, household, browser } = await setUp(t)
  await importFeed(clerk, 'death', csvOf([['身份证号', '死亡日期'], [household.idNumbers[1]!, '2026-02-02']]))
  const warning = (await clerk.call({ method: 'GET', url: '/api/v1/warnings' })).json().items[0]

  const list = textOf((await browser.get('/work/warnings')).body)
  t.match(list, /1 未办结 0 3 个工作日内到期 0 已逾期/)
  t.match(list, /收入骤减：劳动年龄段家庭成员死亡/)
  t.match(list, /周\*\* · 南浔镇 东大街社区 · 低收入人口/)
  t.match(list, /还剩 10 个工作日 2026年3月3日到期/, 'ten working days over the Spring Festival')
  t.match(list, /共 1 条，按到期日排序；今天是 2026年2月11日。/)

  clockAt('2026-02-28') // the Saturday worked: two working days left
  t.match(textOf((await browser.get('/work/warnings')).body), /1 未办结 1 3 个工作日内到期 0 已逾期.*还剩 2 个工作日/)
  const home = textOf((await browser.get('/work')).body)
  t.match(home, /0 已逾期的预警/, 'the workbench counts it too')
  t.match(home, /1 3 个工作日内到期的预警/)
  clockAt('2026-03-05')
  const late = textOf((await browser.get('/work/warnings?due=overdue')).body)
  t.match(late, /1 未办结 0 3 个工作日内到期 1 已逾期.*已逾期 2 个工作日/)
  t.match(textOf((await browser.get('/work')).body), /1 已逾期的预警.*0 3 个工作日内到期的预警/)
  const other = await browser.get('/work/warnings?warningClass=possibly_eligible')
  t.match(textOf(other.body), /共 0 条.*没有符合条件的预警。 清除筛选条件 ，看看全部预警。/)
  t.equal(selected(other.body, 'warningClass'), 'possibly_eligible', 'the filter kept')
  const bad = await browser.get('/work/warnings?due=tomorrow')
  t.equal(bad.statusCode, 200, 'a bad filter: the whole list')
  t.match(textOf(bad.body), /共 1 条/)

  // Another town's officer sees neither the list entry nor the page.
  const admin = await signIn(app, 'admin')
  await admin.call({ method: 'POST', url: '/api/v1/users', payload: { username: 'mz-shuanglin', displayName: '双林镇干事', password: 'long-enough-pass-1', roles: ['civil_affairs'], regionCode: OTHER_TOWN } })
  const shuanglin = new PageClient(app, '10.9.0.2')
  await shuanglin.signIn('mz-shuanglin', 'long-enough-pass-1')
  t.match(textOf((await shuanglin.get('/work/warnings?desk=all')).body), /共 0 条/)
  t.match(textOf((await shuanglin.get('/work')).body), /0 已逾期的预警/, 'nor counts it')
  t.equal((await shuanglin.get(`/work/warnings/${warning.id}`)).statusCode, 404)
  t.equal((await shuanglin.post(`/work/warnings/${warning.id}/actions`, { action: 'visit', note: '走访' })).statusCode, 404)
})

t.test('a warning handled on its page: errors beside the fields with what was typed kept; a visit, an extension, a referral to charity', async t => {
  const { app, clerk, household, browser } = await setUp(t)
  await importFeed(clerk, 'death', csvOf([['身份证号', '死亡日期'], [household.idNumbers[1]!, '2026-02-02']]))
  const warning = (await clerk.call({ method: 'GET', url: '/api/v1/warnings' })).json().items[0]
  const url = `/work/warnings/${warning.id}`

  const page = await browser.get(url)
  const read = textOf(page.body)
  t.match(read, /待处置 · 还剩 10 个工作日/)
  t.match(read, /处置时限 10 个工作日（低收入人口），2026年2月11日生成，2026年3月3日到期/)
  t.match(read, /承办 南浔镇 民政 对象/)
  t.match(read, /死亡信息（卫健、公安），第 \d+ 批导入的第 2 行： 日期 2026-02-02 规则比较的数值 年龄（岁） 40 死亡日期 2026-02-02/)
  t.match(read, /依据：《湖州市南浔区 浔政办发〔2025〕11号》 四\(三\)“劳动年龄段人口死亡”/, 'the document by its issuer and number')
  t.notMatch(read, /\.txt/)
  t.match(read, /劳动年龄上限：59 岁 劳动年龄下限：16 岁/)
  t.match(read, /周\*\* 户主 56 岁 周\*\* 预警对象 已故 2026年2月2日去世，据死亡信息（卫健、公安）第 \d+ 批导入第 2 行 子女 40 岁/)
  t.match(read, /生成预警/)

  // A handling without a note: said beside the note, the action kept.
  const noNote = await browser.post(`${url}/actions`, { action: 'policy_applied', note: '' })
  t.equal(noNote.statusCode, 400)
  t.equal(fieldError(noNote.body, 'note'), '请填写说明')
  t.equal(selected(noNote.body, 'action'), 'policy_applied')
  const badMoney = await browser.post(`${url}/actions`, { action: 'policy_applied', note: '已发放临时救助', assistanceKind: '临时救助', assistanceValue: '很多' })
  t.equal(badMoney.statusCode, 400)
  t.equal(fieldError(badMoney.body, 'assistanceValue'), '救助金额的内容不正确')
  t.equal(inputValue(badMoney.body, 'assistanceKind'), '临时救助')

  const visited = await browser.post(`${url}/actions`, { action: 'visit', note: '已入户走访，家中失去主要劳动力' })
  t.equal(visited.statusCode, 303)
  t.equal(visited.headers.location, url)
  const afterVisit = textOf((await browser.follow(visited)).body)
  t.match(afterVisit, /已记录处置情况。预警仍在处置中，请在时限内办结。/)
  t.match(afterVisit, /处置中 · 还剩 10 个工作日/)
  t.match(afterVisit, /入户走访 ：已入户走访，家中失去主要劳动力/)

  // An extension: too many days and no reason, then five working days.
  const tooLong = await browser.post(`${url}/extension`, { workingDays: '45', reason: '' })
  t.equal(tooLong.statusCode, 400)
  t.equal(fieldError(tooLong.body, 'workingDays'), '延长的工作日不能大于 30')
  t.equal(fieldError(tooLong.body, 'reason'), '请填写延期理由')
  t.equal(inputValue(tooLong.body, 'workingDays'), '45')
  const extended = await browser.post(`${url}/extension`, { workingDays: '5', reason: '家庭情况复杂，需召开一事一议会议' })
  t.equal(extended.statusCode, 303)
  const afterExtension = textOf((await browser.follow(extended)).body)
  t.match(afterExtension, /处置时限已延长至 2026年3月10日。/)
  t.match(afterExtension, /处置时限 15 个工作日/)
  t.match(afterExtension, /延长时限 ：家庭情况复杂，需召开一事一议会议/)

  // A referral to charity as a wish: the item missing, the category kept; then in one step.
  const noItem = await browser.post(`${url}/referral`, { kind: 'wish', personId: String(household.personIds[0]), category: 'daily_goods', value: '300' })
  t.equal(noItem.statusCode, 400)
  t.equal(fieldError(noItem.body, 'item'), '请填写心愿物品或服务')
  t.equal(selected(noItem.body, 'category'), 'daily_goods')
  t.equal(inputValue(noItem.body, 'value'), '300')
  const referred = await browser.post(`${url}/referral`, { kind: 'wish', personId: String(household.personIds[0]), category: 'daily_goods', item: '电饭煲', value: '300', story: '家中主要劳动力去世，生活困难' })
  t.equal(referred.statusCode, 303)
  const wish = await app.db.selectFrom('wishes').select(['id', 'person_id', 'item', 'value', 'state']).executeTakeFirstOrThrow()
  t.match(wish, { person_id: household.personIds[0], item: '电饭煲', value: 300, state: 'submitted' })
  const afterReferral = await browser.follow(referred)
  const closed = textOf(afterReferral.body)
  t.match(closed, new RegExp(`已转为微心愿（第 ${wish.id} 号），进入待核实；入户核实后即可发布给爱心人士。预警已办结。`))
  t.match(closed, /已办结 · 已转慈善帮扶/)
  t.notMatch(afterReferral.body, /action="[^"]*\/actions"/, 'a closed warning has no forms')
  t.equal((await browser.post(`${url}/actions`, { action: 'visit', note: '再次走访' })).statusCode, 409, 'and refuses another handling')
  t.match(textOf((await browser.get('/work/warnings?status=closed')).body), /共 1 条.*已转慈善帮扶/)
  t.match(textOf((await browser.get('/work/warnings')).body), /共 0 条.*本窗口暂无待处置的预警。/)
})

t.test('a death from a department feed: marked 已故 with its day and record wherever staff see the members, the member kept until the clerk records the leaving', async t => {
  const { app, clerk, household, browser } = await setUp(t)
  const imported = await importFeed(clerk, 'death', csvOf([['身份证号', '死亡日期'], [household.idNumbers[1]!, '2026-02-02']]))
  const importId = imported.id as number
  const source = `2026年2月2日去世，据死亡信息（卫健、公安）第 ${importId} 批导入第 2 行`
  const person = await app.db.selectFrom('persons').select(['left_on']).where('id', '=', household.personIds[1]!).executeTakeFirstOrThrow()
  t.equal(person.left_on, null, 'the registry is not changed by the import')

  const warning = (await clerk.call({ method: 'GET', url: '/api/v1/warnings' })).json().items[0]
  const page = await browser.get(`/work/warnings/${warning.id}`)
  t.match(textOf(page.body), new RegExp(`家庭成员 成员 关系 年龄 周\\*\\* 户主 56 岁 周\\*\\* 预警对象 已故 ${source} 子女 40 岁 处置记录`))
  const options = [...(/<select id="personId"[^>]*>([\s\S]*?)<\/select>/.exec(page.body)?.[1] ?? '').matchAll(/<option value="(\d+)"/g)].map(m => Number(m[1]))
  t.same(options, [household.personIds[0]], 'a wish only for the living')

  const householdPage = textOf((await browser.get(`/work/households/${household.id}`)).body)
  t.match(householdPage, /家庭成员（2 人）/, 'still a member')
  t.match(householdPage, new RegExp(`周\\*\\* 已故 ${source} 子女`))
  t.notMatch(householdPage.replace(new RegExp(`周\\*\\* 已故 ${source}`), ''), /已故/, 'only the one the record names')

  // Where the clerk records the leaving, and where a wish is raised: the same mark.
  const edit = textOf((await browser.get(`/work/households/${household.id}/edit`)).body)
  t.match(edit, new RegExp(`第 2 位：周\\*\\*（1985年5月5日） 已故 ${source}`))
  t.match(edit, new RegExp(`成员离开（去世、迁出）.*周\\*\\* 已故 ${source}`))
  t.equal(edit.split('已故').length - 1, 2, 'the head is not marked')
  const raise = textOf((await browser.get(`/work/wishes/new?householdId=${household.id}`)).body)
  t.match(raise, new RegExp(`周\\*\\*（子女，约 \\d+ 岁） 已故 ${source}`))
})

t.test('a warning\'s history names the desks by their region and each person by their display name; what was stored stays as it was', async t => {
  const { app, clerk, household, browser } = await setUp(t)
  await importFeed(clerk, 'death', csvOf([['身份证号', '死亡日期'], [household.idNumbers[1]!, '2026-02-02']]))
  const warning = (await clerk.call({ method: 'GET', url: '/api/v1/warnings' })).json().items[0]
  const url = `/work/warnings/${warning.id}`
  await browser.get(url)
  t.equal((await browser.post(`${url}/actions`, { action: 'visit', note: '已入户走访' })).statusCode, 303)
  clockAt('2026-03-04')
  await MAINTENANCE_TASKS['warning-reminders']!.run(jobContext(app))

  const history = textOf((await browser.get(url)).body).split('处置记录')[1]?.split('登记处置')[0] ?? ''
  const lines = [...history.matchAll(/\d{4}年\d+月\d+日 \d+:\d+ · (.+?) (\S+?) ：(.+?)(?= \d{4}年|$)/g)].map(m => `${m[1]} | ${m[2]} | ${(m[3] as string).trim()}`)
  t.same(lines, [
    '南浔镇 社会事务办 李干事 | 生成预警 | 低收入人口，10 个工作日内处置，3月3日 到期；转 民政（南浔镇）',
    '南浔镇 社会事务办 李干事 | 入户走访 | 已入户走访',
    '系统 | 已逾期 | 已超过 3月3日 的处置时限',
    '系统 | 报上级督办 | 已报上级（湖州市南浔区）督办'
  ])
  t.notMatch(history, /mz-nanxun|system|330503/)
  const stored = (await clerk.call({ method: 'GET', url: `/api/v1/warnings/${warning.id}` })).json().events
  t.same(stored.map((e: { actor: string, actorName: string, note: string }) => [e.actor, e.actorName, e.note]), [
    ['mz-nanxun', '南浔镇 社会事务办 李干事', '低收入人口，10 个工作日内处置，3月3日 到期；转 民政（330503101）'],
    ['mz-nanxun', '南浔镇 社会事务办 李干事', '已入户走访'],
    ['system', '系统', '已超过 3月3日 的处置时限'],
    ['system', '系统', '已报上级（330503）督办']
  ])
  // The county above hears of it by the town's name too.
  const county = new PageClient(app)
  await county.signIn('mz-county')
  t.match(textOf((await county.get('/notifications')).body), /下级窗口（南浔镇）的预警已逾期未处置，请督办/)
})
