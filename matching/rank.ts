// Ranking everyone in the population for one project: eligibility first (counting who each
// rule excluded), then the score; full explanations are computed only for those proposed.
import { householdExclusion, personExclusion, RULE_ORDER, type EligibilityRule, type ProjectRules } from './eligibility.js'
import { ageFrom, dayNumber, type HouseholdState, type Population } from './population.js'
import { DEFAULT_WEIGHTS, explainScore, score, type ScoreInputs, type Weights } from './score.js'

export interface ProjectSpec {
  rules: ProjectRules
  /** The project's place (a region code) for proximity; '' for none. */
  near: string
  /** 0…1, how pressing the project's deadline is (training vouchers near the end of the half-year). */
  urgency: number
}

export interface Ranking {
  /** How many passed the rules (may exceed the length of the lists when a limit was given). */
  eligible: number
  /** Person ids, best first (ties by person id). */
  personIds: Int32Array
  householdIds: Int32Array
  scores: Float64Array
  excluded: Record<EligibilityRule, number>
}

export function scoreInputs (household: HouseholdState, project: ProjectSpec): ScoreInputs {
  return {
    category: household.category,
    hardships: household.hardships,
    perCapitaMonthlyIncome: household.perCapitaMonthlyIncome,
    incomeLine: household.incomeLine,
    charityValueLast12Months: household.charityValueLast12Months,
    daysWaiting: 0,
    regionCode: household.regionCode,
    near: project.near,
    urgency: project.urgency
  }
}

/** Best first: higher score, then lower person id. */
const better = (scores: Float64Array, ids: Int32Array, a: number, b: number) =>
  (scores[a] as number) > (scores[b] as number) || ((scores[a] as number) === (scores[b] as number) && (ids[a] as number) < (ids[b] as number))

/** Indexes of the best `k` of n (a bounded heap whose root is the worst kept), best first. */
function topIndexes (scores: Float64Array, ids: Int32Array, n: number, k: number): Uint32Array {
  const heap = new Uint32Array(k)
  let size = 0
  const siftDown = (i: number) => {
    for (;;) {
      const left = 2 * i + 1
      if (left >= size) return
      const right = left + 1
      const worse = right < size && better(scores, ids, heap[left] as number, heap[right] as number) ? right : left
      if (!better(scores, ids, heap[i] as number, heap[worse] as number)) return
      const swap = heap[i] as number
      heap[i] = heap[worse] as number
      heap[worse] = swap
      i = worse
    }
  }
  for (let x = 0; x < n; x++) {
    if (size < k) {
      heap[size] = x
      for (let i = size++; i > 0;) {
        const parent = (i - 1) >> 1
        if (!better(scores, ids, heap[parent] as number, heap[i] as number)) break
        const swap = heap[i] as number
        heap[i] = heap[parent] as number
        heap[parent] = swap
        i = parent
      }
    } else if (better(scores, ids, x, heap[0] as number)) {
      heap[0] = x
      siftDown(0)
    }
  }
  return heap.slice(0, size).sort((a, b) => better(scores, ids, a, b) ? -1 : 1)
}

/** Ranks everyone eligible; with `limit`, keeps only the best `limit` (a proposal run needs no more). */
export function rank (population: Population, project: ProjectSpec, asOf: string, weights: Weights = DEFAULT_WEIGHTS, limit = Infinity): Ranking {
  const excluded = Object.fromEntries(RULE_ORDER.map(rule => [rule, 0])) as Record<EligibilityRule, number>
  const today = dayNumber(asOf)
  const { persons } = population.size
  const ids = new Int32Array(persons)
  const households = new Int32Array(persons)
  const scores = new Float64Array(persons)
  let n = 0
  // Households outside the project's towns are counted as excluded by region without visiting them.
  let visited = 0
  for (const household of population.within(project.rules.regionCodes)) {
    visited += household.persons.length
    const out = householdExclusion(household, project.rules)
    if (out) { excluded[out] += household.persons.length; continue }
    const householdScore = score(scoreInputs(household, project), weights)
    for (const person of household.persons) {
      const why = personExclusion({ age: ageFrom(person.birth, today), schoolStage: person.schoolStage }, household, project.rules, asOf)
      if (why) { excluded[why]++; continue }
      ids[n] = person.id
      households[n] = household.id
      scores[n] = householdScore
      n++
    }
  }
  excluded.region += persons - visited
  let order: Uint32Array
  if (limit < n) {
    order = topIndexes(scores, ids, n, limit)
  } else {
    order = new Uint32Array(n)
    for (let i = 0; i < n; i++) order[i] = i
    order.sort((a, b) => (scores[b] as number) - (scores[a] as number) || (ids[a] as number) - (ids[b] as number))
  }
  const kept = order.length
  const ranking: Ranking = { eligible: n, personIds: new Int32Array(kept), householdIds: new Int32Array(kept), scores: new Float64Array(kept), excluded }
  for (let i = 0; i < kept; i++) {
    const k = order[i] as number
    ranking.personIds[i] = ids[k] as number
    ranking.householdIds[i] = households[k] as number
    ranking.scores[i] = scores[k] as number
  }
  return ranking
}

/** The explanation for one proposed person: factors, weights and what the run excluded. */
export function explainProposal (population: Population, householdId: number, project: ProjectSpec, ranking: Ranking, weights: Weights = DEFAULT_WEIGHTS) {
  const household = population.get(householdId)
  if (!household) throw new Error(`household ${householdId} is not in the population`)
  return { ...explainScore(scoreInputs(household, project), weights), rules: project.rules, excludedByRule: ranking.excluded }
}
