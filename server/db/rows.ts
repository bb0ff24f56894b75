// The row type of a query built by a function, for the function that maps it to a view:
// `RowOf<typeof staffQuery>` instead of spelling out Kysely's result type each time.
// (Kysely's CamelCasePlugin would make most mappers unnecessary, but it renames every column
// in every query at once; mapping at the views keeps snake_case rows and camelCase answers
// each in their place.)
import type { SelectQueryBuilder } from 'kysely'

export type RowOf<Query extends (...args: never[]) => SelectQueryBuilder<never, never, unknown>> =
  ReturnType<Query> extends SelectQueryBuilder<never, never, infer Row> ? Row : never
