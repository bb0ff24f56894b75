// The worker's housekeeping, through a real queue: expired sessions are removed, live ones kept.
import t from 'tap'
import { sql } from 'kysely'
import { scheduleRepeatableJobs } from '../../jobs/processors/index.js'
import { MAINTENANCE_TASKS } from '../../jobs/processors/maintenance.js'
import { SEARCH_SYNC_EVERY_MS } from '../../jobs/queues.js'
import { createSession } from '../../server/auth/sessions.js'
import { appWithAccounts } from '../helpers/accounts.js'
import { insertRegionTree } from '../helpers/fixtures.js'
import { makeResidentId } from '../../matching/resident-id.js'
import { EVERYWHERE } from '../../server/db/scope.js'
import { createHousehold } from '../../server/registry/households.js'
import { registryContext } from '../../server/registry/context.js'
import { today } from '../../server/clock.js'
import { addDays } from '../../matching/dates.js'
import { startWorker } from '../helpers/worker.js'

t.test('expired sessions are removed on schedule', async t => {
  const app = await appWithAccounts(t)
  const admin = await app.db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()
  await createSession(app.db, admin.id, { ip: '127.0.0.1' })
  await createSession(app.db, admin.id, { ip: '127.0.0.1' })
  await sql`UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE id = (SELECT id FROM sessions ORDER BY created_at LIMIT 1)`.execute(app.db)

  await scheduleRepeatableJobs(app.queues)
  const repeatable = await app.queues.maintenance.getRepeatableJobs()
  const schedule = Object.entries(MAINTENANCE_TASKS).map(([name, task]) => [name, task.everyMs]).sort()
  t.ok(schedule.length > 0)
  t.same(repeatable.map(job => [job.name, job.every]).sort(), schedule, 'every task on its own interval')
  t.same((await app.queues.search.getRepeatableJobs()).map(job => [job.name, job.every]), [['sync', SEARCH_SYNC_EVERY_MS]])
  await scheduleRepeatableJobs(app.queues)
  t.equal((await app.queues.maintenance.getRepeatableJobs()).length, schedule.length, 'scheduling twice keeps one schedule each')

  startWorker(app)
  const job = await app.queues.maintenance.add('expire-sessions', {})
  t.equal(await job.finished(), 1, 'one session removed')
  const { n } = await app.db.selectFrom('sessions').select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
  t.equal(Number(n), 1, 'the live session stays')

  // Every other task runs through the queue on an empty registry and finds nothing to do.
  for (const name of Object.keys(MAINTENANCE_TASKS).filter(name => name !== 'expire-sessions' && name !== 'refresh-statistics')) {
    t.equal(await (await app.queues.maintenance.add(name, {})).finished(), 0, `${name} runs and finds nothing`)
  }
  // The dashboards' rebuild always runs, whatever there is: it answers the aggregate rows it wrote
  // (some even without households) and records the rebuild.
  const rows = await (await app.queues.maintenance.add('refresh-statistics', {})).finished()
  const written = await Promise.all((['stat_stock', 'stat_flow'] as const).map(table => app.db.selectFrom(table).select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()))
  t.equal(rows, written.reduce((sum, { n }) => sum + Number(n), 0), 'refresh-statistics answers the aggregate rows it wrote')
  t.same((await app.db.selectFrom('stat_refreshes').select('row_count').execute()).map(r => r.row_count), [rows], 'and records the rebuild once')
})

t.test('a parameter version that takes effect reclassifies the households of its profile\'s regions', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  await app.db.insertInto('region_policies').values({ region_code: '330503102', profile: 'jiyuan-2024' }).execute()
  startWorker(app)
  const run = async () => (await app.queues.maintenance.add('reclassify-stale-decisions', {})).finished()
  // One person at 1,250 a month: 边缘 under Nanxun's demo 低保 standard of 1,200, and under Jiyuan's 700.
  const register = async (regionCode: string, serial: number) => {
    const created = await createHousehold(app.db, EVERYWHERE, {
    regionCode, address: '', phone: '', annualIncome: 15000, rigidExpenses: { medical: 0, education: 0 }, propertyCompliant: true,
    povertyMonitoring: false, hardships: [], caseByCase: false,
    members: [{ name: '严一', idNumber: makeResidentId('330503', '1970-01-01', serial, 'male'), relation: 'head', laborCapacity: 'full', hasIncomeSource: true, hasAbleSupporter: true, seriousIllness: false, employed: false }]
    }, await registryContext(app.db, app.config, today()))
    if (!('household' in created)) throw new Error('already registered')
    return created.household.id
  }
  const nanxun = await register('330503101001', 81)
  const jiyuan = await register('330503102001', 83)
  const decisions = (id: number) => app.db.selectFrom('category_decisions').select(['category', 'profile_version', 'as_of']).where('household_id', '=', id).orderBy('id').execute()
  t.same((await decisions(nanxun)).map(d => d.category), ['dibao_edge'])
  t.equal(await run(), 0, 'every decision used the parameters in force')

  const raise = (effectiveFrom: string) => app.db.insertInto('policy_parameters')
    .values({ profile: 'nanxun-2025', key: 'dibaoMonthly', value: 1300, effective_from: effectiveFrom, note: '浔民发〔2026〕1号' }).execute()
  await raise(addDays(today(), 1))
  t.equal(await run(), 0, 'a version not yet in force changes nothing')
  await raise(today())
  t.equal(await run(), 1, 'the Nanxun household only')
  const after = await decisions(nanxun)
  t.same(after.map(d => d.category), ['dibao_edge', 'dibao'], 'appended: 1,250 is below the new 1,300')
  t.not(after[1]?.profile_version, after[0]?.profile_version)
  t.equal(after[1]?.as_of, today())
  t.equal((await app.db.selectFrom('households').select('category').where('id', '=', nanxun).executeTakeFirstOrThrow()).category, 'dibao', 'the household\'s category follows')
  t.same((await decisions(jiyuan)).map(d => d.category), ['dibao_edge'], 'Jiyuan\'s household is untouched')
  t.equal(await run(), 0, 'once reclassified, nothing is stale')
})
