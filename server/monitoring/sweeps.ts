// What the worker repeats: reminders before a warning's deadline, the overdue notice to its
// desk and the escalation to the supervisor after it (each once per warning, counted in working
// days on the application's clock), and the policy-gap scan (000 三(二): training classes and
// job recommendations; 001 二(三): economic checks) that raises warnings of its own.
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { notifyUsers } from '../notifications/notifications.js'
import { halfYearLabel } from '../vouchers/half-year.js'
import { daysLeft, economicCheckStale, isLowIncome, jobRecommendationGap, supervisorRegion, trainingGap } from '../../matching/monitoring/index.js'
import type { ProfileId } from '../../matching/policy/index.js'
import { deskStaff, loadMonitoringContext } from './context.js'
import { notifyRaised, raiseWarnings, type WarningCandidate } from './warnings.js'

const SYSTEM = { id: null, name: 'system' }
const monthDay = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`

export interface ReminderOutcome { reminded: number, overdue: number, escalated: number }

/**
 * For every open warning: a reminder to its desk when the deadline is within the profile's
 * `remindBefore` working days, and once it has passed, the overdue notice to the desk and the
 * escalation to the supervisor (the civil affairs of the county above a town desk). Each is
 * given once (the warning records it, and a notification names its event).
 */
export async function remindAndEscalate (db: Db, asOf: string): Promise<ReminderOutcome> {
  const context = await loadMonitoringContext(db, asOf)
  const open = await db.selectFrom('warnings').select(['id', 'profile', 'desk_region', 'due_on', 'summary', 'reminded_at', 'overdue_at'])
    .where('status', '<>', 'closed').where(eb => eb.or([eb('reminded_at', 'is', null), eb('overdue_at', 'is', null)])).orderBy('id').execute()
  const outcome: ReminderOutcome = { reminded: 0, overdue: 0, escalated: 0 }
  for (const w of open) {
    const left = daysLeft(context.calendar, asOf, w.due_on)
    const link = `/work/warnings/${w.id}`
    const desk = deskStaff(context.staff, w.desk_region)
    if (!left.overdue && w.reminded_at === null && left.days <= context.deadlines(w.profile as ProfileId).remindBefore) {
      await db.transaction().execute(async trx => {
        await trx.updateTable('warnings').set({ reminded_at: new Date() }).where('id', '=', w.id).execute()
        await trx.insertInto('warning_events').values({ warning_id: w.id, actor_id: null, actor: 'system', kind: 'reminded', note: `还剩 ${left.days} 个工作日（${monthDay(w.due_on)} 到期）`, details: JSON.stringify({ daysLeft: left.days }) }).execute()
        await notifyUsers(trx, desk, { kind: 'warning_due', subject: `warning:${w.id}`, link, body: `预警将于 ${monthDay(w.due_on)} 到期（还剩 ${left.days} 个工作日）：${w.summary}` })
      })
      outcome.reminded++
    }
    if (left.overdue && w.overdue_at === null) {
      const supervisor = supervisorRegion(w.desk_region)
      const above = context.staff.filter(s => s.regionCode === supervisor).map(s => s.id)
      await db.transaction().execute(async trx => {
        await trx.updateTable('warnings').set({ overdue_at: new Date(), reminded_at: w.reminded_at ?? new Date(), escalated_to: supervisor }).where('id', '=', w.id).execute()
        await trx.insertInto('warning_events').values([
          { warning_id: w.id, actor_id: null, actor: 'system', kind: 'overdue', note: `已超过 ${monthDay(w.due_on)} 的处置时限`, details: JSON.stringify({ dueOn: w.due_on }) },
          { warning_id: w.id, actor_id: null, actor: 'system', kind: 'escalated', note: `已报上级（${supervisor}）督办`, details: JSON.stringify({ to: supervisor }) }
        ]).execute()
        await notifyUsers(trx, desk, { kind: 'warning_overdue', subject: `warning:${w.id}`, link, body: `预警已逾期（${monthDay(w.due_on)} 到期），已报上级督办：${w.summary}` })
        await notifyUsers(trx, above, { kind: 'warning_escalated', subject: `warning:${w.id}`, link, body: `下级窗口（${w.desk_region}）的预警已逾期未处置，请督办：${w.summary}` })
      })
      outcome.overdue++
      if (above.length > 0) outcome.escalated++
    }
  }
  return outcome
}

export interface ScanOutcome { raised: number, training: number, jobs: number, checks: number }

/** Raises the policy-gap warnings of the day: children without a class, too few job recommendations, stale economic checks. */
export async function scanPolicyGaps (db: Db, asOf: string): Promise<ScanOutcome> {
  const context = await loadMonitoringContext(db, asOf)
  const candidates: WarningCandidate[] = []
  const counts = { training: 0, jobs: 0, checks: 0 }
  const add = (kind: keyof typeof counts, finding: WarningCandidate['finding'] | undefined, c: Omit<WarningCandidate, 'finding' | 'feedRecordId' | 'evidence'>, evidence: Record<string, unknown>) => {
    if (!finding) return
    counts[kind]++
    candidates.push({ ...c, finding, feedRecordId: null, evidence: { scan: { kind, on: asOf, ...evidence } } })
  }
  const profileOf = (code: string) => context.profileFor(code)

  // 000 三(二): this half-year's vouchers still without a class.
  const halfYear = halfYearLabel(asOf)
  const vouchers = await db.selectFrom('vouchers as v').innerJoin('households as h', 'h.id', 'v.household_id')
    .select(['v.id', 'v.person_id', 'v.household_id', 'v.state', 'v.half_year', 'h.region_code', 'h.category', 'h.status'])
    .where('v.half_year', '=', halfYear).where('v.state', '=', 'issued').execute()
  for (const v of vouchers) {
    const profile = profileOf(v.region_code)
    if (!profile) continue
    add('training', trainingGap(context.rules(profile), { state: v.state, halfYear: v.half_year }, asOf),
      { personId: v.person_id, householdId: v.household_id, regionCode: v.region_code, profile, lowIncome: isLowIncome({ category: v.category, status: v.status }) }, { voucherId: v.id })
  }

  // 000 三(二): members registered unemployed this year, and the job recommendations in their chain this year.
  const year = asOf.slice(0, 4)
  const jobless = await db.selectFrom('feed_records as f').innerJoin('persons as p', 'p.id', 'f.person_id').innerJoin('households as h', 'h.id', 'p.household_id')
    .select(['p.id', 'p.household_id', 'p.birth_date', 'p.labor_capacity', 'p.employed', 'p.disability_level', 'p.disability_kind', 'h.region_code', 'h.category', 'h.status'])
    .select(eb => eb.fn.max('f.occurred_on').as('since'))
    .select(eb => eb.selectFrom('assistance_entries as a').select(eb.fn.countAll<number>().as('n')).whereRef('a.person_id', '=', 'p.id')
      .where('a.kind', '=', 'job_recommendation').where('a.reverses', 'is', null).where(sql<boolean>`a.occurred_on >= ${`${year}-01-01`}::date`).as('recommendations'))
    .where('f.kind', '=', 'unemployment').where('p.left_on', 'is', null).where(sql<boolean>`f.occurred_on >= ${`${year}-01-01`}::date`)
    .groupBy(['p.id', 'h.id']).execute()
  for (const p of jobless) {
    const profile = profileOf(p.region_code)
    if (!profile) continue
    add('jobs', jobRecommendationGap(context.rules(profile), {
      personId: p.id, birthDate: p.birth_date, laborCapacity: p.labor_capacity, employed: p.employed, disabilityLevel: p.disability_level, disabilityKind: p.disability_kind,
      left: false, unemployedSince: p.since as string, recommendationsThisYear: Number(p.recommendations ?? 0)
    }, asOf), { personId: p.id, householdId: p.household_id, regionCode: p.region_code, profile, lowIncome: isLowIncome({ category: p.category, status: p.status }) }, { unemployedSince: p.since })
  }

  // 001 二(三): low-income households whose economic check is older than it stays valid (the head is named).
  const households = await db.selectFrom('households as h')
    .innerJoinLateral(eb => eb.selectFrom('persons as p').select('p.id').whereRef('p.household_id', '=', 'h.id').where('p.left_on', 'is', null).orderBy(sql`p.relation = 'head'`, 'desc').orderBy('p.id').limit(1).as('head'), join => join.onTrue())
    .select(['h.id', 'h.region_code', 'h.category', 'h.status', 'h.property_checked_on', 'head.id as head_id'])
    .where('h.status', 'in', ['active', 'gradual_exit']).where('h.category', 'is not', null).where('h.category', '<>', 'none').execute()
  for (const h of households) {
    const profile = profileOf(h.region_code)
    const months = profile && context.parameter(profile, 'economicCheckValidityMonths')
    if (!profile || months === undefined) continue
    add('checks', economicCheckStale(context.rules(profile), { householdId: h.id, category: h.category, status: h.status, currentMembers: 1, propertyCheckedOn: h.property_checked_on }, months, asOf),
      { personId: h.head_id, householdId: h.id, regionCode: h.region_code, profile, lowIncome: true }, {})
  }

  const raised = await db.transaction().execute(trx => raiseWarnings(trx, context, candidates, SYSTEM))
  if (raised.length > 0) await notifyRaised(db, context, raised, `scan:${asOf}`, `${asOf} 政策落实情况排查`)
  return { raised: raised.length, ...counts }
}
