// Staff-added parameter versions (policy_parameters) in the engine's shape, merged by the
// engine over each profile's built-in defaults, and the check every new value goes through.
import { PARAMETER_KEYS, parameterProblem, profileOf, type ParameterKey, type ParameterVersion } from '../../matching/policy/index.js'
import type { Db } from '../db/database.js'
import { AppError, type ErrorDetail } from '../http/errors.js'

export async function parameterVersions (db: Db, profile?: string): Promise<Map<string, ParameterVersion[]>> {
  let query = db.selectFrom('policy_parameters').select(['profile', 'key', 'value', 'effective_from', 'note']).orderBy('effective_from')
  if (profile) query = query.where('profile', '=', profile)
  const byProfile = new Map<string, ParameterVersion[]>()
  for (const row of await query.execute()) {
    const list = byProfile.get(row.profile) ?? []
    list.push({ key: row.key, value: row.value, effectiveFrom: row.effective_from, source: row.note ?? '工作人员录入 (staff)' } as ParameterVersion)
    byProfile.set(row.profile, list)
  }
  return byProfile
}

/**
 * Refuses values a profile cannot take (k = 0, a share above 1, fractional months, a key its
 * document never uses) in the common error shape; `field` names where each value was sent.
 */
export function checkParameterValues (profile: string, values: ParameterValueInput[]): void {
  const details = parameterValueDetails(profile, values)
  if (details.length > 0) throw new AppError(400, 'validation_failed', '参数取值不合法 (invalid parameter value)', details)
}

interface ParameterValueInput { key: ParameterKey, value: number, field: string }

/** One detail per value the profile cannot take, for callers that report it with other problems. */
export function parameterValueDetails (profile: string, values: ParameterValueInput[]): ErrorDetail[] {
  return values.flatMap(({ key, value, field }) => {
    const problem = parameterProblem(profileOf(profile), key, value)
    return problem === undefined ? [] : [{ field, code: 'invalid_parameter', message: problem, unit: PARAMETER_KEYS[key].unit }]
  })
}
