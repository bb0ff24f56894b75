// The whole repository type-checks (strict): tsx runs TypeScript without checking types,
// so this is where a type error fails the build.
import t from 'tap'
import { spawnSync } from 'node:child_process'

t.test('tsc -p . reports no errors', async t => {
  const run = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.'], { encoding: 'utf8', timeout: 300_000 })
  t.equal(run.status, 0, run.stdout + run.stderr)
})
