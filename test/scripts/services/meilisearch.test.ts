// The embedded Meilisearch gets its master key through its environment, never on its
// command line, which every user of the machine can read (`ps`, /proc/<pid>/cmdline).
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startMeilisearch } from '../../../scripts/services/meilisearch.js'
import { freePort } from '../../../scripts/services/process.js'

t.test('the master key is not on the command line, and it is the key the server enforces', async t => {
  const dir = t.testdir()
  const running = await startMeilisearch({ dir, port: await freePort() })
  t.teardown(running.stop)
  const pid = readFileSync(join(dir, 'meilisearch.pid'), 'utf8').trim()
  const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
  t.ok(commandLine.some(arg => arg.endsWith('meilisearch')), 'the pid file names the server')
  t.notOk(commandLine.some(arg => arg.includes(running.masterKey)), 'the key is not an argument')
  t.notOk(commandLine.includes('--master-key'))

  t.equal((await fetch(`${running.url}/keys`)).status, 401, 'the server requires a key')
  t.equal((await fetch(`${running.url}/keys`, { headers: { authorization: `Bearer ${running.masterKey}` } })).status, 200, 'and accepts the master key')
})
