// Staff-added parameter versions (policy_parameters) in the engine's shape, merged by the
// engine over each profile's built-in defaults, the check every new value goes through, and
// each profile as it stands on a day. Decisions already stored keep the version they used.
import type { FastifyRequest } from 'fastify'
import { DOCUMENTS, PARAMETER_KEYS, parameterProblem, PROFILE_IDS, PROFILES, profileOf, resolveParameters, type ParameterKey, type ParameterVersion, type Profile, type ProfileId } from '../../matching/policy/index.js'
import type { Db } from '../db/database.js'
import { AppError, conflict, type ErrorDetail } from '../http/errors.js'
import type { ParameterCreated, ProfileInForce } from '../schemas/policy.js'

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

/** A document's own upper limit on a parameter, with where it is written. */
function limitOf (profile: Profile, key: ParameterKey) {
  const limit = profile.limits?.[key]
  return limit ? { max: limit.max, maxSource: limit.source } : {}
}

/** Every profile with the parameters in force on `asOf`, where each value comes from, and the staff's versions. */
export async function profilesInForce (db: Db, asOf: string): Promise<ProfileInForce[]> {
  const staff = await parameterVersions(db)
  return PROFILE_IDS.map(id => {
    const profile = PROFILES[id]
    const resolved = resolveParameters(id, profile.parameters, staff.get(id) ?? [], asOf)
    return {
      id,
      title: profile.title,
      document: DOCUMENTS[id],
      categories: [...profile.categories],
      profileVersion: resolved.version,
      parameters: Object.entries(resolved.used).map(([key, version]) => ({
        key, ...PARAMETER_KEYS[key as ParameterKey], ...limitOf(profile, key as ParameterKey),
        value: version?.value, effectiveFrom: version?.effectiveFrom, source: version?.source, demo: version?.demo === true,
        placeholderDate: version?.placeholderDate === true
      })),
      staffVersions: staff.get(id) ?? []
    }
  })
}

/** Adds a version of a parameter from `effectiveFrom` on (checked first); one per key and day (409). */
export async function addParameterVersion (trx: Db, profile: ProfileId, version: { key: ParameterKey, value: number, effectiveFrom: string, note: string }): Promise<ParameterCreated> {
  const { key, value, effectiveFrom, note } = version
  checkParameterValues(profile, [{ key, value, field: 'body.value' }])
  const row = await trx.insertInto('policy_parameters').values({ profile, key, value, effective_from: effectiveFrom, note })
    .onConflict(oc => oc.doNothing()).returning(['id']).executeTakeFirst()
  if (!row) throw conflict('parameter_version_exists', `${profile} 的 ${key} 在 ${effectiveFrom} 已有版本 (a version for that day exists)`)
  return { id: row.id, profile, key, value, effectiveFrom, note }
}

/** One parameter's side of a comparison: the version in force on a day, if any. */
export interface VersionInForce { value: number, effectiveFrom: string, source: string }

/**
 * A profile's history as dated versions: every day a parameter version took (or takes) effect,
 * newest first, with the versions of that day — the built-in ones from the documents and those
 * staff added. Each day is a version of the profile: what it says is what `parameterDiff` compares.
 */
export async function profileHistory (db: Db, profile: ProfileId): Promise<Array<{ effectiveFrom: string, versions: Array<{ key: string, value: number, source: string, staff: boolean, demo: boolean, placeholderDate: boolean }> }>> {
  const staff = (await parameterVersions(db, profile)).get(profile) ?? []
  const all = [...PROFILES[profile].parameters.map(v => ({ ...v, staff: false })), ...staff.map(v => ({ ...v, staff: true }))]
  const days = new Map<string, typeof all>()
  for (const version of all) days.set(version.effectiveFrom, [...days.get(version.effectiveFrom) ?? [], version])
  return [...days.entries()].sort(([a], [b]) => b.localeCompare(a)).map(([effectiveFrom, versions]) => ({
    effectiveFrom,
    versions: versions.map(v => ({ key: v.key, value: v.value, source: v.source, staff: v.staff, demo: v.demo === true, placeholderDate: v.placeholderDate === true }))
  }))
}

/** What changed between the profile in force on `from` and on `to`: each parameter on both days, changed or not. */
export async function parameterDiff (db: Db, profile: ProfileId, from: string, to: string) {
  const staff = (await parameterVersions(db, profile)).get(profile) ?? []
  const [before, after] = [from, to].map(day => resolveParameters(profile, PROFILES[profile].parameters, staff, day))
  const keys = [...new Set([...Object.keys(before!.used), ...Object.keys(after!.used)])] as ParameterKey[]
  const side = (version: ParameterVersion | undefined): VersionInForce | null => version ? { value: version.value, effectiveFrom: version.effectiveFrom, source: version.source } : null
  const changes = keys.sort().map(key => {
    const a = side(before!.used[key])
    const b = side(after!.used[key])
    return { key, unit: PARAMETER_KEYS[key].unit, description: PARAMETER_KEYS[key].description, before: a, after: b, changed: a?.value !== b?.value }
  })
  return { profile, from, to, fromVersion: before!.version, toVersion: after!.version, changes }
}

/** An administrator adds a version, audited in its transaction (API and pages). A profile's parameters serve every region under it: the record is for administrators (no region). */
export async function addParameterVersionFor (request: FastifyRequest, profile: ProfileId, version: { key: ParameterKey, value: number, effectiveFrom: string, note: string }): Promise<ParameterCreated> {
  return request.server.db.transaction().execute(async trx => {
    const created = await addParameterVersion(trx, profile, version)
    const { id, ...after } = created
    await request.audit({ action: 'parameter.create', record: { type: 'policy_parameter', id }, after }, trx)
    return created
  })
}
