// The civil-affairs workbench without a browser: the queue counts of the county and of a town
// (exact, and different), errors beside their fields in Chinese, a town officer kept to their
// town, a rejection that needs its reason, and a roster imported twice — the second time
// creating nothing, and saying so; reclassifying tried first through the preview the API answers;
// an entry reversed on the household page, the reversal shown with its reason (read with the chain).
import t from 'tap'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { OTHER_VILLAGE, registerHousehold } from '../../helpers/needs.js'
import { PageClient, fieldError, textOf } from '../../helpers/pages.js'
import { startWorker } from '../../helpers/worker.js'
import { makeResidentId } from '../../../matching/resident-id.js'
import { queueCounts } from '../../../server/web/work-queues.js'
import { plainMessage } from '../../../server/web/forms.js'
import { chineseOnly } from '../../../server/web/explain-decision.js'
import { today } from '../../../server/clock.js'
import { importJobId } from '../../../jobs/queues.js'
import type { Principal } from '../../../server/auth/principal.js'

async function world (t: Parameters<typeof appWithAccounts>[0]) {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const county = await signIn(app, 'mz-county')
  const town = await registerHousehold(county, [{ name: '韩大平', birthDate: '1979-07-07', sex: 'male' }, { name: '韩小安', birthDate: '2015-07-07', sex: 'male', schoolStage: 'primary' }])
  const other = await registerHousehold(county, [{ name: '沈长生', birthDate: '1950-03-03', sex: 'male' }], { regionCode: OTHER_VILLAGE })
  // Two wishes waiting for verification: one in 南浔镇, one in 双林镇.
  for (const personId of [town.personIds[1], other.personIds[0]]) {
    const raised = await county.call({ method: 'POST', url: '/api/v1/wishes', payload: { personId, category: 'clothing', item: '棉衣', value: 150, story: '冬天没有厚衣服。', submit: true } })
    if (raised.statusCode !== 201) throw new Error(raised.body)
  }
  return { app, town, other }
}

const principalOf = async (app: Awaited<ReturnType<typeof appWithAccounts>>, username: string): Promise<Principal> => {
  const user = await app.db.selectFrom('users').select(['id', 'region_code', 'display_name']).where('username', '=', username).executeTakeFirstOrThrow()
  return { kind: 'session', userId: user.id, username, displayName: user.display_name, roles: ['civil_affairs'], regionCode: user.region_code, organisationId: null, institutionId: null, donorId: null, contactVerified: true }
}

t.test('the county and the town count different worlds, and the town officer is kept to the town', async t => {
  const { app, town, other } = await world(t)
  const counts = async (username: string) => Object.fromEntries((await queueCounts(app.db, await principalOf(app, username), today())).map(q => [q.key, q.count]))
  t.equal((await counts('mz-county'))['wishes-to-verify'], 2, 'the county: both wishes')
  t.equal((await counts('mz-nanxun'))['wishes-to-verify'], 1, 'the town: its own')

  const officer = new PageClient(app)
  await officer.signIn('mz-nanxun')
  const home = await officer.get('/work')
  t.equal(home.statusCode, 200)
  t.match(textOf(home.body), /负责地区： ?南浔镇/)
  t.match(textOf(home.body), /1 待入户核实的微心愿/)
  const list = await officer.get('/work/households')
  t.match(list.body, `/work/households/${town.id}"`, 'the town\'s household is listed')
  t.notMatch(list.body, `/work/households/${other.id}"`, 'another town\'s is not')
  t.notMatch(textOf(list.body), /韩大平/, 'names are masked in the list')
  t.equal((await officer.get(`/work/households/${other.id}`)).statusCode, 404, 'another town\'s household is not shown, as the API answers')
  const wishes = await officer.get('/work/wishes?state=submitted')
  t.match(textOf(wishes.body), /“待核实”共 1 个/)
})

t.test('errors beside their fields, in Chinese; a rejection needs its reason', async t => {
  const { app, town } = await world(t)
  const clerk = new PageClient(app)
  await clerk.signIn('mz-county')
  await clerk.get('/work')
  const wish = (await app.db.selectFrom('wishes').select('id').where('household_id', '=', town.id).executeTakeFirstOrThrow()).id
  const short = await clerk.post(`/work/wishes/${wish}/verify`, { visitNote: '好' })
  t.equal(short.statusCode, 400)
  t.equal(fieldError(short.body, 'visitNote'), '入户核实情况至少 4 个字符')
  const assistance = await clerk.post(`/work/households/${town.id}/assistance`, { kind: 'temporary_assistance', value: '-5', occurredOn: today(), provider: '南浔镇' })
  t.equal(assistance.statusCode, 400)
  t.equal(fieldError(assistance.body, 'value'), '金额（元）不能小于 0')

  const project = (await app.db.insertInto('projects').values({ organisation_id: (await app.db.selectFrom('organisations').select('id').executeTakeFirstOrThrow()).id, kind: 'fund', title: '助学金', budget: 10000, status: 'open' }).returning('id').executeTakeFirstOrThrow()).id
  const county = await signIn(app, 'mz-county')
  const proposal = (await county.call({ method: 'POST', url: `/api/v1/projects/${project}/applications`, payload: { householdId: town.id, statement: '孩子上学需要资助。', amount: 800 } })).json().id as number
  const noReason = await clerk.post(`/work/proposals/${project}/decide`, { decision: 'reject', 'items.0.id': String(proposal) })
  t.equal(noReason.statusCode, 400)
  t.equal(fieldError(noReason.body, 'reason'), '请写明不予确认的理由（会告知项目机构）')
  t.equal((await app.db.selectFrom('proposals').select('status').where('id', '=', proposal).executeTakeFirstOrThrow()).status, 'open', 'nothing decided')
  const rejected = await clerk.post(`/work/proposals/${project}/decide`, { decision: 'reject', 'items.0.id': String(proposal), reason: '已由其他项目资助' })
  t.equal(rejected.statusCode, 303)
  t.equal((await app.db.selectFrom('proposals').select(['status', 'reason']).where('id', '=', proposal).executeTakeFirstOrThrow()).reason, '已由其他项目资助')
  t.match(textOf((await clerk.follow(rejected)).body), /已将 1 条推荐标为不予确认，理由已记录。/)
})

t.test('a roster imported twice: the second time creates nothing, and says so', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  startWorker(app)
  const county = await signIn(app, 'mz-county')
  const header = ['户编号', '村社区代码', '姓名', '身份证号', '与户主关系', '劳动能力', '有收入来源', '有赡养人', '患重病', '在学阶段', '就业', '家庭年收入', '医疗支出', '教育支出', '财产符合', '防返贫监测']
  const row = ['T1', '330503101001', '冯一', makeResidentId('330503', '1949-10-01', 71, 'male'), '户主', '无', '否', '否', '否', '无', '否', '5000', '0', '0', '是', '否']
  const csv = `${header.join(',')}\n${row.join(',')}\n`
  const runs: number[] = []
  for (let i = 0; i < 2; i++) {
    const started = await county.call({ method: 'POST', url: '/api/v1/imports?fileName=roster.csv', headers: { 'content-type': 'text/csv' }, payload: csv })
    const id = started.json().id as number
    for (let wait = 0; wait < 100; wait++) {
      const run = (await county.call({ url: `/api/v1/imports/${id}` })).json()
      if (run.status !== 'queued' && run.status !== 'running') break
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    runs.push(id)
  }
  const clerk = new PageClient(app)
  await clerk.signIn('mz-county')
  t.match(textOf((await clerk.get(`/work/imports/${runs[0]}`)).body), /新建 1 户，已登记未变 0 户/)
  const again = textOf((await clerk.get(`/work/imports/${runs[1]}`)).body)
  t.match(again, /新建 0 户，已登记未变 1 户/)
  t.match(again, /没有新建任何家庭： ?文件中的 1 户都已登记过/)
  const template = await clerk.get('/work/imports/template.csv')
  t.match(template.body, /^\uFEFF户编号,村社区代码,姓名,身份证号,与户主关系/, 'the template has the Chinese headers')
})

t.test('the pages speak Chinese only', async t => {
  t.equal(plainMessage('未找到该家庭 (household) (not found)'), '未找到该家庭')
  t.equal(plainMessage('人均月收入（元）须为数字'), '人均月收入（元）须为数字')
  t.equal(chineseOnly('按就高原则认定 (borrowed from Hubei 二(三))'), '按就高原则认定')
})

t.test('reclassifying is tried first through the API\'s own preview: the page says what would change, for the household and each member, and the read is audited', async t => {
  const { app, town } = await world(t)
  const clerk = new PageClient(app)
  await clerk.signIn('mz-county')
  const county = await signIn(app, 'mz-county')
  const help = await county.call({ method: 'POST', url: `/api/v1/households/${town.id}/assistance`, payload: { kind: 'temporary_assistance', personId: town.personIds[1], value: 500, occurredOn: today(), provider: '南浔镇' } })
  t.equal(help.statusCode, 201, help.body)
  t.match(textOf((await clerk.get(`/work/households/${town.id}`)).body), /临时救助 ¥500 · 韩\*\* 南浔镇 给予时认定：最低生活保障对象/, 'the chain says what the household stood as when the help was given')
  const unchanged = await clerk.get(`/work/households/${town.id}/reclassify`)
  t.equal(unchanged.statusCode, 200)
  t.match(textOf(unchanged.body), /试算结果（尚未保存）/)
  t.match(textOf(unchanged.body), /保存后认定类别和状态都不会改变/, 'the same facts decide the same')

  // Income reported since the last decision, written past the registry so that only a reclassification would see it.
  await app.db.updateTable('households').set({ annual_income: 240000 }).where('id', '=', town.id).execute()
  const richer = textOf((await clerk.get(`/work/households/${town.id}/reclassify`)).body)
  t.match(richer, /保存后 最低生活保障对象 · 渐退期/, 'a 低保 household whose income rose keeps its category for the 渐退期')
  t.match(richer, /状态：在册 → 渐退期/, 'the household\'s lines in words')
  t.match(richer, /渐退期截止：无 → \d{4}年\d{1,2}月\d{1,2}日/)
  t.match(richer, /核算人均月收入：125 元 → 10000 元/, 'the income figure each decision used')
  const api = await county.call({ method: 'POST', url: `/api/v1/households/${town.id}/reclassify`, payload: { dryRun: true } })
  t.same(api.json().comparison.changes.map((c: { field: string }) => c.field).sort(), ['gradualExitUntil', 'perCapitaMonthlyIncome', 'status'], 'the API answers the same comparison')

  // The head of the family is now severely disabled, without work or anyone bound to support him: 特困 in his own right.
  await app.db.updateTable('households').set({ annual_income: 3000 }).where('id', '=', town.id).execute()
  await app.db.updateTable('persons').set({ labor_capacity: 'none', has_able_supporter: false, disability_level: 1, disability_kind: 'physical' }).where('id', '=', town.personIds[0] ?? -1).execute()
  const disabled = textOf((await clerk.get(`/work/households/${town.id}/reclassify`)).body)
  t.match(disabled, /保存后 最低生活保障对象 · 在册 成员 1（户主）：最低生活保障对象 → 特困人员/, 'the household stays as it is; its head, named by place and relation, becomes 特困 in his own right')
  t.notMatch(disabled, /成员 2（子女）：/, 'a member whose outcome stays is not listed')
  const reads = await app.db.selectFrom('audit_records').select('details').where('action', '=', 'household.read_pii').where('record_id', '=', String(town.id)).execute()
  t.equal(reads.length, 5, 'the household page and each preview, page or API, is an audited read of health details')
  t.equal((await app.db.selectFrom('category_decisions').select(db => db.fn.countAll<string>().as('n')).where('household_id', '=', town.id).executeTakeFirstOrThrow()).n, 1, 'nothing stored')
})

t.test('an import that has read every row but is still writing says so, at 99 % rather than 100 %', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const county = await signIn(app, 'mz-county')
  const header = ['户编号', '村社区代码', '姓名', '身份证号', '与户主关系', '劳动能力', '有收入来源', '有赡养人', '患重病', '在学阶段', '就业', '家庭年收入', '医疗支出', '教育支出', '财产符合', '防返贫监测']
  const rows = ['W1', 'W2'].map((key, i) => [key, '330503101001', '冯一', makeResidentId('330503', '1949-10-01', 73 + i * 2, 'male'), '户主', '无', '否', '否', '否', '无', '否', '5000', '0', '0', '是', '否'])
  // No worker here: the job stays queued while the test plays its progress.
  const started = await county.call({ method: 'POST', url: '/api/v1/imports?fileName=roster.csv', headers: { 'content-type': 'text/csv' }, payload: [header, ...rows].map(r => r.join(',')).join('\n') + '\n' })
  const id = started.json().id as number
  await app.db.updateTable('import_runs').set({ status: 'running' }).where('id', '=', id).execute()
  const job = await app.queues.imports.getJob(importJobId(id))
  const clerk = new PageClient(app)
  await clerk.signIn('mz-county')
  await job?.progress({ rowsRead: 1, households: 1, problems: 0 })
  const reading = await clerk.get(`/work/imports/${id}`)
  t.match(reading.body, /<progress max="100" value="50"/)
  t.notMatch(textOf(reading.body), /正在写入/)
  await job?.progress({ rowsRead: 2, households: 2, problems: 0 })
  const writing = await clerk.get(`/work/imports/${id}`)
  t.match(writing.body, /<progress max="100" value="99"/)
  t.match(textOf(writing.body), /全部 2 行已读取，正在写入并核对最后一批家庭，请稍候。/)
})

t.test('an entry reversed on the household page: the reversal says why, the original is kept and says by which entry', async t => {
  const { app, town } = await world(t)
  const county = await signIn(app, 'mz-county')
  const help = await county.call({ method: 'POST', url: `/api/v1/households/${town.id}/assistance`, payload: { kind: 'temporary_assistance', value: 800, occurredOn: today(), provider: '南浔镇' } })
  t.equal(help.statusCode, 201, help.body)
  const entry = help.json().id as number
  const clerk = new PageClient(app)
  await clerk.signIn('mz-county')
  await clerk.get(`/work/households/${town.id}`)
  const reversed = await clerk.post(`/work/assistance/${entry}/reversal`, { reason: '金额登记错误，实际发放 600 元', on: today() })
  t.equal(reversed.statusCode, 303, reversed.body)
  const reversal = (await app.db.selectFrom('assistance_entries').select('id').where('reverses', '=', entry).executeTakeFirstOrThrow()).id
  const page = textOf((await clerk.follow(reversed)).body)
  t.match(page, `已冲正第 ${entry} 条记录（临时救助），原记录保留。`)
  t.match(page, `第 ${reversal} 条 临时救助 -¥800 南浔镇 给予时认定：最低生活保障对象 冲正第 ${entry} 条记录：金额登记错误，实际发放 600 元`, 'the reversal, with its reason beside the entry it corrects')
  t.match(page, `第 ${entry} 条 临时救助 ¥800 南浔镇 给予时认定：最低生活保障对象 已被第 ${reversal} 条记录冲正（原记录保留）`, 'the original, without a reason of its own')
  t.equal(page.split('金额登记错误').length - 1, 1, 'the reason is shown once, on the reversal')
  const printed = textOf((await clerk.get(`/work/households/${town.id}/print`)).body)
  t.match(printed, `第 ${reversal} 条，冲正第 ${entry} 条`, 'the printed chain names the reversal as before')
  t.notMatch(printed, '金额登记错误', 'and, as before, leaves the reason off the paper')
})
