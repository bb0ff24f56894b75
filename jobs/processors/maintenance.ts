// Housekeeping the worker repeats on a schedule.
import { deleteExpiredSessions } from '../../server/auth/sessions.js'
import { pruneLoginAttempts } from '../../server/auth/sign-in-throttle.js'
import { flagOverdueFulfilments } from '../../server/proposals/fulfil.js'
import { pruneChangeLog } from '../../server/proposals/live-population.js'
import { expireClaims, remindClaimsDueSoon } from '../../server/needs/claims.js'
import { sendNotificationsByContact } from '../../server/notifications/delivery.js'
import { pendingFeedback } from '../../server/needs/feedback.js'
import { today } from '../../server/clock.js'
import { expireGradualExits, reclassifyStale } from '../../server/registry/decisions.js'
import { lapseVouchers } from '../../server/vouchers/placement.js'
import { REFRESH_EVERY_MS, refreshStatistics } from '../../server/statistics/refresh.js'
import { queueFeed, queueFeedback, queueImport, queueProposalRun } from '../queues.js'
import { MONITORING_TASKS } from './monitoring.js'
import type { JobContext } from './context.js'

export interface MaintenanceTask {
  everyMs: number
  run: (context: JobContext) => Promise<unknown>
}

const MINUTE = 60 * 1000

export const MAINTENANCE_TASKS: Record<string, MaintenanceTask> = {
  // Expired sessions are refused at once; this only keeps the table small.
  'expire-sessions': {
    everyMs: 60 * MINUTE,
    run: async ({ db, log }) => {
      const removed = await deleteExpiredSessions(db)
      log.info({ removed }, 'expired sessions removed')
      return removed
    }
  },
  // Sign-in attempts are kept a day for investigation; older ones decide nothing.
  'prune-login-attempts': {
    everyMs: 60 * MINUTE,
    run: async ({ db }) => pruneLoginAttempts(db)
  },
  // The matcher's change log beyond the life of any population in memory.
  'prune-population-changes': {
    everyMs: 60 * MINUTE,
    run: async ({ db }) => pruneChangeLog(db)
  },
  // Confirmed help not delivered by its due day is flagged for staff (the overdue listing).
  'flag-overdue-fulfilments': {
    everyMs: 60 * MINUTE,
    run: async ({ db, log }) => {
      const flagged = await flagOverdueFulfilments(db, today())
      if (flagged.length > 0) log.info({ flagged }, 'fulfilments overdue')
      return flagged.length
    }
  },
  // Claims past their delivery day return their wishes to the other donors.
  'expire-claims': {
    everyMs: 15 * MINUTE,
    run: async ({ db, log }) => {
      const lapsed = await expireClaims(db, today())
      if (lapsed.length > 0) log.info({ lapsed }, 'lapsed claims released')
      return lapsed.length
    }
  },
  // Households whose 渐退期 has run out are classified again (most leave assistance).
  'expire-gradual-exits': {
    everyMs: 60 * MINUTE,
    run: async ({ db, log }) => {
      const reclassified = await expireGradualExits(db, today())
      if (reclassified > 0) log.info({ reclassified }, 'gradual exits ended')
      return reclassified
    }
  },
  // A parameter version that has taken effect reclassifies the households decided under the old ones.
  'reclassify-stale-decisions': {
    everyMs: 60 * MINUTE,
    run: async ({ db, log }) => {
      const reclassified = await reclassifyStale(db, today())
      if (reclassified > 0) log.info({ reclassified }, 'households reclassified under the parameters in force')
      return reclassified
    }
  },
  // Vouchers of a half-year that has ended give back their seats and commitments.
  'lapse-vouchers': {
    everyMs: 60 * MINUTE,
    run: async ({ db, log }) => {
      const result = await lapseVouchers(db, today())
      if (result.lapsed > 0) log.info(result, 'vouchers of past half-years lapsed')
      return result.lapsed
    }
  },
  // Donors are reminded, once, of claims due within two days.
  'remind-claims-due': {
    everyMs: 60 * MINUTE,
    run: async ({ db }) => remindClaimsDueSoon(db, today())
  },
  // Notifications to the phones and inboxes of those who asked for them.
  'send-notifications': {
    everyMs: MINUTE,
    run: async ({ db, messages, log }) => {
      const result = await sendNotificationsByContact(db, messages)
      if (result.failed > 0) log.warn(result, 'some notifications could not be sent; they are tried again')
      return result.sent
    }
  },
  // Proposal runs and imports whose jobs Redis did not take (it was down when they were
  // recorded) or lost (it restarted without its data): queued again under their own job ids,
  // which adds nothing for a job Redis still holds. Also run whenever Redis comes back.
  'queue-sweep': {
    everyMs: MINUTE,
    run: async ({ db, queues, log }) => {
      const runs = await db.selectFrom('proposal_runs').select('id').where('status', '=', 'queued').orderBy('id').execute()
      const imports = await db.selectFrom('import_runs').select('id').where('status', '=', 'queued').orderBy('id').execute()
      const feeds = await db.selectFrom('feed_imports').select('id').where('status', '=', 'queued').orderBy('id').execute()
      for (const { id } of runs) await queueProposalRun(queues, id)
      for (const { id } of imports) await queueImport(queues, id)
      for (const { id } of feeds) await queueFeed(queues, id)
      if (runs.length + imports.length + feeds.length > 0) log.info({ runs: runs.map(r => r.id), imports: imports.map(i => i.id), feeds: feeds.map(f => f.id) }, 'queued runs and imports swept into the queues')
      return runs.length + imports.length + feeds.length
    }
  },
  // Dynamic monitoring: warnings' reminders and escalation, the policy-gap scan, the calendar (jobs/processors/monitoring.ts).
  ...MONITORING_TASKS,
  // Confirmed wishes whose feedback job was lost (e.g. Redis was down at confirmation).
  'feedback-sweep': {
    everyMs: 10 * MINUTE,
    run: async ({ db, queues }) => {
      const pending = await pendingFeedback(db)
      for (const claimId of pending) await queueFeedback(queues, claimId)
      return pending.length
    }
  },
  // The dashboards' aggregates, rebuilt in one transaction (the pages say how fresh they are).
  'refresh-statistics': {
    everyMs: REFRESH_EVERY_MS,
    run: async ({ db, log }) => {
      const result = await refreshStatistics(db)
      if (result.refreshed) log.info(result, 'dashboard figures rebuilt')
      return result.rows
    }
  }
}
