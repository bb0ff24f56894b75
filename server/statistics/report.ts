// The monthly report a civil-affairs bureau files, as an XLSX workbook with Chinese headers:
// low-income persons and households by category and town, the assistance paid (the chain's
// government entries) by kind and town, the charity help by kind, and the warnings handled on
// time by town and class — one sheet each, with a
// title row naming the area and month and a line saying where the figures come from.
// Aggregates only (no person is named), built from the same figures as the dashboard.
import ExcelJS from 'exceljs'
import { CATEGORIES, CATEGORY_NAMES, HELP_KINDS, HELP_KIND_NAMES } from '../../matching/domain.js'
import type { Db } from '../db/database.js'
import { dateTime, fullDate } from '../web/format.js'
import { WARNING_CLASSES, WARNING_CLASS_NAMES } from '../../matching/monitoring/index.js'
import { COVERED_STATUSES, WARNING_COLUMNS, warningFigures } from './civil.js'
import { areaView, inPeriod, sums, total } from './figures.js'
import type { Period } from './periods.js'
import { ensureFigures } from './refresh.js'

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFDE7D9' } }

function sheet (book: ExcelJS.Workbook, name: string, title: string, subtitle: string, headers: string[], rows: Array<Array<string | number>>, moneyFrom?: number): void {
  const ws = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 3 }] })
  ws.addRow([title]).font = { bold: true, size: 14 }
  ws.mergeCells(1, 1, 1, headers.length)
  ws.addRow([subtitle]).font = { size: 10, color: { argb: 'FF52606D' } }
  ws.mergeCells(2, 1, 2, headers.length)
  const head = ws.addRow(headers)
  head.font = { bold: true }
  head.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true }
  head.eachCell(cell => { cell.fill = HEADER_FILL; cell.border = { bottom: { style: 'thin' } } })
  for (const row of rows) ws.addRow(row)
  const last = ws.lastRow
  if (last && rows.length > 0 && rows[rows.length - 1]?.[0] === '合计') last.font = { bold: true }
  ws.columns.forEach((column, i) => {
    column.width = i === 0 ? 18 : Math.max(10, (headers[i] ?? '').length * 2 + 2)
    if (moneyFrom !== undefined && i >= moneyFrom) column.numFmt = '#,##0.00'
  })
}

const withTotals = (rows: Array<Array<string | number>>): Array<Array<string | number>> => {
  if (rows.length === 0) return [['合计']]
  const width = rows[0]?.length ?? 1
  const sumRow: Array<string | number> = ['合计']
  for (let j = 1; j < width; j++) sumRow.push(Math.round(rows.reduce((a, r) => a + (typeof r[j] === 'number' ? r[j] as number : 0), 0) * 100) / 100)
  return [...rows, sumRow]
}

/** The month's report for the area (within the reader's reach), as XLSX bytes, and its file name. */
export async function monthlyReport (db: Db, scopePrefix: string, regionCode: string | undefined, period: Period, asOf: string): Promise<{ fileName: string, body: Buffer }> {
  const freshness = await ensureFigures(db)
  const view = await areaView(db, scopePrefix, regionCode)
  const areaName = view.area?.name ?? '全部地区'
  const [stock, flows] = await Promise.all([
    sums(db, 'stat_stock', ['households', 'persons'], view.prefix, { partDigits: view.partDigits }),
    sums(db, 'stat_flow', ['aid', 'aid_households', 'wish_fulfilled', 'room_completed', 'voucher_redeemed', 'project_received', 'warning_cohort'], view.prefix, { ...inPeriod(period), partDigits: view.partDigits })
  ])
  const figuresAt = freshness.at ? dateTime(freshness.at) : ''
  const source = `数据来源：善桥平台统计（${freshness.everyMinutes} 分钟更新一次，本表数据截至 ${figuresAt}）`
  const book = new ExcelJS.Workbook()
  book.creator = '善桥 Shanqiao'
  book.created = new Date()

  // 1. Persons and households by category and town (now).
  const covered = (keep: (r: { k1: string, k2: string, part: string }) => boolean) => (metric: string) => total(stock, r => r.metric === metric && COVERED_STATUSES.includes(r.k2) && keep(r)).n
  const coverageRows = view.parts.map(part => {
    const cells: number[] = []
    for (const category of CATEGORIES) {
      const of = covered(r => r.part === part.code && r.k1 === category)
      cells.push(of('households'), of('persons'))
    }
    const all = covered(r => r.part === part.code && (CATEGORIES as readonly string[]).includes(r.k1))
    return [part.name, ...cells, all('households'), all('persons')]
  })
  sheet(book, '低收入人口', `${areaName}低收入人口统计表（${period.label}）`, `${source}；在册人数为当前数，含渐退期家庭`,
    ['地区', ...CATEGORIES.flatMap(c => [`${CATEGORY_NAMES[c]}（户）`, `${CATEGORY_NAMES[c]}（人）`]), '合计（户）', '合计（人）'], withTotals(coverageRows))

  // 2. Assistance paid: the chain's government entries by kind and town.
  const govKinds = [...new Set(flows.filter(r => r.metric === 'aid' && r.k1 === 'government').map(r => r.k2))].sort()
  const fundRows: Array<Array<string | number>> = []
  for (const part of view.parts) {
    for (const kind of govKinds) {
      const here = (metric: string) => total(flows, r => r.metric === metric && r.part === part.code && r.k1 === 'government' && r.k2 === kind)
      const entries = here('aid')
      if (entries.n === 0) continue
      fundRows.push([part.name, kind, entries.n, here('aid_households').n, entries.amount])
    }
  }
  sheet(book, '救助资金发放', `${areaName}救助资金发放情况（${period.label}）`, `${source}；救助链中的政府救助记录，按发放之日计，冲正的不计；户次为每户每月计一次`,
    ['地区', '救助类别', '笔数', '户次', '金额（元）'], withTotals(fundRows).map(r => r[0] === '合计' ? ['合计', '', ...r.slice(2)] : r), 4)

  // 3. Charity help by kind (the chain's charity entries) and the steps completed.
  const charityRows = HELP_KINDS.map(kind => {
    const here = (metric: string) => total(flows, r => r.metric === metric && r.k1 === 'charity' && r.k2 === kind)
    return [HELP_KIND_NAMES[kind], here('aid').n, here('aid_households').n, here('aid').amount]
  })
  sheet(book, '慈善帮扶', `${areaName}慈善帮扶情况（${period.label}）`, `${source}；救助链中的慈善帮扶记录（心愿确认收到、梦想小屋交付、培训券使用、项目帮扶到户）`,
    ['帮扶方式', '次数', '户次', '金额（元）'], withTotals(charityRows), 3)

  // 4. Warnings handled on time: the period's warnings by town and class, as they stand today.
  const warningRows: Array<Array<string | number>> = []
  for (const part of view.parts) {
    for (const warningClass of WARNING_CLASSES) {
      const w = warningFigures(flows, asOf, r => r.part === part.code && r.k1 === warningClass)
      if (w.raised === 0) continue
      warningRows.push([part.name, WARNING_CLASS_NAMES[warningClass], w.raised, w.onTime, w.late, w.overdue, w.pending])
    }
  }
  sheet(book, '预警处置', `${areaName}预警处置情况（${period.label}）`, `${source}；按发出预警之日计入当期，办结情况和是否逾期按 ${fullDate(asOf)} 计；按时办结为在处置期限（含延期）内办结`,
    ['地区', '预警类别', ...WARNING_COLUMNS.map(c => c.replace('·', '（') + (c.includes('·') ? '）' : ''))], withTotals(warningRows).map(r => r[0] === '合计' ? ['合计', '', ...r.slice(2)] : r))

  const body = Buffer.from(await book.xlsx.writeBuffer())
  const month = period.values.period === 'month' ? period.values.month : `${period.first.slice(0, 7)}_${period.last.slice(0, 7)}`
  return { fileName: `${areaName}统计月报-${month}.xlsx`, body }
}
