// Classification in the registry: the region's policy profile (nearest ancestor in
// region_policies), the staff-added parameter versions from policy_parameters merged over
// the profile's built-in ones, and the pure engine in matching/policy.
import { evaluate, MissingParameterError, UnknownProfileError } from '../../matching/policy/index.js'
import type { Db } from '../db/database.js'
import { AppError } from '../http/errors.js'
import type { PreparedDecision } from './bulk-write.js'
import { parameterVersions } from './parameters.js'
import type { EvaluateHouseholdInput } from '../schemas/household.js'

/** What the engine needs; caseByCase is the registry's record of a 一事一议 decision. */
export type HouseholdFacts = EvaluateHouseholdInput & { caseByCase?: boolean }

export type Classifier = (regionCode: string, facts: HouseholdFacts) => PreparedDecision

export async function loadClassifier (db: Db, asOf: string): Promise<Classifier> {
  const policies = await db.selectFrom('region_policies').select(['region_code', 'profile']).execute()
  const versionsOf = await parameterVersions(db)
  // Longest prefix first, so a town's own profile wins over its county's.
  const byLength = [...policies].sort((a, b) => b.region_code.length - a.region_code.length)
  return (regionCode, facts) => {
    const policy = byLength.find(p => regionCode.startsWith(p.region_code))
    if (!policy) throw new AppError(409, 'no_policy_profile', `地区 ${regionCode} 未配置认定政策 (no policy profile for this region)`)
    const result = explainPolicyErrors(() => evaluate({ profile: policy.profile, asOf, household: facts }, versionsOf.get(policy.profile) ?? []))
    return {
      asOf,
      profile: result.profile,
      profileVersion: result.profileVersion,
      category: result.category,
      individualDibao: result.individualDibao,
      perCapitaMonthlyIncome: result.perCapitaMonthlyIncome,
      trace: result.trace
    }
  }
}

/** Runs the engine, turning its typed errors into API errors. */
export function explainPolicyErrors<T> (run: () => T): T {
  try {
    return run()
  } catch (error) {
    if (error instanceof UnknownProfileError) throw new AppError(400, 'unknown_profile', `未知的认定政策：${error.profile} (unknown profile)`)
    if (error instanceof MissingParameterError) {
      throw new AppError(409, 'parameter_missing', `${error.asOf} 时 ${error.profile} 尚无参数 ${error.key} 的有效版本 (no parameter version in force)`)
    }
    throw error
  }
}
