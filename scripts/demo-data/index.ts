// The demo and benchmark data generator: deterministic from a seed, households generated
// lazily so that any size streams. Usage:
//   const data = generateDataset({ seed: 42, households: 2000 })
//   for (const household of data.households()) …
import type { StandardKey } from '../../matching/policy/evaluate.js'
import { PROFILES, resolveParameters } from '../../matching/policy/index.js'
import type { ParameterValues } from '../../matching/policy/parameters.js'
import { createRandom } from '../../matching/random.js'
import { createHouseholdContext, drawHousehold, type VillagePlace } from './households.js'
import { buildRegions, COUNTIES, countyFor, type DemoProfileId } from './regions.js'
import type { Dataset, RegionRecord } from './records.js'
import { buildSupply } from './supply.js'

export interface GenerateOptions {
  seed: number | string
  households: number
  /** The day ages and categories are drawn for. */
  asOf?: string
  /**
   * Thresholds to draw against instead of the profile's own on `asOf` (the same overrides
   * `evaluate` takes as `standards`); without them the policy engine's values are used, so
   * there is one place where the Nanxun lines (1,200 / 2 / 2,490 / 70,000 / 33,334) live.
   */
  standards?: Partial<Record<DemoProfileId, Partial<Record<StandardKey, number>>>>
}

export const DEFAULT_AS_OF = '2026-11-01'

function villagePlaces (regions: RegionRecord[]): Map<string, VillagePlace[]> {
  const names = new Map(regions.map(r => [r.code, r.name]))
  const villages = new Map<string, VillagePlace[]>()
  for (const region of regions) {
    if (region.level !== 'village') continue
    const county = region.code.slice(0, 6)
    const list = villages.get(county) ?? []
    // Communities (社区) are urban; villages (村) are 行政村, whose members Nanxun 三(五) makes 低收入农户.
    list.push({ code: region.code, place: `${names.get(region.parentCode ?? '') ?? ''}${region.name}`, administrative: region.name.endsWith('村') })
    villages.set(county, list)
  }
  return villages
}

export function generateDataset ({ seed, households, asOf = DEFAULT_AS_OF, standards = {} }: GenerateOptions): Dataset {
  const regions = buildRegions(createRandom(`${seed}:regions`), households)
  const supply = buildSupply(createRandom(`${seed}:supply`), regions, asOf)
  const villages = villagePlaces(regions)
  const parametersOf = (profile: DemoProfileId): ParameterValues =>
    resolveParameters(profile, PROFILES[profile].parameters, [], asOf, standards[profile] ?? {}).values
  const parameters = { 'nanxun-2025': parametersOf('nanxun-2025'), 'jiyuan-2024': parametersOf('jiyuan-2024') }
  return {
    regions,
    regionPolicies: COUNTIES.map(c => ({ regionCode: c.code, profile: c.profile })),
    ...supply,
    households: function * () {
      // A fresh generator per call: iterating twice yields the same households.
      const context = createHouseholdContext(createRandom(`${seed}:households`), asOf, villages, parameters)
      for (let i = 0; i < households; i++) yield drawHousehold(context, i, countyFor(context.random.next()))
    }
  }
}

export type { Dataset, HouseholdRecord, MemberRecord, WishRecord, RegionRecord } from './records.js'
