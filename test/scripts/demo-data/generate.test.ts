import t from 'tap'
import { createHash } from 'node:crypto'
import { generateDataset, DEFAULT_AS_OF } from '../../../scripts/demo-data/index.js'
import { parseResidentId } from '../../../matching/resident-id.js'
import { evaluate, ageOn } from '../../../matching/policy/index.js'
import { CATEGORIES } from '../../../matching/domain.js'
import type { HouseholdRecord, MemberRecord } from '../../../scripts/demo-data/records.js'

const SIZE = 2000

/** Ages and sexes that fit each member's relation to the head. */
function familyProblems (household: HouseholdRecord): string[] {
  const problems: string[] = []
  const age = (m: MemberRecord) => ageOn(m.birthDate, DEFAULT_AS_OF)
  const head = household.members.find(m => m.relation === 'head') as MemberRecord
  const spouse = household.members.find(m => m.relation === 'spouse')
  const parents = spouse ? [head, spouse] : [head]
  const middle = household.members.filter(m => m.relation === 'child' || m.relation === 'other')
  if (spouse && spouse.sex === head.sex) problems.push(`${household.key}: spouse of the same sex`)
  for (const member of household.members) {
    if (age(member) < 0 || age(member) > 100) problems.push(`${household.key}: age ${age(member)}`)
    if (member.relation === 'child' && parents.some(p => age(p) - age(member) < 20)) problems.push(`${household.key}: child ${age(member)}, parents ${parents.map(age)}`)
    if (member.relation === 'grandchild') {
      if (parents.some(p => age(p) - age(member) < 36)) problems.push(`${household.key}: grandchild ${age(member)}, grandparents ${parents.map(age)}`)
      if (middle.some(p => age(p) - age(member) < 20)) problems.push(`${household.key}: grandchild ${age(member)}, parents ${middle.map(age)}`)
    }
  }
  return problems
}

function streamHash (seed: number): string {
  const hash = createHash('sha256')
  for (const household of generateDataset({ seed, households: SIZE }).households()) hash.update(JSON.stringify(household))
  return hash.digest('hex')
}

t.test('deterministic from the seed', async t => {
  t.equal(streamHash(7), streamHash(7), 'same seed, same households')
  t.not(streamHash(7), streamHash(8), 'another seed, other households')
  const a = generateDataset({ seed: 7, households: 50 })
  const b = generateDataset({ seed: 7, households: 50 })
  t.same([...a.households()].slice(0, 5), [...b.households()].slice(0, 5))
  t.same(a.regions, b.regions)
  t.same(a.donors, b.donors)
  t.same(a.projects, b.projects)
  t.same([...a.households()], [...a.households()], 'iterating twice yields the same households')
})

t.test('valid, unique ID numbers consistent with each member', async t => {
  const data = generateDataset({ seed: 11, households: SIZE })
  const villages = new Set(data.regions.filter(r => r.level === 'village').map(r => r.code))
  const seen = new Set<string>()
  const problems: string[] = []
  let persons = 0
  for (const household of data.households()) {
    if (!villages.has(household.regionCode)) problems.push(`${household.key}: unknown village ${household.regionCode}`)
    if (household.members.filter(m => m.relation === 'head').length !== 1) problems.push(`${household.key}: not one head`)
    problems.push(...familyProblems(household))
    for (const member of household.members) {
      persons++
      const parsed = parseResidentId(member.idNumber, { asOf: DEFAULT_AS_OF })
      if (!parsed.ok) { problems.push(`${member.idNumber}: ${parsed.error.message}`); continue }
      if (seen.has(parsed.value.id)) problems.push(`${member.idNumber} repeated`)
      seen.add(parsed.value.id)
      if (parsed.value.birthDate !== member.birthDate || parsed.value.sex !== member.sex) problems.push(`${member.idNumber} disagrees with the member`)
      const age = ageOn(member.birthDate, DEFAULT_AS_OF)
      const stage = member.schoolStage
      const fits = stage === 'none' || (stage === 'kindergarten' && age >= 3 && age <= 5) || (stage === 'primary' && age >= 6 && age <= 11) ||
        (stage === 'junior' && age >= 12 && age <= 14) || ((stage === 'senior' || stage === 'vocational') && age >= 15 && age <= 17) || (stage === 'college' && age >= 18 && age <= 21)
      if (!fits) problems.push(`${member.idNumber}: ${stage} at ${age}`)
    }
    for (const wish of household.wishes) {
      if (!household.members[wish.memberIndex]) problems.push(`${wish.key}: no member ${wish.memberIndex}`)
      if (wish.value <= 0) problems.push(`${wish.key}: value ${wish.value}`)
    }
  }
  t.same(problems, [])
  t.ok(persons / SIZE > 3.2 && persons / SIZE < 3.4, `about 3.3 persons per household (${(persons / SIZE).toFixed(2)})`)
})

/** The household as the registry hands it to the engine: whether its village is a 行政村 comes from the village's name. */
function asRegistered (data: ReturnType<typeof generateDataset>) {
  const names = new Map(data.regions.map(r => [r.code, r.name]))
  return (household: HouseholdRecord) => ({ ...household, administrativeVillage: names.get(household.regionCode)?.endsWith('村') ?? null })
}

t.test('every category occurs, and the engine agrees with what was drawn, for households and for persons', async t => {
  const data = generateDataset({ seed: 3, households: SIZE })
  const profileOf = (code: string) => data.regionPolicies.find(p => code.startsWith(p.regionCode))?.profile ?? ''
  const registered = asRegistered(data)
  const seen = new Set<string>()
  const disagreements: string[] = []
  let wishes = 0
  let scrubbable = 0
  for (const household of data.households()) {
    seen.add(household.intendedCategory)
    const result = evaluate({ profile: profileOf(household.regionCode), asOf: DEFAULT_AS_OF, household: registered(household) })
    if (result.category !== household.intendedCategory) disagreements.push(`${household.key}: drawn ${household.intendedCategory}, classified ${result.category}`)
    household.members.forEach((m, i) => {
      const outcome = result.members[i]
      if (outcome?.category !== m.intendedCategory) disagreements.push(`${household.key} member ${i}: drawn ${m.intendedCategory}, classified ${outcome?.category}`)
      if (outcome?.lowIncomeFarmer !== m.intendedLowIncomeFarmer) disagreements.push(`${household.key} member ${i}: 低收入农户 drawn ${m.intendedLowIncomeFarmer}, classified ${outcome?.lowIncomeFarmer}`)
    })
    wishes += household.wishes.length
    scrubbable += household.wishes.filter(w => /1[3-9]\d{9}|\d{14}\*|组\d+号/.test(w.story)).length
  }
  t.same([...CATEGORIES, 'none'].filter(c => !seen.has(c)), [], 'all categories and none occur')
  t.same(disagreements, [])
  t.ok(wishes > SIZE * 0.1, `wishes were raised (${wishes})`)
  t.ok(scrubbable > 0, 'some stories carry personal data for the scrubber')
  t.ok(data.projects.length >= 4 && new Set(data.projects.map(p => p.kind)).size === 4, 'projects of every kind')
  t.ok(data.courses.length > 0 && data.donors.some(d => d.kind === 'enterprise') && data.donors.some(d => d.kind === 'individual'))
})

t.test('each category is drawn in its intended variants', async t => {
  const data = generateDataset({ seed: 5, households: SIZE })
  const profileOf = (code: string) => data.regionPolicies.find(p => code.startsWith(p.regionCode))?.profile ?? ''
  const registered = asRegistered(data)
  const found = new Set<string>()
  const caseNotes: Array<[boolean, string | null]> = []
  for (const household of data.households()) {
    const { intendedCategory: category, members } = household
    const ages = members.map(m => ageOn(m.birthDate, DEFAULT_AS_OF))
    if (category === 'tekun') {
      if (ages.some(a => a < 18)) found.add('tekun: minor')
      if (ages.some(a => a >= 60)) found.add('tekun: elderly')
      if (members.some((m, i) => m.disability && (ages[i] as number) >= 18 && (ages[i] as number) < 60)) found.add('tekun: disabled adult')
    }
    const result = evaluate({ profile: profileOf(household.regionCode), asOf: DEFAULT_AS_OF, household: registered(household) })
    if (category === 'dibao_edge' && result.individualDibao.length > 0) found.add('dibao_edge: 单人保 member')
    for (const o of result.members) {
      if (o.category === 'tekun' && category !== 'tekun') found.add('person: 特困 in a family that is not')
      if (o.grounds.some(g => g.basis === 'single_person_household')) found.add(`person: 参照单人户 (${category})`)
      if (o.lowIncomeFarmer === true) found.add('person: 低收入农户')
      if (o.monitoring?.current === true && o.monitoring.from !== null) found.add('person: monitored, dated')
      if (o.monitoring?.current === false) found.add('person: monitoring ended')
    }
    if (category === 'fanpin_monitor' && household.povertyMonitoring) found.add('fanpin_monitor: the household flag')
    if (category === 'rigid_expense' && household.rigidExpenses.other > 0) found.add('rigid_expense: other rigid spending')
    // Nanxun edge households whose income is above the edge line until the employment cost is deducted.
    if (category === 'dibao_edge' && profileOf(household.regionCode) === 'nanxun-2025' && household.annualIncome / members.length / 12 > 2490) found.add('dibao_edge: employment deduction decides')
    if (category === 'low_income_support') found.add(household.propertyCompliant ? 'lis: above the edge line' : 'lis: property with hardship')
    if (category === 'low_income_support' && !household.propertyCompliant && household.hardships.length === 0) found.add('lis: property without hardship (wrong)')
    if (category === 'none') found.add(`none: ${household.status}`)
    if (household.caseByCase || household.caseNote !== null) caseNotes.push([household.caseByCase, household.caseNote])
  }
  t.same([...found].sort(), [
    'dibao_edge: employment deduction decides', 'dibao_edge: 单人保 member', 'fanpin_monitor: the household flag',
    'lis: above the edge line', 'lis: property with hardship',
    'none: exited', 'none: monitored_other', 'none: refused',
    'person: monitored, dated', 'person: monitoring ended', 'person: 低收入农户',
    'person: 参照单人户 (fanpin_monitor)', 'person: 参照单人户 (other)', 'person: 参照单人户 (rigid_expense)',
    'person: 特困 in a family that is not',
    'rigid_expense: other rigid spending',
    'tekun: disabled adult', 'tekun: elderly', 'tekun: minor'
  ])
  t.ok(caseNotes.length > 0, 'case-by-case households occur')
  t.same(caseNotes.filter(([flag, note]) => !flag || note === null || !note.includes('一事一议')), [], 'each carries a note, and only they do')
})

t.test('the region tree: codes nest, villages scale with the households', async t => {
  const small = generateDataset({ seed: 1, households: SIZE })
  const codes = new Set(small.regions.map(r => r.code))
  t.equal(codes.size, small.regions.length, 'codes are unique')
  const shapes = { county: /^\d{6}$/, town: /^\d{9}$/, village: /^\d{12}$/ }
  t.same(small.regions.filter(r => !shapes[r.level].test(r.code) || (r.parentCode !== null && (!r.code.startsWith(r.parentCode) || !codes.has(r.parentCode)))), [])
  t.same(small.regions.filter(r => r.level === 'county').map(r => [r.code, r.name]), [['330503', '南浔区'], ['419001', '济源示范区']])
  const towns = new Map(small.regions.filter(r => r.level === 'town').map(r => [r.code, r.name]))
  t.equal(towns.get('330503101'), '南浔镇')
  t.equal(towns.get('330503001'), '旧馆街道', 'streets have 0xx codes')
  t.same(small.regions.filter(r => r.parentCode === '330503001' && !r.name.endsWith('社区')), [], 'a street has communities, not villages')
  const villagesPerTown = (regions: typeof small.regions) => regions.filter(r => r.parentCode === '330503101').length
  t.equal(villagesPerTown(small.regions), 3, 'a small demo still has a few villages per town')

  for (const households of [300000, 1000000]) {
    const regions = generateDataset({ seed: 1, households }).regions
    const villages = regions.filter(r => r.level === 'village').length
    t.ok(households / villages >= 300 && households / villages <= 2000, `${households} households: ${Math.round(households / villages)} a village`)
  }

  for (const household of generateDataset({ seed: 1, households: 50 }).households()) {
    const village = small.regions.find(r => r.code === household.regionCode)
    const town = towns.get(village?.parentCode ?? '')
    t.match(household.address, new RegExp(`^${town}${village?.name}\\d+组\\d+号$`), household.key)
  }
})

t.test('projects, wishes and courses cover their kinds and states', async t => {
  const data = generateDataset({ seed: 9, households: SIZE })
  t.same([...new Set(data.projects.map(p => p.status))].sort(), ['closed', 'draft', 'open'])
  t.same(data.projects.filter(p => p.startsOn > p.endsOn || p.unitCost * p.capacity > p.budget), [], 'periods run forward and capacity fits the budget')
  t.ok(data.organisations.some(o => o.name === '南浔区慈善总会') && data.organisations.some(o => o.name.endsWith('慈善分会')))
  const states = new Set<string>()
  const misfits: string[] = []
  for (const household of data.households()) {
    for (const wish of household.wishes) {
      states.add(wish.state)
      const member = household.members[wish.memberIndex] as MemberRecord
      const pupil = ['kindergarten', 'primary', 'junior', 'senior', 'vocational'].includes(member.schoolStage)
      if (wish.item === '校服' && !pupil) misfits.push(`${wish.key}: 校服 for ${member.schoolStage}`)
      if (/[{}]/.test(wish.story) || !wish.story.includes(wish.item)) misfits.push(`${wish.key}: ${wish.story}`)
    }
  }
  t.same([...states].sort(), ['claimed', 'delivered', 'published', 'submitted', 'verified'])
  t.same(misfits, [], 'items fit the member, stories name the item')
  t.same(data.courses.filter(c => c.minAge > c.maxAge || c.seats < 1 || !/^\d{4}H[12]$/.test(c.halfYear)), [])
})

t.test('other thresholds can be drawn against, and the engine agrees under them', async t => {
  const standards = { 'nanxun-2025': { dibaoMonthly: 1500, lowIncomeSupportAnnual: 40000 } }
  const data = generateDataset({ seed: 4, households: 400, standards })
  const disagreements: string[] = []
  const nanxunDibao: number[] = []
  for (const household of data.households()) {
    if (!household.regionCode.startsWith('330503')) continue
    const result = evaluate({ profile: 'nanxun-2025', asOf: DEFAULT_AS_OF, standards: standards['nanxun-2025'], household })
    if (result.category !== household.intendedCategory) disagreements.push(`${household.key}: drawn ${household.intendedCategory}, classified ${result.category}`)
    if (household.intendedCategory === 'dibao') nanxunDibao.push(result.perCapitaMonthlyIncome)
  }
  t.same(disagreements, [])
  t.ok(nanxunDibao.some(income => income >= 1200), 'dibao incomes reach above the built-in 1,200 line')
})

t.test('village names are two different characters and a 村/社区 ending, unique within a town', async t => {
  const regions = generateDataset({ seed: 2, households: 300000 }).regions.filter(r => r.level === 'village')
  t.same(regions.filter(r => !/^(.)(?!\1).(村|社区)$/u.test(r.name)).map(r => r.name), [])
  const names = new Set(regions.map(r => `${r.parentCode} ${r.name}`))
  t.equal(names.size, regions.length)
})
