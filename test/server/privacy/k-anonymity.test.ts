// k-anonymity on plain data: classes are what published needs show; coarsening step by step;
// peers shown coarser move to a finer class only when the class they leave keeps none or k.
import t from 'tap'
import { generalise, type Peer, type QuasiIdentifiers } from '../../../server/privacy/k-anonymity.js'

const VILLAGE = '330503101001'
const NEIGHBOUR = '330503101002' // same town (330503101)
const girl: QuasiIdentifiers = { villageCode: VILLAGE, sex: 'female', age: 8 }

const VILLAGE_FINE = { place: 'village', band: 'fine' } as const
const TOWN_FINE = { place: 'town', band: 'fine' } as const
const TOWN_WIDE = { place: 'town', band: 'wide' } as const

/** A published peer: who it truly is and how it is shown. */
function peer (id: number, truth: Partial<QuasiIdentifiers>, shown: { place: 'village' | 'town', band: 'fine' | 'wide' }, ageBand: string): Peer {
  return { id, truth: { ...girl, ...truth }, shown: { ...shown, ageBand } }
}

t.test('alone: the town and the wide band, marked below_k', async t => {
  t.same(generalise(girl, []), { place: 'town', band: 'wide', classSize: 1, coarsened: ['village→town', 'age:fine→wide', 'below_k'], refined: [], joined: [] })
  t.same(generalise(girl, [], 1), { place: 'village', band: 'fine', classSize: 1, coarsened: [], refined: [], joined: [] }, 'k = 1 needs nobody')
})

t.test('peers that show the same make the class', async t => {
  const peers = [peer(1, {}, VILLAGE_FINE, '6-11岁'), peer(2, { age: 10 }, VILLAGE_FINE, '6-11岁')]
  t.same(generalise(girl, peers), { place: 'village', band: 'fine', classSize: 3, coarsened: [], refined: [], joined: [1, 2] })
  const others = [peer(3, { sex: 'male' }, VILLAGE_FINE, '6-11岁'), peer(4, { villageCode: NEIGHBOUR }, VILLAGE_FINE, '6-11岁'), peer(5, { age: 12 }, VILLAGE_FINE, '12-14岁')]
  t.same(generalise(girl, others).coarsened, ['village→town', 'age:fine→wide', 'below_k'], 'another sex, village or band is another class')
  t.same(generalise(girl, [peer(4, { villageCode: NEIGHBOUR }, TOWN_FINE, '6-11岁'), peer(6, { villageCode: NEIGHBOUR, age: 11 }, TOWN_FINE, '6-11岁')]),
    { place: 'town', band: 'fine', classSize: 3, coarsened: ['village→town'], refined: [], joined: [4, 6] }, 'the town and fine band when the village is too small')
})

t.test('compared by what peers show: true look-alikes shown wider do not count where they are not shown', async t => {
  // Two girls of the same village and band, both shown 南浔镇 0-17岁 with a boy-free class of
  // three (the third lives in the neighbouring village): the new girl may not claim the village
  // class with them — donors would see her alone there — and the class they share cannot spare two.
  const widened = [peer(1, {}, TOWN_WIDE, '0-17岁'), peer(2, { age: 9 }, TOWN_WIDE, '0-17岁'), peer(3, { villageCode: NEIGHBOUR, age: 15 }, TOWN_WIDE, '0-17岁')]
  t.same(generalise(girl, widened), { place: 'town', band: 'wide', classSize: 4, coarsened: ['village→town', 'age:fine→wide'], refined: [], joined: [1, 2, 3] })
})

t.test('peers shown wider move to the finer class when the class they leave keeps none or at least k', async t => {
  const pair = [peer(1, {}, TOWN_WIDE, '0-17岁'), peer(2, { age: 9 }, TOWN_WIDE, '0-17岁')]
  t.same(generalise(girl, pair), { place: 'village', band: 'fine', classSize: 3, coarsened: [], refined: [1, 2], joined: [] }, 'the whole below-k class moves with her')
  const five = [...pair, peer(3, { villageCode: NEIGHBOUR, age: 15 }, TOWN_WIDE, '0-17岁'), peer(4, { villageCode: NEIGHBOUR, age: 3 }, TOWN_WIDE, '0-17岁'), peer(5, { age: 7 }, TOWN_WIDE, '0-17岁')]
  t.same(generalise(girl, five), { place: 'village', band: 'fine', classSize: 3, coarsened: [], refined: [1, 2], joined: [] }, 'a class of five spares two and keeps three')
  t.same(generalise(girl, five, 4), { place: 'town', band: 'wide', classSize: 6, coarsened: ['village→town', 'age:fine→wide'], refined: [], joined: [1, 2, 3, 4, 5] }, 'with k = 4 it can spare only one: not enough')
  const mixed = [peer(1, {}, VILLAGE_FINE, '6-11岁'), peer(2, { age: 9 }, TOWN_FINE, '6-11岁')]
  t.same(generalise(girl, mixed), { place: 'village', band: 'fine', classSize: 3, coarsened: [], refined: [2], joined: [1] }, 'one already there, one moves from the town class it was alone in')
})
