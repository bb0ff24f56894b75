// Every read of full personal data (ID number, full name, address, phone, health details, and
// donors' contacts) goes through here BEFORE anything is decrypted or sent: it checks the
// reader may see the record and leaves an audit record naming the fields.
import type { FastifyRequest } from 'fastify'
import { notFound } from '../http/errors.js'
import { authorize } from '../auth/policy.js'

export const PII_FIELDS = ['name', 'id_number', 'address', 'phone', 'email', 'birth_date', 'health', 'disability', 'income'] as const
export type PiiField = (typeof PII_FIELDS)[number]

/**
 * Throws 404 for an unknown household and for one outside the reader's region (so that its
 * existence is not revealed); otherwise records `household.read_pii` with the fields and
 * returns the household's region code. `action` is the route's rule the reader must meet.
 */
export async function auditPiiRead (request: FastifyRequest, householdId: number, fields: readonly PiiField[],
  action: 'household.read' | 'household.read_pii' = 'household.read_pii'): Promise<string> {
  const household = await request.server.db.selectFrom('households').select('region_code')
    .where('id', '=', householdId).executeTakeFirst()
  if (!household || !authorize(request.principal, action, { regionCode: household.region_code })) throw notFound('该家庭 (household)')
  await request.audit({
    action: 'household.read_pii',
    record: { type: 'household', id: householdId, regionCode: household.region_code },
    details: { fields: [...fields] }
  })
  return household.region_code
}

/**
 * Records a read of donors' names and contacts (the staff donor list), naming the donors; under
 * the reader's organisation's region, so that its auditors see it (administrators: no region).
 */
export async function auditDonorContactsRead (request: FastifyRequest, donorIds: readonly number[]): Promise<void> {
  const organisationId = request.principal?.organisationId ?? null
  const organisation = organisationId === null
    ? undefined
    : await request.server.db.selectFrom('organisations').select('region_code').where('id', '=', organisationId).executeTakeFirst()
  await request.audit({
    action: 'donor.read_contacts',
    record: { type: 'donor_list', id: organisationId ?? '*', regionCode: organisation?.region_code ?? null },
    details: { fields: ['name', 'phone', 'email'] satisfies PiiField[], donorIds: [...donorIds] }
  })
}
