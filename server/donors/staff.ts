// Donors as the staff who work with them see them (charity federations, administrators):
// the list with each donor's verification state, claims and gifts, one donor with their
// claims (the wishes de-identified, as the donor sees them) and the projects they fund, and
// the thank-you and impact notes a charity sends them — checked for anything that could name
// a family before it goes (names of the families the donor helped, phones, ID numbers,
// addresses, long numbers). Reading donors' names and contacts is audited by the caller
// (audit/pii-read.ts auditDonorContactsRead), as for the API's list.
import type { FastifyRequest } from 'fastify'
import { sql } from 'kysely'
import { auditDonorContactsRead } from '../audit/pii-read.js'
import type { Db } from '../db/database.js'
import { familyNames } from '../dream-rooms/views.js'
import { invalid, notFound } from '../http/errors.js'
import { listDonorClaims, type ClaimView } from '../needs/claims.js'
import { notifyDonor } from '../notifications/notifications.js'
import type { PiiKeys } from '../privacy/pii.js'
import { scrub } from '../privacy/deidentify.js'
import type { DonorNoteInput, NoteCheck, StaffDonor, StaffDonorDetail } from '../schemas/donors.js'
import { listDonorMessages, type DonorMessage } from './messages.js'
import { donorQuery, toDonor } from './profile.js'

export interface DonorFilters {
  kind?: 'individual' | 'enterprise' | undefined
  verified?: boolean | undefined
  /** Part of the name. */
  q?: string | undefined
  limit: number
  offset: number
}

function staffDonorQuery (db: Db) {
  return donorQuery(db).select([
    sql<boolean>`EXISTS (SELECT 1 FROM users u WHERE u.donor_id = donors.id AND u.contact_verified_at IS NOT NULL)`.as('verified'),
    sql<number>`(SELECT count(*) FROM claims c WHERE c.donor_id = donors.id AND c.state = 'active')`.as('active'),
    sql<number>`(SELECT count(*) FROM claims c WHERE c.donor_id = donors.id AND c.state = 'delivered')`.as('delivered'),
    sql<number>`(SELECT count(*) FROM claims c WHERE c.donor_id = donors.id AND c.state = 'confirmed')`.as('confirmed'),
    sql<number>`(SELECT count(*) FROM claims c WHERE c.donor_id = donors.id AND c.state IN ('expired', 'cancelled'))`.as('ended'),
    sql<number>`(SELECT coalesce(sum(w.value), 0) FROM claims c JOIN wishes w ON w.id = c.wish_id WHERE c.donor_id = donors.id AND c.state = 'confirmed')`.as('given'),
    sql<number>`(SELECT count(*) FROM projects p WHERE p.funding_donor_id = donors.id)`.as('projects_funded')
  ])
}
type Row = Awaited<ReturnType<ReturnType<typeof staffDonorQuery>['executeTakeFirstOrThrow']>>

const toStaffDonor = (r: Row): StaffDonor => ({
  ...toDonor(r),
  verified: r.verified,
  claims: { active: Number(r.active), delivered: Number(r.delivered), confirmed: Number(r.confirmed), ended: Number(r.ended) },
  given: Number(r.given),
  projectsFunded: Number(r.projects_funded)
})

export async function listStaffDonors (db: Db, filters: DonorFilters): Promise<{ total: number, items: StaffDonor[] }> {
  let query = staffDonorQuery(db)
  let count = db.selectFrom('donors').select(eb => eb.fn.countAll<number>().as('n'))
  const verified = sql<boolean>`EXISTS (SELECT 1 FROM users u WHERE u.donor_id = donors.id AND u.contact_verified_at IS NOT NULL)`
  if (filters.kind) {
    query = query.where('kind', '=', filters.kind)
    count = count.where('kind', '=', filters.kind)
  }
  if (filters.verified !== undefined) {
    query = query.where(filters.verified ? verified : sql<boolean>`NOT ${verified}`)
    count = count.where(filters.verified ? verified : sql<boolean>`NOT ${verified}`)
  }
  if (filters.q) {
    const pattern = `%${filters.q.replace(/[\\%_]/g, '\\$&')}%`
    query = query.where('name', 'like', pattern)
    count = count.where('name', 'like', pattern)
  }
  const [rows, total] = await Promise.all([query.orderBy('id').limit(filters.limit).offset(filters.offset).execute(), count.executeTakeFirstOrThrow()])
  return { total: Number(total.n), items: rows.map(toStaffDonor) }
}

export async function staffDonor (db: Db, id: number, asOf: string): Promise<StaffDonorDetail> {
  const row = await staffDonorQuery(db).where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('该爱心人士 (donor)')
  const page = { limit: 50, offset: 0 }
  const groups = await Promise.all((['active', 'delivered', 'confirmed', 'ended'] as const).map(group => listDonorClaims(db, id, group, page, asOf)))
  const claims = groups.flatMap(g => g.items).sort((a, b) => b.id - a.id).slice(0, 50)
  const [projects, messages] = await Promise.all([
    db.selectFrom('projects').select(['id', 'title', 'status', 'budget', 'spent']).where('funding_donor_id', '=', id).orderBy('id', 'desc').execute(),
    listDonorMessages(db, id, { limit: 50, offset: 0 })
  ])
  return { donor: toStaffDonor(row), claims, projects, notes: messages.items.filter(m => m.kind !== 'claim_expired' && m.sender !== null) }
}

/** The names a note to this donor must not carry: every member of every family the donor's claims served. */
async function namesToKeepOut (db: Db, keys: PiiKeys, donorId: number): Promise<string[]> {
  const households = await db.selectFrom('claims as c').innerJoin('wishes as w', 'w.id', 'c.wish_id').select('w.household_id').distinct()
    .where('c.donor_id', '=', donorId).execute()
  const names = await familyNames(db, keys, households.map(h => h.household_id))
  return [...names.values()].flat()
}

/** The note as it would be sent, and what the de-identification would take out of it. */
export async function checkDonorNote (db: Db, keys: PiiKeys, donorId: number, body: string): Promise<NoteCheck> {
  const found = await db.selectFrom('donors').select('id').where('id', '=', donorId).executeTakeFirst()
  if (!found) throw notFound('该爱心人士 (donor)')
  const scrubbed = scrub(body, await namesToKeepOut(db, keys, donorId))
  return { body: scrubbed.text, removed: scrubbed.removed, ready: scrubbed.removed.length === 0 }
}

const KIND_NAMES = { thanks: '感谢信', impact: '成效说明' } as const

/**
 * Sends a note from `sender` (the charity's name): refused, naming what to take out, unless the
 * check finds nothing to hide — the sender sees the note as it goes. The donor reads it on
 * /me/messages and is notified once. Call inside a transaction; the caller audits.
 */
export async function sendDonorNote (trx: Db, keys: PiiKeys, donorId: number, note: DonorNoteInput, sender: string): Promise<DonorMessage> {
  const check = await checkDonorNote(trx, keys, donorId, note.body)
  if (!check.ready) {
    const what = check.removed.map(r => `“${r.text}”`).join('、')
    throw invalid([{ field: 'body.body', code: 'identifying', message: `内容可能让人认出受助家庭，请删去 ${what} 后再发送`, removed: check.removed }])
  }
  const row = await trx.insertInto('donor_messages').values({ donor_id: donorId, kind: note.kind, body: note.body, sender })
    .returning(['id', 'kind', 'claim_id', 'sender', 'body', 'created_at']).executeTakeFirstOrThrow()
  await notifyDonor(trx, donorId, { kind: `note_${note.kind}`, subject: `donor_message:${row.id}`, link: '/me/messages', body: `${sender}给您发来一封${KIND_NAMES[note.kind]}。` })
  return { id: row.id, kind: row.kind, claimId: row.claim_id, sender: row.sender, body: row.body, createdAt: row.created_at.toISOString(), read: false }
}

/** Who a note is from: the writer's organisation, or the platform for an administrator. */
export async function senderName (db: Db, organisationId: number | null): Promise<string> {
  if (organisationId === null) return '善桥平台'
  const organisation = await db.selectFrom('organisations').select('name').where('id', '=', organisationId).executeTakeFirst()
  return organisation?.name ?? '善桥平台'
}

export type { ClaimView }

/** Sends a note as the signed-in staff member's organisation, audited in the same transaction (API and pages). */
export async function sendNoteAs (request: FastifyRequest, donorId: number, note: DonorNoteInput): Promise<DonorMessage> {
  const { db, config } = request.server
  const sender = await senderName(db, request.principal?.organisationId ?? null)
  return db.transaction().execute(async trx => {
    const message = await sendDonorNote(trx, config, donorId, note, sender)
    await request.audit({ action: 'donor.note', record: { type: 'donor', id: donorId }, after: { kind: note.kind, sender, messageId: message.id } }, trx)
    return message
  })
}

/** One donor for staff, the read of their name and contacts audited first. */
export async function staffDonorRead (request: FastifyRequest, id: number, asOf: string): Promise<StaffDonorDetail> {
  const detail = await staffDonor(request.server.db, id, asOf)
  await auditDonorContactsRead(request, [id])
  return detail
}
