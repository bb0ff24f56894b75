import t from 'tap'
import { DEFAULT_WEIGHTS, explainScore, score, SCORE_FACTORS, type ScoreContext, type ScoreInputs, type Weights } from '../../matching/score.js'

const base: ScoreInputs = { category: 'dibao', hardships: [], perCapitaMonthlyIncome: 600, incomeLine: 1200, charityValueLast12Months: 0, daysWaiting: 0, regionCode: '330503101001', helpedThisHalfYear: false }
const nowhere: ScoreContext = { near: '', deadline: 0 }
const normalised = (inputs: Partial<ScoreInputs>, context: ScoreContext = nowhere) =>
  Object.fromEntries(explainScore({ ...base, ...inputs }, context).factors.map(f => [f.factor, f.normalised]))

t.test('default weights sum to 1', async t => {
  t.equal(Math.round(SCORE_FACTORS.reduce((sum, f) => sum + DEFAULT_WEIGHTS[f], 0) * 1e12) / 1e12, 1)
})

t.test('severity follows 就高 order', async t => {
  t.equal(normalised({ category: 'tekun' }).severity, 1)
  t.equal(normalised({ category: 'dibao' }).severity, 1 - 1 / 7)
  t.equal(normalised({ category: 'other' }).severity, 1 - 6 / 7)
  t.equal(normalised({ category: 'none' }).severity, 0)
})

t.test('hardships count up to three', async t => {
  t.equal(normalised({}).hardship, 0)
  t.equal(normalised({ hardships: ['accident'] }).hardship, 1 / 3)
  t.equal(normalised({ hardships: ['accident', 'disaster', 'emergency', 'serious_illness'] }).hardship, 1)
})

t.test('income gap below the line', async t => {
  t.equal(normalised({}).income_gap, 0.5)
  t.equal(normalised({ perCapitaMonthlyIncome: 0 }).income_gap, 1)
  t.equal(normalised({ perCapitaMonthlyIncome: 1500 }).income_gap, 0, 'above the line: no gap')
  t.equal(normalised({ incomeLine: 0 }).income_gap, 0, 'no line known: no gap')
})

t.test('less help in the last 12 months ranks higher, saturating at ¥5,000', async t => {
  t.equal(normalised({}).little_recent_help, 1)
  t.equal(normalised({ charityValueLast12Months: 1250 }).little_recent_help, 0.75)
  t.equal(normalised({ charityValueLast12Months: 9000 }).little_recent_help, 0)
})

t.test('waiting, up to a year', async t => {
  t.equal(normalised({ daysWaiting: 73 }).waiting, 0.2)
  t.equal(normalised({ daysWaiting: 800 }).waiting, 1)
})

t.test('proximity: the finest level shared with the place', async t => {
  t.equal(normalised({}, { near: '330503101001', deadline: 0 }).proximity, 1)
  t.equal(normalised({}, { near: '330503101002', deadline: 0 }).proximity, 2 / 3, 'another village of the town')
  t.equal(normalised({}, { near: '330503101', deadline: 0 }).proximity, 2 / 3, 'the project serves the town')
  t.equal(normalised({}, { near: '330503102', deadline: 0 }).proximity, 1 / 3, 'another town of the county')
  t.equal(normalised({}, { near: '419001', deadline: 0 }).proximity, 0)
  t.equal(normalised({}).proximity, 0, 'no place')
  t.throws(() => normalised({}, { near: '3305', deadline: 0 }), /not a county, town or village code/)
})

t.test('donor fit: the share of stated preferences met', async t => {
  t.equal(normalised({}).donor_fit, 0, 'no donor')
  const donor = { regionCodes: ['330503101'], categories: ['tekun' as const], hardships: ['serious_illness' as const] }
  t.equal(normalised({}, { near: '', deadline: 0, donor }).donor_fit, 1 / 3)
  t.equal(normalised({ category: 'tekun', hardships: ['serious_illness'] }, { near: '', deadline: 0, donor }).donor_fit, 1)
  t.equal(normalised({ regionCode: '330503102001' }, { near: '', deadline: 0, donor: { regionCodes: ['330503101'] } }).donor_fit, 0)
})

t.test('urgency: the deadline and not yet helped this half-year count half each', async t => {
  t.equal(normalised({}, { near: '', deadline: 0.8 }).urgency, 0.9)
  t.equal(normalised({ helpedThisHalfYear: true }, { near: '', deadline: 0.8 }).urgency, 0.4)
  t.equal(normalised({ helpedThisHalfYear: true }, { near: '', deadline: 0 }).urgency, 0)
})

t.test('the explanation reports raw values, and the score is the weighted sum worked out by hand', async t => {
  const inputs = { ...base, hardships: ['accident' as const], daysWaiting: 30 }
  const context = { near: '330503101', deadline: 0.5, donor: { categories: ['dibao' as const] } }
  const explained = explainScore(inputs, context)
  t.same(explained.factors.map(f => f.factor), [...SCORE_FACTORS])
  t.same(explained.factors.map(f => f.value), ['dibao', 'accident', 600, 0, 30, 'same town', '1/1', 'deadline 0.50; not yet helped this half-year'])
  // dibao is second of seven categories; one hardship of three; 600 of a 1,200 line; no help;
  // 30 of 365 days; the same town; the donor's one preference met; half the deadline, half not helped.
  const byHand = { severity: 6 / 7, hardship: 1 / 3, income_gap: 0.5, little_recent_help: 1, waiting: 30 / 365, proximity: 2 / 3, donor_fit: 1, urgency: 0.75 }
  const weights = { severity: 0.25, hardship: 0.15, income_gap: 0.20, little_recent_help: 0.15, waiting: 0.05, proximity: 0.10, donor_fit: 0.05, urgency: 0.05 }
  // Equal up to rounding: 6/7 by hand is 1 − 1/7 in the code.
  const near = (actual: number, expected: number, what: string) => t.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual}, by hand ${expected}`)
  for (const f of explained.factors) {
    near(f.normalised, byHand[f.factor], `${f.factor} normalised`)
    t.equal(f.weight, weights[f.factor], `${f.factor} weight`)
    near(f.contribution, byHand[f.factor] * weights[f.factor], `${f.factor} contribution`)
  }
  // 0.25·6/7 + 0.15/3 + 0.2·0.5 + 0.15 + 0.05·30/365 + 0.1·2/3 + 0.05 + 0.05·0.75
  near(explained.score, 0.672561969993477, 'score')
  t.equal(score(inputs, context), explained.score)
  t.same(JSON.parse(JSON.stringify(explained)), explained, 'JSON-serialisable')
})

t.test('weights are configurable and checked', async t => {
  const onlyWaiting = Object.fromEntries(SCORE_FACTORS.map(f => [f, f === 'waiting' ? 1 : 0])) as Weights
  t.equal(score({ ...base, category: 'tekun', daysWaiting: 146 }, nowhere, onlyWaiting), 0.4)
  t.throws(() => score(base, nowhere, { ...DEFAULT_WEIGHTS, severity: -1 }), /weight of severity/)
  t.throws(() => score(base, nowhere, { ...DEFAULT_WEIGHTS, severity: Number.NaN }), /weight of severity/)
})
