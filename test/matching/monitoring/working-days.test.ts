// Working days across the Spring Festival and National Day, with their adjusted working
// weekends, as the State Council's notices set them (typed from the notices here, so that the
// package the calendar is seeded from is checked against them too).
import t from 'tap'
import { createRequire } from 'node:module'
import { addWorkingDays, daysLeft, isWorkingDay, workCalendar, workingDaysBetween, yearsMissing, type CalendarDay } from '../../../matching/monitoring/working-days.js'

const range = (from: string, to: string, kind: CalendarDay['kind']): CalendarDay[] => {
  const days: CalendarDay[] = []
  for (let d = new Date(`${from}T00:00:00Z`); d.toISOString().slice(0, 10) <= to; d.setUTCDate(d.getUTCDate() + 1)) days.push({ day: d.toISOString().slice(0, 10), kind })
  return days
}

// 国办发明电〔2024〕12号 (2025) and 〔2025〕7号 (2026): the two holidays and their 调休.
const OFFICIAL = [
  ...range('2025-10-01', '2025-10-08', 'holiday'), { day: '2025-09-28', kind: 'workday' }, { day: '2025-10-11', kind: 'workday' },
  ...range('2026-02-15', '2026-02-23', 'holiday'), { day: '2026-02-14', kind: 'workday' }, { day: '2026-02-28', kind: 'workday' }
] satisfies CalendarDay[]
const calendar = workCalendar(OFFICIAL, [2025, 2026])
const weekdaysOnly = workCalendar([], [])

t.test('a day is a working day on weekdays, not on holidays, and on adjusted weekends', async t => {
  t.equal(isWorkingDay(calendar, '2026-02-16'), false, 'a Monday of the Spring Festival')
  t.equal(isWorkingDay(calendar, '2026-02-14'), true, 'the Saturday worked before it')
  t.equal(isWorkingDay(calendar, '2026-02-28'), true, 'the Saturday worked after it')
  t.equal(isWorkingDay(calendar, '2026-02-21'), false, 'a Saturday of the holiday')
  t.equal(isWorkingDay(calendar, '2026-03-07'), false, 'an ordinary Saturday')
  t.equal(isWorkingDay(calendar, '2025-09-28'), true, 'the Sunday worked before National Day')
  t.equal(isWorkingDay(calendar, '2025-10-08'), false, 'a Wednesday of National Day')
})

t.test('10 and 15 working days across the Spring Festival 2026', async t => {
  // Raised Wednesday 11 February: 12, 13, 14 (Sat, worked) | 15–23 off | 24, 25, 26, 27, 28 (Sat, worked), 2 March, 3 March.
  t.equal(addWorkingDays(calendar, '2026-02-11', 10), '2026-03-03')
  t.equal(addWorkingDays(weekdaysOnly, '2026-02-11', 10), '2026-02-25', 'without the calendar it would be eight days early')
  t.equal(addWorkingDays(calendar, '2026-02-11', 15), '2026-03-10')
  t.equal(addWorkingDays(calendar, '2026-02-13', 1), '2026-02-14', 'the next working day after a Friday is the Saturday worked')
  t.equal(addWorkingDays(calendar, '2026-02-14', 1), '2026-02-24', 'and after that Saturday, the Tuesday after the holiday')
  t.equal(addWorkingDays(calendar, '2026-02-11', 0), '2026-02-11')
  t.throws(() => addWorkingDays(calendar, '2026-02-11', -1))
})

t.test('10 and 15 working days across National Day 2025', async t => {
  // Raised Friday 26 September: 28 (Sun, worked), 29, 30 | 1–8 October off | 9, 10, 11 (Sat, worked), 13, 14, 15, 16.
  t.equal(addWorkingDays(calendar, '2025-09-26', 10), '2025-10-16')
  t.equal(addWorkingDays(calendar, '2025-09-26', 15), '2025-10-23')
  t.equal(addWorkingDays(weekdaysOnly, '2025-09-26', 10), '2025-10-10')
})

t.test('days left and overdue, in working days', async t => {
  t.equal(workingDaysBetween(calendar, '2026-02-12', '2026-02-24'), 3, 'Friday the 13th, the Saturday worked, then (the holiday counting nothing) the 24th')
  t.same(daysLeft(calendar, '2026-02-12', '2026-02-24'), { days: 3, overdue: false })
  t.same(daysLeft(calendar, '2026-03-03', '2026-03-03'), { days: 0, overdue: false }, 'due today')
  t.same(daysLeft(calendar, '2026-03-05', '2026-03-03'), { days: -2, overdue: true }, 'two working days late')
  t.same(daysLeft(calendar, '2026-03-07', '2026-03-06'), { days: 0, overdue: true }, 'the Saturday after a Friday deadline: late, by no working day')
  t.same(daysLeft(calendar, '2026-02-22', '2026-02-16'), { days: 0, overdue: true }, 'a deadline inside the holiday is past on its last day')
})

t.test('years the calendar lacks are named', async t => {
  t.same(yearsMissing(calendar, '2026-12-20', '2027-01-10'), [2027])
  t.same(yearsMissing(calendar, '2025-09-26', '2025-10-16'), [])
})

t.test('the package the calendar is seeded from agrees with the notices', async t => {
  const data = createRequire(import.meta.url)('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>, workdays: Record<string, string> }
  for (const { day, kind } of OFFICIAL) t.ok(kind === 'holiday' ? day in data.holidays : day in data.workdays, `${day} is a ${kind} in chinese-days`)
  t.notOk('2026-02-24' in data.holidays, 'the Tuesday after the Spring Festival is worked')
})
