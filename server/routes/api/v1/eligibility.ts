// POST /api/v1/eligibility/evaluate — the public contract for a dry-run classification:
// nothing is stored. Staff may call it; in demo mode anyone may, to try the rules.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { evaluate, PARAMETER_KEYS, PROFILE_IDS, type ParameterKey } from '../../../../matching/policy/index.js'
import { errorResponseSchema } from '../../../http/errors.js'
import { explainPolicyErrors } from '../../../registry/classify.js'
import { CalendarDate, EvaluateHousehold } from '../../../schemas/household.js'
import { today } from '../../../registry/dates.js'
import { checkParameterValues, parameterVersions } from '../../../registry/parameters.js'

// Any parameter may be overridden for one evaluation; checkParameterValues refuses what the
// profile cannot take (the same check as a new parameter version).
const Standards = Type.Object(
  Object.fromEntries(Object.entries(PARAMETER_KEYS).map(([key, spec]) => [key, Type.Optional(Type.Number({ description: `${spec.description}（${spec.unit}）` }))])),
  { additionalProperties: false, description: '本次测算临时覆盖的参数（不保存）' }
)

const TraceStep = Type.Object({
  rule: Type.String(),
  result: Type.Boolean(),
  inputs: Type.Record(Type.String(), Type.Unknown()),
  source: Type.String()
}, { additionalProperties: true })

export const eligibilityRoutes: FastifyPluginAsyncTypebox = async app => {
  app.post('/api/v1/eligibility/evaluate', {
    config: { access: app.config.demo ? 'public' : 'eligibility.evaluate' },
    schema: {
      tags: ['registry'],
      summary: '认定试算（不保存）/ evaluate a household under a policy profile (dry run)',
      body: Type.Object({
        profile: Type.Enum(PROFILE_IDS),
        asOf: Type.Optional(CalendarDate),
        standards: Type.Optional(Standards),
        household: EvaluateHousehold
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          category: Type.String(),
          individualDibao: Type.Array(Type.Integer()),
          perCapitaMonthlyIncome: Type.Number(),
          profile: Type.String(),
          profileVersion: Type.String(),
          trace: Type.Array(TraceStep)
        }, { additionalProperties: true }),
        400: errorResponseSchema,
        401: errorResponseSchema,
        403: errorResponseSchema,
        409: errorResponseSchema
      }
    }
  }, async request => {
    const { profile, asOf = today(), standards, household } = request.body
    if (standards) {
      checkParameterValues(profile, Object.entries(standards).map(([key, value]) => ({ key: key as ParameterKey, value: value as number, field: `body.standards.${key}` })))
    }
    const versions = (await parameterVersions(app.db, profile)).get(profile) ?? []
    return explainPolicyErrors(() => evaluate({ profile, asOf, household, ...(standards ? { standards } : {}) }, versions))
  })
}
