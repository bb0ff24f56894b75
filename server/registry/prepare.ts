// Checks one household as a clerk would (ID numbers, one head, a known village), encrypts
// its personal data and classifies it, producing rows for bulk-write.ts or a list of
// problems. The registry API and the import both go through here, so a household is
// judged the same way however it arrives.
import { parseResidentId } from '../../matching/resident-id.js'
import type { RegistryHouseholdInput } from '../schemas/household.js'
import { blindIndex, encrypt, maskName, type PiiKeys } from '../privacy/pii.js'
import type { PreparedDecision, PreparedHousehold, PreparedPerson } from './bulk-write.js'
import type { HouseholdFacts } from './classify.js'

export interface Problem {
  /** Dotted path into the household input, e.g. members.1.idNumber. */
  field: string
  code: string
  message: string
}

export interface PrepareContext {
  keys: PiiKeys
  asOf: string
  isVillage: (regionCode: string) => boolean
  /** The village is a 行政村 (true), an urban community (false), or its name does not say (null). */
  administrativeVillage: (regionCode: string) => boolean | null
  classify: (regionCode: string, facts: HouseholdFacts) => PreparedDecision
}

export type RegistryMemberInput = RegistryHouseholdInput['members'][number]

export function prepareHousehold (input: RegistryHouseholdInput, externalKey: string | null, context: PrepareContext): { prepared?: PreparedHousehold, problems: Problem[] } {
  const problems: Problem[] = []
  if (!context.isVillage(input.regionCode)) {
    problems.push({ field: 'regionCode', code: 'unknown_region', message: `村（社区）代码 ${input.regionCode} 不存在或不在您的辖区 (unknown village, or outside your region)` })
  }
  problems.push(...statusProblems(input.status ?? 'active', input.gradualExitUntil))
  const heads = input.members.filter(member => member.relation === 'head').length
  if (heads !== 1) {
    problems.push({ field: 'members', code: 'one_head', message: `每户须有且只有一名户主，现有 ${heads} 名 (exactly one head)` })
  }
  const { members, facts, problems: memberProblems } = prepareMembers(input.members, context, index => `members.${index}`)
  problems.push(...memberProblems)
  if (problems.length > 0) return { problems }

  const decision = context.classify(input.regionCode, {
    annualIncome: input.annualIncome,
    previousAnnualIncome: input.previousAnnualIncome,
    rigidExpenses: input.rigidExpenses,
    propertyCompliant: input.propertyCompliant,
    propertyCheckedOn: input.propertyCheckedOn,
    povertyMonitoring: input.povertyMonitoring,
    hardships: input.hardships,
    caseByCase: input.caseByCase,
    administrativeVillage: context.administrativeVillage(input.regionCode),
    members: facts
  })
  return {
    problems,
    prepared: {
      externalKey,
      regionCode: input.regionCode,
      addressEncrypted: input.address ? encrypt(context.keys, input.address) : null,
      phoneEncrypted: input.phone ? encrypt(context.keys, input.phone) : null,
      annualIncome: input.annualIncome,
      previousAnnualIncome: input.previousAnnualIncome ?? null,
      medicalExpense: input.rigidExpenses.medical,
      educationExpense: input.rigidExpenses.education,
      otherExpense: input.rigidExpenses.other ?? 0,
      propertyCompliant: input.propertyCompliant,
      propertyCheckedOn: input.propertyCheckedOn ?? null,
      povertyMonitoring: input.povertyMonitoring,
      hardships: input.hardships,
      status: input.status ?? 'active',
      statusSince: input.statusSince ?? context.asOf,
      gradualExitUntil: input.gradualExitUntil ?? null,
      caseByCase: input.caseByCase,
      members,
      decision
    }
  }
}

/**
 * Checks and encrypts members as a clerk would: each ID number valid and not repeated among
 * them. `field` names a member in the problems (members.1, addMembers.0).
 */
export function prepareMembers (input: RegistryMemberInput[], context: Pick<PrepareContext, 'keys' | 'asOf'>, field: (index: number) => string): { members: PreparedPerson[], facts: HouseholdFacts['members'], problems: Problem[] } {
  const problems: Problem[] = []
  const seen = new Map<string, number>()
  const members: PreparedPerson[] = []
  const facts: HouseholdFacts['members'] = []
  input.forEach((member, index) => {
    const parsed = parseResidentId(member.idNumber, { asOf: context.asOf })
    if (!parsed.ok) {
      problems.push({ field: `${field(index)}.idNumber`, code: `id_${parsed.error.code}`, message: parsed.error.message })
      return
    }
    const id = parsed.value.id
    const earlier = seen.get(id)
    if (earlier !== undefined) {
      problems.push({ field: `${field(index)}.idNumber`, code: 'duplicate_id', message: `身份证号与第 ${earlier + 1} 名成员重复 (duplicate ID number in this household)` })
      return
    }
    seen.set(id, index)
    const monitoring = member.povertyMonitoring
    if (monitoring?.until != null && monitoring.until < monitoring.from) {
      problems.push({ field: `${field(index)}.povertyMonitoring.until`, code: 'ends_before_start', message: `监测结束日期 ${monitoring.until} 早于开始日期 ${monitoring.from} (monitoring ends before it starts)` })
      return
    }
    members.push(preparePerson(member, id, parsed.value.birthDate, parsed.value.sex, context.keys))
    facts.push({
      birthDate: parsed.value.birthDate,
      laborCapacity: member.laborCapacity,
      hasIncomeSource: member.hasIncomeSource,
      hasAbleSupporter: member.hasAbleSupporter,
      disability: member.disability ?? null,
      seriousIllness: member.seriousIllness,
      schoolStage: member.schoolStage ?? 'none',
      employed: member.employed,
      hukou: member.hukou ?? null,
      publicSector: member.publicSector ?? false,
      povertyMonitoring: monitoring ?? null
    })
  })
  return { members, facts, problems }
}

/** A gradual exit needs its last day, and only a gradual exit has one. */
export function statusProblems (status: string, gradualExitUntil: string | null | undefined): Problem[] {
  if (status === 'gradual_exit' && !gradualExitUntil) {
    return [{ field: 'gradualExitUntil', code: 'required', message: '状态为渐退期时须填写渐退期截止日期 (a gradual exit needs its end date)' }]
  }
  if (status !== 'gradual_exit' && gradualExitUntil) {
    return [{ field: 'gradualExitUntil', code: 'not_in_gradual_exit', message: '只有渐退期状态才有渐退期截止日期 (only a gradual exit has an end date)' }]
  }
  return []
}

function preparePerson (member: RegistryMemberInput, id: string, birthDate: string, sex: 'male' | 'female', keys: PiiKeys): PreparedPerson {
  return {
    relation: member.relation,
    nameEncrypted: encrypt(keys, member.name),
    maskedName: maskName(member.name),
    idNumberEncrypted: encrypt(keys, id),
    idBlindIndex: blindIndex(keys, id),
    birthDate,
    sex,
    laborCapacity: member.laborCapacity,
    hasIncomeSource: member.hasIncomeSource,
    hasAbleSupporter: member.hasAbleSupporter,
    disabilityLevel: member.disability?.level ?? null,
    disabilityKind: member.disability?.kind ?? null,
    seriousIllness: member.seriousIllness,
    illnessEncrypted: member.illness ? encrypt(keys, member.illness) : null,
    schoolStage: member.schoolStage ?? 'none',
    employed: member.employed,
    hukou: member.hukou ?? null,
    publicSector: member.publicSector ?? false,
    monitoredFrom: member.povertyMonitoring?.from ?? null,
    monitoredUntil: member.povertyMonitoring?.until ?? null
  }
}
