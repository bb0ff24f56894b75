// From confirmation to receipt: the charity delivers with evidence, civil-affairs staff
// record the household's receipt, and the help is written back into the household's
// assistance chain exactly once (the entry's origin key is unique), with the project's
// spending updated in the same transaction.
import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Db } from '../db/database.js'
import { inScope, type RegionScope } from '../db/scope.js'
import { AppError, conflict, notFound } from '../http/errors.js'

export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
const EVIDENCE_TYPES = [
  { type: 'image/jpeg', extension: 'jpg', magic: [0xff, 0xd8, 0xff] },
  { type: 'image/png', extension: 'png', magic: [0x89, 0x50, 0x4e, 0x47] },
  { type: 'application/pdf', extension: 'pdf', magic: [0x25, 0x50, 0x44, 0x46] }
] as const
/** Days to deliver after confirmation, per kind of help. */
const DELIVERY_DAYS: Record<string, number> = { wish: 14, fund: 30, training_voucher: 60, dream_room: 90 }

function addDays (date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

export async function startFulfilment (db: Db, proposalId: number, kind: string, on: string): Promise<void> {
  await db.insertInto('fulfilments').values({ proposal_id: proposalId, due_on: addDays(on, DELIVERY_DAYS[kind] ?? 30) }).execute()
}

async function fulfilmentOf (db: Db, proposalId: number) {
  const row = await db.selectFrom('fulfilments as f').innerJoin('proposals as pr', 'pr.id', 'f.proposal_id').innerJoin('projects as p', 'p.id', 'pr.project_id')
    .select(['f.proposal_id', 'f.state', 'f.due_on', 'f.delivered_on', 'f.received_on', 'f.note', 'pr.household_id', 'pr.person_id', 'pr.region_code', 'pr.cost', 'p.id as project_id', 'p.kind', 'p.title', 'p.organisation_id'])
    .where('f.proposal_id', '=', proposalId).forUpdate('f').executeTakeFirst()
  if (!row) throw notFound('该帮扶的落实记录 (fulfilment)')
  return row
}

export async function fulfilmentView (db: Db, proposalId: number, asOf: string) {
  const row = await fulfilmentOf(db, proposalId)
  const evidence = await db.selectFrom('evidence').select(['id', 'file_name', 'content_type', 'bytes', 'uploaded_at']).where('proposal_id', '=', proposalId).orderBy('id').execute()
  return {
    proposalId, state: row.state, dueOn: row.due_on, overdue: row.state === 'in_progress' && row.due_on < asOf,
    deliveredOn: row.delivered_on, receivedOn: row.received_on, note: row.note, organisationId: row.organisation_id, regionCode: row.region_code,
    evidence: evidence.map(e => ({ id: e.id, fileName: e.file_name, contentType: e.content_type, bytes: e.bytes, uploadedAt: e.uploaded_at.toISOString() }))
  }
}

/** Checks what the bytes are (not what the client says), stores them under DATA_DIR. */
export async function addEvidence (db: Db, dataDir: string, proposalId: number, fileName: string, content: Buffer, uploadedBy: number | null): Promise<number> {
  await fulfilmentOf(db, proposalId)
  const kind = EVIDENCE_TYPES.find(t => t.magic.every((byte, i) => content[i] === byte))
  if (!kind) throw new AppError(415, 'unsupported_evidence', '凭证须为 JPEG、PNG 图片或 PDF 文件 (evidence must be JPEG, PNG or PDF)')
  if (content.length > EVIDENCE_MAX_BYTES) throw new AppError(413, 'payload_too_large', '凭证文件不能超过 5 MB (evidence over 5 MB)')
  const sha256 = createHash('sha256').update(content).digest('hex')
  await mkdir(join(dataDir, 'evidence'), { recursive: true })
  await writeFile(join(dataDir, 'evidence', `${sha256}.${kind.extension}`), content)
  const row = await db.insertInto('evidence').values({ proposal_id: proposalId, file_name: fileName, content_type: kind.type, bytes: content.length, sha256, uploaded_by: uploadedBy })
    .returning('id').executeTakeFirstOrThrow()
  return row.id
}

export async function markDelivered (db: Db, proposalId: number, on: string, note: string | null): Promise<void> {
  await db.transaction().execute(async trx => {
    const row = await fulfilmentOf(trx, proposalId)
    if (row.state !== 'in_progress') throw conflict('already_delivered', '已登记送达 (already delivered)')
    const evidence = await trx.selectFrom('evidence').select('id').where('proposal_id', '=', proposalId).limit(1).executeTakeFirst()
    if (!evidence) throw conflict('evidence_required', '请先上传送达凭证（照片或签收单）(upload evidence first)')
    await trx.updateTable('fulfilments').set({ state: 'delivered', delivered_on: on, note, updated_at: new Date() }).where('proposal_id', '=', proposalId).execute()
  })
}

/**
 * The household confirmed receipt (through staff). Safe to repeat: the second call finds the
 * fulfilment received and the chain entry present, and changes nothing.
 */
export async function confirmReceipt (db: Db, scope: RegionScope, proposalId: number, on: string): Promise<{ chainEntryId: number, appended: boolean }> {
  return db.transaction().execute(async trx => {
    const row = await fulfilmentOf(trx, proposalId)
    if (!inScope(scope, row.region_code)) throw notFound('该帮扶的落实记录 (fulfilment)')
    const origin = `proposal:${proposalId}`
    if (row.state === 'received') {
      const existing = await trx.selectFrom('assistance_entries').select('id').where('origin', '=', origin).executeTakeFirstOrThrow()
      return { chainEntryId: existing.id, appended: false }
    }
    if (row.state !== 'delivered') throw conflict('not_delivered', '尚未登记送达 (not delivered yet)')
    const entry = await trx.insertInto('assistance_entries').values({
      household_id: row.household_id, person_id: row.person_id, source: 'charity', kind: row.kind,
      tags: row.kind === 'training_voucher' ? ['voucher'] : [], value: row.cost, occurred_on: on, provider: row.title, reference: origin, origin
    }).returning('id').executeTakeFirstOrThrow()
    await trx.updateTable('projects').set(eb => ({ spent: eb('spent', '+', row.cost) })).where('id', '=', row.project_id).execute()
    await trx.updateTable('fulfilments').set({ state: 'received', received_on: on, updated_at: new Date() }).where('proposal_id', '=', proposalId).execute()
    return { chainEntryId: entry.id, appended: true }
  })
}
