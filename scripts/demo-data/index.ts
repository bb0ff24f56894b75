// The demo and benchmark data generator: deterministic from a seed, households generated
// lazily so that any size streams. Usage:
//   const data = generateDataset({ seed: 42, households: 2000 })
//   for (const household of data.households()) …
import { createRandom } from '../../matching/random.js'
import { drawHousehold, type HouseholdContext } from './households.js'
import { buildRegions, COUNTIES } from './regions.js'
import type { Dataset, RegionRecord } from './records.js'
import { buildSupply } from './supply.js'

export interface GenerateOptions {
  seed: number | string
  households: number
  /** The day ages and categories are drawn for. */
  asOf?: string
}

export const DEFAULT_AS_OF = '2026-11-01'

export function generateDataset ({ seed, households, asOf = DEFAULT_AS_OF }: GenerateOptions): Dataset {
  const regions = buildRegions(createRandom(`${seed}:regions`), households)
  const supply = buildSupply(createRandom(`${seed}:supply`), regions, asOf)
  const villages = new Map<string, RegionRecord[]>()
  for (const region of regions) {
    if (region.level !== 'village') continue
    const county = region.code.slice(0, 6)
    villages.set(county, [...villages.get(county) ?? [], region])
  }
  return {
    regions,
    regionPolicies: COUNTIES.map(c => ({ regionCode: c.code, profile: c.profile })),
    ...supply,
    households: function * () {
      // A fresh generator per call: iterating twice yields the same households.
      const context: HouseholdContext = { random: createRandom(`${seed}:households`), asOf, villages, sequences: new Map() }
      for (let i = 0; i < households; i++) {
        const county = context.random.next() < (COUNTIES[0]?.share ?? 1) ? COUNTIES[0] : COUNTIES[1]
        yield drawHousehold(context, i, county ?? COUNTIES[0] as never)
      }
    }
  }
}

export type { Dataset, HouseholdRecord, MemberRecord, WishRecord, RegionRecord } from './records.js'
