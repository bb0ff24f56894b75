// Recommending published wishes to a donor: how well each fits the donor's preferences
// (place, wish category, amount), how urgent it is and how long it has waited; every factor
// is reported with its weight so the page can say why a wish is suggested.
import { epochDay, ymd } from './dates.js'

/** What a donor told us they would like to give, for recommending wishes. Empty lists mean no preference. */
export interface WishPreferences {
  regionCodes: readonly string[]
  /** Wish category codes: school_supplies, clothing, daily_goods, rehab_aids, appliances, services. */
  wishCategories: readonly string[]
  /** Yuan, inclusive. */
  minValue: number
  maxValue: number
}

export interface PublishedWish {
  id: number
  /** The wisher's village. */
  regionCode: string
  category: string
  value: number
  /** YYYY-MM-DD */
  publishedOn: string
  /** When the need should be met by, if it has a date (e.g. before winter, before term). */
  neededBy?: string | null
}

export const RECOMMEND_FACTORS = ['region', 'category', 'value_range', 'urgency', 'waiting'] as const
export type RecommendFactor = typeof RECOMMEND_FACTORS[number]

/** Preference fit weighs half (a sixth for each preference), urgency and waiting a quarter each. */
export const RECOMMEND_WEIGHTS: Record<RecommendFactor, number> = { region: 1 / 6, category: 1 / 6, value_range: 1 / 6, urgency: 0.25, waiting: 0.25 }
/** A need due within this many days is fully urgent; urgency falls to 0 at twice that. */
export const URGENT_WITHIN_DAYS = 30
/** Ninety days of waiting is the most. */
export const WAITING_SATURATION_DAYS = 90

export interface Recommendation {
  wishId: number
  score: number
  factors: Array<{ factor: RecommendFactor, value: number | string, normalised: number, weight: number, contribution: number }>
}

const days = (from: string, to: string) => epochDay(ymd(to)) - epochDay(ymd(from))
const clamp = (x: number) => x < 0 ? 0 : x > 1 ? 1 : x

/** The best `limit` published wishes for a donor, best first (ties by wish id). */
export function recommendWishes (donor: WishPreferences, wishes: readonly PublishedWish[], asOf: string, limit = 20): Recommendation[] {
  return wishes.map(wish => {
    const daysLeft = wish.neededBy ? days(asOf, wish.neededBy) : null
    const waited = Math.max(0, days(wish.publishedOn, asOf))
    const measured: Record<RecommendFactor, [value: number | string, normalised: number]> = {
      region: [wish.regionCode, donor.regionCodes.length === 0 || donor.regionCodes.some(code => wish.regionCode.startsWith(code)) ? 1 : 0],
      category: [wish.category, donor.wishCategories.length === 0 || donor.wishCategories.includes(wish.category) ? 1 : 0],
      value_range: [wish.value, wish.value >= donor.minValue && wish.value <= donor.maxValue ? 1 : 0],
      urgency: [daysLeft === null ? '—' : daysLeft, daysLeft === null ? 0 : clamp(2 - daysLeft / URGENT_WITHIN_DAYS)],
      waiting: [waited, clamp(waited / WAITING_SATURATION_DAYS)]
    }
    const factors = RECOMMEND_FACTORS.map(factor => {
      const [value, normalised] = measured[factor]
      return { factor, value, normalised, weight: RECOMMEND_WEIGHTS[factor], contribution: normalised * RECOMMEND_WEIGHTS[factor] }
    })
    return { wishId: wish.id, score: factors.reduce((sum, f) => sum + f.contribution, 0), factors }
  }).sort((a, b) => b.score - a.score || a.wishId - b.wishId).slice(0, limit)
}

export interface OpenProject {
  id: number
  kind: string
  /** Where it helps; empty: wherever its organisation works. */
  regionCodes: readonly string[]
  endsOn: string | null
}

export interface ProjectRecommendation {
  projectId: number
  /** The donor's preferred kinds the project is (empty when the donor named none). */
  kindMatched: boolean
  /** The donor's preferred regions the project covers. */
  regionsMatched: string[]
  /** Days until it ends, when it has an end date. */
  daysLeft: number | null
}

/**
 * Open projects a donor may want to support: of a kind they prefer and covering a region they
 * prefer (either, when they named none), those ending soonest first (ties by id), with what
 * matched so the page can say why.
 */
export function recommendProjects (donor: Pick<WishPreferences, 'regionCodes'> & { kinds: readonly string[] }, projects: readonly OpenProject[], asOf: string, limit = 10): ProjectRecommendation[] {
  const overlaps = (a: string, b: string) => a.startsWith(b) || b.startsWith(a)
  return projects.flatMap(project => {
    const kindMatched = donor.kinds.includes(project.kind)
    if (donor.kinds.length > 0 && !kindMatched) return []
    const regionsMatched = project.regionCodes.length === 0 ? [] : donor.regionCodes.filter(code => project.regionCodes.some(r => overlaps(r, code)))
    if (donor.regionCodes.length > 0 && project.regionCodes.length > 0 && regionsMatched.length === 0) return []
    const daysLeft = project.endsOn === null ? null : Math.max(0, days(asOf, project.endsOn))
    return [{ projectId: project.id, kindMatched, regionsMatched, daysLeft }]
  }).sort((a, b) => (a.daysLeft ?? Infinity) - (b.daysLeft ?? Infinity) || a.projectId - b.projectId).slice(0, limit)
}
