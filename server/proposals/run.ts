// A proposal run for one project: load the population of the project's regions, rank it
// (matching/rank), choose whom the remaining budget and capacity serve (matching/knapsack),
// and store the proposals with their explanations. A rerun replaces the open proposals of
// the project; confirmed ones stay, and people already confirmed or rejected for it are not
// proposed again.
import { explainProposal, rank, type ProjectSpec } from '../../matching/rank.js'
import { knapsack } from '../../matching/knapsack.js'
import type { ProjectRules } from '../../matching/eligibility.js'
import type { HelpKind } from '../../matching/domain.js'
import type { Db } from '../db/database.js'
import { loadPopulation } from './population.js'
import type { Population } from '../../matching/population.js'

export interface RunSummary {
  population: number
  eligible: number
  excluded: Record<string, number>
  proposed: number
  totalCost: number
  upperBound: number
  exact: boolean
}

/** How many of the best-ranked people the budget choice considers, per remaining place. */
const CANDIDATES_PER_PLACE = 4

/**
 * `population` lets a batch of runs (e.g. the nightly run over every open project) share one
 * population loaded once; a single run loads its project's regions itself.
 */
export async function runProposals (db: Db, runId: number, onProgress: (percent: number) => Promise<void> = async () => {}, population?: Population): Promise<RunSummary> {
  const run = await db.updateTable('proposal_runs').set({ status: 'running' }).where('id', '=', runId).returning(['project_id', 'as_of']).executeTakeFirstOrThrow()
  const project = await db.selectFrom('projects as p').innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select(['p.id', 'p.kind', 'p.budget', 'p.committed', 'p.unit_cost', 'p.capacity', 'p.eligibility', 'o.region_code'])
    .where('p.id', '=', run.project_id).executeTakeFirstOrThrow()
  const stored = (project.eligibility ?? {}) as Omit<ProjectRules, 'kind'>
  const rules: ProjectRules = { ...stored, kind: project.kind as HelpKind }
  const spec: ProjectSpec = { rules, near: project.region_code, urgency: 0 }
  const people = population ?? await loadPopulation(db, rules.regionCodes ?? [project.region_code], run.as_of)
  await onProgress(40)

  // Confirmed people hold their place; rejected ones were decided against for this project;
  // open applications wait for their own decision.
  const decided = await db.selectFrom('proposals').select(['person_id', 'status']).where('project_id', '=', project.id)
    .where(eb => eb.or([eb('status', 'in', ['confirmed', 'rejected']), eb.and([eb('status', '=', 'open'), eb('source', '=', 'application')])])).execute()
  const taken = new Set(decided.map(c => c.person_id))
  const confirmedCount = decided.filter(c => c.status === 'confirmed').length
  const placesLeft = Math.max(0, (project.capacity ?? people.size.persons) - confirmedCount)
  const ranking = rank(people, spec, run.as_of, undefined, placesLeft * CANDIDATES_PER_PLACE + taken.size)
  const unitCost = project.unit_cost ?? 0
  const candidates: Array<{ id: number, value: number, cost: number, person: number, household: number, rank: number }> = []
  for (let i = 0; i < ranking.personIds.length && candidates.length < placesLeft * CANDIDATES_PER_PLACE; i++) {
    const person = ranking.personIds[i] as number
    if (taken.has(person)) continue
    candidates.push({ id: candidates.length, value: ranking.scores[i] as number, cost: Math.round(unitCost), person, household: ranking.householdIds[i] as number, rank: i + 1 })
  }
  const choice = knapsack(candidates, Math.floor(project.budget - project.committed), placesLeft)
  await onProgress(70)

  const chosen = choice.chosen.map(id => candidates[id] as typeof candidates[number]).sort((a, b) => a.rank - b.rank)
  const regionOf = new Map(chosen.map(c => [c.household, people.get(c.household)?.regionCode ?? '']))
  const summary: RunSummary = {
    population: people.size.persons,
    eligible: ranking.eligible,
    excluded: ranking.excluded,
    proposed: chosen.length,
    totalCost: choice.totalCost,
    upperBound: choice.upperBound,
    exact: choice.exact
  }
  await db.transaction().execute(async trx => {
    await trx.updateTable('proposals').set({ status: 'superseded' }).where('project_id', '=', project.id).where('status', '=', 'open').where('source', '=', 'run').execute()
    for (let i = 0; i < chosen.length; i += 1000) {
      await trx.insertInto('proposals').values(chosen.slice(i, i + 1000).map(c => ({
        run_id: runId,
        project_id: project.id,
        household_id: c.household,
        person_id: c.person,
        region_code: regionOf.get(c.household) ?? '',
        rank: c.rank,
        score: c.value,
        cost: unitCost,
        explanation: JSON.stringify({ ...explainProposal(people, c.household, spec, ranking), budget: { remaining: project.budget - project.committed, chosenTotal: choice.totalCost, upperBound: choice.upperBound, exact: choice.exact } })
      }))).execute()
    }
    await trx.updateTable('proposal_runs').set({ status: 'completed', summary: JSON.stringify(summary), finished_at: new Date() }).where('id', '=', runId).execute()
  })
  await onProgress(100)
  return summary
}
