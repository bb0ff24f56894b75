// The dashboards' time filter (statistics/periods.ts): each kind of period gives its months,
// its exclusive end, the label a page shows and the query string its links carry.
import t from 'tap'
import { MAX_MONTHS, periodQueryString, resolvePeriod, trailingMonths } from '../../../server/statistics/periods.js'

const TODAY = '2026-12-07'

t.test('each kind of period', async t => {
  const month = resolvePeriod({}, TODAY)
  t.match(month, { kind: 'month', first: '2026-12-01', last: '2026-12-01', end: '2027-01-01', label: '2026年12月', months: ['2026-12-01'] }, "the default is this month; its end is January's first day")
  const quarter = resolvePeriod({ period: 'quarter', quarter: '2026-Q1' }, TODAY)
  t.match(quarter, { first: '2026-01-01', last: '2026-03-01', end: '2026-04-01', label: '2026年第一季度', months: ['2026-01-01', '2026-02-01', '2026-03-01'] })
  t.equal(resolvePeriod({ period: 'quarter' }, TODAY).label, '2026年第四季度', "this quarter by default")
  const year = resolvePeriod({ period: 'year', year: '2025' }, TODAY)
  t.match(year, { first: '2025-01-01', last: '2025-12-01', end: '2026-01-01', label: '2025年' })
  t.equal(year.months.length, 12)
  const custom = resolvePeriod({ period: 'custom', from: '2025-11', to: '2026-06' }, TODAY)
  t.match(custom, { first: '2025-11-01', last: '2026-06-01', end: '2026-07-01', label: '2025年11月至2026年6月' })
  t.equal(custom.months.length, 8)
  t.equal(resolvePeriod({ period: 'custom', from: '2026-02', to: '2026-05' }, TODAY).label, '2026年2月至5月', 'within one year the year is said once')
})

t.test('a custom run given backwards is swapped, and one too long is cut', async t => {
  const backwards = resolvePeriod({ period: 'custom', from: '2026-06', to: '2025-11' }, TODAY)
  t.match(backwards, { first: '2025-11-01', last: '2026-06-01', values: { from: '2025-11', to: '2026-06' } })
  const long = resolvePeriod({ period: 'custom', from: '2000-01', to: '2026-12' }, TODAY)
  t.equal(long.months.length, MAX_MONTHS)
  t.equal(long.last, '2009-12-01')
})

t.test('links carry only what the kind reads', async t => {
  t.equal(periodQueryString(resolvePeriod({ period: 'quarter', quarter: '2026-Q3', month: '2026-01' }, TODAY)), 'period=quarter&quarter=2026-Q3')
  t.equal(periodQueryString(resolvePeriod({ period: 'custom', from: '2026-01', to: '2026-03' }, TODAY)), 'period=custom&from=2026-01&to=2026-03')
  t.same(trailingMonths(resolvePeriod({ period: 'month', month: '2026-02' }, TODAY), 3), ['2025-12-01', '2026-01-01', '2026-02-01'], 'trends cross the year')
})
