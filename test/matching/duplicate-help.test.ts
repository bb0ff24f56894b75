import t from 'tap'
import { checkDuplicateHelp, helpTags, windowsFor } from '../../matching/duplicate-help.js'
import { summariseChain, type ChainEntry } from '../../matching/assistance-chain.js'

let next = 1
const entry = (e: Partial<ChainEntry>): ChainEntry => ({ id: next++, source: 'charity', kind: 'wish', tags: [], value: 300, occurredOn: '2025-01-01', reverses: null, ...e })

t.test('no second dream room within 36 months', async t => {
  const room = entry({ kind: 'dream_room', value: 15000, occurredOn: '2023-03-10' })
  t.match(checkDuplicateHelp([room], { kind: 'dream_room', tags: [], on: '2026-03-09' }), { verdict: 'duplicate', rule: 'dream_room_36_months', window: '36 months before 2026-03-09', conflicting: { id: room.id } })
  t.match(checkDuplicateHelp([room], { kind: 'dream_room', tags: [], on: '2026-03-10' }), { verdict: 'clear' }, 'thirty-six months later it is allowed')
})

t.test('no second winter-clothing wish in the same winter', async t => {
  const coat = entry({ tags: ['winter_clothing'], occurredOn: '2025-12-03' })
  t.match(checkDuplicateHelp([coat], { kind: 'wish', tags: ['winter_clothing'], on: '2026-02-10' }), { verdict: 'duplicate', rule: 'winter_clothing_same_season', window: 'season 2025-winter' })
  t.match(checkDuplicateHelp([coat], { kind: 'wish', tags: ['winter_clothing'], on: '2025-12-02' }), { verdict: 'clear' }, 'help recorded later than the proposed day is not a conflict')
  t.match(checkDuplicateHelp([coat], { kind: 'wish', tags: ['winter_clothing'], on: '2026-11-15' }), { verdict: 'complementary' }, 'next winter is another season (and the coat is within 12 months)')
  t.match(checkDuplicateHelp([coat], { kind: 'wish', tags: ['school_supplies'], on: '2026-01-10' }), { verdict: 'complementary', complementary: [{ id: coat.id }] }, 'a schoolbag is another wish')
})

t.test('government help is complementary; reversed entries do not count', async t => {
  const dibao = entry({ source: 'government', kind: 'temporary_assistance', occurredOn: '2025-10-01', value: 2000 })
  t.match(checkDuplicateHelp([dibao], { kind: 'fund', tags: [], on: '2025-11-01' }), { verdict: 'complementary', complementary: [{ id: dibao.id }] })
  const fund = entry({ kind: 'fund', occurredOn: '2025-06-01', value: 5000 })
  const reversal = entry({ kind: 'fund', occurredOn: '2025-06-05', value: -5000, reverses: fund.id })
  t.match(checkDuplicateHelp([fund, reversal], { kind: 'fund', tags: [], on: '2025-11-01' }), { verdict: 'clear' })
  t.match(checkDuplicateHelp([fund], { kind: 'fund', tags: [], on: '2025-11-01' }), { verdict: 'duplicate', rule: 'fund_12_months' })
  t.match(checkDuplicateHelp([], { kind: 'wish', tags: [], on: '2025-11-01' }), { verdict: 'clear' })
})

t.test('chain summary for scoring', async t => {
  const chain = [
    entry({ occurredOn: '2025-12-01', value: 300 }),
    entry({ occurredOn: '2024-11-30', value: 999 }),
    entry({ kind: 'dream_room', occurredOn: '2025-03-01', value: 15000 }),
    entry({ source: 'government', kind: 'dibao_payment', occurredOn: '2025-10-01', value: 800 })
  ]
  const summary = summariseChain(chain, '2025-12-31')
  t.equal(summary.charityValueLast12Months, 15300, 'charity only, last 12 months only')
  t.equal(summary.lastCharityByKind.get('wish'), 20251201)
  t.equal(summary.lastCharityByKind.get('dream_room'), 20250301)
  t.equal(summary.lastCharityByKind.get('dibao_payment'), undefined, 'government help is not charity help')
})

t.test('vouchers for two children of one household are not duplicates', async t => {
  const first = entry({ kind: 'training_voucher', tags: ['voucher'], occurredOn: '2025-09-01' })
  t.match(checkDuplicateHelp([first], { kind: 'training_voucher', tags: ['voucher'], on: '2025-10-01' }), { verdict: 'complementary', complementary: [{ id: first.id }] })
})

t.test('a rule may count government help of the same purpose as the same help', async t => {
  const temporary = entry({ source: 'government', kind: 'temporary_assistance', occurredOn: '2025-10-01', value: 2000 })
  const rules = [{ id: 'cash_6_months', kind: 'fund', within: { months: 6 }, sameAs: ['temporary_assistance'] }]
  t.match(checkDuplicateHelp([temporary], { kind: 'fund', tags: [], on: '2025-11-01' }, rules), { verdict: 'duplicate', rule: 'cash_6_months', conflicting: { id: temporary.id }, complementary: [] })
  t.match(checkDuplicateHelp([temporary], { kind: 'wish', tags: [], on: '2025-11-01' }, rules), { verdict: 'complementary' }, 'the rule is about funds only')
  t.match(checkDuplicateHelp([temporary], { kind: 'fund', tags: [], on: '2026-04-02' }, rules), { verdict: 'complementary' }, 'outside the 6 months')
})

t.test('a duplicate notes the other recent help', async t => {
  const room = entry({ kind: 'dream_room', value: 15000, occurredOn: '2025-03-01' })
  const dibao = entry({ source: 'government', kind: 'dibao_payment', occurredOn: '2025-10-01', value: 800 })
  const old = entry({ kind: 'wish', occurredOn: '2024-01-01' })
  const verdict = checkDuplicateHelp([old, room, dibao], { kind: 'dream_room', tags: [], on: '2025-11-01' })
  t.same(verdict.verdict === 'duplicate' ? verdict.complementary.map(e => e.id) : null, [dibao.id])
})

t.test('the windows of a help: its kind\'s, its tags\', and the project\'s own', async t => {
  t.same(windowsFor({ kind: 'dream_room' }).map(w => w.id), ['dream_room_36_months'])
  t.same(windowsFor({ kind: 'wish', tags: ['clothing', 'winter_clothing'] }).map(w => w.id), ['winter_clothing_same_season'])
  t.same(windowsFor({ kind: 'wish', tags: ['school_supplies'] }), [], 'a schoolbag may be given any time')
  t.same(windowsFor({ kind: 'fund', notHelpedSameKindMonths: 24 }).map(w => w.id), ['fund_12_months', 'project_fund_24_months'])
  t.same(windowsFor({ kind: 'wish', seasonalTags: ['winter_clothing', 'school_uniform'] }).map(w => w.id), ['winter_clothing_same_season', 'project_school_uniform_same_season'], 'a project\'s seasonal tags: the default window once, its own for the rest')
  t.same(helpTags({ kind: 'wish', tags: ['clothing', 'winter_clothing'], seasonalTags: ['winter_clothing'] }), ['clothing', 'winter_clothing'], 'the help carries its tags and its seasonal ones')
  const coat = entry({ kind: 'fund', tags: ['winter_clothing'], occurredOn: '2025-12-03' })
  t.match(checkDuplicateHelp([coat], { kind: 'wish', tags: ['winter_clothing'], on: '2026-01-05' }), { verdict: 'duplicate', rule: 'winter_clothing_same_season' }, 'a tag window counts help of any kind carrying the tag')
  const grant = entry({ kind: 'fund', occurredOn: '2024-06-01' })
  t.match(checkDuplicateHelp([grant], { kind: 'fund', tags: [], on: '2025-11-01' }, windowsFor({ kind: 'fund', notHelpedSameKindMonths: 24 })), { verdict: 'duplicate', rule: 'project_fund_24_months' })
})

t.test('confirmed help not yet received counts like help given', async t => {
  const pending = entry({ id: 77, kind: 'dream_room', value: 15000, occurredOn: '2025-10-20', pending: 'proposal:77' })
  t.match(checkDuplicateHelp([pending], { kind: 'dream_room', tags: [], on: '2025-10-21' }), { verdict: 'duplicate', rule: 'dream_room_36_months', conflicting: { id: 77, pending: 'proposal:77' } })
  t.equal(summariseChain([pending], '2025-10-21').charityValueLast12Months, 15000)
})
