// From rows to views: `RowOf<typeof staffQuery>` names the row type of a query built by a
// function (instead of spelling out Kysely's result type each time), and `camelRow` is the
// one mapping of stored columns to a view's camelCase fields. Kysely's CamelCasePlugin would do
// the renaming in the driver, but it renames every column of every query at once; mapping at
// the views keeps snake_case in SQL and camelCase in answers, each in its place.
import type { SelectQueryBuilder } from 'kysely'

export type RowOf<Query extends (...args: never[]) => SelectQueryBuilder<never, never, unknown>> =
  ReturnType<Query> extends SelectQueryBuilder<never, never, infer Row> ? Row : never

type Camel<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S

/** A row as the API shows it: camelCase keys, instants as ISO strings (calendar days are strings already). */
export type CamelRow<Row> = {
  [K in keyof Row as K extends string ? Camel<K> : K]: Row[K] extends Date ? string : Row[K] extends Date | null ? string | null : Row[K]
}

/**
 * The one mapping from a row to its view's fields, for the columns a view shows as they are
 * stored; a view adds what it computes (or narrows) after spreading it. Select only the
 * columns the view shows: every selected column comes out.
 */
export function camelRow<Row extends object> (row: Row): CamelRow<Row> {
  const view: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(row)) view[key.replace(/_([a-z0-9])/g, (_, next: string) => next.toUpperCase())] = value instanceof Date ? value.toISOString() : value
  return view as CamelRow<Row>
}
