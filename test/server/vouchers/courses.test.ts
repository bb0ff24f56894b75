// Courses: an institution offers, changes and closes its own; staff read them all; seats
// never drop below the seats taken; bad input is reported field by field.
import t from 'tap'
import { appWithAccounts, signIn } from '../../helpers/accounts.js'
import { insertRegionTree } from '../../helpers/fixtures.js'
import { NOW } from './fixtures.js'

const course = { title: '少儿美术班', seats: 2, minAge: 6, maxAge: 10, regionCode: '330503101', schedule: '周六上午', halfYear: NOW }

t.test('an institution runs its own courses; staff read them; others cannot change them', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const school = await signIn(app, 'training')
  const created = await school.call({ method: 'POST', url: '/api/v1/courses', payload: course })
  t.equal(created.statusCode, 201, created.body)
  t.match(created.json(), { title: '少儿美术班', institution: '南浔区阳光培训学校', seats: 2, seatsTaken: 0, seatsFree: 2, town: { code: '330503101', name: '南浔镇' }, status: 'open' })
  const id = created.json().id

  // Another institution's course, and an account for it.
  const admin = await signIn(app, 'admin')
  const other = await app.db.insertInto('institutions').values({ name: '双林启航培训中心', region_code: '330503102' }).returning('id').executeTakeFirstOrThrow()
  t.equal((await admin.call({ method: 'POST', url: '/api/v1/courses', payload: course })).json().error.details[0].field, 'body.institutionId', 'an administrator names the institution')
  const theirs = await admin.call({ method: 'POST', url: '/api/v1/courses', payload: { ...course, institutionId: other.id, regionCode: '330503102' } })
  t.equal(theirs.statusCode, 201, theirs.body)
  t.equal((await school.call({ method: 'POST', url: '/api/v1/courses', payload: { ...course, institutionId: other.id } })).statusCode, 403, 'not for another institution')
  t.equal((await school.call({ method: 'PATCH', url: `/api/v1/courses/${theirs.json().id}`, payload: { seats: 5 } })).statusCode, 403)
  t.equal((await school.call({ method: 'GET', url: `/api/v1/courses/${theirs.json().id}` })).statusCode, 403)
  t.same((await school.call({ method: 'GET', url: '/api/v1/courses' })).json().map((c: { id: number }) => c.id), [id], 'an institution lists its own')
  for (const who of ['mz-county', 'cszh', 'auditor']) {
    const session = await signIn(app, who)
    t.equal((await session.call({ method: 'GET', url: `/api/v1/courses?halfYear=${NOW}` })).json().length, 2, `${who} reads all`)
    t.equal((await session.call({ method: 'POST', url: '/api/v1/courses', payload: { ...course, institutionId: other.id } })).statusCode, 403, `${who} offers none`)
  }
  t.same((await admin.call({ method: 'GET', url: '/api/v1/courses?regionCode=330503102' })).json().map((c: { id: number }) => c.id), [theirs.json().id])

  // Seats never below the seats taken; ages and town fixed once a child holds a seat.
  await app.db.updateTable('courses').set({ seats_taken: 2 }).where('id', '=', id).execute()
  const fewer = await school.call({ method: 'PATCH', url: `/api/v1/courses/${id}`, payload: { seats: 1 } })
  t.equal(fewer.statusCode, 409)
  t.match(fewer.json().error, { code: 'seats_below_taken', details: [{ field: 'body.seats', seatsTaken: 2 }] })
  t.equal((await school.call({ method: 'PATCH', url: `/api/v1/courses/${id}`, payload: { minAge: 5 } })).json().error.code, 'course_has_placements')
  const more = await school.call({ method: 'PATCH', url: `/api/v1/courses/${id}`, payload: { seats: 4, schedule: '周日上午' } })
  t.match(more.json(), { seats: 4, seatsTaken: 2, seatsFree: 2, schedule: '周日上午' })
  const closed = await school.call({ method: 'PATCH', url: `/api/v1/courses/${id}`, payload: { status: 'closed' } })
  t.equal(closed.json().status, 'closed')
  const audited = await app.db.selectFrom('audit_records').select('action').where('action', 'like', 'course.%').execute()
  t.equal(audited.length, 4, 'every change is audited (refused ones leave nothing)')
})

t.test('bad course input: 400 with the fields', async t => {
  const app = await appWithAccounts(t)
  await insertRegionTree(app.db)
  const school = await signIn(app, 'training')
  const post = (payload: object) => school.call({ method: 'POST', url: '/api/v1/courses', payload })
  const fields = async (payload: object) => {
    const response = await post(payload)
    t.equal(response.statusCode, 400, response.body)
    return response.json().error.details.map((d: { field: string }) => d.field).sort()
  }
  t.same(await fields({ ...course, seats: -1, minAge: 1, halfYear: '2026Q1', colour: 'red' }), ['body.colour', 'body.halfYear', 'body.minAge', 'body.seats'])
  t.same(await fields({ ...course, minAge: 10, maxAge: 6 }), ['body.maxAge'])
  t.same(await fields({ ...course, regionCode: '330503101001' }), ['body.regionCode'], 'a town, not a village')
  t.same(await fields({ ...course, regionCode: '419001001' }), ['body.regionCode'], 'a town unknown or outside the institution\'s county')
  t.same(await fields({ title: '书法' }), ['body.halfYear', 'body.maxAge', 'body.minAge', 'body.regionCode', 'body.seats'])
  const past = await post({ ...course, halfYear: `${Number(NOW.slice(0, 4)) - 1}H2` })
  t.equal(past.json().error.code, 'half_year_over')
  const id = (await post(course)).json().id
  const empty = await school.call({ method: 'PATCH', url: `/api/v1/courses/${id}`, payload: {} })
  t.equal(empty.statusCode, 400, 'a change changes something')
  t.same((await school.call({ method: 'PATCH', url: `/api/v1/courses/${id}`, payload: { maxAge: 4 } })).json().error.details.map((d: { field: string }) => d.field), ['body.maxAge'])
  t.equal((await school.call({ method: 'GET', url: '/api/v1/courses/999999' })).statusCode, 404)
})
