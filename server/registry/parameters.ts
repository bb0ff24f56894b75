// Staff-added parameter versions (policy_parameters) in the engine's shape, merged by the
// engine over each profile's built-in defaults.
import type { ParameterVersion } from '../../matching/policy/index.js'
import type { Db } from '../db/database.js'

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
