// `npm test` itself (scripts/test.ts): Ctrl-C while its services start leaves no process
// and no temporary directory behind; a directory without tests is refused before anything starts.
import t from 'tap'
import { spawn } from 'node:child_process'
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import { processesMentioning, withoutTap } from '../helpers/processes.js'

/** The run's data directories (tsx keeps its cache in the same temporary directory). */
const dataDirsIn = (temp: string) => readdirSync(temp).filter(name => name.startsWith('shanqiao-test-'))

/** Runs scripts/test.ts with its temporary directory inside one this test owns (TMPDIR). */
function runTestScript (t: { teardown: (fn: () => void) => void }, args: string[]) {
  const temp = mkdtempSync(join(tmpdir(), 'shanqiao-runner-'))
  chmodSync(temp, 0o755)
  t.teardown(() => rmSync(temp, { recursive: true, force: true }))
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/test.ts', ...args], {
    env: { ...withoutTap(process.env), TMPDIR: temp }, stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout.on('data', chunk => { output += chunk })
  child.stderr.on('data', chunk => { output += chunk })
  return { child, temp, output: () => output }
}

t.test('Ctrl-C during start-up stops the services started so far and removes the temporary directory', async t => {
  const { child, temp, output } = runTestScript(t, ['test/scripts/test-files.test.ts'])
  const deadline = Date.now() + 60_000
  while (!output().includes('starting embedded PostgreSQL') && Date.now() < deadline) await sleep(100)
  await sleep(300)
  const exited = once(child, 'exit')
  child.kill('SIGINT')
  await exited
  t.match(output(), /services stopped/)
  t.same(processesMentioning(temp), [], 'no service left running')
  t.same(dataDirsIn(temp), [], 'temporary data directory removed')
})

t.test('a directory without test files stops at once', async t => {
  const { child, temp, output } = runTestScript(t, ['test/helpers'])
  const [code] = await once(child, 'exit')
  t.equal(code, 1)
  t.match(output(), /no \*\.test\.ts files under test\/helpers/)
  t.same(dataDirsIn(temp), [], 'nothing was started')
})
