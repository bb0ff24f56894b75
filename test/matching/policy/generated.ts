// Households drawn for the policy engine's property tests: seeded (the same seed, the same
// households), and drawn near the lines the documents draw — each income lands on a line, a
// cent either side of it, or the same after the employment-cost deduction — so that the
// boundaries, not only the middles of the bands, are exercised.
import { DISABILITY_KINDS, HARDSHIPS, LABOR_CAPACITIES, type Hardship } from '../../../matching/domain.js'
import { PROFILES, resolveParameters, type Household, type Member, type ProfileId } from '../../../matching/policy/index.js'
import { createRandom, type Random } from '../../../matching/random.js'

export const AS_OF = '2025-09-01'

/** A birth date that makes someone `age` on AS_OF, less `days` days. */
function bornAt (age: number, days: number): string {
  const day = new Date(Date.UTC(2025 - age, 8, 1 - days))
  return day.toISOString().slice(0, 10)
}

function drawMember (random: Random): Member {
  const age = random.weighted([[random.int(0, 17), 2], [random.int(18, 59), 5], [random.int(60, 95), 3]] as const)
  const adult = age >= 18 && age < 60
  const member: Member = {
    birthDate: bornAt(age, random.int(0, 364)),
    laborCapacity: random.pick(LABOR_CAPACITIES),
    hasIncomeSource: random.chance(0.6),
    hasAbleSupporter: random.chance(0.6),
    disability: random.chance(0.25) ? { level: random.int(1, 4), kind: random.pick(DISABILITY_KINDS) } : null,
    seriousIllness: random.chance(0.15),
    schoolStage: 'none',
    employed: adult && random.chance(0.4),
    hukou: random.weighted([['rural', 5], ['urban', 3], [null, 1]] as const),
    publicSector: adult && random.chance(0.05)
  }
  // A monitoring record that began before the day decided, after it, or has ended on either side of it.
  if (random.chance(0.15)) {
    const from = random.pick(['2024-01-15', '2025-09-01', '2025-09-02'])
    member.povertyMonitoring = { from, until: random.pick([null, '2025-08-31', '2025-09-01', '2026-03-01']) }
  }
  return member
}

/** Per-capita monthly incomes worth testing under a profile's values: each line, a cent either side, and a spread between. */
function incomePoints (values: Record<string, number | undefined>): number[] {
  const dibao = values.dibaoMonthly as number
  const k = values.edgeMultiplier as number
  const lines = [dibao, dibao * k, values.minWageMonthly, (values.lowIncomeSupportAnnual ?? 0) / 12, (values.disposableIncomeAnnual as number) / 12]
    .filter((line): line is number => line !== undefined && line > 0)
  return lines.flatMap(line => [line - 0.01, line, line + 0.01])
}

export interface Drawn {
  profile: ProfileId
  household: Household
}

/** `count` households for `profile`, from `seed`. */
export function drawHouseholds (profile: ProfileId, seed: number, count: number): Drawn[] {
  const random = createRandom(`${profile}:${seed}`)
  const values = resolveParameters(profile, PROFILES[profile].parameters, [], AS_OF).values
  const points = incomePoints(values)
  const deduction = values.employmentDeductionMonthly ?? 0
  const drawn: Drawn[] = []
  for (let n = 0; n < count; n++) {
    const size = random.weighted([[1, 3], [2, 3], [3, 3], [4, 2], [5, 1], [6, 1]] as const)
    const members = Array.from({ length: size }, () => drawMember(random))
    const employed = members.filter(m => m.employed).length
    // On a line, a cent off it, or anywhere up to twice the highest line; sometimes so that the
    // figure after the deduction (not the income as reported) is the one on the line.
    const monthly = random.chance(0.6) ? random.pick(points) : random.int(0, Math.ceil(Math.max(...points) * 2) * 100) / 100
    const shifted = employed > 0 && random.chance(0.4) ? employed * deduction * 12 : 0
    const annualIncome = Math.round((monthly * size * 12 + shifted) * 100) / 100
    const spend = random.weighted([[0, 4], [Math.round(annualIncome * random.next()), 3], [random.int(0, 80000), 2]] as const)
    const education = random.chance(0.3) ? Math.round(spend * random.next()) : 0
    const other = random.chance(0.2) ? random.int(0, 20000) : 0
    const hardships = HARDSHIPS.filter(() => random.chance(0.12)) as Hardship[]
    drawn.push({
      profile,
      household: {
        annualIncome,
        previousAnnualIncome: random.chance(0.3) ? Math.round(annualIncome * (1 + random.next() * 2)) : null,
        rigidExpenses: { medical: spend - education, education, other },
        propertyCompliant: random.chance(0.8),
        povertyMonitoring: random.chance(0.15),
        hardships,
        caseByCase: random.chance(0.08),
        administrativeVillage: random.weighted([[true, 3], [false, 2], [null, 1]] as const),
        members
      }
    })
  }
  return drawn
}
