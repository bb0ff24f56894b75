// Leaving assistance: the 渐退期 (gradual exit) after income rises, and how long people who
// were refused, exited or temporarily assisted stay in the database as other monitored objects.
import type { ParameterVersion } from './parameters.js'
import { resolveParameters } from './parameters.js'
import { profileOf } from './profiles.js'
import type { TraceStep } from './evaluate.js'

/** First day of the month `months` after the month of `date` (YYYY-MM-DD or YYYY-MM). */
function monthStart (date: string, months: number): string {
  const year = Number(date.slice(0, 4))
  const month = Number(date.slice(5, 7)) - 1 + months
  const d = new Date(Date.UTC(year, month, 1))
  return d.toISOString().slice(0, 10)
}

function dayBefore (date: string): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() - 1)
  return d.toISOString().slice(0, 10)
}

function addYears (date: string, years: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCFullYear(d.getUTCFullYear() + years)
  return d.toISOString().slice(0, 10)
}

export interface GradualExitInput {
  profile: string
  asOf: string
  /** The month (YYYY-MM) in which per-capita income first exceeded the line. */
  incomeExceededIn: string
  propertyCompliant: boolean
  /** Day the change was discovered (for exits without a gradual period). */
  discoveredOn: string
  /** Gansu grants its gradual exit to employed 低保 members only. */
  employedDibao?: boolean
  staffVersions?: readonly ParameterVersion[]
}

export interface GradualExitResult {
  /** Last day of benefits under the gradual exit; null when there is none. */
  gradualExitUntil: string | null
  /** First day outside assistance. */
  exitFrom: string
  trace: TraceStep
}

export function gradualExit (input: GradualExitInput): GradualExitResult {
  const profile = profileOf(input.profile)
  const source = profile.sources.gradual_exit
  const months = resolveParameters(profile.id, profile.parameters, input.staffVersions ?? [], input.asOf).values.gradualExitMonths
  const noExit = (reason: string): GradualExitResult => {
    const exitFrom = monthStart(input.discoveredOn, 1)
    return { gradualExitUntil: null, exitFrom, trace: { rule: 'gradual_exit', label: '渐退期', result: false, inputs: { reason, discoveredOn: input.discoveredOn, exitFrom }, source: source ?? '' } }
  }
  if (source === undefined || months === undefined) return noExit('该政策文件未规定渐退期 (no gradual exit in this document)')
  if (!input.propertyCompliant) return noExit('财产超标的不享受渐退期，自发现之日次月起退出')
  if (profile.id === 'gansu-2023' && !input.employedDibao) return noExit('甘肃仅对已就业的低保对象给予渐退期')
  const start = monthStart(input.incomeExceededIn, 1)
  const exitFrom = monthStart(start, months)
  return {
    gradualExitUntil: dayBefore(exitFrom),
    exitFrom,
    trace: {
      rule: 'gradual_exit', label: '渐退期', result: true,
      inputs: { incomeExceededIn: input.incomeExceededIn.slice(0, 7), countedFrom: start, gradualExitMonths: months, until: dayBefore(exitFrom) },
      source
    }
  }
}

export type MonitoredReason = 'temporary_assistance' | 'refused' | 'exited'

const WINDOW_KEY = {
  temporary_assistance: 'temporaryAssistanceWindowYears',
  refused: 'refusedWindowYears',
  exited: 'exitedWindowYears'
} as const

export interface MonitoredWindowResult {
  monitored: boolean
  /** Last day the person stays in the database on this ground; null when the profile has no such window. */
  until: string | null
  trace: TraceStep
}

/** Does someone refused / exited / temporarily assisted on `on` still count as another monitored object on `asOf`? */
export function monitoredWindow (profileId: string, reason: MonitoredReason, on: string, asOf: string, staffVersions: readonly ParameterVersion[] = []): MonitoredWindowResult {
  const profile = profileOf(profileId)
  const years = resolveParameters(profile.id, profile.parameters, staffVersions, asOf).values[WINDOW_KEY[reason]]
  const source = profile.sources.monitored_windows ?? ''
  if (years === undefined) {
    return { monitored: false, until: null, trace: { rule: 'monitored_windows', label: '其他监测对象', result: false, inputs: { reason, on, note: '该政策文件未规定此类监测期限' }, source } }
  }
  const until = dayBefore(addYears(on, years))
  const monitored = on <= asOf && asOf <= until
  return { monitored, until, trace: { rule: 'monitored_windows', label: '其他监测对象', result: monitored, inputs: { reason, on, years, until, asOf }, source } }
}
