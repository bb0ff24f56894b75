// Redis stops and comes back, empty (a restart that lost its data), under a running server and
// worker: requests that need a job answer within seconds — a proposal run is recorded and
// answered 202 (its row is the durable queue), a rebuild of the search index gets a clear 503 —
// /ready names Redis; once Redis is back the worker sets its schedules again and sweeps the
// recorded runs into the queue, and every run is carried out exactly once. The Redis here is
// this test's own, so stopping it disturbs no other test file.
import t from 'tap'
import pino from 'pino'
import { Writable } from 'node:stream'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { isAlive } from '../../../scripts/services/process.js'
import { startRedis } from '../../../scripts/services/redis.js'
import { closeQueues, openQueues } from '../../../jobs/queues.js'
import { registerProcessors, resumeWhenRedisReturns } from '../../../jobs/processors/index.js'
import { MAINTENANCE_TASKS } from '../../../jobs/processors/maintenance.js'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { ownService } from '../../helpers/services.js'
import { finishedRun, insertProject, register } from '../proposals/setup.js'

const FUND = { kind: 'fund' as const, budget: 10000, unit_cost: 3000, capacity: 5, eligibility: JSON.stringify({ categories: ['dibao'], regionCodes: ['330503'] }) }
/** Requests must answer within this, whatever Redis does. */
const PROMPT_MS = 4000

t.test('Redis stops and returns empty: prompt answers, durable runs, each run carried out once', async t => {
  const redis = await ownService(t, (dir, port) => startRedis({ dir, port, durable: false }))
  const app = await appWithAccounts(t, { REDIS_URL: redis.running.url })
  await insertRegionTree(app.db)
  const county = await signIn(app, 'mz-county')
  const charity = await signIn(app, 'cszh')
  const admin = await signIn(app, 'admin')
  for (const income of [3600, 7200, 10800]) await register(county, '330503101001', income)
  const projects = [await insertProject(app, FUND), await insertProject(app, { ...FUND, title: '第二个项目' })]

  // One run is queued while Redis is up but before the worker starts: its job dies with Redis.
  const before = await charity.call({ method: 'POST', url: `/api/v1/projects/${projects[0]}/proposal-runs`, payload: {} })
  t.equal(before.statusCode, 202)

  const killed = Number(readFileSync(join(redis.dir, 'redis.pid'), 'utf8'))
  process.kill(killed, 'SIGKILL')
  while (isAlive(killed)) await sleep(20)

  const timed = async (request: Parameters<typeof charity.call>[0], as = charity) => {
    const started = Date.now()
    const response = await as.call(request)
    const ms = Date.now() - started
    t.ok(ms < PROMPT_MS, `${request.method} ${request.url} answered in ${ms} ms`)
    return response
  }
  const during = await timed({ method: 'POST', url: '/api/v1/proposal-runs', payload: { projectIds: [projects[1]] } })
  t.equal(during.statusCode, 202, 'the run is recorded: its row is the queue until Redis returns')
  const runIds = [before.json().runId as number, during.json().runs[0].runId as number]
  const shown = await timed({ method: 'GET', url: `/api/v1/proposal-runs/${runIds[1]}` })
  t.match(shown.json(), { status: 'queued', progress: null }, 'its progress is unknown, its status is not')
  const reindex = await timed({ method: 'POST', url: '/api/v1/search/reindex', payload: { index: 'wishes' } }, admin)
  t.equal(reindex.statusCode, 503, 'a job with no record of its own is refused clearly')
  t.equal(reindex.json().error.code, 'queue_unavailable')
  const ready = await timed({ method: 'GET', url: '/ready' })
  t.equal(ready.statusCode, 503)
  t.same(ready.json().error.details.map((d: { field: string }) => d.field), ['redis'])

  // The worker, as jobs/worker.ts runs it, on queues of its own; it counts the runs it finishes.
  const finished: number[] = []
  const log = pino({ level: 'info' }, new Writable({
    write (chunk, _encoding, done) {
      const line = JSON.parse(String(chunk)) as { msg: string, runId?: number }
      if (line.msg === 'proposal run finished' && line.runId !== undefined) finished.push(line.runId)
      done()
    }
  }))
  const queues = openQueues(app.config)
  t.teardown(() => closeQueues(queues))
  const context = { db: app.db, config: app.config, meili: app.meili, queues, log, messages: app.messages }
  registerProcessors(queues, context)
  resumeWhenRedisReturns(queues, context)

  await redis.start()
  for (const runId of runIds) t.match(await finishedRun(charity, runId), { status: 'completed', progress: { proposed: 3 } }, `run ${runId} carried out once Redis returned`)
  t.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 200, 'ready again')
  t.same((await queues.maintenance.getRepeatableJobs()).map(job => job.name).sort(), Object.keys(MAINTENANCE_TASKS).sort(), 'the schedules Redis forgot are set again')

  // A sweep after the runs finished queues nothing again; nor does a second wave of reconnects.
  t.equal(await MAINTENANCE_TASKS['queue-sweep']!.run(context), 0)
  await sleep(500)
  t.same(finished.sort(), [...runIds].sort(), 'each run was carried out exactly once')
  const reindexed = await admin.call({ method: 'POST', url: '/api/v1/search/reindex', payload: { index: 'wishes' } })
  t.equal(reindexed.statusCode, 202, 'jobs are taken again')
})
