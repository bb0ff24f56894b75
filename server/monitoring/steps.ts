// What staff do in dynamic monitoring, one step each — the access scope, the change and its
// audit record in one transaction — for the API (routes/api/v1/monitoring.ts) and the pages
// (routes/web/monitoring.ts) alike.
import type { FastifyRequest } from 'fastify'
import { regionScopeFor } from '../auth/policy.js'
import { requestActor } from '../audit/plugin.js'
import { today } from '../clock.js'
import type { Db } from '../db/database.js'
import { AppError } from '../http/errors.js'
import { queueFeed, QueueUnavailable } from '../../jobs/queues.js'
import type { CalendarDay, FeedKind } from '../../matching/monitoring/index.js'
import { loadCalendar, replaceYear } from './calendar.js'
import { createFeedImport } from './feeds/record.js'
import type { FeedFormat } from './feeds/reader.js'
import { addRuleVersion, type NewRuleVersion } from './rule-versions.js'
import { resetRoute, setRoute, type RouteChange } from './routing-table.js'
import { addWarningEvidence, extendWarning, getWarning, handleWarning, referToCharity } from './warnings.js'
import type { ExtensionInput, HandlingInput, ReferralInput } from '../schemas/monitoring.js'

const FORMATS: Record<string, FeedFormat> = {
  'text/csv': 'csv',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/json': 'json'
}

/** The feed format a content type or a file name names, or undefined. */
export function feedFormatOf (contentType: string | undefined, fileName?: string): FeedFormat | undefined {
  const byType = FORMATS[(contentType ?? '').split(';')[0]?.trim() ?? '']
  if (byType) return byType
  const extension = /\.(csv|xlsx|json)$/i.exec(fileName ?? '')?.[1]?.toLowerCase()
  return extension as FeedFormat | undefined
}

/** Records the upload and queues its job (the sweep queues it later when Redis is away); returns the import's id. */
export async function startFeedImport (request: FastifyRequest, kind: FeedKind, fileName: string, format: FeedFormat, content: Buffer): Promise<number> {
  if (content.length === 0) throw new AppError(400, 'validation_failed', '文件是空的 (empty file)', [{ field: 'body.file', code: 'required', message: '请选择要导入的文件' }])
  const { db, config, queues } = request.server
  const scope = regionScopeFor(request.principal, 'feed.import')
  const id = await db.transaction().execute(async trx => {
    const created = await createFeedImport(trx, config.dataDir, { kind, fileName, format, scope, createdBy: request.principal?.userId ?? null, content })
    await request.audit({ action: 'feed.import', record: { type: 'feed_import', id: created, regionCode: scope.regionPrefix || null }, details: { kind, fileName, format, bytes: content.length } }, trx)
    return created
  })
  await queueFeed(queues, id).catch(error => {
    if (!(error instanceof QueueUnavailable)) throw error
    request.log.warn({ feedImportId: id }, 'feed import recorded; the queue sweep will queue it once Redis answers')
  })
  return id
}

/** Runs a change to a warning with its audit record, under the warning's village. */
async function changeWarning<T> (request: FastifyRequest, id: number, action: string, change: (trx: Db) => Promise<T>, details: (result: T) => Record<string, unknown>): Promise<T> {
  return request.server.db.transaction().execute(async trx => {
    const result = await change(trx)
    const region = await trx.selectFrom('warnings').select('region_code').where('id', '=', id).executeTakeFirstOrThrow()
    await request.audit({ action, record: { type: 'warning', id, regionCode: region.region_code }, details: details(result) }, trx)
    return result
  })
}

export function recordHandling (request: FastifyRequest, id: number, input: HandlingInput) {
  const scope = regionScopeFor(request.principal, 'warning.handle')
  return changeWarning(request, id, 'warning.handle', trx => handleWarning(trx, scope, id, input, requestActor(request), today()),
    result => ({ action: input.action, status: result.status, assistanceEntryId: result.assistanceEntryId }))
}

export async function extendDeadline (request: FastifyRequest, id: number, input: ExtensionInput) {
  const scope = regionScopeFor(request.principal, 'warning.handle')
  const calendar = await loadCalendar(request.server.db)
  return changeWarning(request, id, 'warning.extend', trx => extendWarning(trx, scope, id, input, requestActor(request), calendar),
    result => ({ workingDays: input.workingDays, reason: input.reason, from: result.previousDueOn, to: result.dueOn }))
}

export function referWarning (request: FastifyRequest, id: number, input: ReferralInput) {
  const scope = regionScopeFor(request.principal, 'warning.handle')
  return changeWarning(request, id, 'warning.refer', trx => referToCharity(trx, scope, id, input, requestActor(request), today()),
    result => ({ kind: input.kind, wishId: result.wishId, proposalId: result.proposalId }))
}

export function uploadWarningEvidence (request: FastifyRequest, id: number, fileName: string, content: unknown) {
  const scope = regionScopeFor(request.principal, 'warning.handle')
  return changeWarning(request, id, 'warning.evidence', trx => addWarningEvidence(trx, request.server.config.dataDir, scope, id, fileName, content, requestActor(request)),
    evidenceId => ({ evidenceId, fileName }))
}

/** A warning as its reader may see it (404 outside their region). */
export async function readWarning (request: FastifyRequest, id: number) {
  const { db } = request.server
  return getWarning(db, regionScopeFor(request.principal, 'warning.read'), id, await loadCalendar(db), today())
}

// —— Settings (administrators; not bound to a region) ——

export async function changeRoute (request: FastifyRequest, change: RouteChange) {
  return request.server.db.transaction().execute(async trx => {
    const route = await setRoute(trx, change, request.principal?.userId ?? null)
    await request.audit({ action: 'monitoring.route', record: { type: 'warning_route', id: `${change.warningClass}/${change.cause}` }, after: change }, trx)
    return route
  })
}

export async function removeRoute (request: FastifyRequest, warningClass: RouteChange['warningClass'], cause: RouteChange['cause']) {
  return request.server.db.transaction().execute(async trx => {
    await resetRoute(trx, warningClass, cause)
    await request.audit({ action: 'monitoring.route_reset', record: { type: 'warning_route', id: `${warningClass}/${cause}` } }, trx)
  })
}

export async function newRuleVersion (request: FastifyRequest, version: NewRuleVersion) {
  return request.server.db.transaction().execute(async trx => {
    const created = await addRuleVersion(trx, version, request.principal?.userId ?? null)
    await request.audit({ action: 'monitoring.rule', record: { type: 'warning_rule_version', id: created.id }, after: version }, trx)
    return created
  })
}

export async function setCalendarYear (request: FastifyRequest, year: number, days: ReadonlyArray<CalendarDay & { name: string }>, note: string) {
  const who = request.principal?.username ?? 'admin'
  await replaceYear(request.server.db, year, days, `${who}：${note}`, request.principal?.userId ?? null)
  await request.audit({ action: 'monitoring.calendar', record: { type: 'holiday_calendar', id: year }, after: { days: days.length, note } })
}
