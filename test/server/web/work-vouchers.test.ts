// Training vouchers on the civil-affairs workbench without a browser: the county sees both
// towns' entitled children and a town officer only their own; issuing and then assigning seats
// change the counts (the list's, the home's); a town officer cannot act for another town (403,
// as the API); a bad region is shown beside its field.
import t from 'tap'
import { appWithAccounts } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { fieldError, PageClient, textOf } from '../../helpers/pages.js'
import { today } from '../../../server/clock.js'
import { daysLeft } from '../../../server/vouchers/half-year.js'
import { insertChild, insertCourse, NOW, OTHER_VILLAGE } from '../vouchers/fixtures.js'

async function world (t: Parameters<typeof appWithAccounts>[0]) {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  // Entitled (low-income support, kindergarten to junior): 王 and 李 in 南浔镇, 赵 in 双林镇; 陈 (dibao) is not.
  await insertChild(app, { age: 9, schoolStage: 'primary', surname: '王' })
  await insertChild(app, { age: 13, schoolStage: 'junior', surname: '李' })
  await insertChild(app, { village: OTHER_VILLAGE, age: 5, schoolStage: 'kindergarten', surname: '赵' })
  await insertChild(app, { category: 'dibao', age: 9, surname: '陈' })
  // One seat in 南浔镇 for ages 6–12: 王 fits it, 李 (13) does not.
  await insertCourse(app, { seats: 1, minAge: 6, maxAge: 12 })
  return app
}

t.test('issuing, then assigning, as the county and as a town officer', async t => {
  const app = await world(t)
  const clerk = new PageClient(app)
  await clerk.signIn('mz-county')
  const empty = textOf((await clerk.get('/work/vouchers')).body)
  t.match(empty, /湖州市南浔区本半年还没有发放培训券。/)
  t.match(empty, new RegExp(`本半年还剩 ${daysLeft(NOW, today())} 天`))

  const confirm = await clerk.get('/work/vouchers/issue')
  t.match(textOf(confirm.body), /已经有券的孩子不会重复发放/, 'the confirmation says what issuing does')
  t.match(confirm.body, /<option value="330503" selected>湖州市南浔区（全部乡镇）<\/option>/, 'the whole county first')
  t.match(confirm.body, /<option value="330503102">双林镇<\/option>/, 'or one of its towns')

  const issued = await clerk.post('/work/vouchers/issue', { regionCode: '330503' })
  t.equal(issued.statusCode, 303)
  t.equal(issued.headers.location, '/work/vouchers?show=without-class')
  const afterIssue = textOf((await clerk.follow(issued)).body)
  t.match(afterIssue, /本半年符合条件的孩子 3 人：新发放 3 张培训券，0 人此前已有。下一步：分配培训名额。/)
  t.match(afterIssue, /共 3 个孩子尚未入班/)
  t.notMatch(afterIssue, /陈\*\*/, 'a dibao child is not entitled under this rule')
  t.match(afterIssue, new RegExp(`赵\\*\\* 双林镇 5 岁 未入班 — 还剩 ${daysLeft(NOW, today())} 天`))
  t.match((await clerk.get('/work')).body, 'href="/work/vouchers?show&#x3D;without-class"', 'the home\'s count links to the filter')
  t.match(textOf((await clerk.get('/work')).body), /3 本半年尚未入班的孩子/)

  const officer = new PageClient(app)
  await officer.signIn('mz-nanxun')
  const town = textOf((await officer.get('/work/vouchers')).body)
  t.match(town, /共 2 个孩子/)
  t.notMatch(town, /赵\*\*/, 'another town\'s child is not listed')
  const townConfirm = await officer.get('/work/vouchers/assign')
  t.notMatch(townConfirm.body, /330503102/, 'a town officer is offered only their town')
  t.match(townConfirm.body, /<option value="330503101" selected>南浔镇<\/option>/)
  const other = await officer.post('/work/vouchers/assign', { regionCode: '330503102' })
  t.equal(other.statusCode, 403, 'nor may act for another town')
  const bad = await officer.post('/work/vouchers/assign', { regionCode: '南浔' })
  t.equal(bad.statusCode, 400)
  t.ok(fieldError(bad.body, 'regionCode'), 'a bad region is shown beside its field')

  const assigned = await officer.post('/work/vouchers/assign', { regionCode: '330503101' })
  t.equal(assigned.statusCode, 303)
  const afterAssign = textOf((await officer.follow(assigned)).body)
  t.match(afterAssign, /名额分配完成：2 个尚未入班的孩子中，1 人分到名额，1 人仍未分到（1 人附近没有适合其年龄、尚有空位的课程）。/)
  t.match(afterAssign, /共 1 个孩子尚未入班/)
  t.match(afterAssign, /李\*\* 南浔镇 13 岁 未入班/)
  t.match(textOf((await officer.get('/work/vouchers?show=placed')).body), new RegExp(`共 1 个孩子 孩子 乡镇 年龄 状态 课程 券还能用 王\\*\\* 南浔镇 9 岁 已分到名额 书法兴趣班 还剩 ${daysLeft(NOW, today())} 天`))

  const county = textOf((await clerk.get('/work/vouchers?show=without-class')).body)
  t.match(county, /共 2 个孩子尚未入班/, '李 and 赵 are left for the county')
  t.match(textOf((await clerk.get('/work')).body), /2 本半年尚未入班的孩子/)
  const audits = await app.db.selectFrom('audit_records').select(['action', 'record_id']).where('action', 'like', 'voucher.%').orderBy('id').execute()
  t.same(audits, [{ action: 'voucher.issue', record_id: '330503' }, { action: 'voucher.assign', record_id: '330503101' }], 'each step audited once, as by the API')

  const auditor = new PageClient(app)
  await auditor.signIn('auditor')
  const read = await auditor.get('/work/vouchers')
  t.equal(read.statusCode, 200, 'an auditor reads the list')
  t.notMatch(read.body, /href="\/work\/vouchers\/issue"/, 'but is offered no step')
  t.equal((await auditor.post('/work/vouchers/issue', { regionCode: '330503' })).statusCode, 403)
})
