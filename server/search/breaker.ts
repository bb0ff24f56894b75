// Remembering that Meilisearch is down. Without it every donor search waits for the client's
// timeout (3 s) before falling back to PostgreSQL; with it, the first failure makes the
// following searches fall back at once, and after a cool-down one search tries Meilisearch
// again while the others keep falling back.
import { meiliApiError } from './errors.js'

/** How long Meilisearch is left alone after it failed to answer. */
export const SEARCH_RETRY_MS = 30_000

export class CircuitBreaker {
  /** When to try the service again; null while it answers. */
  private retryAt: number | null = null

  constructor (private readonly coolDownMs: number, private readonly now: () => number = Date.now) {}

  /** Whether to ask the service now. After a cool-down one caller may ask; the rest wait for another. */
  allow (): boolean {
    if (this.retryAt === null) return true
    if (this.now() < this.retryAt) return false
    this.retryAt = this.now() + this.coolDownMs
    return true
  }

  /** Record the outcome of a call that `allow` let through. */
  answered (error?: unknown): void {
    this.retryAt = error === undefined || !isOutage(error) ? null : this.now() + this.coolDownMs
  }
}

/** No answer, or a server error; a refusal of the request itself (a missing index, a 4xx) is an answer. */
export function isOutage (error: unknown): boolean {
  const answer = meiliApiError(error)
  return answer === undefined || answer.response.status >= 500
}

/**
 * `primary` unless the breaker says the service is down or it fails; then `fallback`.
 * `onFallback` hears every failure, not the searches the breaker turned away.
 */
export async function withFallback<T> (breaker: CircuitBreaker, primary: () => Promise<T>, fallback: () => Promise<T>, onFallback: (error: unknown) => void): Promise<T> {
  if (breaker.allow()) {
    try {
      const result = await primary()
      breaker.answered()
      return result
    } catch (error) {
      breaker.answered(error)
      onFallback(error)
    }
  }
  return fallback()
}
