// Resident identity numbers (居民身份证号码, GB 11643-1999): 6-digit region code, 8-digit
// birth date, 3-digit sequence (odd for men, even for women) and an ISO 7064 MOD 11-2 check
// character. Messages are written for a clerk correcting a roster.
import { isCalendarDay } from './dates.js'

export interface ResidentId {
  /** Normalised: 18 characters, upper-case X. */
  id: string
  regionCode: string
  birthDate: string
  sex: 'male' | 'female'
  checksum: string
}

export type ResidentIdErrorCode = 'format' | 'birth_date' | 'region' | 'checksum'

export type ParsedResidentId =
  | { ok: true, value: ResidentId }
  | { ok: false, error: { code: ResidentIdErrorCode, message: string } }

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK_CHARACTERS = '10X98765432'

/**
 * GB/T 2260 province-level codes (the first two digits). Only the province is checked: the
 * address code is where a person was first registered, often not where they live now, so it
 * need not match the household's village.
 */
const PROVINCES = new Set(['11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82'])

export function residentIdCheckDigit (first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * (WEIGHTS[i] as number)
  return CHECK_CHARACTERS[sum % 11] as string
}

export interface ParseOptions {
  /** Birth dates after this day (YYYY-MM-DD) are refused. */
  asOf?: string
}

export function parseResidentId (text: string, options: ParseOptions = {}): ParsedResidentId {
  const id = text.trim().toUpperCase()
  const fail = (code: ResidentIdErrorCode, message: string): ParsedResidentId => ({ ok: false, error: { code, message } })
  if (!/^[0-9]{17}[0-9X]$/.test(id)) {
    return fail('format', `身份证号应为 18 位（前 17 位为数字，最后一位为数字或 X），实为“${text.trim()}”`)
  }
  const regionCode = id.slice(0, 6)
  if (!PROVINCES.has(id.slice(0, 2))) {
    return fail('region', `身份证号前两位 ${id.slice(0, 2)} 不是任何省级行政区划代码（GB/T 2260，如浙江 33、湖北 42），请核对前 6 位地址码`)
  }
  const year = Number(id.slice(6, 10))
  const month = Number(id.slice(10, 12))
  const day = Number(id.slice(12, 14))
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`
  if (!isCalendarDay(year, month, day)) return fail('birth_date', `身份证号中的出生日期 ${id.slice(6, 14)} 不是有效日期`)
  if (year < 1900) return fail('birth_date', `身份证号中的出生日期 ${birthDate} 早于 1900 年`)
  if (options.asOf !== undefined && birthDate > options.asOf) return fail('birth_date', `身份证号中的出生日期 ${birthDate} 晚于 ${options.asOf}`)
  const expected = residentIdCheckDigit(id.slice(0, 17))
  const checksum = id.slice(17)
  if (checksum !== expected) return fail('checksum', `身份证号校验位错误：应为 ${expected}，实为 ${checksum}`)
  const sex = (id.charCodeAt(16) - 48) % 2 === 1 ? 'male' : 'female'
  return { ok: true, value: { id, regionCode, birthDate, sex, checksum } }
}

/** Builds a valid number: `sequence3` is 0–999 without the sex digit rule; sex fixes its parity. */
export function makeResidentId (regionCode: string, birthDate: string, sequence3: number, sex: 'male' | 'female'): string {
  let sequence = sequence3 % 1000
  if ((sequence % 2 === 1) !== (sex === 'male')) sequence = sequence === 999 ? 998 : sequence + 1
  const first17 = `${regionCode}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`
  return first17 + residentIdCheckDigit(first17)
}
