// Policy profiles and their dated parameters. Staff add a new version of a parameter with
// the day it takes effect; decisions already stored keep the version they were made with.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { PARAMETER_KEYS, PROFILE_IDS, type ParameterKey } from '../../../../matching/policy/index.js'
import { today } from '../../../clock.js'
import { errorResponseSchema } from '../../../http/errors.js'
import { addParameterVersion, profilesInForce } from '../../../registry/parameters.js'
import { CalendarDate } from '../../../schemas/household.js'
import { ParameterCreatedSchema, ProfileInForceSchema } from '../../../schemas/policy.js'

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

  app.post('/api/v1/policy/profiles/:profile/parameters', {
    config: { access: 'parameter.manage' },
    schema: {
      tags: ['registry'],
      summary: '新增参数版本（自生效日起适用）/ add a parameter version',
      params: ProfileParams,
      body: Type.Object({
        key: Type.Enum(Object.keys(PARAMETER_KEYS) as ParameterKey[]),
        value: Type.Number({ description: '取值范围因参数和政策而异，见 GET /api/v1/policy/profiles' }),
        effectiveFrom: CalendarDate,
        note: Type.String({ minLength: 2, maxLength: 200, description: '依据，如文件文号' })
      }, { additionalProperties: false }),
      response: { 201: ParameterCreatedSchema, ...errors }
    }
  }, async (request, reply) => {
    const created = await app.db.transaction().execute(async trx => {
      const version = await addParameterVersion(trx, request.params.profile, request.body)
      // A profile's parameters serve every region under it: for administrators (no region).
      const { id, ...after } = version
      await request.audit({ action: 'parameter.create', record: { type: 'policy_parameter', id }, after }, trx)
      return version
    })
    return reply.status(201).send(created)
  })
}
