// A project's report for its charity federation (an XLSX workbook, headers in Chinese): the
// project and its money; households helped by town and category with amounts; each help with
// its dates; and the ledger. Help is whatever the project committed money to — confirmed
// proposals and applications, training vouchers placed, dream rooms funded — and its amounts
// are the ledger's for that help (committed less released, spent), so the sheets add up to
// the project's account. No names: a help is named by its number, town and village. Readers
// bound to a region see their region's part (as for the project's proposals).
import ExcelJS from 'exceljs'
import { sql } from 'kysely'
import { CATEGORY_NAMES, HELP_KIND_NAMES, type CategoryOrNone, type HelpKind } from '../../matching/domain.js'
import type { Db } from '../db/database.js'
import { scopePattern, type RegionScope } from '../db/scope.js'
import { dateTime, fullDate } from '../web/format.js'
import type { ProjectView } from '../schemas/projects.js'
import { PROJECT_STATUS_NAMES } from './project-states.js'
import { projectLedger } from './projects.js'

export interface HelpRow {
  reference: string
  way: 'run' | 'application' | 'voucher' | 'dream_room'
  town: string
  village: string
  category: CategoryOrNone
  startedOn: string | null
  deliveredOn: string | null
  receivedOn: string | null
  state: string
  committed: number
  spent: number
}

export const WAY_NAMES: Record<HelpRow['way'], string> = { run: '推荐', application: '申请', voucher: '培训券', dream_room: '梦想小屋' }
const STATE_NAMES: Record<string, string> = {
  in_progress: '落实中', delivered: '已送达', received: '已签收', cancelled: '已取消',
  assigned: '已入班', redeemed: '已核销', lapsed: '已过期', issued: '待入班',
  survey: '入户调查', design: '设计', build: '施工', handover: '交付', completed: '已完成'
}
const DONE = new Set(['received', 'redeemed', 'completed'])
const DROPPED = new Set(['cancelled', 'lapsed', 'issued'])

/** Every help the project committed money to, within the scope, oldest first. */
export async function projectHelps (db: Db, projectId: number, scope: RegionScope): Promise<HelpRow[]> {
  const { rows } = await sql<{ reference: string, way: HelpRow['way'], region_code: string, town: string, village: string, category: string | null, started_on: string | null, delivered_on: string | null, received_on: string | null, state: string, committed: string | null, spent: string | null }>`
    WITH money AS (
      SELECT reference,
             sum(CASE movement WHEN 'commit' THEN amount WHEN 'release' THEN -amount ELSE 0 END) AS committed,
             sum(CASE movement WHEN 'spend' THEN amount ELSE 0 END) AS spent
        FROM project_ledger WHERE project_id = ${projectId} GROUP BY reference),
    helps AS (
      SELECT 'proposal:' || pr.id AS reference, pr.source AS way, pr.household_id, pr.region_code,
             to_char(pr.decided_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS started_on, f.delivered_on::text, f.received_on::text, coalesce(f.state, pr.status) AS state, pr.id AS n
        FROM proposals pr LEFT JOIN fulfilments f ON f.proposal_id = pr.id
       WHERE pr.project_id = ${projectId} AND (pr.status = 'confirmed' OR f.proposal_id IS NOT NULL)
      UNION ALL
      SELECT 'voucher:' || v.id, 'voucher', v.household_id, v.region_code,
             to_char(v.assigned_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'), NULL, to_char(v.redeemed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'), v.state, v.id
        FROM vouchers v WHERE v.project_id = ${projectId} AND v.state <> 'issued'
      UNION ALL
      SELECT 'dream_room:' || r.id, 'dream_room', r.household_id, r.region_code,
             to_char(r.created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD'),
             (SELECT s.completed_on::text FROM dream_room_stages s WHERE s.room_id = r.id AND s.stage = 'build'),
             (SELECT s.completed_on::text FROM dream_room_stages s WHERE s.room_id = r.id AND s.stage = 'handover'), r.stage, r.id
        FROM dream_rooms r WHERE r.project_id = ${projectId})
    SELECT h.reference, h.way, h.region_code, town.name AS town, village.name AS village, hh.category, h.started_on, h.delivered_on, h.received_on, h.state,
           m.committed, m.spent
      FROM helps h
      JOIN households hh ON hh.id = h.household_id
      JOIN regions village ON village.code = h.region_code
      JOIN regions town ON town.code = left(h.region_code, 9)
      LEFT JOIN money m ON m.reference = h.reference
     WHERE h.region_code LIKE ${scopePattern(scope)}
     ORDER BY h.started_on NULLS LAST, h.reference`.execute(db)
  return rows.map(r => ({
    reference: r.reference, way: r.way, town: r.town, village: r.village, category: (r.category ?? 'none') as CategoryOrNone,
    startedOn: r.started_on, deliveredOn: r.delivered_on, receivedOn: r.received_on, state: r.state,
    committed: Number(r.committed ?? 0), spent: Number(r.spent ?? 0)
  }))
}

export interface TownCategoryRow { town: string, category: CategoryOrNone, households: number, helped: number, committed: number, spent: number }

/** Helps added up by town and category: households helped (help not cancelled or lapsed), of them done (received), and the money. */
export function byTownAndCategory (helps: readonly HelpRow[]): TownCategoryRow[] {
  const groups = new Map<string, TownCategoryRow & { seen: Set<string>, done: Set<string> }>()
  for (const help of helps) {
    if (DROPPED.has(help.state) && help.committed === 0 && help.spent === 0) continue
    const key = `${help.town}\u0000${help.category}`
    const group = groups.get(key) ?? { town: help.town, category: help.category, households: 0, helped: 0, committed: 0, spent: 0, seen: new Set(), done: new Set() }
    if (!DROPPED.has(help.state)) group.seen.add(help.reference)
    if (DONE.has(help.state)) group.done.add(help.reference)
    group.committed += help.committed
    group.spent += help.spent
    groups.set(key, group)
  }
  return [...groups.values()].map(({ seen, done, ...g }) => ({ ...g, households: seen.size, helped: done.size }))
    .sort((a, b) => a.town.localeCompare(b.town, 'zh-CN') || a.category.localeCompare(b.category))
}

const MOVEMENT_NAMES = { commit: '承诺', release: '释放', spend: '支出' } as const

function sheet (book: ExcelJS.Workbook, name: string, columns: Array<{ header: string, key: string, width: number, money?: boolean }>, rows: Array<Record<string, unknown>>) {
  const ws = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] })
  ws.columns = columns.map(({ header, key, width }) => ({ header, key, width }))
  ws.getRow(1).font = { bold: true }
  for (const row of rows) ws.addRow(row)
  columns.forEach((column, i) => { if (column.money) ws.getColumn(i + 1).numFmt = '#,##0.00' })
  return ws
}

/** The workbook, written to a buffer. */
export async function projectReportXlsx (db: Db, project: ProjectView, scope: RegionScope, asOf: string): Promise<Buffer> {
  const [helps, ledger] = await Promise.all([projectHelps(db, project.id, scope), projectLedger(db, project.id)])
  const book = new ExcelJS.Workbook()
  book.creator = '善桥 Shanqiao'
  book.created = new Date()
  const summary = book.addWorksheet('项目概况')
  summary.columns = [{ header: '项目', key: 'k', width: 18 }, { header: '内容', key: 'v', width: 48 }]
  summary.getRow(1).font = { bold: true }
  const facts: Array<[string, string | number]> = [
    ['项目名称', project.title], ['项目类型', HELP_KIND_NAMES[project.kind as HelpKind]], ['发起机构', project.organisation],
    ['状态', PROJECT_STATUS_NAMES[project.status]], ['开始日期', project.startsOn ? fullDate(project.startsOn) : '即日'], ['结束日期', project.endsOn ? fullDate(project.endsOn) : '额满为止'],
    ['总预算（元）', project.budget], ['已承诺（元）', project.committed], ['已支出（元）', project.spent], ['尚可安排（元）', project.available],
    ['帮扶户（人）次', helps.filter(h => !DROPPED.has(h.state)).length], ['已签收或完成', helps.filter(h => DONE.has(h.state)).length],
    ['报表日期', fullDate(asOf)], ['范围', scope.regionPrefix === '' ? '项目全部地区' : `行政区划 ${scope.regionPrefix} 内`]
  ]
  for (const [k, v] of facts) summary.addRow({ k, v })
  sheet(book, '按镇和类别', [
    { header: '镇（街道）', key: 'town', width: 14 }, { header: '类别', key: 'category', width: 22 }, { header: '帮扶户（人）数', key: 'households', width: 14 },
    { header: '其中已签收或完成', key: 'helped', width: 16 }, { header: '承诺金额（元）', key: 'committed', width: 16, money: true }, { header: '支出金额（元）', key: 'spent', width: 16, money: true }
  ], byTownAndCategory(helps).map(r => ({ ...r, category: CATEGORY_NAMES[r.category] })))
  sheet(book, '帮扶明细', [
    { header: '编号', key: 'reference', width: 18 }, { header: '方式', key: 'way', width: 10 }, { header: '镇（街道）', key: 'town', width: 14 }, { header: '村（社区）', key: 'village', width: 16 },
    { header: '类别', key: 'category', width: 22 }, { header: '确认日期', key: 'startedOn', width: 12 }, { header: '送达日期', key: 'deliveredOn', width: 12 },
    { header: '签收（完成）日期', key: 'receivedOn', width: 16 }, { header: '状态', key: 'state', width: 10 },
    { header: '承诺金额（元）', key: 'committed', width: 14, money: true }, { header: '支出金额（元）', key: 'spent', width: 14, money: true }
  ], helps.map(h => ({ ...h, way: WAY_NAMES[h.way], category: CATEGORY_NAMES[h.category], state: STATE_NAMES[h.state] ?? h.state })))
  sheet(book, '资金台账', [
    { header: '时间', key: 'at', width: 20 }, { header: '类型', key: 'movement', width: 8 }, { header: '金额（元）', key: 'amount', width: 14, money: true },
    { header: '来源', key: 'reference', width: 18 }, { header: '累计承诺（元）', key: 'committedAfter', width: 16, money: true }, { header: '累计支出（元）', key: 'spentAfter', width: 16, money: true }
  ], scope.regionPrefix === '' ? ledger.map(e => ({ ...e, at: dateTime(e.at), movement: MOVEMENT_NAMES[e.movement] })) : [])
  return Buffer.from(await book.xlsx.writeBuffer())
}
