// Policy profiles and their dated parameters. Staff add a new version of a parameter with
// the day it takes effect; decisions already stored keep the version they were made with.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { DOCUMENTS, PARAMETER_KEYS, PROFILE_IDS, PROFILES, resolveParameters, type ParameterKey, type Profile } from '../../../../matching/policy/index.js'
import { conflict, errorResponseSchema } from '../../../http/errors.js'
import { CalendarDate } from '../../../schemas/household.js'
import { checkParameterValues, parameterVersions } from '../../../registry/parameters.js'
import { today } from '../../../clock.js'

const errors = { 400: errorResponseSchema, 401: errorResponseSchema, 403: errorResponseSchema, 404: errorResponseSchema, 409: errorResponseSchema }
const ProfileParams = Type.Object({ profile: Type.Enum(PROFILE_IDS) })

/** A document's own upper limit on a parameter, with where it is written. */
function limitOf (profile: Profile, key: ParameterKey) {
  const limit = profile.limits?.[key]
  return limit ? { max: limit.max, maxSource: limit.source } : {}
}

export const policyRoutes: FastifyPluginAsyncTypebox = async app => {
  app.get('/api/v1/policy/profiles', {
    config: { access: 'parameter.read' },
    schema: {
      tags: ['registry'],
      summary: '认定政策及其现行参数 / policy profiles with the parameters in force',
      querystring: Type.Object({ asOf: Type.Optional(CalendarDate) }, { additionalProperties: false }),
      response: { 200: Type.Array(Type.Any()), ...errors }
    }
  }, async request => {
    const asOf = request.query.asOf ?? today()
    const staff = await parameterVersions(app.db)
    return PROFILE_IDS.map(id => {
      const profile = PROFILES[id]
      const resolved = resolveParameters(id, profile.parameters, staff.get(id) ?? [], asOf)
      return {
        id,
        title: profile.title,
        document: DOCUMENTS[id],
        categories: profile.categories,
        profileVersion: resolved.version,
        parameters: Object.entries(resolved.used).map(([key, version]) => ({
          key, ...PARAMETER_KEYS[key as ParameterKey], ...limitOf(profile, key as ParameterKey),
          value: version?.value, effectiveFrom: version?.effectiveFrom, source: version?.source, demo: version?.demo === true,
          placeholderDate: version?.placeholderDate === true
        })),
        staffVersions: staff.get(id) ?? []
      }
    })
  })

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
      response: { 201: Type.Any(), ...errors }
    }
  }, async (request, reply) => {
    const { profile } = request.params
    const { key, value, effectiveFrom, note } = request.body
    checkParameterValues(profile, [{ key, value, field: 'body.value' }])
    const id = await app.db.transaction().execute(async trx => {
      const row = await trx.insertInto('policy_parameters').values({ profile, key, value, effective_from: effectiveFrom, note })
        .onConflict(oc => oc.doNothing()).returning(['id']).executeTakeFirst()
      if (!row) throw conflict('parameter_version_exists', `${profile} 的 ${key} 在 ${effectiveFrom} 已有版本 (a version for that day exists)`)
      // A profile's parameters serve every region under it: for administrators (no region).
      await request.audit({ action: 'parameter.create', record: { type: 'policy_parameter', id: row.id }, after: { profile, key, value, effectiveFrom, note } }, trx)
      return row.id
    })
    return reply.status(201).send({ id, profile, key, value, effectiveFrom, note })
  })
}
