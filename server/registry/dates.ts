// Kept for the files still importing today() from here (the web routes and donors.ts, being
// rewritten): the clock is server/clock.ts. Remove once nothing imports this module.
export { today } from '../clock.js'
export { addDays } from '../../matching/dates.js'
