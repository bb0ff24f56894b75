// Warnings (预警): raised from findings (a department record, a policy-gap scan) for a person,
// routed to a desk by the routing table (001 三(四)), due in working days (000 四(三)), never
// twice open for the same person and cause; listed per desk, read with their evidence and
// history, handled (visit, policy applied — written to the assistance chain —, referred,
// closed as not needed), extended with a reason, or referred to charity in one step.
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { now } from '../clock.js'
import { inScope, scopePattern, type RegionScope } from '../db/scope.js'
import { AppError, conflict, notFound } from '../http/errors.js'
import type { AuditActor } from '../audit/chain.js'
import { appendAssistance } from '../registry/assistance.js'
import { createWish } from '../needs/wishes.js'
import { submitApplication } from '../proposals/applications.js'
import { storeEvidence } from '../files/evidence.js'
import { notifyUsers } from '../notifications/notifications.js'
import { ageOn, ymd } from '../../matching/dates.js'
import type { ProfileId } from '../../matching/policy/index.js'
import {
  addWorkingDays, daysLeft, deadlineFor, DEPARTMENT_NAMES, deskRegion, routeFor, WARNING_CLASS_NAMES, yearsMissing,
  type Department, type Finding, type WorkCalendar
} from '../../matching/monitoring/index.js'
import type { ExtensionInput, HandlingInput, ReferralInput, WarningDetail, WarningSummary } from '../schemas/monitoring.js'
import { deskStaff, type MonitoringContext } from './context.js'

export interface WarningCandidate {
  finding: Finding
  personId: number
  householdId: number
  /** The household's village. */
  regionCode: string
  profile: ProfileId
  lowIncome: boolean
  feedRecordId: number | null
  evidence: Record<string, unknown>
}

export interface RaisedWarning { id: number, deskRegion: string, dueOn: string, department: string }

const monthDayText = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`

/**
 * Inserts the warnings that are not already open for the same person and cause (the unique
 * index decides, so two runs at once cannot both raise one), each with its route, deadline and
 * a "raised" event. Returns those raised.
 */
export async function raiseWarnings (trx: Db, context: MonitoringContext, candidates: readonly WarningCandidate[], actor: AuditActor): Promise<RaisedWarning[]> {
  if (candidates.length === 0) return []
  const rows = candidates.map(c => {
    const route = routeFor(context.routes, c.finding.warningClass, c.finding.rule)
    const deadline = deadlineFor(context.calendar, context.deadlines(c.profile), c.lowIncome, context.asOf)
    return {
      person_id: c.personId,
      household_id: c.householdId,
      region_code: c.regionCode,
      desk_region: deskRegion(c.regionCode, route.level),
      department: route.department,
      warning_class: c.finding.warningClass,
      rule: c.finding.rule,
      cause: c.finding.cause,
      low_income: c.lowIncome,
      profile: c.profile,
      rule_version: JSON.stringify(c.finding.version),
      route: JSON.stringify(route),
      evidence: JSON.stringify({ ...c.evidence, values: c.finding.values }),
      summary: c.finding.summary,
      raised_on: context.asOf,
      working_days: deadline.workingDays,
      due_on: deadline.dueOn,
      feed_record_id: c.feedRecordId
    }
  })
  const raised: RaisedWarning[] = []
  for (let i = 0; i < rows.length; i += 2000) {
    const inserted = await trx.insertInto('warnings').values(rows.slice(i, i + 2000))
      .onConflict(oc => oc.columns(['person_id', 'cause']).where('status', '<>', 'closed').doNothing())
      .returning(['id', 'desk_region', 'due_on', 'department', 'working_days', 'low_income']).execute()
    if (inserted.length === 0) continue
    await trx.insertInto('warning_events').values(inserted.map(w => ({
      warning_id: w.id, actor_id: actor.id, actor: actor.name, kind: 'raised',
      note: `${w.low_income ? '低收入人口' : '其他监测对象'}，${w.working_days} 个工作日内处置，${monthDayText(w.due_on)} 到期；转 ${DEPARTMENT_NAMES[w.department as Department] ?? w.department}（${w.desk_region}）`,
      details: JSON.stringify({ deskRegion: w.desk_region, department: w.department, dueOn: w.due_on })
    }))).execute()
    raised.push(...inserted.map(w => ({ id: w.id, deskRegion: w.desk_region, dueOn: w.due_on, department: w.department })))
  }
  return raised
}

/**
 * Tells each desk's staff of the warnings a run raised for them — one notification per run and
 * person (`subject`, e.g. 'feed_import:12'), not one per warning: a feed of thousands of records
 * must not bury the bell. Later events (due, overdue) are per warning.
 */
export async function notifyRaised (db: Db, context: MonitoringContext, raised: readonly RaisedWarning[], subject: string, origin: string): Promise<void> {
  const byUser = new Map<number, RaisedWarning[]>()
  for (const warning of raised) for (const user of deskStaff(context.staff, warning.deskRegion)) byUser.set(user, [...byUser.get(user) ?? [], warning])
  for (const [user, warnings] of byUser) {
    const earliest = warnings.map(w => w.dueOn).sort()[0] as string
    await notifyUsers(db, [user], { kind: 'warnings_new', subject, link: '/work/warnings', body: `${origin}：新增 ${warnings.length} 条预警，最早 ${monthDayText(earliest)} 到期，请在时限内处置。` })
  }
}

// —— Reading ——

export interface WarningFilters {
  /** A desk: warnings routed to this region (a town's or county's code). */
  desk?: string
  department?: Department
  warningClass?: string
  /** A town (9 digits): warnings of its households. */
  town?: string
  due?: 'soon' | 'overdue'
  status?: 'open' | 'closed' | 'all'
  feedImportId?: number
  householdId?: number
  limit: number
  offset: number
}

/** "Due soon": within this many working days (the worklist's filter and the workbench count). */
export const DUE_SOON_WORKING_DAYS = 3

function summaryQuery (db: Db, scope: RegionScope) {
  return db.selectFrom('warnings as w')
    .innerJoin('persons as p', 'p.id', 'w.person_id')
    .innerJoin('regions as v', 'v.code', 'w.region_code')
    .leftJoin('regions as t', 't.code', 'v.parent_code')
    .select(['w.id', 'w.person_id', 'w.household_id', 'p.masked_name', 'w.region_code', 't.name as town_name', 'v.name as village_name', 'w.desk_region', 'w.department',
      'w.warning_class', 'w.rule', 'w.cause', 'w.status', 'w.outcome', 'w.low_income', 'w.summary', 'w.raised_on', 'w.working_days', 'w.due_on', 'w.escalated_to'])
    .where('w.region_code', 'like', scopePattern(scope))
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaryQuery>['executeTakeFirstOrThrow']>>

function toSummary (row: SummaryRow, calendar: WorkCalendar, asOf: string): WarningSummary {
  const left = row.status === 'closed' ? { days: 0, overdue: false } : daysLeft(calendar, asOf, row.due_on)
  return {
    id: row.id, personId: row.person_id, householdId: row.household_id, maskedName: row.masked_name, regionCode: row.region_code,
    townName: row.town_name ?? '', villageName: row.village_name, deskRegion: row.desk_region, department: row.department,
    warningClass: row.warning_class, rule: row.rule, cause: row.cause, status: row.status, outcome: row.outcome, lowIncome: row.low_income,
    summary: row.summary, raisedOn: row.raised_on, workingDays: row.working_days, dueOn: row.due_on, daysLeft: left.days, overdue: left.overdue,
    escalatedTo: row.escalated_to
  }
}

export async function listWarnings (db: Db, scope: RegionScope, filters: WarningFilters, calendar: WorkCalendar, asOf: string): Promise<{ total: number, items: WarningSummary[] }> {
  let query = summaryQuery(db, scope)
  const status = filters.status ?? 'open'
  if (status === 'open') query = query.where('w.status', '<>', 'closed')
  if (status === 'closed') query = query.where('w.status', '=', 'closed')
  if (filters.desk) query = query.where('w.desk_region', '=', filters.desk)
  if (filters.department) query = query.where('w.department', '=', filters.department)
  if (filters.warningClass) query = query.where('w.warning_class', '=', filters.warningClass)
  if (filters.town) query = query.where('w.region_code', 'like', `${filters.town}%`)
  if (filters.householdId) query = query.where('w.household_id', '=', filters.householdId)
  if (filters.feedImportId) query = query.where(eb => eb.exists(eb.selectFrom('feed_records as f').select('f.id').whereRef('f.id', '=', 'w.feed_record_id').where('f.import_id', '=', filters.feedImportId as number)))
  if (filters.due === 'overdue') query = query.where('w.due_on', '<', asOf).where('w.status', '<>', 'closed')
  if (filters.due === 'soon') query = query.where('w.due_on', '>=', asOf).where('w.due_on', '<=', addWorkingDays(calendar, asOf, DUE_SOON_WORKING_DAYS)).where('w.status', '<>', 'closed')
  const rows = await query.select(sql<number>`count(*) OVER ()`.as('total')).orderBy('w.due_on').orderBy('w.id').limit(filters.limit).offset(filters.offset).execute()
  return { total: Number(rows[0]?.total ?? 0), items: rows.map(({ total: _total, ...row }) => toSummary(row, calendar, asOf)) }
}

/** Open warnings of a desk (or a whole region) that are due soon or overdue: the workbench's count. */
export async function warningCounts (db: Db, scope: RegionScope, calendar: WorkCalendar, asOf: string): Promise<{ open: number, dueSoon: number, overdue: number }> {
  const soon = addWorkingDays(calendar, asOf, DUE_SOON_WORKING_DAYS)
  const row = await db.selectFrom('warnings').where('region_code', 'like', scopePattern(scope)).where('status', '<>', 'closed')
    .select(eb => [
      eb.fn.countAll<number>().as('open'),
      sql<number>`count(*) FILTER (WHERE due_on >= ${asOf} AND due_on <= ${soon})`.as('soon'),
      sql<number>`count(*) FILTER (WHERE due_on < ${asOf})`.as('overdue')
    ]).executeTakeFirstOrThrow()
  return { open: Number(row.open), dueSoon: Number(row.soon), overdue: Number(row.overdue) }
}

async function warningRow (db: Db, scope: RegionScope, id: number) {
  const row = await db.selectFrom('warnings').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row || !inScope(scope, row.region_code)) throw notFound('该预警 (warning)')
  return row
}

export async function getWarning (db: Db, scope: RegionScope, id: number, calendar: WorkCalendar, asOf: string): Promise<WarningDetail> {
  const row = await warningRow(db, scope, id)
  const summary = await summaryQuery(db, scope).where('w.id', '=', id).executeTakeFirstOrThrow()
  const [household, members, events, files] = await Promise.all([
    db.selectFrom('households').select(['id', 'category', 'status']).where('id', '=', row.household_id).executeTakeFirstOrThrow(),
    db.selectFrom('persons').select(['id', 'masked_name', 'relation', 'birth_date', 'left_on']).where('household_id', '=', row.household_id).orderBy('id').execute(),
    db.selectFrom('warning_events as e').leftJoin('users as u', 'u.id', 'e.actor_id').selectAll('e').select('u.display_name').where('e.warning_id', '=', id).orderBy('e.id').execute(),
    db.selectFrom('evidence').select(['id', 'file_name', 'content_type', 'bytes', 'uploaded_at']).where('warning_id', '=', id).orderBy('id').execute()
  ])
  return {
    ...toSummary(summary, calendar, asOf),
    profile: row.profile,
    ruleVersion: row.rule_version,
    route: row.route,
    evidence: row.evidence,
    household: {
      id: household.id, category: household.category, status: household.status,
      members: members.map(m => ({ id: m.id, maskedName: m.masked_name, relation: m.relation, age: ageOn(ymd(m.birth_date), ymd(asOf)), left: m.left_on !== null }))
    },
    events: events.map(e => ({ id: e.id, at: e.at.toISOString(), actor: e.actor, actorName: e.display_name ?? (e.actor === 'system' ? '系统' : e.actor), kind: e.kind, note: e.note, details: e.details })),
    files: files.map(f => ({ id: f.id, fileName: f.file_name, contentType: f.content_type, bytes: f.bytes, uploadedAt: f.uploaded_at.toISOString() })),
    calendarMissingYears: yearsMissing(calendar, row.raised_on, row.due_on)
  }
}

// —— Acting ——

/** The warning locked for a change; a closed one refuses (409). */
async function openWarning (trx: Db, scope: RegionScope, id: number) {
  await warningRow(trx, scope, id)
  const row = await trx.selectFrom('warnings').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow()
  if (row.status === 'closed') throw conflict('warning_closed', '该预警已办结，不能再处置 (the warning is closed)')
  return row
}

async function event (trx: Db, warningId: number, actor: AuditActor, kind: string, note: string | null, details: Record<string, unknown> = {}): Promise<void> {
  await trx.insertInto('warning_events').values({ warning_id: warningId, actor_id: actor.id, actor: actor.name, kind, note, details: JSON.stringify(details) }).execute()
}

async function close (trx: Db, id: number, outcome: string, actor: AuditActor): Promise<void> {
  // On the application's clock, like the due day it is measured against (closed on time or late).
  await trx.updateTable('warnings').set({ status: 'closed', outcome, closed_at: new Date(now()), closed_by: actor.id }).where('id', '=', id).execute()
}

const CLOSING: Partial<Record<HandlingInput['action'], string>> = { policy_applied: 'policy_applied', referred: 'referred', closed_not_needed: 'closed_not_needed' }

/**
 * Records what was done. A visit or a note keeps the warning open (in progress); the policy
 * applied, a referral to the responsible department or "not needed" closes it. Help given is
 * appended to the household's assistance chain (government, with the warning as reference).
 */
export async function handleWarning (trx: Db, scope: RegionScope, id: number, input: HandlingInput, actor: AuditActor, asOf: string): Promise<{ status: string, assistanceEntryId: number | null }> {
  const row = await openWarning(trx, scope, id)
  const assisted = input.assistanceKind !== undefined || input.assistanceValue !== undefined
  if (assisted && input.action !== 'policy_applied') {
    throw new AppError(400, 'validation_failed', '只有“已落实政策”可以登记救助 (assistance goes with policy_applied)', [{ field: 'body.assistanceKind', code: 'not_applied', message: '登记救助请选择“已落实政策”' }])
  }
  if (assisted && (input.assistanceKind === undefined || input.assistanceValue === undefined)) {
    const field = input.assistanceKind === undefined ? 'assistanceKind' : 'assistanceValue'
    throw new AppError(400, 'validation_failed', '请填写救助类型和金额 (give the kind and the amount)', [{ field: `body.${field}`, code: 'required', message: field === 'assistanceKind' ? '请填写救助类型' : '请填写救助金额' }])
  }
  if (input.assistanceOn !== undefined && input.assistanceOn > asOf) {
    throw new AppError(400, 'validation_failed', '救助日期不能晚于今天', [{ field: 'body.assistanceOn', code: 'future_date', message: '救助日期不能晚于今天' }])
  }
  let assistanceEntryId: number | null = null
  if (assisted) {
    const entry = await appendAssistance(trx, scope, {
      householdId: row.household_id, personId: row.person_id, source: 'government', kind: input.assistanceKind as string, value: input.assistanceValue as number,
      occurredOn: input.assistanceOn ?? asOf, provider: DEPARTMENT_NAMES[row.department as Department] ?? row.department, reference: `warning:${id}`
    })
    assistanceEntryId = entry.id
  }
  await event(trx, id, actor, input.action, input.note, assistanceEntryId === null ? {} : { assistanceEntryId, kind: input.assistanceKind, value: input.assistanceValue })
  const outcome = CLOSING[input.action]
  if (outcome) await close(trx, id, outcome, actor)
  else await trx.updateTable('warnings').set({ status: 'in_progress' }).where('id', '=', id).execute()
  return { status: outcome ? 'closed' : 'in_progress', assistanceEntryId }
}

/** Moves the deadline on by working days, with the reason (000 四(三) "如情况复杂，预警处置时间可适当延长"). */
export async function extendWarning (trx: Db, scope: RegionScope, id: number, input: ExtensionInput, actor: AuditActor, calendar: WorkCalendar): Promise<{ dueOn: string, previousDueOn: string }> {
  const row = await openWarning(trx, scope, id)
  const dueOn = addWorkingDays(calendar, row.due_on, input.workingDays)
  // The reminders and the overdue notice are given again for the new deadline.
  await trx.updateTable('warnings').set({ due_on: dueOn, working_days: row.working_days + input.workingDays, reminded_at: null, overdue_at: null }).where('id', '=', id).execute()
  await event(trx, id, actor, 'extended', input.reason, { from: row.due_on, to: dueOn, workingDays: input.workingDays })
  return { dueOn, previousDueOn: row.due_on }
}

/**
 * A hardship the government rules do not cover, handed to charity in one step: a wish raised
 * for the person (submitted for the usual home-visit verification) or an application to a
 * charity fund project (an open proposal for civil affairs to confirm). The warning closes as
 * referred to charity, naming what it became.
 */
export async function referToCharity (trx: Db, scope: RegionScope, id: number, input: ReferralInput, actor: AuditActor, asOf: string): Promise<{ warningId: number, wishId: number | null, proposalId: number | null }> {
  const row = await openWarning(trx, scope, id)
  const missing = (field: string, message: string) => new AppError(400, 'validation_failed', message, [{ field: `body.${field}`, code: 'required', message }])
  let wishId: number | null = null
  let proposalId: number | null = null
  if (input.kind === 'wish') {
    if (!input.category) throw missing('category', '请选择心愿类别')
    if (!input.item) throw missing('item', '请填写心愿物品或服务')
    if (input.value === undefined) throw missing('value', '请填写估计价值')
    const wish = await createWish(trx, scope, { personId: input.personId ?? row.person_id, category: input.category, item: input.item, value: input.value, story: input.story ?? '', submit: true }, actor.id)
    wishId = wish.id
  } else {
    if (input.projectId === undefined) throw missing('projectId', '请选择慈善基金项目')
    if (!input.statement) throw missing('statement', '请填写申请说明')
    const application = await submitApplication(trx, scope, input.projectId, { householdId: row.household_id, statement: input.statement, ...(input.amount === undefined ? {} : { amount: input.amount }) }, actor.id, asOf)
    proposalId = application.id
  }
  await event(trx, id, actor, 'referred_to_charity', input.kind === 'wish' ? `转为微心愿（第 ${wishId} 号），待入户核实` : `转为慈善基金项目申请（第 ${proposalId} 号），待确认`, { wishId, proposalId })
  await close(trx, id, 'referred_to_charity', actor)
  return { warningId: id, wishId, proposalId }
}

/** The charity fund projects that take applications now: where a referral can go. */
export function openFundProjects (db: Db): Promise<Array<{ id: number, title: string }>> {
  return db.selectFrom('projects').select(['id', 'title']).where('kind', '=', 'fund').where('status', '=', 'open').orderBy('id').limit(50).execute()
}

/** A photo or PDF of the handling (a visit record, a signed form), kept with the warning. */
export async function addWarningEvidence (trx: Db, dataDir: string, scope: RegionScope, id: number, fileName: string, content: unknown, actor: AuditActor): Promise<number> {
  await warningRow(trx, scope, id)
  const evidenceId = await storeEvidence(trx, dataDir, { warningId: id }, fileName, content, actor.id)
  await event(trx, id, actor, 'evidence', fileName, { evidenceId })
  return evidenceId
}

/** One stored file of a warning, for whoever may read the warning. */
export async function warningFile (db: Db, scope: RegionScope, id: number, evidenceId: number): Promise<{ sha256: string, contentType: string, fileName: string }> {
  await warningRow(db, scope, id)
  const row = await db.selectFrom('evidence').select(['sha256', 'content_type', 'file_name']).where('id', '=', evidenceId).where('warning_id', '=', id).executeTakeFirst()
  if (!row) throw notFound('该凭证 (evidence)')
  return { sha256: row.sha256, contentType: row.content_type, fileName: row.file_name }
}

export { WARNING_CLASS_NAMES }
