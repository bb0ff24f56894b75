// Priority of a person for a project: a weighted sum of factors, each normalised to [0, 1] and
// reported with its raw value, weight and contribution. One normalisation (`normalise`) serves
// both the fast path over the population's columns (rank) and the explanation of one proposal,
// so the explained score is the ranked score.
import { CATEGORIES, categoryRank, HARDSHIPS, type CategoryOrNone, type Hardship } from './domain.js'
import { regionRange } from './eligibility.js'

export const SCORE_FACTORS = ['severity', 'hardship', 'income_gap', 'little_recent_help', 'waiting', 'proximity', 'donor_fit', 'urgency'] as const
export type ScoreFactor = typeof SCORE_FACTORS[number]
export type Weights = Record<ScoreFactor, number>

/**
 * Default weights (sum 1): need first — category severity in 就高 order, the income gap,
 * hardships — then fairness (less help in the last 12 months ranks higher), then place, the
 * donor's wishes, how long the need has waited and how pressing the deadline is.
 */
export const DEFAULT_WEIGHTS: Weights = {
  severity: 0.25, hardship: 0.15, income_gap: 0.20, little_recent_help: 0.15, waiting: 0.05, proximity: 0.10, donor_fit: 0.05, urgency: 0.05
}

/** Charity help worth this much in 12 months counts as "a lot" (the factor reaches 0). */
export const RECENT_HELP_SATURATION = 5000
/** Three hardship tags or more is the most. */
export const HARDSHIP_SATURATION = 3
/** A year of waiting is the most. */
export const WAITING_SATURATION_DAYS = 365
/** Proximity by the finest level the household shares with the project's or donor's place. */
export const PROXIMITY = { village: 1, town: 2 / 3, county: 1 / 3, elsewhere: 0 } as const

/** What a donor funding the project prefers of the people it serves (the donor-fit factor); each stated preference met adds to the fit. */
export interface DonorFitPreferences {
  regionCodes?: readonly string[]
  categories?: readonly CategoryOrNone[]
  hardships?: readonly Hardship[]
}

/** The project-wide part of scoring, prepared once per run. */
export interface ScoreContext {
  /** The project's or donor's place (a village, town or county code); '' for none. */
  near: string
  donor?: DonorFitPreferences | null
  /** 0…1: how pressing the deadline is (training vouchers: how far into the half-year). */
  deadline: number
}

/** A household's values as the population stores them. */
export interface FactorInputs {
  /** categoryRank: 0 most severe … CATEGORIES.length for none. */
  categoryRank: number
  /** Bit i: HARDSHIPS[i]. */
  hardshipMask: number
  perCapitaMonthlyIncome: number
  incomeLine: number
  charityValueLast12Months: number
  daysWaiting: number
  /** The 12-digit village code as a number. */
  village: number
  /** Already helped with the project's kind in the current half-year. */
  helpedThisHalfYear: boolean
}

const clamp = (x: number) => x < 0 ? 0 : x > 1 ? 1 : x
const bits = (mask: number) => { let n = 0; for (let m = mask; m; m &= m - 1) n++; return n }

/** The context in the form the per-household loop reads. */
export interface PreparedContext {
  /** The place's prefixes, finest level first: village code ÷ scale equals prefix when shared. */
  near: Array<{ level: number, scale: number, prefix: number }>
  donorRegions: Array<[number, number]> | null
  donorCategories: number | null
  donorHardships: number | null
  deadline: number
}

const LEVELS = [['county', 6], ['town', 9], ['village', 12]] as const

export function prepareContext (context: ScoreContext): PreparedContext {
  const mask = <T>(values: readonly T[] | undefined, index: (value: T) => number) =>
    values && values.length > 0 ? values.reduce((m, v) => m | (1 << index(v)), 0) : null
  const level = LEVELS.findIndex(([, digits]) => digits === context.near.length)
  if (context.near !== '' && level === -1) throw new Error(`place ${context.near} is not a county, town or village code`)
  const donor = context.donor ?? {}
  return {
    near: LEVELS.slice(0, level + 1).map(([, digits], l) => ({ level: l, scale: 10 ** (12 - digits), prefix: Number(context.near.slice(0, digits)) })).reverse(),
    donorRegions: donor.regionCodes && donor.regionCodes.length > 0 ? donor.regionCodes.map(regionRange) : null,
    donorCategories: mask(donor.categories, categoryRank),
    donorHardships: mask(donor.hardships, tag => HARDSHIPS.indexOf(tag)),
    deadline: clamp(context.deadline)
  }
}

/** Finest level shared with the place: 2 village, 1 town, 0 county, −1 none (or no place given). */
function sharedLevel (village: number, near: PreparedContext['near']): number {
  for (const { level, scale, prefix } of near) if (Math.floor(village / scale) === prefix) return level
  return -1
}

/** Donor preferences stated and met. */
function donorMatches (inputs: FactorInputs, context: PreparedContext): [met: number, stated: number] {
  let met = 0
  let stated = 0
  if (context.donorRegions) { stated++; if (context.donorRegions.some(([from, to]) => inputs.village >= from && inputs.village < to)) met++ }
  if (context.donorCategories !== null) { stated++; if (context.donorCategories & (1 << inputs.categoryRank)) met++ }
  if (context.donorHardships !== null) { stated++; if (context.donorHardships & inputs.hardshipMask) met++ }
  return [met, stated]
}

/** Writes the normalised factors, in SCORE_FACTORS order, into `out`. */
export function normalise (inputs: FactorInputs, context: PreparedContext, out: Float64Array): Float64Array {
  const level = sharedLevel(inputs.village, context.near)
  const [met, stated] = donorMatches(inputs, context)
  out[0] = 1 - inputs.categoryRank / CATEGORIES.length
  out[1] = clamp(bits(inputs.hardshipMask) / HARDSHIP_SATURATION)
  out[2] = inputs.incomeLine > 0 ? clamp((inputs.incomeLine - inputs.perCapitaMonthlyIncome) / inputs.incomeLine) : 0
  out[3] = 1 - clamp(inputs.charityValueLast12Months / RECENT_HELP_SATURATION)
  out[4] = clamp(inputs.daysWaiting / WAITING_SATURATION_DAYS)
  out[5] = level === 2 ? PROXIMITY.village : level === 1 ? PROXIMITY.town : level === 0 ? PROXIMITY.county : PROXIMITY.elsewhere
  out[6] = stated === 0 ? 0 : met / stated
  // Pressing deadlines and not yet helped this half-year each count half.
  out[7] = 0.5 * context.deadline + (inputs.helpedThisHalfYear ? 0 : 0.5)
  return out
}

export function weightVector (weights: Weights): Float64Array {
  return Float64Array.from(SCORE_FACTORS, factor => {
    const w = weights[factor]
    if (!(w >= 0)) throw new Error(`weight of ${factor} must be a number ≥ 0 (got ${String(w)})`)
    return w
  })
}

/** A household as a person reads it, for one explanation (the slow path). */
export interface ScoreInputs {
  category: CategoryOrNone
  hardships: readonly Hardship[]
  perCapitaMonthlyIncome: number
  incomeLine: number
  charityValueLast12Months: number
  daysWaiting: number
  regionCode: string
  helpedThisHalfYear: boolean
}

export interface FactorValue {
  factor: ScoreFactor
  /** The raw value: a code, yuan, days or a description. */
  value: number | string
  normalised: number
  weight: number
  contribution: number
}

function factorInputs (inputs: ScoreInputs): FactorInputs {
  return {
    categoryRank: categoryRank(inputs.category),
    hardshipMask: inputs.hardships.reduce((mask, tag) => mask | (1 << HARDSHIPS.indexOf(tag)), 0),
    perCapitaMonthlyIncome: inputs.perCapitaMonthlyIncome,
    incomeLine: inputs.incomeLine,
    charityValueLast12Months: inputs.charityValueLast12Months,
    daysWaiting: inputs.daysWaiting,
    village: Number(inputs.regionCode),
    helpedThisHalfYear: inputs.helpedThisHalfYear
  }
}

/** One person's score: the weighted sum of the normalised factors (see explainScore for each contribution). */
export function score (inputs: ScoreInputs, context: ScoreContext, weights: Weights = DEFAULT_WEIGHTS): number {
  return explainScore(inputs, context, weights).score
}

/** The factors of one score with their raw values, weights and contributions. */
export function explainScore (inputs: ScoreInputs, context: ScoreContext, weights: Weights = DEFAULT_WEIGHTS): { score: number, factors: FactorValue[] } {
  const prepared = prepareContext(context)
  const primitive = factorInputs(inputs)
  const normalised = normalise(primitive, prepared, new Float64Array(SCORE_FACTORS.length))
  const w = weightVector(weights)
  const level = sharedLevel(primitive.village, prepared.near)
  const [met, stated] = donorMatches(primitive, prepared)
  const raw: Record<ScoreFactor, number | string> = {
    severity: inputs.category,
    hardship: inputs.hardships.join(',') || '—',
    income_gap: inputs.incomeLine - inputs.perCapitaMonthlyIncome,
    little_recent_help: inputs.charityValueLast12Months,
    waiting: inputs.daysWaiting,
    proximity: context.near === '' ? '—' : (['same county', 'same town', 'same village'][level] ?? 'elsewhere'),
    // Say why the factor is 0 rather than show a fit: no donor funds the project, or it states nothing.
    donor_fit: context.donor == null ? 'no funding donor' : stated === 0 ? 'no preferences stated' : `${met}/${stated}`,
    urgency: `deadline ${prepared.deadline.toFixed(2)}; ${inputs.helpedThisHalfYear ? 'helped' : 'not yet helped'} this half-year`
  }
  let total = 0
  const factors = SCORE_FACTORS.map((factor, i) => {
    const contribution = (normalised[i] as number) * (w[i] as number)
    total += contribution
    return { factor, value: raw[factor], normalised: normalised[i] as number, weight: w[i] as number, contribution }
  })
  return { score: total, factors }
}
