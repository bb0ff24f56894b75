// Every read of a household's full personal data (ID number, full name, address, phone,
// health details) goes through here BEFORE anything is decrypted: it checks the reader may
// see this household's personal data and leaves an audit record naming the fields.
import type { FastifyRequest } from 'fastify'
import { notFound } from '../http/errors.js'
import { ensureAllowed } from '../auth/policy.js'

export const PII_FIELDS = ['name', 'id_number', 'address', 'phone', 'health', 'disability', 'income'] as const
export type PiiField = (typeof PII_FIELDS)[number]

/**
 * Throws 404 for an unknown household and 403 outside the reader's region; otherwise
 * records `household.read_pii` and returns the household's region code.
 */
export async function auditPiiRead (request: FastifyRequest, householdId: number, fields: readonly PiiField[]): Promise<string> {
  const household = await request.server.db.selectFrom('households').select('region_code')
    .where('id', '=', householdId).executeTakeFirst()
  if (!household) throw notFound('该家庭 (household)')
  ensureAllowed(request.principal, 'household.read_pii', { regionCode: household.region_code })
  await request.audit({
    action: 'household.read_pii',
    record: { type: 'household', id: householdId, regionCode: household.region_code },
    details: { fields: [...fields] }
  })
  return household.region_code
}
