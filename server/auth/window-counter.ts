// A fixed-window counter per key, in memory: cheap throttling for requests that should
// never be frequent (unknown routes, scanners). Per process; sign-in throttling, which
// matters more, lives in PostgreSQL instead (sign-in-throttle.ts).
export class WindowCounter {
  private readonly windows = new Map<string, { start: number, count: number }>()

  constructor (readonly limit: number, readonly windowMs: number, private readonly maxKeys = 10_000) {}

  /** Counts one hit; returns the seconds to wait when over the limit, else undefined. */
  hit (key: string, now: number): number | undefined {
    let entry = this.windows.get(key)
    if (!entry || now - entry.start >= this.windowMs) {
      if (!entry && this.windows.size >= this.maxKeys) this.sweep(now)
      entry = { start: now, count: 0 }
      this.windows.set(key, entry)
    }
    entry.count += 1
    return entry.count > this.limit ? Math.ceil((entry.start + this.windowMs - now) / 1000) : undefined
  }

  private sweep (now: number): void {
    for (const [key, entry] of this.windows) {
      if (now - entry.start >= this.windowMs) this.windows.delete(key)
    }
    // Still full (a flood of distinct addresses): start over rather than grow without bound.
    if (this.windows.size >= this.maxKeys) this.windows.clear()
  }
}
