// Groups parsed roster rows into households (rows of one household are contiguous and
// share 户编号) and builds the same input the registry API accepts, remembering which line
// and column every value came from so that later problems can be reported there.
import type { RegistryHouseholdInput } from '../../schemas/household.js'
import type { Problem } from '../prepare.js'
import { COLUMNS } from './columns.js'
import type { CellValue, RowProblem } from './rows.js'

export interface ParsedRow {
  line: number
  values: Record<string, CellValue>
}

export interface RosterHousehold {
  key: string
  lines: number[]
  input?: RegistryHouseholdInput
  problems: RowProblem[]
}

const headerOf = (field: string, headers: Map<string, string>) =>
  headers.get(field) ?? COLUMNS.find(c => c.field === field)?.headers[0] ?? field

/** Builds the household from its rows; `headers` maps field → header as written in the file. */
export function assembleHousehold (key: string, rows: ParsedRow[], headers: Map<string, string>): RosterHousehold {
  const first = rows[0]
  const lines = rows.map(row => row.line)
  if (!first) return { key, lines, problems: [] }
  const problems: RowProblem[] = []
  const need = (field: string): CellValue | undefined => {
    const value = first.values[field]
    if (value === undefined) {
      problems.push({ line: first.line, column: headerOf(field, headers), code: 'required', reason: `户的第一行须填写“${headerOf(field, headers)}” (required on the household's first row)` })
    }
    return value
  }
  const regionCode = need('regionCode')
  const annualIncome = need('annualIncome')
  const propertyCompliant = need('propertyCompliant')
  if (typeof regionCode === 'string' && !/^[0-9]{12}$/.test(regionCode)) {
    problems.push({ line: first.line, column: headerOf('regionCode', headers), code: 'bad_region_code', reason: `村（社区）代码应为 12 位数字：“${regionCode}” (expected 12 digits)` })
  }
  if (problems.length > 0 || annualIncome === undefined || propertyCompliant === undefined) return { key, lines, problems }

  const flag = (values: Record<string, CellValue>, field: string) => values[field] === true
  const level = first.values
  const input: RegistryHouseholdInput = {
    regionCode: String(level.regionCode),
    address: String(level.address ?? ''),
    phone: String(level.phone ?? ''),
    annualIncome: Number(annualIncome),
    ...(typeof level.previousAnnualIncome === 'number' ? { previousAnnualIncome: level.previousAnnualIncome } : {}),
    rigidExpenses: { medical: Number(level.medicalExpense ?? 0), education: Number(level.educationExpense ?? 0), other: Number(level.otherExpense ?? 0) },
    propertyCompliant: propertyCompliant === true,
    ...(typeof level.propertyCheckedOn === 'string' ? { propertyCheckedOn: level.propertyCheckedOn } : {}),
    povertyMonitoring: flag(level, 'povertyMonitoring'),
    hardships: (level.hardships as string[] | undefined ?? []) as RegistryHouseholdInput['hardships'],
    ...(typeof level.status === 'string' ? { status: level.status as RegistryHouseholdInput['status'] } : {}),
    ...(typeof level.statusSince === 'string' ? { statusSince: level.statusSince } : {}),
    ...(typeof level.gradualExitUntil === 'string' ? { gradualExitUntil: level.gradualExitUntil } : {}),
    caseByCase: false,
    members: rows.map(({ values }) => ({
      name: String(values.name),
      idNumber: String(values.idNumber),
      relation: values.relation as RegistryHouseholdInput['members'][number]['relation'],
      laborCapacity: values.laborCapacity as RegistryHouseholdInput['members'][number]['laborCapacity'],
      // Blank reads as "yes", as in the API: 无生活来源 and 无赡养人 must be written down.
      hasIncomeSource: values.hasIncomeSource !== false,
      hasAbleSupporter: values.hasAbleSupporter !== false,
      disability: typeof values.disabilityLevel === 'number' && typeof values.disabilityKind === 'string'
        ? { level: values.disabilityLevel, kind: values.disabilityKind as never }
        : null,
      seriousIllness: flag(values, 'seriousIllness'),
      ...(typeof values.illness === 'string' ? { illness: values.illness } : {}),
      schoolStage: (values.schoolStage ?? 'none') as RegistryHouseholdInput['members'][number]['schoolStage'],
      employed: flag(values, 'employed'),
      hukou: typeof values.hukou === 'string' ? values.hukou as 'rural' | 'urban' : null,
      publicSector: flag(values, 'publicSector'),
      povertyMonitoring: typeof values.monitoredFrom === 'string'
        ? { from: values.monitoredFrom, until: typeof values.monitoredUntil === 'string' ? values.monitoredUntil : null }
        : null
    }))
  }
  rows.forEach(({ line, values }) => {
    if ((values.disabilityLevel === undefined) !== (values.disabilityKind === undefined)) {
      problems.push({ line, column: headerOf(values.disabilityLevel === undefined ? 'disabilityLevel' : 'disabilityKind', headers), code: 'disability_incomplete', reason: '残疾等级与残疾类别须同时填写 (level and kind go together)' })
    }
    if (values.monitoredUntil !== undefined && values.monitoredFrom === undefined) {
      problems.push({ line, column: headerOf('monitoredFrom', headers), code: 'monitoring_incomplete', reason: '填写了监测结束日期，须同时填写监测开始日期 (an end needs its start)' })
    }
  })
  return problems.length > 0 ? { key, lines, problems } : { key, lines, input, problems }
}

/** Maps a problem found in the assembled household (members.2.idNumber) back to its line and column. */
export function locateProblem (problem: Problem, household: RosterHousehold, headers: Map<string, string>): RowProblem {
  const [head, index, member, part] = problem.field.split('.')
  const memberLine = head === 'members' && index !== undefined ? household.lines[Number(index)] : undefined
  const line = memberLine ?? household.lines[0] ?? 0
  // The API's povertyMonitoring.from / .until are the roster's two date columns.
  const field = member === 'povertyMonitoring' ? (part === 'until' ? 'monitoredUntil' : 'monitoredFrom') : member
  const column = head === 'members' ? (field ? headerOf(field, headers) : headerOf('relation', headers)) : headerOf(head ?? '', headers)
  return { line, column, code: problem.code, reason: problem.message }
}
