// The region tree (county → town → village) and the policy profile set at each level.
import type { Db } from '../db/database.js'
import type { Region } from '../schemas/regions.js'
import { camelRow } from '../db/rows.js'

/** The children of `parent`, or without one the top of the tree (the counties). */
export async function childRegions (db: Db, parent: string | undefined): Promise<Region[]> {
  const rows = await db.selectFrom('regions as r')
    .leftJoin('region_policies as p', 'p.region_code', 'r.code')
    .select(['r.code', 'r.name', 'r.level', 'r.parent_code', 'p.profile'])
    .where(eb => parent ? eb('r.parent_code', '=', parent) : eb('r.parent_code', 'is', null))
    .orderBy('r.code').execute()
  return rows.map(row => camelRow(row))
}

export interface CountyTowns { code: string, name: string, towns: Array<{ code: string, name: string }> }

/** Every town (镇/街道) under its county, in code order: the place filters donors see. */
export async function townsByCounty (db: Db): Promise<CountyTowns[]> {
  const rows = await db.selectFrom('regions as town').innerJoin('regions as county', 'county.code', 'town.parent_code')
    .select(['town.code', 'town.name', 'county.code as county_code', 'county.name as county_name'])
    .where('town.level', '=', 'town').orderBy('town.code').execute()
  const counties = new Map<string, CountyTowns>()
  for (const row of rows) {
    const county = counties.get(row.county_code) ?? counties.set(row.county_code, { code: row.county_code, name: row.county_name, towns: [] }).get(row.county_code) as CountyTowns
    county.towns.push({ code: row.code, name: row.name })
  }
  return [...counties.values()]
}

/** Names of regions by code (unknown codes are left out). */
export async function regionNames (db: Db, codes: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(codes)]
  if (unique.length === 0) return new Map()
  const rows = await db.selectFrom('regions').select(['code', 'name']).where('code', 'in', unique).execute()
  return new Map(rows.map(r => [r.code, r.name]))
}

/** The towns and villages inside a region prefix ('' for all), in code order: the place filters of staff lists. */
export async function placesWithin (db: Db, prefix: string): Promise<{ towns: Array<{ code: string, name: string }>, villages: Array<{ code: string, name: string, town: string }> }> {
  const rows = await db.selectFrom('regions').select(['code', 'name', 'level', 'parent_code'])
    .where('level', 'in', ['town', 'village']).where('code', 'like', `${prefix}%`).orderBy('code').execute()
  return {
    towns: rows.filter(r => r.level === 'town').map(({ code, name }) => ({ code, name })),
    villages: rows.filter(r => r.level === 'village').map(({ code, name, parent_code: town }) => ({ code, name, town: town ?? '' }))
  }
}

/** A village code's place as people say it: its town and village ('南浔镇 东迁村'), from the names given. */
export function placeOf (names: Map<string, string>, code: string): string {
  return [names.get(code.slice(0, 9)), code.length > 9 ? names.get(code) : undefined].filter(Boolean).join(' ')
}

/** The towns of a county (or of every county the prefixes name), in code order. */
export async function townsUnder (db: Db, prefixes: readonly string[]): Promise<Array<{ code: string, name: string }>> {
  if (prefixes.length === 0) return []
  return db.selectFrom('regions').select(['code', 'name']).where('level', '=', 'town')
    .where(eb => eb.or(prefixes.map(prefix => eb('code', 'like', `${prefix.slice(0, 6)}%`)))).orderBy('code').execute()
}

/** A region code written into a text in full-width brackets, as warning histories and notifications record the desk ('转 民政（330503101）'). */
const CODE_IN_TEXT = /（(\d{6}(?:\d{3}){0,2})）/g

/** The texts with each bracketed region code replaced by the region's name ('转 民政（南浔镇）'); codes not in the region table stay. */
export async function nameRegionsIn<T extends string | null> (db: Db, texts: readonly T[]): Promise<T[]> {
  const codes = texts.flatMap(text => text === null ? [] : [...text.matchAll(CODE_IN_TEXT)].map(m => m[1] as string))
  const names = await regionNames(db, codes)
  return texts.map(text => text === null ? text : text.replace(CODE_IN_TEXT, (whole, code: string) => names.has(code) ? `（${names.get(code) as string}）` : whole) as T)
}
