// How the pages write dates, days, money, page links and the way back after sign-in: pure
// functions, checked on exact values, the edges included.
import t from 'tap'
import { dateTime, daysLeft, fullDate, monthDay, yuan } from '../../../server/web/format.js'
import { pagination } from '../../../server/web/pagination.js'
import { loginPathFor, safeNextPath } from '../../../server/web/next-path.js'

t.test('dates and money as a clerk writes them', async t => {
  t.equal(monthDay('2026-01-05'), '1月5日', 'no leading zeros')
  t.equal(fullDate('2026-12-18'), '2026年12月18日')
  t.equal(dateTime('2026-12-31T16:30:00Z'), '2027年1月1日 00:30', 'China Standard Time, across the new year')
  t.equal(yuan(450000), '¥450,000')
  t.equal(yuan(1234.5), '¥1,234.50')
  t.equal(yuan(0), '¥0')
  t.equal(yuan(-800), '-¥800', 'a reversal in the assistance chain')
  t.equal(yuan(-1234.5), '-¥1,234.50')
  t.same(daysLeft('2026-12-07', '2026-12-09'), { days: 2, text: '还剩 2 天', overdue: false })
  t.same(daysLeft('2026-12-07', '2026-12-07'), { days: 0, text: '今天到期', overdue: false })
  t.same(daysLeft('2026-03-01', '2026-02-27'), { days: -2, text: '已逾期 2 天', overdue: true }, 'across the end of February')
})

t.test('page links: a window of five around the current page', async t => {
  t.equal(pagination(1, 1, p => `/x?page=${p}`), null, 'one page needs no links')
  const first = pagination(1, 12, p => `/x?page=${p}`)
  t.same(first?.numbers.map(n => n.page), [1, 2, 3, 4, 5])
  t.same([first?.previous, first?.next], [null, '/x?page=2'])
  t.same(pagination(7, 12, p => String(p))?.numbers.map(n => [n.page, n.current]), [[5, false], [6, false], [7, true], [8, false], [9, false]])
  t.same(pagination(12, 12, p => String(p))?.numbers.map(n => n.page), [8, 9, 10, 11, 12])
  t.same(pagination(2, 3, p => String(p))?.numbers.map(n => n.page), [1, 2, 3])
})

t.test('the way back after sign-in stays on this site', async t => {
  t.equal(safeNextPath('/wishes?q=%E4%B9%A6%E5%8C%85'), '/wishes?q=%E4%B9%A6%E5%8C%85')
  t.equal(safeNextPath('/me/claims/12#top'), '/me/claims/12', 'the fragment is the browser\'s')
  for (const foreign of ['//evil.example/', '/\\evil.example', 'https://evil.example/', 'evil', '', undefined, 42, `/${'x'.repeat(2001)}`]) {
    t.equal(safeNextPath(foreign), undefined, `refused: ${String(foreign).slice(0, 30)}`)
  }
  t.equal(loginPathFor('/me/claims?group=ended'), '/login?next=%2Fme%2Fclaims%3Fgroup%3Dended')
  t.equal(loginPathFor('/', 'expired'), '/login?reason=expired', 'home needs no way back')
  t.equal(loginPathFor('/login?next=%2Fx'), '/login', 'never back to the sign-in page itself')
  t.equal(loginPathFor('//evil.example/'), '/login')
})
