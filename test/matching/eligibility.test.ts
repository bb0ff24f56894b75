import t from 'tap'
import { Population, type PopulationHousehold, type PopulationPerson } from '../../matching/population.js'
import { checkEligibility, regionRange, RULE_ORDER, type ProjectRules } from '../../matching/eligibility.js'
import type { ChainEntry } from '../../matching/assistance-chain.js'

const ASOF = '2025-11-01'
const household = (id: number, changes: Partial<PopulationHousehold> = {}): PopulationHousehold =>
  ({ id, regionCode: '330503101001', category: 'dibao', status: 'active', hardships: [], perCapitaMonthlyIncome: 600, incomeLine: 1200, chain: [], ...changes })
const person = (id: number, birthDate = '1980-05-01', schoolStage: PopulationPerson['schoolStage'] = 'none'): PopulationPerson => ({ id, birthDate, schoolStage })
const entry = (e: Partial<ChainEntry>): ChainEntry => ({ id: 1, source: 'charity', kind: 'wish', tags: [], value: 300, occurredOn: '2025-06-01', reverses: null, ...e })

/** Eligible person ids and the exclusion counts. */
function run (households: Array<[PopulationHousehold, PopulationPerson[]]>, rules: ProjectRules, asOf = ASOF) {
  const population = new Population(asOf)
  for (const [h, persons] of households) population.upsert(h, persons)
  const result = checkEligibility(population, rules, asOf)
  const eligible: number[] = []
  for (let slot = 0; slot < population.personSlots; slot++) if (result.firstFailing[slot] === -1) eligible.push(population.persons.id[slot] as number)
  return { eligible, excluded: result.excluded, count: result.eligible }
}
const zero = Object.fromEntries(RULE_ORDER.map(rule => [rule, 0]))

t.test('each rule excludes, and only its own', async t => {
  const cases: Array<[string, ProjectRules, PopulationHousehold, PopulationPerson]> = [
    ['status', { kind: 'wish' }, household(1, { status: 'exited' }), person(1)],
    ['status', { kind: 'wish', statuses: ['active'] }, household(1, { status: 'gradual_exit' }), person(1)],
    ['category', { kind: 'wish', categories: ['tekun'] }, household(1), person(1)],
    ['category', { kind: 'wish', categories: ['dibao'] }, household(1, { category: 'none' }), person(1)],
    ['region', { kind: 'wish', regionCodes: ['330503102'] }, household(1), person(1)],
    ['region', { kind: 'wish', regionCodes: ['330503101002'] }, household(1), person(1)],
    ['hardship', { kind: 'wish', hardships: ['disaster', 'accident'] }, household(1, { hardships: ['serious_illness'] }), person(1)],
    ['recent_same_kind', { kind: 'dream_room', notHelpedSameKindMonths: 36 }, household(1, { chain: [entry({ kind: 'dream_room', occurredOn: '2022-11-02' })] }), person(1)],
    ['seasonal_duplicate', { kind: 'wish', seasonalTags: ['winter_clothing'] }, household(1, { chain: [entry({ tags: ['winter_clothing'], occurredOn: '2025-11-01' })] }), person(1)],
    ['age', { kind: 'wish', minAge: 10 }, household(1), person(1, '2015-11-02')],
    ['age', { kind: 'wish', maxAge: 9 }, household(1), person(1, '2015-11-01')],
    ['school_stage', { kind: 'wish', schoolStages: ['primary'] }, household(1), person(1, '2012-01-01', 'junior')]
  ]
  for (const [rule, rules, h, p] of cases) {
    const result = run([[h, [p]]], rules)
    t.same(result, { eligible: [], excluded: { ...zero, [rule]: 1 }, count: 0 }, `${rule}: ${JSON.stringify(rules)}`)
  }
})

t.test('boundaries pass', async t => {
  const cases: Array<[string, ProjectRules, PopulationHousehold, PopulationPerson]> = [
    ['gradual exit is served by default', { kind: 'wish' }, household(1, { status: 'gradual_exit' }), person(1)],
    ['county prefix', { kind: 'wish', regionCodes: ['419001', '330503'] }, household(1), person(1)],
    ['village prefix', { kind: 'wish', regionCodes: ['330503101001'] }, household(1), person(1)],
    ['any hardship of the list', { kind: 'wish', hardships: ['disaster', 'serious_illness'] }, household(1, { hardships: ['serious_illness'] }), person(1)],
    ['36 months to the day', { kind: 'dream_room', notHelpedSameKindMonths: 36 }, household(1, { chain: [entry({ kind: 'dream_room', occurredOn: '2022-11-01' })] }), person(1)],
    ['another kind within the window', { kind: 'dream_room', notHelpedSameKindMonths: 36 }, household(1, { chain: [entry({ kind: 'wish', occurredOn: '2025-10-01' })] }), person(1)],
    ['a reversed dream room does not count', { kind: 'dream_room', notHelpedSameKindMonths: 36 }, household(1, { chain: [entry({ id: 1, kind: 'dream_room', occurredOn: '2025-01-01' }), entry({ id: 2, kind: 'dream_room', value: -300, reverses: 1, occurredOn: '2025-01-02' })] }), person(1)],
    ['last winter\'s coat', { kind: 'wish', seasonalTags: ['winter_clothing'] }, household(1, { chain: [entry({ tags: ['winter_clothing'], occurredOn: '2025-02-28' })] }), person(1)],
    ['turns 10 today', { kind: 'wish', minAge: 10 }, household(1), person(1, '2015-11-01')],
    ['still 9 the day before turning 10', { kind: 'wish', maxAge: 9 }, household(1), person(1, '2015-11-02')]
  ]
  for (const [name, rules, h, p] of cases) t.same(run([[h, [p]]], rules).eligible, [1], name)
})

t.test('a person fails the first rule in the fixed order, and household rules count every member', async t => {
  const rules: ProjectRules = { kind: 'wish', categories: ['dibao'], regionCodes: ['330503'], minAge: 6, maxAge: 15, schoolStages: ['primary', 'junior'] }
  const result = run([
    // Category and region both fail: counted under category, for both members.
    [household(1, { category: 'tekun', regionCode: '419001001001' }), [person(11, '2014-01-01', 'primary'), person(12)]],
    // Too old and not at school: counted under age.
    [household(2), [person(21, '1970-01-01', 'none'), person(22, '2014-01-01', 'primary'), person(23, '2012-01-01', 'senior')]],
    [household(3, { status: 'refused', category: 'none' }), [person(31)]]
  ], rules)
  t.same(result.eligible, [22])
  t.same(result.excluded, { ...zero, status: 1, category: 2, age: 1, school_stage: 1 })
  t.equal(result.count, 1)
})

t.test('bad rules are refused', async t => {
  t.throws(() => run([[household(1), [person(1)]]], { kind: 'wish', categories: ['poor' as never] }), /unknown code in project rules: poor/)
  t.throws(() => regionRange('33050A'), /not a county, town or village code/)
  t.same(regionRange('330503'), [330503000000, 330504000000])
})
