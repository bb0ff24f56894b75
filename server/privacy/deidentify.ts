// What a donor or the public may learn about a person in need: a polite masked title (张同学,
// 李奶奶), an age band instead of an age, and a story with phone numbers, ID numbers,
// addresses and the family's names taken out. Pure functions; publication (needs/wishes.ts
// with privacy/k-anonymity.ts) decides which band and place to show so that the result is
// k-anonymous.
import type { Sex } from '../../matching/domain.js'

/** Two-character surnames, so that 欧阳明 becomes 欧阳同学 rather than 欧同学. */
const COMPOUND_SURNAMES = new Set(['欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐', '夏侯', '长孙', '宇文', '司徒', '端木', '独孤', '南宫', '西门', '澹台', '轩辕', '呼延', '申屠', '钟离', '闻人'])

export function surnameOf (fullName: string): string {
  const chars = Array.from(fullName.trim())
  const two = chars.slice(0, 2).join('')
  return chars.length > 2 && COMPOUND_SURNAMES.has(two) ? two : chars[0] ?? ''
}

/** Age bands, fine then wide; a band is [from, to) years with its label. */
export const AGE_BANDS = {
  fine: [[0, 3], [3, 6], [6, 12], [12, 15], [15, 18], [18, 45], [45, 60], [60, 70], [70, 80], [80, 200]],
  wide: [[0, 18], [18, 60], [60, 200]]
} as const satisfies Record<string, ReadonlyArray<readonly [number, number]>>
export type AgeBandLevel = keyof typeof AGE_BANDS

/** The band [from, to) years an age falls in. */
export function bandOf (age: number, level: AgeBandLevel): readonly [number, number] {
  return AGE_BANDS[level].find(([from, to]) => age >= from && age < to) ?? [age, age + 1]
}

export function ageBand (age: number, level: AgeBandLevel): string {
  const [from, to] = bandOf(age, level)
  return to >= 200 ? `${from}岁以上` : `${from}-${to - 1}岁`
}

/**
 * Surname and a form of address that says no more than the age band shown with it (so that a
 * widened band is not undone by the title): 小朋友 for a band under six, 同学 for a band of
 * school-age minors, 家孩子 for the wide band of all minors (0-17岁), 先生/女士 for adults and
 * 爷爷/奶奶 for the bands from sixty. The true age and school stage are not read: a
 * kindergarten child of six is shown 6-11岁 and called 同学, like every child of that band.
 */
export function maskedTitle (fullName: string, sex: Sex, age: number, level: AgeBandLevel): string {
  const surname = surnameOf(fullName) || '某'
  const [from, to] = bandOf(age, level)
  if (from < 18) return `${surname}${to <= 6 ? '小朋友' : from >= 6 ? '同学' : '家孩子'}`
  if (from >= 60) return `${surname}${sex === 'male' ? '爷爷' : '奶奶'}`
  return `${surname}${sex === 'male' ? '先生' : '女士'}`
}

/** What the scrubber puts where it took something out. */
export const REDACTED = '【已隐去】'

const PATTERNS: RegExp[] = [
  // Resident ID numbers, whole or partly masked (33050319800101123X, 33050319800101****).
  /(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[0-9*]{3}[0-9Xx*](?![0-9A-Za-z])/g,
  /(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\**(?![0-9A-Za-z])/g,
  // Mobile numbers, with or without +86 and separators, and landlines (0572-1234567).
  /(?:\+?86[- ]?)?(?<!\d)1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)/g,
  /(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)/g,
  // Any other run of seven or more digits could be an account, a card or a house number.
  /\d{7,}/g,
  // "家住…", "住在…", "地址…": everything up to the end of the clause.
  /(?:家住|住在|住址[:：]?|地址[:：]?|现住)[^，。；！？,.;!?\n]*/g,
  // Street addresses: …路/街/巷/弄 with a number, …村/组/号/室/栋/幢/单元 with numbers.
  /[\u4e00-\u9fa5A-Za-z0-9]{0,12}(?:路|街|巷|弄|大道)\d+号(?:[\u4e00-\u9fa5A-Za-z0-9-]{0,10}(?:室|栋|幢|单元|楼))?/g,
  /[\u4e00-\u9fa5]{0,8}(?:村|社区)[\u4e00-\u9fa5\d]{0,6}\d+(?:组|号|幢|栋|室)(?:\d+号)?/g
]

/**
 * The story with personal details taken out: ID numbers, phone numbers, long digit runs,
 * addresses, and each of the given names (the family's full and given names). Names of
 * anyone else — a neighbour, a teacher, a doctor — are not recognised: the register knows
 * only the family's, so staff must leave other people's names out of what they write.
 */
export function scrubStory (story: string, names: readonly string[]): string {
  let text = story
  for (const pattern of PATTERNS) text = text.replace(pattern, REDACTED)
  // Longest first, so that 张小明 goes before 小明 leaves a dangling 张.
  const distinct = [...new Set(names.map(n => n.trim()).filter(n => Array.from(n).length >= 2))].sort((a, b) => b.length - a.length)
  for (const name of distinct) text = text.split(name).join(REDACTED)
  return text.replace(new RegExp(`(?:${REDACTED})+`, 'g'), REDACTED)
}

/** The given name (名) of a full name, for scrubbing: 张小明 → 小明. */
export function givenNameOf (fullName: string): string {
  return fullName.trim().slice(surnameOf(fullName).length)
}
