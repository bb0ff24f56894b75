// The regions a staff form offers (an account's binding, a need rule's region): each county
// ("全区") followed by its towns, named with their county.
import type { Db } from '../db/database.js'
import { townsByCounty } from '../registry/regions.js'

export async function regionChoices (db: Db): Promise<Array<{ code: string, name: string }>> {
  return (await townsByCounty(db)).flatMap(county => [
    { code: county.code, name: `${county.name}（全区）` },
    ...county.towns.map(town => ({ code: town.code, name: `${county.name}${town.name}` }))
  ])
}
