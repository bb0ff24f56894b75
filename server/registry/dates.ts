// Civil-affairs dates are calendar days in China Standard Time, whatever the server's zone.
const chinaDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })

export function today (now: Date = new Date()): string {
  return chinaDay.format(now)
}

export { addDays } from '../../matching/dates.js'
