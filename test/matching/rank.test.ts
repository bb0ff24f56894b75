import t from 'tap'
import { Population, type PopulationHousehold, type PopulationPerson } from '../../matching/population.js'
import { rank, explainProposal, type ProjectSpec } from '../../matching/rank.js'
import { checkEligibility } from '../../matching/eligibility.js'
import { DEFAULT_WEIGHTS, SCORE_FACTORS } from '../../matching/score.js'
import { createRandom } from '../../matching/random.js'
import { CATEGORIES, HARDSHIPS, HOUSEHOLD_STATUSES, SCHOOL_STAGES } from '../../matching/domain.js'
import type { ChainEntry } from '../../matching/assistance-chain.js'

const ASOF = '2025-11-01'
const household = (id: number, changes: Partial<PopulationHousehold> = {}): PopulationHousehold =>
  ({ id, regionCode: '330503101001', category: 'dibao', status: 'active', hardships: [], perCapitaMonthlyIncome: 600, incomeLine: 1200, chain: [], ...changes })
const person = (id: number, birthDate = '1970-01-01', schoolStage: PopulationPerson['schoolStage'] = 'none'): PopulationPerson => ({ id, birthDate, schoolStage })
const entry = (e: Partial<ChainEntry>): ChainEntry => ({ id: 1, source: 'charity', kind: 'wish', tags: [], value: 300, occurredOn: '2025-08-01', reverses: null, ...e })

t.test('ranking applies the rules in order, counts the excluded and follows replacements', async t => {
  const population = new Population(ASOF)
  population.upsert(household(1, { category: 'tekun' }), [person(11, '1945-01-01')])
  population.upsert(household(2), [person(21, '1985-01-01'), person(22, '2015-03-01', 'primary')])
  population.upsert(household(3, { status: 'exited' }), [person(31, '2014-01-01', 'primary')])
  population.upsert(household(4, { regionCode: '419001001001' }), [person(41, '2013-01-01', 'junior')])
  population.upsert(household(5, { chain: [entry({})] }), [person(51, '2012-01-01', 'junior')])
  population.upsert(household(6, { category: 'none' }), [person(61, '2012-01-01', 'junior')])
  const project: ProjectSpec = { rules: { kind: 'wish', categories: ['tekun', 'dibao'], regionCodes: ['330503'], schoolStages: ['primary', 'junior'], notHelpedSameKindMonths: 6 }, near: '330503101' }
  const ranking = rank(population, project, ASOF)
  t.same([...ranking.personIds], [22])
  t.same([...ranking.householdIds], [2])
  t.same(ranking.excluded, { status: 1, category: 1, region: 1, hardship: 0, recent_same_kind: 1, seasonal_duplicate: 0, age: 0, school_stage: 2 })

  population.upsert(household(5), [person(51, '2012-01-01', 'junior')])
  t.same([...rank(population, project, ASOF).personIds], [22, 51], 'replacing a household updates the next run (51 has waited no longer and gets no more help: id breaks the tie)')
  population.remove(2)
  t.same([...rank(population, project, ASOF).personIds], [51])
})

t.test('less help ranks higher; ties break by person id across households', async t => {
  const population = new Population(ASOF)
  population.upsert(household(1, { chain: [entry({ kind: 'fund', value: 4000, occurredOn: '2025-05-01' })] }), [person(10)])
  population.upsert(household(2), [person(30), person(20)])
  population.upsert(household(3), [person(25)])
  const ranking = rank(population, { rules: { kind: 'wish' }, near: '' }, ASOF)
  t.same([...ranking.personIds], [20, 25, 30, 10])
  t.same([...ranking.householdIds], [2, 3, 2, 1])
})

t.test('waiting, urgency and proximity reach the ranking', async t => {
  const population = new Population(ASOF)
  population.upsert(household(1, { needSince: '2025-10-02' }), [person(1)])
  population.upsert(household(2), [person(2)])
  population.upsert(household(3, { regionCode: '330503102001' }), [person(3)])
  population.upsert(household(4, { chain: [entry({ kind: 'training_voucher', occurredOn: '2025-07-01' })] }), [person(4)])
  const voucher = rank(population, { rules: { kind: 'training_voucher' }, near: '330503101' }, ASOF)
  t.same([...voucher.personIds], [1, 2, 3, 4])
  t.equal(voucher.deadline, 123 / 184, 'vouchers: how far into the half-year')
  const explained = explainProposal(population, 1, { rules: { kind: 'training_voucher' }, near: '330503101' }, voucher)
  t.match(explained.factors.find(f => f.factor === 'waiting'), { value: 30, normalised: 30 / 365 })
  t.equal(explained.score, voucher.scores[0])
  t.equal(rank(population, { rules: { kind: 'wish' }, near: '' }, ASOF).deadline, 0, 'other kinds: no deadline unless given')
  t.equal(rank(population, { rules: { kind: 'wish' }, near: '', urgency: 0.3 }, ASOF).deadline, 0.3)
})

/** A random population with many ties, for the properties below. */
function randomPopulation (seed: string, households: number): Population {
  const random = createRandom(seed)
  const population = new Population(ASOF)
  for (let id = 1; id <= households; id++) {
    const members = random.int(1, 5)
    population.upsert(household(id, {
      regionCode: `3305031${random.int(1, 3).toString().padStart(2, '0')}00${random.int(1, 4)}`,
      category: random.pick([...CATEGORIES, 'none']),
      status: random.chance(0.9) ? 'active' : random.pick(HOUSEHOLD_STATUSES),
      hardships: HARDSHIPS.filter(() => random.chance(0.15)),
      perCapitaMonthlyIncome: random.int(0, 6) * 200,
      needSince: random.chance(0.3) ? `2025-0${random.int(1, 9)}-01` : null,
      chain: random.chance(0.4) ? [entry({ kind: random.pick(['wish', 'fund', 'training_voucher']), value: random.int(1, 5) * 1000, occurredOn: `2025-0${random.int(1, 9)}-15` })] : []
    }), Array.from({ length: members }, () => person(random.int(1, 10 * households), `${random.int(1950, 2020)}-0${random.int(1, 9)}-1${random.int(0, 9)}`, random.pick(SCHOOL_STAGES))))
    if (random.chance(0.05)) population.remove(random.int(1, id))
  }
  return population
}

t.test('the fast path orders every eligible person exactly as the explained scores do', async t => {
  const population = randomPopulation('rank-property', 400)
  for (const kind of ['wish', 'fund'] as const) {
    const project: ProjectSpec = { rules: { kind, minAge: 6, maxAge: 70, notHelpedSameKindMonths: 3 }, near: '330503102', donor: { hardships: ['disaster'] }, urgency: 0.4 }
    const ranking = rank(population, project, ASOF)
    const eligibility = checkEligibility(population, project.rules, ASOF)
    // A fund gives a household one place: its smallest eligible person id stands for it.
    const best = new Map<number, { id: number, score: number }>()
    for (let slot = 0; slot < population.personSlots; slot++) {
      if (eligibility.firstFailing[slot] !== -1) continue
      const householdId = population.households.id[population.persons.household[slot] as number] as number
      const person = { id: population.persons.id[slot] as number, score: explainProposal(population, householdId, project, ranking).score }
      const key = kind === 'fund' ? householdId : -1 - slot
      if (!best.has(key) || (best.get(key)?.id as number) > person.id) best.set(key, person)
    }
    const expected = [...best.values()].sort((a, b) => b.score - a.score || a.id - b.id)
    t.ok(expected.length > 200, `${kind}: ${expected.length} places`)
    t.equal(ranking.eligible, eligibility.eligible)
    t.same([...ranking.personIds], expected.map(e => e.id))
    t.same([...ranking.scores], expected.map(e => e.score))
    t.equal(Object.values(ranking.excluded).reduce((a, b) => a + b, 0) + ranking.eligible, population.size.persons, 'everyone is eligible or excluded by one rule')
  }
})

t.test('a limited ranking keeps exactly the best of the full ranking, ties included', async t => {
  const population = randomPopulation('rank-limit', 300)
  const project: ProjectSpec = { rules: { kind: 'wish' }, near: '' }
  const full = rank(population, project, ASOF)
  for (const limit of [0, 1, 7, 50, 119, full.eligible - 1, full.eligible, full.eligible + 10]) {
    const top = rank(population, project, ASOF, undefined, limit)
    t.same([...top.personIds], [...full.personIds].slice(0, limit), `limit ${limit}`)
    t.equal(top.eligible, full.eligible)
  }
})

t.test('the explanation: factors, weights, rules, exclusions and parameters, as JSON', async t => {
  const population = new Population(ASOF)
  population.upsert(household(1, { hardships: ['accident'] }), [person(1)])
  population.upsert(household(2, { status: 'refused' }), [person(2)])
  const project: ProjectSpec = { rules: { kind: 'wish', seasonalTags: ['winter_clothing'] }, near: '330503101', donor: { categories: ['dibao'] } }
  const ranking = rank(population, project, ASOF)
  const explanation = explainProposal(population, 1, project, ranking)
  t.same(JSON.parse(JSON.stringify(explanation)), explanation)
  t.same(explanation.factors.map(f => f.factor), [...SCORE_FACTORS])
  t.same(explanation.weights, DEFAULT_WEIGHTS)
  t.same(explanation.rules, project.rules)
  t.same(explanation.excludedByRule, { status: 1, category: 0, region: 0, hardship: 0, recent_same_kind: 0, seasonal_duplicate: 0, age: 0, school_stage: 0 })
  t.same(explanation.parameters, { asOf: ASOF, near: '330503101', deadline: 0, donor: { categories: ['dibao'] }, eligible: 1 })
  t.throws(() => explainProposal(population, 99, project, ranking), /household 99 is not in the population/)
})

t.test('a fund or dream room gives a household one place; wishes and vouchers serve each person', async t => {
  const population = new Population(ASOF)
  population.upsert(household(1, { perCapitaMonthlyIncome: 100 }), [person(12, '2012-01-01', 'junior'), person(11, '2014-01-01', 'primary'), person(13)])
  population.upsert(household(2), [person(21, '2013-01-01', 'primary')])
  for (const kind of ['fund', 'dream_room'] as const) {
    const ranking = rank(population, { rules: { kind, maxAge: 16 }, near: '' }, ASOF)
    t.same([...ranking.personIds], [11, 21], `${kind}: the household's smallest eligible id stands for it`)
    t.equal(ranking.eligible, 3, 'eligible still counts persons')
    t.same([...rank(population, { rules: { kind, maxAge: 16 }, near: '' }, ASOF, undefined, 1).personIds], [11])
  }
  for (const kind of ['wish', 'training_voucher'] as const) {
    t.same([...rank(population, { rules: { kind, maxAge: 16 }, near: '' }, ASOF).personIds], [11, 12, 21], `${kind}: siblings each`)
  }
})

t.test('the explanation says when no donor funds the project, and which windows applied', async t => {
  const population = new Population(ASOF)
  population.upsert(household(1), [person(1)])
  const project: ProjectSpec = { rules: { kind: 'dream_room', tags: ['room'] }, near: '' }
  const explanation = explainProposal(population, 1, project, rank(population, project, ASOF))
  t.match(explanation.factors.find(f => f.factor === 'donor_fit'), { value: 'no funding donor', normalised: 0, contribution: 0 })
  t.same(explanation.windows.map(w => w.id), ['dream_room_36_months'])
  const withDonor = { ...project, donor: {} }
  t.match(explainProposal(population, 1, withDonor, rank(population, withDonor, ASOF)).factors.find(f => f.factor === 'donor_fit'), { value: 'no preferences stated' })
})
