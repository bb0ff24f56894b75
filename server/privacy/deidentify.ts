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

export type RemovalKind = 'id_number' | 'phone' | 'digits' | 'address' | 'name'

/** One thing the scrubber took out: what it was, and the text as it was typed. */
export interface Removal {
  kind: RemovalKind
  text: string
}

export interface Scrubbed {
  text: string
  removed: Removal[]
}

/**
 * Numbers are looked for in a reading of the text in which every character is NFKC-normalised
 * (full-width １３８ and Ｘ, circled ①, the ideographic space), the Chinese digits 〇零一…九 and
 * 幺 are digits, and the separators people type between digits (spaces, hyphens and dashes,
 * dots between groups are not: they make decimals) are left out — so 138 0572 1234,
 * １３８－０５７２－１２３４ and 一三八〇五七二一二三四 are all 13805721234. What is found is taken out
 * of the text as typed.
 */
const DIGIT_PATTERNS: Array<[RemovalKind, RegExp]> = [
  // Resident ID numbers, whole or partly masked (33050319800101123X, 33050319800101****).
  ['id_number', /(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[0-9*]{3}[0-9Xx*](?![0-9A-Za-z])/g],
  ['id_number', /(?<![0-9A-Za-z])\d{6}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\**(?![0-9A-Za-z])/g],
  // Mobile numbers, with or without +86, and landlines (0572-1234567).
  ['phone', /(?<![\d+])(?:\+?86)?1[3-9]\d{9}(?!\d)/g],
  ['phone', /(?<!\d)0\d{2,3}\d{7,8}(?!\d)/g],
  // Any other run of seven or more digits could be an account, a card or a house number
  // (a date typed with separators, 2025-06-30, is not one: see DATE).
  ['digits', /\d{7,}/g]
]

/** A date as typed (2025-06-30, 2025/6/30, 2025.06.30): its digits join into a run, but it stays. */
const DATE = /^(?:1[89]|20)\d{2}([-/.])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])$/

const ADDRESS_PATTERNS: RegExp[] = [
  // "家住…", "住在…", "地址…": everything up to the end of the clause.
  /(?:家住|住在|住址[:：]?|地址[:：]?|现住)[^，。；！？,.;!?\n]*/g,
  // Street addresses: …路/街/巷/弄 with a number, …村/组/号/室/栋/幢/单元 with numbers.
  /[\u4e00-\u9fa5A-Za-z0-9]{0,12}(?:路|街|巷|弄|大道)\d+号(?:[\u4e00-\u9fa5A-Za-z0-9-]{0,10}(?:室|栋|幢|单元|楼))?/g,
  /[\u4e00-\u9fa5]{0,8}(?:村|社区)[\u4e00-\u9fa5\d]{0,6}\d+(?:组|号|幢|栋|室)(?:\d+号)?/g
]

const CHINESE_DIGITS: Record<string, string> = { 〇: '0', 零: '0', 一: '1', 幺: '1', 二: '2', 三: '3', 四: '4', 五: '5', 六: '6', 七: '7', 八: '8', 九: '9' }
/** What people type between the digits of one number (after NFKC: － is -, the ideographic space a space). */
const SEPARATOR = /[\s\-‐‑‒–—―_·・/()]/
const DIGITISH = /[0-9Xx*]/
/** At most this many separators in a row still join two groups of digits. */
const MAX_SEPARATORS = 3

/** A reading of the original text: each of its characters knows the span of the original it came from. */
interface Reading { text: string, from: number[], to: number[] }

/** Per code point: NFKC, and (for numbers) the Chinese digits as digits. */
function read (original: string, chineseDigits: boolean): Reading {
  const reading: Reading = { text: '', from: [], to: [] }
  for (let i = 0; i < original.length;) {
    const codePoint = String.fromCodePoint(original.codePointAt(i)!)
    const normal = (chineseDigits ? CHINESE_DIGITS[codePoint] : undefined) ?? codePoint.normalize('NFKC')
    for (const unit of normal.split('')) {
      reading.text += unit
      reading.from.push(i)
      reading.to.push(i + codePoint.length)
    }
    i += codePoint.length
  }
  return reading
}

/** The reading without the separators that stand between digits. */
function joinDigits (reading: Reading): Reading {
  const joined: Reading = { text: '', from: [], to: [] }
  for (let i = 0; i < reading.text.length; i++) {
    if (SEPARATOR.test(reading.text[i]!) && DIGITISH.test(joined.text.at(-1) ?? '')) {
      let next = i
      while (next < reading.text.length && next - i < MAX_SEPARATORS && SEPARATOR.test(reading.text[next]!)) next++
      if (DIGITISH.test(reading.text[next] ?? '')) { i = next - 1; continue }
    }
    joined.text += reading.text[i]
    joined.from.push(reading.from[i]!)
    joined.to.push(reading.to[i]!)
  }
  return joined
}

interface Span { from: number, to: number, kind: RemovalKind }

/**
 * Where `pattern` matches the reading, leaving out what earlier patterns took (`taken`, by
 * original position) and matches whose typed text `keep` keeps.
 */
function spansOf (reading: Reading, pattern: RegExp, kind: RemovalKind, taken: boolean[], keep: (typed: Span) => boolean = () => false): Span[] {
  // A taken character reads as U+FFFC, which no pattern matches: like the text it stands for, it is gone.
  const text = Array.from(reading.text, (char, i) => taken[reading.from[i]!] ? '\uFFFC' : char).join('')
  const spans = [...text.matchAll(pattern)].filter(m => m[0].length > 0)
    .map(m => ({ from: reading.from[m.index]!, to: reading.to[m.index + m[0].length - 1]!, kind }))
    .filter(span => !keep(span))
  for (const span of spans) taken.fill(true, span.from, span.to)
  return spans
}

/**
 * The text with personal details taken out — ID numbers, phone numbers, long digit runs,
 * addresses, and each of the given names (the family's full and given names) — and what was
 * taken out. The patterns apply in that order, each to what the ones before left. Names of
 * anyone else — a neighbour, a teacher, a doctor — are not recognised: the register knows only
 * the family's, so staff must leave other people's names out of what they write.
 */
export function scrub (original: string, names: readonly string[]): Scrubbed {
  const numbers = joinDigits(read(original, true))
  const places = read(original, true)
  const plain = read(original, false)
  // Longest first, so that 张小明 goes before 小明 leaves a dangling 张.
  const distinct = [...new Set(names.map(n => n.trim().normalize('NFKC')).filter(n => Array.from(n).length >= 2))].sort((a, b) => b.length - a.length)
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const taken: boolean[] = Array.from({ length: original.length }, () => false)
  const spans = [
    ...DIGIT_PATTERNS.flatMap(([kind, pattern]) => spansOf(numbers, pattern, kind, taken, span => kind === 'digits' && DATE.test(original.slice(span.from, span.to).normalize('NFKC')))),
    ...ADDRESS_PATTERNS.flatMap(pattern => spansOf(places, pattern, 'address', taken)),
    ...distinct.flatMap(name => spansOf(plain, new RegExp(escape(name), 'g'), 'name', taken))
  ].sort((a, b) => a.from - b.from)
  // Touching spans show as one mark (nothing between them to keep apart), but each is reported.
  const merged: Span[] = []
  for (const span of spans) {
    const last = merged.at(-1)
    if (last && span.from <= last.to) last.to = Math.max(last.to, span.to)
    else merged.push({ ...span })
  }
  let text = ''
  let at = 0
  for (const span of merged) {
    text += original.slice(at, span.from) + REDACTED
    at = span.to
  }
  return { text: text + original.slice(at), removed: spans.map(span => ({ kind: span.kind, text: original.slice(span.from, span.to) })) }
}

/** The text with personal details taken out (see `scrub`). */
export function scrubStory (story: string, names: readonly string[]): string {
  return scrub(story, names).text
}

/** The given name (名) of a full name, for scrubbing: 张小明 → 小明. */
export function givenNameOf (fullName: string): string {
  return fullName.trim().slice(surnameOf(fullName).length)
}
