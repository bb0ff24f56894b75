import t from 'tap'
import { Population, type PopulationHousehold } from '../../matching/population.js'
import { rank, explainProposal, type ProjectSpec } from '../../matching/rank.js'
import { explainScore, score, DEFAULT_WEIGHTS, SCORE_FACTORS, type ScoreInputs } from '../../matching/score.js'

const ASOF = '2025-11-01'
const base: ScoreInputs = { category: 'dibao', hardships: [], perCapitaMonthlyIncome: 600, incomeLine: 1200, charityValueLast12Months: 0, daysWaiting: 0, regionCode: '330503101001', near: '', urgency: 0 }

t.test('each score factor moves the score the right way', async t => {
  const s = (changes: Partial<ScoreInputs>) => score({ ...base, ...changes })
  t.ok(s({ category: 'tekun' }) > s({ category: 'dibao' }) && s({ category: 'dibao' }) > s({ category: 'low_income_support' }), 'severity follows 就高 order')
  t.ok(s({ hardships: ['serious_illness', 'accident'] }) > s({}), 'hardships')
  t.ok(s({ perCapitaMonthlyIncome: 100 }) > s({ perCapitaMonthlyIncome: 1100 }), 'a larger income gap')
  t.ok(s({ charityValueLast12Months: 0 }) > s({ charityValueLast12Months: 3000 }), 'less recent help ranks higher')
  t.equal(s({ charityValueLast12Months: 5000 }), s({ charityValueLast12Months: 9000 }), 'saturates')
  t.ok(s({ daysWaiting: 200 }) > s({ daysWaiting: 10 }), 'waiting')
  t.ok(s({ near: '330503101001' }) > s({ near: '330503101' }) && s({ near: '330503101' }) > s({ near: '330503102' }), 'proximity: village, town, elsewhere')
  t.ok(s({ urgency: 0.9 }) > s({ urgency: 0.1 }), 'urgency')
  const explained = explainScore({ ...base, hardships: ['accident'], near: '330503101' })
  t.same(explained.factors.map(f => f.factor), [...SCORE_FACTORS])
  t.equal(Math.round(explained.score * 1e9), Math.round(score({ ...base, hardships: ['accident'], near: '330503101' }) * 1e9), 'the explanation adds up to the score')
  t.match(explained.factors.find(f => f.factor === 'income_gap'), { value: 600, normalised: 0.5, weight: DEFAULT_WEIGHTS.income_gap, contribution: 0.5 * DEFAULT_WEIGHTS.income_gap })
})

function household (id: number, changes: Partial<PopulationHousehold> = {}): PopulationHousehold {
  return { id, regionCode: '330503101001', category: 'dibao', status: 'active', hardships: [], perCapitaMonthlyIncome: 600, incomeLine: 1200, chain: [], ...changes }
}

t.test('ranking applies the rules in order and counts the excluded', async t => {
  const population = new Population(ASOF)
  population.upsert(household(1, { category: 'tekun' }), [{ id: 11, birthDate: '1945-01-01', schoolStage: 'none' }])
  population.upsert(household(2), [{ id: 21, birthDate: '1985-01-01', schoolStage: 'none' }, { id: 22, birthDate: '2015-03-01', schoolStage: 'primary' }])
  population.upsert(household(3, { status: 'exited' }), [{ id: 31, birthDate: '2014-01-01', schoolStage: 'primary' }])
  population.upsert(household(4, { regionCode: '419001001001' }), [{ id: 41, birthDate: '2013-01-01', schoolStage: 'junior' }])
  population.upsert(household(5, { chain: [{ id: 1, source: 'charity', kind: 'wish', tags: [], value: 300, occurredOn: '2025-08-01', reverses: null }] }), [{ id: 51, birthDate: '2012-01-01', schoolStage: 'junior' }])
  population.upsert(household(6, { category: 'none' }), [{ id: 61, birthDate: '2012-01-01', schoolStage: 'junior' }])
  const project: ProjectSpec = { rules: { kind: 'wish', categories: ['tekun', 'dibao'], regionCodes: ['330503'], schoolStages: ['primary', 'junior'], notHelpedSameKindMonths: 6 }, near: '330503101', urgency: 0 }
  const ranking = rank(population, project, ASOF)
  t.same([...ranking.personIds], [22])
  t.same(ranking.excluded, { status: 1, category: 1, region: 1, age: 0, school_stage: 2, hardship: 0, recent_same_kind: 1 })
  const explanation = explainProposal(population, 2, project, ranking)
  t.equal(explanation.factors.length, SCORE_FACTORS.length)
  t.same(explanation.excludedByRule, ranking.excluded)

  population.upsert(household(5, { chain: [] }), [{ id: 51, birthDate: '2012-01-01', schoolStage: 'junior' }])
  t.same([...rank(population, project, ASOF).personIds].sort(), [22, 51], 'replacing a household updates the next run')
  t.equal(population.size.persons, 7)
  population.remove(6)
  t.same(population.size, { households: 5, persons: 6 })
})

t.test('less help ranks higher; ties break by person id', async t => {
  const population = new Population(ASOF)
  population.upsert(household(1, { chain: [{ id: 1, source: 'charity', kind: 'fund', tags: [], value: 4000, occurredOn: '2025-05-01', reverses: null }] }), [{ id: 10, birthDate: '1970-01-01', schoolStage: 'none' }])
  population.upsert(household(2), [{ id: 30, birthDate: '1970-01-01', schoolStage: 'none' }, { id: 20, birthDate: '1971-01-01', schoolStage: 'none' }])
  const ranking = rank(population, { rules: { kind: 'wish' }, near: '', urgency: 0 }, ASOF)
  t.same([...ranking.personIds], [20, 30, 10])
})

t.test('a limited ranking keeps exactly the best of the full ranking', async t => {
  const population = new Population(ASOF)
  for (let h = 1; h <= 60; h++) {
    population.upsert(household(h, { perCapitaMonthlyIncome: (h * 37) % 1100, category: h % 3 === 0 ? 'tekun' : 'dibao', hardships: h % 4 === 0 ? ['accident'] : [] }),
      [{ id: h * 10, birthDate: '1970-01-01', schoolStage: 'none' }, { id: h * 10 + 1, birthDate: '1990-01-01', schoolStage: 'none' }])
  }
  const project: ProjectSpec = { rules: { kind: 'fund' }, near: '', urgency: 0 }
  const full = rank(population, project, ASOF)
  for (const limit of [1, 7, 50, 119, 120, 500]) {
    const top = rank(population, project, ASOF, undefined, limit)
    t.same([...top.personIds], [...full.personIds].slice(0, limit), `limit ${limit}`)
    t.equal(top.eligible, 120)
  }
})

t.test('town-level projects visit only their towns, with the same result', async t => {
  const population = new Population(ASOF)
  const villages = ['330503101001', '330503101002', '330503102001', '419001001001']
  for (let h = 1; h <= 40; h++) {
    population.upsert(household(h, { regionCode: villages[h % 4] as string, perCapitaMonthlyIncome: (h * 53) % 1000 }), [{ id: h, birthDate: '1960-01-01', schoolStage: 'none' }])
  }
  for (const regionCodes of [['330503101'], ['330503101002'], ['330503102', '419001001'], ['330503']]) {
    const ranking = rank(population, { rules: { kind: 'wish', regionCodes }, near: '', urgency: 0 }, ASOF)
    const expected = [...population.values()].filter(h => regionCodes.some(code => h.regionCode.startsWith(code))).length
    t.equal(ranking.personIds.length, expected, regionCodes.join(','))
    t.equal(ranking.excluded.region, 40 - expected)
  }
})
