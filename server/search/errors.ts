// Meilisearch's own answer inside an error. The client (0.62) wraps whatever our node:http
// transport (search/http-client.ts) rejects with — including the MeilisearchApiError it builds
// from a 4xx/5xx answer — in a MeilisearchRequestError whose `cause` is that error, so a plain
// `instanceof MeilisearchApiError` misses it.
import { MeilisearchApiError } from 'meilisearch'

/** The MeilisearchApiError in `error` or its chain of causes; undefined when Meilisearch did not answer. */
export function meiliApiError (error: unknown): MeilisearchApiError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 10; current = current.cause, depth++) {
    if (current instanceof MeilisearchApiError) return current
  }
  return undefined
}
