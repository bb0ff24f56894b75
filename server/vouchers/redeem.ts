// Redemption: the institution whose course holds the voucher reports attendance, the voucher
// is redeemed, the class goes into the household's assistance chain (一户一条救助链) exactly
// once (origin voucher:<id>), and a project that pays for the place spends its unit cost.
// The voucher row is locked first: of parallel redemptions one succeeds, the rest find it
// redeemed and get 409.
import type { ListScope } from '../auth/policy.js'
import type { Db } from '../db/database.js'
import { appendCharityHelp } from '../registry/assistance.js'
import { invalid, notFound } from '../http/errors.js'
import { spendBudget } from '../supply/budget.js'
import { illegalVoucherTransition, placeCost, voucherReference } from './placement.js'
import { VOUCHER_NAME } from './views.js'

export interface Attendance {
  sessionsTotal: number
  sessionsAttended: number
}

export interface Redemption {
  voucherId: number
  chainEntryId: number
  /** false if the chain already held this voucher's entry (it never holds two). */
  appended: boolean
  spent: number
  /** The child's village, for the audit record (not part of the answer). */
  regionCode: string
}

export async function redeemVoucher (trx: Db, scope: ListScope, voucherId: number, attendance: Attendance, by: number | null, on: string): Promise<Redemption> {
  if (attendance.sessionsAttended > attendance.sessionsTotal) {
    throw invalid([{ field: 'body.sessionsAttended', code: 'maximum', message: `不能多于总课次 ${attendance.sessionsTotal} (must be <= sessionsTotal)` }])
  }
  const voucher = await trx.selectFrom('vouchers as v').leftJoin('courses as c', 'c.id', 'v.course_id').leftJoin('institutions as i', 'i.id', 'c.institution_id')
    .select(['v.id', 'v.state', 'v.household_id', 'v.person_id', 'v.project_id', 'v.region_code', 'c.institution_id', 'i.name as institution', 'c.title as course'])
    .where('v.id', '=', voucherId).forUpdate('v').executeTakeFirst()
  // An institution learns nothing of vouchers outside its courses, not even that they exist.
  if (!voucher || !(scope.everywhere || (voucher.institution_id !== null && voucher.institution_id === scope.institutionId))) throw notFound(VOUCHER_NAME)
  if (voucher.state !== 'assigned') throw illegalVoucherTransition(voucher.state, ['assigned'], '核销')
  await trx.updateTable('vouchers').set({
    state: 'redeemed', sessions_total: attendance.sessionsTotal, sessions_attended: attendance.sessionsAttended, redeemed_at: new Date(), redeemed_by: by
  }).where('id', '=', voucherId).execute()
  const cost = await placeCost(trx, voucher.project_id)
  const written = await appendCharityHelp(trx, {
    householdId: voucher.household_id, personId: voucher.person_id, kind: 'training_voucher', tags: ['voucher'], value: cost,
    occurredOn: on, provider: `${voucher.institution as string}（${voucher.course as string}）`, origin: voucherReference(voucherId)
  })
  if (voucher.project_id !== null) await spendBudget(trx, voucher.project_id, cost, voucherReference(voucherId))
  return { voucherId, chainEntryId: written.chainEntryId, appended: written.appended, spent: cost, regionCode: voucher.region_code }
}
