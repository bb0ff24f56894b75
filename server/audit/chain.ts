// The audit trail: append-only records, each carrying the hash of its predecessor, so an
// edited, removed or inserted row breaks the chain at a point verification can name.
// Appends are serialised by a transaction-scoped advisory lock, so the chain never forks;
// when the caller passes its own transaction, the record commits (or not) with the change.
import { createHash } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { inTransaction } from '../db/database.js'
import { asJson, canonicalJson } from './canonical.js'

export const GENESIS_HASH = '0'.repeat(64)
/** Arbitrary constant naming the audit chain's advisory lock ('SQAU'). */
const CHAIN_LOCK = 0x53514155

export interface AuditActor {
  /** users.id; null for the system itself (jobs, start-up). */
  id: number | null
  name: string
}

export interface AuditEntry {
  actor: AuditActor
  action: string
  record?: { type: string, id: string | number, regionCode?: string | null } | undefined
  ip?: string | null | undefined
  /** Old and new values of a change. Never put decrypted personal data here: name the fields. */
  before?: unknown
  after?: unknown
  /** Anything else worth keeping, e.g. which personal-data fields a read revealed. */
  details?: unknown
}

/** The fields covered by the hash, as stored. */
export interface AuditRecord {
  id: number
  at: string
  actorId: number | null
  actor: string
  action: string
  recordType: string | null
  recordId: string | null
  regionCode: string | null
  ip: string | null
  before: unknown
  after: unknown
  details: unknown
  prevHash: string
  hash: string
}

export function recordHash (record: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex')
}

type Executor = Kysely<Database>

async function appendLocked (trx: Executor, entry: AuditEntry): Promise<AuditRecord> {
  await sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(trx)
  const last = await trx.selectFrom('audit_records').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst()
  const unhashed: Omit<AuditRecord, 'hash'> = {
    id: (last?.id ?? 0) + 1,
    at: new Date().toISOString(),
    actorId: entry.actor.id,
    actor: entry.actor.name,
    action: entry.action,
    recordType: entry.record?.type ?? null,
    recordId: entry.record ? String(entry.record.id) : null,
    regionCode: entry.record?.regionCode ?? null,
    ip: entry.ip ?? null,
    before: asJson(entry.before),
    after: asJson(entry.after),
    details: asJson(entry.details),
    prevHash: last?.hash ?? GENESIS_HASH
  }
  const record = { ...unhashed, hash: recordHash(unhashed) }
  const json = (value: unknown) => value === null ? null : JSON.stringify(value)
  await trx.insertInto('audit_records').values({
    id: record.id,
    at: record.at,
    actor_id: record.actorId,
    actor: record.actor,
    action: record.action,
    record_type: record.recordType,
    record_id: record.recordId,
    region_code: record.regionCode,
    ip: record.ip,
    before: json(record.before),
    after: json(record.after),
    details: json(record.details),
    prev_hash: record.prevHash,
    hash: record.hash
  }).execute()
  return record
}

/** Appends one record; inside the caller's transaction when given one. */
export async function appendAudit (db: Executor, entry: AuditEntry): Promise<AuditRecord> {
  return inTransaction(db, trx => appendLocked(trx, entry))
}

type Row = {
  id: number, at: Date, actor_id: number | null, actor: string, action: string, record_type: string | null,
  record_id: string | null, region_code: string | null, ip: string | null, before: unknown, after: unknown,
  details: unknown, prev_hash: string, hash: string
}

export function fromRow (row: Row): AuditRecord {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actorId: row.actor_id,
    actor: row.actor,
    action: row.action,
    recordType: row.record_type,
    recordId: row.record_id,
    regionCode: row.region_code,
    ip: row.ip,
    before: row.before,
    after: row.after,
    details: row.details,
    prevHash: row.prev_hash,
    hash: row.hash
  }
}

export type BrokenLink = 'missing_record' | 'prev_hash_mismatch' | 'hash_mismatch'

export type ChainVerification =
  | { ok: true, checked: number, lastId: number, lastHash: string }
  | { ok: false, checked: number, brokenAt: number, reason: BrokenLink, message: string }

const BROKEN_MESSAGES: Record<BrokenLink, string> = {
  missing_record: '记录缺失（被删除或编号被改动）',
  prev_hash_mismatch: '前一条记录的哈希与本条记录保存的不一致（前一条被改动、删除或插入了记录）',
  hash_mismatch: '记录内容与其哈希不一致（该记录被改动）'
}

/**
 * Walks the chain from the first record and reports the first broken link. The last
 * hash of a sound chain is worth writing down: removing records from the END of the chain
 * can only be noticed by comparing against such an earlier (lastId, lastHash).
 */
export async function verifyAuditChain (db: Executor, batchSize = 2000): Promise<ChainVerification> {
  let expectedId = 1
  let prevHash = GENESIS_HASH
  let checked = 0
  for (;;) {
    const rows = await db.selectFrom('audit_records').selectAll()
      .where('id', '>=', expectedId).orderBy('id').limit(batchSize).execute()
    if (rows.length === 0) return { ok: true, checked, lastId: expectedId - 1, lastHash: prevHash }
    for (const row of rows) {
      const { hash, ...unhashed } = fromRow(row)
      const broken: BrokenLink | undefined = unhashed.id !== expectedId
        ? 'missing_record'
        : unhashed.prevHash !== prevHash
          ? 'prev_hash_mismatch'
          : recordHash(unhashed) !== hash ? 'hash_mismatch' : undefined
      if (broken) {
        return { ok: false, checked, brokenAt: expectedId, reason: broken, message: `审计链在第 ${expectedId} 条断开：${BROKEN_MESSAGES[broken]}` }
      }
      prevHash = hash
      expectedId += 1
      checked += 1
    }
  }
}
