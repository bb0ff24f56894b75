// Ranking everyone in the population for one project: eligibility (counting who each rule
// excluded), then one score per household read straight from the columns; the full
// explanation is computed only for the persons actually proposed.
import { CATEGORIES, HARDSHIPS, HELP_KINDS, onePlacePerHousehold } from './domain.js'
import { epochDay, halfYearOf, halfYearProgress, ymd } from './dates.js'
import { windowsFor, type DuplicateRule } from './duplicate-help.js'
import { checkEligibility, RULE_ORDER, type EligibilityRule, type ProjectRules } from './eligibility.js'
import type { Population } from './population.js'
import {
  DEFAULT_WEIGHTS, explainScore, normalise, prepareContext, SCORE_FACTORS, weightVector,
  type DonorFitPreferences, type FactorInputs, type FactorValue, type ScoreInputs, type Weights
} from './score.js'

export interface ProjectSpec {
  rules: ProjectRules
  /** The project's (or its donor's) place, a village, town or county code, for proximity; '' for none. */
  near: string
  /** 0…1, how pressing the deadline is; absent: for training vouchers how far into the half-year asOf is, else 0. */
  urgency?: number
  /** The preferences of the donor funding the project; absent or null: no funding donor, and donor fit is 0 for everyone. */
  donor?: DonorFitPreferences | null
  /** The part of the population the project considers (region-code prefixes); absent: all of it. */
  scope?: readonly string[]
}

export interface Ranking {
  asOf: string
  /** The deadline pressure used for the urgency factor. */
  deadline: number
  /** How many persons the project's scope holds (eligible or excluded). */
  considered: number
  /** How many persons passed the rules (may exceed the length of the lists when a limit was given). */
  eligible: number
  /** How many households have someone who passed the rules. */
  households: number
  /** Person ids, best first (ties by person id); one per household for kinds that serve a household once. */
  personIds: Int32Array
  householdIds: Int32Array
  scores: Float64Array
  /** Persons excluded, by the first rule they failed. */
  excluded: Record<EligibilityRule, number>
}

/** What is stored with a proposal (JSON): why this person, and why not the others. */
export interface ProposalExplanation {
  score: number
  factors: FactorValue[]
  weights: Weights
  rules: ProjectRules
  /** The duplicate windows the rules applied (the same ones confirmation checks). */
  windows: DuplicateRule[]
  ruleOrder: readonly EligibilityRule[]
  /** Persons each rule excluded in the run, by the first rule they failed in ruleOrder. */
  excludedByRule: Record<EligibilityRule, number>
  parameters: { asOf: string, near: string, deadline: number, donor: DonorFitPreferences | null, eligible: number }
}

/** 0…1, how pressing the project's deadline is on `asOf`: its own urgency, or for training vouchers how far into the half-year. */
export const deadlineOf = (project: ProjectSpec, asOf: string) =>
  project.urgency ?? (project.rules.kind === 'training_voucher' ? halfYearProgress(ymd(asOf)) : 0)

/** A household slot's values as the score reads them. */
function factorInputsOf (population: Population, slot: number, kindIndex: number, today: number, out: FactorInputs): FactorInputs {
  const h = population.households
  const need = h.needSince[slot] as number
  const lastOfKind = h.lastKind[slot * HELP_KINDS.length + kindIndex] as number
  out.categoryRank = h.category[slot] as number
  out.hardshipMask = h.hardships[slot] as number
  out.perCapitaMonthlyIncome = h.income[slot] as number
  out.incomeLine = h.incomeLine[slot] as number
  out.charityValueLast12Months = h.charity12[slot] as number
  out.daysWaiting = need < 0 ? 0 : Math.max(0, epochDay(today) - need)
  out.village = h.village[slot] as number
  out.helpedThisHalfYear = lastOfKind !== 0 && halfYearOf(lastOfKind) === halfYearOf(today)
  return out
}

const emptyInputs = (): FactorInputs => ({ categoryRank: 0, hardshipMask: 0, perCapitaMonthlyIncome: 0, incomeLine: 0, charityValueLast12Months: 0, daysWaiting: 0, village: 0, helpedThisHalfYear: false })

/** Best first: higher score, then lower id. */
const better = (scores: Float64Array, ids: Int32Array, a: number, b: number) =>
  (scores[a] as number) > (scores[b] as number) || ((scores[a] as number) === (scores[b] as number) && (ids[a] as number) < (ids[b] as number))

/** Indexes of the best `k` of n (a bounded heap whose root is the worst kept), best first. */
function topIndexes (scores: Float64Array, ids: Int32Array, n: number, k: number): Uint32Array {
  if (k >= n) {
    const all = new Uint32Array(n)
    for (let i = 0; i < n; i++) all[i] = i
    return all.sort((a, b) => better(scores, ids, a, b) ? -1 : 1)
  }
  const heap = new Uint32Array(k)
  let size = 0
  const swap = (i: number, j: number) => { const x = heap[i] as number; heap[i] = heap[j] as number; heap[j] = x }
  for (let x = 0; x < n; x++) {
    if (size < k) {
      heap[size] = x
      for (let i = size++; i > 0;) {
        const parent = (i - 1) >> 1
        if (!better(scores, ids, heap[parent] as number, heap[i] as number)) break
        swap(i, parent)
        i = parent
      }
    } else if (better(scores, ids, x, heap[0] as number)) {
      heap[0] = x
      for (let i = 0; ;) {
        const left = 2 * i + 1
        if (left >= size) break
        const right = left + 1
        const worse = right < size && better(scores, ids, heap[left] as number, heap[right] as number) ? right : left
        if (!better(scores, ids, heap[i] as number, heap[worse] as number)) break
        swap(i, worse)
        i = worse
      }
    }
  }
  return heap.slice(0, size).sort((a, b) => better(scores, ids, a, b) ? -1 : 1)
}

/**
 * Ranks everyone eligible; with `limit`, only the best `limit`. Members of a household share
 * its score, so households are ordered (by score, then their smallest eligible person id) and
 * expanded: the best `limit` persons always lie in the best `limit` households. For kinds that
 * give a household one place (fund, dream room) a household stands for itself once, by its
 * smallest eligible person id.
 */
export function rank (population: Population, project: ProjectSpec, asOf: string, weights: Weights = DEFAULT_WEIGHTS, limit = Infinity): Ranking {
  const today = ymd(asOf)
  const deadline = deadlineOf(project, asOf)
  const { firstFailing, considered, eligible, excluded } = checkEligibility(population, project.rules, asOf, project.scope)
  const context = prepareContext({ near: project.near, donor: project.donor, deadline })
  const w = weightVector(weights)
  const kindIndex = HELP_KINDS.indexOf(project.rules.kind)
  const perHousehold = onePlacePerHousehold(project.rules.kind)
  const h = population.households
  const p = population.persons

  // One score per household with someone eligible; its smallest eligible person id breaks ties.
  const slots = new Int32Array(population.householdSlots)
  const householdScores = new Float64Array(population.householdSlots)
  const minIds = new Int32Array(population.householdSlots)
  const inputs = emptyInputs()
  const normalised = new Float64Array(SCORE_FACTORS.length)
  let n = 0
  for (let slot = 0; slot < population.householdSlots; slot++) {
    if (!h.live[slot]) continue
    const first = h.firstPerson[slot] as number
    const end = first + (h.personCount[slot] as number)
    let minId = Infinity
    for (let q = first; q < end; q++) if (firstFailing[q] === -1 && (p.id[q] as number) < minId) minId = p.id[q] as number
    if (minId === Infinity) continue
    normalise(factorInputsOf(population, slot, kindIndex, today, inputs), context, normalised)
    let total = 0
    for (let f = 0; f < normalised.length; f++) total += (normalised[f] as number) * (w[f] as number)
    slots[n] = slot
    householdScores[n] = total
    minIds[n] = minId
    n++
  }
  const order = topIndexes(householdScores, minIds, n, Math.min(n, limit))

  // Expand households into persons; households with equal scores interleave by person id.
  const kept = Math.min(perHousehold ? n : eligible, limit)
  const ranking: Ranking = { asOf, deadline, considered, eligible, households: n, personIds: new Int32Array(kept), householdIds: new Int32Array(kept), scores: new Float64Array(kept), excluded }
  let out = 0
  for (let i = 0; i < order.length && out < kept;) {
    const groupScore = householdScores[order[i] as number] as number
    const group: Array<{ person: number, household: number }> = []
    for (; i < order.length && householdScores[order[i] as number] === groupScore; i++) {
      const slot = slots[order[i] as number] as number
      if (perHousehold) {
        group.push({ person: minIds[order[i] as number] as number, household: h.id[slot] as number })
        continue
      }
      const first = h.firstPerson[slot] as number
      const end = first + (h.personCount[slot] as number)
      for (let q = first; q < end; q++) if (firstFailing[q] === -1) group.push({ person: p.id[q] as number, household: h.id[slot] as number })
    }
    if (group.length > 1) group.sort((a, b) => a.person - b.person)
    for (const { person, household } of group) {
      if (out >= kept) break
      ranking.personIds[out] = person
      ranking.householdIds[out] = household
      ranking.scores[out] = groupScore
      out++
    }
  }
  return ranking
}

/** The score inputs of one household as stored, in codes (for explanations). */
export function scoreInputsOf (population: Population, householdId: number, kind: ProjectRules['kind'], asOf: string): ScoreInputs {
  const slot = population.slot(householdId)
  if (slot === undefined) throw new Error(`household ${householdId} is not in the population`)
  const f = factorInputsOf(population, slot, HELP_KINDS.indexOf(kind), ymd(asOf), emptyInputs())
  return {
    category: CATEGORIES[f.categoryRank] ?? 'none',
    hardships: HARDSHIPS.filter((_, i) => (f.hardshipMask & (1 << i)) !== 0),
    perCapitaMonthlyIncome: f.perCapitaMonthlyIncome,
    incomeLine: f.incomeLine,
    charityValueLast12Months: f.charityValueLast12Months,
    daysWaiting: f.daysWaiting,
    regionCode: String(f.village).padStart(12, '0'),
    helpedThisHalfYear: f.helpedThisHalfYear
  }
}

/** The explanation for one proposed person: factors, weights, the rules and what they excluded. */
export function explainProposal (population: Population, householdId: number, project: ProjectSpec, ranking: Ranking, weights: Weights = DEFAULT_WEIGHTS): ProposalExplanation {
  const inputs = scoreInputsOf(population, householdId, project.rules.kind, ranking.asOf)
  const donor = project.donor ?? null
  return {
    ...explainScore(inputs, { near: project.near, donor, deadline: ranking.deadline }, weights),
    weights,
    rules: project.rules,
    windows: windowsFor(project.rules),
    ruleOrder: RULE_ORDER,
    excludedByRule: ranking.excluded,
    parameters: { asOf: ranking.asOf, near: project.near, deadline: ranking.deadline, donor, eligible: ranking.eligible }
  }
}
