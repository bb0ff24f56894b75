// What civil-affairs staff do with the registry, as one step each — the region scope, the
// change, the audit records (including the 一人一次 lookups that hit another region) in one
// transaction — for the API (routes/api/v1/households.ts, assistance.ts) and the workbench's
// household pages alike.
import type { FastifyRequest } from 'fastify'
import { auditPiiRead } from '../audit/pii-read.js'
import { regionScopeFor } from '../auth/policy.js'
import { today } from '../clock.js'
import type { Db } from '../db/database.js'
import { inScope, type RegionScope } from '../db/scope.js'
import type { AssistanceEntry, DecisionRecord, HouseholdChangesInput, HouseholdDetail, ReclassificationPreview, RegistryHouseholdInput } from '../schemas/household.js'
import { appendAssistance, householdRegion, reverseAssistance, type NewAssistanceEntry } from './assistance.js'
import type { PreparedDecision } from './bulk-write.js'
import { registryContext } from './context.js'
import { decisionHistory, previewReclassification, reclassifyHousehold } from './decisions.js'
import { clashAudit, clashConflict, createHousehold, getHousehold, updateHousehold, type Clashes } from './households.js'
import { previewChanges, type Outcome } from './dry-run.js'

/** Nothing was written; the 一人一次 lookups that hit another region are audited (and committed) for its auditors. */
async function auditClashes (request: FastifyRequest, scope: RegionScope, clashes: Clashes, details: Record<string, unknown>, trx: Db): Promise<void> {
  for (const { owner } of clashes.filter(({ owner }) => !inScope(scope, owner.regionCode))) await request.audit(clashAudit(owner, details), trx)
}

export async function registerHousehold (request: FastifyRequest, input: RegistryHouseholdInput): Promise<HouseholdDetail> {
  const { db, config } = request.server
  const scope = regionScopeFor(request.principal, 'household.write')
  const context = await registryContext(db, config, today())
  const created = await db.transaction().execute(async trx => {
    const result = await createHousehold(trx, scope, input, context)
    if ('clashes' in result) {
      await auditClashes(request, scope, result.clashes, { attempted: 'household.create', regionCode: input.regionCode }, trx)
      return result
    }
    const { household } = result
    await request.audit({ action: 'household.create', record: { type: 'household', id: household.id, regionCode: household.regionCode }, after: household }, trx)
    return result
  })
  if ('clashes' in created) throw clashConflict(scope, created.clashes)
  return created.household
}

export async function changeHousehold (request: FastifyRequest, id: number, changes: HouseholdChangesInput): Promise<HouseholdDetail> {
  const { db, config } = request.server
  const scope = regionScopeFor(request.principal, 'household.write')
  const context = await registryContext(db, config, today())
  const updated = await db.transaction().execute(async trx => {
    const before = await getHousehold(trx, scope, id)
    const result = await updateHousehold(trx, scope, id, changes, context)
    if ('clashes' in result) {
      await auditClashes(request, scope, result.clashes, { attempted: 'household.update', householdId: id }, trx)
      return result
    }
    const after = result.household
    await request.audit({ action: 'household.update', record: { type: 'household', id: after.id, regionCode: after.regionCode }, before, after }, trx)
    return result
  })
  if ('clashes' in updated) throw clashConflict(scope, updated.clashes, 'addMembers')
  return updated.household
}

export async function reclassify (request: FastifyRequest, id: number, asOf: string = today()): Promise<PreparedDecision> {
  const { db, config } = request.server
  const scope = regionScopeFor(request.principal, 'household.write')
  const context = await registryContext(db, config, asOf)
  return db.transaction().execute(async trx => {
    const before = await getHousehold(trx, scope, id, asOf)
    const decision = await reclassifyHousehold(trx, scope, id, context)
    await request.audit({
      action: 'household.reclassify', record: { type: 'household', id: before.id, regionCode: before.regionCode },
      before: { category: before.category, status: before.status }, after: { category: decision.category, profileVersion: decision.profileVersion }
    }, trx)
    return decision
  })
}

/** What saving the changes would do, taken back (registry/dry-run.ts); the 一人一次 lookups it makes are audited as a save's are. */
export async function tryChanges (request: FastifyRequest, id: number, changes: HouseholdChangesInput): Promise<Outcome> {
  const { db, config } = request.server
  const scope = regionScopeFor(request.principal, 'household.write')
  const outcome = await previewChanges(db, scope, id, changes, await registryContext(db, config, today()))
  if ('clashes' in outcome) {
    await db.transaction().execute(trx => auditClashes(request, scope, outcome.clashes, { attempted: 'household.preview', householdId: id }, trx))
    throw clashConflict(scope, outcome.clashes, 'addMembers')
  }
  return outcome
}

/** A household's decisions, newest first: their traces and members' outcomes name ages, illness and disability, so each read is audited as the household view's is. */
export async function readDecisions (request: FastifyRequest, id: number): Promise<DecisionRecord[]> {
  await auditPiiRead(request, id, ['birth_date', 'health', 'disability'], 'household.read')
  return decisionHistory(request.server.db, regionScopeFor(request.principal, 'household.read'), id)
}

/**
 * What reclassifying would decide on `asOf`, compared with the household's current decision
 * (household, 渐退期 and every person); nothing is stored. Each member's outcome and reason are
 * health details, so the read is audited as the household view's is.
 */
export async function previewReclassify (request: FastifyRequest, id: number, asOf: string = today()): Promise<ReclassificationPreview> {
  const { db, config } = request.server
  await auditPiiRead(request, id, ['birth_date', 'health', 'disability'], 'household.read')
  return previewReclassification(db, regionScopeFor(request.principal, 'household.write'), id, await registryContext(db, config, asOf))
}

/** An assistance entry as an audit record's subject, under its household's region. */
const entryRecord = async (trx: Db, entry: { id: number, householdId: number }) =>
  ({ type: 'assistance_entry', id: entry.id, regionCode: await householdRegion(trx, entry.householdId) ?? null })

/** Government help appended to the household's chain. */
export function appendGovernmentHelp (request: FastifyRequest, householdId: number, entry: Omit<NewAssistanceEntry, 'householdId' | 'source'>): Promise<AssistanceEntry> {
  return request.server.db.transaction().execute(async trx => {
    const appended = await appendAssistance(trx, regionScopeFor(request.principal, 'assistance.write'), { ...entry, householdId, source: 'government' })
    await request.audit({ action: 'assistance.append', record: await entryRecord(trx, appended), after: appended }, trx)
    return appended
  })
}

/** An entry corrected by appending its reversal (the original stays). */
export function reverseEntry (request: FastifyRequest, entryId: number, reason: string, on: string = today()): Promise<AssistanceEntry & { reversalReason: string }> {
  return request.server.db.transaction().execute(async trx => {
    const reversal = await reverseAssistance(trx, regionScopeFor(request.principal, 'assistance.write'), entryId, reason, on)
    await request.audit({ action: 'assistance.reverse', record: await entryRecord(trx, reversal), after: reversal }, trx)
    return reversal
  })
}
