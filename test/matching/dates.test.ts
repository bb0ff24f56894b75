import t from 'tap'
import { addDays, readDay, addMonths, ageOn, epochDay, halfYearOf, halfYearProgress, monthStart, monthsBefore, periodEnd, seasonName, seasonOf, ymd, ymdText } from '../../matching/dates.js'

t.test('YYYYMMDD round trip and ages', async t => {
  t.equal(ymd('2025-03-09'), 20250309)
  t.equal(ymdText(20250309), '2025-03-09')
  t.equal(ageOn(ymd('2015-11-01'), ymd('2025-10-31')), 9, 'the day before the tenth birthday')
  t.equal(ageOn(ymd('2015-11-01'), ymd('2025-11-01')), 10, 'on the birthday')
  t.equal(epochDay(ymd('1970-01-02')), 1)
})

t.test('months before clamps to the end of the month', async t => {
  t.equal(monthsBefore(20260331, 1), 20260228)
  t.equal(monthsBefore(20240331, 1), 20240229, 'leap year')
  t.equal(monthsBefore(20260310, 36), 20230310)
  t.equal(monthsBefore(20260115, 1), 20251215, 'across the year')
  t.equal(monthsBefore(20251101, 12), 20241101)
})

t.test('seasons and half-years', async t => {
  t.equal(seasonOf(20251203), seasonOf(20260210), 'December and the next February are one winter')
  t.equal(seasonName(seasonOf(20260210)), '2025-winter')
  t.not(seasonOf(20251031), seasonOf(20251101), 'autumn ends with October')
  t.equal(seasonName(seasonOf(20260301)), '2026-spring')
  t.equal(seasonName(seasonOf(20260831)), '2026-summer')
  t.equal(halfYearOf(20260630), 2026 * 2)
  t.equal(halfYearOf(20260701), 2026 * 2 + 1)
  t.equal(halfYearProgress(20260101), 0)
  t.equal(halfYearProgress(20260701), 0)
  t.equal(halfYearProgress(20261231), 183 / 184)
  t.equal(halfYearProgress(20260401), 90 / 181)
})

t.test('calendar steps on YYYY-MM-DD text', async t => {
  t.equal(addDays('2026-03-01', -1), '2026-02-28')
  t.equal(addDays('2024-12-31', 1), '2025-01-01')
  t.equal(addMonths('2025-08-31', 1), '2025-09-30', 'clamped to the month end')
  t.equal(addMonths('2024-02-29', 12), '2025-02-28')
  t.equal(addMonths('2025-11-15', 3), '2026-02-15', 'across the year')
  t.equal(periodEnd('2025-03-02', 6), '2025-09-01')
  t.equal(periodEnd('2022-09-01', 36), '2025-08-31')
  t.equal(monthStart('2025-12', 1), '2026-01-01')
  t.equal(monthStart('2025-07-19', 13), '2026-08-01')
})

t.test('periodEnd agrees with stepping a day back from the same day months later', async t => {
  for (const start of ['2025-01-01', '2025-01-31', '2024-02-29', '2025-03-01', '2025-08-31', '2025-12-01', '2023-12-31']) {
    for (const months of [1, 6, 12, 24, 36]) t.equal(periodEnd(start, months), addDays(addMonths(start, months), -1), `${start} + ${months}`)
  }
})

t.test('readDay: the forms people write a day in, and days the calendar lacks', async t => {
  t.same(['2026-02-03', '2026/2/3', '2026.02.03', '2026年2月3日', '2026年02月03日', '20260203', '2026-2-3'].map(readDay), Array(7).fill('2026-02-03'))
  t.equal(readDay('2024-02-29'), '2024-02-29', 'a leap day in a leap year')
  t.equal(readDay('0026-01-01'), '0026-01-01', 'a four-digit year is the year written, not 1926')
  t.same(['2025-02-29', '2026-02-30', '2026-13-01', '2026-00-10', '2026-01-00', '2026-1', '26-01-01', '2026020', '202602031', 'yesterday', ''].map(readDay), Array(11).fill(undefined))
})
