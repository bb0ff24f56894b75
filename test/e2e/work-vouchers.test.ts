// Training vouchers on the civil-affairs workbench in a real browser: a town officer on a phone
// opens the list, issues the half-year's vouchers for the town (confirming first), follows the
// home's count of children without a class to the filtered list, runs the seat assignment and
// reads its result. Every page is checked at 375 and 1280 px (screenshots, axe-core, no
// horizontal scroll).
import t from 'tap'
import { browserWorld, checkPage, shown, signInOnPage } from '../helpers/browser.js'
import { today } from '../../server/clock.js'
import { halfYearLabel } from '../../server/vouchers/half-year.js'
import { insertChild, insertCourse } from '../server/vouchers/fixtures.js'

t.test('a town officer issues the half-year\'s vouchers and assigns seats, on a phone', async t => {
  const world = await browserWorld(t, 60)
  const { app } = world
  const halfYear = halfYearLabel(today())
  // Two more entitled pupils in 南浔镇 (the small demo town's children already have their seats) and one more seat.
  await insertChild(app, { age: 8, schoolStage: 'primary', surname: '周' })
  await insertChild(app, { age: 10, schoolStage: 'primary', surname: '吴' })
  await insertCourse(app, { seats: 1, minAge: 6, maxAge: 12 })
  const count = async (state?: string) => Number((await app.db.selectFrom('vouchers').select(eb => eb.fn.countAll<string>().as('n'))
    .where('half_year', '=', halfYear).where('region_code', 'like', '330503101%').$if(state !== undefined, q => q.where('state', '=', state as 'issued')).executeTakeFirstOrThrow()).n)

  const context = await world.context()
  const page = await context.newPage()
  await signInOnPage(page, 'mz-nanxun')
  await page.goto('/work/vouchers')
  await shown(page.getByRole('heading', { name: '培训券', level: 1 }))
  await checkPage(t, page, 'work-vouchers')

  await page.getByRole('link', { name: '发放培训券' }).click()
  await shown(page.getByRole('heading', { name: '这一步会做什么' }))
  t.equal(await page.getByLabel('地区').inputValue(), '330503101', 'the officer\'s own town')
  await checkPage(t, page, 'work-voucher-issue')
  await page.getByRole('button', { name: '确认发放' }).click()
  await page.waitForURL(/\/work\/vouchers\?show=without-class$/)
  const held = await count()
  await shown(page.getByText(`本半年符合条件的孩子 ${held} 人：新发放 2 张培训券，${held - 2} 人此前已有。`))
  await checkPage(t, page, 'work-vouchers-issued')

  await page.goto('/work')
  const waiting = await count('issued')
  await shown(page.locator('[data-queue="children-without-class"] .count').getByText(String(waiting), { exact: true }))
  await page.locator('[data-queue="children-without-class"] a').click()
  await page.waitForURL(/\/work\/vouchers\?show=without-class$/)
  await shown(page.getByText(`共 ${waiting} 个孩子尚未入班，最紧急的在前`))
  await checkPage(t, page, 'work-vouchers-without-class')

  await page.getByRole('link', { name: '分配培训名额' }).click()
  await shown(page.getByRole('heading', { name: '分配培训名额', level: 1 }))
  await checkPage(t, page, 'work-voucher-assign')
  await page.getByRole('button', { name: '确认分配' }).click()
  await page.waitForURL(/\/work\/vouchers\?show=(without-class|placed)$/)
  const placed = waiting - await count('issued')
  t.ok(placed >= 1, 'the new seat is taken')
  await shown(page.getByText(new RegExp(`名额分配完成：${waiting} 个尚未入班的孩子中，${placed} 人分到名额`)))
  await checkPage(t, page, 'work-vouchers-assigned')

  await page.getByRole('link', { name: '已分到名额' }).click()
  await page.waitForURL(/show=placed$/)
  await checkPage(t, page, 'work-vouchers-placed')
  await context.close()
})
