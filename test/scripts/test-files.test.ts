import t from 'tap'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { expandTestArguments } from '../../scripts/test-files.js'

const root = mkdtempSync(join(tmpdir(), 'shanqiao-test-files-'))
t.teardown(() => rmSync(root, { recursive: true, force: true }))
for (const file of ['test/a.test.ts', 'test/server/b.test.ts', 'test/server/auth/c.test.ts', 'test/server/helper.ts', 'test/server/node_modules/x/d.test.ts']) {
  mkdirSync(join(root, file, '..'), { recursive: true })
  writeFileSync(join(root, file), '')
}
mkdirSync(join(root, 'test/empty'))

t.test('a directory becomes the test files under it, recursively and sorted', async t => {
  t.same(expandTestArguments(['test/server'], root), ['test/server/auth/c.test.ts', 'test/server/b.test.ts'])
  t.same(expandTestArguments(['test/server/'], root), ['test/server/auth/c.test.ts', 'test/server/b.test.ts'], 'with a trailing slash')
})

t.test('files, options and directories mix; only directories change', async t => {
  t.same(expandTestArguments(['--reporter', 'tap', 'test/a.test.ts', 'test/server/auth', '-g', 'x'], root),
    ['--reporter', 'tap', 'test/a.test.ts', 'test/server/auth/c.test.ts', '-g', 'x'])
  t.same(expandTestArguments([], root), [], 'no arguments: tap runs the whole suite')
})

t.test('a directory without test files is an error, not the whole suite', async t => {
  t.throws(() => expandTestArguments(['test/empty'], root), /no \*\.test\.ts files under test\/empty/)
})
