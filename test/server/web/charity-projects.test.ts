// The charity workbench's project pages as a browser uses them (forms, redirects, flashes),
// against real services: a project drafted with field errors in Chinese, its reach previewed,
// opened, run (the worker's processors on the test's queues), its proposals, ledger and XLSX
// report read, paused, and refused what a paused project may not do.
import t from 'tap'
import ExcelJS from 'exceljs'
import { fieldError, PageClient, textOf } from '../../helpers/pages.js'
import { finishedRun, register, world } from '../proposals/setup.js'

const VILLAGE = '330503101001'
const OTHER_VILLAGE = '330503102001'

t.test('a charity officer drafts, previews, opens, runs and follows a project in the pages', async t => {
  const w = await world(t)
  const { app } = w
  // Per-capita monthly income 300, 600, 900 (南浔镇) and 400 (双林镇): all 低保.
  const households = [await register(w.county, VILLAGE, 3600), await register(w.county, VILLAGE, 7200), await register(w.county, VILLAGE, 10800), await register(w.county, OTHER_VILLAGE, 4800)]
  const browser = new PageClient(app)
  await browser.signIn('cszh')

  const home = await browser.get('/charity')
  t.equal(home.statusCode, 200)
  t.match(textOf(home.body), /慈善工作台/)
  t.equal((await browser.get('/charity/projects/new')).statusCode, 200)

  const fields = { kind: 'fund', title: '助学金', budget: '10000', unitCost: '3000', capacity: '5', categories: ['tekun', 'dibao', 'dibao_edge'], regionCodes: ['330503'] }
  const missing = await browser.post('/charity/projects', { ...fields, title: '' })
  t.equal(missing.statusCode, 400, 'the schema refuses a project without a title')
  t.equal(fieldError(missing.body, 'title'), '请填写项目名称', 'said beside the field, in Chinese')
  t.match(missing.body, /value="10000"/, 'what was typed is kept')
  const ages = await browser.post('/charity/projects', { ...fields, minAge: '12', maxAge: '6' })
  t.equal(ages.statusCode, 400, 'the domain refuses ages the wrong way round')
  t.equal(fieldError(ages.body, 'maxAge'), '最大年龄小于最小年龄', 'beside the flat field, though the API names body.eligibility.maxAge')
  const weights = await browser.post('/charity/projects', { ...fields, ...Object.fromEntries(['severity', 'hardship', 'income_gap', 'little_recent_help', 'waiting', 'proximity', 'donor_fit', 'urgency'].map(f => [`weight_${f}`, '0'])) })
  t.equal(weights.statusCode, 400)
  t.match(textOf(weights.body), /评分权重不能全为 0/)
  t.equal(fieldError(weights.body, 'weight_severity'), undefined)

  const preview = await browser.post('/charity/projects/preview', fields)
  t.equal(preview.statusCode, 200, 'the preview is shown on the form')
  const seen = textOf(preview.body)
  t.match(seen, /4 户符合条件/, 'every household of the county qualifies')
  t.match(seen, /3 个名额（预算可覆盖）/, '¥10,000 at ¥3,000 a place')
  t.equal((preview.body.match(/<span class="rank">\d+<\/span> 测先生，45-59岁，(南浔镇|双林镇)/g) ?? []).length, 4, 'four people, each by a title, an age band and the town only')
  t.notMatch(preview.body, /测试/, 'no name')
  t.match(seen, /困难类别 最低生活保障对象/, 'each score explained')
  t.equal(await app.db.selectFrom('projects').select('id').where('title', '=', '助学金').executeTakeFirst(), undefined, 'nothing saved')

  const created = await browser.post('/charity/projects', fields)
  t.equal(created.statusCode, 303)
  const location = String(created.headers.location)
  t.match(location, /^\/charity\/projects\/\d+$/)
  const projectId = Number(location.split('/').pop())
  const draft = await browser.follow(created)
  t.match(textOf(draft.body), /项目“助学金”已保存为草稿/)
  t.match(textOf(draft.body), /草稿/)

  const runDraft = await browser.post(`/charity/projects/${projectId}/runs`)
  t.equal(runDraft.headers.location, `/charity/projects/${projectId}`, 'a draft is not run: back to its page')
  t.match(textOf((await browser.follow(runDraft)).body), /开放后才能生成推荐/)

  t.equal((await browser.post(`/charity/projects/${projectId}/open`)).statusCode, 303)
  t.equal((await app.db.selectFrom('projects').select('status').where('id', '=', projectId).executeTakeFirstOrThrow()).status, 'open')

  const started = await browser.post(`/charity/projects/${projectId}/runs`)
  t.match(String(started.headers.location), /^\/charity\/runs\/\d+$/)
  const runId = Number(String(started.headers.location).split('/').pop())
  await finishedRun(w.charity, runId)
  const fragment = await browser.get(`/charity/runs/${runId}`, { 'hx-request': 'true' })
  t.equal(fragment.headers['hx-refresh'], 'true', 'once finished, the polling part asks for the whole page')
  t.match(fragment.body, /value="100"/)
  const runPage = await browser.get(`/charity/runs/${runId}`)
  const runText = textOf(runPage.body)
  t.match(runText, /已完成 ：100%/)
  t.match(runText, /本次推荐（3）/)
  t.match(runText, /因预算或名额不足未推荐（1）/)
  t.match(runText, /因预算或名额不足未推荐（1）.* 4 测\* · 南浔镇 东大街社区 54\.8 分/, 'the one left out: fourth, the highest income')

  const proposals = await browser.get(`/charity/projects/${projectId}/proposals`)
  t.match(textOf(proposals.body), /待民政确认（3）/)
  t.equal((proposals.body.match(/<div class="proposal">/g) ?? []).length, 3)

  // Civil affairs confirm one: the ledger and the report follow.
  const open = await w.charity.call({ method: 'GET', url: `/api/v1/projects/${projectId}/proposals` })
  const first = open.json()[0]
  t.equal(first.householdId, households[0])
  t.equal((await w.town.call({ method: 'POST', url: `/api/v1/proposals/${first.id}/confirm`, payload: {} })).statusCode, 200)
  const ledger = textOf((await browser.get(`/charity/projects/${projectId}/ledger`)).body)
  t.match(ledger, /累计承诺 ¥3,000/)
  t.match(ledger, /尚可安排 ¥7,000/)
  t.match(ledger, new RegExp(`承诺 ¥3,000 推荐 ${first.id}`))

  const report = await browser.get(`/charity/projects/${projectId}/report.xlsx`)
  t.equal(report.statusCode, 200)
  t.equal(report.headers['content-type'], 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(report.rawPayload as unknown as ArrayBuffer)
  t.same(book.worksheets.map(s => s.name), ['项目概况', '按镇和类别', '帮扶明细', '资金台账'])
  const byTown = book.getWorksheet('按镇和类别')!
  t.same(byTown.getRow(1).values, [undefined, '镇（街道）', '类别', '帮扶户（人）数', '其中已签收或完成', '承诺金额（元）', '支出金额（元）'])
  t.same(byTown.getRow(2).values, [undefined, '南浔镇', '最低生活保障对象', 1, 0, 3000, 0])
  t.equal(byTown.rowCount, 2)
  const detail = book.getWorksheet('帮扶明细')!
  t.same((detail.getRow(2).values as unknown[]).slice(1, 5), [`proposal:${first.id}`, '推荐', '南浔镇', '东大街社区'])

  // An open project keeps what its commitments rest on.
  const lower = await browser.post(`/charity/projects/${projectId}`, { title: '助学金', budget: '2000' })
  t.equal(lower.statusCode, 400)
  t.match(textOf(lower.body), /单位成本超过总预算/, 'a budget below one place')
  const raised = await browser.post(`/charity/projects/${projectId}`, { title: '助学金（第二期）', budget: '20000', unitCost: '1' })
  t.equal(raised.statusCode, 303)
  t.match(await app.db.selectFrom('projects').select(['title', 'budget', 'unit_cost']).where('id', '=', projectId).executeTakeFirstOrThrow(), { title: '助学金（第二期）', budget: 20000, unit_cost: 3000 }, 'the unit cost of an open project is not even sent on')

  // Paused: no run, no confirmation; resumed, both again.
  t.equal((await browser.post(`/charity/projects/${projectId}/pause`)).statusCode, 303)
  const pausedRun = await browser.post(`/charity/projects/${projectId}/runs`)
  t.equal(pausedRun.headers.location, `/charity/projects/${projectId}`)
  t.match(textOf((await browser.follow(pausedRun)).body), /项目当前为“已暂停”，开放后才能生成推荐/)
  const second = open.json()[1]
  const refused = await w.county.call({ method: 'POST', url: `/api/v1/proposals/${second.id}/confirm`, payload: {} })
  t.equal(refused.json().error.code, 'project_not_open', 'a paused project confirms nobody')
  const pauseAgain = await browser.post(`/charity/projects/${projectId}/pause`)
  t.match(textOf((await browser.follow(pauseAgain)).body), /项目当前为“已暂停”，不能暂停项目（须为“进行中”）/)
  t.equal((await browser.post(`/charity/projects/${projectId}/resume`)).statusCode, 303)
  t.equal((await w.county.call({ method: 'POST', url: `/api/v1/proposals/${second.id}/confirm`, payload: {} })).statusCode, 200)
  t.equal((await browser.post(`/charity/projects/${projectId}/close`)).statusCode, 303)
  t.equal((await browser.get(`/charity/projects/${projectId}/edit`)).statusCode, 409, 'a closed project is not edited')

  const audit = await app.db.selectFrom('audit_records').select('action').where('record_type', '=', 'project').where('record_id', '=', String(projectId)).orderBy('id').execute()
  t.same(audit.map(a => a.action), ['project.create', 'project.open', 'match.run', 'project.update', 'project.pause', 'project.resume', 'project.close'], 'each page action audited as the API audits it')
})
