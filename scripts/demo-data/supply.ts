// Charity supply for the demo: the district charity federations and town branches, donors
// with preferences, projects of every kind, and training institutions with courses.
import type { Random } from '../../matching/random.js'
import { HELP_KINDS } from '../../matching/domain.js'
import { surname, givenName } from './names.js'
import { COUNTIES } from './regions.js'
import { WISH_CATEGORIES, type CourseRecord, type DonorRecord, type InstitutionRecord, type OrganisationRecord, type ProjectRecord, type RegionRecord } from './records.js'

const ENTERPRISES = ['南浔丝绸', '双林绫绢', '练市木业', '菱湖水产', '湖州电梯', '南太湖建材', '济源钢铁', '沁园食品', '太湖农商', '旧馆电器']
const COURSES = [['书法', 6, 14], ['美术', 5, 12], ['围棋', 6, 14], ['少儿编程', 8, 15], ['舞蹈', 4, 12], ['篮球', 7, 15], ['英语口语', 6, 14], ['科学实验', 7, 13]] as const

export function buildSupply (random: Random, regions: RegionRecord[], asOf: string) {
  const towns = regions.filter(r => r.level === 'town')
  const organisations: OrganisationRecord[] = [
    ...COUNTIES.map(c => ({ key: `ORG-${c.code}`, name: `${c.name}慈善总会`, regionCode: c.code })),
    ...towns.filter(t => t.code.startsWith('330503')).slice(0, 3).map(t => ({ key: `ORG-${t.code}`, name: `${t.name}慈善分会`, regionCode: t.code }))
  ]

  const donors: DonorRecord[] = Array.from({ length: 60 }, (_, i) => {
    const enterprise = i % 4 === 3
    const region = random.pick(towns)
    const low = random.pick([0, 50, 100, 200])
    return {
      key: `D${String(i + 1).padStart(4, '0')}`,
      kind: enterprise ? 'enterprise' : 'individual',
      name: enterprise ? `${random.pick(ENTERPRISES)}有限公司` : `${surname(random)}${givenName(random, random.chance(0.5) ? 'male' : 'female', random.int(1960, 2000))}`,
      phone: `1${random.pick(['39', '58', '88'])}${String(random.int(0, 99999999)).padStart(8, '0')}`,
      email: `donor${i + 1}@example.cn`,
      preferences: {
        regionCodes: random.chance(0.6) ? [region.code] : [],
        kinds: random.chance(0.5) ? ['wish'] : [...HELP_KINDS],
        wishCategories: random.chance(0.5) ? [random.pick(WISH_CATEGORIES)] : [],
        minValue: low,
        maxValue: low + random.pick([300, 800, 2000, 20000])
      }
    }
  })

  const year = asOf.slice(0, 4)
  const half = Number(asOf.slice(5, 7)) <= 6 ? 'H1' : 'H2'
  const open = { startsOn: `${year}-01-01`, endsOn: `${year}-12-31`, status: 'open' as const }
  const district = organisations[0] as OrganisationRecord
  const projects: ProjectRecord[] = [
    { key: 'P001', organisationKey: district.key, kind: 'wish', title: '“微心愿”冬季暖心行动', description: '为低收入家庭的老人和孩子实现冬季衣物、取暖等小心愿。', budget: 200000, unitCost: 300, capacity: 600, eligibility: { categories: ['tekun', 'dibao', 'dibao_edge', 'low_income_support'], regionCodes: ['330503'] }, ...open },
    { key: 'P002', organisationKey: district.key, kind: 'dream_room', title: '梦想小屋改造计划', description: '为困难家庭儿童改造独立学习、居住空间，每间约 1.5 万元。', budget: 450000, unitCost: 15000, capacity: 30, eligibility: { categories: ['dibao', 'dibao_edge', 'rigid_expense', 'low_income_support'], regionCodes: ['330503'], minAge: 6, maxAge: 16, notHelpedSameKindMonths: 36 }, ...open },
    { key: 'P003', organisationKey: district.key, kind: 'training_voucher', title: `爱心培训券 ${year}${half}`, description: '低收入帮扶家庭幼儿园至初中学生每半年至少参加一次培训。', budget: 300000, unitCost: 800, capacity: 375, eligibility: { categories: ['low_income_support'], regionCodes: ['330503'], schoolStages: ['kindergarten', 'primary', 'junior'] }, ...open },
    { key: 'P004', organisationKey: district.key, kind: 'fund', title: '共富产业帮扶基金', description: '支持有劳动能力的低收入农户发展种养殖产业。', budget: 500000, unitCost: 5000, capacity: 100, eligibility: { categories: ['dibao_edge', 'low_income_support'], regionCodes: ['330503'] }, ...open },
    { key: 'P005', organisationKey: district.key, kind: 'fund', title: '关爱险', description: '为重病、重残人员购买商业补充保险。', budget: 120000, unitCost: 200, capacity: 600, eligibility: { categories: ['tekun', 'dibao', 'dibao_edge', 'rigid_expense', 'low_income_support'], regionCodes: ['330503'], hardships: ['serious_illness', 'severe_disability'] }, ...open },
    { key: 'P006', organisationKey: `ORG-419001`, kind: 'wish', title: '济源“微心愿”助学行动', description: '为困难学生购置学习用品。', budget: 60000, unitCost: 150, capacity: 400, eligibility: { categories: ['dibao', 'fanpin_monitor', 'dibao_edge', 'rigid_expense'], regionCodes: ['419001'], schoolStages: ['primary', 'junior', 'senior'] }, ...open },
    { key: 'P007', organisationKey: district.key, kind: 'fund', title: '春节临困家庭关怀慰问', description: '年度内因重大疾病自付较大导致临时困难的家庭。', budget: 80000, unitCost: 1000, capacity: 80, eligibility: { categories: ['low_income_support'], regionCodes: ['330503'], hardships: ['serious_illness'] }, startsOn: `${year}-12-01`, endsOn: `${Number(year) + 1}-02-28`, status: 'draft' },
    { key: 'P008', organisationKey: district.key, kind: 'wish', title: `${Number(year) - 1} 年“微心愿”助学行动`, description: '上一年度为困难家庭学生购置书包、文具，已结项。', budget: 50000, unitCost: 150, capacity: 330, eligibility: { categories: ['tekun', 'dibao', 'dibao_edge', 'low_income_support'], regionCodes: ['330503'], schoolStages: ['primary', 'junior'], notHelpedSameKindMonths: 12 }, startsOn: `${Number(year) - 1}-03-01`, endsOn: `${Number(year) - 1}-12-31`, status: 'closed' }
  ]

  // The first is the demo login `training`'s (server/auth/demo-accounts.ts), so that its pages
  // show courses with children the seat matcher placed.
  const institutions: InstitutionRecord[] = towns.filter(t => t.code.startsWith('330503')).slice(0, 6).map((town, i) => {
    const name = `${town.name}${random.pick(['青少年', '阳光', '启航', '小树苗'])}培训中心`
    return { key: `I${String(i + 1).padStart(3, '0')}`, name: i === 0 ? '南浔区阳光培训学校' : name, regionCode: town.code }
  })
  const courses: CourseRecord[] = institutions.flatMap(institution => COURSES.filter(() => random.chance(0.5)).map(([title, minAge, maxAge], j) => ({
    key: `${institution.key}-C${j + 1}`, institutionKey: institution.key, title, seats: random.int(10, 30), minAge, maxAge,
    schedule: random.pick(['周六上午', '周六下午', '周日上午', '周日下午', '周三放学后']), halfYear: `${year}${half}`
  })))

  return { organisations, donors, projects, institutions, courses }
}
