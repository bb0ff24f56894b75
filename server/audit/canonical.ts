// Canonical JSON: object keys sorted at every level, no whitespace. The same value always
// gives the same text, whatever order its keys were built (or returned by jsonb) in.
export function canonicalJson (value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

/** What jsonb will give back: Dates as ISO strings, undefined dropped, absent as null. */
export function asJson (value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value)) as unknown
}
