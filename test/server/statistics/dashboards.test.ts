// The dashboards' figures against the database itself: on a generated county (households,
// wishes taken through publication, claims, receipts, vouchers, projects' help, the bureau's
// payments) every figure the civil-affairs, charity and public dashboards show is worked out
// here again from the rows of record — in JavaScript, not with the aggregates' SQL — and must
// be equal. A town's clerk counts the town only; the public sees nothing below k; the exports
// hold what the page shows, with Chinese headers.
import t, { type Test } from 'tap'
import ExcelJS from 'exceljs'
import { sql } from 'kysely'
import type { FastifyInstance } from 'fastify'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { registerHousehold } from '../../helpers/needs.js'
import { PageClient, textOf } from '../../helpers/pages.js'
import { generateDataset } from '../../../scripts/demo-data/index.js'
import { loadDataset } from '../../../scripts/demo-data/load.js'
import { today } from '../../../server/clock.js'
import { CATEGORIES, HELP_KINDS, HELP_KIND_NAMES } from '../../../matching/domain.js'
import { civilDashboard, COVERED_STATUSES } from '../../../server/statistics/civil.js'
import { charityDashboard } from '../../../server/statistics/charity.js'
import { publicImpact, homeImpact } from '../../../server/statistics/impact.js'
import { resolvePeriod, trailingMonths, type Period } from '../../../server/statistics/periods.js'
import { refreshStatistics } from '../../../server/statistics/refresh.js'
import { halfYearLabel } from '../../../server/vouchers/half-year.js'
import { dateTime } from '../../../server/web/format.js'

const COUNTY = '330503'
const TOWN = '330503101'
const COAT = { category: 'clothing', item: '冬季棉衣', value: 260, story: '孩子冬天没有厚衣服。', tags: ['winter_clothing'], submit: true }

const monthOfInstant = (at: Date | null) => at === null ? null : `${today(at).slice(0, 7)}-01`
const monthOfDay = (day: string | null) => day === null ? null : `${day.slice(0, 7)}-01`
const within = (period: Period, month: string | null) => month !== null && month >= period.first && month < period.end
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000

function median (values: number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[mid] as number : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** The civil-affairs figures, straight from the rows of record. */
async function expectedCivil (app: FastifyInstance, prefix: string, period: Period) {
  const db = app.db
  const persons = await db.selectFrom('persons as p').innerJoin('households as h', 'h.id', 'p.household_id')
    .select(['h.region_code', 'h.category', 'h.status']).where('p.left_on', 'is', null).execute()
  const households = await db.selectFrom('households').select(['id', 'region_code', 'category', 'status', 'status_since', 'created_at']).execute()
  const wishes = await db.selectFrom('wishes').select(['id', 'region_code', 'state', 'created_at', 'published_at', 'value']).execute()
  const claims = await db.selectFrom('claims').select(['wish_id', 'state', 'claimed_at', 'confirmed_on']).execute()
  const vouchers = await db.selectFrom('vouchers').select(['region_code', 'half_year', 'state']).execute()
  const entries = await db.selectFrom('assistance_entries as e').innerJoin('households as h', 'h.id', 'e.household_id')
    .select(['e.id', 'e.reverses', 'e.source', 'e.value', 'e.occurred_on', 'h.region_code']).execute()
  const decisions = await db.selectFrom('category_decisions as d').innerJoin('households as h', 'h.id', 'd.household_id')
    .select(['d.id', 'd.household_id', 'd.decided_at', 'd.category', 'h.region_code']).orderBy('d.household_id').orderBy('d.decided_at').orderBy('d.id').execute()
  const rooms = await db.selectFrom('dream_rooms as r').leftJoin('dream_room_stages as s', join => join.onRef('s.room_id', '=', 'r.id').on('s.stage', '=', 'handover'))
    .select(['r.region_code', 'r.created_at', 'r.stage', 's.completed_on']).execute()
  const placed = await db.selectFrom('proposals as pr').innerJoin('fulfilments as f', 'f.proposal_id', 'pr.id')
    .select(['pr.region_code', 'pr.decided_at', 'pr.cost', 'f.received_on']).execute()
  const here = (code: string) => code.startsWith(prefix)
  const wishById = new Map(wishes.map(w => [w.id, w]))
  const covered = (h: { category: string | null, status: string }) => COVERED_STATUSES.includes(h.status) && (CATEGORIES as readonly string[]).includes(h.category ?? '')
  const byCategory = Object.fromEntries(CATEGORIES.map(c => [c, {
    households: households.filter(h => here(h.region_code) && covered(h) && h.category === c).length,
    persons: persons.filter(p => here(p.region_code) && covered(p) && p.category === c).length
  }]))
  const confirmed = claims.filter(c => c.state === 'confirmed' && here(wishById.get(c.wish_id)?.region_code ?? '') && within(period, monthOfDay(c.confirmed_on)))
  const cohort = wishes.filter(w => here(w.region_code) && within(period, monthOfInstant(w.published_at)))
  const halfYear = halfYearLabel(today())
  const ours = vouchers.filter(v => here(v.region_code) && v.half_year === halfYear)
  const reversed = new Set(entries.map(e => e.reverses).filter(id => id !== null))
  const live = entries.filter(e => e.reverses === null && !reversed.has(e.id) && here(e.region_code) && within(period, monthOfDay(e.occurred_on)))
  const money = (list: Array<{ value: number }>) => Math.round(list.reduce((a, e) => a + e.value, 0) * 100) / 100
  // A reclassification: a decision whose category differs from the household's decision before it.
  const reclassified = decisions.filter((d, i) => {
    const before = decisions[i - 1]
    return before !== undefined && before.household_id === d.household_id && before.category !== d.category && here(d.region_code) && within(period, monthOfInstant(d.decided_at))
  }).length
  const completed = rooms.filter(r => here(r.region_code) && r.stage === 'completed' && r.completed_on !== null && within(period, monthOfDay(r.completed_on)))
  const confirmedPlaces = placed.filter(p => here(p.region_code) && p.decided_at !== null && within(period, monthOfInstant(p.decided_at)))
  const receivedPlaces = placed.filter(p => here(p.region_code) && within(period, monthOfDay(p.received_on)))
  // The period's warnings (by the day raised) and where they stand today.
  const raised = (await db.selectFrom('warnings').select(['region_code', 'status', 'raised_on', 'due_on', 'closed_at']).execute())
    .filter(w => here(w.region_code) && within(period, monthOfDay(w.raised_on)))
  const open = raised.filter(w => w.status !== 'closed')
  return {
    warnings: {
      raised: raised.length,
      onTime: raised.filter(w => w.status === 'closed' && today(w.closed_at as Date) <= w.due_on).length,
      late: raised.filter(w => w.status === 'closed' && today(w.closed_at as Date) > w.due_on).length,
      overdue: open.filter(w => w.due_on < today()).length,
      pending: open.filter(w => w.due_on >= today()).length
    },
    coverage: {
      households: households.filter(h => here(h.region_code) && covered(h)).length,
      persons: persons.filter(p => here(p.region_code) && covered(p)).length,
      byCategory
    },
    changes: {
      newHouseholds: households.filter(h => here(h.region_code) && within(period, monthOfInstant(h.created_at))).length,
      exited: households.filter(h => here(h.region_code) && h.status === 'exited' && within(period, monthOfDay(h.status_since))).length,
      gradualExit: households.filter(h => here(h.region_code) && h.status === 'gradual_exit' && within(period, monthOfDay(h.status_since))).length,
      reclassified
    },
    rooms: { surveyed: rooms.filter(r => here(r.region_code) && within(period, monthOfInstant(r.created_at))).length, completed: completed.length },
    projects: {
      confirmed: confirmedPlaces.length, confirmedValue: money(confirmedPlaces.map(p => ({ value: p.cost }))),
      received: receivedPlaces.length, receivedValue: money(receivedPlaces.map(p => ({ value: p.cost })))
    },
    wishes: {
      raised: wishes.filter(w => here(w.region_code) && within(period, monthOfInstant(w.created_at))).length,
      published: cohort.length,
      claimed: claims.filter(c => here(wishById.get(c.wish_id)?.region_code ?? '') && within(period, monthOfInstant(c.claimed_at))).length,
      fulfilled: confirmed.length,
      fulfilledValue: money(confirmed.map(c => wishById.get(c.wish_id) as { value: number })),
      cohortPublished: cohort.length,
      cohortFulfilled: cohort.filter(w => w.state === 'confirmed' || w.state === 'closed').length,
      medianDays: median(confirmed.map(c => dayNumber(c.confirmed_on as string) - dayNumber(today(wishById.get(c.wish_id)?.published_at as Date))))
    },
    vouchers: {
      entitled: ours.length,
      placed: ours.filter(v => v.state === 'assigned').length,
      redeemed: ours.filter(v => v.state === 'redeemed').length,
      unplaced: ours.filter(v => v.state === 'issued').length,
      lapsed: ours.filter(v => v.state === 'lapsed').length
    },
    aid: { government: money(live.filter(e => e.source === 'government')), charity: money(live.filter(e => e.source === 'charity')) }
  }
}

t.test('dashboards add up to the database', async t => {
  const app = await appWithAccounts(t)
  const asOf = today()
  await loadDataset(app.db, app.config, generateDataset({ seed: 2025, households: 400, asOf }), { asOf, k: app.config.kAnonymity, dataDir: app.config.dataDir })

  // Help the duplicate check refused: a second coat this season, refused (counted), and another refused then given with a reason (not counted).
  const clerk = await signIn(app, 'mz-nanxun')
  const family = await registerHousehold(clerk, [{ name: '沈建国', birthDate: '1975-03-03', sex: 'male' }, { name: '沈小花', birthDate: '2014-09-09', sex: 'female', schoolStage: 'primary' }, { name: '沈小草', birthDate: '2016-09-09', sex: 'female', schoolStage: 'primary' }])
  const raise = (personId: number, extra: object = {}) => clerk.call({ method: 'POST', url: '/api/v1/wishes', payload: { personId, ...COAT, ...extra } })
  t.equal((await raise(family.personIds[1] as number)).statusCode, 201)
  t.equal((await raise(family.personIds[0] as number)).statusCode, 409, 'a second coat this season is refused')
  t.equal((await raise(family.personIds[0] as number)).statusCode, 409, 'asked again the same day: one refusal')
  t.equal((await raise(family.personIds[2] as number, { value: 300 })).statusCode, 409)
  t.equal((await raise(family.personIds[2] as number, { value: 300, overrideReason: '上一件尺码太小，已退回' })).statusCode, 201, 'given after all, with a reason')
  t.same((await app.db.selectFrom('duplicate_refusals').select(['subject', 'kind', 'value', 'region_code']).orderBy('id').execute()).map(r => ({ ...r, subject: r.subject.replace(/:\d{4}-\d\d-\d\d$/, '') })), [
    { subject: `wish:${family.personIds[0] as number}:clothing`, kind: 'wish', value: 260, region_code: '330503101001' },
    { subject: `wish:${family.personIds[2] as number}:clothing`, kind: 'wish', value: 300, region_code: '330503101001' }
  ], 'each refused subject is recorded once')
  const refresh = await refreshStatistics(app.db)
  t.ok(refresh.refreshed && refresh.rows > 0, 'the aggregates are rebuilt')

  // Every kind of period: this month, this quarter, this year, and a custom run of the last six months.
  const customFrom = (trailingMonths(resolvePeriod({}, asOf), 6)[0] as string).slice(0, 7)
  for (const input of [{ period: 'month' }, { period: 'quarter' }, { period: 'year' }, { period: 'custom', from: customFrom, to: asOf.slice(0, 7) }] as const) {
    const period = resolvePeriod(input, asOf)
    const kind = period.label
    for (const prefix of [COUNTY, TOWN]) {
      const dashboard = await civilDashboard(app.db, prefix, undefined, period, asOf)
      const wanted = await expectedCivil(app, prefix, period)
      const f = dashboard.figures
      t.same(f.coverage, wanted.coverage, `${prefix} ${kind}: coverage by category`)
      t.match(f.changes, wanted.changes, `${prefix} ${kind}: registrations, exits, gradual exits`)
      t.match(f.wishes, wanted.wishes, `${prefix} ${kind}: wishes raised, published, claimed, fulfilled, the rate's parts and the median days`)
      t.ok(f.wishes.medianDays === null || f.wishes.medianDays >= 0, `${prefix} ${kind}: no wish is received before it was published (the demo's past claims once were)`)
      t.equal(f.wishes.rate, wanted.wishes.cohortPublished > 0 ? Math.round(wanted.wishes.cohortFulfilled / wanted.wishes.cohortPublished * 1000) / 10 : null)
      t.match(f.vouchers, wanted.vouchers, `${prefix}: the half-year's vouchers`)
      t.same(f.aid, wanted.aid, `${prefix} ${kind}: the chain's help by source`)
      t.same(f.rooms, wanted.rooms, `${prefix} ${kind}: dream rooms surveyed and handed over`)
      t.same(f.projects, wanted.projects, `${prefix} ${kind}: projects' places confirmed and received, with their money`)
      t.match(f.warnings, wanted.warnings, `${prefix} ${kind}: warnings raised, closed on time and late, open overdue and within their deadline`)
      t.same(f.duplicates, { count: 1, value: 260 }, `${prefix} ${kind}: one coat held back; the one given with a reason is not counted`)
      // The coverage table's rows are the parts and add up to the figure.
      const table = dashboard.sections.find(s => s.id === 'coverage')?.tables[0]
      t.equal(table?.totals?.cells.at(-1), wanted.coverage.persons, `${prefix}: the table's total is the figure`)
    }
  }
  const period = resolvePeriod({ period: 'year' }, asOf)
  t.ok((await civilDashboard(app.db, COUNTY, undefined, period, asOf)).figures.warnings.raised > 0, "the demo's warnings are counted")
  const county = await civilDashboard(app.db, COUNTY, undefined, period, asOf)
  const town = await civilDashboard(app.db, TOWN, undefined, period, asOf)
  t.ok(county.figures.coverage.persons > town.figures.coverage.persons && town.figures.coverage.persons > 0, 'the town counts a part of the county')
  t.same(town.view.parts.map(p => p.code.slice(0, 9)), town.view.parts.map(() => TOWN), "the town's rows are its villages")
  t.same(county.view.parts.map(p => p.level), county.view.parts.map(() => 'town'), "the county's rows are its towns")
  t.same(town.sections.find(s => s.id === 'coverage')?.tables[0]?.rows.map(r => r.href), town.view.parts.map(p => `?region=${p.code}`), "each of the town's villages opens as a dashboard of its own")
  const oneVillage = await civilDashboard(app.db, TOWN, `${TOWN}001`, period, asOf)
  t.same(oneVillage.view.parts.map(p => p.code), [`${TOWN}001`], 'a village is its own row')
  t.same((await expectedCivil(app, `${TOWN}001`, period)).coverage, oneVillage.figures.coverage, 'drilled down to a village')
  const outOfReach = await civilDashboard(app.db, TOWN, '330503102', period, asOf).then(() => null, (error: { statusCode?: number }) => error.statusCode)
  t.equal(outOfReach, 404, 'another town is out of reach')

  // —— The charity federation ——
  const organisation = await app.db.selectFrom('organisations').select(['id', 'region_code']).where('name', '=', '南浔区慈善总会').executeTakeFirstOrThrow()
  const charity = await charityDashboard(app.db, organisation.id, undefined, period)
  const helped = await sql<{ household_id: number, category: string | null, region_code: string, value: number, kind: string }>`
    SELECT e.household_id, h.category, h.region_code, e.value, e.kind FROM assistance_entries e JOIN households h ON h.id = e.household_id
    WHERE e.source = 'charity' AND e.occurred_on >= ${period.first} AND e.occurred_on < ${period.end} AND (
      (e.origin LIKE 'proposal:%' AND (SELECT p.organisation_id FROM proposals pr JOIN projects p ON p.id = pr.project_id WHERE 'proposal:' || pr.id = e.origin) = ${organisation.id})
      OR (e.origin LIKE 'voucher:%' AND (SELECT p.organisation_id FROM vouchers v JOIN projects p ON p.id = v.project_id WHERE 'voucher:' || v.id = e.origin) = ${organisation.id})
      OR (e.origin LIKE 'dream_room:%' AND (SELECT p.organisation_id FROM dream_rooms r JOIN projects p ON p.id = r.project_id WHERE 'dream_room:' || r.id = e.origin) = ${organisation.id}))`.execute(app.db)
  t.ok(helped.rows.length > 0, "the demo federation's projects have helped")
  t.same(charity.figures.helped, { households: new Set(helped.rows.map(r => r.household_id)).size, helps: helped.rows.length, value: Math.round(helped.rows.reduce((a, r) => a + r.value, 0) * 100) / 100 }, 'households helped, helps and money')
  const projects = await app.db.selectFrom('projects').select(['id', 'budget', 'committed', 'spent']).where('organisation_id', '=', organisation.id).where('status', '<>', 'draft').orderBy('id').execute()
  t.same(charity.figures.projects.map(p => [p.id, p.budget, p.committed, p.spent]).sort((a, b) => (a[0] as number) - (b[0] as number)), projects.map(p => [p.id, p.budget, p.committed, p.spent]), 'every project with its budget, committed and spent')
  const helpedTable = charity.sections.find(s => s.id === 'helped')?.tables[0]
  t.equal(helpedTable?.totals?.cells.at(-1), new Set(helped.rows.map(r => r.household_id)).size, 'households by town add up to the households helped')
  const confirmedInRegion = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM claims c JOIN wishes w ON w.id = c.wish_id WHERE c.state = 'confirmed' AND w.region_code LIKE ${`${organisation.region_code}%`}
      AND c.confirmed_on >= ${period.first} AND c.confirmed_on < ${period.end}`.execute(app.db)
  t.equal(charity.figures.wishes.fulfilled, confirmedInRegion.rows[0]?.n, "wishes fulfilled in the federation's region")

  // —— The public: suppressed below k ——
  const k = app.config.kAnonymity
  const impact = await publicImpact(app.db, k, undefined, period)
  const shown = [...impact.byArea.cells.flat(), ...impact.byArea.rowTotals, ...impact.byArea.columnTotals, impact.byArea.total, ...impact.byMonth.cells.flat()]
  t.notOk(shown.some(c => !c.suppressed && c.n !== null && c.n > 0 && c.n < k), 'no count below k is published')
  const allHelp = await sql<{ n: number, households: number }>`SELECT count(*)::int AS n, count(DISTINCT household_id)::int AS households FROM assistance_entries e
    WHERE source = 'charity' AND reverses IS NULL AND NOT EXISTS (SELECT 1 FROM assistance_entries r WHERE r.reverses = e.id) AND occurred_on >= ${period.first} AND occurred_on < ${period.end}`.execute(app.db)
  t.same([impact.headline.helps.n, impact.headline.households.n], [allHelp.rows[0]?.n, allHelp.rows[0]?.households], 'the public totals')
  const html = JSON.stringify(impact.sections)
  for (const field of ['masked', 'name_encrypted', '沈建国', '沈小花']) t.notOk(html.includes(field), `nothing personal on /impact (${field})`)
  const home = await homeImpact(app.db, k, asOf)
  const everHelped = await sql<{ households: number, helps: number, wishes: number, value: number }>`
    SELECT count(DISTINCT household_id)::int AS households, count(*)::int AS helps, count(*) FILTER (WHERE kind = 'wish')::int AS wishes, sum(value)::float AS value
    FROM assistance_entries e WHERE source = 'charity' AND reverses IS NULL AND NOT EXISTS (SELECT 1 FROM assistance_entries r WHERE r.reverses = e.id)`.execute(app.db)
  const ever = everHelped.rows[0]
  t.same([home.households.n, home.value.n, home.value.amount, home.wishes.n], [ever?.households, ever?.helps, Math.round((ever?.value ?? 0) * 100) / 100, ever?.wishes], "the home page's totals, from the chain itself")

  // —— Pages and exports ——
  const nanxun = new PageClient(app)
  await nanxun.signIn('mz-nanxun')
  const page = await nanxun.get('/work/dashboard?period=year')
  t.equal(page.statusCode, 200)
  t.match(textOf(page.body), `在册（含渐退期）${town.figures.coverage.households} 户、${town.figures.coverage.persons} 人`, "the town clerk's dashboard counts the town")
  t.notOk(page.body.includes('style="'), 'no inline style on the page')
  t.match(page.body, /<svg role="img" aria-labelledby="chart-coverage-title chart-coverage-desc"/, 'charts are named pictures')
  t.equal((await nanxun.get('/work/dashboard?region=330503102')).statusCode, 404, "another town's dashboard is not the clerk's")
  await everyChartAndTable(t, app, nanxun, page.body, '/work/dashboard')
  const csv = await nanxun.get('/work/dashboard/coverage-persons.csv?period=year')
  t.equal(csv.statusCode, 200)
  t.match(String(csv.headers['content-type']), 'text/csv')
  const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n')
  t.equal(lines[0], '村（社区）,特困人员,最低生活保障对象,防止返贫监测对象,最低生活保障边缘家庭,刚性支出困难家庭,低收入帮扶家庭,其他困难人员,合计', 'Chinese headers')
  t.equal(lines.at(-1)?.split(',').at(-1), String(town.figures.coverage.persons), 'the CSV total is the figure')
  t.equal((await nanxun.get('/work/dashboard/no-such-table.csv')).statusCode, 404)

  const report = await nanxun.get('/work/dashboard/report.xlsx?period=month')
  t.equal(report.statusCode, 200)
  const book = new ExcelJS.Workbook()
  await book.xlsx.load(report.rawPayload as unknown as ArrayBuffer)
  t.same(book.worksheets.map(w => w.name), ['低收入人口', '救助资金发放', '慈善帮扶', '预警处置'])
  const people = book.getWorksheet('低收入人口')
  t.equal(people?.getRow(3).getCell(1).value, '地区')
  t.equal(people?.getRow(3).getCell(2).value, '特困人员（户）')
  const lastRow = people?.getRow(people.rowCount)
  t.equal(lastRow?.getCell(1).value, '合计')
  t.equal(lastRow?.getCell(CATEGORIES.length * 2 + 3).value, town.figures.coverage.persons, 'the report counts the town\'s persons')
  // The persons sheet, village by village, against the registry itself.
  const villages = await app.db.selectFrom('regions').select(['code', 'name']).where('parent_code', '=', TOWN).orderBy('code').execute()
  const perVillage = await sql<{ region_code: string, persons: number, households: number }>`
    SELECT h.region_code, count(p.id)::int AS persons, count(DISTINCT h.id)::int AS households FROM households h JOIN persons p ON p.household_id = h.id AND p.left_on IS NULL
    WHERE h.region_code LIKE ${`${TOWN}%`} AND h.status IN ('active', 'gradual_exit') AND h.category IN (${sql.join([...CATEGORIES])}) GROUP BY 1`.execute(app.db)
  t.same(villages.map((_v, i) => [people?.getRow(4 + i).getCell(1).value, people?.getRow(4 + i).getCell(CATEGORIES.length * 2 + 3).value]),
    villages.map(v => [v.name, perVillage.rows.find(r => r.region_code === v.code)?.persons ?? 0]), 'each village\'s persons, from the registry')
  const funds = book.getWorksheet('救助资金发放')
  const monthFigures = await civilDashboard(app.db, TOWN, undefined, resolvePeriod({ period: 'month' }, asOf), asOf)
  t.equal(funds?.getRow(funds.rowCount).getCell(5).value, monthFigures.figures.aid.government, "the month's government payments")

  // The charity sheet: the month's live charity entries in the town, by kind, straight from the chain.
  const charitySheet = book.getWorksheet('慈善帮扶')
  const month = resolvePeriod({ period: 'month' }, asOf)
  const charityEntries = await sql<{ kind: string, n: number, value: number }>`
    SELECT e.kind, count(*)::int AS n, sum(e.value)::float AS value FROM assistance_entries e JOIN households h ON h.id = e.household_id
    WHERE e.source = 'charity' AND h.region_code LIKE ${`${TOWN}%`} AND e.occurred_on >= ${month.first} AND e.occurred_on < ${month.end}
      AND e.reverses IS NULL AND NOT EXISTS (SELECT 1 FROM assistance_entries r WHERE r.reverses = e.id) GROUP BY 1`.execute(app.db)
  t.same(HELP_KINDS.map((_kind, i) => [charitySheet?.getRow(4 + i).getCell(1).value, charitySheet?.getRow(4 + i).getCell(2).value, charitySheet?.getRow(4 + i).getCell(4).value]),
    HELP_KINDS.map(kind => { const row = charityEntries.rows.find(r => r.kind === kind); return [HELP_KIND_NAMES[kind], row?.n ?? 0, Math.round((row?.value ?? 0) * 100) / 100] }), "the month's charity help by kind")
  t.match(String(charitySheet?.getRow(1).getCell(1).value), /南浔镇慈善帮扶情况（\d{4}年\d{1,2}月）/, 'a title row naming area and month')

  const cszh = new PageClient(app)
  await cszh.signIn('cszh')
  const charityPage = await cszh.get('/charity/dashboard?period=year')
  t.equal(charityPage.statusCode, 200)
  t.match(textOf(charityPage.body), `帮扶 ${charity.figures.helped.households} 户`)
  await everyChartAndTable(t, app, cszh, charityPage.body, '/charity/dashboard')
  t.equal((await cszh.get('/work/dashboard')).statusCode, 403)
  const visitor = new PageClient(app)
  const impactPage = await visitor.get('/impact')
  t.equal(impactPage.statusCode, 200)
  t.match(textOf(impactPage.body), '公益成效')
  await everyChartAndTable(t, app, visitor, impactPage.body, '/impact')
  const homePage = await visitor.get('/')
  const home2 = await homeImpact(app.db, k, asOf)
  t.match(textOf(homePage.body), `${home2.households.suppressed ? '—' : home2.households.n} 户家庭得到帮扶`, 'the home page shows the figures')
  t.match(textOf(homePage.body), /数据截至 \d{4}年/, 'and says how fresh they are')
  const impactCsv = await visitor.get('/impact/impact-areas.csv')
  t.match(impactCsv.body, '区县,微心愿,梦想小屋,爱心培训券,慈善基金项目,合计')
  const village = await visitor.get('/impact?region=330503101001')
  t.equal(village.statusCode, 200, 'a village asked for: the page with its defaults')
  t.match(textOf(village.body), '链接中的查询条件有误', 'naming what was wrong')
  const publicCounty = await publicImpact(app.db, k, COUNTY, period)
  t.ok(publicCounty.sections[0]?.tables[0]?.rows.every(r => r.href?.startsWith(`?region=${COUNTY}`) && r.href.length === '?region='.length + 9), "the public opens the county's towns")
  t.same((await publicImpact(app.db, k, TOWN, period)).sections[0]?.tables[0]?.rows.map(r => [r.label, r.href]), [['南浔镇', undefined]], 'a town is as deep as the public goes')
  const tooDeep = await publicImpact(app.db, k, '330503101001', period).then(() => null, (error: { statusCode?: number }) => error.statusCode)
  t.equal(tooDeep, 404, 'the public goes no further than a town')
})

/**
 * A dashboard page as a reader meets it: it says when its figures were taken (the last rebuild);
 * every chart is a named picture with a description in words and a table view beneath it; and
 * every table's CSV link answers with that table, Chinese headers first.
 */
async function everyChartAndTable (t: Test, app: FastifyInstance, client: PageClient, html: string, base: string): Promise<void> {
  const last = await app.db.selectFrom('stat_refreshes').select('started_at').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()
  t.match(textOf(html), `数据截至 ${dateTime(last.started_at)}。后台任务每 5 分钟重新汇总一次`, `${base}: how fresh the figures are`)
  const charts = [...html.matchAll(/<svg role="img" aria-labelledby="([a-z-]+)-title \1-desc"/g)].map(m => m[1] as string)
  t.ok(charts.length >= 2, `${base}: charts drawn (${charts.join(', ')})`)
  for (const id of charts) {
    const desc = new RegExp(`<desc id="${id}-desc">([^<]+)</desc>`).exec(html)?.[1] ?? ''
    t.ok(desc.length > 20 && /\d/.test(desc), `${id}: described in words, with its figures`)
    const after = html.slice(html.indexOf(`aria-labelledby="${id}-title`))
    t.ok(after.indexOf('<details class="table-view">') >= 0 && after.indexOf('<details class="table-view">') < (after.indexOf('<svg', 10) === -1 ? Infinity : after.indexOf('<svg', 10)), `${id}: its table view follows it`)
  }
  const tables = [...html.matchAll(/<table class="figures">\s*<caption>([^<]+)<\/caption>\s*<thead><tr>((?:<th scope="col">[^<]*<\/th>)+)/g)]
  const links = [...html.matchAll(/<a href="([^"]+\.csv\?[^"]*)" download>/g)].map(m => (m[1] as string).replace(/&#x3D;/g, '=').replace(/&amp;/g, '&'))
  t.equal(links.length, tables.length, `${base}: a CSV for each of the ${tables.length} tables`)
  for (const [i, link] of links.entries()) {
    t.ok(link.startsWith(`${base}/`), link)
    const csv = await client.get(link)
    const headers = [...(tables[i]?.[2] ?? '').matchAll(/<th scope="col">([^<]*)<\/th>/g)].map(m => m[1])
    t.equal(csv.statusCode, 200, link)
    t.ok(csv.body.startsWith('\uFEFF'), `${link}: marked as UTF-8 for spreadsheets`)
    t.equal(csv.body.replace(/^\uFEFF/, '').split('\r\n')[0], headers.join(','), `${link}: the table's Chinese headers`)
  }
}
