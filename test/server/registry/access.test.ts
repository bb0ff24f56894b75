// The registry's route groups against every role, inside and outside the role's region.
import t from 'tap'
import { makeResidentId } from '../../../matching/resident-id.js'
import { appWithAccounts, signIn, type Session } from '../../helpers/accounts.js'
import { insertBareHousehold, insertRegionTree } from '../../helpers/fixtures.js'

type Who = 'anonymous' | 'admin' | 'mz-county' | 'mz-nanxun' | 'cszh' | 'donor-person' | 'donor-company' | 'training' | 'auditor'
const PEOPLE: Who[] = ['anonymous', 'admin', 'mz-county', 'mz-nanxun', 'cszh', 'donor-person', 'donor-company', 'training', 'auditor']

//                                        anon adm  mzC  mzT  cszh dPer dCom trn  aud
const MATRIX: Record<string, number[]> = {
  'GET regions':                         [401, 200, 200, 200, 200, 200, 200, 200, 200],
  'POST evaluate (demo mode)':           [200, 200, 200, 200, 200, 200, 200, 200, 200],
  'GET households':                      [401, 200, 200, 200, 403, 403, 403, 403, 200],
  'GET household in 南浔镇':             [401, 200, 200, 200, 403, 403, 403, 403, 200],
  'GET household in 双林镇':             [401, 200, 200, 404, 403, 403, 403, 403, 200],
  'GET pii in 南浔镇':                   [401, 200, 200, 200, 403, 403, 403, 403, 200],
  'GET pii in 双林镇':                   [401, 200, 200, 404, 403, 403, 403, 403, 200],
  'GET decisions in 南浔镇':             [401, 200, 200, 200, 403, 403, 403, 403, 200],
  'POST household in 南浔镇':            [401, 201, 201, 201, 403, 403, 403, 403, 403],
  'POST household in 双林镇':            [401, 201, 201, 403, 403, 403, 403, 403, 403],
  'POST assistance in 南浔镇':           [401, 201, 201, 201, 403, 403, 403, 403, 403],
  'POST assistance in 双林镇':           [401, 201, 201, 404, 403, 403, 403, 403, 403],
  'POST import':                         [401, 202, 202, 202, 403, 403, 403, 403, 403],
  'GET policy profiles':                 [401, 200, 200, 200, 200, 403, 403, 403, 200],
  'POST parameter version':              [401, 201, 403, 403, 403, 403, 403, 403, 403]
}

t.test('registry access matrix', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const inTown = await insertBareHousehold(app.db, '330503101001')
  const elsewhere = await insertBareHousehold(app.db, '330503102001')
  const sessions = new Map<Who, Session>()
  for (const who of PEOPLE) if (who !== 'anonymous') sessions.set(who, await signIn(app, who))
  let sequence = 100

  const evaluate = { profile: 'nanxun-2025', household: { annualIncome: 12000, propertyCompliant: true, members: [{ birthDate: '1950-01-01', laborCapacity: 'none' }] } }
  const newHousehold = (regionCode: string) => ({
    regionCode, annualIncome: 9000, propertyCompliant: true,
    members: [{ name: '测试户主', idNumber: makeResidentId('330503', '1961-01-01', sequence++ * 2, 'male'), relation: 'head', laborCapacity: 'weak' }]
  })
  const requests: Record<string, () => { method: 'GET' | 'POST', url: string, payload?: unknown, headers?: Record<string, string> }> = {
    'GET regions': () => ({ method: 'GET', url: '/api/v1/regions?parent=330503' }),
    'POST evaluate (demo mode)': () => ({ method: 'POST', url: '/api/v1/eligibility/evaluate', payload: evaluate }),
    'GET households': () => ({ method: 'GET', url: '/api/v1/households' }),
    'GET household in 南浔镇': () => ({ method: 'GET', url: `/api/v1/households/${inTown}` }),
    'GET household in 双林镇': () => ({ method: 'GET', url: `/api/v1/households/${elsewhere}` }),
    'GET pii in 南浔镇': () => ({ method: 'GET', url: `/api/v1/households/${inTown}/pii` }),
    'GET pii in 双林镇': () => ({ method: 'GET', url: `/api/v1/households/${elsewhere}/pii` }),
    'GET decisions in 南浔镇': () => ({ method: 'GET', url: `/api/v1/households/${inTown}/decisions` }),
    'POST household in 南浔镇': () => ({ method: 'POST', url: '/api/v1/households', payload: newHousehold('330503101001') }),
    'POST household in 双林镇': () => ({ method: 'POST', url: '/api/v1/households', payload: newHousehold('330503102001') }),
    'POST assistance in 南浔镇': () => ({ method: 'POST', url: `/api/v1/households/${inTown}/assistance`, payload: { kind: 'temporary_assistance', value: 100, occurredOn: '2025-09-01', provider: '民政' } }),
    'POST assistance in 双林镇': () => ({ method: 'POST', url: `/api/v1/households/${elsewhere}/assistance`, payload: { kind: 'temporary_assistance', value: 100, occurredOn: '2025-09-01', provider: '民政' } }),
    'POST import': () => ({ method: 'POST', url: '/api/v1/imports', headers: { 'content-type': 'text/csv' }, payload: '户编号,村社区代码,姓名,身份证号,与户主关系,劳动能力\n' }),
    'GET policy profiles': () => ({ method: 'GET', url: '/api/v1/policy/profiles' }),
    'POST parameter version': () => ({ method: 'POST', url: '/api/v1/policy/profiles/nanxun-2025/parameters', payload: { key: 'dibaoMonthly', value: 1300, effectiveFrom: '2026-01-01', note: '测试' } })
  }

  for (const [probe, expected] of Object.entries(MATRIX)) {
    for (const [i, who] of PEOPLE.entries()) {
      const { payload, ...request } = requests[probe]!()
      const options = { ...request, ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : payload as object }) }
      const session = sessions.get(who)
      const response = session ? await session.call(options) : await app.inject(options)
      t.equal(response.statusCode, expected[i], `${who}: ${probe}`)
    }
  }
})
