import t from 'tap'
import { makeResidentId } from '../../../matching/resident-id.js'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'

t.test('a new parameter version applies from its day on and never rewrites old decisions', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const admin = await signIn(app, 'admin')
  const clerk = await signIn(app, 'mz-nanxun')

  const profiles = await clerk.call({ method: 'GET', url: '/api/v1/policy/profiles?asOf=2025-09-01' })
  t.equal(profiles.statusCode, 200)
  const nanxun = profiles.json().find((p: { id: string }) => p.id === 'nanxun-2025')
  t.match(nanxun.parameters.find((p: { key: string }) => p.key === 'dibaoMonthly'), { value: 1200, demo: true, unit: '元/人/月' })
  t.match(nanxun.parameters.find((p: { key: string }) => p.key === 'edgeMultiplier'), { value: 2, demo: false, placeholderDate: false, effectiveFrom: '2025-06-28', source: '000_6379457d8a0eea12.txt 二' })
  const shanxi = profiles.json().find((p: { id: string }) => p.id === 'shanxi-county')
  t.match(shanxi.parameters.find((p: { key: string }) => p.key === 'edgeMultiplier'), { value: 1.5, demo: false, placeholderDate: true, source: /工作任务\(一\)3；生效日期为占位值/ }, 'the undated document\'s day is marked')

  // One person, 1,100 a month: dibao under the demo standard of 1,200.
  const created = await clerk.call({
    method: 'POST', url: '/api/v1/households',
    payload: {
      regionCode: '330503101001', annualIncome: 13200, propertyCompliant: true,
      members: [{ name: '陈桂英', idNumber: makeResidentId('330503', '1962-02-02', 20, 'female'), relation: 'head', laborCapacity: 'weak', schoolStage: 'none' }]
    }
  })
  t.equal(created.statusCode, 201, created.body)
  t.equal(created.json().category, 'dibao')

  const denied = await clerk.call({ method: 'POST', url: '/api/v1/policy/profiles/nanxun-2025/parameters', payload: { key: 'dibaoMonthly', value: 1050, effectiveFrom: '2025-10-01', note: '浔民发〔2025〕1号' } })
  t.equal(denied.statusCode, 403, 'only administrators change parameters')
  const added = await admin.call({ method: 'POST', url: '/api/v1/policy/profiles/nanxun-2025/parameters', payload: { key: 'dibaoMonthly', value: 1050, effectiveFrom: '2025-10-01', note: '浔民发〔2025〕1号' } })
  t.equal(added.statusCode, 201, added.body)
  const again = await admin.call({ method: 'POST', url: '/api/v1/policy/profiles/nanxun-2025/parameters', payload: { key: 'dibaoMonthly', value: 1060, effectiveFrom: '2025-10-01', note: '重复' } })
  t.equal(again.statusCode, 409)
  const unknownKey = await admin.call({ method: 'POST', url: '/api/v1/policy/profiles/nanxun-2025/parameters', payload: { key: 'moonPhase', value: 1, effectiveFrom: '2025-10-01', note: '无' } })
  t.equal(unknownKey.statusCode, 400)
  t.equal(unknownKey.json().error.details[0].field, 'body.key')
  const refused: Array<[string, string, number, RegExp]> = [
    ['nanxun-2025', 'edgeMultiplier', 0, /大于 1/],
    ['jiyuan-2024', 'rigidExpenseShare', 1.5, /不能超过 1/],
    ['nanxun-2025', 'gradualExitMonths', 2.5, /整数/],
    ['gansu-2023', 'gradualExitMonths', 7, /不能超过 6.*三\(二\)/],
    ['shanxi-county', 'minWageMonthly', 2000, /不使用参数/],
    ['nanxun-2025', 'dibaoMonthly', 0, /大于 0/]
  ]
  for (const [profile, key, value, message] of refused) {
    const response = await admin.call({ method: 'POST', url: `/api/v1/policy/profiles/${profile}/parameters`, payload: { key, value, effectiveFrom: '2025-10-01', note: '测试' } })
    t.equal(response.statusCode, 400, `${profile} ${key} = ${value}`)
    t.match(response.json().error, { code: 'validation_failed', details: [{ field: 'body.value', code: 'invalid_parameter', message }] }, `${profile} ${key} = ${value}`)
  }
  const gansu = profiles.json().find((p: { id: string }) => p.id === 'gansu-2023')
  t.match(gansu.parameters.find((p: { key: string }) => p.key === 'gradualExitMonths'), { value: 6, max: 6, maxSource: /三\(二\)/, integer: true }, 'the limits are listed with the parameters')

  const [first] = (await clerk.call({ method: 'GET', url: `/api/v1/households/${created.json().id}/decisions` })).json()
  t.match(first, { category: 'dibao', profileVersion: /^nanxun-2025@2025-06-28#/ })
  const reclassified = await clerk.call({ method: 'POST', url: `/api/v1/households/${created.json().id}/reclassify`, payload: { asOf: '2025-10-01' } })
  t.equal(reclassified.statusCode, 200)
  t.equal(reclassified.json().category, 'dibao', '1,100 is above the new standard of 1,050: 边缘 now, and 低保 is kept through the 渐退期 (Nanxun 三(一))')
  t.match(reclassified.json().trace.at(-1), { rule: 'gradual_exit_keeps_category', inputs: { assessedCategory: 'dibao_edge', keptCategory: 'dibao', until: '2026-10-31' } })
  const history = (await clerk.call({ method: 'GET', url: `/api/v1/households/${created.json().id}/decisions` })).json()
  t.equal(history.length, 2)
  t.same(history[1], first, 'the first decision is untouched: id, profile version, trace and all')
  t.not(history[0].profileVersion, history[1].profileVersion)

  const tooEarly = await clerk.call({ method: 'POST', url: `/api/v1/households/${created.json().id}/reclassify`, payload: { asOf: '2020-01-01' } })
  t.equal(tooEarly.statusCode, 409)
  t.equal(tooEarly.json().error.code, 'parameter_missing')
})
