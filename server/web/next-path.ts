// Where to send someone after they sign in: back to the page they came from, but only to a
// page of ours — an absolute URL, `//host` or `/\host` in `next` would make the sign-in page
// an open redirect to a look-alike site.
const BASE = 'http://shanqiao.invalid'

/** The same-origin path (with query) that `next` names, or undefined when it names anything else. */
export function safeNextPath (next: unknown): string | undefined {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.length > 2000) return undefined
  try {
    const url = new URL(next, BASE)
    if (url.origin !== BASE) return undefined
    return `${url.pathname}${url.search}`
  } catch {
    return undefined
  }
}

/** The sign-in page that brings the person back to `path` afterwards. */
export function loginPathFor (path: string | undefined, reason?: 'expired'): string {
  const params = new URLSearchParams()
  const next = safeNextPath(path)
  if (next && next !== '/' && !next.startsWith('/login')) params.set('next', next)
  if (reason) params.set('reason', reason)
  const query = params.toString()
  return query ? `/login?${query}` : '/login'
}
