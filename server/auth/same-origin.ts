// Login CSRF: sign-in and registration are public, so no session's CSRF token can guard
// them, yet a cross-site page could post a form to them (e.g. signing the victim into the
// attacker's account). Browsers say where a request comes from; a public request that
// changes data must come from one of our own pages, or from no page at all (curl, an
// integration: they carry nobody's cookies, so there is nothing to forge).
import type { FastifyRequest } from 'fastify'

/** Sec-Fetch-Site values of requests our own pages (or the user, typing) start. */
const OWN = new Set(['same-origin', 'none'])

function hostOf (url: string): string | undefined {
  try {
    return new URL(url).host
  } catch {
    return undefined
  }
}

export function fromForeignPage (request: FastifyRequest): boolean {
  // Every current browser sends Sec-Fetch-Site; it holds even behind a proxy that rewrites Host.
  const site = request.headers['sec-fetch-site']
  if (typeof site === 'string') return !OWN.has(site)
  // Older browsers: compare Origin (or else Referer) with the host that was asked.
  const origin = request.headers.origin ?? request.headers.referer
  if (origin === undefined) return false
  return hostOf(origin) !== request.host
}
