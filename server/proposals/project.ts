// A project as the matcher reads it, the same for a run, an application and a confirmation.
import type { HelpKind } from '../../matching/domain.js'
import type { ProjectRules } from '../../matching/eligibility.js'
import type { ProjectSpec } from '../../matching/rank.js'
import { DEFAULT_WEIGHTS, type DonorFitPreferences, type Weights } from '../../matching/score.js'
import type { Db } from '../db/database.js'

/** The stored eligibility (its tags included) with the project's kind. */
export const projectRules = (project: { kind: string, eligibility: unknown }): ProjectRules =>
  ({ ...(project.eligibility ?? {}) as Omit<ProjectRules, 'kind'>, kind: project.kind as HelpKind })

/** The regions a project serves: those its rules name, else its organisation's. */
export const projectScope = (project: { kind: string, eligibility: unknown, organisationRegion: string }): readonly string[] =>
  projectRules(project).regionCodes ?? [project.organisationRegion]

/** A project with what its matching reads: the organisation's region and the funding donor's preferences. */
export function matchingProjectQuery (db: Db) {
  return db.selectFrom('projects as p').innerJoin('organisations as o', 'o.id', 'p.organisation_id').leftJoin('donors as d', 'd.id', 'p.funding_donor_id')
    .select(['p.id', 'p.kind', 'p.status', 'p.budget', 'p.committed', 'p.unit_cost', 'p.per_item_limit', 'p.capacity', 'p.eligibility', 'p.score_weights',
      'o.region_code as organisationRegion', 'd.preferences as donorPreferences'])
}

interface MatchingProject { kind: string, eligibility: unknown, organisationRegion: string, score_weights: unknown, donorPreferences: unknown }

/** What a funding donor's stated preferences say about households (their other preferences are about wishes). */
function donorOf (preferences: unknown): DonorFitPreferences | null {
  if (preferences === null || preferences === undefined) return null
  const { regionCodes = [], hardships = [] } = preferences as { regionCodes?: string[], hardships?: DonorFitPreferences['hardships'] }
  return { regionCodes, hardships }
}

/**
 * Near the organisation's region, and over the project's regions (the organisation's when it
 * names none); the project's own weights where it sets them; the funding donor's preferences
 * as donor fit (none: donor fit is 0 for everyone, and the explanation says so); urgency from
 * the kind (training vouchers: how far into the half-year).
 */
export function projectSpec (project: MatchingProject): ProjectSpec & { scope: readonly string[], weights: Weights } {
  const rules = projectRules(project)
  return {
    rules,
    near: project.organisationRegion,
    scope: projectScope(project),
    weights: { ...DEFAULT_WEIGHTS, ...project.score_weights as Partial<Weights> | null },
    donor: donorOf(project.donorPreferences)
  }
}
