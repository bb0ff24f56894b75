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
import { matchingProjectQuery, projectSpec } from './project.js'
import { conflict } from '../http/errors.js'

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
  /**
   * The candidates the budget and places left out (eligible and ranked among the best, not
   * chosen): how many, and the best LEFT_OUT_KEPT of them, best first — what a bigger budget
   * would have served next.
   */
  leftOut?: { count: number, items: Array<{ personId: number, householdId: number, rank: number, score: number }> }
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
/** How many of the candidates left out a run's summary names. */
export const LEFT_OUT_KEPT = 50
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
  const project = await matchingProjectQuery(db).where('p.id', '=', run.project_id).executeTakeFirstOrThrow()
  const costPerPlace = placeCost(project)
  const spec = projectSpec(project)
  const people = await live?.current(run.as_of) ?? await loadPopulation(db, { regionPrefixes: spec.scope }, run.as_of)
  const inScope = personsInScope(people, spec.scope)
  await report({ percent: 40, population: inScope })

  // Confirmed people and open applications hold their places (and applications their amounts);
  // rejected and cancelled ones were decided against for this project.
  const perHousehold = onePlacePerHousehold(spec.rules.kind)
  const placeOf = (p: { person: number, household: number }) => perHousehold ? p.household : p.person
  const decided = await decisionsOf(db, project.id)
  const taken = new Set(decided.map(placeOf))
  const holding = decided.filter(d => d.status !== 'rejected' && d.status !== 'cancelled')
  const placesLeft = Math.max(0, (project.capacity ?? inScope) - holding.length)
  const budgetLeft = Math.max(0, Math.floor(project.budget - project.committed - sum(holding.filter(d => d.status === 'open').map(d => d.cost))))
  const ranking = rank(people, spec, run.as_of, spec.weights, placesLeft * CANDIDATES_PER_PLACE + taken.size)
  const candidates: Array<{ id: number, value: number, cost: number, person: number, household: number, rank: number }> = []
  for (let i = 0; i < ranking.personIds.length && candidates.length < placesLeft * CANDIDATES_PER_PLACE; i++) {
    const person = ranking.personIds[i] as number
    const household = ranking.householdIds[i] as number
    if (taken.has(placeOf({ person, household }))) continue
    candidates.push({ id: candidates.length, value: ranking.scores[i] as number, cost: costPerPlace, person, household, rank: i + 1 })
  }
  const choice = knapsack(candidates, budgetLeft, placesLeft)
  await report({ percent: 70, eligible: ranking.eligible })

  const tags = helpTags(spec.rules)
  const budget = { remaining: budgetLeft, candidates: candidates.length, chosenTotal: choice.totalCost, upperBound: choice.upperBound, exact: choice.exact }
  const chosen = await db.transaction().execute(async trx => {
    // One writer per project: a second run, or a confirmation (which locks this row to commit
    // the budget), waits; whoever was decided for the project meanwhile is not proposed again.
    await trx.selectFrom('projects').select('id').where('id', '=', project.id).forUpdate().execute()
    const decidedMeanwhile = new Set((await decisionsOf(trx, project.id)).map(placeOf))
    const fresh = choice.chosen.map(id => candidates[id] as typeof candidates[number]).filter(c => !decidedMeanwhile.has(placeOf(c))).sort((a, b) => a.rank - b.rank)
    await trx.updateTable('proposals').set({ status: 'superseded' }).where('project_id', '=', project.id).where('status', '=', 'open').where('source', '=', 'run').execute()
    for (let i = 0; i < fresh.length; i += WRITE_BATCH) {
      await trx.insertInto('proposals').values(fresh.slice(i, i + WRITE_BATCH).map(c => ({
        run_id: runId,
        project_id: project.id,
        household_id: c.household,
        person_id: c.person,
        region_code: people.get(c.household)?.regionCode ?? '',
        rank: c.rank,
        score: c.value,
        cost: costPerPlace,
        tags,
        explanation: JSON.stringify({ ...explainProposal(people, c.household, spec, ranking, spec.weights), budget })
      }))).execute()
      const written = Math.min(fresh.length, i + WRITE_BATCH)
      await report({ percent: 70 + Math.floor(29 * written / fresh.length), proposed: written })
    }
    const summary: RunSummary = {
      population: ranking.considered,
      eligible: ranking.eligible,
      excluded: ranking.excluded,
      candidates: candidates.length,
      proposed: fresh.length,
      totalCost: sum(fresh.map(c => c.cost)),
      upperBound: choice.upperBound,
      exact: choice.exact && fresh.length === choice.chosen.length,
      leftOut: leftOutOf(candidates, choice.chosen)
    }
    await trx.updateTable('proposal_runs').set({ status: 'completed', summary: JSON.stringify(summary), finished_at: new Date() }).where('id', '=', runId).execute()
    return { rows: fresh, summary }
  })
  await report({ percent: 100, proposed: chosen.rows.length })
  return chosen.summary
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0)

/** The candidates the choice did not take, best ranked first (see RunSummary.leftOut). */
export function leftOutOf (candidates: ReadonlyArray<{ id: number, person: number, household: number, rank: number, value: number }>, chosen: readonly number[]): NonNullable<RunSummary['leftOut']> {
  const taken = new Set(chosen)
  const left = candidates.filter(c => !taken.has(c.id)).sort((a, b) => a.rank - b.rank)
  return { count: left.length, items: left.slice(0, LEFT_OUT_KEPT).map(c => ({ personId: c.person, householdId: c.household, rank: c.rank, score: c.value })) }
}

/** Who was decided for the project: confirmed, rejected or cancelled, and open applications (with what they ask for). */
function decisionsOf (db: Db, projectId: number) {
  return db.selectFrom('proposals').select(['person_id as person', 'household_id as household', 'status', 'cost']).where('project_id', '=', projectId)
    .where(eb => eb.or([eb('status', 'in', ['confirmed', 'rejected', 'cancelled']), eb.and([eb('status', '=', 'open'), eb('source', '=', 'application')])])).execute()
}

/**
 * What one place costs the project: its unit cost, else its per-item limit (the most one place
 * may take). A project with neither cannot be shared out within its budget.
 */
export function placeCost (project: { unit_cost: number | null, per_item_limit: number | null }): number {
  const cost = project.unit_cost ?? project.per_item_limit
  if (cost === null) throw conflict('no_cost_basis', '项目未设每人（户）成本或单项限额，无法在预算内生成推荐 (the project has neither a unit cost nor a per-item limit)')
  return Math.round(cost)
}
