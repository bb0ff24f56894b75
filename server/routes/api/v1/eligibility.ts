// POST /api/v1/eligibility/evaluate — the public contract for a dry-run classification:
// nothing is stored. Staff may call it; in demo mode anyone may, to try the rules.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type Static } from 'typebox'
import { evaluate, isParameterKey, PARAMETER_KEYS, PROFILE_IDS, PROFILES, profileReads, type ParameterKey, type ParameterSpec } from '../../../../matching/policy/index.js'
import { errorResponseSchema, invalid, validationDetails, type ErrorDetail, type ValidationIssue } from '../../../http/errors.js'
import { explainPolicyErrors } from '../../../registry/classify.js'
import { CalendarDate, EvaluateHousehold, EvaluateResultSchema } from '../../../schemas/household.js'
import { today } from '../../../clock.js'
import { parameterValueDetails, parameterVersions } from '../../../registry/parameters.js'

// Every parameter's general bounds (PARAMETER_KEYS, the one source) are in the schema, so a bad
// standard is named with every other bad field. A key the profile does not read is accepted and
// ignored (the trace says so); a key no profile knows is refused.
const Standards = Type.Object(
  Object.fromEntries(Object.entries(PARAMETER_KEYS).map(([key, spec]: [string, ParameterSpec]) => {
    const options = {
      description: `${spec.description}（${spec.unit}）`,
      maximum: spec.max,
      ...(spec.above === true ? { exclusiveMinimum: spec.min } : { minimum: spec.min })
    }
    return [key, Type.Optional(spec.integer === true ? Type.Integer(options) : Type.Number(options))]
  })),
  { additionalProperties: false, description: '本次测算临时覆盖的参数（不保存）；政策不使用的参数不予采用，并在 trace 中列出' }
)

const EvaluateBody = Type.Object({
  profile: Type.Enum(PROFILE_IDS),
  asOf: Type.Optional(CalendarDate),
  standards: Type.Optional(Standards),
  household: EvaluateHousehold
}, { additionalProperties: false })

/**
 * What the schema cannot say: a profile's own limit on a standard (Gansu's 渐退期), a member
 * born after `asOf`, and a monitoring record that ends before it starts. Read from a body the schema may have refused, so only fields it found sound.
 */
function ruleProblems (body: Partial<Static<typeof EvaluateBody>>, named: ReadonlySet<string>): ErrorDetail[] {
  const details: ErrorDetail[] = []
  const { profile, standards, household } = body
  if (!named.has('body.profile') && PROFILE_IDS.includes(profile as never) && standards !== null && typeof standards === 'object') {
    const read = Object.entries(standards).filter((entry): entry is [ParameterKey, number] =>
      isParameterKey(entry[0]) && typeof entry[1] === 'number' && profileReads(PROFILES[profile as keyof typeof PROFILES], entry[0]))
    details.push(...parameterValueDetails(profile as string, read.map(([key, value]) => ({ key, value, field: `body.standards.${key}` }))))
  }
  const asOf = body.asOf ?? today()
  const members: unknown = household?.members
  if (!named.has('body.asOf') && typeof asOf === 'string' && Array.isArray(members)) {
    members.forEach((member: { birthDate?: unknown } | null, index) => {
      const field = `body.household.members.${index}.birthDate`
      const born = member?.birthDate
      if (typeof born === 'string' && born > asOf) {
        details.push({ field, code: 'born_after_as_of', message: `出生日期 ${born} 晚于认定日期 ${asOf}：成员须在认定日已出生 (born after asOf)` })
      }
    })
  }
  if (Array.isArray(members)) {
    members.forEach((member: { povertyMonitoring?: { from?: unknown, until?: unknown } | null } | null, index) => {
      const monitoring = member?.povertyMonitoring
      if (typeof monitoring?.from === 'string' && typeof monitoring.until === 'string' && monitoring.until < monitoring.from) {
        details.push({ field: `body.household.members.${index}.povertyMonitoring.until`, code: 'ends_before_start', message: `监测结束日期 ${monitoring.until} 早于开始日期 ${monitoring.from} (monitoring ends before it starts)` })
      }
    })
  }
  return details.filter(detail => !named.has(detail.field as string))
}

export const eligibilityRoutes: FastifyPluginAsyncTypebox = async app => {
  app.post('/api/v1/eligibility/evaluate', {
    config: { access: app.config.demo ? 'public' : 'eligibility.evaluate' },
    // Schema failures are reported together with ruleProblems, in one 400.
    attachValidation: true,
    schema: {
      tags: ['registry'],
      summary: '认定试算（不保存）/ evaluate a household under a policy profile (dry run)',
      body: EvaluateBody,
      response: {
        200: EvaluateResultSchema,
        400: errorResponseSchema,
        401: errorResponseSchema,
        403: errorResponseSchema,
        409: errorResponseSchema
      }
    }
  }, async request => {
    const failed = request.validationError as (Error & { validation?: ValidationIssue[], validationContext?: string }) | undefined
    const schemaDetails = failed?.validation ? validationDetails(failed.validation, failed.validationContext) : []
    const details = [...schemaDetails, ...ruleProblems(request.body ?? {}, new Set(schemaDetails.map(d => d.field as string)))]
    if (details.length > 0) throw invalid(details)
    const { profile, asOf = today(), standards, household } = request.body
    const versions = (await parameterVersions(app.db, profile)).get(profile) ?? []
    return explainPolicyErrors(() => evaluate({ profile, asOf, household, ...(standards ? { standards } : {}) }, versions))
  })
}
