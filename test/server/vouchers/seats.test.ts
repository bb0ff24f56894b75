// Seats: a family's choice takes a seat atomically (parallel choices for the last seat: one
// wins, the rest get 409); a placement is released with a reason, or lapses with its
// half-year; the matcher places a region's children optimally (checked against exhaustive
// search), within capacities, ages and budgets, and only in the caller's region.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { placementCost, voucherUrgency, type SeatChild, type SeatCourse } from '../../../matching/seat-assignment.js'
import { today } from '../../../server/clock.js'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { insertChild, insertCourse, insertProject, insertVoucher, NOW, OTHER_VILLAGE } from './fixtures.js'
import { lapseVouchers } from '../../../server/vouchers/placement.js'

async function setUp (t: Parameters<typeof appWithAccounts>[0]): Promise<FastifyInstance> {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  return app
}

async function voucherFor (app: FastifyInstance, age: number, village?: string): Promise<number> {
  return insertVoucher(app, await insertChild(app, { age, ...(village ? { village } : {}) }), NOW, village)
}

const seatsTaken = async (app: FastifyInstance, courseId: number) =>
  (await app.db.selectFrom('courses').select('seats_taken').where('id', '=', courseId).executeTakeFirstOrThrow()).seats_taken

t.test('parallel family choices for the last seat: one success, clear 409s', async t => {
  const app = await setUp(t)
  const course = await insertCourse(app, { seats: 3 })
  await app.db.updateTable('courses').set({ seats_taken: 2 }).where('id', '=', course).execute()
  const vouchers = await Promise.all([1, 2, 3, 4, 5, 6].map(() => voucherFor(app, 8)))
  const town = await signIn(app, 'mz-nanxun')
  const responses = await Promise.all(vouchers.map(id => town.call({ method: 'POST', url: `/api/v1/vouchers/${id}/choice`, payload: { courseId: course } })))
  t.same(responses.map(r => r.statusCode).sort(), [200, 409, 409, 409, 409, 409])
  for (const r of responses.filter(r => r.statusCode === 409)) t.match(r.json().error, { code: 'course_full', details: [{ field: 'body.courseId' }] })
  t.equal(await seatsTaken(app, course), 3)
  const winner = responses.find(r => r.statusCode === 200)?.json()
  t.match(winner, { state: 'assigned', assignedVia: 'family', course: { id: course, title: '书法兴趣班' } })
  const placed = await app.db.selectFrom('vouchers').select('id').where('state', '=', 'assigned').execute()
  t.same(placed.map(v => v.id), [winner.id], 'only the winner holds a seat')
})

t.test('a choice must fit: open course, same half-year, the child\'s age; placed and redeemed vouchers cannot choose again', async t => {
  const app = await setUp(t)
  const town = await signIn(app, 'mz-nanxun')
  const choose = (voucher: number, courseId: number) => town.call({ method: 'POST', url: `/api/v1/vouchers/${voucher}/choice`, payload: { courseId } })
  const eight = await voucherFor(app, 8)
  const youngOnly = await insertCourse(app, { minAge: 3, maxAge: 6 })
  const nextYear = await insertCourse(app, { halfYear: `${Number(NOW.slice(0, 4)) + 1}H1` })
  const closed = await insertCourse(app)
  await app.db.updateTable('courses').set({ status: 'closed' }).where('id', '=', closed).execute()
  t.equal((await choose(eight, youngOnly)).json().error.code, 'age_out_of_range')
  t.equal((await choose(eight, nextYear)).json().error.code, 'half_year_mismatch')
  t.equal((await choose(eight, closed)).json().error.code, 'course_closed')
  t.equal((await choose(eight, 999999)).statusCode, 404)
  const open = await insertCourse(app, { town: '330503102' })
  t.equal((await choose(eight, open)).statusCode, 200, 'a family may choose a course in another town')
  const again = await choose(eight, open)
  t.equal(again.statusCode, 409)
  t.match(again.json().error, { code: 'illegal_transition', details: [{ state: 'assigned', allowedFrom: ['issued'] }] })
  await app.db.updateTable('vouchers').set({ state: 'redeemed' }).where('id', '=', eight).execute()
  t.equal((await choose(eight, open)).json().error.code, 'illegal_transition', 'not a redeemed one')
  t.equal((await town.call({ method: 'POST', url: `/api/v1/vouchers/${eight}/release`, payload: { reason: '家长要求更换' } })).json().error.code, 'illegal_transition', 'a redeemed voucher keeps its seat')

  const elsewhere = await voucherFor(app, 8, OTHER_VILLAGE)
  t.equal((await choose(elsewhere, open)).statusCode, 404, 'a town clerk acts in the town only')
  t.equal((await (await signIn(app, 'training')).call({ method: 'POST', url: `/api/v1/vouchers/${elsewhere}/choice`, payload: { courseId: open } })).statusCode, 403)
  const bad = await town.call({ method: 'POST', url: `/api/v1/vouchers/${elsewhere}/choice`, payload: { courseId: 'x', note: 1 } })
  t.same(bad.json().error.details.map((d: { field: string }) => d.field).sort(), ['body.courseId', 'body.note'])
  t.same((await town.call({ method: 'POST', url: '/api/v1/vouchers/0/choice', payload: { courseId: open } })).json().error.details.map((d: { field: string }) => d.field), ['params.id'])
})

t.test('releasing a placement frees the seat and the project\'s commitment; it needs a reason', async t => {
  const app = await setUp(t)
  const project = await insertProject(app, 1000)
  const voucher = await voucherFor(app, 8)
  const sibling = await voucherFor(app, 9)
  await app.db.updateTable('vouchers').set({ project_id: project }).execute()
  const course = await insertCourse(app)
  const town = await signIn(app, 'mz-nanxun')
  t.equal((await town.call({ method: 'POST', url: `/api/v1/vouchers/${voucher}/choice`, payload: { courseId: course } })).statusCode, 200)
  const committed = async () => (await app.db.selectFrom('projects').select('committed').where('id', '=', project).executeTakeFirstOrThrow()).committed
  t.equal(await committed(), 800, 'the unit cost is committed at placement')
  const broke = await town.call({ method: 'POST', url: `/api/v1/vouchers/${sibling}/choice`, payload: { courseId: course } })
  t.equal(broke.json().error.code, 'budget_exceeded', 'never beyond the budget')
  t.equal(await seatsTaken(app, course), 1, 'the refused choice took no seat')

  t.equal((await town.call({ method: 'POST', url: `/api/v1/vouchers/${voucher}/release`, payload: {} })).statusCode, 400, 'a reason is required')
  const released = await town.call({ method: 'POST', url: `/api/v1/vouchers/${voucher}/release`, payload: { reason: '孩子随父母外出，无法上课' } })
  t.equal(released.statusCode, 200, released.body)
  t.match(released.json(), { state: 'issued', course: null, assignedVia: null })
  t.equal(await seatsTaken(app, course), 0)
  t.equal(await committed(), 0)
  const audit = await app.db.selectFrom('audit_records').select(['details']).where('action', '=', 'voucher.release').executeTakeFirstOrThrow()
  t.same(audit.details, { reason: '孩子随父母外出，无法上课' })
  t.equal((await town.call({ method: 'POST', url: `/api/v1/vouchers/${voucher}/release`, payload: { reason: '再次退回' } })).json().error.code, 'illegal_transition')
})

t.test('vouchers of a past half-year lapse: seats and commitments come back, once', async t => {
  const app = await setUp(t)
  const project = await insertProject(app, 8000)
  const previous = NOW.endsWith('H2') ? `${NOW.slice(0, 4)}H1` : `${Number(NOW.slice(0, 4)) - 1}H2`
  const course = await insertCourse(app, { halfYear: previous })
  const placed = await voucherFor(app, 8)
  await app.db.updateTable('vouchers').set({ project_id: project, half_year: previous }).execute()
  // Placed while the half-year ran (the API no longer places into an ended one).
  await app.db.updateTable('vouchers').set({ state: 'assigned', course_id: course, assigned_via: 'family' }).where('id', '=', placed).execute()
  await app.db.updateTable('courses').set({ seats_taken: 1 }).where('id', '=', course).execute()
  await app.db.updateTable('projects').set({ committed: 800 }).where('id', '=', project).execute()
  const unplaced = await insertVoucher(app, await insertChild(app), previous)
  const current = await voucherFor(app, 8)

  t.same(await lapseVouchers(app.db, today()), { lapsed: 2, seatsFreed: 1 })
  const states = await app.db.selectFrom('vouchers').select(['id', 'state', 'course_id']).orderBy('id').execute()
  t.same(states, [{ id: placed, state: 'lapsed', course_id: null }, { id: unplaced, state: 'lapsed', course_id: null }, { id: current, state: 'issued', course_id: null }])
  t.equal(await seatsTaken(app, course), 0)
  t.equal((await app.db.selectFrom('projects').select('committed').where('id', '=', project).executeTakeFirstOrThrow()).committed, 0)
  t.same(await lapseVouchers(app.db, today()), { lapsed: 0, seatsFreed: 0 }, 'a second run finds nothing')
  const town = await signIn(app, 'mz-nanxun')
  t.equal((await town.call({ method: 'POST', url: `/api/v1/vouchers/${current}/choice`, payload: { courseId: course } })).json().error.code, 'half_year_mismatch')
  t.equal((await town.call({ method: 'POST', url: `/api/v1/vouchers/${unplaced}/choice`, payload: { courseId: course } })).json().error.code, 'illegal_transition', 'a lapsed voucher is not placed')
})

/** The best placement by exhaustive search: most children placed, then least total cost. */
function bruteForce (children: SeatChild[], courses: SeatCourse[], crossTownCost: number | null): { placed: number, cost: number } {
  let best = { placed: -1, cost: Infinity }
  const left = courses.map(c => c.seats)
  const visit = (i: number, placed: number, cost: number) => {
    if (i === children.length) {
      if (placed > best.placed || (placed === best.placed && cost < best.cost)) best = { placed, cost }
      return
    }
    visit(i + 1, placed, cost)
    courses.forEach((course, j) => {
      const c = placementCost(children[i] as SeatChild, course, { crossTownCost })
      if (c === null || (left[j] as number) === 0) return
      left[j] = (left[j] as number) - 1
      visit(i + 1, placed + 1, cost + c)
      left[j] = (left[j] as number) + 1
    })
  }
  visit(0, 0, 0)
  return best
}

t.test('the matcher places the region\'s children optimally, within seats and ages, and certifies it', async t => {
  const app = await setUp(t)
  // 南浔镇: ages 5, 7, 8, 9, 12, 14; 双林镇: 6, 8, 13. Seats: 南浔镇 6–9 ×2, 10–14 ×1, 3–6 ×1; 双林镇 6–14 ×2.
  const ages: Array<[number, string | undefined]> = [[5, undefined], [7, undefined], [8, undefined], [9, undefined], [12, undefined], [14, undefined], [6, OTHER_VILLAGE], [8, OTHER_VILLAGE], [13, OTHER_VILLAGE]]
  const vouchers = []
  for (const [age, village] of ages) vouchers.push({ id: await voucherFor(app, age, village), age, town: village ? '330503102' : '330503101' })
  // A child who had a class this half-year through another programme is less urgent.
  const first = await app.db.selectFrom('vouchers').select(['person_id', 'household_id']).where('id', '=', vouchers[2]?.id as number).executeTakeFirstOrThrow()
  await app.db.insertInto('assistance_entries').values({ household_id: first.household_id, person_id: first.person_id, source: 'charity', kind: 'training_voucher', value: 300, occurred_on: today(), provider: '其他项目' }).execute()
  const courses = [
    { id: await insertCourse(app, { seats: 2, minAge: 6, maxAge: 9 }), seats: 2, minAge: 6, maxAge: 9, town: '330503101' },
    { id: await insertCourse(app, { seats: 1, minAge: 10, maxAge: 14 }), seats: 1, minAge: 10, maxAge: 14, town: '330503101' },
    { id: await insertCourse(app, { seats: 1, minAge: 3, maxAge: 6 }), seats: 1, minAge: 3, maxAge: 6, town: '330503101' },
    { id: await insertCourse(app, { seats: 2, minAge: 6, maxAge: 14, town: '330503102' }), seats: 2, minAge: 6, maxAge: 14, town: '330503102' }
  ]
  const county = await signIn(app, 'mz-county')
  const run = await county.call({ method: 'POST', url: '/api/v1/vouchers/assignments', payload: { halfYear: NOW, regionCode: '330503', crossTownCost: 5 } })
  t.equal(run.statusCode, 200, run.body)
  const report = run.json()

  const children: SeatChild[] = vouchers.map((v, i) => ({ id: v.id, town: v.town, age: v.age, urgency: voucherUrgency(today(), i === 2) }))
  const best = bruteForce(children, courses, 5)
  t.equal(report.placed, best.placed, 'as many children as any placement can seat')
  t.equal(report.totalCost, best.cost, 'at the least cost any such placement has')
  t.match(report, { children: 9, unplaced: 9 - best.placed, unfunded: 0, certificate: { proven: true, problems: [] } })
  t.same(report.towns.map((town: { code: string, name: string }) => [town.code, town.name]).sort(), [['330503101', '南浔镇'], ['330503102', '双林镇']])

  const rows = await app.db.selectFrom('vouchers as v').innerJoin('courses as c', 'c.id', 'v.course_id').innerJoin('persons as p', 'p.id', 'v.person_id')
    .select(['v.id', 'v.assigned_via', 'c.id as course', 'c.min_age', 'c.max_age', 'c.seats', 'p.birth_date']).execute()
  t.equal(rows.length, best.placed)
  for (const row of rows) {
    const child = vouchers.find(v => v.id === row.id)
    t.ok(child && child.age >= row.min_age && child.age <= row.max_age, `voucher ${row.id}: age fits`)
    t.equal(row.assigned_via, 'matcher')
  }
  for (const course of courses) t.ok(await seatsTaken(app, course.id) <= course.seats, `course ${course.id} within its seats`)
  t.equal(rows.reduce((n, r) => n + (r.course === courses[0]?.id ? 1 : 0), 0), await seatsTaken(app, courses[0]?.id as number), 'seats_taken counts the placements')

  const rerun = (await county.call({ method: 'POST', url: '/api/v1/vouchers/assignments', payload: { halfYear: NOW, regionCode: '330503', crossTownCost: 5 } })).json()
  t.match(rerun, { children: 9 - best.placed, placed: 0 }, 'a rerun finds only the unplaced, and no free seat that fits')
})

t.test('the matcher is region-scoped, keeps children in their town unless told, and within budget', async t => {
  const app = await setUp(t)
  // The first child fits no course: the budget's two places go to two who can be placed.
  const tooOld = await voucherFor(app, 16)
  const here = [await voucherFor(app, 8), await voucherFor(app, 8), await voucherFor(app, 8)]
  const there = await voucherFor(app, 8, OTHER_VILLAGE)
  const project = await insertProject(app, 1600)
  await app.db.updateTable('vouchers').set({ project_id: project }).execute()
  await insertCourse(app, { seats: 5 })
  await insertCourse(app, { seats: 5, town: '330503102' })
  const town = await signIn(app, 'mz-nanxun')
  const assign = (session: typeof town, payload: object) => session.call({ method: 'POST', url: '/api/v1/vouchers/assignments', payload })
  t.equal((await assign(town, { halfYear: NOW, regionCode: '330503' })).statusCode, 403, 'not the county')
  t.equal((await assign(town, { halfYear: NOW, regionCode: '330503102' })).statusCode, 403, 'not the neighbouring town')
  t.equal((await assign(await signIn(app, 'training'), { halfYear: NOW, regionCode: '330503101' })).statusCode, 403)
  t.equal((await assign(await signIn(app, 'auditor'), { halfYear: NOW, regionCode: '330503101' })).statusCode, 403)
  const bad = await assign(town, { halfYear: NOW, regionCode: '330503101', minTownShare: 2, crossTownCost: -1 })
  t.same(bad.json().error.details.map((d: { field: string }) => d.field).sort(), ['body.crossTownCost', 'body.minTownShare'])

  const report = (await assign(town, { halfYear: NOW, regionCode: '330503101', minTownShare: 0.5 })).json()
  t.match(report, { children: 4, placed: 2, unplaced: 2, unfunded: 2, towns: [{ code: '330503101', children: 2, required: 1, placed: 2 }] }, 'the budget pays for two places')
  const states = await app.db.selectFrom('vouchers').select(['id', 'state']).orderBy('id').execute()
  t.equal(states.find(v => v.id === there)?.state, 'issued', 'the other town\'s child is untouched')
  t.equal(states.filter(v => here.includes(v.id) && v.state === 'assigned').length, 2)
  t.equal(states.find(v => v.id === tooOld)?.state, 'issued')
  t.equal((await app.db.selectFrom('projects').select('committed').where('id', '=', project).executeTakeFirstOrThrow()).committed, 1600)
})

t.test('a minimum share per town moves seats to the town without a course', async t => {
  const app = await setUp(t)
  const local = [await voucherFor(app, 8), await voucherFor(app, 8), await voucherFor(app, 8), await voucherFor(app, 8)]
  const away = [await voucherFor(app, 8, OTHER_VILLAGE), await voucherFor(app, 8, OTHER_VILLAGE)]
  await insertCourse(app, { seats: 4 })
  const county = await signIn(app, 'mz-county')
  const assign = async (payload: object) => {
    const report = (await county.call({ method: 'POST', url: '/api/v1/vouchers/assignments', payload: { halfYear: NOW, regionCode: '330503', crossTownCost: 5, ...payload } })).json()
    const placed = (await app.db.selectFrom('vouchers').select('id').where('state', '=', 'assigned').execute()).map(v => v.id)
    await app.db.updateTable('vouchers').set({ state: 'issued', course_id: null, assigned_via: null }).where('state', '=', 'assigned').execute()
    await app.db.updateTable('courses').set({ seats_taken: 0 }).execute()
    return { report, placedAway: away.filter(id => placed.includes(id)).length, placedLocal: local.filter(id => placed.includes(id)).length }
  }
  t.match(await assign({}), { placedLocal: 4, placedAway: 0 }, 'without a share the four seats stay in 南浔镇, where travel costs nothing')
  const shared = await assign({ minTownShare: 0.5 })
  t.match(shared, { placedLocal: 3, placedAway: 1 }, 'half of 双林镇\'s two children must be placed: one seat crosses over')
  t.match(shared.report.towns, [{ code: '330503101', children: 4, placed: 3 }, { code: '330503102', children: 2, required: 1, placed: 1 }])
})
