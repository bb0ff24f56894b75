// The pure matching core: no I/O and no clock (every date is an input). Each export is
// documented where it is defined; policy/ (profiles, classification with trace) has its own index.
export { Population, type PopulationHousehold, type PopulationPerson, type HouseholdView } from './population.js'
export { checkEligibility, householdEligibility, RULE_ORDER, RULE_NAMES, DEFAULT_STATUSES, type Eligibility, type EligibilityRule, type ProjectRules } from './eligibility.js'
export { rank, explainProposal, deadlineOf, type ProjectSpec, type Ranking, type ProposalExplanation } from './rank.js'
export {
  DEFAULT_WEIGHTS, SCORE_FACTORS, score, explainScore,
  type DonorFitPreferences, type FactorValue, type ScoreContext, type ScoreFactor, type ScoreInputs, type Weights
} from './score.js'
export { knapsack, greedyByValue, DEFAULT_KNAPSACK_LIMITS, type KnapsackItem, type KnapsackLimits, type KnapsackResult } from './knapsack.js'
export { assignSeats, placementCost, voucherUrgency, type SeatChild, type SeatCourse, type SeatOptions, type SeatResult, type TownPlacement } from './seat-assignment.js'
export { certifySeatAssignment, type SeatCertificate } from './seat-certificate.js'
export { checkDuplicateHelp, helpTags, windowsFor, DEFAULT_DUPLICATE_RULES, type DuplicateRule, type DuplicateVerdict, type HelpSpec, type ProposedHelp } from './duplicate-help.js'
export { standingEntries, summariseChain, type ChainEntry, type ChainSummary } from './assistance-chain.js'
export { halfYearProgress, ymd } from './dates.js'
export { recommendWishes, type WishPreferences, type PublishedWish, type Recommendation } from './recommend.js'
