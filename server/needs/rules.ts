// Which households may have needs raised, per region. Staff set a region's rule (the nearest
// ancestor's row wins, like region_policies); without one the region's policy profile gives
// the default:
// - wishes: every low-income category, households in force (active or in gradual exit);
// - training vouchers: under nanxun-2025, kindergarten to junior-middle pupils of registered
//   低收入帮扶 households (000_6379457d8a0eea12.txt 三(二): "发放'爱心培训券'，让全区幼儿园至初中
//   阶段的在册低收入帮扶家庭…学生，每半年至少参加一个培训班"); the other documents define no
//   voucher, so their regions issue none until staff set a rule.
import type { FastifyRequest } from 'fastify'
import { CATEGORIES, type Category, type HouseholdStatus, type SchoolStage } from '../../matching/domain.js'
import { ensureAllowed } from '../auth/policy.js'
import type { Db } from '../db/database.js'
import { AppError } from '../http/errors.js'
import type { NeedRule, NeedRuleInput } from '../schemas/needs.js'

export const DEFAULT_WISH_STATUSES: HouseholdStatus[] = ['active', 'gradual_exit']
export const VOUCHER_SOURCE = '000_6379457d8a0eea12.txt 三(二)'

function profileDefault (profile: string | null): NeedRule {
  const nanxun = profile === 'nanxun-2025'
  return {
    source: null,
    profile,
    wishCategories: [...CATEGORIES],
    wishStatuses: DEFAULT_WISH_STATUSES,
    voucherCategories: nanxun ? ['low_income_support'] : [],
    voucherSchoolStages: nanxun ? ['kindergarten', 'primary', 'junior'] : []
  }
}

const longestPrefix = <T extends { region_code: string }>(rows: T[], regionCode: string): T | undefined =>
  rows.filter(r => regionCode.startsWith(r.region_code)).sort((a, b) => b.region_code.length - a.region_code.length)[0]

/** The rule in force for a village (or any region code). */
export async function needRuleFor (db: Db, regionCode: string): Promise<NeedRule> {
  const prefixes = [6, 9, 12].filter(n => n <= regionCode.length).map(n => regionCode.slice(0, n))
  const [rules, policies] = await Promise.all([
    db.selectFrom('region_need_rules').selectAll().where('region_code', 'in', prefixes).execute(),
    db.selectFrom('region_policies').select(['region_code', 'profile']).where('region_code', 'in', prefixes).execute()
  ])
  const profile = longestPrefix(policies, regionCode)?.profile ?? null
  const row = longestPrefix(rules, regionCode)
  if (!row) return profileDefault(profile)
  return {
    source: row.region_code,
    profile,
    wishCategories: row.wish_categories as Category[],
    wishStatuses: row.wish_statuses as HouseholdStatus[],
    voucherCategories: row.voucher_categories as Category[],
    voucherSchoolStages: row.voucher_school_stages as SchoolStage[]
  }
}

export async function setNeedRule (db: Db, regionCode: string, input: NeedRuleInput, updatedBy: number | null): Promise<NeedRule> {
  const region = await db.selectFrom('regions').select('code').where('code', '=', regionCode).executeTakeFirst()
  if (!region) throw new AppError(404, 'not_found', `未找到地区 ${regionCode} (unknown region)`)
  const values = {
    wish_categories: input.wishCategories, wish_statuses: input.wishStatuses,
    voucher_categories: input.voucherCategories, voucher_school_stages: input.voucherSchoolStages,
    updated_by: updatedBy, updated_at: new Date()
  }
  await db.insertInto('region_need_rules').values({ region_code: regionCode, ...values })
    .onConflict(oc => oc.column('region_code').doUpdateSet(values)).execute()
  return needRuleFor(db, regionCode)
}

/** Why a household may not have a wish under the rule, or null when it may. */
export function wishRefusal (rule: NeedRule, household: { category: string | null, status: string }): string | null {
  if (!rule.wishStatuses.includes(household.status as HouseholdStatus)) return `家庭状态为“${household.status}”，不能提出微心愿 (household status ${household.status} is not eligible)`
  if (!household.category || !rule.wishCategories.includes(household.category as Category)) return `家庭类别“${household.category ?? 'none'}”不在本地区微心愿范围内 (category not eligible in this region)`
  return null
}

/** Staff of the region (or an administrator) set its rule, audited old → new in its transaction (API and pages). */
export async function setNeedRuleFor (request: FastifyRequest, regionCode: string, input: NeedRuleInput): Promise<NeedRule> {
  ensureAllowed(request.principal, 'need.configure', { regionCode })
  return request.server.db.transaction().execute(async trx => {
    const before = await needRuleFor(trx, regionCode)
    const after = await setNeedRule(trx, regionCode, input, request.principal?.userId ?? null)
    await request.audit({ action: 'need.configure', record: { type: 'region', id: regionCode, regionCode }, before, after }, trx)
    return after
  })
}
