// Policy profiles and their dated parameters. Staff add a new version of a parameter with
// the day it takes effect; decisions already stored keep the version they were made with.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { PROFILE_IDS } from '../../../../matching/policy/index.js'
import { today } from '../../../clock.js'
import { errorResponseSchema } from '../../../http/errors.js'
import { addParameterVersionFor, parameterDiff, profileHistory, profilesInForce } from '../../../registry/parameters.js'
import { CalendarDate } from '../../../schemas/household.js'
import { ParameterCreatedSchema, ParameterDiffSchema, ParameterVersionBody, ProfileHistorySchema, ProfileInForceSchema } from '../../../schemas/policy.js'

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const ProfileParams = Type.Object({ profile: Type.Enum(PROFILE_IDS) })

export const policyRoutes: FastifyPluginAsyncTypebox = async app => {
  app.get('/api/v1/policy/profiles', {
    config: { access: 'parameter.read' },
    schema: {
      tags: ['registry'],
      summary: '认定政策及其现行参数 / policy profiles with the parameters in force',
      querystring: Type.Object({ asOf: Type.Optional(CalendarDate) }, { additionalProperties: false }),
      response: { 200: Type.Array(ProfileInForceSchema), ...errors }
    }
  }, async request => profilesInForce(app.db, request.query.asOf ?? today()))

  app.get('/api/v1/policy/profiles/:profile/history', {
    config: { access: 'parameter.read' },
    schema: {
      tags: ['registry'], summary: '参数版本历史（按生效日期）/ a profile\'s dated parameter versions', params: ProfileParams,
      response: { 200: ProfileHistorySchema, ...errors }
    }
  }, async request => profileHistory(app.db, request.params.profile))

  app.get('/api/v1/policy/profiles/:profile/diff', {
    config: { access: 'parameter.read' },
    schema: {
      tags: ['registry'], summary: '比较两个日期施行的参数 / the parameters in force on two days, compared', params: ProfileParams,
      querystring: Type.Object({ from: CalendarDate, to: CalendarDate }, { additionalProperties: false }),
      response: { 200: ParameterDiffSchema, ...errors }
    }
  }, async request => parameterDiff(app.db, request.params.profile, request.query.from, request.query.to))

  app.post('/api/v1/policy/profiles/:profile/parameters', {
    config: { access: 'parameter.manage' },
    schema: {
      tags: ['registry'],
      summary: '新增参数版本（自生效日起适用）/ add a parameter version',
      params: ProfileParams,
      body: ParameterVersionBody,
      response: { 201: ParameterCreatedSchema, ...errors }
    }
  }, async (request, reply) => reply.status(201).send(await addParameterVersionFor(request, request.params.profile, request.body)))
}
