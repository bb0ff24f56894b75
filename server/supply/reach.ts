// Before a project is saved: how many households its rules reach, and whom the matcher would
// put first, with each score explained. The pure matcher (matching/rank.ts) on the population
// a proposal run of the project would load — its regions, as of today — so the preview and
// the first run agree. Nothing is stored; the people are shown as donors see them (a title
// such as 张同学, an age band and the town).
import type { Sex } from '../../matching/domain.js'
import { RULE_ORDER } from '../../matching/eligibility.js'
import { explainProposal, rank } from '../../matching/rank.js'
import { ageOn } from '../../matching/policy/index.js'
import type { Db } from '../db/database.js'
import { notFound } from '../http/errors.js'
import { ageBand, maskedTitle } from '../privacy/deidentify.js'
import { loadPopulation } from '../proposals/population.js'
import { projectSpec } from '../proposals/project.js'
import type { ReachPreview, ReachPreviewInput } from '../schemas/projects.js'

export const PREVIEW_TOP = 20

/** What the budget and capacity pay for: the budget over the cost per place, within the capacity (null: no cost per place). */
export function placesFor (input: Pick<ReachPreviewInput, 'budget' | 'unitCost' | 'perItemLimit' | 'capacity'>): number | null {
  const cost = input.unitCost ?? input.perItemLimit ?? null
  if (cost === null || cost <= 0) return null
  const byBudget = Math.floor((input.budget ?? 0) / Math.round(cost))
  return input.capacity != null ? Math.min(byBudget, input.capacity) : byBudget
}

export async function previewReach (db: Db, organisationId: number, input: ReachPreviewInput, asOf: string, top = PREVIEW_TOP): Promise<ReachPreview> {
  const organisation = await db.selectFrom('organisations').select('region_code').where('id', '=', organisationId).executeTakeFirst()
  if (!organisation) throw notFound('该慈善组织 (organisation)')
  const donor = input.fundingDonorId != null
    ? await db.selectFrom('donors').select('preferences').where('id', '=', input.fundingDonorId).executeTakeFirst()
    : undefined
  const spec = projectSpec({
    kind: input.kind,
    eligibility: input.eligibility ?? {},
    organisationRegion: organisation.region_code,
    score_weights: input.scoreWeights ?? {},
    donorPreferences: donor?.preferences ?? null
  })
  const population = await loadPopulation(db, { regionPrefixes: spec.scope }, asOf)
  const ranking = rank(population, spec, asOf, spec.weights, top)
  const ids = [...ranking.personIds]
  const persons = ids.length === 0
    ? []
    : await db.selectFrom('persons as p').innerJoin('households as h', 'h.id', 'p.household_id')
      .innerJoin('regions as town', join => join.on(eb => eb('town.code', '=', eb.fn<string>('left', [eb.ref('h.region_code'), eb.val(9)]))))
      .select(['p.id', 'p.masked_name', 'p.sex', 'p.birth_date', 'h.category', 'town.name as town']).where('p.id', 'in', ids).execute()
  const byId = new Map(persons.map(p => [p.id, p]))
  return {
    asOf,
    regionCodes: [...spec.scope],
    population: ranking.considered,
    eligible: ranking.eligible,
    households: ranking.households,
    excluded: RULE_ORDER.filter(rule => ranking.excluded[rule] > 0).map(rule => ({ rule, count: ranking.excluded[rule] })),
    places: placesFor(input),
    top: ids.map((personId, i) => {
      const person = byId.get(personId)
      const householdId = ranking.householdIds[i] as number
      const age = person ? ageOn(person.birth_date, asOf) : 0
      const explained = explainProposal(population, householdId, spec, ranking, spec.weights)
      return {
        rank: i + 1,
        title: person ? maskedTitle(person.masked_name, person.sex as Sex, age, 'fine') : '—',
        ageBand: ageBand(age, 'fine'),
        town: person?.town ?? '',
        category: person?.category ?? 'none',
        score: explained.score,
        factors: explained.factors
      }
    })
  }
}
