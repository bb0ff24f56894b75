// A realistic region tree: 湖州市南浔区 (Nanxun, the demo default, nanxun-2025) and a smaller
// 济源示范区 (Jiyuan, jiyuan-2024) so that every category of DOMAIN.md occurs. Codes follow
// GB/T 2260 and the statistical division codes: county 6 digits, town 9 (1xx a town, 0xx a
// street), village 12.
import type { Random } from '../../matching/random.js'
import type { RegionRecord } from './records.js'

/** The policy profiles the demo counties use. */
export type DemoProfileId = 'nanxun-2025' | 'jiyuan-2024'

export interface CountySpec {
  code: string
  name: string
  profile: DemoProfileId
  /** Share of the generated households living here. */
  share: number
  towns: Array<[suffix: string, name: string]>
}

export const COUNTIES: CountySpec[] = [
  {
    code: '330503', name: '南浔区', profile: 'nanxun-2025', share: 0.85,
    towns: [['101', '南浔镇'], ['102', '双林镇'], ['103', '练市镇'], ['104', '善琏镇'], ['105', '菱湖镇'], ['106', '和孚镇'], ['107', '千金镇'], ['108', '石淙镇'], ['001', '旧馆街道']]
  },
  {
    code: '419001', name: '济源示范区', profile: 'jiyuan-2024', share: 0.15,
    towns: [['001', '沁园街道'], ['002', '济水街道'], ['003', '北海街道'], ['100', '克井镇'], ['101', '五龙口镇'], ['102', '梨林镇']]
  }
]

/** The county a household lives in, for a uniform roll in [0, 1), by the counties' shares. */
export function countyFor (roll: number): CountySpec {
  let remaining = roll
  for (const county of COUNTIES) {
    remaining -= county.share
    if (remaining < 0) return county
  }
  return COUNTIES[COUNTIES.length - 1] as CountySpec
}

const VILLAGE_STEMS = ['东', '西', '南', '北', '新', '永', '安', '和', '丰', '兴', '庆', '荻', '横', '沈', '金', '长', '石', '桥', '湖', '港', '塘', '山', '田', '竹', '桑', '荷', '梅', '枫', '柳', '泉']
const VILLAGE_ENDINGS = ['村', '村', '村', '社区']
/** A street (街道, code 0xx) is urban: its villages are communities. */
const STREET_ENDINGS = ['社区']

/** Villages per town grow with the population so a 300,000-household set still looks plausible (~300–2,000 a village). */
export function buildRegions (random: Random, households: number): RegionRecord[] {
  const regions: RegionRecord[] = []
  for (const county of COUNTIES) {
    regions.push({ code: county.code, name: county.name, level: 'county', parentCode: null })
    const perTown = Math.max(3, Math.ceil(households * county.share / county.towns.length / 800))
    for (const [suffix, townName] of county.towns) {
      const townCode = `${county.code}${suffix}`
      regions.push({ code: townCode, name: townName, level: 'town', parentCode: county.code })
      const used = new Set<string>()
      const endings = suffix.startsWith('0') ? STREET_ENDINGS : VILLAGE_ENDINGS
      // Past this many villages a town has to repeat a name (only at tens of millions of households).
      const distinctNames = VILLAGE_STEMS.length * (VILLAGE_STEMS.length - 1) * new Set(endings).size
      for (let v = 1; v <= perTown; v++) {
        let name = ''
        do {
          const first = random.pick(VILLAGE_STEMS)
          const second = random.pick(VILLAGE_STEMS.filter(stem => stem !== first))
          name = `${first}${second}${random.pick(endings)}`
        } while (used.has(name) && used.size < distinctNames)
        used.add(name)
        regions.push({ code: `${townCode}${String(v).padStart(3, '0')}`, name, level: 'village', parentCode: townCode })
      }
    }
  }
  return regions
}
