// Housekeeping the worker repeats on a schedule.
import { deleteExpiredSessions } from '../../server/auth/sessions.js'
import type { JobContext } from './index.js'

export interface MaintenanceTask {
  everyMs: number
  run: (context: JobContext) => Promise<unknown>
}

export const MAINTENANCE_TASKS: Record<string, MaintenanceTask> = {
  // Expired sessions are refused at once; this only keeps the table small.
  'expire-sessions': {
    everyMs: 60 * 60 * 1000,
    run: async ({ db, log }) => {
      const removed = await deleteExpiredSessions(db)
      log.info({ removed }, 'expired sessions removed')
      return removed
    }
  }
}
