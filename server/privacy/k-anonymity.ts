// k-anonymity of what donors see (sex, age band, place): before a need is published, at least
// k published needs (itself included) must share the attributes it would show. If they do not,
// the shown attributes are coarsened step by step — village → town, fine → wide age band — and
// what was coarsened is recorded. The town is the coarsest place shown: a need whose town
// and wide band are still shared by fewer than k is published that way and marked below_k.
import { ageBand, type AgeBandLevel } from './deidentify.js'

export const DEFAULT_K = 3

/** The true attributes of a need's person, before any coarsening. */
export interface QuasiIdentifiers {
  /** 12-digit village code; its first nine digits are the town. */
  villageCode: string
  sex: string
  age: number
}

export interface Generalisation {
  place: 'village' | 'town'
  band: AgeBandLevel
  /** How many needs (this one included) share the shown attributes. */
  classSize: number
  /** What was coarsened, in order: 'village→town', 'age:fine→wide'; and 'below_k' when even the last step falls short. */
  coarsened: string[]
}

const LADDER: ReadonlyArray<{ place: 'village' | 'town', band: AgeBandLevel, coarsened: string[] }> = [
  { place: 'village', band: 'fine', coarsened: [] },
  { place: 'town', band: 'fine', coarsened: ['village→town'] },
  { place: 'town', band: 'wide', coarsened: ['village→town', 'age:fine→wide'] }
]

function shown (q: QuasiIdentifiers, place: 'village' | 'town', band: AgeBandLevel): string {
  return `${place === 'village' ? q.villageCode : q.villageCode.slice(0, 9)}|${q.sex}|${ageBand(q.age, band)}`
}

/**
 * The finest generalisation under which `need` and at least k − 1 of `published` look alike.
 * `published` are the needs already visible (any town; others simply never match).
 */
export function generalise (need: QuasiIdentifiers, published: readonly QuasiIdentifiers[], k = DEFAULT_K): Generalisation {
  let last: Generalisation | undefined
  for (const step of LADDER) {
    const key = shown(need, step.place, step.band)
    const classSize = 1 + published.reduce((n, other) => n + (shown(other, step.place, step.band) === key ? 1 : 0), 0)
    last = { place: step.place, band: step.band, classSize, coarsened: step.coarsened }
    if (classSize >= k) return last
  }
  const coarsest = last as Generalisation
  return { ...coarsest, coarsened: [...coarsest.coarsened, 'below_k'] }
}
