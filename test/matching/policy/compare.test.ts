import t from 'tap'
import { compareDecisions, type ComparedDecision } from '../../../matching/policy/index.js'

const current: ComparedDecision = {
  category: 'dibao_edge', profileVersion: 'nanxun-2025@2025-06-28#aaaa1111', perCapitaMonthlyIncome: 1500, status: 'active', gradualExitUntil: null,
  members: [
    { personId: 11, category: 'dibao_edge', reason: '家庭为最低生活保障边缘家庭，本人为其成员', lowIncomeFarmer: true },
    { personId: 12, category: 'tekun', reason: '本人…特困人员按人认定', lowIncomeFarmer: true },
    { personId: 13, category: 'dibao_edge', reason: '家庭为最低生活保障边缘家庭，本人为其成员', lowIncomeFarmer: false }
  ]
}

t.test('nothing to change', async t => {
  t.same(compareDecisions(current, current), { same: true, changes: [], members: [] })
})

t.test('household, parameters and persons: each change in words', async t => {
  const next: ComparedDecision = {
    ...current, category: 'low_income_support', profileVersion: 'nanxun-2025@2025-10-01#bbbb2222', perCapitaMonthlyIncome: 2100,
    members: [
      { personId: 11, category: 'low_income_support', reason: '家庭为低收入帮扶家庭，本人为其成员', lowIncomeFarmer: false },
      { personId: 12, category: 'tekun', reason: '本人…特困人员按人认定', lowIncomeFarmer: true },
      { personId: 14, category: 'low_income_support', reason: '家庭为低收入帮扶家庭，本人为其成员', lowIncomeFarmer: false }
    ]
  }
  const result = compareDecisions(current, next)
  t.equal(result.same, false)
  t.same(result.changes.map(c => c.says), [
    '家庭类别：最低生活保障边缘家庭 → 低收入帮扶家庭',
    '参数版本：nanxun-2025@2025-06-28#aaaa1111 → nanxun-2025@2025-10-01#bbbb2222',
    '核算人均月收入（元）：1500 → 2100'
  ])
  t.same(result.members.map(m => [m.personId, m.kind, m.from, m.to, m.says]), [
    [11, 'changed', 'dibao_edge', 'low_income_support', '最低生活保障边缘家庭 → 低收入帮扶家庭；不再是低收入农户'],
    [14, 'joined', null, 'low_income_support', '低收入帮扶家庭（现行决定中没有此人的认定）'],
    [13, 'left', 'dibao_edge', null, '不再计入本户（原为最低生活保障边缘家庭）']
  ], 'member 12 is unchanged and not listed')
})

t.test('a 渐退期 that would begin, and a first decision', async t => {
  const kept = compareDecisions(current, { ...current, status: 'gradual_exit', gradualExitUntil: '2026-08-31' })
  t.same(kept.changes.map(c => [c.field, c.from, c.to]), [['status', 'active', 'gradual_exit'], ['gradualExitUntil', null, '2026-08-31']])
  const first = compareDecisions(null, current)
  t.same(first.changes.map(c => c.field), ['category', 'status', 'profileVersion', 'perCapitaMonthlyIncome'], 'no 渐退期 either side')
  t.same(first.members.map(m => m.kind), ['joined', 'joined', 'joined'])
  // A decision from before persons were recorded names no one: every person is new to it.
  t.same(compareDecisions({ ...current, members: [] }, current).members.map(m => [m.personId, m.kind]), [[11, 'joined'], [12, 'joined'], [13, 'joined']])
})

t.test('a flag alone is a change', async t => {
  const ill = compareDecisions(current, { ...current, members: current.members.map(m => m.personId === 13 ? { ...m, illnessImpoverished: true } : m) })
  t.same(ill.members.map(m => [m.personId, m.kind, m.says]), [[13, 'changed', '成为因病致贫重病患者']])
})
