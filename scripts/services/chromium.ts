// Debian's Chromium and CJK fonts for the browser tests (playwright-core drives the browser
// the machine has; it cannot download its own here). Installed with apt when missing and we
// are root, like redis-server; otherwise the message says what to install.
import { existsSync } from 'node:fs'
import { spawnSync } from 'node:child_process'

export const CHROMIUM_PATH = '/usr/bin/chromium'

/** Whether fontconfig knows a font with Chinese glyphs (without one, Chinese renders as boxes). */
function hasCjkFont (): boolean {
  const found = spawnSync('sh', ['-c', 'fc-list :lang=zh family'], { encoding: 'utf8' })
  return found.status === 0 && found.stdout.trim().length > 0
}

export function ensureChromium (log: (line: string) => void = console.log): void {
  if (existsSync(CHROMIUM_PATH) && hasCjkFont()) return
  if (process.getuid?.() !== 0) {
    throw new Error(`Chromium or CJK fonts are missing for the browser tests. Install them with \`sudo apt-get install chromium fonts-noto-cjk\`.`)
  }
  log('Chromium or CJK fonts are missing: installing the Debian packages chromium and fonts-noto-cjk …')
  const install = spawnSync('sh', ['-c',
    'export DEBIAN_FRONTEND=noninteractive; ' +
    '(apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk || (apt-get update -q && apt-get install -y -q --no-install-recommends chromium fonts-noto-cjk))'
  ], { stdio: 'inherit' })
  if (install.status !== 0 || !existsSync(CHROMIUM_PATH) || !hasCjkFont()) {
    throw new Error('Installing chromium and fonts-noto-cjk failed. Install them with `apt-get install chromium fonts-noto-cjk`.')
  }
}
