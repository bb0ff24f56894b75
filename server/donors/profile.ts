// A donor's profile and giving preferences: read and changed by the donor (the API's
// /donors/me and the /me/preferences page), listed for the staff who work with donors.
import type { FastifyRequest } from 'fastify'
import { Type, type Static } from 'typebox'
import type { Db } from '../db/database.js'
import { invalid, notFound } from '../http/errors.js'
import { DonorPreferencesSchema, type DonorPreferencesInput } from '../schemas/needs.js'
import { Value } from 'typebox/value'

export const DonorSchema = Type.Object({
  id: Type.Integer(),
  kind: Type.Enum(['individual', 'enterprise']),
  name: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  preferences: DonorPreferencesSchema,
  createdAt: Type.String()
})
export type Donor = Static<typeof DonorSchema>

/** What a donor who never said otherwise prefers: everything, reminders on. */
export const DEFAULT_PREFERENCES = Value.Default(DonorPreferencesSchema, {}) as DonorPreferencesInput

export const donorQuery = (db: Db) => db.selectFrom('donors').select(['id', 'kind', 'name', 'phone', 'email', 'preferences', 'created_at'])

export const toDonor = (row: { id: number, kind: 'individual' | 'enterprise', name: string, phone: string | null, email: string | null, preferences: unknown, created_at: Date }): Donor => ({
  id: row.id, kind: row.kind, name: row.name, phone: row.phone, email: row.email,
  preferences: { ...DEFAULT_PREFERENCES, ...(row.preferences as Partial<DonorPreferencesInput>) }, createdAt: row.created_at.toISOString()
})

export async function loadDonor (db: Db, id: number): Promise<Donor> {
  const row = await donorQuery(db).where('id', '=', id).executeTakeFirst()
  if (!row) throw notFound('该爱心人士 (donor)')
  return toDonor(row)
}

export const DonorChangesSchema = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  preferences: Type.Optional(DonorPreferencesSchema)
}, { additionalProperties: false, minProperties: 1 })

/** The donor changes their name or preferences; audited old → new. */
export async function updateDonor (request: FastifyRequest, donorId: number, { name, preferences }: Static<typeof DonorChangesSchema>): Promise<Donor> {
  if (preferences && preferences.minValue > preferences.maxValue) {
    throw invalid([{ field: 'body.preferences.minValue', code: 'range', message: '最低金额不能高于最高金额' }])
  }
  return request.server.db.transaction().execute(async trx => {
    const before = await loadDonor(trx, donorId)
    await trx.updateTable('donors').set({ ...(name ? { name } : {}), ...(preferences ? { preferences: JSON.stringify(preferences) } : {}) }).where('id', '=', donorId).execute()
    const after = await loadDonor(trx, donorId)
    // Donors belong to no region: their own changes are for administrators.
    await request.audit({ action: 'donor.update', record: { type: 'donor', id: donorId }, before: { name: before.name, preferences: before.preferences }, after: { name: after.name, preferences: after.preferences } }, trx)
    return after
  })
}

export async function listDonors (db: Db, { kind, limit, offset }: { kind?: 'individual' | 'enterprise' | undefined, limit: number, offset: number }): Promise<Donor[]> {
  let query = donorQuery(db)
  if (kind) query = query.where('kind', '=', kind)
  const rows = await query.orderBy('id').limit(limit).offset(offset).execute()
  return rows.map(toDonor)
}
