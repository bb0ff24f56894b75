// Issuing a half-year's 爱心培训券: every eligible child of a region gets one voucher. Who is
// eligible is the need rule of the household's village (server/needs/rules.ts: under
// nanxun-2025, kindergarten to junior-middle pupils of registered 低收入帮扶 households;
// other profiles none until staff set a rule), for households in force. Issuing again
// adds only the children who became eligible since: a child holds one voucher per half-year
// (unique person + half-year).
import { sql } from 'kysely'
import type { Category, HouseholdStatus, SchoolStage } from '../../matching/domain.js'
import type { Db } from '../db/database.js'
import { conflict, notFound } from '../http/errors.js'
import { needRuleFor, VOUCHER_SOURCE } from '../needs/rules.js'
import { ensureNotOver } from './half-year.js'

const IN_FORCE: HouseholdStatus[] = ['active', 'gradual_exit']

export interface IssueRequest {
  halfYear: string
  regionCode: string
  /** An open training_voucher project that pays for the places. */
  projectId?: number
}

export interface RuleUsed {
  /** The region whose rule applied, or null for the policy profile's default. */
  ruleRegion: string | null
  profile: string | null
  basis: string
  categories: Category[]
  schoolStages: SchoolStage[]
  villages: number
  eligible: number
  issued: number
}

export interface IssueReport {
  halfYear: string
  regionCode: string
  projectId: number | null
  eligible: number
  issued: number
  alreadyHeld: number
  rules: RuleUsed[]
}

async function checkProject (db: Db, projectId: number): Promise<void> {
  const project = await db.selectFrom('projects').select(['kind', 'status']).where('id', '=', projectId).executeTakeFirst()
  if (!project) throw notFound('该项目 (project)')
  if (project.kind !== 'training_voucher' || project.status !== 'open') {
    throw conflict('project_not_open', '只能关联进行中的爱心培训券项目 (only an open training_voucher project)', [{ field: 'body.projectId', code: 'project_not_open', message: `${project.kind}, ${project.status}` }])
  }
}

/** The villages of the region that have households in force, grouped by the rule that governs them. */
async function villagesByRule (db: Db, regionCode: string) {
  const villages = await db.selectFrom('households').select('region_code').distinct()
    .where('region_code', 'like', `${regionCode}%`).where('status', 'in', IN_FORCE).execute()
  const groups = new Map<string, { rule: Awaited<ReturnType<typeof needRuleFor>>, villages: string[] }>()
  for (const { region_code: village } of villages) {
    const rule = await needRuleFor(db, village)
    const key = `${rule.source}|${rule.profile}`
    const group = groups.get(key)
    if (group) group.villages.push(village)
    else groups.set(key, { rule, villages: [village] })
  }
  return [...groups.values()]
}

export async function issueVouchers (trx: Db, request: IssueRequest, asOf: string): Promise<IssueReport> {
  ensureNotOver(request.halfYear, asOf, 'body.halfYear')
  if (request.projectId !== undefined) await checkProject(trx, request.projectId)
  const rules: RuleUsed[] = []
  for (const { rule, villages } of await villagesByRule(trx, request.regionCode)) {
    const used: RuleUsed = {
      ruleRegion: rule.source,
      profile: rule.profile,
      basis: rule.source ? `地区规则 ${rule.source} (region rule)` : rule.voucherCategories.length > 0 ? `${rule.profile} 默认：${VOUCHER_SOURCE}` : `${rule.profile ?? '无政策配置'}：未设培训券 (no voucher by default)`,
      categories: rule.voucherCategories,
      schoolStages: rule.voucherSchoolStages,
      villages: villages.length,
      eligible: 0,
      issued: 0
    }
    rules.push(used)
    if (rule.voucherCategories.length === 0 || rule.voucherSchoolStages.length === 0) continue
    const eligible = trx.selectFrom('persons as p').innerJoin('households as h', 'h.id', 'p.household_id')
      .where('h.region_code', 'in', villages).where('h.status', 'in', IN_FORCE)
      .where('h.category', 'in', rule.voucherCategories).where('p.school_stage', 'in', rule.voucherSchoolStages).where('p.left_on', 'is', null)
    const counted = await eligible.select(eb => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
    const inserted = await trx.insertInto('vouchers').columns(['person_id', 'household_id', 'region_code', 'half_year', 'project_id'])
      .expression(eligible.select(eb => ['p.id', 'h.id', 'h.region_code', eb.val(request.halfYear).as('half_year'), sql<number | null>`${request.projectId ?? null}::bigint`.as('project_id')]))
      .onConflict(oc => oc.columns(['person_id', 'half_year']).doNothing()).returning('id').execute()
    used.eligible = Number(counted.n)
    used.issued = inserted.length
  }
  const eligible = rules.reduce((n, r) => n + r.eligible, 0)
  const issued = rules.reduce((n, r) => n + r.issued, 0)
  return { halfYear: request.halfYear, regionCode: request.regionCode, projectId: request.projectId ?? null, eligible, issued, alreadyHeld: eligible - issued, rules }
}
