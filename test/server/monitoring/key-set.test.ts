// The set of record keys one feed file has shown: exact first lines through growth, keys that
// share their first bytes (the same starting slot), and refusals of what it cannot hold.
import t from 'tap'
import { createHash } from 'node:crypto'
import { RecordKeySet } from '../../../server/monitoring/feeds/key-set.js'

const key = (text: string) => createHash('sha256').update(text).digest()

t.test('a key is new once, then answers the line it was first seen on — through many doublings', async t => {
  const set = new RecordKeySet(2)
  const count = 50_000
  let known = 0
  for (let i = 0; i < count; i++) if (set.firstLine(key(`r${i}`), i + 2) !== undefined) known++
  t.equal(known, 0, 'every distinct key is new the first time')
  let wrong = 0
  for (let i = 0; i < count; i++) if (set.firstLine(key(`r${i}`), 999_999) !== i + 2) wrong++
  t.equal(wrong, 0, 'every key answers its own first line')
  t.equal(set.firstLine(key('never seen'), 7), undefined)
  t.equal(set.firstLine(key('never seen'), 8), 7, 'the second sighting names the first line, not its own')
})

t.test('keys whose first four bytes agree start at the same slot and stay apart', async t => {
  const set = new RecordKeySet(4)
  const a = Buffer.alloc(32, 1)
  const b = Buffer.from(a)
  b[31] = 2
  const c = Buffer.from(a)
  c[4] = 9
  t.equal(set.firstLine(a, 10), undefined)
  t.equal(set.firstLine(b, 11), undefined)
  t.equal(set.firstLine(c, 12), undefined)
  t.same([set.firstLine(a, 20), set.firstLine(b, 21), set.firstLine(c, 22)], [10, 11, 12])
})

t.test('refuses what it cannot hold', async t => {
  const set = new RecordKeySet()
  t.throws(() => set.firstLine(Buffer.alloc(16), 2), /32 bytes, not 16/)
  t.throws(() => set.firstLine(key('x'), 0), /lines count from 1/)
  t.throws(() => new RecordKeySet(1000), /power of two/)
})
