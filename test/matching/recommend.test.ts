import t from 'tap'
import { recommendWishes, type PublishedWish } from '../../matching/recommend.js'

const donor = { regionCodes: ['330503101'], wishCategories: ['school_supplies'], minValue: 50, maxValue: 300 }
const wish = (id: number, changes: Partial<PublishedWish> = {}): PublishedWish =>
  ({ id, regionCode: '330503101001', category: 'school_supplies', value: 120, publishedOn: '2025-10-01', ...changes })

t.test('fit first, then urgency and waiting', async t => {
  const ranked = recommendWishes(donor, [
    wish(1, { regionCode: '330503102001' }),
    wish(2),
    wish(3, { category: 'clothing' }),
    wish(4, { value: 900 }),
    wish(5, { publishedOn: '2025-08-01' }),
    wish(6, { neededBy: '2025-11-05' })
  ], '2025-11-01')
  t.same(ranked.map(r => r.wishId).slice(0, 3), [6, 5, 2], 'urgent, then long-waiting, among the good fits')
  t.same(ranked.find(r => r.wishId === 1)?.factors, { region: 0, category: 1, value: 1, fit: 2 / 3, urgency: 0, waiting: 31 / 90 })
  t.ok((ranked.find(r => r.wishId === 2)?.score ?? 0) > (ranked.find(r => r.wishId === 3)?.score ?? 1), 'the preferred category ranks higher')
  t.equal(recommendWishes(donor, [wish(1), wish(2)], '2025-11-01', 1).length, 1, 'limit')
  const open = recommendWishes({ regionCodes: [], wishCategories: [], minValue: 0, maxValue: 1e9 }, [wish(9, { regionCode: '419001001001', category: 'rehab_aids' })], '2025-11-01')
  t.equal(open[0]?.factors.fit, 1, 'no preferences: everything fits')
})
