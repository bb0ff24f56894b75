import t from 'tap'
import { ACTIONS, authorize, changesData, listScope, regionScopeFor, type Action } from '../../../server/auth/policy.js'
import type { Principal } from '../../../server/auth/principal.js'
import { ROLES, type Role } from '../../../server/auth/roles.js'

const person = (roles: Role[], extra: Partial<Principal> = {}): Principal => ({
  kind: 'session', userId: 1, username: 'u', displayName: 'u', roles, regionCode: null,
  organisationId: null, institutionId: null, donorId: null, contactVerified: true, ...extra
})

t.test('auditors read, never change', async t => {
  const auditor = person(['auditor'], { regionCode: '330503' })
  for (const action of ACTIONS) {
    if (changesData(action)) t.notOk(authorize(auditor, action), `auditor may not ${action}`)
  }
  t.ok(authorize(auditor, 'household.read_pii', { regionCode: '330503101001' }))
})

t.test('region reach is a prefix of the record\'s region; records without a region are out of reach', async t => {
  const town = person(['civil_affairs'], { regionCode: '330503101' })
  t.ok(authorize(town, 'household.write', { regionCode: '330503101' }))
  t.ok(authorize(town, 'household.write', { regionCode: '330503101204' }))
  t.notOk(authorize(town, 'household.write', { regionCode: '330503102' }))
  t.notOk(authorize(town, 'household.write', { regionCode: '330503' }), 'not the county above it')
  t.notOk(authorize(town, 'household.write', {}))
  t.same(regionScopeFor(town, 'household.read'), { regionPrefix: '330503101' })
  t.same(regionScopeFor(person(['admin']), 'household.read'), { regionPrefix: '' })
  t.throws(() => regionScopeFor(person(['donor'], { donorId: 3 }), 'household.read'), /forbidden/)
})

t.test('ownership reach: organisation, institution, donor', async t => {
  const staff = person(['charity_staff'], { organisationId: 7 })
  t.ok(authorize(staff, 'project.write', { organisationId: 7 }))
  t.notOk(authorize(staff, 'project.write', { organisationId: 8 }))
  const school = person(['institution'], { institutionId: 4 })
  t.same(listScope(school, 'voucher.read'), { everywhere: false, institutionId: 4 })
  t.notOk(authorize(school, 'need.read'), 'institutions do not browse needs')
  const donor = person(['donor'], { donorId: 9 })
  t.same(listScope(donor, 'claim.read'), { everywhere: false, donorId: 9 })
  t.notOk(authorize(donor, 'claim.fulfil', { donorId: 10 }))
  t.notOk(authorize(donor, 'household.read'), 'donors never see the registry')
  t.same(listScope(person(['admin']), 'claim.read'), { everywhere: true })
})

t.test('nobody, and unknown combinations, get nothing', async t => {
  for (const action of ACTIONS) t.notOk(authorize(null, action))
  t.notOk(authorize(person([]), 'region.read'))
  // Each role can do at least one thing; admin everything but the donors' and institutions' own acts.
  for (const role of ROLES) t.ok(ACTIONS.some(action => authorize(person([role], { regionCode: '330503', organisationId: 1, institutionId: 1, donorId: 1 }), action)), role)
  t.same(ACTIONS.filter((action: Action) => !authorize(person(['admin']), action)), ['wish.claim', 'donor.self', 'claim.fulfil', 'voucher.redeem'])
})

t.test('tokens are narrowed to their scopes', async t => {
  const token = person(['civil_affairs'], { kind: 'token', regionCode: '330503', scopes: ['household.import'] })
  t.ok(authorize(token, 'household.import', { regionCode: '330503101' }))
  t.notOk(authorize(token, 'household.read'))
  t.notOk(authorize({ ...token, scopes: ['user.manage'] }, 'user.manage'), 'a scope cannot add what the role lacks')
})
