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
  /** Sum of the chosen items' values. */
  totalPriority: number
  totalCost: number
  /** No feasible choice has a higher total value than this. */
  upperBound: number
  exact: boolean
  /** (upperBound − totalPriority) / upperBound; 0 when exact. */
  gap: number
}

export interface KnapsackLimits {
  /** Cells the two-constraint DP may use: items × (budget + 1) × (capacity + 1). */
  dpCells: number
  /** Cells of one budget-only DP in the Lagrangian search: items × (budget + 1). */
  budgetDpCells: number
  /** Budget-only DPs the Lagrangian search may run before settling for a bound. */
  lagrangianSteps: number
}

export const DEFAULT_KNAPSACK_LIMITS: KnapsackLimits = { dpCells: 60_000_000, budgetDpCells: 20_000_000, lagrangianSteps: 24 }

/**
 * Exact by DP over budget and count when that fits `limits.dpCells`; then by the Lagrangian
 * search over budget-only DPs (exact when it finds a multiplier that fills the capacity);
 * otherwise the best greedy choice with a proven upper bound.
 */
export function knapsack (items: readonly KnapsackItem[], givenBudget: number, capacity = items.length, limits: Partial<KnapsackLimits> = {}): KnapsackResult {
  const { dpCells, budgetDpCells, lagrangianSteps } = { ...DEFAULT_KNAPSACK_LIMITS, ...limits }
  // An overdrawn budget (committed beyond it by hand, say) buys nothing; it is not an error.
  const budget = Math.max(0, givenBudget)
  const usable = items.filter(item => item.cost <= budget && item.value > 0)
  const cap = Math.min(capacity, usable.length)
  // Equal costs (one unit price per project, the usual case): the best are simply the top values.
  const first = usable[0]
  if (first && usable.every(item => item.cost === first.cost)) {
    const count = Math.min(cap, first.cost === 0 ? cap : Math.floor(budget / first.cost))
    return summarise(usable, greedyByValue(usable, budget, count), 0, true)
  }
  // Costs are multiples of their gcd, so budget ÷ gcd rounded down loses nothing.
  const units = gcdOf(usable.map(item => item.cost))
  const scaledBudget = Math.floor(budget / units)
  if (usable.length * (scaledBudget + 1) * (cap + 1) <= dpCells) return exactDp(usable, scaledBudget, cap, units)
  const greedy = boundedGreedy(usable, budget, cap)
  if (usable.length * (scaledBudget + 1) > budgetDpCells) return greedy
  return lagrangianDp(usable, scaledBudget, cap, units, greedy, lagrangianSteps)
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
 * Large instances: a feasible choice (the best of a few greedy orders) and an upper bound from
 * the Lagrangian relaxation of the count constraint: for any λ ≥ 0,
 *   λ·cap + (LP relaxation of the budget-only knapsack over values v − λ)
 * bounds every feasible choice, and its minimum over λ is the bound of the full LP relaxation.
 * Every λ tried gives a valid bound, so an approximate search over λ is still a proof.
 */
function boundedGreedy (items: readonly KnapsackItem[], budget: number, cap: number): KnapsackResult {
  const maxValue = items.reduce((max, item) => Math.max(max, item.value), 0)
  let bestLambda = 0
  let bound = lagrangianBound(items, budget, cap, 0)
  // Golden-section search: the bound is convex in λ.
  const ratio = (Math.sqrt(5) - 1) / 2
  let lo = 0
  let hi = maxValue
  let a = hi - ratio * (hi - lo)
  let b = lo + ratio * (hi - lo)
  let fa = lagrangianBound(items, budget, cap, a)
  let fb = lagrangianBound(items, budget, cap, b)
  for (let step = 0; step < 40; step++) {
    if (fa <= fb) {
      hi = b; b = a; fb = fa; a = hi - ratio * (hi - lo); fa = lagrangianBound(items, budget, cap, a)
    } else {
      lo = a; a = b; fa = fb; b = lo + ratio * (hi - lo); fb = lagrangianBound(items, budget, cap, b)
    }
    if (fa < bound) { bound = fa; bestLambda = a }
    if (fb < bound) { bound = fb; bestLambda = b }
  }
  const candidates = [
    fillInOrder(byAdjustedDensity(items, 0), budget, cap),
    fillInOrder(byAdjustedDensity(items, bestLambda), budget, cap),
    greedyByValue(items, budget, cap)
  ].map(chosen => summarise(items, chosen, bound, false))
  return candidates.reduce((best, c) => c.totalPriority > best.totalPriority ? c : best)
}

/**
 * Moderate instances too large for the two-constraint DP: price the count at λ and solve the
 * budget-only knapsack over values v − λ exactly. A solution with exactly `cap` items (or at
 * most `cap` at λ = 0) is optimal: for any feasible y, Σv·y = Σ(v − λ)·y + λ·|y| ≤ Σ(v − λ)·x + λ·cap = Σv·x.
 * λ is found by bisection (the count falls as λ rises); every λ tried also bounds the optimum.
 */
function lagrangianDp (items: readonly KnapsackItem[], budget: number, cap: number, units: number, greedy: KnapsackResult, steps: number): KnapsackResult {
  const maxValue = items.reduce((max, item) => Math.max(max, item.value), 0)
  let bound = greedy.upperBound
  let best = greedy
  const tryLambda = (lambda: number): number => {
    const chosen = budgetOnlyDp(items, budget, units, lambda)
    const solution = summarise(items, chosen, 0, false)
    bound = Math.min(bound, lambda * cap + solution.totalPriority - lambda * chosen.length)
    if (chosen.length <= cap && solution.totalPriority > best.totalPriority) best = solution
    if (chosen.length === cap || (lambda === 0 && chosen.length <= cap)) best = { ...solution, upperBound: solution.totalPriority, exact: true, gap: 0 }
    return chosen.length
  }
  if (tryLambda(0) <= cap) return best
  let lo = 0
  let hi = maxValue
  for (let step = 1; step < steps && !best.exact; step++) {
    const lambda = (lo + hi) / 2
    if (tryLambda(lambda) > cap) lo = lambda
    else hi = lambda
  }
  return best.exact ? best : summarise(items, best.chosen, bound, false)
}

/** Item ids maximising Σ(v − λ) with cost ≤ budget (in units), exactly. */
function budgetOnlyDp (items: readonly KnapsackItem[], budget: number, units: number, lambda: number): number[] {
  const gaining = items.filter(item => item.value > lambda)
  const best = new Float64Array(budget + 1)
  const taken = new Uint8Array(gaining.length * (budget + 1))
  gaining.forEach((item, i) => {
    const w = Math.round(item.cost / units)
    const gain = item.value - lambda
    for (let c = budget; c >= w; c--) {
      const withItem = (best[c - w] as number) + gain
      if (withItem > (best[c] as number) + 1e-12) {
        best[c] = withItem
        taken[i * (budget + 1) + c] = 1
      }
    }
  })
  const chosen: number[] = []
  let c = budget
  for (let i = gaining.length - 1; i >= 0; i--) {
    if (taken[i * (budget + 1) + c]) {
      const item = gaining[i] as KnapsackItem
      chosen.push(item.id)
      c -= Math.round(item.cost / units)
    }
  }
  return chosen.reverse()
}

/** Items by (v − λ) / cost, best first (free items with a gain first, ties by id). */
function byAdjustedDensity (items: readonly KnapsackItem[], lambda: number): KnapsackItem[] {
  const density = (item: KnapsackItem) => item.cost === 0 ? (item.value > lambda ? Infinity : -Infinity) : (item.value - lambda) / item.cost
  return [...items].sort((a, b) => density(b) - density(a) || a.id - b.id)
}

function fillInOrder (ordered: readonly KnapsackItem[], budget: number, cap: number): number[] {
  const chosen: number[] = []
  let spent = 0
  for (const item of ordered) {
    if (chosen.length >= cap) break
    if (spent + item.cost <= budget) {
      chosen.push(item.id)
      spent += item.cost
    }
  }
  return chosen
}

export function lagrangianBound (items: readonly KnapsackItem[], budget: number, cap: number, lambda: number): number {
  let total = lambda * cap
  let room = budget
  for (const item of byAdjustedDensity(items, lambda)) {
    const gain = item.value - lambda
    if (gain <= 0) break
    if (item.cost <= room) {
      total += gain
      room -= item.cost
    } else {
      total += gain * (room / item.cost)
      break
    }
  }
  return total
}

function summarise (items: readonly KnapsackItem[], chosen: number[], bound: number, exact: boolean): KnapsackResult {
  const byId = new Map(items.map(item => [item.id, item]))
  const totalPriority = chosen.reduce((sum, id) => sum + (byId.get(id)?.value ?? 0), 0)
  const totalCost = chosen.reduce((sum, id) => sum + (byId.get(id)?.cost ?? 0), 0)
  const upperBound = exact ? totalPriority : Math.max(bound, totalPriority)
  return { chosen, totalPriority, totalCost, upperBound, exact, gap: upperBound === 0 ? 0 : (upperBound - totalPriority) / upperBound }
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
