// Dynamic monitoring for the demo, so that the worklist has content on the first start: four
// department feeds imported on days in the recent past by 南浔镇's clerk — medical bills four
// weeks ago (their warnings now overdue and escalated), deaths a fortnight ago (due about now),
// disaster losses last week and unemployment registrations two days ago (each file with a
// record not in the registry and a bad row, for the unmatched report) — then one warning
// handled with help written to the chain, and the reminder sweep run today. Everything goes
// through the server's own functions; the ID numbers come from the generated households.
import { addDays } from '../../matching/dates.js'
import { makeResidentId } from '../../matching/resident-id.js'
import type { FeedKind } from '../../matching/monitoring/index.js'
import { DEMO_TOWN } from '../../server/auth/demo-accounts.js'
import type { Db } from '../../server/db/database.js'
import { EVERYWHERE } from '../../server/db/scope.js'
import { importStoredFeed } from '../../server/monitoring/feeds/import.js'
import { createFeedImport } from '../../server/monitoring/feeds/record.js'
import { remindAndEscalate } from '../../server/monitoring/sweeps.js'
import { handleWarning } from '../../server/monitoring/warnings.js'
import type { PiiKeys } from '../../server/privacy/pii.js'
import type { Dataset, HouseholdRecord, MemberRecord } from './records.js'

interface Chosen { household: HouseholdRecord, member: MemberRecord }

const ageOn = (birthDate: string, day: string) => Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4)) - (day.slice(5) < birthDate.slice(5) ? 1 : 0)

/** Working-age members able to work, one per low-income household of 南浔镇 in the register with someone left besides them, in the generator's order. */
function candidates (data: Dataset, asOf: string, wanted: number): Chosen[] {
  const chosen: Chosen[] = []
  for (const household of data.households()) {
    if (!household.regionCode.startsWith(DEMO_TOWN.code) || household.members.length < 2 || household.intendedCategory === 'none' || household.status !== 'active') continue
    const member = household.members.find(m => m.laborCapacity !== 'none' && ageOn(m.birthDate, asOf) >= 20 && ageOn(m.birthDate, asOf) <= 55)
    if (member) chosen.push({ household, member })
    if (chosen.length >= wanted) break
  }
  return chosen
}

const csv = (rows: string[][]) => `${rows.map(row => row.join(',')).join('\r\n')}\r\n`

/** Loads the demo's feeds and warnings once: nothing when any feed has been imported already. */
export async function loadDemoMonitoring (db: Db, keys: PiiKeys & { dataDir: string }, data: Dataset, asOf: string): Promise<number> {
  if (await db.selectFrom('feed_imports').select('id').limit(1).executeTakeFirst()) return 0
  const clerk = await db.selectFrom('users').select(['id', 'username']).where('username', '=', 'mz-nanxun').executeTakeFirst()
  const people = candidates(data, asOf, 9)
  if (people.length < 9) return 0
  const stranger = (n: number) => makeResidentId('330503', '1971-07-07', 900 + n * 2, 'male')
  const feeds: Array<{ kind: FeedKind, daysAgo: number, fileName: string, rows: string[][] }> = [
    {
      kind: 'medical', daysAgo: 28, fileName: '区医保局 医疗费用结算（演示）.csv',
      rows: [['身份证号', '姓名', '结算日期', '自付金额', '医疗总费用', '业务编号'],
        ...people.slice(0, 3).map(({ member }, i) => [member.idNumber, member.name, addDays(asOf, -31 - i), String([12_600, 34_800, 11_200][i]), String([41_000, 96_000, 30_500][i]), `YB-DEMO-${i + 1}`]),
        [stranger(1), '外地参保人', addDays(asOf, -31), '15000', '40000', 'YB-DEMO-9']]
    },
    {
      kind: 'death', daysAgo: 13, fileName: '卫健 死亡信息（演示）.csv',
      rows: [['身份证号', '姓名', '死亡日期'], ...people.slice(3, 5).map(({ member }) => [member.idNumber, member.name, addDays(asOf, -16)])]
    },
    {
      kind: 'disaster', daysAgo: 6, fileName: '应急管理局 受灾人员（演示）.csv',
      rows: [['身份证号', '姓名', '灾害日期', '损失金额', '灾害类型'],
        [people[5]!.member.idNumber, people[5]!.member.name, addDays(asOf, -8), '18000', '洪涝'],
        [people[6]!.member.idNumber, people[6]!.member.name, addDays(asOf, -8), '六千', '洪涝']]
    },
    {
      kind: 'unemployment', daysAgo: 2, fileName: '人社局 失业登记（演示）.csv',
      rows: [['身份证号', '姓名', '登记日期'], ...people.slice(7, 9).map(({ member }) => [member.idNumber, member.name, addDays(asOf, -4)]),
        [stranger(2), '外地务工人员', addDays(asOf, -4)], [people[7]!.member.idNumber.slice(0, 17) + 'Z', people[7]!.member.name, addDays(asOf, -4)]]
    }
  ]
  let raised = 0
  for (const feed of feeds) {
    const id = await createFeedImport(db, keys.dataDir, { kind: feed.kind, fileName: feed.fileName, format: 'csv', scope: { regionPrefix: DEMO_TOWN.code }, createdBy: clerk?.id ?? null, content: Buffer.from(`\uFEFF${csv(feed.rows)}`) })
    raised += (await importStoredFeed(db, keys, id, addDays(asOf, -feed.daysAgo))).warningsRaised
  }
  // The county's medical-security desk applied the policy for the first bill.
  const first = await db.selectFrom('warnings').select('id').where('rule', '=', 'spending_surge').orderBy('id').executeTakeFirst()
  if (first) {
    await db.transaction().execute(trx => handleWarning(trx, EVERYWHERE, first.id,
      { action: 'policy_applied', note: '已按规定落实医疗救助（演示）', assistanceKind: '医疗救助', assistanceValue: 3800, assistanceOn: addDays(asOf, -20) },
      { id: null, name: '区医保局（演示）' }, addDays(asOf, -20)))
    // Handled 20 days ago, as its chain entry says: the close is stamped that day too (the loader
    // does not run the application's clock back), so the dashboard counts it closed on time.
    await db.updateTable('warnings').set({ closed_at: new Date(`${addDays(asOf, -20)}T10:00:00+08:00`) }).where('id', '=', first.id).execute()
  }
  await remindAndEscalate(db, asOf)
  return raised
}
