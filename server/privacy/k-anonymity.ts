// k-anonymity of what donors see (sex, age band, place): before a need is published, at least
// k published needs (itself included) must show exactly the attributes it would show. Peers
// are compared by what they show, not by their true attributes: a girl of eight shown as
// 东大街社区 6-11岁 is alone in that class however many girls of eight in the village are
// shown as 南浔镇 0-17岁. If the class is too small, the shown attributes are coarsened step by
// step — village → town, fine → wide age band — and what was coarsened is recorded.
//
// Published peers that are shown coarser than a step but truly belong to it may move to it
// (`refined`), so that the village and the fine band stay reachable; a peer moves only if the
// class it leaves keeps no member or at least k. The town and the wide band are the coarsest
// shown: a need still shared by fewer than k there is published that way and marked below_k.
import { ageBand, type AgeBandLevel } from './deidentify.js'

export const DEFAULT_K = 3

/** The true attributes of a need's person, before any coarsening. */
export interface QuasiIdentifiers {
  /** 12-digit village code; its first nine digits are the town. */
  villageCode: string
  sex: string
  age: number
}

export type Place = 'village' | 'town'

/** A published need: its true attributes and what its stored view shows. */
export interface Peer {
  id: number
  truth: QuasiIdentifiers
  shown: { place: Place, band: AgeBandLevel, ageBand: string }
}

export interface Generalisation {
  place: Place
  band: AgeBandLevel
  /** How many published needs (this one included) show the same, once `refined` have moved. */
  classSize: number
  /** What was coarsened, in order: 'village→town', 'age:fine→wide'; and 'below_k' when even the last step falls short. */
  coarsened: string[]
  /** Peers shown coarser that move to this step's place and band (their views are rebuilt). */
  refined: number[]
  /** Peers that already show the same: with `refined`, the other members of the class. */
  joined: number[]
}

const LADDER: ReadonlyArray<{ place: Place, band: AgeBandLevel, coarsened: string[] }> = [
  { place: 'village', band: 'fine', coarsened: [] },
  { place: 'town', band: 'fine', coarsened: ['village→town'] },
  { place: 'town', band: 'wide', coarsened: ['village→town', 'age:fine→wide'] }
]

const placeCode = (villageCode: string, place: Place) => place === 'village' ? villageCode : villageCode.slice(0, 9)
const keyAt = (q: QuasiIdentifiers, step: typeof LADDER[number]) => `${placeCode(q.villageCode, step.place)}|${q.sex}|${ageBand(q.age, step.band)}`
const shownKey = (peer: Peer) => `${placeCode(peer.truth.villageCode, peer.shown.place)}|${peer.truth.sex}|${peer.shown.ageBand}`
const levelOf = (peer: Peer) => LADDER.findIndex(step => step.place === peer.shown.place && step.band === peer.shown.band)

/**
 * The finest step at which `need` and at least k − 1 published peers show the same, with the
 * peers that move there. `published` are the needs already visible (others never match).
 */
export function generalise (need: QuasiIdentifiers, published: readonly Peer[], k = DEFAULT_K): Generalisation {
  const classes = new Map<string, Peer[]>()
  for (const peer of published) classes.set(shownKey(peer), [...classes.get(shownKey(peer)) ?? [], peer])
  let last: Generalisation | undefined
  for (const [level, step] of LADDER.entries()) {
    const key = keyAt(need, step)
    const joined = (classes.get(key) ?? []).map(p => p.id)
    const refined: number[] = []
    for (const members of classes.values()) {
      const moving = members.filter(p => levelOf(p) > level && keyAt(p.truth, step) === key)
      // The class left behind keeps no member or at least k: all move, or as many as it can spare.
      const movable = moving.length === members.length ? moving.length : Math.max(0, Math.min(moving.length, members.length - k))
      refined.push(...moving.slice(0, movable).map(p => p.id))
    }
    last = { place: step.place, band: step.band, classSize: 1 + joined.length + refined.length, coarsened: step.coarsened, refined, joined }
    if (last.classSize >= k) return last
  }
  const coarsest = last as Generalisation
  return { ...coarsest, coarsened: [...coarsest.coarsened, 'below_k'] }
}
