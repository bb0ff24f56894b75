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

export function rank (population: Population, project: ProjectSpec, asOf: string, weights: Weights = DEFAULT_WEIGHTS): Ranking {
  const excluded = Object.fromEntries(RULE_ORDER.map(rule => [rule, 0])) as Record<EligibilityRule, number>
  const today = dayNumber(asOf)
  const { persons } = population.size
  const ids = new Int32Array(persons)
  const households = new Int32Array(persons)
  const scores = new Float64Array(persons)
  let n = 0
  for (const household of population.values()) {
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
  const order = new Uint32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  order.sort((a, b) => (scores[b] as number) - (scores[a] as number) || (ids[a] as number) - (ids[b] as number))
  const ranking: Ranking = { personIds: new Int32Array(n), householdIds: new Int32Array(n), scores: new Float64Array(n), excluded }
  for (let i = 0; i < n; i++) {
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
