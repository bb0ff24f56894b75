// A project as the matcher reads it, the same for a run, an application and a confirmation.
import type { HelpKind } from '../../matching/domain.js'
import type { ProjectRules } from '../../matching/eligibility.js'
import type { ProjectSpec } from '../../matching/rank.js'

/** The stored eligibility (its tags included) with the project's kind. */
export const projectRules = (project: { kind: string, eligibility: unknown }): ProjectRules =>
  ({ ...(project.eligibility ?? {}) as Omit<ProjectRules, 'kind'>, kind: project.kind as HelpKind })

/**
 * Near the organisation's region, and over the project's regions (the organisation's when it
 * names none); urgency from the kind (training vouchers: how far into the half-year). No donor:
 * projects are not linked to a funding donor, so donor fit is 0 for everyone and the
 * explanation says so.
 */
export function projectSpec (project: { kind: string, eligibility: unknown, organisationRegion: string }): ProjectSpec & { scope: readonly string[] } {
  const rules = projectRules(project)
  return { rules, near: project.organisationRegion, scope: rules.regionCodes ?? [project.organisationRegion] }
}
