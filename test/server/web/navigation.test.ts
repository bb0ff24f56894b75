// The header's links: each role's own, and one current link — the most specific — where one
// page's address lies under another's (/charity/dashboard under /charity); a long list (the
// workbench's) folds into a few menus, and staff are not offered the public pages.
import t from 'tap'
import type { Principal } from '../../../server/auth/principal.js'
import { homeFor, linksOf, navigationFor, type NavItem } from '../../../server/web/navigation.js'

const person = (roles: Principal['roles'], binding: Partial<Principal> = {}): Principal => ({
  kind: 'session', userId: 1, username: 'someone', displayName: '某人', roles, regionCode: null, organisationId: null, institutionId: null, donorId: null, contactVerified: true, ...binding
})

t.test('one current link, the most specific', async t => {
  const charity = person(['charity_staff'], { organisationId: 1 })
  const current = (path: string) => linksOf(navigationFor(charity, path)).filter(link => link.current).map(link => link.label)
  t.same(current('/charity/dashboard'), ['慈善统计'])
  t.same(current('/charity/projects/3'), ['慈善工作台'])
  t.same(current('/charity'), ['慈善工作台'])
  t.same(current('/account'), [])
})

t.test('each role lands on its own work', async t => {
  t.equal(homeFor(person(['charity_staff'], { organisationId: 1 })), '/charity')
  t.equal(homeFor(person(['institution'], { institutionId: 1 })), '/institution/courses')
  t.equal(homeFor(person(['auditor'], { regionCode: '330503' })), '/audit')
  t.equal(homeFor(person(['admin'])), '/admin')
  t.equal(homeFor(person(['donor'], { donorId: 1 })), '/me/claims')
  t.equal(homeFor(null), '/')
  t.same(linksOf(navigationFor(person(['institution'], { institutionId: 1 }), '/')).map(link => link.href).filter(href => href.startsWith('/institution')), ['/institution/courses', '/institution/redeem'])
})

t.test('培训券 is offered to those who read a region\'s vouchers, not to charity staff or institutions', async t => {
  const labels = (p: Principal) => linksOf(navigationFor(p, '/')).map(link => link.label)
  t.ok(labels(person(['civil_affairs'], { regionCode: '330503101' })).includes('培训券'))
  t.ok(labels(person(['auditor'], { regionCode: '330503' })).includes('培训券'))
  t.ok(labels(person(['admin'])).includes('培训券'))
  t.notOk(labels(person(['charity_staff'], { organisationId: 1 })).includes('培训券'), 'they read vouchers by organisation, not the workbench list')
  t.notOk(labels(person(['institution'], { institutionId: 1 })).includes('培训券'))
})

/** The header as read: plain links by name, menus as 'name▾[links]', the current ones starred. */
const shape = (items: readonly NavItem[]) => items.map(item => 'links' in item
  ? `${item.label}${item.current ? '*' : ''}▾[${item.links.map(l => `${l.label}${l.current ? '*' : ''}`).join(' ')}]`
  : `${item.label}${item.current ? '*' : ''}`)

t.test('the workbench folds into a few menus; short lists stay flat; staff are not offered the public pages', async t => {
  const town = person(['civil_affairs'], { regionCode: '330503101' })
  t.same(shape(navigationFor(town, '/work')), ['工作台*', '家庭', '预警处置', '帮扶▾[心愿 认领 帮扶推荐 梦想小屋 培训券]', '数据▾[部门数据 花名册 统计看板]'])
  t.same(shape(navigationFor(town, '/work/wishes/12')), ['工作台', '家庭', '预警处置', '帮扶*▾[心愿* 认领 帮扶推荐 梦想小屋 培训券]', '数据▾[部门数据 花名册 统计看板]'], 'the menu holding the page is current, and only its most specific link')
  t.same(shape(navigationFor(person(['admin']), '/admin/monitoring/rules')), ['工作台', '家庭', '预警处置', '帮扶▾[心愿 认领 帮扶推荐 梦想小屋 培训券]', '数据▾[部门数据 花名册 统计看板]', '慈善▾[慈善工作台 慈善统计]', '管理*▾[系统管理 预警设置* 审计]'])
  t.same(shape(navigationFor(person(['auditor'], { regionCode: '330503' }), '/audit')), ['工作台', '家庭', '预警处置', '帮扶▾[心愿 认领 帮扶推荐 梦想小屋 培训券]', '数据▾[部门数据 花名册 统计看板]', '审计*'], 'a menu of one is just the link')
  t.same(shape(navigationFor(person(['charity_staff'], { organisationId: 1 }), '/charity/dashboard')), ['慈善工作台', '慈善统计*'])
  t.same(shape(navigationFor(person(['institution'], { institutionId: 1 }), '/')), ['培训课程', '核销培训券'])
  t.same(shape(navigationFor(person(['donor'], { donorId: 1 }), '/wishes')), ['微心愿*', '慈善项目', '公益成效', '我的认领', '为我推荐', '感谢与消息', '捐赠偏好'])
  t.same(shape(navigationFor(null, '/')), ['微心愿', '慈善项目', '公益成效'])
})
