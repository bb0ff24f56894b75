// Evidence and photos: files checked by what their bytes are (not what the client says),
// stored once by content hash under DATA_DIR/evidence, and recorded against exactly one
// subject — a proposal's fulfilment, a wish's photos, a claim's delivery, a dream room's
// stage or a warning's handling. Upload routes take the raw file as the request body (see `acceptUploads`).
import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import type { Db } from '../db/database.js'
import { AppError, notFound } from '../http/errors.js'
import type { EvidenceView } from '../schemas/evidence.js'
import { camelRow } from '../db/rows.js'

export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
const FILE_TYPES = [
  { type: 'image/jpeg', extension: 'jpg', magic: [0xff, 0xd8, 0xff] },
  { type: 'image/png', extension: 'png', magic: [0x89, 0x50, 0x4e, 0x47] },
  { type: 'application/pdf', extension: 'pdf', magic: [0x25, 0x50, 0x44, 0x46] }
] as const
export const UPLOAD_TYPES = FILE_TYPES.map(t => t.type)

export type EvidenceSubject =
  | { proposalId: number }
  | { wishId: number }
  | { claimId: number }
  | { dreamRoomId: number, stage: string }
  | { warningId: number }

const unsupported = () => new AppError(415, 'unsupported_evidence', '凭证须为 JPEG、PNG 图片或 PDF 文件 (evidence must be JPEG, PNG or PDF)')

/** Lets a route plugin take JPEG, PNG and PDF bodies as Buffers (up to the evidence limit). */
export function acceptUploads (app: FastifyInstance): void {
  app.addContentTypeParser(UPLOAD_TYPES, { parseAs: 'buffer', bodyLimit: EVIDENCE_MAX_BYTES + 1 }, (_request, body, done) => done(null, body))
}

/** Checks the bytes, stores them and records them against the subject; returns the evidence id. */
export async function storeEvidence (db: Db, dataDir: string, subject: EvidenceSubject, fileName: string, content: unknown, uploadedBy: number | null): Promise<number> {
  if (!Buffer.isBuffer(content)) throw unsupported()
  const kind = FILE_TYPES.find(t => t.magic.every((byte, i) => content[i] === byte))
  if (!kind) throw unsupported()
  if (content.length > EVIDENCE_MAX_BYTES) throw new AppError(413, 'payload_too_large', '凭证文件不能超过 5 MB (evidence over 5 MB)')
  const sha256 = createHash('sha256').update(content).digest('hex')
  await mkdir(join(dataDir, 'evidence'), { recursive: true })
  await writeFile(join(dataDir, 'evidence', `${sha256}.${kind.extension}`), content)
  const row = await db.insertInto('evidence').values({
    proposal_id: 'proposalId' in subject ? subject.proposalId : null,
    wish_id: 'wishId' in subject ? subject.wishId : null,
    claim_id: 'claimId' in subject ? subject.claimId : null,
    dream_room_id: 'dreamRoomId' in subject ? subject.dreamRoomId : null,
    warning_id: 'warningId' in subject ? subject.warningId : null,
    stage: 'dreamRoomId' in subject ? subject.stage : null,
    file_name: fileName, content_type: kind.type, bytes: content.length, sha256, uploaded_by: uploadedBy
  }).returning('id').executeTakeFirstOrThrow()
  return row.id
}

/** The files recorded against a subject (without the stage filter for dream rooms: all stages). */
export async function listEvidence (db: Db, subject: { proposalId: number } | { wishId: number } | { claimId: number } | { dreamRoomId: number }): Promise<EvidenceView[]> {
  const [column, id] = 'proposalId' in subject ? ['proposal_id', subject.proposalId] as const
    : 'wishId' in subject ? ['wish_id', subject.wishId] as const
      : 'claimId' in subject ? ['claim_id', subject.claimId] as const
        : ['dream_room_id', subject.dreamRoomId] as const
  const rows = await db.selectFrom('evidence').select(['id', 'file_name', 'content_type', 'bytes', 'stage', 'uploaded_at'])
    .where(column, '=', id).orderBy('id').execute()
  return rows.map(row => camelRow(row))
}

/** One stored file of a subject, to send back to whoever may read the subject; 404 otherwise. */
export async function evidenceFile (db: Db, dataDir: string, subject: { claimId: number } | { proposalId: number } | { dreamRoomId: number }, evidenceId: number): Promise<{ path: string, contentType: string, fileName: string }> {
  const [column, id] = 'claimId' in subject ? ['claim_id', subject.claimId] as const
    : 'proposalId' in subject ? ['proposal_id', subject.proposalId] as const
      : ['dream_room_id', subject.dreamRoomId] as const
  const row = await db.selectFrom('evidence').select(['sha256', 'content_type', 'file_name'])
    .where('id', '=', evidenceId).where(column, '=', id).executeTakeFirst()
  const kind = row && FILE_TYPES.find(t => t.type === row.content_type)
  if (!row || !kind) throw notFound('该凭证 (evidence)')
  return { path: join(dataDir, 'evidence', `${row.sha256}.${kind.extension}`), contentType: row.content_type, fileName: row.file_name }
}
