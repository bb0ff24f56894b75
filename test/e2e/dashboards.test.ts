// The dashboards in a real browser, as each role opens them: the county's and a town's clerk
// (drilling down from the county to a town and a village, switching the period, opening a
// chart's table), the charity federation, and the public's impact page and home page. Every
// page is screenshotted at 375 and 1280 px and checked with axe-core; the charts must render
// under the real content-security policy (no inline style is blocked: their text is there).
import t from 'tap'
import { browserWorld, checkPage, shown, signInOnPage } from '../helpers/browser.js'

t.test('each role sees its dashboard', async t => {
  const world = await browserWorld(t)
  // Under the page's own policy (not bypassed), to see that nothing the charts need is blocked.
  const strict = await world.browser.newContext({ viewport: { width: 375, height: 812 }, baseURL: world.base, locale: 'zh-CN' })
  const violations: string[] = []
  const clerk = await strict.newPage()
  clerk.on('console', message => { if (/Content Security Policy/i.test(message.text())) violations.push(message.text()) })
  await signInOnPage(clerk, 'mz-county')
  await clerk.goto('/work/dashboard')
  await shown(clerk.getByRole('heading', { level: 1, name: /统计看板/ }))
  const chart = clerk.getByRole('img', { name: /在册人数：按镇（街道）和类别/ })
  await shown(chart)
  const box = await chart.boundingBox()
  t.ok(box !== null && box.width > 300 && box.height > 100, `the coverage chart is drawn (${JSON.stringify(box)})`)
  t.ok((await chart.textContent())?.includes('南浔镇'), 'the chart carries its labels')
  t.same(violations, [], 'nothing on the page is blocked by the content-security policy')
  await strict.close()

  const county = await (await world.context()).newPage()
  await signInOnPage(county, 'mz-county')
  await county.goto('/work/dashboard')
  await shown(county.getByRole('heading', { level: 1, name: /统计看板/ }))
  await checkPage(t, county, 'dashboard-county')
  // A chart's table view.
  await county.locator('#coverage summary').first().click()
  await shown(county.getByRole('table', { name: /在册人数（按镇（街道）和类别）/ }))
  await checkPage(t, county, 'dashboard-county-table')
  // Drill down: the county's town, then a village.
  await county.getByRole('table', { name: /在册人数（按镇（街道）和类别）/ }).getByRole('link', { name: '南浔镇' }).click()
  await shown(county.getByRole('heading', { level: 1, name: /南浔镇/ }))
  await checkPage(t, county, 'dashboard-town')
  // The year, then a custom run of months.
  await county.getByRole('link', { name: '按年' }).click()
  await shown(county.getByLabel('年份'))
  await checkPage(t, county, 'dashboard-town-year')
  // The year's warnings (the demo's feeds raised them weeks ago): the chart by class, and its table by class.
  await shown(county.getByRole('img', { name: /发出的预警：按预警类别/ }))
  await county.locator('#warnings summary').first().click()
  await shown(county.getByRole('table', { name: /预警处置（.*按预警类别）/ }))
  await county.locator('#warnings').scrollIntoViewIfNeeded()
  await checkPage(t, county, 'dashboard-town-warnings')
  await county.getByRole('link', { name: '自定义' }).click()
  await shown(county.getByLabel('从'))
  await county.getByRole('button', { name: '查看' }).click()
  await shown(county.getByRole('heading', { level: 1, name: /南浔镇/ }))
  // Down to a village, from the town's table; the trail leads back up.
  await county.locator('#coverage summary').first().click()
  const village = county.locator('#coverage table tbody a').first()
  const villageName = (await village.textContent())?.trim() ?? ''
  t.match(villageName, /村|社区/, 'the town\'s rows are its villages')
  await village.click()
  await shown(county.getByRole('heading', { level: 1, name: new RegExp(villageName) }))
  await shown(county.getByRole('navigation', { name: '地区层级' }).getByRole('link', { name: '南浔镇' }))
  t.equal(await county.getByRole('link', { name: '自定义' }).getAttribute('aria-current'), 'page', 'the period is kept while drilling down')
  await checkPage(t, county, 'dashboard-village')

  const town = await (await world.context()).newPage()
  await signInOnPage(town, 'mz-nanxun')
  await town.goto('/work/dashboard?period=quarter')
  await shown(town.getByRole('heading', { level: 1, name: /南浔镇/ }))
  await checkPage(t, town, 'dashboard-town-clerk')

  const charity = await (await world.context()).newPage()
  await signInOnPage(charity, 'cszh')
  await charity.goto('/charity/dashboard?period=year')
  await shown(charity.getByRole('heading', { level: 1, name: /慈善统计/ }))
  await shown(charity.getByRole('img', { name: /各项目的预算/ }))
  await checkPage(t, charity, 'dashboard-charity')

  const visitor = await (await world.context()).newPage()
  await visitor.goto('/impact')
  await shown(visitor.getByRole('heading', { level: 1, name: '公益成效' }))
  await checkPage(t, visitor, 'impact')
  await visitor.goto('/')
  await shown(visitor.getByRole('heading', { name: '公益成效' }))
  await checkPage(t, visitor, 'home-with-impact')
})
