// Civil-affairs dates are calendar days in China Standard Time, whatever the server's zone.
const chinaDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })

export function today (now: Date = new Date()): string {
  return chinaDay.format(now)
}

/** The calendar day `days` after `date` (both 'YYYY-MM-DD'). */
export function addDays (date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}
