// The warning rules in force: the built-in versions (matching/monitoring/rules.ts) and the
// administrators' dated versions over them, as the policy parameters are kept.
import type { Db } from '../db/database.js'
import { AppError, conflict } from '../http/errors.js'
import { PROFILE_IDS, PROFILES, type ProfileId } from '../../matching/policy/index.js'
import { builtInRules, resolveRules, RULE_KEYS, RULE_SPECS, ruleVersionProblem, type ResolvedRules, type RuleKey, type RuleVersion } from '../../matching/monitoring/index.js'

export async function staffRuleVersions (db: Db): Promise<Map<string, RuleVersion[]>> {
  const rows = await db.selectFrom('warning_rule_versions').selectAll().orderBy('effective_from').orderBy('id').execute()
  const byProfile = new Map<string, RuleVersion[]>()
  for (const row of rows) {
    const list = byProfile.get(row.profile) ?? []
    list.push({ rule: row.rule as RuleKey, enabled: row.enabled, params: row.params, effectiveFrom: row.effective_from, source: row.note })
    byProfile.set(row.profile, list)
  }
  return byProfile
}

/** Each profile's rules as resolved on `asOf`. */
export async function rulesByProfile (db: Db, asOf: string): Promise<Map<ProfileId, ResolvedRules>> {
  const staff = await staffRuleVersions(db)
  return new Map(PROFILE_IDS.map(id => [id, resolveRules(id, staff.get(id) ?? [], asOf)]))
}

export interface NewRuleVersion { profile: ProfileId, rule: RuleKey, enabled: boolean, params: Record<string, number>, effectiveFrom: string, note: string }

/** Adds a version from `effectiveFrom` on (checked first); one per rule and day (409). */
export async function addRuleVersion (db: Db, version: NewRuleVersion, by: number | null): Promise<{ id: number } & NewRuleVersion> {
  const problem = ruleVersionProblem(version.rule, version.params)
  if (problem) throw new AppError(400, 'validation_failed', `${problem} (invalid rule parameters)`, [{ field: 'body.params', code: 'invalid_parameter', message: problem }])
  const row = await db.insertInto('warning_rule_versions').values({
    profile: version.profile, rule: version.rule, enabled: version.enabled, params: JSON.stringify(version.params), effective_from: version.effectiveFrom, note: version.note, created_by: by
  }).onConflict(oc => oc.doNothing()).returning('id').executeTakeFirst()
  if (!row) throw conflict('rule_version_exists', `${version.profile} 的规则 ${version.rule} 在 ${version.effectiveFrom} 已有版本 (a version for that day exists)`)
  return { id: row.id, ...version }
}

export interface RuleInForce {
  profile: ProfileId
  profileTitle: string
  rule: RuleKey
  name: string
  trigger: 'feed' | 'scan' | 'setting'
  enabled: boolean
  params: Array<{ name: string, value: number, unit: string, description: string, min: number, max: number }>
  effectiveFrom: string
  source: string
  demo: boolean
  /** Every version on record (built-in and staff), oldest first. */
  versions: Array<{ enabled: boolean, params: Record<string, number>, effectiveFrom: string, source: string, staff: boolean }>
}

/** Every profile's every rule on `asOf`, with its versions: the administrators' page and the API. */
export async function rulesInForce (db: Db, asOf: string, profile?: ProfileId): Promise<RuleInForce[]> {
  const staff = await staffRuleVersions(db)
  return PROFILE_IDS.filter(id => profile === undefined || id === profile).flatMap(id => {
    const resolved = resolveRules(id, staff.get(id) ?? [], asOf)
    return RULE_KEYS.map(rule => {
      const version = resolved.rules[rule]
      const spec = RULE_SPECS[rule]
      return {
        profile: id,
        profileTitle: PROFILES[id].title,
        rule,
        name: spec.name,
        trigger: spec.trigger,
        enabled: version.enabled,
        params: Object.entries(spec.params).map(([name, p]) => ({ name, value: version.params[name] ?? 0, unit: p.unit, description: p.description, min: p.min, max: p.max })),
        effectiveFrom: version.effectiveFrom,
        source: version.source,
        demo: version.demo === true,
        versions: [
          ...builtInRules(id).filter(v => v.rule === rule).map(v => ({ enabled: v.enabled, params: v.params, effectiveFrom: v.effectiveFrom, source: v.source, staff: false })),
          ...(staff.get(id) ?? []).filter(v => v.rule === rule).map(v => ({ enabled: v.enabled, params: v.params, effectiveFrom: v.effectiveFrom, source: v.source, staff: true }))
        ]
      }
    })
  })
}
