// Courses that training institutions offer for 爱心培训券 (an institution manages its own), and
// a course's roster of placed children, de-identified.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ensureAllowed, listScope } from '../../../auth/policy.js'
import { today } from '../../../clock.js'
import { errorResponseSchema } from '../../../http/errors.js'
import { Course, CourseChangesBody, CourseStatus, HalfYear, NewCourseBody, PlacedChild, RegionCode } from '../../../schemas/vouchers.js'
import { createCourseFor, updateCourseFor } from '../../../vouchers/actions.js'
import { getCourse, listCourses } from '../../../vouchers/courses.js'
import { courseRoster } from '../../../vouchers/views.js'

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) })
const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const tags = ['vouchers']

export const courseRoutes: FastifyPluginAsyncTypebox = async app => {
  app.get('/api/v1/courses', {
    config: { access: 'course.read' },
    schema: {
      tags, summary: '培训课程（机构只见本机构）/ courses (an institution sees its own)',
      querystring: Type.Object({
        halfYear: Type.Optional(HalfYear), regionCode: Type.Optional(RegionCode), status: Type.Optional(CourseStatus),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }), offset: Type.Integer({ minimum: 0, default: 0 })
      }, { additionalProperties: false }),
      response: { 200: Type.Array(Course), ...errors }
    }
  }, async request => listCourses(app.db, listScope(request.principal, 'course.read'), request.query))

  app.post('/api/v1/courses', {
    config: { access: 'course.write' },
    schema: {
      tags, summary: '开设课程 / offer a course',
      body: NewCourseBody,
      response: { 201: Course, ...errors }
    }
  }, async (request, reply) => reply.status(201).send(await createCourseFor(request, request.body)))

  app.get('/api/v1/courses/:id', {
    config: { access: 'course.read' },
    schema: { tags, summary: '课程详情 / one course', params: IdParams, response: { 200: Course, ...errors } }
  }, async request => {
    const course = await getCourse(app.db, request.params.id)
    ensureAllowed(request.principal, 'course.read', { institutionId: course.institutionId })
    return course
  })

  app.patch('/api/v1/courses/:id', {
    config: { access: 'course.write' },
    schema: {
      tags, summary: '修改或停止课程（名额不少于已占用数；有学生后年龄与乡镇不再改）/ change or close a course', params: IdParams,
      body: CourseChangesBody,
      response: { 200: Course, ...errors }
    }
  }, async request => updateCourseFor(request, request.params.id, request.body))

  app.get('/api/v1/courses/:id/vouchers', {
    config: { access: 'voucher.read' },
    schema: { tags, summary: '课程学生名单（脱敏）/ the children placed in a course, de-identified', params: IdParams, response: { 200: Type.Array(PlacedChild), ...errors } }
  }, async request => {
    const course = await getCourse(app.db, request.params.id)
    ensureAllowed(request.principal, 'course.read', { institutionId: course.institutionId })
    return courseRoster(app.db, listScope(request.principal, 'voucher.read'), course.id, today())
  })
}
