// Audit records of account changes and exports carry the region they concern, so that a
// region's auditor sees them (records without a region are for administrators only).
import t from 'tap'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { makeResidentId } from '../../../matching/resident-id.js'
import { parse } from 'csv-parse/sync'
import { CSV_COLUMNS } from '../../../server/audit/search.js'

const TOWN = '330503101'

t.test('a town auditor sees the changes to the town\'s accounts and its own export', async t => {
  const app = await appWithAccounts(t)
  const admin = await signIn(app, 'admin')
  const created = await admin.call({
    method: 'POST', url: '/api/v1/users',
    payload: { username: 'audit-town', displayName: '镇审计', password: 'long-enough-pass-1', roles: ['auditor'], regionCode: TOWN }
  })
  const staff = await admin.call({
    method: 'POST', url: '/api/v1/users',
    payload: { username: 'mz-town-2', displayName: '镇干事', password: 'long-enough-pass-1', roles: ['civil_affairs'], regionCode: TOWN }
  })
  const id = staff.json().id
  t.equal((await admin.call({ method: 'PATCH', url: `/api/v1/users/${id}`, payload: { displayName: '镇干事（改）' } })).statusCode, 200)
  t.equal((await admin.call({ method: 'POST', url: `/api/v1/users/${id}/sign-out-everywhere` })).statusCode, 200)
  const token = await admin.call({
    method: 'POST', url: `/api/v1/users/${id}/tokens`,
    payload: { name: '对接', scopes: ['household.read'], expiresAt: new Date(Date.now() + 86400_000).toISOString() }
  })
  t.equal(token.statusCode, 201)
  t.equal((await admin.call({ method: 'DELETE', url: `/api/v1/users/${id}/tokens/${token.json().id}` })).statusCode, 200)
  // Moved to an organisation, its region binding removed: the change still concerns the town.
  const organisation = await app.db.selectFrom('organisations').select('id').executeTakeFirstOrThrow()
  const moved = await admin.call({ method: 'PATCH', url: `/api/v1/users/${id}`, payload: { roles: ['charity_staff'], organisationId: organisation.id, regionCode: null } })
  t.equal(moved.statusCode, 200)
  t.equal(moved.json().regionCode, null)

  const auditor = await signIn(app, 'audit-town', 'long-enough-pass-1')
  t.equal(created.statusCode, 201)
  const exported = await auditor.call({ method: 'GET', url: '/api/v1/audit/export.csv' })
  t.equal(exported.statusCode, 200)
  t.equal(exported.headers['content-type'], 'text/csv; charset=utf-8')
  const seen = (await auditor.call({ method: 'GET', url: '/api/v1/audit' })).json().records as Array<{ id: number, action: string, regionCode: string, hash: string }>
  // The export holds what the search shows the auditor — its own export's record included — newest first.
  const [header, ...rows] = parse(exported.body.replace(/^\uFEFF/, '')) as string[][]
  t.same(header, [...CSV_COLUMNS])
  const column = (name: typeof CSV_COLUMNS[number]) => rows.map(row => row[CSV_COLUMNS.indexOf(name)])
  t.same(column('id'), seen.map(r => String(r.id)), 'the records the auditor may see, and only those')
  t.same(column('action'), seen.map(r => r.action))
  t.same(column('hash'), seen.map(r => r.hash), 'each with its chain hash')
  const actions = seen.map(r => r.action)
  for (const action of ['user.created', 'user.updated', 'user.signed_out_everywhere', 'token.created', 'token.revoked', 'auth.sign_in', 'audit.exported']) {
    t.ok(actions.includes(action), `${action} is visible to the town's auditor`)
  }
  t.ok(seen.every(r => r.regionCode.startsWith(TOWN)))
  t.equal(seen.find(r => r.action === 'audit.exported')?.regionCode, TOWN, 'the export carries the exporter\'s region')
  t.equal(seen.filter(r => r.action === 'user.updated').length, 2, 'both changes, also the one that removed the binding')
})

t.test('reading the donor list (names, phones, e-mails) is audited under the reader\'s organisation\'s region', async t => {
  const app = await appWithAccounts(t)
  const donors = await app.db.selectFrom('donors').select('id').orderBy('id').execute()
  t.ok(donors.length > 0, 'the demo donors exist')
  const charity = await signIn(app, 'cszh')
  const list = await charity.call({ method: 'GET', url: '/api/v1/donors' })
  t.equal(list.statusCode, 200)
  t.same(list.json().map((d: { id: number }) => d.id), donors.map(d => d.id))
  const organisation = await app.db.selectFrom('users as u').innerJoin('organisations as o', 'o.id', 'u.organisation_id')
    .select(['o.id', 'o.region_code']).where('u.username', '=', 'cszh').executeTakeFirstOrThrow()
  const records = await app.db.selectFrom('audit_records').select(['actor', 'record_type', 'record_id', 'region_code', 'details']).where('action', '=', 'donor.read_contacts').execute()
  t.same(records, [{
    actor: 'cszh', record_type: 'donor_list', record_id: String(organisation.id), region_code: organisation.region_code,
    details: { fields: ['name', 'phone', 'email'], donorIds: donors.map(d => d.id) }
  }])
})

t.test('registry changes and project changes carry their region: the town\'s and the county\'s auditors see them', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const admin = await signIn(app, 'admin')
  t.equal((await admin.call({
    method: 'POST', url: '/api/v1/users',
    payload: { username: 'audit-town', displayName: '镇审计', password: 'long-enough-pass-1', roles: ['auditor'], regionCode: TOWN }
  })).statusCode, 201)
  const clerk = await signIn(app, 'mz-nanxun')
  const village = `${TOWN}001`
  const created = await clerk.call({
    method: 'POST', url: '/api/v1/households',
    payload: { regionCode: village, annualIncome: 6000, propertyCompliant: true, members: [{ name: '吴一', idNumber: makeResidentId('330503', '1950-02-02', 41, 'male'), relation: 'head', laborCapacity: 'none' }] }
  })
  t.equal(created.statusCode, 201, created.body)
  const household = created.json()
  const entry = await clerk.call({ method: 'POST', url: `/api/v1/households/${household.id}/assistance`, payload: { kind: 'temporary_assistance', value: 500, occurredOn: '2026-01-05', provider: '南浔镇民政' } })
  t.equal(entry.statusCode, 201)
  t.equal((await clerk.call({ method: 'POST', url: `/api/v1/assistance/${entry.json().id}/reversal`, payload: { reason: '重复录入' } })).statusCode, 201)
  t.equal((await clerk.call({ method: 'POST', url: `/api/v1/households/${household.id}/reclassify`, payload: {} })).statusCode, 200)
  t.equal((await clerk.call({ method: 'PATCH', url: `/api/v1/households/${household.id}`, payload: { annualIncome: 7000 } })).statusCode, 200)

  const townAuditor = await signIn(app, 'audit-town', 'long-enough-pass-1')
  const seen = (await townAuditor.call({ method: 'GET', url: '/api/v1/audit?limit=500' })).json().records as Array<{ action: string, regionCode: string, recordId: string, before: unknown }>
  const byAction = (action: string) => seen.filter(r => r.action === action).map(r => ({ regionCode: r.regionCode, recordId: r.recordId }))
  t.same(byAction('household.create'), [{ regionCode: village, recordId: String(household.id) }])
  t.same(byAction('assistance.append'), [{ regionCode: village, recordId: String(entry.json().id) }], 'the town auditor sees the assistance appended in the town')
  t.equal(byAction('assistance.reverse').length, 1)
  t.same(byAction('household.reclassify'), [{ regionCode: village, recordId: String(household.id) }])
  t.same(seen.find(r => r.action === 'household.reclassify')?.before, { category: household.category, status: 'active' }, 'with what it was before')
  t.equal(byAction('household.update').length, 1)

  const charity = await signIn(app, 'cszh')
  const project = await charity.call({
    method: 'POST', url: '/api/v1/projects',
    payload: { kind: 'wish', title: '冬季暖心', description: '冬衣', budget: 1000, unitCost: 100, capacity: 10, eligibility: {} }
  })
  t.equal(project.statusCode, 201, project.body)
  t.equal((await charity.call({ method: 'POST', url: `/api/v1/projects/${project.json().id}/open` })).statusCode, 200)
  const organisation = await app.db.selectFrom('organisations').select('region_code').where('id', '=', project.json().organisationId).executeTakeFirstOrThrow()
  const countyAuditor = await signIn(app, 'auditor')
  const projectTrail = (await countyAuditor.call({ method: 'GET', url: `/api/v1/audit?recordType=project&recordId=${project.json().id}` })).json().records as Array<{ action: string, regionCode: string }>
  t.same(projectTrail.map(r => [r.action, r.regionCode]), [['project.open', organisation.region_code], ['project.create', organisation.region_code]],
    'project records carry the organisation\'s region')
})
