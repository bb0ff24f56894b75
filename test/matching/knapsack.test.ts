import t from 'tap'
import { greedyByValue, knapsack, lagrangianBound, type KnapsackItem } from '../../matching/knapsack.js'
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
    if (Math.abs(result.totalPriority - exhaustive(items, budget, capacity)) > 1e-9) {
      t.fail(`round ${round}: ${result.totalPriority} ≠ ${exhaustive(items, budget, capacity)}`)
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
  t.equal(Math.round(result.totalPriority * 10) / 10, 2.4)
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
  t.ok(result.upperBound >= result.totalPriority)
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
    if (Math.abs(result.totalPriority - exhaustive(items, budget, capacity)) > 1e-9) t.fail(`round ${round}`)
    t.equal(result.exact, true)
  }
})

t.test('every Lagrangian multiplier bounds the exhaustive optimum, and λ = 0 is the budget LP', async t => {
  const random = createRandom('lagrange')
  for (let round = 0; round < 200; round++) {
    const n = random.int(1, 10)
    const items = Array.from({ length: n }, (_, id) => ({ id, value: random.int(0, 100) / 10, cost: random.int(0, 40) * 50 }))
    const budget = random.int(0, 300) * 10
    const capacity = random.int(0, n)
    const best = exhaustive(items, budget, capacity)
    const lambda = random.int(0, 100) / 10
    const bound = lagrangianBound(items, budget, capacity, lambda)
    if (bound < best - 1e-9) t.fail(`round ${round}: bound ${bound} < optimum ${best} at λ ${lambda}`)
  }
  // Budget 10, costs 4 and 8: the LP takes item 1 whole and half of item 2.
  t.equal(lagrangianBound([{ id: 1, value: 8, cost: 4 }, { id: 2, value: 6, cost: 12 }], 10, 2, 0), 8 + 6 * 6 / 12)
})

t.test('large instances: when the count binds, the bound is not fooled by a cheap dense item', async t => {
  // One place; a ¥1 item of priority 10 and a ¥1e9 item of priority 90. Taking by density alone
  // would choose the ¥1 item and "prove" 10 optimal; the right answer is 90.
  const items = [{ id: 1, value: 10, cost: 1 }, { id: 2, value: 90, cost: 1_000_000_000 }]
  const result = knapsack(items, 1_000_000_000, 1)
  t.equal(result.exact, false, 'too large for the DP')
  t.same(result.chosen, [2])
  t.equal(result.totalPriority, 90)
  t.ok(result.upperBound >= 90 && result.upperBound <= 90 + 1e-6, `bound ${result.upperBound}`)
})

t.test('the Lagrangian search: exact whenever it says so, a true bound otherwise', async t => {
  const random = createRandom('lagrangian-dp')
  let exact = 0
  for (let round = 0; round < 300; round++) {
    const n = random.int(2, 12)
    const items = Array.from({ length: n }, (_, id) => ({ id, value: random.int(1, 100) / 10, cost: random.int(1, 12) * 100 }))
    const budget = random.int(1, 40) * 100 + random.int(0, 99)
    const capacity = random.int(1, n)
    const result = knapsack(items, budget, capacity, { dpCells: 0 })
    const optimum = exhaustive(items, budget, capacity)
    const chosen = items.filter(item => result.chosen.includes(item.id))
    if (chosen.reduce((sum, item) => sum + item.cost, 0) > budget || chosen.length > capacity) t.fail(`round ${round}: infeasible`)
    if (result.exact && Math.abs(result.totalPriority - optimum) > 1e-9) t.fail(`round ${round}: claims exact with ${result.totalPriority} ≠ ${optimum}`)
    if (result.upperBound < optimum - 1e-9) t.fail(`round ${round}: bound ${result.upperBound} < optimum ${optimum}`)
    if (result.exact) exact++
  }
  t.ok(exact > 200, `${exact} of 300 proven exact without the two-constraint DP`)
})

t.test('moderate instances beyond the two-constraint DP are solved exactly', async t => {
  // 1,600 candidates for 400 places, wishes of ¥100–800: 1,600 × 1,601 × 401 cells is too many
  // for the two-constraint DP, but the budget-only DP is small.
  const random = createRandom('moderate')
  const items = Array.from({ length: 1600 }, (_, id) => ({ id, value: random.int(1, 1000) / 1000, cost: random.int(1, 8) * 100 }))
  const result = knapsack(items, 160_000, 400)
  t.equal(result.exact, true)
  t.equal(result.chosen.length, 400, 'the count binds')
  t.ok(result.totalCost <= 160_000)
  t.ok(result.totalPriority >= items.filter(item => greedyByValue(items, 160_000, 400).includes(item.id)).reduce((sum, item) => sum + item.value, 0))
})

t.test('an overdrawn budget buys nothing', async t => {
  const items: KnapsackItem[] = [{ id: 1, value: 5, cost: 100 }, { id: 2, value: 3, cost: 50 }]
  for (const budget of [-200, 0]) {
    const result = knapsack(items, budget, 2)
    t.same([result.chosen, result.totalCost, result.totalPriority, result.exact], [[], 0, 0, true], `budget ${budget}`)
  }
})
