// After the household's receipt is confirmed: the help goes into the household's assistance
// chain, the donor is thanked with a de-identified note of what their gift did, and the wish
// is closed. Run by the feedback job, which may be retried: the chain entry's origin and the
// message's (claim, kind) are unique, so a second run adds nothing.
import type { Db } from '../db/database.js'
import { EVERYWHERE } from '../db/scope.js'
import { appendCharityHelp } from '../registry/assistance.js'
import type { PublicWish } from './public-view.js'
import { moveWish } from './wishes.js'
import { wishHelpTags } from '../../matching/duplicate-help.js'
import { notifyDonor } from '../notifications/notifications.js'
import { fullDate } from '../web/format.js'

export function thanksMessage (wish: PublicWish, receivedOn: string): string {
  return `感谢您的爱心！您认领的微心愿「${wish.item}」已于${fullDate(receivedOn)}送到${wish.town}的${wish.title}手中，心愿已经实现。`
}

export interface FeedbackResult {
  chainEntryId: number
  appended: boolean
  closed: boolean
}

export async function completeWishFeedback (db: Db, claimId: number): Promise<FeedbackResult> {
  return db.transaction().execute(async trx => {
    const row = await trx.selectFrom('claims as c').innerJoin('wishes as w', 'w.id', 'c.wish_id').innerJoin('donors as d', 'd.id', 'c.donor_id')
      .select(['c.id', 'c.state', 'c.donor_id', 'c.confirmed_on', 'w.id as wish_id', 'w.state as wish_state', 'w.household_id', 'w.person_id', 'w.category', 'w.tags', 'w.value', 'w.public_view', 'd.name as donor_name'])
      .where('c.id', '=', claimId).forUpdate('w').executeTakeFirstOrThrow()
    if (row.state !== 'confirmed' || row.confirmed_on === null) throw new Error(`claim ${claimId} is ${row.state}, not confirmed`)
    const written = await appendCharityHelp(trx, {
      householdId: row.household_id, personId: row.person_id, kind: 'wish', tags: wishHelpTags(row), value: row.value,
      occurredOn: row.confirmed_on, provider: `爱心认领：${row.donor_name}`, origin: `claim:${claimId}`
    })
    const body = thanksMessage(row.public_view as PublicWish, row.confirmed_on)
    await trx.insertInto('donor_messages').values({ donor_id: row.donor_id, kind: 'thanks', claim_id: claimId, body })
      .onConflict(oc => oc.columns(['claim_id', 'kind']).doNothing()).execute()
    await notifyDonor(trx, row.donor_id, { kind: 'thanks', subject: `claim:${claimId}`, link: '/me/messages', body: `您收到一封感谢信：${body}` })
    const closing = row.wish_state === 'confirmed'
    if (closing) await moveWish(trx, EVERYWHERE, row.wish_id, ['confirmed'], 'closed')
    return { ...written, closed: closing }
  })
}

/** Confirmed claims whose feedback has not run (e.g. the queue was down): for the sweep. */
export async function pendingFeedback (db: Db): Promise<number[]> {
  const rows = await db.selectFrom('claims as c').innerJoin('wishes as w', 'w.id', 'c.wish_id')
    .select('c.id').where('c.state', '=', 'confirmed').where('w.state', '=', 'confirmed').execute()
  return rows.map(r => r.id)
}
