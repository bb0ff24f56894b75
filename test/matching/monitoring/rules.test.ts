// Every warning rule, on plain data: what triggers it and what does not, its class, the
// version it applies; rules versioned by date; the routing table; deadlines per profile.
import t from 'tap'
import {
  builtInRules, deadlineDays, deadlineFor, DEFAULT_ROUTES, deskRegion, economicCheckStale, evaluateRecord, jobRecommendationGap, resolveRules,
  routeFor, routingTable, ruleVersionProblem, supervisorRegion, trainingGap, workCalendar,
  type FeedFacts, type HouseholdStanding, type PersonFacts, type RecordContext, type Reclassified
} from '../../../matching/monitoring/index.js'

const rules = resolveRules('nanxun-2025', [], '2026-03-01')
const adult: PersonFacts = { personId: 7, birthDate: '1980-05-01', laborCapacity: 'full', employed: true, disabilityLevel: null, disabilityKind: null, left: false }
const dibao: HouseholdStanding = { householdId: 3, category: 'dibao', status: 'active', currentMembers: 3 }
const outside: HouseholdStanding = { householdId: 4, category: 'none', status: 'monitored_other', currentMembers: 3 }
const run = (record: FeedFacts, extra: Partial<RecordContext> = {}) => evaluateRecord({ record, person: adult, household: dibao, rules, ...extra })
const summary = (found: ReturnType<typeof run>) => found.map(f => [f.rule, f.warningClass, f.cause])

t.test('spending surge: crossing a tier of out-of-pocket spending in the window', async t => {
  const bill = (outOfPocket: number, occurredOn = '2026-02-20'): FeedFacts => ({ kind: 'medical', occurredOn, outOfPocket, totalCost: null })
  t.same(summary(run(bill(9_999))), [], 'below the first tier')
  t.same(summary(run(bill(10_000))), [['spending_surge', 'new_hardship', 'spending_surge']], 'at the first tier')
  const history = [{ occurredOn: '2025-06-01', outOfPocket: 8_000 }, { occurredOn: '2025-01-10', outOfPocket: 50_000 }]
  const found = run(bill(3_000), { medicalHistory: history })
  t.same(summary(found), [['spending_surge', 'new_hardship', 'spending_surge']], '8,000 in the last 12 months + 3,000 crosses 10,000 (the bill of January 2025 is outside the window)')
  t.same(found[0]?.values, { outOfPocket: 3_000, totalInWindow: 11_000, before: 8_000, tier: 1, windowMonths: 12 })
  t.match(found[0]?.summary, /累计 ¥11,000，达到第一档（¥10,000）/)
  t.same(summary(run(bill(500), { medicalHistory: [{ occurredOn: '2026-01-01', outOfPocket: 12_000 }] })), [], 'already past the first tier: a small bill does not warn again')
  t.same(run(bill(20_000), { medicalHistory: [{ occurredOn: '2026-01-01', outOfPocket: 12_000 }] })[0]?.values.tier, 2, 'crossing the second tier')
  t.same(summary(run(bill(90_000))), [['spending_surge', 'complex', 'spending_surge']], 'past the complex line: 一事一议')
  t.equal(found[0]?.version.demo, true, 'the documents give no amount: demo thresholds, marked')
  t.match(found[0]?.version.source, /002_652007ff225b11c2\.txt 三\(一\)/)
})

t.test('income drop: the death of a working-age member; the death of the only member', async t => {
  const death: FeedFacts = { kind: 'death', occurredOn: '2026-02-01' }
  t.same(summary(run(death)), [['income_drop_death', 'new_hardship', 'income_drop_death']])
  t.same(summary(run(death, { person: { ...adult, birthDate: '1950-01-01' } })), [], 'a 76-year-old is past working age')
  t.same(summary(run(death, { person: { ...adult, birthDate: '2012-01-01' } })), [], 'a 14-year-old is below it')
  t.same(summary(run(death, { person: { ...adult, birthDate: '1966-02-01' } })), [], 'turned 60 on the day: past 59')
  t.same(summary(run(death, { person: { ...adult, birthDate: '1966-02-02' } })), [['income_drop_death', 'new_hardship', 'income_drop_death']], '59 until the next day')
  t.same(summary(run(death, { household: { ...dibao, currentMembers: 1 } })), [['sole_member_death', 'no_longer_eligible', 'sole_member_death']], 'the only member: the assistance ends')
  t.same(summary(run(death, { person: { ...adult, left: true } })), [], 'a member already recorded as gone')
})

t.test('income drop: unemployment of a working-age member able to work', async t => {
  const registered: FeedFacts = { kind: 'unemployment', occurredOn: '2026-02-01' }
  t.same(summary(run(registered)), [['income_drop_unemployment', 'new_hardship', 'income_drop_unemployment']])
  t.same(summary(run(registered, { person: { ...adult, laborCapacity: 'none' } })), [], 'no labour capacity')
  t.same(summary(run(registered, { person: { ...adult, laborCapacity: 'weak' } })), [['income_drop_unemployment', 'new_hardship', 'income_drop_unemployment']], 'partial capacity counts')
})

t.test('a new severe disability certificate', async t => {
  const certificate = (level: 1 | 2 | 3 | 4, disabilityKind: string): FeedFacts => ({ kind: 'disability', occurredOn: '2026-02-01', level, disabilityKind })
  t.same(summary(run(certificate(2, 'physical'))), [['severe_disability', 'new_hardship', 'severe_disability']])
  t.same(summary(run(certificate(3, 'physical'))), [], 'level 3 physical is not severe')
  t.same(summary(run(certificate(3, 'mental'))), [['severe_disability', 'new_hardship', 'severe_disability']], 'level 3 mental is')
  t.same(summary(run(certificate(1, 'visual'), { person: { ...adult, disabilityLevel: 2, disabilityKind: 'visual' } })), [], 'already severe in the registry: nothing new')
})

t.test('a disaster loss', async t => {
  const loss = (amount: number): FeedFacts => ({ kind: 'disaster', occurredOn: '2026-02-01', loss: amount, disasterKind: '洪涝' })
  t.same(summary(run(loss(4_999))), [])
  t.same(summary(run(loss(5_000))), [['disaster_loss', 'new_hardship', 'disaster_loss']])
  t.same(summary(run(loss(60_000))), [['disaster_loss', 'complex', 'disaster_loss']])
  t.same(summary(run({ kind: 'assistance', occurredOn: '2026-02-01', assistanceKind: 'medical_assistance', value: 800, provider: '区医保局', reference: 'Y1' })), [], 'assistance records go to the chain, not to warnings')
})

t.test('outside the low-income population: a warning only when the classifier now finds a category', async t => {
  const bill: FeedFacts = { kind: 'medical', occurredOn: '2026-02-20', outOfPocket: 40_000, totalCost: 60_000 }
  const calls: unknown[] = []
  const answer = (category: Reclassified['category']) => (effect: unknown): Reclassified => { calls.push(effect); return { category, profileVersion: 'nanxun-2025@x', steps: [] } }
  const qualifies = run(bill, { household: outside, reclassify: answer('rigid_expense') })
  t.same(summary(qualifies), [['may_now_qualify', 'possibly_eligible', 'may_now_qualify']])
  t.same(calls, [{ kind: 'medical', addedOutOfPocket: 40_000 }], 'the classifier judged the household with the bill added')
  t.equal(qualifies[0]?.values.alsoMet, 'spending_surge', 'names the hardship rule the record also met')
  t.match(qualifies[0]?.summary, /刚性支出困难家庭/)
  t.same(summary(run(bill, { household: outside, reclassify: answer('none') })), [], 'still outside: no warning (000 四(三) warns when they may qualify)')
  t.same(summary(run(bill, { household: { ...dibao, status: 'exited' }, reclassify: answer('dibao') })), [['may_now_qualify', 'possibly_eligible', 'may_now_qualify']], 'an exited household is outside')
  t.same(summary(run({ kind: 'death', occurredOn: '2026-02-01' }, { household: outside, reclassify: answer('dibao_edge') }))[0], ['may_now_qualify', 'possibly_eligible', 'may_now_qualify'])
  t.same(calls.at(-1), { kind: 'member_left', personId: 7 })
})

t.test('policy gaps: training classes, job recommendations, economic checks', async t => {
  t.equal(trainingGap(rules, { state: 'issued', halfYear: '2026H1' }, '2026-05-01'), undefined, 'two thirds of the half-year: not yet')
  const late = trainingGap(rules, { state: 'issued', halfYear: '2026H1' }, '2026-05-20')
  t.same([late?.rule, late?.warningClass, late?.cause], ['training_gap', 'policy_not_applied', 'training_gap:2026H1'])
  t.equal(trainingGap(rules, { state: 'assigned', halfYear: '2026H1' }, '2026-06-20'), undefined, 'a class is assigned')
  t.equal(trainingGap(resolveRules('hubei-2024', [], '2026-05-20'), { state: 'issued', halfYear: '2026H1' }, '2026-06-20'), undefined, 'Hubei makes no such promise: off')

  const jobless = { ...adult, employed: false, unemployedSince: '2026-01-10', recommendationsThisYear: 2 }
  t.equal(jobRecommendationGap(rules, jobless, '2026-09-01'), undefined, 'two thirds of the year')
  t.same(jobRecommendationGap(rules, jobless, '2026-10-15')?.cause, 'job_recommendation_gap:2026')
  t.equal(jobRecommendationGap(rules, { ...jobless, recommendationsThisYear: 3 }, '2026-10-15'), undefined, 'three recommendations: kept')
  t.equal(jobRecommendationGap(rules, { ...jobless, unemployedSince: null }, '2026-10-15'), undefined, 'not registered unemployed')
  t.equal(jobRecommendationGap(rules, { ...jobless, laborCapacity: 'none' }, '2026-10-15'), undefined, 'cannot work')

  const household = { ...dibao, propertyCheckedOn: '2025-08-20' }
  t.equal(economicCheckStale(rules, household, 6, '2026-02-19'), undefined, 'valid to 19 February')
  t.same(economicCheckStale(rules, household, 6, '2026-02-20')?.cause, 'economic_check_stale:2025-08-20')
  t.match(economicCheckStale(rules, { ...household, propertyCheckedOn: null }, 6, '2026-02-20')?.summary, /从未/)
  t.equal(economicCheckStale(rules, { ...household, category: 'none' }, 6, '2026-02-20'), undefined, 'only low-income households are re-checked')
})

t.test('rules are versioned by date; staff versions win on their day; values are checked', async t => {
  const staff = [{ rule: 'disaster_loss' as const, enabled: true, params: { threshold: 20_000, complexAt: 100_000 }, effectiveFrom: '2026-04-01', source: '区应急管理局 2026 年标准' }]
  t.equal(resolveRules('nanxun-2025', staff, '2026-03-31').rules.disaster_loss.params.threshold, 5_000, 'the day before: the built-in version')
  t.equal(resolveRules('nanxun-2025', staff, '2026-04-01').rules.disaster_loss.params.threshold, 20_000, 'from its day')
  t.equal(resolveRules('nanxun-2025', [{ ...staff[0]!, enabled: false }], '2026-04-02').rules.disaster_loss.enabled, false, 'a rule can be switched off')
  t.equal(resolveRules('nanxun-2025', [], '2020-01-01').rules.deadline.params.lowIncome, 10, 'before the document: its built-in versions still answer')
  t.equal(builtInRules('hubei-2024')[0]?.effectiveFrom, '2024-09-09', 'built-in versions take effect with the document')
  t.equal(ruleVersionProblem('disaster_loss', { threshold: 20_000, complexAt: 100_000 }), undefined)
  t.match(ruleVersionProblem('disaster_loss', { threshold: 20_000 }), /请填写/)
  t.match(ruleVersionProblem('spending_surge', { tier1: 30_000, tier2: 10_000, complexAt: 80_000, windowMonths: 12 }), /依次不减/)
  t.match(ruleVersionProblem('deadline', { lowIncome: 10.5, otherMonitored: 15, remindBefore: 2 }), /整数/)
  t.match(ruleVersionProblem('deadline', { lowIncome: 10, otherMonitored: 15, remindBefore: 2, extra: 1 }), /没有参数 extra/)
})

t.test('deadlines: 10 working days for low-income persons, 15 for others; Nanxun reads its dated parameters', async t => {
  const calendar = workCalendar([{ day: '2026-02-16', kind: 'holiday' }], [2026])
  const nanxun = deadlineDays(rules, { warningDaysLowIncome: 8, warningDaysOtherMonitored: 12 })
  t.same([nanxun.lowIncome, nanxun.otherMonitored, nanxun.remindBefore], [8, 12, 2], 'the profile\'s parameters where it has them')
  const hubei = deadlineDays(resolveRules('hubei-2024', [], '2026-03-01'), {})
  t.same([hubei.lowIncome, hubei.otherMonitored], [10, 15], 'borrowed from Nanxun 四(三)')
  t.match(hubei.source, /沿用 000_6379457d8a0eea12\.txt 四\(三\)/)
  t.same(deadlineFor(calendar, hubei, true, '2026-02-13'), { workingDays: 10, dueOn: '2026-03-02', missingYears: [] }, 'Monday 16 February a holiday')
  t.same(deadlineFor(calendar, hubei, false, '2026-02-13').dueOn, '2026-03-09')
})

t.test('routing: the documents\' table, the most specific row, administrators\' rows over it', async t => {
  const table = routingTable([])
  t.same(routeFor(table, 'new_hardship', 'spending_surge'), DEFAULT_ROUTES.find(r => r.cause === 'spending_surge'))
  t.same([routeFor(table, 'new_hardship', 'income_drop_death').department, routeFor(table, 'new_hardship', 'income_drop_death').level], ['civil_affairs', 'town'], 'no row for the rule: the class\'s row')
  t.same([routeFor(table, 'complex', 'spending_surge').department, routeFor(table, 'complex', 'spending_surge').level], ['civil_affairs', 'county'], 'a complex surge is the county\'s 一事一议, not the medical desk\'s')
  t.same(routeFor(table, 'no_longer_eligible', 'sole_member_death').level, 'county')
  const edited = routingTable([{ warningClass: 'new_hardship', cause: 'spending_surge', department: 'civil_affairs', level: 'town', source: 'admin' }])
  t.same(routeFor(edited, 'new_hardship', 'spending_surge').source, 'admin', 'an administrator\'s row replaces the default')
  t.equal(edited.length, DEFAULT_ROUTES.length)
  t.equal(deskRegion('330503101001', 'town'), '330503101')
  t.equal(deskRegion('330503101001', 'county'), '330503')
  t.equal(supervisorRegion('330503101'), '330503')
  t.equal(supervisorRegion('330503'), '330503')
})
