// Priority of a person for a project: a weighted sum of factors, each normalised to [0, 1]
// and reported with its raw value, weight and contribution.
import { categoryRank, CATEGORIES, type CategoryOrNone, type Hardship } from './domain.js'

export const SCORE_FACTORS = ['severity', 'hardship', 'income_gap', 'little_recent_help', 'waiting', 'proximity', 'urgency'] as const
export type ScoreFactor = typeof SCORE_FACTORS[number]
export type Weights = Record<ScoreFactor, number>

/** Default weights: category severity and need first, then fairness (less recent help) and place. */
export const DEFAULT_WEIGHTS: Weights = {
  severity: 0.30, hardship: 0.15, income_gap: 0.20, little_recent_help: 0.15, waiting: 0.05, proximity: 0.10, urgency: 0.05
}

/** Help worth this much in 12 months counts as "a lot" (the factor reaches 0). */
export const RECENT_HELP_SATURATION = 5000

export interface ScoreInputs {
  category: CategoryOrNone
  hardships: readonly Hardship[]
  perCapitaMonthlyIncome: number
  /** The line the income is measured against (e.g. the edge line), yuan per month. */
  incomeLine: number
  charityValueLast12Months: number
  /** Days the need has waited (0 when not applicable). */
  daysWaiting: number
  regionCode: string
  /** The project's or donor's place: a village, town or county code; '' for none. */
  near: string
  /** 0…1, e.g. how far into the half-year a voucher run is. */
  urgency: number
}

export interface FactorValue {
  factor: ScoreFactor
  value: number | string
  normalised: number
  weight: number
  contribution: number
}

const clamp = (x: number) => x < 0 ? 0 : x > 1 ? 1 : x

export function normalisedFactors (inputs: ScoreInputs): Record<ScoreFactor, number> {
  const proximity = inputs.near === '' ? 0
    : inputs.regionCode.startsWith(inputs.near) ? (inputs.near.length >= 12 ? 1 : inputs.near.length >= 9 ? 0.75 : 0.5)
      : inputs.regionCode.slice(0, 9) === inputs.near.slice(0, 9) ? 0.75 : 0
  return {
    severity: 1 - categoryRank(inputs.category) / CATEGORIES.length,
    hardship: clamp(inputs.hardships.length / 3),
    income_gap: inputs.incomeLine > 0 ? clamp((inputs.incomeLine - inputs.perCapitaMonthlyIncome) / inputs.incomeLine) : 0,
    little_recent_help: 1 - clamp(inputs.charityValueLast12Months / RECENT_HELP_SATURATION),
    waiting: clamp(inputs.daysWaiting / 365),
    proximity,
    urgency: clamp(inputs.urgency)
  }
}

export function score (inputs: ScoreInputs, weights: Weights = DEFAULT_WEIGHTS): number {
  const f = normalisedFactors(inputs)
  let total = 0
  for (const factor of SCORE_FACTORS) total += f[factor] * weights[factor]
  return total
}

/** The explanation stored with a proposal. */
export function explainScore (inputs: ScoreInputs, weights: Weights = DEFAULT_WEIGHTS): { score: number, factors: FactorValue[] } {
  const f = normalisedFactors(inputs)
  const raw: Record<ScoreFactor, number | string> = {
    severity: inputs.category,
    hardship: inputs.hardships.join(',') || '—',
    income_gap: inputs.incomeLine - inputs.perCapitaMonthlyIncome,
    little_recent_help: inputs.charityValueLast12Months,
    waiting: inputs.daysWaiting,
    proximity: `${inputs.regionCode}↔${inputs.near || '—'}`,
    urgency: inputs.urgency
  }
  const factors = SCORE_FACTORS.map(factor => ({ factor, value: raw[factor], normalised: f[factor], weight: weights[factor], contribution: f[factor] * weights[factor] }))
  return { score: factors.reduce((sum, x) => sum + x.contribution, 0), factors }
}
