import t from 'tap'
import { createHash } from 'node:crypto'
import { generateDataset, DEFAULT_AS_OF } from '../../scripts/demo-data/index.js'
import { parseResidentId } from '../../matching/resident-id.js'
import { evaluate, ageOn } from '../../matching/policy/index.js'
import { CATEGORIES } from '../../matching/domain.js'

const SIZE = 2000

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
  t.ok(persons / SIZE > 2.8 && persons / SIZE < 3.6, `about 3.3 persons per household (${(persons / SIZE).toFixed(2)})`)
})

t.test('every category occurs, and the engine agrees with what was drawn', async t => {
  const data = generateDataset({ seed: 3, households: SIZE })
  const profileOf = (code: string) => data.regionPolicies.find(p => code.startsWith(p.regionCode))?.profile ?? ''
  const seen = new Set<string>()
  const disagreements: string[] = []
  let wishes = 0
  let scrubbable = 0
  for (const household of data.households()) {
    seen.add(household.intendedCategory)
    const result = evaluate({ profile: profileOf(household.regionCode), asOf: DEFAULT_AS_OF, household })
    if (result.category !== household.intendedCategory) disagreements.push(`${household.key}: drawn ${household.intendedCategory}, classified ${result.category}`)
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
