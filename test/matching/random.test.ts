import t from 'tap'
import { createRandom } from '../../matching/random.js'

t.test('the same seed yields the same sequence, another seed another one', async (t) => {
  const draw = (seed: number | string) => {
    const random = createRandom(seed)
    return Array.from({ length: 5 }, () => random.next())
  }
  t.same(draw(42), draw(42))
  t.same(draw('county'), draw('county'))
  t.not(draw(42)[0], draw(43)[0])
})

t.test('int stays within its inclusive bounds and reaches both ends', async (t) => {
  const random = createRandom(7)
  const seen = new Set<number>()
  for (let i = 0; i < 2000; i++) seen.add(random.int(1, 6))
  t.same([...seen].sort(), [1, 2, 3, 4, 5, 6])
})

t.test('weighted follows the weights and never picks a zero weight', async (t) => {
  const random = createRandom(1)
  const counts = { a: 0, b: 0, never: 0 }
  for (let i = 0; i < 10000; i++) counts[random.weighted([['a', 3], ['b', 1], ['never', 0]] as const)]++
  t.equal(counts.never, 0)
  t.ok(counts.a > 2 * counts.b, `a=${counts.a} b=${counts.b}`)
})

t.test('pick and weighted refuse empty lists', async (t) => {
  const random = createRandom(1)
  t.throws(() => random.pick([]), RangeError)
  t.throws(() => random.weighted([]), RangeError)
})
