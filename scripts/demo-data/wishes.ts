// 微心愿 for members of generated households: items that fit the person, values of a few
// hundred yuan, and stories in plain Chinese. About one story in twenty carries a phone
// number, an address or an ID-like number, as real submissions do, for the scrubber to remove.
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

function categoryFor (random: Random, member: MemberRecord): WishCategory {
  if (member.schoolStage !== 'none' && member.schoolStage !== 'college') return random.chance(0.7) ? 'school_supplies' : 'clothing'
  if (member.disability) return random.chance(0.6) ? 'rehab_aids' : 'daily_goods'
  return random.weighted([['clothing', 3], ['daily_goods', 3], ['appliances', 2], ['services', 2]] as const)
}

function story (random: Random, household: HouseholdRecord, member: MemberRecord, item: string): string {
  const who = member.schoolStage !== 'none' ? '孩子' : member.disability ? '老人行动不便，' : '家里'
  const base = random.pick([
    `${who}一直想要一个${item}，家庭收入有限，希望得到爱心人士的帮助。`,
    `家中经济困难，${item}已经用了很多年，坏了舍不得换，盼望能实现这个小心愿。`,
    `${who}的心愿是${item}，谢谢好心人！`
  ])
  if (!random.chance(0.05)) return base
  return base + random.pick([
    `有意者请联系${household.phone}。`,
    `家住${household.address}。`,
    `身份证${member.idNumber.slice(0, 14)}****。`
  ])
}

export function drawWishes (random: Random, household: HouseholdRecord): WishRecord[] {
  if (!random.chance(0.15)) return []
  const memberIndex = random.int(0, household.members.length - 1)
  const member = household.members[memberIndex] as MemberRecord
  const category = categoryFor(random, member)
  const [item, low, high] = random.pick(ITEMS[category])
  return [{
    key: `${household.key}-W1`,
    memberIndex,
    category,
    item,
    value: random.int(low, high),
    story: story(random, household, member, item),
    state: random.weighted([['published', 70], ['submitted', 10], ['verified', 10], ['claimed', 7], ['delivered', 3]] as const)
  }]
}
