import t from 'tap'
import { Population, type PopulationHousehold, type PopulationPerson } from '../../matching/population.js'
import type { ChainEntry } from '../../matching/assistance-chain.js'

const ASOF = '2025-11-01'
const household = (id: number, changes: Partial<PopulationHousehold> = {}): PopulationHousehold =>
  ({ id, regionCode: '330503101001', category: 'dibao', status: 'active', hardships: [], perCapitaMonthlyIncome: 600, incomeLine: 1200, chain: [], ...changes })
const person = (id: number, birthDate = '1980-05-01', schoolStage: PopulationPerson['schoolStage'] = 'none'): PopulationPerson => ({ id, birthDate, schoolStage })
const entry = (e: Partial<ChainEntry>): ChainEntry => ({ id: 1, source: 'charity', kind: 'wish', tags: [], value: 300, occurredOn: '2025-06-01', reverses: null, ...e })

t.test('a household reads back as it was given, with its chain summarised', async t => {
  const population = new Population(ASOF)
  population.upsert(household(7, {
    category: 'tekun', status: 'gradual_exit', hardships: ['serious_illness', 'disaster'], needSince: '2025-01-15',
    chain: [
      entry({ id: 1, tags: ['winter_clothing'], occurredOn: '2024-12-01', value: 200 }),
      entry({ id: 2, kind: 'dream_room', occurredOn: '2023-05-01', value: 15000 }),
      entry({ id: 3, kind: 'fund', occurredOn: '2025-09-01', value: 1000 }),
      entry({ id: 4, kind: 'fund', occurredOn: '2025-09-05', value: -1000, reverses: 3 }),
      entry({ id: 5, source: 'government', kind: 'dibao_payment', occurredOn: '2025-10-01', value: 800 }),
      entry({ id: 6, occurredOn: '2025-12-01', value: 999 })
    ]
  }), [person(71, '2012-02-29', 'junior'), person(72)])
  t.same(population.get(7), {
    id: 7, regionCode: '330503101001', category: 'tekun', status: 'gradual_exit', hardships: ['serious_illness', 'disaster'],
    perCapitaMonthlyIncome: 600, incomeLine: 1200, needSince: '2025-01-15',
    charityValueLast12Months: 200,
    lastCharityByKind: { wish: '2024-12-01', dream_room: '2023-05-01' },
    lastCharityByTag: { winter_clothing: '2024-12-01' },
    persons: [{ id: 71, birthDate: '2012-02-29', schoolStage: 'junior' }, { id: 72, birthDate: '1980-05-01', schoolStage: 'none' }]
  }, 'reversed fund, government help and help after asOf are left out')
  t.same(population.size, { households: 1, persons: 2 })
  t.equal(population.get(8), undefined)
})

t.test('replacing and removing one household at a time', async t => {
  const population = new Population(ASOF, 4)
  for (let id = 1; id <= 100; id++) population.upsert(household(id), [person(id * 10), person(id * 10 + 1)])
  t.same(population.size, { households: 100, persons: 200 })
  population.upsert(household(5, { category: 'other' }), [person(50)])
  t.same(population.size, { households: 100, persons: 199 })
  t.equal(population.get(5)?.category, 'other')
  t.same(population.get(5)?.persons.map(p => p.id), [50])
  population.remove(6)
  population.remove(6)
  t.same(population.size, { households: 99, persons: 197 }, 'removing twice removes once')
  t.equal(population.get(6), undefined)
  t.throws(() => population.upsert(household(9, { regionCode: '330503101' }), []), /12-digit village code/)
})

t.test('compaction reclaims replaced rows and keeps every household intact', async t => {
  const population = new Population(ASOF)
  for (let id = 1; id <= 3000; id++) population.upsert(household(id), [person(id * 10), person(id * 10 + 1)])
  // Replace every household three times: dead rows pile up beyond the threshold and are reclaimed.
  for (let round = 1; round <= 3; round++) {
    for (let id = 1; id <= 3000; id++) {
      population.upsert(household(id, { perCapitaMonthlyIncome: round * 100 + id, chain: id % 2 ? [entry({ tags: ['winter_clothing'], occurredOn: '2025-01-10' })] : [] }), [person(id * 10, `19${50 + round}-01-01`)])
    }
  }
  t.ok(population.personSlots < 3000 * 4, `slots reclaimed (${population.personSlots} person slots in use)`)
  t.same(population.size, { households: 3000, persons: 3000 })
  for (const id of [1, 2, 1500, 2999, 3000]) {
    const h = population.get(id)
    t.equal(h?.perCapitaMonthlyIncome, 300 + id)
    t.same(h?.persons, [{ id: id * 10, birthDate: '1953-01-01', schoolStage: 'none' }])
    t.same(h?.lastCharityByTag, id % 2 ? { winter_clothing: '2025-01-10' } : {}, `household ${id}: tag dates move with the row`)
  }
})
