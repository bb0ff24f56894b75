// Browser tests: the application listening on a free port with demo data (a small generated
// county, the demo logins and their history), Debian's Chromium driven by playwright-core,
// and the checks every page must pass — screenshots at 375 and 1280 px into a git-ignored
// folder, axe-core without serious or critical violations, no horizontal scrolling on a phone.
import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
import type { FastifyInstance } from 'fastify'
import { appWithAccounts } from './accounts.js'
import { DEMO_PASSWORD } from '../../server/auth/demo-accounts.js'
import { generateDataset } from '../../scripts/demo-data/index.js'
import { loadDataset } from '../../scripts/demo-data/load.js'
import { syncSearchIndex } from '../../server/search/outbox.js'
import { today } from '../../server/clock.js'
import { CHROMIUM_PATH } from '../../scripts/services/chromium.js'

interface Teardown { teardown: (fn: () => unknown) => void }
interface Asserts {
  same: (found: unknown, wanted: unknown, message: string) => unknown
  ok: (value: unknown, message: string) => unknown
}

const require = createRequire(import.meta.url)
export const SCREENSHOTS = resolve(fileURLToPath(import.meta.url), '..', '..', '..', 'test-output', 'screenshots')
export const PHONE = { width: 375, height: 812 }
export const DESK = { width: 1280, height: 800 }

export interface BrowserWorld {
  app: FastifyInstance
  base: string
  browser: Browser
  /** A fresh browser profile (cookies of its own), at phone width unless told otherwise. */
  context: (viewport?: { width: number, height: number }) => Promise<BrowserContext>
  /** Drains the search outbox, as the worker does every second. */
  sync: () => Promise<void>
}

/** The app with a small demo county (households, wishes, projects, the demo donors' history), served on a free port. */
export async function browserWorld (t: Teardown, households = 300): Promise<BrowserWorld> {
  const app = await appWithAccounts(t)
  const asOf = today()
  await loadDataset(app.db, app.config, generateDataset({ seed: 2025, households, asOf }), { asOf, k: app.config.kAnonymity, dataDir: app.config.dataDir })
  const sync = () => syncSearchIndex(app.db, app.meili, app.config.searchPrefix).then(() => undefined)
  await sync()
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
  })
  t.teardown(() => browser.close())
  return {
    app,
    base,
    browser,
    sync,
    // bypassCSP lets the test inject axe-core; the pages themselves run under the real policy.
    context: viewport => browser.newContext({ viewport: viewport ?? PHONE, baseURL: base, locale: 'zh-CN', bypassCSP: true })
  }
}

export async function signInOnPage (page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login')
  await page.getByLabel('用户名').fill(username)
  await page.getByLabel('密码', { exact: true }).fill(password)
  await page.getByRole('button', { name: '登录' }).click()
  await page.waitForURL(url => !url.pathname.startsWith('/login'))
}

interface AxeResult { violations: Array<{ id: string, impact: string | null, nodes: Array<{ target: unknown }> }> }

/** axe-core's serious and critical findings on the page as it is now (id and the first element). */
export async function accessibilityProblems (page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') })
  // Evaluated in the page (as text: the project compiles without the DOM's types).
  const result = await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })`) as AxeResult
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => `${v.id} at ${JSON.stringify(v.nodes[0]?.target)}`)
}

/**
 * The checks every page passes, at a phone's width and a desk's: a full-page screenshot
 * (test-output/screenshots/<name>-375.png, -1280.png), no serious or critical axe findings,
 * and nothing wider than the phone's screen.
 */
export async function checkPage (t: Asserts, page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const original = page.viewportSize() ?? PHONE
  for (const viewport of [PHONE, DESK]) {
    await page.setViewportSize(viewport)
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${viewport.width}.png`), fullPage: true })
    t.same(await accessibilityProblems(page), [], `${name} at ${viewport.width} px: no serious or critical accessibility problems`)
    if (viewport === PHONE) {
      const widths = await page.evaluate('({ page: document.documentElement.scrollWidth, screen: window.innerWidth })') as { page: number, screen: number }
      t.ok(widths.page <= widths.screen, `${name} at 375 px: no horizontal scrolling (page ${widths.page} px wide)`)
    }
  }
  await page.setViewportSize(original)
}

/** Waits until the element is on screen (throws, failing the test, when it does not come). */
export async function shown (locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'visible', timeout: 15_000 })
}
