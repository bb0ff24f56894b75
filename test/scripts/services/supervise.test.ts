// The launcher keeps the embedded services it started running (`supervise`, as `npm start`
// uses it): one that dies is started again on its address and data, after a delay that grows
// while it keeps dying, a restart that fails is tried again, each step is logged, and stopping
// it for good leaves nothing running and nothing restarting.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Meilisearch } from 'meilisearch'
import { startMeilisearch } from '../../../scripts/services/meilisearch.js'
import { freePort, isAlive, restartDelayMs } from '../../../scripts/services/process.js'

async function until (what: string, done: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await done()) return
    await sleep(50)
  }
  throw new Error(`not within ${timeoutMs} ms: ${what}`)
}

t.test('the restart delay doubles from 1 s up to 30 s', async t => {
  t.same([1, 2, 3, 4, 5, 6, 7, 20].map(restartDelayMs), [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000])
})

t.test('a supervised Meilisearch that dies is restarted with backoff, on its data, and logged', async t => {
  const dir = t.testdir()
  const port = await freePort()
  const lines: string[] = []
  const meili = await startMeilisearch({ dir, port, supervise: line => lines.push(line) })
  let stopped = false
  t.teardown(() => stopped ? undefined : meili.stop())
  const client = new Meilisearch({ host: meili.url, apiKey: meili.masterKey })
  await client.createIndex('kept').waitTask()
  const pid = () => Number(readFileSync(join(dir, 'meilisearch.pid'), 'utf8'))
  const healthy = () => client.health().then(() => true, () => false)

  const first = pid()
  process.kill(first, 'SIGKILL')
  await until('restarted', () => lines.some(line => line.startsWith('Meilisearch restarted')))
  t.same(lines, ['Meilisearch exited unexpectedly (SIGKILL); restarting in 1 s', `Meilisearch restarted (pid ${pid()})`])
  t.not(pid(), first)
  t.ok(await healthy(), 'answering on the same address')
  t.same((await client.getIndexes()).results.map(index => index.uid), ['kept'], 'with its data')

  // Dying again at once: a longer wait; and while the port is taken, the restart fails and is retried.
  lines.length = 0
  const squatter = createServer()
  const second = pid()
  process.kill(second, 'SIGKILL')
  await until('the exit noticed', () => lines.length > 0)
  await new Promise<void>(resolve => squatter.listen(port, '127.0.0.1', resolve))
  await until('a failed restart', () => lines.some(line => line.startsWith('Meilisearch did not restart')), 30_000)
  squatter.close()
  await until('restarted again', () => lines.some(line => line.startsWith('Meilisearch restarted')), 30_000)
  t.equal(lines[0], 'Meilisearch exited unexpectedly (SIGKILL); restarting in 2 s', 'the second death in a row waits longer')
  t.match(lines[1], /^Meilisearch did not restart \(.*\); trying again in 4 s$/)
  t.equal(lines[2], `Meilisearch restarted (pid ${pid()})`)
  t.ok(await healthy())

  // Stopped for good: gone, and not started again.
  const last = pid()
  await meili.stop()
  stopped = true
  t.notOk(isAlive(last), 'the process is gone')
  await sleep(restartDelayMs(1) + 500)
  t.notOk(await healthy(), 'and nothing started it again')
  t.equal(lines.length, 3, 'nothing more logged')
})
