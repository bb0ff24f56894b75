// Runs before `npm start` and `npm test` (plain JavaScript: it must work before anything
// is installed). Installs the npm packages when node_modules is missing or older than the
// lock file, so a fresh clone needs only one command.
import { execSync } from 'node:child_process'
import { existsSync, statSync, utimesSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { dirname, join } from 'node:path'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const installed = join(root, 'node_modules', '.package-lock.json')
const lock = join(root, 'package-lock.json')

if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  console.log('Installing npm packages (npm install) …')
  execSync('npm install --no-audit --no-fund', { cwd: root, stdio: 'inherit' })
  // npm may rewrite the lock file after its hidden copy; mark the install as current.
  const now = new Date()
  utimesSync(installed, now, now)
}
