// PostgreSQL restarts under a running server: a request in flight fails cleanly (503 in the
// error shape, not a 500 or no answer), requests while it is down are answered 503 at once,
// /ready names it, and once it is back the pool reconnects by itself — /ready recovers and the
// same session works again; a transaction caught between statements fails without taking the
// process with it. The PostgreSQL here is this test's own.
import t from 'tap'
import pg from 'pg'
import { sql } from 'kysely'
import { setTimeout as sleep } from 'node:timers/promises'
import type { LightMyRequestResponse } from 'fastify'
import { startPostgres } from '../../../scripts/services/postgres.js'
import { createDb } from '../../../server/db/database.js'
import { migrateToLatest } from '../../../server/db/migrator.js'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { ownService } from '../../helpers/services.js'

const PROMPT_MS = 4000

const unavailable = (response: LightMyRequestResponse) => [response.statusCode, response.json().error?.code]

t.test('PostgreSQL restarts: in-flight requests fail cleanly, the pool reconnects, /ready recovers', async t => {
  const postgres = await ownService(t, (dir, port) => startPostgres({ dir, port, durable: false, log: () => {} }))
  const url = postgres.running.url
  const migrating = createDb(url, 1)
  await migrateToLatest(migrating)
  await migrating.destroy()

  const app = await appWithAccounts(t, { DATABASE_URL: url })
  const admin = await signIn(app, 'admin')
  const regions = () => admin.call({ method: 'GET', url: '/api/v1/regions' })
  t.equal((await regions()).statusCode, 200)

  // A request in flight: it waits for a lock another connection holds when the server goes down.
  const holder = new pg.Client({ connectionString: url })
  holder.on('error', () => {})
  await holder.connect()
  await holder.query('BEGIN; LOCK TABLE regions IN ACCESS EXCLUSIVE MODE')
  const inFlight = regions()
  // A transaction between two statements when the server goes: its connection is checked out
  // and idle, and the server's goodbye must fail the transaction, not end the process.
  let goOn = () => {}
  const between = new Promise<void>(resolve => { goOn = resolve })
  const transaction = app.db.transaction().execute(async trx => {
    await sql`SELECT 1`.execute(trx)
    await between
    await sql`SELECT 2`.execute(trx)
  })
  await sleep(300)
  const stopped = Date.now()
  await postgres.running.stop()
  goOn()
  await t.rejects(transaction, 'the transaction caught between statements fails')
  const failed = await inFlight
  t.ok(Date.now() - stopped < PROMPT_MS, `the request in flight was answered ${Date.now() - stopped} ms after the stop`)
  t.same(unavailable(failed), [503, 'service_unavailable'], 'in flight: a clean 503')
  t.equal(failed.headers['retry-after'], '5')
  t.equal(failed.json().error.details.length, 0)
  await holder.end().catch(() => {})

  const timed = async <T> (what: string, call: () => Promise<T>): Promise<T> => {
    const started = Date.now()
    const result = await call()
    t.ok(Date.now() - started < PROMPT_MS, `${what} answered in ${Date.now() - started} ms`)
    return result
  }
  t.same(unavailable(await timed('a request while it is down', regions)), [503, 'service_unavailable'])
  t.same(unavailable(await timed('a sign-in while it is down', () => app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { username: 'admin', password: 'whatever-it-is' } }))), [503, 'service_unavailable'])
  const down = await timed('/ready', () => app.inject({ method: 'GET', url: '/ready' }))
  t.equal(down.statusCode, 503)
  t.same(down.json().error.details.map((d: { field: string }) => d.field), ['postgres'])
  t.equal((await app.inject({ method: 'GET', url: '/health' })).statusCode, 200, 'the process itself is alive')

  await postgres.start()
  let ready = 0
  for (let i = 0; i < 50 && ready !== 200; i++) {
    ready = (await app.inject({ method: 'GET', url: '/ready' })).statusCode
    if (ready !== 200) await sleep(200)
  }
  t.equal(ready, 200, '/ready recovers')
  t.equal((await regions()).statusCode, 200, 'the pool reconnected: the same session works again')
})
