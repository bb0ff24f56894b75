// The facet-count cache on plain data: entries live exactly their time, the least recently
// used goes first when full, and a time of 0 keeps nothing.
import t from 'tap'
import { FacetCache } from '../../../server/search/facet-cache.js'

const counts = (n: number) => ({ category: { clothing: n } })

t.test('an entry is returned until its time is up, then never again', async t => {
  const cache = new FacetCache(1000)
  cache.set('a', counts(1), 5000)
  t.same(cache.get('a', 5999), counts(1), 'one millisecond before it expires')
  t.equal(cache.get('a', 6000), undefined, 'at the moment it expires')
  t.equal(cache.size, 0, 'and it is gone')
  t.equal(cache.get('never set', 5000), undefined)
})

t.test('setting again renews the entry and its time', async t => {
  const cache = new FacetCache(1000)
  cache.set('a', counts(1), 0)
  cache.set('a', counts(2), 900)
  t.same(cache.get('a', 1500), counts(2))
  t.equal(cache.size, 1)
})

t.test('when full, the least recently used entry makes room', async t => {
  const cache = new FacetCache(60_000, 2)
  cache.set('a', counts(1), 0)
  cache.set('b', counts(2), 0)
  t.same(cache.get('a', 1), counts(1), 'a is used: b is now the oldest')
  cache.set('c', counts(3), 2)
  t.equal(cache.size, 2)
  t.equal(cache.get('b', 3), undefined, 'b made room')
  t.same(cache.get('a', 3), counts(1))
  t.same(cache.get('c', 3), counts(3))
})

t.test('a time of 0 keeps nothing', async t => {
  const cache = new FacetCache(0)
  cache.set('a', counts(1), 0)
  t.equal(cache.size, 0)
  t.equal(cache.get('a', 0), undefined)
})
