// The assistance the bureau paid, so that the dashboards and the monthly report have money to
// show on the first start: each 低保 and 特困 household's monthly payment for the last four
// months (on the first of the month), and a one-off 临时救助 for some 刚性支出 households last
// month — appended to the households' chains through the registry's own function.
import { addDays } from '../../matching/dates.js'
import type { Db } from '../../server/db/database.js'
import { EVERYWHERE } from '../../server/db/scope.js'
import { appendAssistance } from '../../server/registry/assistance.js'

const MONTHS = 4

/** The first day of the month `back` months before asOf's. */
function monthStart (asOf: string, back: number): string {
  const index = Number(asOf.slice(0, 4)) * 12 + Number(asOf.slice(5, 7)) - 1 - back
  return `${Math.floor(index / 12)}-${String(index % 12 + 1).padStart(2, '0')}-01`
}

/** Appends the payments once: a database that has them (a second load) gets nothing more. */
export async function loadDemoPayments (db: Db, asOf: string): Promise<number> {
  const paid = await db.selectFrom('assistance_entries').select('id').where('source', '=', 'government').where('provider', '=', '区民政局').limit(1).executeTakeFirst()
  if (paid) return 0
  const households = await db.selectFrom('households').select(['id', 'category'])
    .where('category', 'in', ['dibao', 'tekun', 'rigid_expense']).where('status', 'in', ['active', 'gradual_exit']).orderBy('id').execute()
  let appended = 0
  for (const household of households) {
    for (let back = MONTHS - 1; back >= 0; back--) {
      const on = monthStart(asOf, back)
      if (household.category === 'rigid_expense') {
        if (back !== 1 || household.id % 4 !== 0) continue
        await appendAssistance(db, EVERYWHERE, { householdId: household.id, source: 'government', kind: '临时救助', value: 1000 + (household.id % 5) * 500, occurredOn: addDays(on, 9), provider: '区民政局', reference: `LS-${household.id}` })
      } else {
        const value = household.category === 'tekun' ? 1180 : 460 + (household.id % 7) * 90
        await appendAssistance(db, EVERYWHERE, { householdId: household.id, source: 'government', kind: household.category === 'tekun' ? '特困供养金' : '低保金', value, occurredOn: on, provider: '区民政局', reference: `${on.slice(0, 7)}-${household.id}` })
      }
      appended++
    }
  }
  return appended
}
