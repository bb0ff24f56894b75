// The pure matching core (no I/O, no clock: every date is an input). Public API:
//   policy/…                                   regional policy profiles, classification with trace (see policy/index.ts)
//   new Population(asOf, expectedPersons?)     columnar in-memory population; upsert(household, persons) / remove(id)
//                                              per household as the registry changes; get(id) reads one back
//   checkEligibility(population, rules, asOf)  per-person eligibility, counts by first failing rule (RULE_ORDER)
//   householdEligibility(population, householdId, rules, asOf)   one household's members and the rule each fails
//   rank(population, project, asOf, weights?, limit?)   eligible persons best first (ties by person id), with exclusion counts
//   explainProposal(population, householdId, project, ranking, weights?)   factors, weights, rules, exclusions (JSON)
//   explainScore(inputs, context, weights?)    the weighted factors of one score
//   knapsack(items, budget, capacity?, limits?)   whom a budget serves: exact (two-constraint DP, or a Lagrangian
//                                              search over budget-only DPs), else a choice with a proven bound
//   assignSeats(children, courses, options?)   training-voucher seats by min-cost max-flow (optional minimum share per town)
//   certifySeatAssignment(children, courses, options, result)   independent optimality proof on the unmerged network
//   voucherUrgency(asOf, hadClassThisHalfYear) a child's urgency level for the seat assignment
//   windowsFor(help), helpTags(help)           the duplicate windows of a help's kind and tags (run and confirmation share them), the tags it carries
//   checkDuplicateHelp(chain, help, rules?)    duplicate / complementary / clear at confirmation
//   recommendWishes(donor, wishes, asOf, limit?)   published wishes for a donor, with factors
export { Population, type PopulationHousehold, type PopulationPerson, type HouseholdView } from './population.js'
export { checkEligibility, householdEligibility, RULE_ORDER, RULE_NAMES, DEFAULT_STATUSES, type Eligibility, type EligibilityRule, type ProjectRules } from './eligibility.js'
export { rank, explainProposal, deadlineOf, type ProjectSpec, type Ranking, type ProposalExplanation } from './rank.js'
export {
  DEFAULT_WEIGHTS, SCORE_FACTORS, score, explainScore,
  type DonorPreferences, type FactorValue, type ScoreContext, type ScoreFactor, type ScoreInputs, type Weights
} from './score.js'
export { knapsack, greedyByValue, DEFAULT_KNAPSACK_LIMITS, type KnapsackItem, type KnapsackLimits, type KnapsackResult } from './knapsack.js'
export { assignSeats, placementCost, voucherUrgency, type SeatChild, type SeatCourse, type SeatOptions, type SeatResult, type TownPlacement } from './seat-assignment.js'
export { certifySeatAssignment, type SeatCertificate } from './seat-certificate.js'
export { checkDuplicateHelp, helpTags, windowsFor, DEFAULT_DUPLICATE_RULES, type DuplicateRule, type DuplicateVerdict, type HelpSpec, type ProposedHelp } from './duplicate-help.js'
export { standingEntries, summariseChain, type ChainEntry, type ChainSummary } from './assistance-chain.js'
export { halfYearProgress, ymd } from './dates.js'
export { recommendWishes, type DonorPreferences as WishDonorPreferences, type PublishedWish, type Recommendation } from './recommend.js'
