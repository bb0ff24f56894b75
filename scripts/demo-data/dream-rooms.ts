// Dream rooms for the demo, so that the workbench's and the charity's dream-room pages have
// rooms at every point of their life on the first start: in 南浔镇 (both demo civil-affairs
// logins see them), four children's rooms, each taken through the server's own steps (survey,
// evidence, funding from the county's dream-room project P002, stage completion) on dates
// before `asOf` (in this order, so that a small demo with few children still has the first):
//   - completed 25 days ago with photos of every stage and the signed handover sheet, which
//     wrote the room into the household's assistance chain and settled the project's budget;
//   - funded, at the design stage, its due date 15 days past (overdue);
//   - funded, at the build stage, its due date 5 days ahead (the home counts it as due);
//   - surveyed 10 days ago, survey done, waiting for a charity to fund it (design can't close).
// Children are picked deterministically (the first eligible by person id); a second load
// finds rooms already there and adds nothing.
import { sql } from 'kysely'
import { addDays } from '../../matching/dates.js'
import type { Db } from '../../server/db/database.js'
import { storeEvidence } from '../../server/files/evidence.js'
import { fundRoom } from '../../server/dream-rooms/funding.js'
import { completeStage } from '../../server/dream-rooms/progress.js'
import type { Stage } from '../../server/dream-rooms/stages.js'
import { surveyRoom } from '../../server/dream-rooms/survey.js'
import { DEMO_PHOTO, DEMO_RECEIPT } from './photo.js'

const TOWN = '330503101'
const anyone = () => {}

interface DemoRoom {
  /** Days before asOf of the survey visit. */
  surveyedDaysAgo: number
  /** Stages completed, each this many days after the survey. */
  done: Array<[Stage, number]>
  funded: boolean
  condition: string
  area: number
  budget: number
  /** Due dates other than the defaults (days after the survey). */
  due?: Partial<Record<Stage, number>>
}

const ROOMS: DemoRoom[] = [
  { surveyedDaysAgo: 120, done: [['survey', 6], ['design', 24], ['build', 70], ['handover', 95]], funded: true, condition: '屋顶漏雨，孩子和父母挤在一间，没有学习的地方。', area: 9, budget: 15000 },
  { surveyedDaysAgo: 45, done: [['survey', 7]], funded: true, condition: '隔出来的小间没有窗，只有一盏灯，衣物堆在纸箱里。', area: 6, budget: 15000 },
  { surveyedDaysAgo: 70, done: [['survey', 6], ['design', 25]], funded: true, condition: '老房子墙皮脱落、窗户漏风，孩子的床靠着返潮的外墙。', area: 10, budget: 16000 },
  { surveyedDaysAgo: 10, done: [['survey', 5]], funded: false, condition: '孩子和奶奶同睡一张床，屋里没有书桌，晚上在饭桌上写作业。', area: 8, budget: 14000 }
]

const EVIDENCE: Record<Stage, string> = { survey: '房间现状.png', design: '设计方案.png', build: '施工照片.png', handover: '交付确认单（家庭签字）.png' }

export async function loadDemoDreamRooms (db: Db, { asOf, dataDir }: { asOf: string, dataDir: string }): Promise<void> {
  const project = await db.selectFrom('projects').select('id').where('external_key', '=', 'P002').where('status', '=', 'open').executeTakeFirst()
  if (!project) return
  if (await db.selectFrom('dream_rooms').select('id').where('region_code', 'like', `${TOWN}%`).limit(1).executeTakeFirst()) return
  // Children of 6–16 in households of the town still in the database, one a household, in person-id order.
  const children = await sql<{ id: number }>`
    SELECT DISTINCT ON (p.household_id) p.id FROM persons p JOIN households h ON h.id = p.household_id
    WHERE h.region_code LIKE ${`${TOWN}%`} AND h.status = 'active' AND p.left_on IS NULL
      AND p.birth_date BETWEEN ${addDays(asOf, -16 * 365)} AND ${addDays(asOf, -6 * 365 - 2)}
    ORDER BY p.household_id, p.id LIMIT ${ROOMS.length}`.execute(db)
  for (const [i, room] of ROOMS.entries()) {
    const child = children.rows[i]
    if (!child) return
    const surveyed = addDays(asOf, -room.surveyedDaysAgo)
    const dueDates = Object.fromEntries(Object.entries(room.due ?? {}).map(([stage, days]) => [stage, addDays(surveyed, days)]))
    await db.transaction().execute(async trx => {
      const id = await surveyRoom(trx, anyone, { personId: child.id, roomCondition: room.condition, areaM2: room.area, budgetEstimate: room.budget, dueDates }, null, surveyed)
      // The room was opened on the survey visit, not today.
      await sql`UPDATE dream_rooms SET created_at = ${new Date(`${surveyed}T10:00:00+08:00`)} WHERE id = ${id}`.execute(trx)
      if (room.funded) await fundRoom(trx, anyone, id, project.id)
      for (const [stage, after] of room.done) {
        await storeEvidence(trx, dataDir, { dreamRoomId: id, stage }, EVIDENCE[stage], stage === 'handover' ? DEMO_RECEIPT : DEMO_PHOTO, null)
        await completeStage(trx, anyone, id, stage, stage === 'handover' ? { note: '孩子和家长已验收签字。' } : {}, null, addDays(surveyed, after))
      }
    })
  }
}
