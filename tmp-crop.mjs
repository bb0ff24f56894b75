import { chromium } from 'playwright-core'
import { readFileSync } from 'node:fs'
const [file, width, out, ...tops] = process.argv.slice(2)
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox'] })
const page = await browser.newPage({ viewport: { width: Number(width), height: 1000 } })
await page.setContent(`<html><body style="margin:0"><img src="data:image/png;base64,${readFileSync(file).toString('base64')}"></body></html>`)
await page.waitForTimeout(300)
for (const [i, top] of tops.entries()) {
  await page.evaluate(`window.scrollTo(0, ${top})`)
  await page.screenshot({ path: `${out}-${i}.png` })
}
await browser.close()
