// Hand-made households for the policy engine's tests: an adult who is nothing in particular,
// a household of one such adult, and the round Nanxun numbers the tests reason with.
import type { Household, Member } from '../../../matching/policy/index.js'

export const ASOF = '2025-09-01'

export const adult = (overrides: Partial<Member> = {}): Member => ({
  birthDate: '1980-03-01', laborCapacity: 'full', hasIncomeSource: true, hasAbleSupporter: true,
  disability: null, seriousIllness: false, schoolStage: 'none', employed: false, ...overrides
})

export const household = (overrides: Partial<Household> = {}): Household => ({
  annualIncome: 0, rigidExpenses: { medical: 0, education: 0 }, propertyCompliant: true,
  povertyMonitoring: false, hardships: [], members: [adult()], ...overrides
})

/** Nanxun with round numbers: dibao 1000, edge line min(2000, wage 2490) = 2000, disposable 70000/yr. */
export const NANXUN = { dibaoMonthly: 1000, edgeMultiplier: 2, minWageMonthly: 2490, disposableIncomeAnnual: 70000, lowIncomeSupportAnnual: 33334 }

/** Annual income giving this per-capita monthly income for a household of `size`. */
export const yearly = (monthly: number, size = 1) => monthly * 12 * size
