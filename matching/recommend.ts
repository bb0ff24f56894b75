// Recommending published wishes to a donor: how well each fits the donor's preferences
// (place, kind of wish, amount), how urgent it is and how long it has waited; every factor
// is reported so the page can say why a wish is suggested.

export interface DonorPreferences {
  regionCodes: readonly string[]
  wishCategories: readonly string[]
  minValue: number
  maxValue: number
}

export interface PublishedWish {
  id: number
  regionCode: string
  category: string
  value: number
  publishedOn: string
  /** When the need should be met by, if it has a date (e.g. before winter, before term). */
  neededBy?: string | null
}

export const RECOMMEND_WEIGHTS = { fit: 0.5, urgency: 0.25, waiting: 0.25 } as const

export interface Recommendation {
  wishId: number
  score: number
  factors: { region: number, category: number, value: number, fit: number, urgency: number, waiting: number }
}

const days = (from: string, to: string) => (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000
const clamp = (x: number) => x < 0 ? 0 : x > 1 ? 1 : x

export function recommendWishes (donor: DonorPreferences, wishes: readonly PublishedWish[], asOf: string, limit = 20): Recommendation[] {
  return wishes.map(wish => {
    const region = donor.regionCodes.length === 0 || donor.regionCodes.some(code => wish.regionCode.startsWith(code)) ? 1 : 0
    const category = donor.wishCategories.length === 0 || donor.wishCategories.includes(wish.category) ? 1 : 0
    const value = wish.value >= donor.minValue && wish.value <= donor.maxValue ? 1 : 0
    const fit = (region + category + value) / 3
    const urgency = wish.neededBy ? clamp(1 - days(asOf, wish.neededBy) / 30) : 0
    const waiting = clamp(days(wish.publishedOn, asOf) / 90)
    const score = RECOMMEND_WEIGHTS.fit * fit + RECOMMEND_WEIGHTS.urgency * urgency + RECOMMEND_WEIGHTS.waiting * waiting
    return { wishId: wish.id, score, factors: { region, category, value, fit, urgency, waiting } }
  }).sort((a, b) => b.score - a.score || a.wishId - b.wishId).slice(0, limit)
}
