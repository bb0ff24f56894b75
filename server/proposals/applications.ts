// Fund applications (issue 5: "a household applies for a charity fund project"): civil-affairs
// staff of the household's region apply on its behalf. The matcher checks the household
// against the project's rules exactly as a run would (a refusal names the rule), and the
// application becomes an open proposal (source 'application', unranked) with the same
// explanation, decided and fulfilled like any other; a rerun never supersedes it.
import { helpTags } from '../../matching/duplicate-help.js'
import { householdEligibility, RULE_NAMES, type EligibilityRule } from '../../matching/eligibility.js'
import { explainProposal, rank } from '../../matching/rank.js'
import type { Db } from '../db/database.js'
import { inScope, type RegionScope } from '../db/scope.js'
import { conflict, notFound } from '../http/errors.js'
import { loadPopulation } from './population.js'
import { matchingProjectQuery, projectSpec } from './project.js'
import type { SubmittedApplication } from '../schemas/proposals.js'

export interface Application {
  householdId: number
  /** The member applying; absent: the household's first eligible member (a fund is one place per household). */
  personId?: number
  statement: string
  /** Yuan asked for; absent: the project's unit cost. */
  amount?: number
}

async function fundOpenFor (trx: Db, projectId: number, amount: number | undefined) {
  const project = await matchingProjectQuery(trx).where('p.id', '=', projectId).executeTakeFirst()
  if (!project) throw notFound('该项目 (project)')
  if (project.kind !== 'fund') throw conflict('not_a_fund_project', '只有慈善基金项目接受申请 (only fund projects take applications)')
  if (project.status !== 'open') throw conflict('project_not_open', `项目当前为“${project.status}”状态，不接受申请 (the project is not open)`)
  const cost = amount ?? project.unit_cost
  if (cost === null) throw conflict('amount_required', '该项目没有统一标准，请填写申请金额 (the project has no unit cost; give an amount)')
  if (project.per_item_limit !== null && cost > project.per_item_limit) {
    throw conflict('over_item_limit', `申请金额超过单项上限 ${project.per_item_limit} 元 (over the per-item limit)`, [{ field: 'body.amount', code: 'over_item_limit', message: `≤ ${project.per_item_limit}` }])
  }
  return { project, cost }
}

export async function submitApplication (trx: Db, scope: RegionScope, projectId: number, application: Application, submittedBy: number | null, on: string): Promise<SubmittedApplication> {
  const { project, cost } = await fundOpenFor(trx, projectId, application.amount)
  // Locked like a confirmation locks it: one decision about a household at a time.
  const household = await trx.selectFrom('households').select(['id', 'region_code']).where('id', '=', application.householdId).forNoKeyUpdate().executeTakeFirst()
  if (!household || !inScope(scope, household.region_code)) throw notFound('该家庭 (household)')
  const live = await trx.selectFrom('proposals').select(['id', 'status']).where('project_id', '=', projectId)
    .where('household_id', '=', household.id).where('status', 'in', ['open', 'confirmed']).executeTakeFirst()
  if (live) throw conflict('already_proposed', `该家庭在本项目已有${live.status === 'open' ? '待确认' : '已确认'}的推荐（${live.id}）(the household already holds a proposal of this project)`, [{ code: 'already_proposed', message: `推荐 ${live.id}`, proposalId: live.id }])

  const spec = projectSpec(project)
  const population = await loadPopulation(trx, { householdId: household.id }, on)
  if (population.slot(household.id) === undefined) throw conflict('not_eligible', '该家庭没有登记成员 (the household has no members)')
  const members = householdEligibility(population, household.id, spec.rules, on)
  const asked = application.personId === undefined ? members : members.filter(m => m.personId === application.personId)
  if (asked.length === 0) throw conflict('person_not_in_household', '该成员不属于此家庭 (person is not a member of this household)')
  const person = asked.filter(m => m.failed === null).sort((a, b) => a.personId - b.personId)[0]
  if (!person) {
    const refusals = asked.map(m => ({ personId: m.personId, rule: m.failed as EligibilityRule }))
    const first = refusals[0]?.rule as EligibilityRule
    throw conflict('not_eligible', `不符合项目条件：${RULE_NAMES[first]} (not eligible: ${first})`, refusals.map(r => ({ code: r.rule, message: RULE_NAMES[r.rule], personId: r.personId })))
  }
  const explanation = explainProposal(population, household.id, spec, rank(population, spec, on, spec.weights), spec.weights)
  const row = await trx.insertInto('proposals').values({
    source: 'application', run_id: null, project_id: projectId, household_id: household.id, person_id: person.personId, region_code: household.region_code,
    rank: 0, score: explanation.score, cost, tags: helpTags(spec.rules), statement: application.statement, submitted_by: submittedBy,
    explanation: JSON.stringify({ ...explanation, application: { statement: application.statement, amount: cost } })
  }).returning('id').executeTakeFirstOrThrow()
  return { id: row.id, projectId, householdId: household.id, personId: person.personId, cost, score: explanation.score, status: 'open' }
}
