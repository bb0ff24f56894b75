// The de-identified wish: the only form in which a wish leaves the staff side — in donor
// responses, the public pages and the search index. Built once at publication and stored
// (wishes.public_view), so every reader sees the same, checked document.
import { CATEGORY_NAMES, WISH_CATEGORY_NAMES, type Category, type Sex, type WishCategory } from '../../matching/domain.js'
import { ageBand, maskedTitle, scrub, givenNameOf, type Removal } from '../privacy/deidentify.js'
import type { Generalisation } from '../privacy/k-anonymity.js'

export interface PublicWish {
  id: number
  /** 张同学, 李奶奶: surname and a form of address. */
  title: string
  sex: Sex
  ageBand: string
  town: string
  townCode: string
  /** Only where k-anonymity allows; otherwise null. */
  village: string | null
  villageCode: string | null
  category: WishCategory
  categoryName: string
  item: string
  value: number
  /** A facet bucket of the value: 0-99, 100-299, 300-499, 500-999, 1000+. */
  valueRange: string
  story: string
  publishedAt: string
  /** Milliseconds since the epoch, for sorting by date. */
  publishedTs: number
  neededBy: string | null
  /** Milliseconds since the epoch, for sorting by urgency (the earliest need first); absent without a date. */
  neededByTs?: number
  /** The household's low-income category, only when the household agreed to show it. */
  householdCategory?: { code: Category, name: string }
}

export const VALUE_RANGES = [[0, 100], [100, 300], [300, 500], [500, 1000], [1000, Infinity]] as const

export function valueRange (value: number): string {
  for (const [from, to] of VALUE_RANGES) {
    if (value < to) return to === Infinity ? `${from}+` : `${from}-${to - 1}`
  }
  return '1000+'
}

export interface WishFacts {
  id: number
  category: WishCategory
  item: string
  value: number
  story: string
  neededBy: string | null
  showCategory: boolean
  householdCategory: string | null
  publishedAt: Date
  /** The form of address follows the age band shown, not the school stage. */
  person: { fullName: string, sex: Sex, age: number }
  /** Every member's full name, for the scrubber. */
  familyNames: string[]
  town: { code: string, name: string }
  village: { code: string, name: string }
}

/** What the scrubber took out of a wish's text fields, each with its field. */
export type WishRemoval = Removal & { field: 'item' | 'story' }

/** The wish's item and story as donors see them, and what was taken out of each. */
export function scrubbedTexts (facts: Pick<WishFacts, 'item' | 'story' | 'familyNames'>): { item: string, story: string, removed: WishRemoval[] } {
  const names = facts.familyNames.flatMap(name => [name, givenNameOf(name)])
  const item = scrub(facts.item, names)
  const story = scrub(facts.story, names)
  return {
    item: item.text,
    story: story.text,
    removed: [...item.removed.map(r => ({ field: 'item' as const, ...r })), ...story.removed.map(r => ({ field: 'story' as const, ...r }))]
  }
}

export function buildPublicWish (facts: WishFacts, shown: Pick<Generalisation, 'place' | 'band'>): PublicWish {
  const texts = scrubbedTexts(facts)
  const view: PublicWish = {
    id: facts.id,
    title: maskedTitle(facts.person.fullName, facts.person.sex, facts.person.age, shown.band),
    sex: facts.person.sex,
    ageBand: ageBand(facts.person.age, shown.band),
    town: facts.town.name,
    townCode: facts.town.code,
    village: shown.place === 'village' ? facts.village.name : null,
    villageCode: shown.place === 'village' ? facts.village.code : null,
    category: facts.category,
    categoryName: WISH_CATEGORY_NAMES[facts.category],
    item: texts.item,
    value: facts.value,
    valueRange: valueRange(facts.value),
    story: texts.story,
    publishedAt: facts.publishedAt.toISOString(),
    publishedTs: facts.publishedAt.getTime(),
    neededBy: facts.neededBy
  }
  if (facts.neededBy) view.neededByTs = Date.parse(`${facts.neededBy}T00:00:00+08:00`)
  if (facts.showCategory && facts.householdCategory && facts.householdCategory !== 'none') {
    const code = facts.householdCategory as Category
    view.householdCategory = { code, name: CATEGORY_NAMES[code] }
  }
  return view
}
