// 微心愿 for members of generated households: items that fit the person, values of a few
// hundred yuan, and stories in plain Chinese. About one story in twenty carries a phone
// number, an address or an ID-like number, as real submissions do, for the scrubber to remove.
import { ageOn } from '../../matching/policy/index.js'
import type { Random } from '../../matching/random.js'
import type { HouseholdRecord, MemberRecord, WishCategory, WishRecord } from './records.js'

const ITEMS: Record<WishCategory, Array<[string, number, number]>> = {
  school_supplies: [['书包', 80, 200], ['双肩包', 80, 220], ['台灯', 60, 180], ['文具套装', 40, 120], ['课外书一套', 60, 200], ['学习桌', 200, 600]],
  clothing: [['冬季羽绒服', 200, 500], ['棉被', 150, 400], ['运动鞋', 120, 300], ['校服', 100, 260]],
  daily_goods: [['米面油', 100, 300], ['保温杯', 40, 120], ['床上用品四件套', 120, 320]],
  rehab_aids: [['轮椅', 400, 1200], ['助听器', 600, 2000], ['助行器', 150, 500], ['拐杖', 50, 150]],
  appliances: [['电饭煲', 150, 400], ['电风扇', 120, 300], ['取暖器', 150, 400], ['洗衣机', 800, 1800]],
  services: [['上门理发', 30, 100], ['助浴服务', 80, 300], ['家电维修', 100, 400]]
}

/** Items only a pupil asks for. */
const PUPILS_ONLY = new Set(['校服'])

function categoryFor (random: Random, member: MemberRecord): WishCategory {
  if (member.schoolStage !== 'none' && member.schoolStage !== 'college') return random.chance(0.7) ? 'school_supplies' : 'clothing'
  if (member.disability) return random.chance(0.6) ? 'rehab_aids' : 'daily_goods'
  return random.weighted([['clothing', 3], ['daily_goods', 3], ['appliances', 2], ['services', 2]] as const)
}

/** Story openings per wish category; {who} and {item} are filled in. */
const STORIES: Record<WishCategory, string[]> = {
  school_supplies: ['{who}读书很用功，{item}已经用了好几年，破得不能再用了，希望能换个新的。', '{who}马上开学了，家里拿不出钱买{item}，盼望好心人帮一把。'],
  clothing: ['天气一天天冷下来，{who}还穿着几年前的旧衣服，想要{item}过冬。', '{who}的衣物用了好多年，又薄又旧，想要{item}。'],
  daily_goods: ['家里收入有限，{who}平时省吃俭用，希望能得到{item}。', '家里看病花了不少钱，{who}的{item}一直舍不得买。'],
  rehab_aids: ['{who}行动不便，出门全靠家人搀扶，希望能有{item}。', '{who}残疾多年，原来的辅具坏了，想要{item}。'],
  appliances: ['家里的老电器坏了舍不得修，{who}想要{item}，方便日常生活。', '{who}年纪大了，做饭取暖都不方便，希望能有{item}。'],
  services: ['{who}行动不便，自己应付不来，希望有人提供{item}。', '家里人白天都在外面干活，{who}需要{item}，盼望有志愿者帮忙。']
}

function story (random: Random, household: HouseholdRecord, member: MemberRecord, age: number, category: WishCategory, item: string): string {
  const who = age < 18 || member.schoolStage !== 'none' ? '孩子' : age >= 60 ? '老人' : member.relation === 'head' ? '我' : member.disability ? '家里的残疾人' : '家里人'
  const base = random.pick(STORIES[category]).replace('{who}', who).replace('{item}', item) + random.pick(['谢谢爱心人士！', '感谢社会各界的关心。', ''])
  if (!random.chance(0.05)) return base
  return base + random.pick([
    `有意者请联系${household.phone}。`,
    `家住${household.address}。`,
    `身份证${member.idNumber.slice(0, 14)}****。`
  ])
}

export function drawWishes (random: Random, household: HouseholdRecord, asOf: string): WishRecord[] {
  if (!random.chance(0.15)) return []
  return [drawWish(random, household, random.int(0, household.members.length - 1), asOf, `${household.key}-W1`)]
}

/** A wish that fits the member: its category, item, value, story and how far it has gone. */
export function drawWish (random: Random, household: HouseholdRecord, memberIndex: number, asOf: string, key: string): WishRecord {
  const member = household.members[memberIndex] as MemberRecord
  const category = categoryFor(random, member)
  const pupil = member.schoolStage !== 'none' && member.schoolStage !== 'college'
  const [item, low, high] = random.pick(ITEMS[category].filter(([name]) => pupil || !PUPILS_ONLY.has(name)))
  return {
    key,
    memberIndex,
    category,
    item,
    value: random.int(low, high),
    story: story(random, household, member, ageOn(member.birthDate, asOf), category, item),
    state: random.weighted([['published', 70], ['submitted', 10], ['verified', 10], ['claimed', 7], ['delivered', 3]] as const)
  }
}
