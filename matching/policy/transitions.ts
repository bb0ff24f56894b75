// Leaving assistance: the 渐退期 (gradual exit) after income rises, and how long people who
// were refused, exited or temporarily assisted stay in the database as other monitored objects.
import { addDays, monthStart, periodEnd } from '../dates.js'
import { resolveParameters, type ParameterVersion } from './parameters.js'
import { DOCUMENTS, profileOf, type Citation, type Profile } from './profiles.js'
import { citedStep, traceStep, type TraceStep } from './trace.js'

/** Nanxun 三(一) is the only document that says when a household without a gradual exit leaves. */
const EXIT_TIMING: Citation = { source: `${DOCUMENTS['nanxun-2025']} 三(一)` }
const borrowedTiming = (profile: Profile, why: string): Citation => profile.id === 'nanxun-2025'
  ? EXIT_TIMING
  : { source: EXIT_TIMING.source, note: `${why}；退出时间沿用南浔 三(一)“自发现之日次月起” (exit timing borrowed from Nanxun 三(一))` }

export interface GradualExitInput {
  profile: string
  asOf: string
  /** The category the household is leaving. */
  from: 'dibao' | 'dibao_edge'
  /** The month (YYYY-MM) in which per-capita income first exceeded the line; null when not recorded. */
  incomeExceededIn: string | null
  propertyCompliant: boolean
  /** Day the change was discovered: the property check that found property over the limit, or the reclassification. */
  discoveredOn: string
  /** Gansu grants its gradual exit to employed 低保 members only. */
  employed?: boolean
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
  const noExit = (citation: Citation, reason: string): GradualExitResult => {
    const exitFrom = monthStart(input.discoveredOn, 1)
    return { gradualExitUntil: null, exitFrom, trace: citedStep(citation, 'gradual_exit', false, { from: input.from, reason, discoveredOn: input.discoveredOn, exitFrom }) }
  }
  const own = profile.rules.gradual_exit as Citation
  if (profile.gradualExitFrom.length === 0) return noExit(own, '该政策文件未规定渐退期 (no gradual exit in this document)')
  if (!profile.gradualExitFrom.includes(input.from)) {
    const reason = '该政策文件的渐退期只适用于低保家庭 (only dibao households get a gradual exit here)'
    return noExit(borrowedTiming(profile, `${own.source}：${reason}`), reason)
  }
  if (!input.propertyCompliant) {
    const reason = '财产超标的不享受渐退期，自发现之日次月起退出 (property over the limit: no gradual exit)'
    return noExit(borrowedTiming(profile, `${own.source} 只对收入超标给予渐退期，未规定财产超标的处理`), reason)
  }
  if (profile.id === 'gansu-2023' && input.employed !== true) {
    return noExit(borrowedTiming(profile, `${own.source} 仅对已就业的低保对象给予渐退期`), '甘肃仅对已就业的低保对象给予渐退期 (Gansu: employed dibao members only)')
  }
  const months = resolveParameters(profile.id, profile.parameters, input.staffVersions ?? [], input.asOf).values.gradualExitMonths as number
  // Nanxun: "从收入实际超标的次月起计算"; without the month on record, the month of this decision.
  const exceeded = input.incomeExceededIn ?? input.asOf.slice(0, 7)
  const start = monthStart(exceeded, 1)
  const exitFrom = monthStart(start, months)
  const until = addDays(exitFrom, -1)
  const step = traceStep(profile, 'gradual_exit', true, {
    from: input.from, incomeExceededIn: exceeded.slice(0, 7), countedFrom: start, gradualExitMonths: months, until,
    ...(input.incomeExceededIn === null ? { incomeExceededInAssumed: '收入超标月份未记录，按本次认定所在月份计 (month not recorded: this decision\'s month)' } : {}),
    ...(profile.id === 'nanxun-2025' ? {} : { countingBorrowed: `起算月沿用南浔 ${EXIT_TIMING.source}“从收入实际超标的次月起计算” (start borrowed from Nanxun)` })
  })
  return { gradualExitUntil: until, exitFrom, trace: step }
}

export type MonitoredReason = 'temporary_assistance' | 'refused' | 'exited'

const WINDOW_KEY = {
  temporary_assistance: 'temporaryAssistanceWindowYears',
  refused: 'refusedWindowYears',
  exited: 'exitedWindowYears'
} as const

export interface MonitoredWindowResult {
  monitored: boolean
  /** Last day the household stays in the database on this ground; null when the profile has no such window. */
  until: string | null
  trace: TraceStep
}

/** Does someone refused / exited / temporarily assisted on `on` still count as another monitored object on `asOf`? */
export function monitoredWindow (profileId: string, reason: MonitoredReason, on: string, asOf: string, staffVersions: readonly ParameterVersion[] = []): MonitoredWindowResult {
  const profile = profileOf(profileId)
  const years = resolveParameters(profile.id, profile.parameters, staffVersions, asOf).values[WINDOW_KEY[reason]]
  if (years === undefined) {
    return {
      monitored: false,
      until: null,
      trace: traceStep(profile, 'monitored_windows', false, { reason, on, asOf, window: '本文件未规定此类对象的留库期限 (no such window in this document)' })
    }
  }
  const until = periodEnd(on, years * 12)
  const monitored = on <= asOf && asOf <= until
  return { monitored, until, trace: traceStep(profile, 'monitored_windows', monitored, { reason, on, years, until, asOf }) }
}

export type MonitoringGround = MonitoredReason | 'other_monitored'

export interface MonitoringResult extends MonitoredWindowResult {
  ground: MonitoringGround
}

/**
 * Whether a household outside the low-income categories (status refused, exited or
 * monitored_other) is still another monitored object on `asOf` (Nanxun 四(二), Hubei 三(二)):
 * refused and exited count from the day the status began; temporary assistance from its
 * latest entry. Households helped by departments or found by town staff (monitored_other
 * without temporary assistance) have no window in any document: they stay until staff change them.
 */
export function monitoring (profileId: string, status: 'refused' | 'exited' | 'monitored_other', since: string, asOf: string,
  lastTemporaryAssistanceOn: string | null, staffVersions: readonly ParameterVersion[] = []): MonitoringResult {
  const assisted = lastTemporaryAssistanceOn === null ? null : { ground: 'temporary_assistance' as const, ...monitoredWindow(profileId, 'temporary_assistance', lastTemporaryAssistanceOn, asOf, staffVersions) }
  if (status !== 'monitored_other') {
    const byStatus = { ground: status, ...monitoredWindow(profileId, status, since, asOf, staffVersions) }
    return !byStatus.monitored && assisted?.monitored === true ? assisted : byStatus
  }
  if (assisted !== null) return assisted
  const profile = profileOf(profileId)
  return {
    ground: 'other_monitored',
    monitored: true,
    until: null,
    trace: traceStep(profile, 'monitored_windows', true, { reason: 'other_monitored', on: since, asOf, window: '相关部门帮扶、镇（街道）主动发现等对象：文件未规定期限，至工作人员调整状态为止 (no window: until staff change the status)' })
  }
}
