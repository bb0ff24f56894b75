// The de-identified wish: the only form in which a wish leaves the staff side — in donor
// responses, the public pages and the search index. Built once at publication and stored
// (wishes.public_view), so every reader sees the same, checked document.
import { CATEGORY_NAMES, WISH_CATEGORY_NAMES, type Category, type Sex } from '../../matching/domain.js'
import { ageBand, maskedTitle, scrub, givenNameOf, type Removal } from '../privacy/deidentify.js'
import type { Db } from '../db/database.js'
import type { Generalisation } from '../privacy/k-anonymity.js'
import type { PublicWish, WishView } from '../schemas/needs.js'

// Its shape is the response schema (schemas/needs.ts): one definition for the type and what is serialised.
export type { PublicWish }

export const VALUE_RANGES = [[0, 100], [100, 300], [300, 500], [500, 1000], [1000, Infinity]] as const

export function valueRange (value: number): string {
  for (const [from, to] of VALUE_RANGES) {
    if (value < to) return to === Infinity ? `${from}+` : `${from}-${to - 1}`
  }
  return '1000+'
}

/** What a wish's public view is built from: the wish as staff see it, and its people and places. */
export type WishFacts = Pick<WishView, 'id' | 'category' | 'item' | 'value' | 'story' | 'neededBy' | 'showCategory'> & {
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

/** A published wish's de-identified view; undefined for any wish not published now. */
export async function publishedWish (db: Db, id: number): Promise<PublicWish | undefined> {
  const row = await db.selectFrom('wishes').select('public_view').where('id', '=', id).where('state', '=', 'published').executeTakeFirst()
  return row?.public_view as PublicWish | undefined
}
