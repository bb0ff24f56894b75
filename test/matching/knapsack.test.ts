import t from 'tap'
import { greedyByValue, knapsack, type KnapsackItem } from '../../matching/knapsack.js'
import { createRandom } from '../../matching/random.js'

function exhaustive (items: KnapsackItem[], budget: number, capacity: number): number {
  let best = 0
  for (let mask = 0; mask < 1 << items.length; mask++) {
    let cost = 0
    let value = 0
    let count = 0
    items.forEach((item, i) => {
      if (mask & (1 << i)) { cost += item.cost; value += item.value; count++ }
    })
    if (cost <= budget && count <= capacity && value > best) best = value
  }
  return best
}

t.test('equals exhaustive search on many small random instances', async t => {
  const random = createRandom('knapsack')
  for (let round = 0; round < 300; round++) {
    const n = random.int(1, 12)
    const items = Array.from({ length: n }, (_, id) => ({ id, value: random.int(0, 100) / 10, cost: random.int(1, 40) * 50 }))
    const budget = random.int(0, 300) * 10
    const capacity = random.int(0, n)
    const result = knapsack(items, budget, capacity)
    t.equal(result.exact, true)
    if (Math.abs(result.totalValue - exhaustive(items, budget, capacity)) > 1e-9) {
      t.fail(`round ${round}: ${result.totalValue} ≠ ${exhaustive(items, budget, capacity)}`)
    }
    t.ok(result.totalCost <= budget && result.chosen.length <= capacity, `round ${round} is feasible`)
  }
})

t.test('beats greedy-by-score when costs differ', async t => {
  // A dream room for one child (¥15,000, priority 0.9) against three wishes of ¥5,000 (0.8 each).
  const items = [{ id: 1, value: 0.9, cost: 15000 }, { id: 2, value: 0.8, cost: 5000 }, { id: 3, value: 0.8, cost: 5000 }, { id: 4, value: 0.8, cost: 5000 }]
  t.same(greedyByValue(items, 15000), [1], 'greedy spends the whole budget on the top score')
  const result = knapsack(items, 15000)
  t.same(result.chosen.sort(), [2, 3, 4])
  t.equal(Math.round(result.totalValue * 10) / 10, 2.4)
})

t.test('capacity binds as well as budget', async t => {
  const items = [{ id: 1, value: 5, cost: 1 }, { id: 2, value: 4, cost: 1 }, { id: 3, value: 3, cost: 1 }]
  t.same(knapsack(items, 100, 2).chosen.sort(), [1, 2])
  t.same(knapsack(items, 0, 3).chosen, [], 'no money, no one')
})

t.test('large instances: feasible, with a proven bound', async t => {
  const random = createRandom('big')
  const items = Array.from({ length: 20000 }, (_, id) => ({ id, value: random.int(1, 1000) / 1000, cost: random.int(1, 200) * 7 + 3 }))
  const result = knapsack(items, 1_000_003, 5000)
  t.equal(result.exact, false)
  t.ok(result.totalCost <= 1_000_003 && result.chosen.length <= 5000)
  t.ok(result.upperBound >= result.totalValue)
  t.ok(result.gap < 0.01, `within 1 % of the bound (gap ${result.gap.toFixed(5)})`)
})

t.test('equal costs: the top values, exactly', async t => {
  const random = createRandom('equal')
  for (let round = 0; round < 100; round++) {
    const n = random.int(1, 12)
    const cost = random.int(1, 5) * 100
    const items = Array.from({ length: n }, (_, id) => ({ id, value: random.int(1, 100) / 10, cost }))
    const budget = random.int(0, 2000)
    const capacity = random.int(0, n)
    const result = knapsack(items, budget, capacity)
    if (Math.abs(result.totalValue - exhaustive(items, budget, capacity)) > 1e-9) t.fail(`round ${round}`)
    t.equal(result.exact, true)
  }
})
