// `npm start` end to end: a private DATA_DIR and PORT, its own embedded services, Ctrl-C
// leaves no process behind, and a second start reuses the data.
import t from 'tap'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, chmodSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { once } from 'node:events'
import { freePort, isAlive } from '../../scripts/services/process.js'

const dataDir = mkdtempSync(join(tmpdir(), 'shanqiao-start-'))
chmodSync(dataDir, 0o755)
t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))

function servicePids (): number[] {
  return ['postgres', 'meilisearch', 'redis'].flatMap(service => {
    const dir = join(dataDir, service)
    // A start that failed early leaves no directory: the assertions on the output say why.
    if (!existsSync(dir)) return []
    return readdirSync(dir).filter(f => f.endsWith('.pid')).map(f => Number(readFileSync(join(dir, f), 'utf8')))
  })
}

async function runStart (port: number): Promise<{ output: string, pids: number[], ready: unknown }> {
  const env: Record<string, string | undefined> = { ...process.env, DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' }
  for (const name of ['NODE_ENV', 'MEILI_URL', 'MEILI_MASTER_KEY', 'REDIS_URL', 'DATABASE_URL']) delete env[name]
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', chunk => { output += chunk })
  child.stderr.on('data', chunk => { output += chunk })
  const deadline = Date.now() + 90_000
  while (!output.includes('is running at') && Date.now() < deadline && child.exitCode === null) {
    await new Promise(resolve => setTimeout(resolve, 200))
  }
  const ready = await fetch(`http://127.0.0.1:${port}/ready`).then(r => r.json()).catch(error => String(error))
  const pids = servicePids()
  const exited = once(child, 'exit')
  child.kill('SIGINT')
  await exited
  return { output, pids, ready }
}

t.test('start, serve, stop cleanly, start again on the same data', async t => {
  const port = await freePort()
  const first = await runStart(port)
  t.match(first.output, `善桥 Shanqiao is running at http://127.0.0.1:${port}`)
  t.same(first.ready, { status: 'ready', services: { postgres: 'up', meilisearch: 'up', redis: 'up' } })
  t.equal(first.pids.length, 3, 'three services were started')
  t.match(first.output, /demo data loaded: 2000 households, \d+ persons, \d+ wishes/)
  t.match(first.output, /admin +admin +shanqiao-demo-2025/, 'demo logins are printed')
  t.match(first.output, /\[start\] stopped/)
  t.same(first.pids.filter(isAlive), [], 'no postgres, meilisearch or redis-server left running')

  const second = await runStart(port)
  t.same(second.ready, { status: 'ready', services: { postgres: 'up', meilisearch: 'up', redis: 'up' } })
  t.notMatch(second.output, /demo data loaded/, 'no second copy of the demo data')
  t.same(second.pids.filter(isAlive), [])
})
