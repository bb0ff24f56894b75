// The header's links: each role's own, and one current link — the most specific — where one
// page's address lies under another's (/charity/dashboard under /charity).
import t from 'tap'
import type { Principal } from '../../../server/auth/principal.js'
import { homeFor, navigationFor } from '../../../server/web/navigation.js'

const person = (roles: Principal['roles'], binding: Partial<Principal> = {}): Principal => ({
  kind: 'session', userId: 1, username: 'someone', displayName: '某人', roles, regionCode: null, organisationId: null, institutionId: null, donorId: null, contactVerified: true, ...binding
})

t.test('one current link, the most specific', async t => {
  const charity = person(['charity_staff'], { organisationId: 1 })
  const current = (path: string) => navigationFor(charity, path).filter(link => link.current).map(link => link.label)
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
  t.same(navigationFor(person(['institution'], { institutionId: 1 }), '/').map(link => link.href).filter(href => href.startsWith('/institution')), ['/institution/courses', '/institution/redeem'])
})

t.test('培训券 is offered to those who read a region\'s vouchers, not to charity staff or institutions', async t => {
  const labels = (p: Principal) => navigationFor(p, '/').map(link => link.label)
  t.ok(labels(person(['civil_affairs'], { regionCode: '330503101' })).includes('培训券'))
  t.ok(labels(person(['auditor'], { regionCode: '330503' })).includes('培训券'))
  t.ok(labels(person(['admin'])).includes('培训券'))
  t.notOk(labels(person(['charity_staff'], { organisationId: 1 })).includes('培训券'), 'they read vouchers by organisation, not the workbench list')
  t.notOk(labels(person(['institution'], { institutionId: 1 })).includes('培训券'))
})
