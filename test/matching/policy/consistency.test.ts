// Properties every decision must have, over households drawn near the documents' lines, for
// every profile: the chosen category is the first applicable one; every income step compares
// the one assessed figure; no household is both inside a band and above it; and a richer
// household with the same facts never lands in a lower income band.
import t from 'tap'
import { CATEGORIES, categoryRank } from '../../../matching/domain.js'
import { evaluate, PROFILE_IDS, PROFILES, type EvaluateResult, type TraceStep } from '../../../matching/policy/index.js'
import { AS_OF, drawHouseholds } from './generated.js'

const COUNT = 4000
/** The person grounds each document gives: Nanxun has neither 单人保 nor 防返贫监测; Shanxi no 参照单人户 and no 防返贫监测. */
const EXPECTED_BASES: Record<string, string[]> = {
  'nanxun-2025': ['household', 'tekun'],
  'hubei-2024': ['household', 'individual_dibao', 'poverty_monitoring', 'single_person_household', 'tekun'],
  'jiyuan-2024': ['household', 'individual_dibao', 'poverty_monitoring', 'single_person_household', 'tekun'],
  'shanxi-county': ['household', 'individual_dibao', 'tekun'],
  'gansu-2023': ['household', 'individual_dibao', 'poverty_monitoring', 'single_person_household', 'tekun']
}
const step = (result: EvaluateResult, rule: string) => result.trace.find(s => s.rule === rule) as TraceStep

t.test('the drawn households are the same for the same seed', async t => {
  t.same(drawHouseholds('gansu-2023', 1, 50), drawHouseholds('gansu-2023', 1, 50))
  t.not(JSON.stringify(drawHouseholds('gansu-2023', 1, 50)), JSON.stringify(drawHouseholds('gansu-2023', 2, 50)))
})

for (const profile of PROFILE_IDS) {
  t.test(`${profile}: applicable list, chosen category and income figure agree`, async t => {
    const problems: string[] = []
    const applicableSeen = new Set<string>()
    let deducted = 0
    for (const [n, { household }] of drawHouseholds(profile, 21, COUNT).entries()) {
      const result = evaluate({ profile, asOf: AS_OF, household })
      const precedence = step(result, 'precedence').inputs
      const applicable = precedence.applicable as string[]
      const say = (what: string) => problems.push(`#${n} ${what}: ${JSON.stringify({ applicable, category: result.category, household })}`)
      for (const c of applicable) applicableSeen.add(c)
      if (result.category !== (applicable[0] ?? 'none') || precedence.chosen !== result.category) say('chosen is not the first applicable')
      if (applicable.some(c => !PROFILES[profile].categories.includes(c as never))) say('a category the document does not define')
      if (applicable.join() !== CATEGORIES.filter(c => applicable.includes(c)).join()) say('applicable not in 就高 order')

      const assessed = step(result, 'assessed_income').inputs
      if (assessed.deductionTaken === true) deducted++
      const figure = assessed.assessedPerCapitaMonthly
      if (result.perCapitaMonthlyIncome !== figure) say('reported income is not the assessed figure')
      for (const rule of ['dibao', 'dibao_edge', 'low_income_support']) {
        const inputs = result.trace.find(s => s.rule === rule)?.inputs
        if (inputs && (inputs.perCapitaMonthly !== figure || inputs.incomeFigure !== assessed.incomeFigure)) say(`${rule} compared another figure`)
      }
      const rigid = step(result, 'rigid_expense').inputs
      if (rigid.incomeFigure !== assessed.incomeFigure) say('rigid_expense compared another figure')

      // Inside a band and above it at once: 低保 and 边缘, 边缘 and 低收入帮扶's "above the edge line", 低保 and that.
      const lis = result.trace.find(s => s.rule === 'low_income_support')?.inputs
      const aboveEdge = lis?.branchAboveEdge === true
      if (applicable.includes('dibao') && applicable.includes('dibao_edge')) say('both 低保 and 边缘')
      if (aboveEdge && (applicable.includes('dibao_edge') || applicable.includes('dibao'))) say('above the edge line and inside a lower band')
    }
    t.same(problems.slice(0, 5), [], `${problems.length} problems in ${COUNT}`)
    // The draw reaches every category the profile defines, and the deduction where there is one.
    t.same(PROFILES[profile].categories.filter(c => !applicableSeen.has(c)), [], 'every category applied somewhere')
    if (PROFILES[profile].employmentDeductionFor.length > 0) t.ok(deducted > 20, `the deduction decided ${deducted} households`)
  })

  t.test(`${profile}: every member's category agrees with their grounds and the household's`, async t => {
    const problems: string[] = []
    const bases = new Set<string>()
    for (const [n, { household }] of drawHouseholds(profile, 55, COUNT).entries()) {
      const result = evaluate({ profile, asOf: AS_OF, household })
      const say = (what: string) => problems.push(`#${n} ${what}: ${JSON.stringify({ category: result.category, members: result.members })}`)
      if (result.members.map(o => o.member).join() !== household.members.map((_, i) => i).join()) say('not one outcome per member, in order')
      const personal = (basis: string) => result.members.filter(o => o.grounds.some(g => g.basis === basis)).map(o => o.member)
      if (personal('individual_dibao').join() !== result.individualDibao.join()) say('单人保 members disagree')
      if ((result.category === 'tekun') !== (personal('tekun').length === household.members.length)) say('a 特困 household is not one of 特困 persons')
      for (const o of result.members) {
        for (const g of o.grounds) bases.add(g.basis)
        const ranks = o.grounds.map(g => categoryRank(g.category))
        if (o.category !== (o.grounds[0]?.category ?? 'none')) say(`member ${o.member}: category is not the first ground`)
        if (ranks.some((r, i) => i > 0 && r <= (ranks[i - 1] as number))) say(`member ${o.member}: grounds out of 就高 order or repeated`)
        if (categoryRank(o.category) > categoryRank(result.category)) say(`member ${o.member}: below the household`)
        if (o.grounds.some(g => g.basis === 'single_person_household') && (['none', 'tekun', 'dibao'].includes(result.category) || household.members[o.member]?.employed === true)) say(`member ${o.member}: 参照单人户 outside its conditions`)
        if (o.lowIncomeFarmer === true && !['tekun', 'dibao', 'dibao_edge', 'rigid_expense'].includes(o.category)) say(`member ${o.member}: 低收入农户 of another category`)
        if (o.illnessImpoverished === true && !household.members[o.member]?.seriousIllness) say(`member ${o.member}: 因病致贫 without an illness`)
      }
    }
    t.same(problems.slice(0, 5), [], `${problems.length} problems`)
    t.same([...bases].sort(), EXPECTED_BASES[profile], 'the draw reaches every ground the profile gives')
  })

  t.test(`${profile}: more income never means a lower band`, async t => {
    const problems: string[] = []
    const band = (result: EvaluateResult) => {
      const applicable = step(result, 'precedence').inputs.applicable as string[]
      if (applicable.includes('dibao')) return 0
      if (applicable.includes('dibao_edge')) return 1
      return step(result, 'low_income_support')?.inputs.branchAboveEdge === true ? 2 : undefined
    }
    for (const [n, { household }] of drawHouseholds(profile, 34, COUNT / 8).entries()) {
      const compliant = { ...household, propertyCompliant: true }
      let lowest = -1
      for (let extra = 0; extra <= 60000; extra += 400) {
        const found = band(evaluate({ profile, asOf: AS_OF, household: { ...compliant, annualIncome: compliant.annualIncome + extra } }))
        if (found === undefined) continue
        if (found < lowest) problems.push(`#${n} +${extra}: band ${found} after band ${lowest}`)
        lowest = Math.max(lowest, found)
      }
    }
    t.same(problems.slice(0, 5), [], `${problems.length} problems`)
  })
}
