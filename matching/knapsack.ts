// Choosing whom a project serves: maximise total priority with total cost ≤ budget and at
// most `capacity` people (a two-constraint 0/1 knapsack). Greedy-by-score is not enough when
// costs differ; this is exact when the budget, in cost units, is small enough for dynamic
// programming, and otherwise returns a feasible choice with a proven upper bound.

export interface KnapsackItem {
  id: number
  /** Priority (a score ≥ 0): what we maximise. */
  value: number
  /** Cost in whole yuan (or any integer unit), ≥ 0. */
  cost: number
}

export interface KnapsackResult {
  chosen: number[]
  totalValue: number
  totalCost: number
  /** No feasible choice has a higher total value than this. */
  upperBound: number
  exact: boolean
  /** (upperBound − totalValue) / upperBound; 0 when exact. */
  gap: number
}

/** Cells the exact DP may use: items × (budget + 1) × (capacity + 1). */
const MAX_DP_CELLS = 60_000_000

export function knapsack (items: readonly KnapsackItem[], budget: number, capacity = items.length): KnapsackResult {
  const usable = items.filter(item => item.cost <= budget && item.value > 0)
  const cap = Math.min(capacity, usable.length)
  // Equal costs (one unit price per project, the usual case): the best are simply the top values.
  const first = usable[0]
  if (first && usable.every(item => item.cost === first.cost)) {
    const count = Math.min(cap, first.cost === 0 ? cap : Math.floor(budget / first.cost))
    return summarise(usable, greedyByValue(usable, budget, count), 0, true)
  }
  const units = gcdOf(usable.map(item => item.cost).concat(budget > 0 ? [budget] : []))
  const scaledBudget = Math.floor(budget / units)
  if (usable.length * (scaledBudget + 1) * (cap + 1) <= MAX_DP_CELLS) return exactDp(usable, scaledBudget, cap, units)
  return boundedGreedy(usable, budget, cap)
}

function gcd (a: number, b: number): number {
  while (b) [a, b] = [b, a % b]
  return a
}

function gcdOf (values: number[]): number {
  const g = values.reduce((acc, v) => gcd(acc, Math.round(v)), 0)
  return g > 0 ? g : 1
}

/** Exact: best[c][k] = best value with cost ≤ c·units using ≤ k items; choices kept as bits to rebuild. */
function exactDp (items: readonly KnapsackItem[], budget: number, cap: number, units: number): KnapsackResult {
  const width = (budget + 1) * (cap + 1)
  const best = new Float64Array(width)
  const taken = new Uint8Array(items.length * width)
  items.forEach((item, i) => {
    const w = Math.round(item.cost / units)
    for (let c = budget; c >= w; c--) {
      for (let k = cap; k >= 1; k--) {
        const withItem = (best[(c - w) * (cap + 1) + k - 1] as number) + item.value
        const cell = c * (cap + 1) + k
        if (withItem > (best[cell] as number) + 1e-12) {
          best[cell] = withItem
          taken[i * width + cell] = 1
        }
      }
    }
  })
  const chosen: number[] = []
  let c = budget
  let k = cap
  for (let i = items.length - 1; i >= 0; i--) {
    if (taken[i * width + c * (cap + 1) + k]) {
      const item = items[i] as KnapsackItem
      chosen.push(item.id)
      c -= Math.round(item.cost / units)
      k--
    }
  }
  return summarise(items, chosen.reverse(), best[budget * (cap + 1) + cap] as number, true)
}

/**
 * Large instances: take items by value density, then improve with single swaps; the bound is
 * the LP relaxation of the budget constraint together with the best `cap` values (each is a
 * valid upper bound, so is their minimum).
 */
function boundedGreedy (items: readonly KnapsackItem[], budget: number, cap: number): KnapsackResult {
  const byDensity = [...items].sort((a, b) => density(b) - density(a) || a.id - b.id)
  const chosen: KnapsackItem[] = []
  let spent = 0
  for (const item of byDensity) {
    if (chosen.length >= cap) break
    if (spent + item.cost <= budget) {
      chosen.push(item)
      spent += item.cost
    }
  }
  let lp = 0
  let room = budget
  let count = 0
  for (const item of byDensity) {
    if (count >= cap) break
    if (item.cost <= room) {
      lp += item.value
      room -= item.cost
      count++
    } else {
      lp += item.value * (room / item.cost)
      break
    }
  }
  const topValues = [...items].sort((a, b) => b.value - a.value).slice(0, cap).reduce((sum, item) => sum + item.value, 0)
  return summarise(items, chosen.map(item => item.id), Math.min(lp, topValues), false)
}

const density = (item: KnapsackItem) => item.cost === 0 ? Infinity : item.value / item.cost

function summarise (items: readonly KnapsackItem[], chosen: number[], bound: number, exact: boolean): KnapsackResult {
  const byId = new Map(items.map(item => [item.id, item]))
  const totalValue = chosen.reduce((sum, id) => sum + (byId.get(id)?.value ?? 0), 0)
  const totalCost = chosen.reduce((sum, id) => sum + (byId.get(id)?.cost ?? 0), 0)
  const upperBound = exact ? totalValue : Math.max(bound, totalValue)
  return { chosen, totalValue, totalCost, upperBound, exact, gap: upperBound === 0 ? 0 : (upperBound - totalValue) / upperBound }
}

/** The baseline the tests compare against: highest priority first while the money lasts. */
export function greedyByValue (items: readonly KnapsackItem[], budget: number, capacity = items.length): number[] {
  const chosen: number[] = []
  let spent = 0
  for (const item of [...items].sort((a, b) => b.value - a.value || a.id - b.id)) {
    if (chosen.length >= capacity) break
    if (spent + item.cost <= budget) {
      chosen.push(item.id)
      spent += item.cost
    }
  }
  return chosen
}
