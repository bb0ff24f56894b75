// A proposal run for one project: take the population (the worker's live one for today's
// runs, else the project's regions loaded for the run's day), rank the project's regions
// (matching/rank), choose whom the remaining budget and capacity serve (matching/knapsack),
// and store the proposals with their explanations. A rerun replaces the open proposals of
// the project; confirmed ones and open applications keep their places, and people (for a fund
// or a dream room: households) already decided for it are not proposed again.
import { onePlacePerHousehold } from '../../matching/domain.js'
import { helpTags } from '../../matching/duplicate-help.js'
import { explainProposal, rank } from '../../matching/rank.js'
import { knapsack } from '../../matching/knapsack.js'
import { personsInScope } from '../../matching/eligibility.js'
import type { Db } from '../db/database.js'
import type { LivePopulation } from './live-population.js'
import { loadPopulation } from './population.js'
import { projectSpec } from './project.js'

export interface RunSummary {
  population: number
  eligible: number
  excluded: Record<string, number>
  /** The best-ranked people the budget choice chose among (CANDIDATES_PER_PLACE per place left). */
  candidates: number
  proposed: number
  totalCost: number
  upperBound: number
  /** Optimal among the candidates (not over everyone eligible). */
  exact: boolean
}

/** What a running job reports: how far, and the counts so far (null: not counted yet). */
export interface RunProgress {
  percent: number
  population: number | null
  eligible: number | null
  proposed: number
}

/** How many of the best-ranked people the budget choice considers, per remaining place. */
const CANDIDATES_PER_PLACE = 4
const WRITE_BATCH = 1000

/** `live`: the worker's population, which serves the runs for its day; without it a run loads its project's regions. */
export async function runProposals (db: Db, runId: number, onProgress: (progress: RunProgress) => Promise<void> = async () => {}, live?: LivePopulation): Promise<RunSummary> {
  const run = await db.updateTable('proposal_runs').set({ status: 'running' }).where('id', '=', runId).returning(['project_id', 'as_of']).executeTakeFirstOrThrow()
  const progress: RunProgress = { percent: 5, population: null, eligible: null, proposed: 0 }
  const report = async (changes: Partial<RunProgress>) => {
    Object.assign(progress, changes)
    await onProgress({ ...progress })
  }
  await report({})
  const project = await db.selectFrom('projects as p').innerJoin('organisations as o', 'o.id', 'p.organisation_id')
    .select(['p.id', 'p.kind', 'p.budget', 'p.committed', 'p.unit_cost', 'p.capacity', 'p.eligibility', 'o.region_code as organisationRegion'])
    .where('p.id', '=', run.project_id).executeTakeFirstOrThrow()
  const spec = projectSpec(project)
  const people = await live?.current(run.as_of) ?? await loadPopulation(db, { regionPrefixes: spec.scope }, run.as_of)
  const inScope = personsInScope(people, spec.scope)
  await report({ percent: 40, population: inScope })

  // Confirmed people and open applications hold their places; rejected and cancelled ones were
  // decided against for this project. A fund or a room is one place per household.
  const perHousehold = onePlacePerHousehold(spec.rules.kind)
  const decided = await db.selectFrom('proposals').select(['person_id', 'household_id', 'status']).where('project_id', '=', project.id)
    .where(eb => eb.or([eb('status', 'in', ['confirmed', 'rejected', 'cancelled']), eb.and([eb('status', '=', 'open'), eb('source', '=', 'application')])])).execute()
  const taken = new Set(decided.map(d => perHousehold ? d.household_id : d.person_id))
  const holding = decided.filter(d => d.status === 'confirmed' || d.status === 'open').length
  const placesLeft = Math.max(0, (project.capacity ?? inScope) - holding)
  const ranking = rank(people, spec, run.as_of, undefined, placesLeft * CANDIDATES_PER_PLACE + taken.size)
  const unitCost = project.unit_cost ?? 0
  const candidates: Array<{ id: number, value: number, cost: number, person: number, household: number, rank: number }> = []
  for (let i = 0; i < ranking.personIds.length && candidates.length < placesLeft * CANDIDATES_PER_PLACE; i++) {
    const person = ranking.personIds[i] as number
    const household = ranking.householdIds[i] as number
    if (taken.has(perHousehold ? household : person)) continue
    candidates.push({ id: candidates.length, value: ranking.scores[i] as number, cost: Math.round(unitCost), person, household, rank: i + 1 })
  }
  const choice = knapsack(candidates, Math.floor(project.budget - project.committed), placesLeft)
  await report({ percent: 70, eligible: ranking.eligible })

  const chosen = choice.chosen.map(id => candidates[id] as typeof candidates[number]).sort((a, b) => a.rank - b.rank)
  const summary: RunSummary = {
    population: ranking.considered,
    eligible: ranking.eligible,
    excluded: ranking.excluded,
    candidates: candidates.length,
    proposed: chosen.length,
    totalCost: choice.totalCost,
    upperBound: choice.upperBound,
    exact: choice.exact
  }
  const tags = helpTags(spec.rules)
  const budget = { remaining: project.budget - project.committed, candidates: candidates.length, chosenTotal: choice.totalCost, upperBound: choice.upperBound, exact: choice.exact }
  await db.transaction().execute(async trx => {
    await trx.updateTable('proposals').set({ status: 'superseded' }).where('project_id', '=', project.id).where('status', '=', 'open').where('source', '=', 'run').execute()
    for (let i = 0; i < chosen.length; i += WRITE_BATCH) {
      await trx.insertInto('proposals').values(chosen.slice(i, i + WRITE_BATCH).map(c => ({
        run_id: runId,
        project_id: project.id,
        household_id: c.household,
        person_id: c.person,
        region_code: people.get(c.household)?.regionCode ?? '',
        rank: c.rank,
        score: c.value,
        cost: unitCost,
        tags,
        explanation: JSON.stringify({ ...explainProposal(people, c.household, spec, ranking), budget })
      }))).execute()
      const written = Math.min(chosen.length, i + WRITE_BATCH)
      await report({ percent: 70 + Math.floor(29 * written / chosen.length), proposed: written })
    }
    await trx.updateTable('proposal_runs').set({ status: 'completed', summary: JSON.stringify(summary), finished_at: new Date() }).where('id', '=', runId).execute()
  })
  await report({ percent: 100, proposed: chosen.length })
  return summary
}
