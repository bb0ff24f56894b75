// The worker's housekeeping, through a real queue: expired sessions are removed, live ones kept.
import t from 'tap'
import pino from 'pino'
import { sql } from 'kysely'
import { registerProcessors, scheduleRepeatableJobs } from '../../jobs/processors/index.js'
import { MAINTENANCE_TASKS } from '../../jobs/processors/maintenance.js'
import { createSession } from '../../server/auth/sessions.js'
import { appWithAccounts } from '../helpers/accounts.js'

t.test('expired sessions are removed on schedule', async t => {
  const app = await appWithAccounts(t)
  const admin = await app.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()
  await createSession(app.db, admin.id, { ip: '127.0.0.1' })
  await createSession(app.db, admin.id, { ip: '127.0.0.1' })
  await sql`UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE id = (SELECT id FROM sessions ORDER BY created_at LIMIT 1)`.execute(app.db)

  await scheduleRepeatableJobs(app.queues)
  const repeatable = await app.queues.maintenance.getRepeatableJobs()
  t.same(repeatable.map(job => [job.name, job.every]).sort(), [['expire-claims', 900000], ['expire-gradual-exits', 3600000], ['expire-sessions', 3600000], ['feedback-sweep', 600000], ['flag-overdue-fulfilments', 3600000], ['lapse-vouchers', 3600000], ['prune-login-attempts', 3600000], ['prune-population-changes', 3600000]])
  t.same((await app.queues.search.getRepeatableJobs()).map(job => [job.name, job.every]), [['sync', 1000]])
  await scheduleRepeatableJobs(app.queues)
  t.equal((await app.queues.maintenance.getRepeatableJobs()).length, 8, 'scheduling twice keeps one schedule each')

  registerProcessors(app.queues, { db: app.db, config: app.config, meili: app.meili, queues: app.queues, log: pino({ level: 'silent' }) })
  const job = await app.queues.maintenance.add('expire-sessions', {})
  t.equal(await job.finished(), 1, 'one session removed')
  const { n } = await app.db.selectFrom('sessions').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  t.equal(Number(n), 1, 'the live session stays')

  // Every other task runs through the queue on an empty registry and finds nothing to do.
  for (const name of Object.keys(MAINTENANCE_TASKS).filter(name => name !== 'expire-sessions')) {
    t.equal(await (await app.queues.maintenance.add(name, {})).finished(), 0, `${name} runs and finds nothing`)
  }
})
