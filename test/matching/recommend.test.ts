import t from 'tap'
import { RECOMMEND_FACTORS, RECOMMEND_WEIGHTS, recommendProjects, recommendWishes, type PublishedWish } from '../../matching/recommend.js'

const donor = { regionCodes: ['330503101'], wishCategories: ['school_supplies'], minValue: 50, maxValue: 300 }
const wish = (id: number, changes: Partial<PublishedWish> = {}): PublishedWish =>
  ({ id, regionCode: '330503101001', category: 'school_supplies', value: 120, publishedOn: '2025-10-01', ...changes })
const normalised = (r: ReturnType<typeof recommendWishes>[number] | undefined) => Object.fromEntries(r?.factors.map(f => [f.factor, f.normalised]) ?? [])

t.test('fit first, then urgency and waiting', async t => {
  const ranked = recommendWishes(donor, [
    wish(1, { regionCode: '330503102001' }),
    wish(2),
    wish(3, { category: 'clothing' }),
    wish(4, { value: 900 }),
    wish(5, { publishedOn: '2025-08-01' }),
    wish(6, { neededBy: '2025-11-05' })
  ], '2025-11-01')
  t.same(ranked.map(r => r.wishId), [6, 5, 2, 1, 3, 4], 'urgent, then long-waiting, among the good fits; ties by id')
  t.same(normalised(ranked.find(r => r.wishId === 1)), { region: 0, category: 1, value_range: 1, urgency: 0, waiting: 31 / 90 })
  t.same(ranked.find(r => r.wishId === 4)?.factors.find(f => f.factor === 'value_range'), { factor: 'value_range', value: 900, normalised: 0, weight: 1 / 6, contribution: 0 })
  t.equal(recommendWishes(donor, [wish(1), wish(2)], '2025-11-01', 1).length, 1, 'limit')
})

t.test('each factor at its boundaries', async t => {
  const one = (changes: Partial<PublishedWish>, asOf = '2025-11-01') => normalised(recommendWishes(donor, [wish(1, changes)], asOf)[0])
  t.equal(one({ value: 300 }).value_range, 1, 'the maximum is inclusive')
  t.equal(one({ value: 49 }).value_range, 0)
  t.equal(one({ neededBy: '2025-12-01' }).urgency, 1, 'due within 30 days')
  t.equal(one({ neededBy: '2025-12-16' }).urgency, 0.5)
  t.equal(one({ neededBy: '2026-01-01' }).urgency, 0, 'two months away')
  t.equal(one({ publishedOn: '2025-12-01' }).waiting, 0, 'published after asOf: no waiting')
  t.equal(one({ publishedOn: '2025-01-01' }).waiting, 1)
  const open = recommendWishes({ regionCodes: [], wishCategories: [], minValue: 0, maxValue: 1e9 }, [wish(9, { regionCode: '419001001001', category: 'rehab_aids' })], '2025-11-01')
  t.same(normalised(open[0]), { region: 1, category: 1, value_range: 1, urgency: 0, waiting: 31 / 90 }, 'no preferences: everything fits')
})

t.test('the score is the weighted sum worked out by hand, and weights sum to 1', async t => {
  t.equal(Math.round(RECOMMEND_FACTORS.reduce((sum, f) => sum + RECOMMEND_WEIGHTS[f], 0) * 1e12) / 1e12, 1)
  const [r] = recommendWishes(donor, [wish(1, { neededBy: '2025-11-20' })], '2025-11-01')
  t.same(r?.factors.map(f => f.value), ['330503101001', 'school_supplies', 120, 19, 31])
  // Fits the donor's town, category and amount (a sixth each); due in 19 days (fully urgent,
  // a quarter); 31 of 90 days waited (a quarter of 31/90).
  t.same(r?.factors.map(f => [f.factor, f.normalised, f.weight]), [['region', 1, 1 / 6], ['category', 1, 1 / 6], ['value_range', 1, 1 / 6], ['urgency', 1, 0.25], ['waiting', 31 / 90, 0.25]])
  t.ok(Math.abs((r?.score ?? 0) - (0.5 + 0.25 + 0.25 * 31 / 90)) < 1e-12, `score ${r?.score}`)
  t.same(JSON.parse(JSON.stringify(r)), r)
})

t.test('projects: the donor\'s kinds and regions, ending soonest first', async t => {
  const projects = [
    { id: 1, kind: 'dream_room', regionCodes: ['330503101'], endsOn: '2025-12-31' },
    { id: 2, kind: 'fund', regionCodes: [], endsOn: '2025-11-20' },
    { id: 3, kind: 'dream_room', regionCodes: ['330503102'], endsOn: '2025-11-10' },
    { id: 4, kind: 'training_voucher', regionCodes: ['330503'], endsOn: null },
    { id: 5, kind: 'dream_room', regionCodes: ['330503101001'], endsOn: '2025-12-31' }
  ]
  t.same(recommendProjects({ kinds: [], regionCodes: [] }, projects, '2025-11-01').map(r => r.projectId), [3, 2, 1, 5, 4], 'no preferences: all, soonest end first, undated last')
  t.same(recommendProjects({ kinds: ['dream_room'], regionCodes: ['330503101'] }, projects, '2025-11-01'), [
    { projectId: 1, kindMatched: true, regionsMatched: ['330503101'], daysLeft: 60 },
    { projectId: 5, kindMatched: true, regionsMatched: ['330503101'], daysLeft: 60 }
  ], 'another town\'s room and other kinds are left out; a village inside the town counts')
  t.same(recommendProjects({ kinds: [], regionCodes: ['330503101'] }, projects, '2025-11-01').map(r => [r.projectId, r.regionsMatched]), [[2, []], [1, ['330503101']], [5, ['330503101']], [4, ['330503101']]],
    'a project without regions is not refused for the region, nor credited with it; a county project covers the town')
  t.equal(recommendProjects({ kinds: [], regionCodes: [] }, projects, '2026-02-01').find(r => r.projectId === 2)?.daysLeft, 0, 'an end in the past counts as 0 days')
})
