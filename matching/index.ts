// The pure matching core. Public API:
//   policy/…                     regional policy profiles, classification with trace (see policy/index.ts)
//   Population                   the in-memory view of households (chain summarised), replaceable per household
//   rank(population, project, asOf, weights?)     eligible persons, best first, with exclusion counts
//   explainProposal(...)         factors, weights and the excluding rules for one proposal
//   knapsack(items, budget, capacity)             whom a budget serves (exact, or with a proven bound)
//   assignSeats(children, courses, options)       training-voucher seats by min-cost max-flow
//   checkDuplicateHelp(chain, help, rules?)       duplicate / complementary / clear at confirmation
//   recommendWishes(donor, wishes, asOf)          published wishes for a donor
export { Population, type PopulationHousehold, type PopulationPerson } from './population.js'
export { rank, explainProposal, type ProjectSpec, type Ranking } from './rank.js'
export { RULE_ORDER, type ProjectRules, type EligibilityRule } from './eligibility.js'
export { DEFAULT_WEIGHTS, SCORE_FACTORS, score, explainScore, type Weights, type ScoreInputs, type FactorValue } from './score.js'
export { knapsack, greedyByValue, type KnapsackItem, type KnapsackResult } from './knapsack.js'
export { assignSeats, placementCost, type SeatChild, type SeatCourse, type SeatOptions, type SeatResult } from './seat-assignment.js'
export { checkDuplicateHelp, DEFAULT_DUPLICATE_RULES, type DuplicateRule, type DuplicateVerdict, type ProposedHelp } from './duplicate-help.js'
export { standingEntries, summariseChain, type ChainEntry } from './assistance-chain.js'
export { recommendWishes, type DonorPreferences, type PublishedWish, type Recommendation } from './recommend.js'
