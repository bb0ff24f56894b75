// The README promises Node 20 (package.json: engines.node). Every package the lock file
// installs must accept the oldest Node that promise admits, or `npm install` warns and the
// package may use what that Node lacks (cookie@2 and content-disposition@3 want Node 22;
// package.json pins their dependents to releases that do not).
import t from 'tap'
import { readFileSync } from 'node:fs'
import semver from 'semver'

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } }
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { version?: string, engines?: Record<string, string> | string[] }> }

t.test('every locked package runs on the oldest Node the README promises', async t => {
  const oldest = semver.minVersion(manifest.engines.node)
  t.ok(oldest && semver.major(oldest) === 20, `engines.node (${manifest.engines.node}) starts at Node 20`)
  const refusing = Object.entries(lock.packages).flatMap(([path, entry]) => {
    // Old lock entries may list engines as an array of strings; only the object form names node.
    const range = !Array.isArray(entry.engines) ? entry.engines?.node : undefined
    return path !== '' && range !== undefined && oldest && !semver.satisfies(oldest, range) ? [`${path}@${entry.version} wants node ${range}`] : []
  })
  t.same(refusing, [], `packages that refuse Node ${oldest?.version}`)
})
