// What every dashboard reads from the aggregates: the area it looks at (a county, a town or a
// village, within the reader's reach) and its parts one level down, and sums of the stock and
// flow figures over that area, by part, by month or in total.
import { sql } from 'kysely'
import type { Db } from '../db/database.js'
import { notFound } from '../http/errors.js'
import type { Period } from './periods.js'

export interface Area { code: string, name: string, level: 'county' | 'town' | 'village' }

export interface AreaView {
  /** The area looked at; null: everything (an administrator's whole platform). */
  area: Area | null
  /** From the top the reader may see down to the area, for the drill-up links. */
  trail: Area[]
  /** The rows of the by-area tables: the area's parts one level down, or the village itself. */
  parts: Area[]
  /** How many leading digits of a village code name a part (6 county, 9 town, 12 village). */
  partDigits: number
  /** Whether each part opens as an area of its own (one level down). */
  drillable: boolean
  /** The region-code prefix every figure is summed over. */
  prefix: string
}

const LEVEL_DIGITS = { county: 6, town: 9, village: 12 } as const

/**
 * The area `code` names (default: the top of the reader's reach), checked against that reach
 * (`scopePrefix`, '' for everything): outside it, or unknown, is a 404 like any record out of
 * reach. `deepest` stops the drill-down (the public pages go no further than a town).
 */
export async function areaView (db: Db, scopePrefix: string, code: string | undefined, deepest: Area['level'] = 'village'): Promise<AreaView> {
  const wanted = code ?? (scopePrefix === '' ? undefined : scopePrefix)
  if (wanted !== undefined && !wanted.startsWith(scopePrefix)) throw notFound('该地区 (region)')
  const area = wanted === undefined ? null : await db.selectFrom('regions').select(['code', 'name', 'level']).where('code', '=', wanted).executeTakeFirst() ?? null
  if (wanted !== undefined && (area === null || LEVEL_DIGITS[area.level] > LEVEL_DIGITS[deepest])) throw notFound('该地区 (region)')
  // The trail: the ancestors within reach, then the area.
  const ancestors: string[] = []
  if (area) for (const digits of [6, 9]) if (digits < area.code.length && area.code.slice(0, digits).length >= scopePrefix.length) ancestors.push(area.code.slice(0, digits))
  const trailRows = ancestors.length > 0 ? await db.selectFrom('regions').select(['code', 'name', 'level']).where('code', 'in', ancestors).orderBy('code').execute() : []
  const trail = [...trailRows, ...(area ? [area] : [])]
  const atBottom = area !== null && area.level === deepest
  const parts = atBottom
    ? [area]
    : await db.selectFrom('regions').select(['code', 'name', 'level'])
      .where(eb => area ? eb('parent_code', '=', area.code) : eb('level', '=', 'county'))
      .orderBy('code').execute()
  const partDigits = atBottom ? area.code.length : area ? LEVEL_DIGITS[area.level === 'county' ? 'town' : 'village'] : 6
  // Each part opens as an area of its own (a town's villages too), unless the area is already the deepest.
  return { area, trail, parts, partDigits, drillable: !atBottom, prefix: area?.code ?? '' }
}

export interface Sum { part: string, month: string, k1: string, k2: string, n: number, amount: number }
export type MetricSum = Sum & { metric: string }

interface SumOptions {
  /** Sum each part (the first `partDigits` digits of the region code) apart. */
  partDigits?: number
  /** Only these months, from `months[0]` to the month before `end` (flows only). */
  from?: string
  end?: string
  /** Keep the months apart (flows only). */
  byMonth?: boolean
  /** Exactly this region code instead of everything below the prefix (distinct counts kept per level). */
  exact?: boolean
}

/** Sums of stock or flow figures below `prefix`, grouped as asked (parts, months, k1, k2). */
export async function sums (db: Db, table: 'stat_stock' | 'stat_flow', metrics: string[], prefix: string, options: SumOptions = {}): Promise<MetricSum[]> {
  const part = options.partDigits ? sql<string>`left(region_code, ${options.partDigits})` : sql<string>`''`
  const month = table === 'stat_flow' && options.byMonth ? sql<string>`month::text` : sql<string>`''`
  let query = db.selectFrom(table as 'stat_flow')
    .select(['metric', 'k1', 'k2', part.as('part'), month.as('month'), sql<number>`sum(n)`.as('n'), sql<number>`sum(amount)`.as('amount')])
    .where('metric', 'in', metrics)
  query = options.exact ? query.where('region_code', '=', prefix) : query.where('region_code', 'like', `${prefix}%`)
  if (table === 'stat_flow' && options.from) query = query.where('month', '>=', options.from)
  if (table === 'stat_flow' && options.end) query = query.where('month', '<', options.end)
  const rows = await query.groupBy(['metric', 'k1', 'k2', sql`4`, sql`5`]).execute()
  return rows.map(r => ({ ...r, n: Number(r.n), amount: Number(r.amount) }))
}

/** Flow sums over a period. */
export function inPeriod (period: Period): Pick<SumOptions, 'from' | 'end'> {
  return { from: period.first, end: period.end }
}

/** Adds up the rows that pass `keep`: their count and their money. */
export function total<R extends Sum> (rows: readonly R[], keep: (row: R) => boolean = () => true): { n: number, amount: number } {
  let n = 0
  let amount = 0
  for (const row of rows) if (keep(row)) { n += row.n; amount += row.amount }
  return { n, amount: Math.round(amount * 100) / 100 }
}

/** The median of a histogram of whole numbers (value → count); null when empty. */
export function histogramMedian (counts: ReadonlyMap<number, number>): number | null {
  const all = [...counts.entries()].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0])
  const size = all.reduce((a, [, n]) => a + n, 0)
  if (size === 0) return null
  // For an even count, the mean of the two middle values, as a median is usually read.
  const at = (index: number) => {
    let seen = 0
    for (const [value, n] of all) { seen += n; if (index < seen) return value }
    return all[all.length - 1]?.[0] as number
  }
  return size % 2 === 1 ? at((size - 1) / 2) : (at(size / 2 - 1) + at(size / 2)) / 2
}

/** A share as a percentage with one decimal, or null when there is nothing to share. */
export function percent (part: number, whole: number): number | null {
  return whole > 0 ? Math.round(part / whole * 1000) / 10 : null
}
