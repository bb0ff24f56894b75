// Demo logins exist in demo mode only: created and usable there, refused after any start
// outside it (SHANQIAO_DEMO=off, NODE_ENV=production), usable again in demo mode.
import t from 'tap'
import { fork } from 'node:child_process'
import { once } from 'node:events'
import { testApp } from '../../helpers/services.js'
import { signIn, signInRequest } from '../../helpers/accounts.js'
import { seedDemoAccounts } from '../../../server/auth/demo-accounts.js'
import type { Config } from '../../../server/config.js'

const DEMO_USERNAMES = ['admin', 'auditor', 'cszh', 'donor-company', 'donor-person', 'mz-county', 'mz-nanxun', 'training']

t.test('demo accounts are created in demo mode only, marked as such', async t => {
  const off = await testApp(t, { SHANQIAO_DEMO: 'off' })
  t.equal(off.config.demo, false)
  t.same(await seedDemoAccounts(off.db, off.config), [])
  t.same(await off.db.selectFrom('users').select('username').execute(), [])
  const production = await testApp(t, { NODE_ENV: 'production', HOST: '127.0.0.1' })
  t.equal(production.config.demo, false, 'never in production')

  const on = await testApp(t)
  const accounts = await seedDemoAccounts(on.db, on.config)
  t.same(accounts.map(a => a.role).sort(), ['admin', 'auditor', 'charity_staff', 'civil_affairs', 'civil_affairs', 'donor', 'donor', 'institution'])
  t.same((await seedDemoAccounts(on.db, on.config)).length, 8, 'idempotent')
  const rows = await on.db.selectFrom('users').select(['username', 'demo']).orderBy('username').execute()
  t.same(rows, DEMO_USERNAMES.map(username => ({ username, demo: true })))
  const town = await on.db.selectFrom('users').select(['region_code', 'roles']).where('username', '=', 'mz-nanxun').executeTakeFirstOrThrow()
  t.same(town, { region_code: '330503101', roles: ['civil_affairs'] })
})

t.test('a start outside demo mode refuses every demo account; demo mode brings them back', async t => {
  const on = await testApp(t)
  await seedDemoAccounts(on.db, on.config)
  const admin = await signIn(on, 'admin')
  const staff = await admin.call({
    method: 'POST', url: '/api/v1/users',
    payload: { username: 'mz-real', displayName: '真实账号', password: 'long-enough-pass-1', roles: ['civil_affairs'], regionCode: '330503' }
  })
  t.equal(staff.statusCode, 201, 'an ordinary account made in demo mode')
  for (const username of DEMO_USERNAMES) t.equal((await signInRequest(on, username)).statusCode, 200, `${username} signs in in demo mode`)

  const sameDatabase = { DATABASE_URL: on.config.databaseUrl }
  const outsideDemo: Array<Record<string, string>> = [{ SHANQIAO_DEMO: 'off' }, { NODE_ENV: 'production', HOST: '127.0.0.1' }]
  for (const env of outsideDemo) {
    const session = await signIn(on, 'donor-person')
    const outside = await testApp(t, { ...sameDatabase, ...env })
    t.same(await seedDemoAccounts(outside.db, outside.config), [], `${JSON.stringify(env)}: nothing to print`)
    for (const username of DEMO_USERNAMES) t.equal((await signInRequest(outside, username)).statusCode, 401, `${username} refused`)
    t.equal((await signInRequest(outside, 'mz-real', 'long-enough-pass-1')).statusCode, 200, 'ordinary accounts are untouched')
    t.equal((await session.call({ method: 'GET', url: '/api/v1/auth/session' })).statusCode, 401, 'an earlier demo session is over')
    const switched = await outside.db.selectFrom('audit_records').select('details').where('action', '=', 'user.demo_accounts_disabled').execute()
    t.ok(switched.length >= 1, 'switching them off is audited')

    await seedDemoAccounts(on.db, on.config)
    t.equal((await signInRequest(on, 'admin')).statusCode, 200, 'demo mode again: back on')
  }
})

/** The environment of a server process on the test's services and database. */
function serverEnv (config: Config, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: config.databaseUrl,
    MEILI_URL: config.meiliUrl,
    MEILI_MASTER_KEY: config.meiliMasterKey,
    REDIS_URL: config.redisUrl,
    SEARCH_PREFIX: config.searchPrefix,
    QUEUE_PREFIX: config.queuePrefix,
    PII_ENCRYPTION_KEY: config.piiEncryptionKey.toString('hex'),
    BLIND_INDEX_KEY: config.blindIndexKey.toString('hex'),
    DATA_DIR: config.dataDir,
    ...extra
  }
}

t.test('the server process does it at start-up, however it is started', async t => {
  const app = await testApp(t)
  await seedDemoAccounts(app.db, app.config)
  const server = fork('server/main.ts', [], { execArgv: ['--import', 'tsx'], env: serverEnv(app.config, { SHANQIAO_DEMO: 'off' }), stdio: 'ignore' })
  t.teardown(() => { server.kill('SIGKILL') })
  const [ready] = await Promise.race([
    once(server, 'message'),
    once(server, 'exit').then(([code]) => { throw new Error(`the server exited with code ${code}`) })
  ]) as [{ address: string, demoAccounts: unknown[] }]
  t.same(ready.demoAccounts, [], 'no demo logins to print')
  const response = await fetch(`${ready.address}/api/v1/auth/sign-in`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'shanqiao-demo-2025' })
  })
  t.equal(response.status, 401, 'admin / shanqiao-demo-2025 is refused')
  server.kill('SIGTERM')
  await once(server, 'exit')
})
