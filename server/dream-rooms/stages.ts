// The rules of a dream room's life, without I/O: four stages in a fixed order, each closed by
// evidence of what it produced, their default due dates, and who counts as a child.
import type { SchoolStage } from '../../matching/domain.js'
import { invalid } from '../http/errors.js'
import { addDays } from '../../matching/dates.js'

export const STAGES = ['survey', 'design', 'build', 'handover'] as const
export type Stage = (typeof STAGES)[number]
export const ROOM_STAGES = [...STAGES, 'completed', 'cancelled'] as const
export type RoomStage = (typeof ROOM_STAGES)[number]

/** Days after the survey by which each stage should be done when staff give no date. */
export const DEFAULT_DUE_DAYS: Record<Stage, number> = { survey: 14, design: 30, build: 75, handover: 90 }

/** The evidence that closes each stage, named in the refusal when it is missing. */
export const REQUIRED_EVIDENCE: Record<Stage, string> = {
  survey: '房间现状照片 (room photos)',
  design: '设计方案 (design plan)',
  build: '施工照片 (construction photos)',
  handover: '家庭签字的交付确认单 (signed handover sheet)'
}

export const isOpen = (stage: string): stage is Stage => (STAGES as readonly string[]).includes(stage)

export function nextStage (stage: Stage): RoomStage {
  return STAGES[STAGES.indexOf(stage) + 1] ?? 'completed'
}

/** Has the room reached `stage` (is it the current stage or behind it)? A completed room has reached them all. */
export function hasReached (current: string, stage: Stage): boolean {
  return current === 'completed' || (isOpen(current) && STAGES.indexOf(stage) <= STAGES.indexOf(current))
}

/**
 * A dream room is for a child: under 18 on the survey day, or still at school below college
 * (an 18-year-old in senior or vocational school studies at home; a college student mostly
 * does not).
 */
const SCHOOL_BELOW_COLLEGE: readonly SchoolStage[] = ['kindergarten', 'primary', 'junior', 'senior', 'vocational']
export function isChild (age: number, schoolStage: string): boolean {
  return age < 18 || (SCHOOL_BELOW_COLLEGE as readonly string[]).includes(schoolStage)
}

export type DueDates = Record<Stage, string>

export function defaultDueDates (surveyedOn: string): DueDates {
  return Object.fromEntries(STAGES.map(s => [s, addDays(surveyedOn, DEFAULT_DUE_DAYS[s])])) as DueDates
}

/**
 * 400 naming each given due date that falls before the survey day. Their order is not
 * enforced: a due date is a target to chase, and moving one must not force moving the rest.
 */
export function checkDueDates (given: Partial<DueDates>, surveyedOn: string, field: (stage: Stage) => string): void {
  const early = STAGES.filter(stage => given[stage] !== undefined && (given[stage] as string) < surveyedOn)
  if (early.length > 0) {
    throw invalid(early.map(stage => ({ field: field(stage), code: 'before_survey', message: `须不早于调查日 ${surveyedOn} (must not be before the survey day)` })))
  }
}
