import t from 'tap'
import { spawnSync } from 'node:child_process'
import { ConfigError, loadConfig } from '../../server/config.js'

const KEY = 'ab'.repeat(32)
const complete = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://u:p@db.example:5432/shanqiao',
  MEILI_URL: 'https://search.example',
  MEILI_MASTER_KEY: 'a-master-key-of-length',
  REDIS_URL: 'redis://cache.example:6379',
  PII_ENCRYPTION_KEY: KEY,
  BLIND_INDEX_KEY: 'cd'.repeat(32)
}

function problemsOf (env: Record<string, string>): string[] {
  try {
    loadConfig(env)
    return []
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
}

t.test('a complete production environment loads without demo mode', async t => {
  const config = loadConfig(complete)
  t.equal(config.mode, 'production')
  t.equal(config.demo, false, 'no demo data or demo logins in production')
  t.equal(config.host, '0.0.0.0')
  t.equal(config.port, 3000)
  t.same(config.piiEncryptionKey, Buffer.from(KEY, 'hex'))
})

t.test('each missing production variable is named', async t => {
  for (const name of ['DATABASE_URL', 'MEILI_URL', 'MEILI_MASTER_KEY', 'REDIS_URL', 'PII_ENCRYPTION_KEY', 'BLIND_INDEX_KEY']) {
    const env: Record<string, string> = { ...complete }
    delete env[name]
    t.same(problemsOf(env), [`${name} is required in production`], name)
  }
})

t.test('malformed variables are named with what is wrong', async t => {
  t.same(problemsOf({ ...complete, DATABASE_URL: 'mysql://x/y' }), ['DATABASE_URL must be a postgres: or postgresql:// URL'])
  t.same(problemsOf({ ...complete, PII_ENCRYPTION_KEY: 'short' }), ['PII_ENCRYPTION_KEY must be 64 hex characters (a 32-byte key)'])
  t.same(problemsOf({ ...complete, PORT: '70000' }), ['PORT must be an integer from 0 to 65535, got "70000"'])
  t.same(problemsOf({ ...complete, FACET_CACHE_SECONDS: '2.5' }), ['FACET_CACHE_SECONDS must be an integer from 0 to 300, got "2.5"'])
  // Together, each once, in whatever order: compared as sets.
  const problems = problemsOf({ ...complete, REDIS_URL: 'not a url', LOG_LEVEL: 'loud' })
  t.equal(problems.length, 2)
  t.same(new Set(problems), new Set([
    'REDIS_URL is not a valid URL',
    'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'
  ]), 'several problems are reported together')
})

t.test('TRUST_PROXY names the proxies; "true" and hop counts are refused', async t => {
  t.equal(loadConfig(complete).trustProxy, false, 'off by default')
  t.equal(loadConfig({ ...complete, TRUST_PROXY: 'off' }).trustProxy, false)
  t.same(loadConfig({ ...complete, TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,loopback,::1' }).trustProxy, ['10.0.0.5', '10.1.0.0/16', 'loopback', '::1'])
  const refusal = (value: string) => `TRUST_PROXY must list the proxies' addresses or CIDRs (e.g. 10.0.0.5 or 10.0.0.0/24,loopback), got "${value}"`
  for (const value of ['true', '1', '2', '10.0.0.0/33', 'proxy.example', '10.0.0.5,']) {
    t.same(problemsOf({ ...complete, TRUST_PROXY: value }), [refusal(value)], value)
  }
})

t.test('the server process stops at start-up naming the missing variable', async t => {
  const env: Record<string, string> = { ...complete, PATH: process.env.PATH ?? '' }
  delete env.REDIS_URL
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], { env, encoding: 'utf8', timeout: 30_000 })
  t.equal(run.status, 1)
  t.match(run.stderr, /REDIS_URL is required in production/)
  t.notMatch(run.stderr, /DATABASE_URL/, 'only the missing variable is named')
})
