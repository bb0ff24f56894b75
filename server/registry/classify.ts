// Classification in the registry: the region's policy profile (nearest ancestor in
// region_policies), the staff-added parameter versions from policy_parameters merged over
// the profile's built-in ones, and the pure engine in matching/policy. Parameters are
// resolved once per profile for the day, not once per household.
import { classify, EmptyHouseholdError, MissingParameterError, profileOf, resolveParameters, UnknownProfileError, type EvaluateResult, type ParameterVersion, type Profile, type ResolvedParameters } from '../../matching/policy/index.js'
import type { Db } from '../db/database.js'
import { AppError } from '../http/errors.js'
import type { PreparedDecision } from './bulk-write.js'
import { parameterVersions } from './parameters.js'
import type { EvaluateHouseholdInput } from '../schemas/household.js'

/** What the engine needs (the evaluate endpoint's household; caseByCase is the registry's record of it). */
export type HouseholdFacts = EvaluateHouseholdInput

export type Classifier = (regionCode: string, facts: HouseholdFacts) => PreparedDecision

export interface RegionPolicy {
  regionCode: string
  profile: string
}

/** The profile of the nearest region with one: a town's own profile wins over its county's. */
export function policyLookup (policies: readonly RegionPolicy[]): (regionCode: string) => string | undefined {
  const byLength = [...policies].sort((a, b) => b.regionCode.length - a.regionCode.length)
  return regionCode => byLength.find(p => regionCode.startsWith(p.regionCode))?.profile
}

export const noPolicy = (regionCode: string) => new AppError(409, 'no_policy_profile', `地区 ${regionCode} 未配置认定政策 (no policy profile for this region)`)

/** A classifier over loaded policies and staff versions: each profile's parameters are resolved on first use. */
export function makeClassifier (policies: readonly RegionPolicy[], versionsOf: ReadonlyMap<string, readonly ParameterVersion[]>, asOf: string): Classifier {
  const profileFor = policyLookup(policies)
  const byRegion = new Map<string, { profile: Profile, parameters: ResolvedParameters }>()
  const byProfile = new Map<string, { profile: Profile, parameters: ResolvedParameters }>()
  const settingsFor = (regionCode: string) => {
    let settings = byRegion.get(regionCode)
    if (settings) return settings
    const id = profileFor(regionCode)
    if (id === undefined) throw noPolicy(regionCode)
    settings = byProfile.get(id)
    if (!settings) {
      const profile = explainPolicyErrors(() => profileOf(id))
      settings = { profile, parameters: resolveParameters(profile.id, profile.parameters, versionsOf.get(id) ?? [], asOf) }
      byProfile.set(id, settings)
    }
    byRegion.set(regionCode, settings)
    return settings
  }
  return (regionCode, facts) => {
    const { profile, parameters } = settingsFor(regionCode)
    let result: EvaluateResult
    try {
      result = classify(profile, parameters, facts, asOf)
    } catch (error) {
      throw policyError(error)
    }
    return {
      asOf,
      profile: result.profile,
      profileVersion: result.profileVersion,
      category: result.category,
      individualDibao: result.individualDibao,
      members: result.members,
      perCapitaMonthlyIncome: result.perCapitaMonthlyIncome,
      trace: result.trace
    }
  }
}

export async function regionPolicies (db: Db): Promise<RegionPolicy[]> {
  const rows = await db.selectFrom('region_policies').select(['region_code', 'profile']).execute()
  return rows.map(row => ({ regionCode: row.region_code, profile: row.profile }))
}

export async function loadClassifier (db: Db, asOf: string): Promise<Classifier> {
  return makeClassifier(await regionPolicies(db), await parameterVersions(db), asOf)
}

/** The engine's typed errors as API errors; anything else unchanged. */
function policyError (error: unknown): unknown {
  if (error instanceof UnknownProfileError) return new AppError(400, 'unknown_profile', `未知的认定政策：${error.profile} (unknown profile)`)
  if (error instanceof MissingParameterError) {
    return new AppError(409, 'parameter_missing', `${error.asOf} 时 ${error.profile} 尚无参数 ${error.key} 的有效版本 (no parameter version in force)`)
  }
  if (error instanceof EmptyHouseholdError) {
    return new AppError(400, 'validation_failed', '家庭至少须有一名成员 (a household needs at least one member)', [{ field: error.field, code: 'minItems', message: '家庭至少须有一名成员' }])
  }
  return error
}

/** Runs the engine, turning its typed errors into API errors. */
export function explainPolicyErrors<T> (run: () => T): T {
  try {
    return run()
  } catch (error) {
    throw policyError(error)
  }
}
