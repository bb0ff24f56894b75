// A past for the demo, so that every page has something to show on the first start: the two
// demo donor accounts have wishes fulfilled (with thanks), delivered and waiting, due in two
// days, lapsed and given up, and an impact note; two fund projects are part-way through their
// budgets (proposals confirmed, some delivered and received). Every step goes through the
// server's own functions, as staff and donors would take it, on dates in the recent past.
import { sql } from 'kysely'
import { addDays } from '../../matching/dates.js'
import type { Db } from '../../server/db/database.js'
import { EVERYWHERE } from '../../server/db/scope.js'
import { storeEvidence } from '../../server/files/evidence.js'
import { cancelClaim, claimWish, confirmClaimReceipt, expireClaims, markClaimDelivered, remindClaimsDueSoon } from '../../server/needs/claims.js'
import { completeWishFeedback } from '../../server/needs/feedback.js'
import { notifyDonor } from '../../server/notifications/notifications.js'
import { confirmProposal } from '../../server/proposals/decide.js'
import { addEvidence, confirmReceipt, markDelivered } from '../../server/proposals/fulfil.js'
import { runProposals } from '../../server/proposals/run.js'
import { DEMO_PHOTO, DEMO_RECEIPT } from './photo.js'

/** The donors seedDemoAccounts binds the demo logins to (server/auth/demo-accounts.ts). */
export const DEMO_DONOR_KEYS = ['demo-account:individual', 'demo-account:enterprise'] as const

type Fate = 'fulfilled' | 'delivered' | 'due_soon' | 'active' | 'lapsed' | 'given_up'

/** Each demo donor's claims: what became of them, and how many days ago they were made. */
const CLAIMS: ReadonlyArray<{ fate: Fate, daysAgo: number }> = [
  { fate: 'fulfilled', daysAgo: 45 },
  { fate: 'fulfilled', daysAgo: 30 },
  { fate: 'fulfilled', daysAgo: 16 },
  { fate: 'delivered', daysAgo: 8 },
  { fate: 'due_soon', daysAgo: 12 },
  { fate: 'active', daysAgo: 3 },
  { fate: 'lapsed', daysAgo: 20 },
  { fate: 'given_up', daysAgo: 9 }
]
const DELIVERY_DAYS = 14

/** The day `daysAgo` before asOf, as the claim's timestamp (noon, China time). */
const noonOf = (day: string) => new Date(`${day}T12:00:00+08:00`)

async function donorClaims (db: Db, donorId: number, wishIds: number[], asOf: string, dataDir: string): Promise<void> {
  for (const [i, { fate, daysAgo }] of CLAIMS.entries()) {
    const wishId = wishIds[i]
    if (wishId === undefined) return
    const claimedOn = addDays(asOf, -daysAgo)
    const claim = await db.transaction().execute(async trx => {
      const made = await claimWish(trx, wishId, donorId, claimedOn, { deliveryDays: DELIVERY_DAYS, maxActive: Infinity })
      // A claim records when it was made; the demo's were made in the past.
      await sql`UPDATE claims SET claimed_at = ${noonOf(claimedOn)} WHERE id = ${made.id}`.execute(trx)
      // And the wish was raised and published before it was claimed (the dashboards count days from publication to receipt).
      await sql`UPDATE wishes SET created_at = ${noonOf(addDays(claimedOn, -5))}, verified_at = ${noonOf(addDays(claimedOn, -4))}, published_at = ${noonOf(addDays(claimedOn, -3))} WHERE id = ${wishId}`.execute(trx)
      if (fate === 'given_up') await cancelClaim(trx, donorId, made.id, '临时出差，无法按时送达，让给其他爱心人士。', addDays(claimedOn, 2))
      if (fate === 'fulfilled' || fate === 'delivered') {
        await storeEvidence(trx, dataDir, { claimId: made.id }, '送达照片.png', DEMO_PHOTO, null)
        await markClaimDelivered(trx, donorId, made.id, addDays(claimedOn, 5), '已交到受助人手中')
      }
      if (fate === 'fulfilled') await confirmClaimReceipt(trx, EVERYWHERE, made.id, addDays(claimedOn, 7))
      return made
    })
    if (fate === 'fulfilled') await completeWishFeedback(db, claim.id)
  }
}

/** Runs a fund project's matcher and takes its first proposals through confirmation, delivery and receipt. */
async function projectProgress (db: Db, projectKey: string, asOf: string, dataDir: string, confirm: number, receive: number): Promise<void> {
  const project = await db.selectFrom('projects').select('id').where('external_key', '=', projectKey).where('status', '=', 'open').executeTakeFirst()
  if (!project) return
  const run = await db.insertInto('proposal_runs').values({ project_id: project.id, as_of: addDays(asOf, -40) }).returning('id').executeTakeFirstOrThrow()
  await runProposals(db, run.id)
  const proposals = await db.selectFrom('proposals').select('id').where('run_id', '=', run.id).orderBy('rank').limit(confirm).execute()
  for (const [i, { id }] of proposals.entries()) {
    await db.transaction().execute(async trx => {
      await confirmProposal(trx, EVERYWHERE, id, null, addDays(asOf, -35))
      if (i >= receive) return
      await addEvidence(trx, dataDir, id, '发放签收单.png', DEMO_RECEIPT, null)
      await markDelivered(trx, id, addDays(asOf, -20), '已发放')
      await confirmReceipt(trx, EVERYWHERE, id, addDays(asOf, -18))
    })
  }
}

export async function loadDemoHistory (db: Db, { asOf, dataDir }: { asOf: string, dataDir: string }): Promise<void> {
  const donors = await db.selectFrom('donors').select(['id', 'external_key']).where('external_key', 'in', [...DEMO_DONOR_KEYS]).orderBy('external_key', 'desc').execute()
  if (donors.length === 0) return
  // Wishes of the demo county, so that its demo staff can follow them up.
  const wishes = await db.selectFrom('wishes').select('id').where('state', '=', 'published').where('region_code', 'like', '330503%').orderBy('id').limit(CLAIMS.length * donors.length).execute()
  for (const [d, donor] of donors.entries()) {
    await donorClaims(db, donor.id, wishes.slice(d * CLAIMS.length, (d + 1) * CLAIMS.length).map(w => w.id), asOf, dataDir)
  }
  // The lapsed claims lapse, the ones due soon are reminded, as the worker would.
  await expireClaims(db, asOf)
  await remindClaimsDueSoon(db, asOf)

  const [person] = donors
  if (person) {
    await db.updateTable('donors').set({ preferences: JSON.stringify({ regionCodes: ['330503101', '330503102'], wishCategories: ['school_supplies', 'clothing'], kinds: [], minValue: 0, maxValue: 1000, hardships: ['serious_illness'] }) })
      .where('id', '=', person.id).execute()
  }
  for (const donor of donors) {
    const body = '感谢您对“微心愿”冬季暖心行动的支持！今年以来，行动已为南浔区 120 余位老人和孩子送去冬衣、被褥和学习用品，其中有您认领的心愿。受助家庭托我们转达谢意。'
    const message = await db.insertInto('donor_messages').values({ donor_id: donor.id, kind: 'impact', body, sender: '南浔区慈善总会' }).returning('id').executeTakeFirstOrThrow()
    await notifyDonor(db, donor.id, { kind: 'impact', subject: `message:${message.id}`, link: '/me/messages', body: `南浔区慈善总会给您发来一份成效说明：${body.slice(0, 40)}…` })
  }
  // The oldest notifications have been seen; the newest wait in the bell.
  await sql`UPDATE notifications SET read_at = now() WHERE kind IN ('claim_confirmed', 'claim_expired')`.execute(db)

  await projectProgress(db, 'P004', asOf, dataDir, 8, 5)
  await projectProgress(db, 'P005', asOf, dataDir, 30, 20)
}
