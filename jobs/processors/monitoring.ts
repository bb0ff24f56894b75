// Dynamic monitoring's repeatable tasks, on the application's clock (server/clock.ts, which
// tests set): reminders before a warning's deadline and escalation after it, the daily
// policy-gap scan, and the calendar's new years when an updated chinese-days package brings them.
import { today } from '../../server/clock.js'
import { seedCalendar } from '../../server/monitoring/calendar.js'
import { remindAndEscalate, scanPolicyGaps } from '../../server/monitoring/sweeps.js'
import type { MaintenanceTask } from './maintenance.js'

const MINUTE = 60 * 1000

export const MONITORING_TASKS: Record<string, MaintenanceTask> = {
  'warning-reminders': {
    everyMs: 15 * MINUTE,
    run: async ({ db, log }) => {
      const outcome = await remindAndEscalate(db, today())
      if (outcome.reminded + outcome.overdue > 0) log.info(outcome, 'warnings reminded and escalated')
      return outcome.reminded + outcome.overdue
    }
  },
  'warning-policy-gaps': {
    everyMs: 6 * 60 * MINUTE,
    run: async ({ db, log }) => {
      const outcome = await scanPolicyGaps(db, today())
      if (outcome.raised > 0) log.info(outcome, 'policy-gap warnings raised')
      return outcome.raised
    }
  },
  'holiday-calendar-years': {
    everyMs: 24 * 60 * MINUTE,
    run: async ({ db, log }) => {
      const years = await seedCalendar(db)
      if (years.length > 0) log.info({ years }, 'holiday calendar: years added from the chinese-days package')
      return years.length
    }
  }
}
