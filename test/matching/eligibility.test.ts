import t from 'tap'
import { Population, type PopulationHousehold, type PopulationPerson } from '../../matching/population.js'
import { checkEligibility, householdEligibility, regionRange, RULE_ORDER, type ProjectRules } from '../../matching/eligibility.js'
import { checkDuplicateHelp, helpTags, windowsFor } from '../../matching/duplicate-help.js'
import { createRandom } from '../../matching/random.js'
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
    ['seasonal_duplicate', { kind: 'wish', tags: ['winter_clothing'] }, household(1, { chain: [entry({ tags: ['winter_clothing'], occurredOn: '2025-11-01' })] }), person(1)],
    ['seasonal_duplicate', { kind: 'fund', seasonalTags: ['holiday_visit'] }, household(1, { chain: [entry({ kind: 'wish', tags: ['holiday_visit'], occurredOn: '2025-11-01' })] }), person(1)],
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

t.test('a kind\'s default window applies without a project rule; the longer window decides', async t => {
  const grant = entry({ kind: 'fund', occurredOn: '2025-01-15' })
  t.same(run([[household(1, { chain: [grant] }), [person(1)]]], { kind: 'fund' }).excluded, { ...zero, recent_same_kind: 1 }, 'no second fund grant within 12 months')
  t.same(run([[household(1, { chain: [grant] }), [person(1)]]], { kind: 'fund', notHelpedSameKindMonths: 6 }).excluded, { ...zero, recent_same_kind: 1 }, 'a shorter project window does not shorten the default')
  const old = entry({ kind: 'fund', occurredOn: '2024-05-15' })
  t.same(run([[household(1, { chain: [old] }), [person(1)]]], { kind: 'fund' }).eligible, [1])
  t.same(run([[household(1, { chain: [old] }), [person(1)]]], { kind: 'fund', notHelpedSameKindMonths: 24 }).excluded, { ...zero, recent_same_kind: 1 })
  t.same(run([[household(1, { chain: [entry({ tags: ['winter_clothing'], occurredOn: '2025-11-01' })] }), [person(1)]]], { kind: 'wish', tags: ['school_supplies'] }).eligible, [1], 'a schoolbag after a coat')
})

t.test('a run excludes exactly whom confirmation would call a duplicate', async t => {
  const random = createRandom('windows-agree')
  const kinds = ['wish', 'dream_room', 'training_voucher', 'fund'] as const
  let duplicates = 0
  for (let i = 0; i < 400; i++) {
    const chain: ChainEntry[] = Array.from({ length: random.int(0, 3) }, (_, j) => entry({
      id: j + 1, kind: random.pick(kinds), tags: random.chance(0.4) ? [random.pick(['winter_clothing', 'school_uniform'])] : [],
      source: random.chance(0.8) ? 'charity' : 'government', occurredOn: `20${random.int(22, 26)}-${String(random.int(1, 12)).padStart(2, '0')}-1${random.int(0, 9)}`
    }))
    if (chain.length > 1 && random.chance(0.2)) chain.push(entry({ id: 9, kind: chain[0]?.kind, tags: chain[0]?.tags, value: -300, reverses: 1, occurredOn: '2025-09-01' }))
    const rules: ProjectRules = {
      kind: random.pick(kinds), tags: random.chance(0.3) ? ['winter_clothing'] : [], seasonalTags: random.chance(0.3) ? [random.pick(['winter_clothing', 'school_uniform'])] : [],
      ...(random.chance(0.5) ? { notHelpedSameKindMonths: random.int(1, 40) } : {})
    }
    const asOf = `2025-${String(random.int(1, 12)).padStart(2, '0')}-15`
    const excluded = run([[household(1, { chain }), [person(1)]]], rules, asOf).eligible.length === 0
    const verdict = checkDuplicateHelp(chain, { kind: rules.kind, tags: helpTags(rules), on: asOf }, windowsFor(rules)).verdict
    t.equal(excluded, verdict === 'duplicate', `${JSON.stringify(rules)} on ${asOf}: ${JSON.stringify(chain)}`)
    if (excluded) duplicates++
  }
  t.ok(duplicates > 25, `${duplicates} of 400 were duplicates`)
})

t.test('one household\'s members with the rule each fails', async t => {
  const population = new Population(ASOF)
  population.upsert(household(1), [person(11, '1980-01-01'), person(12, '2015-01-01', 'primary')])
  population.upsert(household(2, { category: 'none' }), [person(21)])
  t.same(householdEligibility(population, 1, { kind: 'fund', maxAge: 17 }, ASOF), [{ personId: 11, failed: 'age' }, { personId: 12, failed: null }])
  t.same(householdEligibility(population, 2, { kind: 'fund', categories: ['dibao'] }, ASOF), [{ personId: 21, failed: 'category' }])
  t.throws(() => householdEligibility(population, 3, { kind: 'fund' }, ASOF), /household 3 is not in the population/)
})
