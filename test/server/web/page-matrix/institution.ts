// A training institution's pages (/institution/*): its own courses to change and its vouchers
// to redeem; staff who may read courses (administrators, civil affairs, charity staff,
// auditors) see the courses read-only. A course of the institution's in 南浔镇.
import { L, type PageRows, type PageWorld } from './world.js'
import { signIn } from '../../../helpers/accounts.js'
import { halfYearLabel } from '../../../../server/vouchers/half-year.js'
import { today } from '../../../../server/clock.js'

export async function setup ({ app }: PageWorld) {
  const institution = await signIn(app, 'training')
  const course = await institution.call({ method: 'POST', url: '/api/v1/courses', payload: { title: '少儿书法', seats: 10, minAge: 6, maxAge: 12, regionCode: '330503101', schedule: '每周六上午', halfYear: halfYearLabel(today()) } })
  if (course.statusCode !== 201) throw new Error(course.body)
  return { course: course.json().id as number }
}

const NONE = 999999
//                                                 anon   adm    mzC    mzN    cs     dPer   dCom   inst   aud
export const rows: PageRows = {
  'GET /institution/courses':             { cells: [L, 200, 200, 200, 200, 403, 403, 200, 200], request: () => ({ url: '/institution/courses' }) },
  'GET /institution/courses/new':         { cells: [L, 200, 403, 403, 403, 403, 403, 200, 403], request: () => ({ url: '/institution/courses/new' }) },
  'POST /institution/courses · incomplete': { cells: [L, 400, 403, 403, 403, 403, 403, 400, 403], request: () => ({ method: 'POST', url: '/institution/courses', fields: { title: '书' } }) },
  'GET /institution/courses/:id':         { cells: [L, 200, 200, 200, 200, 403, 403, 200, 200], request: ids => ({ url: `/institution/courses/${ids.course}` }) },
  'POST /institution/courses/:id · bad seats': { cells: [L, 400, 403, 403, 403, 403, 403, 400, 403], request: ids => ({ method: 'POST', url: `/institution/courses/${ids.course}`, fields: { seats: '-1' } }) },
  'POST /institution/courses/:id/close · no such course': { cells: [L, 404, 403, 403, 403, 403, 403, 404, 403], request: () => ({ method: 'POST', url: `/institution/courses/${NONE}/close` }) },
  'POST /institution/courses/:id/reopen · no such course': { cells: [L, 404, 403, 403, 403, 403, 403, 404, 403], request: () => ({ method: 'POST', url: `/institution/courses/${NONE}/reopen` }) },
  'GET /institution/redeem':              { cells: [L, 403, 403, 403, 403, 403, 403, 200, 403], request: () => ({ url: '/institution/redeem' }) },
  'POST /institution/redeem · no such voucher': { cells: [L, 403, 403, 403, 403, 403, 403, 400, 403], request: () => ({ method: 'POST', url: '/institution/redeem', fields: { voucherId: String(NONE), sessionsTotal: '12', sessionsAttended: '10' } }) },
  'GET /institution/expiring':            { cells: [L, 403, 403, 403, 403, 403, 403, 200, 403], request: () => ({ url: '/institution/expiring' }) }
}
