// 一户一条救助链: the append-only ledger of help per household. The table refuses UPDATE and
// DELETE (trigger); a correction is a new entry with the negated value that names the
// entry it reverses (at most once, enforced by a unique key).
import { inTransaction, type Db } from '../db/database.js'
import { conflict, notFound } from '../http/errors.js'
import { inScope, type RegionScope } from '../db/scope.js'
import type { AssistanceEntry } from '../schemas/household.js'
import { camelRow } from '../db/rows.js'

export interface NewAssistanceEntry {
  householdId: number
  personId?: number | null
  source: 'government' | 'charity'
  kind: string
  tags?: string[]
  value: number
  occurredOn: string
  provider: string
  reference?: string | null
}


/** The columns an entry shows (not its origin key); a reversal carries its reason, so the chain says why without a second read. */
const ENTRY_COLUMNS = ['id', 'household_id', 'person_id', 'source', 'kind', 'tags', 'value', 'occurred_on', 'provider', 'reference', 'reverses', 'reversal_reason', 'created_at'] as const

export async function householdRegion (db: Db, householdId: number): Promise<string | undefined> {
  const row = await db.selectFrom('households').select('region_code').where('id', '=', householdId).executeTakeFirst()
  return row?.region_code
}

/** The household an entry belongs to (undefined for no such entry); the caller checks its region. */
export async function entryHousehold (db: Db, entryId: number): Promise<number | undefined> {
  const row = await db.selectFrom('assistance_entries').select('household_id').where('id', '=', entryId).executeTakeFirst()
  return row?.household_id
}

export async function appendAssistance (db: Db, scope: RegionScope, entry: NewAssistanceEntry): Promise<AssistanceEntry> {
  const region = await householdRegion(db, entry.householdId)
  if (region === undefined || !inScope(scope, region)) throw notFound('该家庭 (household)')
  if (entry.personId != null) {
    const member = await db.selectFrom('persons').select('id')
      .where('id', '=', entry.personId).where('household_id', '=', entry.householdId).executeTakeFirst()
    if (!member) throw conflict('person_not_in_household', '该成员不属于此家庭 (person is not a member of this household)')
  }
  const row = await db.insertInto('assistance_entries').values({
    household_id: entry.householdId,
    person_id: entry.personId ?? null,
    source: entry.source,
    kind: entry.kind,
    tags: entry.tags ?? [],
    value: entry.value,
    occurred_on: entry.occurredOn,
    provider: entry.provider,
    reference: entry.reference ?? null
  }).returning(ENTRY_COLUMNS).executeTakeFirstOrThrow()
  return camelRow(row)
}

/**
 * Appends the entry that cancels `entryId`; an entry can be reversed once, a reversal never.
 * The reversal keeps the original's reference (the same voucher or payment) and records why.
 */
export async function reverseAssistance (db: Db, scope: RegionScope, entryId: number, reason: string, on: string): Promise<AssistanceEntry & { reversalReason: string }> {
  return inTransaction(db, async trx => {
    const original = await trx.selectFrom('assistance_entries').selectAll().where('id', '=', entryId).forUpdate().executeTakeFirst()
    const region = original && await householdRegion(trx, original.household_id)
    if (!original || region === undefined || !inScope(scope, region)) throw notFound('该救助记录 (assistance entry)')
    if (original.reverses !== null) throw conflict('cannot_reverse_reversal', '冲正记录不能再冲正 (a reversal cannot be reversed)')
    const already = await trx.selectFrom('assistance_entries').select('id').where('reverses', '=', entryId).executeTakeFirst()
    if (already) throw conflict('already_reversed', `该记录已被第 ${already.id} 号记录冲正 (already reversed)`)
    const row = await trx.insertInto('assistance_entries').values({
      household_id: original.household_id,
      person_id: original.person_id,
      source: original.source,
      kind: original.kind,
      tags: original.tags,
      value: -original.value,
      occurred_on: on,
      provider: original.provider,
      reference: original.reference,
      reverses: entryId,
      reversal_reason: reason
    }).returning(ENTRY_COLUMNS).executeTakeFirstOrThrow()
    return { ...camelRow(row), reversalReason: reason }
  })
}

export async function listAssistance (db: Db, householdId: number): Promise<AssistanceEntry[]> {
  const rows = await db.selectFrom('assistance_entries').select(ENTRY_COLUMNS)
    .where('household_id', '=', householdId).orderBy('occurred_on').orderBy('id').execute()
  return rows.map(row => camelRow(row))
}

export interface CharityHelp {
  householdId: number
  personId: number | null
  /** The help kind (wish, dream_room, training_voucher, fund). */
  kind: string
  tags: string[]
  value: number
  occurredOn: string
  /** The project, or the donor's de-identified label, that gave it. */
  provider: string
  /** What completed, e.g. 'proposal:42', 'claim:7', 'voucher:3': the entry's unique origin. */
  origin: string
}

/**
 * Writes completed charity help into the household's chain exactly once: the origin is
 * unique, so a retried completion finds the entry and appends nothing.
 */
export async function appendCharityHelp (trx: Db, help: CharityHelp): Promise<{ chainEntryId: number, appended: boolean }> {
  const inserted = await trx.insertInto('assistance_entries').values({
    household_id: help.householdId, person_id: help.personId, source: 'charity', kind: help.kind, tags: help.tags,
    value: help.value, occurred_on: help.occurredOn, provider: help.provider, reference: help.origin, origin: help.origin
  }).onConflict(oc => oc.column('origin').doNothing()).returning('id').executeTakeFirst()
  if (inserted) return { chainEntryId: inserted.id, appended: true }
  const existing = await trx.selectFrom('assistance_entries').select('id').where('origin', '=', help.origin).executeTakeFirstOrThrow()
  return { chainEntryId: existing.id, appended: false }
}
