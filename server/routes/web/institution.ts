// A training institution's pages (/institution/*): its courses and seats (offered, changed,
// closed), the children placed in each class as the policy lets an institution see them
// (surname and an age band: schemas/vouchers.ts PlacedChild), attendance and redemption by the
// voucher's number, and the places that will lapse unused soon. The same functions and rules
// as the API's twins (vouchers/actions.ts); others who may read courses see them read-only.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { authorize, ensureAllowed, listScope } from '../../auth/policy.js'
import { formBody } from '../../auth/csrf.js'
import { today } from '../../clock.js'
import { AppError, invalid } from '../../http/errors.js'
import { listInstitutions } from '../../registry/bindings.js'
import { townsByCounty } from '../../registry/regions.js'
import { AttendanceBody, CourseChangesBody, NewCourseBody, type CourseView } from '../../schemas/vouchers.js'
import { createCourseFor, expiringPlaces, redeemVoucherFor, updateCourseFor } from '../../vouchers/actions.js'
import { getCourse, listCourses } from '../../vouchers/courses.js'
import { daysLeft, halfYearLabel } from '../../vouchers/half-year.js'
import { courseRoster } from '../../vouchers/views.js'
import { actOrSayWhy } from '../../web/actions.js'
import { setFlash } from '../../web/flash.js'
import { blankForm, submitForm } from '../../web/forms.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const CourseForm = formBody(NewCourseBody.properties)
const { status: _status, ...changeFields } = CourseChangesBody.properties
const ChangeForm = formBody(changeFields)
const RedeemForm = formBody({ voucherId: Type.Integer({ minimum: 1 }), ...AttendanceBody.properties })
const COURSE_LABELS = { title: '课程名称', seats: '名额', minAge: '最小年龄', maxAge: '最大年龄', regionCode: '上课乡镇（街道）', schedule: '上课时间', halfYear: '学期', institutionId: '培训机构' }
const REDEEM_LABELS = { voucherId: '培训券编号', sessionsTotal: '总课次', sessionsAttended: '出勤课次' }
const STATE_NAMES: Record<string, string> = { issued: '未入班', assigned: '在班，待核销', redeemed: '已核销', lapsed: '已过期' }
/** Places this close to the end of their half-year are "about to expire". */
const EXPIRING_DAYS = 45

const halfYearName = (label: string) => `${label.slice(0, 4)} 年${label.endsWith('H1') ? '上半年（1–6 月）' : '下半年（7–12 月）'}`

function halfYearChoices (asOf: string) {
  const current = halfYearLabel(asOf)
  const next = current.endsWith('H1') ? `${current.slice(0, 4)}H2` : `${Number(current.slice(0, 4)) + 1}H1`
  return [current, next].map(code => ({ code, name: halfYearName(code) }))
}

const courseCard = (course: CourseView) => ({ ...course, halfYearName: halfYearName(course.halfYear), closed: course.status === 'closed', full: course.seatsFree === 0 })

export const institutionPages: FastifyPluginAsyncTypebox = async app => {
  const hide = { hide: true }

  /** The towns a course may be held in (the institution's county; every county for an administrator), and the institutions an administrator offers for. */
  const formChoices = async (request: FastifyRequest) => {
    const own = request.principal?.institutionId ?? undefined
    const institutions = await listInstitutions(app.db)
    const county = own ? institutions.find(i => i.id === own)?.regionCode.slice(0, 6) : undefined
    const counties = (await townsByCounty(app.db)).filter(c => county === undefined || c.code === county)
    const towns = counties.flatMap(c => c.towns.map(t => ({ code: t.code, name: counties.length > 1 ? `${c.name}${t.name}` : t.name })))
    return { towns, halfYears: halfYearChoices(today()), institutions: own ? [] : institutions.map(i => ({ code: i.id, name: i.name })) }
  }

  app.get('/institution/courses', { config: { access: 'course.read' }, schema: hide }, async (request, reply) => {
    const courses = await listCourses(app.db, listScope(request.principal, 'course.read'), { limit: 500, offset: 0 })
    return reply.page('institution/courses', {
      title: '培训课程', tab: 'courses', breadcrumbs: [{ label: '培训课程' }],
      courses: courses.map(courseCard), canWrite: authorize(request.principal, 'course.write'), canRedeem: authorize(request.principal, 'voucher.redeem')
    })
  })

  const newCoursePage = async (request: FastifyRequest) => ({
    title: '开设课程', tab: 'courses', breadcrumbs: [{ label: '培训课程', href: '/institution/courses' }, { label: '开设课程' }],
    ...await formChoices(request)
  })

  app.get('/institution/courses/new', { config: { access: 'course.write' }, schema: hide }, async (request, reply) => {
    return reply.page('institution/course-new', { ...await newCoursePage(request), form: blankForm({ halfYear: halfYearLabel(today()) }) })
  })

  app.post('/institution/courses', { config: { access: 'course.write' }, attachValidation: true, schema: { ...hide, body: CourseForm } }, async (request, reply) => {
    return submitForm(request, reply, { view: 'institution/course-new', data: () => newCoursePage(request), labels: COURSE_LABELS }, async () => {
      const { _csrf: _token, ...input } = request.body
      const course = await createCourseFor(request, input)
      setFlash(request, reply, 'success', `课程“${course.title}”已开设，${course.seats} 个名额。乡镇民政分配名额或家庭选课后，孩子会出现在课程名单里。`)
      return reply.redirect(`/institution/courses/${course.id}`, 303)
    })
  })

  const coursePage = async (request: FastifyRequest, id: number) => {
    const course = await getCourse(app.db, id)
    ensureAllowed(request.principal, 'course.read', { institutionId: course.institutionId })
    const asOf = today()
    const roster = authorize(request.principal, 'voucher.read') ? await courseRoster(app.db, listScope(request.principal, 'voucher.read'), course.id, asOf) : []
    const canWrite = authorize(request.principal, 'course.write', { institutionId: course.institutionId })
    return {
      title: `课程：${course.title}`, tab: 'courses', breadcrumbs: [{ label: '培训课程', href: '/institution/courses' }, { label: course.title }],
      course: courseCard(course), canWrite, canRedeem: authorize(request.principal, 'voucher.redeem', { institutionId: course.institutionId }),
      roster: roster.map(child => ({ ...child, stateName: STATE_NAMES[child.state] ?? child.state, waiting: child.state === 'assigned', daysLeft: daysLeft(child.halfYear, asOf) })),
      ...(canWrite ? await formChoices(request) : {}),
      form: blankForm({ title: course.title, seats: course.seats, minAge: course.minAge, maxAge: course.maxAge, regionCode: course.town.code, schedule: course.schedule })
    }
  }

  app.get('/institution/courses/:id', { config: { access: 'course.read' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
    return reply.page('institution/course', await coursePage(request, request.params.id))
  })

  app.post('/institution/courses/:id', { config: { access: 'course.write' }, attachValidation: true, schema: { ...hide, params: IdParams, body: ChangeForm } }, async (request, reply) => {
    const id = request.params.id
    return submitForm(request, reply, { view: 'institution/course', data: () => coursePage(request, id), labels: COURSE_LABELS }, async () => {
      const { _csrf: _token, ...changes } = request.body
      // A form sends every field; only what differs is a change (ages and town are fixed once a child holds a seat).
      const current = await getCourse(app.db, id)
      const was: Record<string, unknown> = { title: current.title, seats: current.seats, minAge: current.minAge, maxAge: current.maxAge, regionCode: current.town.code, schedule: current.schedule }
      const changed = Object.fromEntries(Object.entries(changes).filter(([key, value]) => value !== was[key]))
      if (Object.keys(changed).length > 0) await updateCourseFor(request, id, changed)
      setFlash(request, reply, 'success', Object.keys(changed).length > 0 ? '课程已保存。' : '没有改动。')
      return reply.redirect(`/institution/courses/${id}`, 303)
    })
  })

  for (const [move, status, flash] of [['close', 'closed', '课程已停止招生：不再分配新的孩子，已在班的孩子照常上课、核销。'], ['reopen', 'open', '课程已恢复招生。']] as const) {
    app.post(`/institution/courses/:id/${move}`, { config: { access: 'course.write' }, schema: { ...hide, params: IdParams } }, async (request, reply) => {
      const back = `/institution/courses/${request.params.id}`
      return actOrSayWhy(request, reply, back, async () => {
        await updateCourseFor(request, request.params.id, { status })
        setFlash(request, reply, 'success', flash)
        return reply.redirect(back, 303)
      })
    })
  }

  // —— Redemption ——
  const redeemPage = () => ({ title: '核销培训券', tab: 'redeem', breadcrumbs: [{ label: '培训课程', href: '/institution/courses' }, { label: '核销培训券' }] })
  const RedeemQuery = Type.Object({ voucherId: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false })

  app.get('/institution/redeem', { config: { access: 'voucher.redeem' }, attachValidation: true, schema: { ...hide, querystring: RedeemQuery } }, async (request, reply) => {
    return reply.page('institution/redeem', { ...redeemPage(), form: blankForm(request.validationError ? {} : { voucherId: request.query.voucherId }) })
  })

  app.post('/institution/redeem', { config: { access: 'voucher.redeem' }, attachValidation: true, schema: { ...hide, body: RedeemForm } }, async (request, reply) => {
    return submitForm(request, reply, { view: 'institution/redeem', data: redeemPage(), labels: REDEEM_LABELS }, async () => {
      const { voucherId, sessionsTotal, sessionsAttended } = request.body
      try {
        await redeemVoucherFor(request, voucherId, { sessionsTotal, sessionsAttended })
      } catch (error) {
        // An institution learns nothing of vouchers outside its classes: said beside the number.
        if (error instanceof AppError && error.statusCode === 404) throw invalid([{ field: 'body.voucherId', code: 'not_found', message: '本机构的课程里没有这个编号的培训券，请核对券上的编号' }])
        throw error
      }
      setFlash(request, reply, 'success', `培训券 ${voucherId} 已核销：出勤 ${sessionsAttended}/${sessionsTotal} 次，已记入孩子家庭的救助记录。`)
      return reply.redirect('/institution/redeem', 303)
    })
  })

  app.get('/institution/expiring', { config: { access: 'voucher.redeem' }, schema: hide }, async (request, reply) => {
    const places = await expiringPlaces(request, EXPIRING_DAYS)
    return reply.page('institution/expiring', {
      title: '即将过期', tab: 'expiring', breadcrumbs: [{ label: '培训课程', href: '/institution/courses' }, { label: '即将过期' }],
      places, days: EXPIRING_DAYS
    })
  })
}
