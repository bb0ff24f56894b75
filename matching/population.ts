// The matcher's in-memory population: one row per household and one per person in typed
// arrays (codes interned as small integers, dates as YYYYMMDD), the assistance chain reduced to
// the aggregates the rules and scores read. A household is replaced or removed on its own
// (the server applies registry change events), so the store never needs a full rebuild;
// replaced rows are left dead and reclaimed by an occasional compaction.
//
// What the server supplies (plain records, see PopulationHousehold / PopulationPerson):
//   household: id, village code (12 digits), category, status, hardship tags, per-capita
//              monthly income, the line it is measured against, when its need was registered
//              (optional), and its whole assistance chain (reversals included);
//   persons:   id, birth date, school stage.
// The chain aggregates are taken as of `asOf`: a population is built for a day (e.g. loaded
// at start-up or each night) and kept current during it by upsert/remove.
import { CATEGORIES, categoryRank, HARDSHIPS, HELP_KINDS, HOUSEHOLD_STATUSES, SCHOOL_STAGES } from './domain.js'
import type { CategoryOrNone, Hardship, HouseholdStatus, SchoolStage } from './domain.js'
import { summariseChain, type ChainEntry } from './assistance-chain.js'
import { epochDay, ymd, ymdText } from './dates.js'

export interface PopulationHousehold {
  id: number
  /** The household's village, 12 digits (GB/T 2260 style). */
  regionCode: string
  category: CategoryOrNone
  status: HouseholdStatus
  hardships: readonly Hardship[]
  perCapitaMonthlyIncome: number
  /** The line income is measured against for the income-gap factor (yuan per month), e.g. the edge line. */
  incomeLine: number
  /** YYYY-MM-DD since when the need has waited (application or registration); absent: not waiting. */
  needSince?: string | null
  chain: readonly ChainEntry[]
}

export interface PopulationPerson {
  id: number
  /** YYYY-MM-DD */
  birthDate: string
  schoolStage: SchoolStage
}

/** One household read back from the store (for explanations and the server; not the fast path). */
export interface HouseholdView extends Omit<PopulationHousehold, 'chain'> {
  charityValueLast12Months: number
  /** Latest charity help of each kind, YYYY-MM-DD. */
  lastCharityByKind: Record<string, string>
  /** Latest charity help carrying each tag, YYYY-MM-DD. */
  lastCharityByTag: Record<string, string>
  persons: PopulationPerson[]
}

/** No date: below every YYYYMMDD. */
export const NO_DATE = 0

type Column = Int32Array | Float64Array | Uint8Array

function resized<C extends Column> (column: C, length: number): C {
  const grown = new (column.constructor as new (n: number) => C)(length)
  grown.set(column.subarray(0, Math.min(length, column.length)) as never)
  return grown
}

/** Household columns, indexed by slot. */
export interface HouseholdColumns {
  id: Int32Array
  /** The village code as a number: "in region X" is a numeric range. */
  village: Float64Array
  /** Index into CATEGORIES; CATEGORIES.length for none (the 就高 rank). */
  category: Uint8Array
  /** Index into HOUSEHOLD_STATUSES. */
  status: Uint8Array
  /** Bit i set: HARDSHIPS[i]. */
  hardships: Uint8Array
  income: Float64Array
  incomeLine: Float64Array
  /** Epoch day of needSince, or -1. */
  needSince: Int32Array
  charity12: Float64Array
  /** YYYYMMDD of the latest charity help of HELP_KINDS[k], at slot·HELP_KINDS.length + k. */
  lastKind: Int32Array
  firstPerson: Int32Array
  personCount: Uint8Array
  live: Uint8Array
}

/** Person columns, indexed by slot; a household's persons are contiguous. */
export interface PersonColumns {
  id: Int32Array
  household: Int32Array
  birth: Int32Array
  /** Index into SCHOOL_STAGES. */
  stage: Uint8Array
}

const KINDS = HELP_KINDS.length

/**
 * The matcher's population: households and their current members in columns, for one day
 * (`asOf`). Kept current per household as the registry changes (`upsert`, `remove`); `get`
 * reads one back as plain data.
 */
export class Population {
  /** The columns, for the matcher's fast paths (eligibility, rank); written only by this class. */
  households: HouseholdColumns
  persons: PersonColumns
  /** Latest charity help by tag (YYYYMMDD per household slot), one column per tag seen. */
  private readonly tagColumns = new Map<string, Int32Array>()
  /** Slots in use, live or dead. */
  householdSlots = 0
  personSlots = 0
  private readonly slotOf = new Map<number, number>()
  private livePersons = 0

  /** `asOf` (YYYY-MM-DD) fixes the 12-month window of the chain aggregates. */
  constructor (readonly asOf: string, expectedPersons = 1024) {
    const h = Math.max(16, Math.ceil(expectedPersons / 3))
    this.households = {
      id: new Int32Array(h), village: new Float64Array(h), category: new Uint8Array(h), status: new Uint8Array(h),
      hardships: new Uint8Array(h), income: new Float64Array(h), incomeLine: new Float64Array(h), needSince: new Int32Array(h),
      charity12: new Float64Array(h), lastKind: new Int32Array(h * KINDS), firstPerson: new Int32Array(h), personCount: new Uint8Array(h), live: new Uint8Array(h)
    }
    const p = Math.max(16, expectedPersons)
    this.persons = { id: new Int32Array(p), household: new Int32Array(p), birth: new Int32Array(p), stage: new Uint8Array(p) }
  }

  get size (): { households: number, persons: number } {
    return { households: this.slotOf.size, persons: this.livePersons }
  }

  /** The latest day each household slot received charity help tagged `tag` (NO_DATE when never). */
  tagColumn (tag: string): Int32Array | undefined {
    return this.tagColumns.get(tag)
  }

  /** Adds or replaces a household and its members. */
  upsert (household: PopulationHousehold, persons: readonly PopulationPerson[]): void {
    if (!/^\d{12}$/.test(household.regionCode)) throw new Error(`household ${household.id}: region code ${household.regionCode} is not a 12-digit village code`)
    if (persons.length > 255) throw new Error(`household ${household.id}: ${persons.length} members`)
    this.remove(household.id)
    if (this.deadPersons() > Math.max(4096, this.livePersons / 4)) this.compact()
    this.reserve(this.householdSlots + 1, this.personSlots + persons.length)
    const slot = this.householdSlots++
    const h = this.households
    const summary = summariseChain(household.chain, this.asOf)
    h.id[slot] = household.id
    h.village[slot] = Number(household.regionCode)
    h.category[slot] = categoryRank(household.category)
    h.status[slot] = HOUSEHOLD_STATUSES.indexOf(household.status)
    h.hardships[slot] = household.hardships.reduce((mask, tag) => mask | (1 << HARDSHIPS.indexOf(tag)), 0)
    h.income[slot] = household.perCapitaMonthlyIncome
    h.incomeLine[slot] = household.incomeLine
    h.needSince[slot] = household.needSince ? epochDay(ymd(household.needSince)) : -1
    h.charity12[slot] = summary.charityValueLast12Months
    HELP_KINDS.forEach((kind, k) => { h.lastKind[slot * KINDS + k] = summary.lastCharityByKind.get(kind) ?? NO_DATE })
    for (const [tag, day] of summary.lastCharityByTag) {
      let column = this.tagColumns.get(tag)
      if (!column) this.tagColumns.set(tag, column = new Int32Array(h.id.length))
      column[slot] = day
    }
    h.firstPerson[slot] = this.personSlots
    h.personCount[slot] = persons.length
    h.live[slot] = 1
    const p = this.persons
    for (const person of persons) {
      const i = this.personSlots++
      p.id[i] = person.id
      p.household[i] = slot
      p.birth[i] = ymd(person.birthDate)
      p.stage[i] = SCHOOL_STAGES.indexOf(person.schoolStage)
    }
    this.slotOf.set(household.id, slot)
    this.livePersons += persons.length
  }

  /** Takes the household out (its slot stays, marked not live). */
  remove (householdId: number): void {
    const slot = this.slotOf.get(householdId)
    if (slot === undefined) return
    this.households.live[slot] = 0
    for (const column of this.tagColumns.values()) column[slot] = NO_DATE
    this.livePersons -= this.households.personCount[slot] as number
    this.slotOf.delete(householdId)
  }

  /** The household's slot in the columns, if present. */
  slot (householdId: number): number | undefined {
    return this.slotOf.get(householdId)
  }

  /** One household as plain data, with its members and dated help. */
  get (householdId: number): HouseholdView | undefined {
    const slot = this.slotOf.get(householdId)
    if (slot === undefined) return undefined
    const h = this.households
    const dated = (entries: Array<[string, number]>) => Object.fromEntries(entries.filter(([, day]) => day !== NO_DATE).map(([key, day]) => [key, ymdText(day)]))
    const first = h.firstPerson[slot] as number
    const need = h.needSince[slot] as number
    return {
      id: householdId,
      regionCode: String(h.village[slot]).padStart(12, '0'),
      category: CATEGORIES[h.category[slot] as number] ?? 'none',
      status: HOUSEHOLD_STATUSES[h.status[slot] as number] as HouseholdStatus,
      hardships: HARDSHIPS.filter((_, i) => ((h.hardships[slot] as number) & (1 << i)) !== 0),
      perCapitaMonthlyIncome: h.income[slot] as number,
      incomeLine: h.incomeLine[slot] as number,
      needSince: need < 0 ? null : new Date(need * 86_400_000).toISOString().slice(0, 10),
      charityValueLast12Months: h.charity12[slot] as number,
      lastCharityByKind: dated(HELP_KINDS.map((kind, k) => [kind, h.lastKind[slot * KINDS + k] as number])),
      lastCharityByTag: dated([...this.tagColumns].map(([tag, column]) => [tag, column[slot] as number])),
      persons: Array.from({ length: h.personCount[slot] as number }, (_, j) => ({
        id: this.persons.id[first + j] as number,
        birthDate: ymdText(this.persons.birth[first + j] as number),
        schoolStage: SCHOOL_STAGES[this.persons.stage[first + j] as number] as SchoolStage
      }))
    }
  }

  private deadPersons (): number {
    return this.personSlots - this.livePersons
  }

  private reserve (households: number, persons: number): void {
    if (households > this.households.id.length) {
      const length = Math.max(households, this.households.id.length * 2)
      const h = this.households as unknown as Record<string, Column>
      for (const key of Object.keys(h)) h[key] = resized(h[key] as Column, key === 'lastKind' ? length * KINDS : length)
      for (const [tag, column] of this.tagColumns) this.tagColumns.set(tag, resized(column, length))
    }
    if (persons > this.persons.id.length) {
      const length = Math.max(persons, this.persons.id.length * 2)
      const p = this.persons as unknown as Record<string, Column>
      for (const key of Object.keys(p)) p[key] = resized(p[key] as Column, length)
    }
  }

  /** Moves the live rows to the front, in their order, dropping the dead ones. */
  private compact (): void {
    const h = this.households
    const p = this.persons
    let nextHousehold = 0
    let nextPerson = 0
    for (let slot = 0; slot < this.householdSlots; slot++) {
      if (!h.live[slot]) continue
      const to = nextHousehold++
      for (const key of Object.keys(h) as Array<keyof HouseholdColumns>) {
        if (key === 'lastKind') h.lastKind.copyWithin(to * KINDS, slot * KINDS, slot * KINDS + KINDS)
        else h[key][to] = h[key][slot] as number
      }
      for (const column of this.tagColumns.values()) column[to] = column[slot] as number
      const first = h.firstPerson[slot] as number
      const count = h.personCount[slot] as number
      for (const key of Object.keys(p) as Array<keyof PersonColumns>) p[key].copyWithin(nextPerson, first, first + count)
      p.household.fill(to, nextPerson, nextPerson + count)
      h.firstPerson[to] = nextPerson
      nextPerson += count
      this.slotOf.set(h.id[to] as number, to)
    }
    h.live.fill(0, nextHousehold, this.householdSlots)
    for (const column of this.tagColumns.values()) column.fill(NO_DATE, nextHousehold, this.householdSlots)
    this.householdSlots = nextHousehold
    this.personSlots = nextPerson
  }
}
