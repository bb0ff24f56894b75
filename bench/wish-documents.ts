// What the search benchmarks share: de-identified wish documents as publication builds them,
// and donors' queries over them.
import type { Meilisearch } from 'meilisearch'
import type { Random } from '../matching/random.js'
import { ageOn } from '../matching/policy/index.js'
import { generateDataset, DEFAULT_AS_OF } from '../scripts/demo-data/index.js'
import { drawWish } from '../scripts/demo-data/wishes.js'
import { buildPublicWish } from '../server/needs/public-view.js'

/** De-identified documents the way publication builds them, one wish per generated person. */
export function * documents (count: number, random: Random): Generator<Record<string, unknown>> {
  const data = generateDataset({ seed: 9, households: Math.ceil(count / 3.2) })
  const names = new Map(data.regions.map(r => [r.code, r.name]))
  const now = Date.parse(`${DEFAULT_AS_OF}T12:00:00+08:00`)
  let id = 0
  for (const household of data.households()) {
    for (const [index, member] of household.members.entries()) {
      if (id >= count) return
      const wish = drawWish(random, household, index, DEFAULT_AS_OF, `${household.key}-${index}`)
      const town = household.regionCode.slice(0, 9)
      const publishedAt = new Date(now - random.int(0, 90) * 86_400_000 - random.int(0, 86_399) * 1000)
      yield buildPublicWish({
        id: ++id, category: wish.category, item: wish.item, value: wish.value, story: wish.story,
        neededBy: random.chance(0.3) ? new Date(now + random.int(1, 60) * 86_400_000).toISOString().slice(0, 10) : null,
        showCategory: random.chance(0.1), householdCategory: household.intendedCategory, publishedAt,
        person: { fullName: member.name, sex: member.sex, age: ageOn(member.birthDate, DEFAULT_AS_OF) },
        familyNames: household.members.map(m => m.name),
        town: { code: town, name: names.get(town) ?? '' },
        village: { code: household.regionCode, name: names.get(household.regionCode) ?? '' }
      }, random.chance(0.3) ? { place: 'village', band: 'fine' } : random.chance(0.6) ? { place: 'town', band: 'fine' } : { place: 'town', band: 'wide' }) as unknown as Record<string, unknown>
    }
  }
}

const KEYWORDS = ['书包', '双肩包', '学习用品', '台灯', '羽绒服', '冬衣', '棉被', '轮椅', '助听器', '电饭煲', '取暖器', '米面油', '运动鞋', '校服', '文具', '课外书',
  '衣物', '生活用品', '康复辅具', '小家电', '理发', '助浴', '维修', '保温杯', '学习桌', '洗衣机', '电风扇', '拐杖', '老人', '孩子', '冬天', '开学']
const VALUE_RANGES = ['0-99', '100-299', '300-499', '500-999', '1000+']
const CATEGORIES = ['school_supplies', 'clothing', 'daily_goods', 'rehab_aids', 'appliances', 'services']

/** A donor's query string: a keyword most of the time, sometimes a filter or two, a sort, a page. */
export function donorQuery (random: Random, towns: string[]): string {
  const params = new URLSearchParams()
  if (random.chance(0.8)) params.set('q', random.chance(0.15) ? `${random.pick(KEYWORDS)} ${random.pick(KEYWORDS)}` : random.pick(KEYWORDS))
  if (random.chance(0.3)) params.set('townCode', random.pick(towns))
  if (random.chance(0.2)) params.set('category', random.pick(CATEGORIES))
  if (random.chance(0.15)) params.set('valueRange', random.pick(VALUE_RANGES))
  if (random.chance(0.3)) params.set('sort', random.pick(['urgency', 'newest']))
  if (random.chance(0.2)) params.set('page', String(random.int(2, 4)))
  return params.toString()
}

export function percentile (sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] as number
}


/** Adds `count` documents to the index in batches and waits until Meilisearch has them all. */
export async function indexDocuments (meili: Meilisearch, uid: string, count: number, random: Random): Promise<void> {
  const tasks: number[] = []
  let batch: Array<Record<string, unknown>> = []
  for (const document of documents(count, random)) {
    batch.push(document)
    if (batch.length === 50_000) { tasks.push((await meili.index(uid).addDocuments(batch)).taskUid); batch = [] }
  }
  if (batch.length > 0) tasks.push((await meili.index(uid).addDocuments(batch)).taskUid)
  for (const task of tasks) {
    const done = await meili.tasks.waitForTask(task, { timeout: 3_600_000, interval: 1000 })
    if (done.status !== 'succeeded') throw new Error(`indexing failed: ${done.error?.message ?? done.status}`)
  }
}
