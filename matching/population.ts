// The matcher's in-memory view of the registry: households with their chain summarised and
// their members, replaceable one household at a time so the server can keep it current
// from change events instead of reloading everything.
import type { CategoryOrNone, Hardship, HouseholdStatus, SchoolStage } from './domain.js'
import { summariseChain, type ChainEntry, type ChainSummary } from './assistance-chain.js'

export interface PopulationHousehold {
  id: number
  regionCode: string
  category: CategoryOrNone
  status: HouseholdStatus
  hardships: readonly Hardship[]
  perCapitaMonthlyIncome: number
  /** The line income is measured against for the income-gap factor (yuan per month). */
  incomeLine: number
  chain: readonly ChainEntry[]
}

export interface PopulationPerson {
  id: number
  birthDate: string
  schoolStage: SchoolStage
}

export interface HouseholdState extends Omit<PopulationHousehold, 'chain'>, ChainSummary {
  persons: Array<{ id: number, birth: number, schoolStage: SchoolStage }>
}

/** YYYY-MM-DD as the number YYYYMMDD: ages then come from one subtraction. */
export const dayNumber = (date: string) => Number(date.slice(0, 4)) * 10000 + Number(date.slice(5, 7)) * 100 + Number(date.slice(8, 10))
export const ageFrom = (birth: number, asOf: number) => Math.floor((asOf - birth) / 10000)

export class Population {
  private readonly households = new Map<number, HouseholdState>()
  /** Households by town code (9 digits): most projects serve a town or a few. */
  private readonly byTown = new Map<string, Map<number, HouseholdState>>()
  private personCount = 0

  /** `asOf` fixes the 12-month window of the chain summaries. */
  constructor (readonly asOf: string) {}

  get size (): { households: number, persons: number } {
    return { households: this.households.size, persons: this.personCount }
  }

  /** Adds or replaces a household and its members. */
  upsert (household: PopulationHousehold, persons: readonly PopulationPerson[]): void {
    this.remove(household.id)
    const { chain, ...rest } = household
    const state: HouseholdState = {
      ...rest,
      ...summariseChain(chain, this.asOf),
      persons: persons.map(p => ({ id: p.id, birth: dayNumber(p.birthDate), schoolStage: p.schoolStage }))
    }
    this.households.set(household.id, state)
    const town = household.regionCode.slice(0, 9)
    const inTown = this.byTown.get(town) ?? new Map<number, HouseholdState>()
    inTown.set(household.id, state)
    this.byTown.set(town, inTown)
    this.personCount += persons.length
  }

  remove (householdId: number): void {
    const existing = this.households.get(householdId)
    if (!existing) return
    this.personCount -= existing.persons.length
    this.households.delete(householdId)
    this.byTown.get(existing.regionCode.slice(0, 9))?.delete(householdId)
  }

  get (householdId: number): HouseholdState | undefined {
    return this.households.get(householdId)
  }

  values (): IterableIterator<HouseholdState> {
    return this.households.values()
  }

  /** The households under any of these region codes (all of them when none is given). */
  * within (regionCodes: readonly string[] | undefined): Generator<HouseholdState> {
    if (!regionCodes || regionCodes.length === 0 || regionCodes.some(code => code.length < 9)) {
      yield * this.households.values()
      return
    }
    const towns = new Set(regionCodes.map(code => code.slice(0, 9)))
    for (const town of towns) yield * this.byTown.get(town)?.values() ?? []
  }
}
