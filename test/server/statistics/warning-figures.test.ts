// The civil-affairs dashboard's warnings on time and overdue, against the warnings table itself:
// warnings raised by a real department feed (through the worker), handled on the controlled
// clock before and after their due day, one extended, one left open past it, one still within
// it; then the figures by class and by area, a town's clerk counting only the town, the CSVs'
// Chinese headers and the monthly report's 预警处置 sheet.
import t from 'tap'
import ExcelJS from 'exceljs'
import type { FastifyInstance } from 'fastify'
import { clockAt, csvOf, family, importFeed, monitoringWorld } from '../../helpers/monitoring.js'
import { PageClient, textOf } from '../../helpers/pages.js'
import { setClock, today } from '../../../server/clock.js'
import { WARNING_CLASSES, WARNING_CLASS_NAMES } from '../../../matching/monitoring/index.js'
import { civilDashboard } from '../../../server/statistics/civil.js'
import { resolvePeriod, type Period } from '../../../server/statistics/periods.js'
import { refreshStatistics } from '../../../server/statistics/refresh.js'

t.teardown(() => setClock())

const COUNTY = '330503'
const TOWN = '330503101'
const OTHER_VILLAGE = '330503102001'

/** The figures straight from the warnings table, in JavaScript. */
async function expectedWarnings (app: FastifyInstance, prefix: string, period: Period, asOf: string) {
  const rows = await app.db.selectFrom('warnings').select(['region_code', 'warning_class', 'status', 'raised_on', 'due_on', 'closed_at']).execute()
  const ours = rows.filter(w => w.region_code.startsWith(prefix) && `${w.raised_on.slice(0, 7)}-01` >= period.first && `${w.raised_on.slice(0, 7)}-01` < period.end)
  const figures = (list: typeof ours) => ({
    raised: list.length,
    onTime: list.filter(w => w.status === 'closed' && today(w.closed_at as Date) <= w.due_on).length,
    late: list.filter(w => w.status === 'closed' && today(w.closed_at as Date) > w.due_on).length,
    overdue: list.filter(w => w.status !== 'closed' && w.due_on < asOf).length,
    pending: list.filter(w => w.status !== 'closed' && w.due_on >= asOf).length
  })
  return { ...figures(ours), byClass: Object.fromEntries(WARNING_CLASSES.map(c => [c, figures(ours.filter(w => w.warning_class === c))])) }
}

t.test('warnings on time and overdue add up to the warnings table, by class and area', async t => {
  const { app, clerk, county } = await monitoringWorld(t) // 11 February 2026
  const members = [{ birthDate: '1970-01-01' }, { birthDate: '1985-05-05' }]
  const [a, b, c, d] = [await family(clerk, members), await family(clerk, members), await family(clerk, members), await family(clerk, members)]
  const e = await family(county, members, { regionCode: OTHER_VILLAGE, address: '双林镇 1 号' })
  // A working-age member's death in each household (due 3 March: 10 working days over the Spring Festival), and a disaster loss in the first.
  const deaths = await importFeed(county, 'death', csvOf([['身份证号', '死亡日期'], ...[a, b, c, d, e].map(h => [h.idNumbers[1]!, '2026-02-02'])]))
  t.equal(deaths.warningsRaised, 5)
  t.equal((await importFeed(county, 'disaster', csvOf([['身份证号', '灾害日期', '损失金额'], [a.idNumbers[0]!, '2026-02-01', '9000']]))).warningsRaised, 1)
  const warnings = await app.db.selectFrom('warnings').select(['id', 'household_id', 'rule', 'due_on', 'warning_class']).orderBy('id').execute()
  const of = (h: { id: number }) => warnings.find(w => w.household_id === h.id && w.rule === 'income_drop_death')!
  t.same([...new Set(warnings.map(w => w.due_on))], ['2026-03-03'], 'all due 3 March')
  t.ok(new Set(warnings.map(w => w.warning_class)).size >= 1)

  const act = (id: number, action: string) => clerk.call({ method: 'POST', url: `/api/v1/warnings/${id}/actions`, payload: { action, note: '已入户核实' } })
  t.equal((await clerk.call({ method: 'POST', url: `/api/v1/warnings/${of(d).id}/extension`, payload: { workingDays: 5, reason: '需召开一事一议会议' } })).statusCode, 200, "d's deadline moves to 10 March")
  clockAt('2026-03-02')
  t.equal((await act(of(a).id, 'closed_not_needed')).statusCode, 200, 'a: closed the day before its due day')
  clockAt('2026-03-04')
  t.equal((await act(of(b).id, 'referred')).statusCode, 200, 'b: closed the day after its due day')
  clockAt('2026-03-05')
  const asOf = today()
  t.equal(asOf, '2026-03-05')
  await refreshStatistics(app.db)

  const february = resolvePeriod({ period: 'month', month: '2026-02' }, asOf)
  const town = await civilDashboard(app.db, TOWN, undefined, february, asOf)
  const whole = await civilDashboard(app.db, COUNTY, undefined, february, asOf)
  // In the town: a's two, b, c, d. a's death on time, b late; c's and a's disaster open past 3 March; d extended to 10 March.
  t.match(town.figures.warnings, { raised: 5, onTime: 1, late: 1, overdue: 2, pending: 1 }, "the town's warnings, exactly")
  t.match(whole.figures.warnings, { raised: 6, onTime: 1, late: 1, overdue: 3, pending: 1 }, "the county's: the other town's one open and overdue too")
  t.same(town.figures.warnings, await expectedWarnings(app, TOWN, february, asOf), 'the town, by class, from the table')
  t.same(whole.figures.warnings, await expectedWarnings(app, COUNTY, february, asOf), 'the county, by class, from the table')
  const village = await civilDashboard(app.db, TOWN, `${TOWN}001`, february, asOf)
  t.same(village.figures.warnings, await expectedWarnings(app, `${TOWN}001`, february, asOf), 'drilled down to a village')

  // Read a week later, d is overdue too; nothing was rebuilt, the due day decides.
  const later = await civilDashboard(app.db, TOWN, undefined, february, '2026-03-11')
  t.match(later.figures.warnings, { raised: 5, onTime: 1, late: 1, overdue: 3, pending: 0 }, 'overdue is read on the day looked at')
  const march = await civilDashboard(app.db, TOWN, undefined, resolvePeriod({ period: 'month', month: '2026-03' }, asOf), asOf)
  t.match(march.figures.warnings, { raised: 0 }, 'warnings count in the month they were raised')
  t.equal(march.sections.find(s => s.id === 'warnings')?.lead, '2026年3月没有发出预警。')

  const section = town.sections.find(s => s.id === 'warnings')!
  t.equal(section.lead, '2026年2月发出预警 5 条：按时办结 1 条（20%），逾期办结 1 条；未办结 3 条，其中已逾期 2 条。')
  const byArea = section.tables.find(x => x.id === 'warnings-by-area')!
  t.same(byArea.rows.map(r => [r.label, r.href, r.cells]), [['东大街社区', `?region=${TOWN}001`, [5, 1, 1, 2, 1]]], "the town's rows are its villages, opening one level down")
  const countyByArea = whole.sections.find(s => s.id === 'warnings')!.tables.find(x => x.id === 'warnings-by-area')!
  t.same(countyByArea.rows.map(r => [r.label, r.cells]), [['南浔镇', [5, 1, 1, 2, 1]], ['双林镇', [1, 0, 0, 1, 0]]], "the county's rows are its towns")
  t.same(countyByArea.totals?.cells, [6, 1, 1, 3, 1])

  // —— The page, its CSVs and the report ——
  const page = new PageClient(app)
  await page.signIn('mz-nanxun')
  const html = (await page.get('/work/dashboard?period=month&month=2026-02')).body
  t.match(textOf(html), '发出预警 5 条：按时办结 1 条（20%）', "the town clerk's page counts the town")
  t.match(html, /<svg role="img" aria-labelledby="chart-warnings-title chart-warnings-desc"/, 'the chart is a named picture')
  const desc = /<desc id="chart-warnings-desc">([^<]+)<\/desc>/.exec(html)?.[1] ?? ''
  t.match(desc, '按时办结', 'described in words')
  for (const name of ['按时办结', '逾期办结', '未办结·已逾期', '未办结·未到期']) t.match(html, `>${name}<`, `the chart's legend names ${name}`)
  const csv = await page.get('/work/dashboard/warnings-by-class.csv?period=month&month=2026-02')
  t.equal(csv.statusCode, 200)
  const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n')
  t.equal(lines[0], '预警类别,预警数,按时办结,逾期办结,未办结·已逾期,未办结·未到期', 'Chinese headers')
  t.same(lines.slice(1, -1).map(l => l.split(',')[0]), WARNING_CLASSES.map(c => WARNING_CLASS_NAMES[c]), 'one row per warning class')
  t.equal(lines.at(-1), '合计,5,1,1,2,1', 'the total is the town')
  const areaCsv = await page.get('/work/dashboard/warnings-by-area.csv?period=month&month=2026-02')
  t.equal(areaCsv.body.replace(/^\uFEFF/, '').split('\r\n')[0], '村（社区）,预警数,按时办结,逾期办结,未办结·已逾期,未办结·未到期')

  const countyPage = new PageClient(app)
  await countyPage.signIn('mz-county')
  t.match(textOf((await countyPage.get('/work/dashboard?period=month&month=2026-02')).body), '发出预警 6 条', "the county's page counts the county")
  t.equal((await countyPage.get('/work/dashboard/warnings-by-class.csv?period=month&month=2026-02')).body.trim().split('\r\n').at(-1), '合计,6,1,1,3,1')

  const report = await page.get('/work/dashboard/report.xlsx?period=month&month=2026-02')
  t.equal(report.statusCode, 200)
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(report.rawPayload as unknown as ArrayBuffer)
  t.same(book.worksheets.map(w => w.name), ['低收入人口', '救助资金发放', '慈善帮扶', '预警处置'])
  const sheet = book.getWorksheet('预警处置')!
  t.equal(sheet.getRow(1).getCell(1).value, '南浔镇预警处置情况（2026年2月）', 'a title row naming area and month')
  t.match(String(sheet.getRow(2).getCell(1).value), '是否逾期按 2026年3月5日 计')
  t.same((sheet.getRow(3).values as unknown[]).slice(1), ['地区', '预警类别', '预警数', '按时办结', '逾期办结', '未办结（已逾期）', '未办结（未到期）'])
  const expectedRows = WARNING_CLASSES.map(c => town.figures.warnings.byClass[c]).map((w, i) => ['东大街社区', WARNING_CLASS_NAMES[WARNING_CLASSES[i]!], w.raised, w.onTime, w.late, w.overdue, w.pending]).filter(r => (r[2] as number) > 0)
  const rows: unknown[][] = []
  for (let i = 4; i <= sheet.rowCount; i++) rows.push((sheet.getRow(i).values as unknown[]).slice(1))
  t.same(rows, [...expectedRows, ['合计', '', 5, 1, 1, 2, 1]], 'village by class, then the total')
})
