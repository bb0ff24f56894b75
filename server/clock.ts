// The application's clock: the instant and the calendar day that decisions, due days and
// caches read. Civil-affairs dates are calendar days in China Standard Time, whatever the
// server's zone. Tests set the clock (setClock) instead of waiting for real time to pass.

const chinaDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })

let source: () => number = Date.now

/** Milliseconds since the epoch, on the application's clock. */
export function now (): number {
  return source()
}

/** The calendar day (YYYY-MM-DD, China Standard Time) of `at`, by default of the application's now. */
export function today (at: Date = new Date(now())): string {
  return chinaDay.format(at)
}

/** Runs the application's clock from `next` (a fixed or advancing time); without it, from the system clock again. */
export function setClock (next?: () => number): void {
  source = next ?? Date.now
}
