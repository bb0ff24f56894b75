// What a new decision would change against the household's current one: its category, status
// and 渐退期, the parameters and the income figure, and each person's category and flags —
// in words a clerk reads before deciding to reclassify. Persons are matched by their id.
import { CATEGORY_NAMES, type CategoryOrNone } from '../domain.js'

/** The parts of a decision a comparison looks at. */
export interface ComparedDecision {
  category: string
  profileVersion: string
  perCapitaMonthlyIncome: number
  /** The household's status and 渐退期 end with this decision. */
  status: string
  gradualExitUntil: string | null
  members: ReadonlyArray<ComparedMember>
}

export interface ComparedMember {
  /** Null when the person was not on record as such (a decision from before persons were recorded). */
  personId: number | null
  category: string
  reason: string
  illnessImpoverished?: boolean | undefined
  lowIncomeFarmer?: boolean | undefined
}

export interface Change {
  field: 'category' | 'status' | 'gradualExitUntil' | 'profileVersion' | 'perCapitaMonthlyIncome'
  from: string | number | null
  to: string | number | null
  /** The change in words. */
  says: string
}

export interface MemberChange {
  personId: number
  /** joined: no outcome in the current decision; left: none in the new one; changed: another category or flag. */
  kind: 'joined' | 'left' | 'changed'
  from: string | null
  to: string | null
  /** The new reason (or, for one who left, the last). */
  reason: string
  says: string
}

export interface Comparison {
  /** Nothing would change. */
  same: boolean
  changes: Change[]
  members: MemberChange[]
}

const name = (category: string | null) => category === null ? '（无）' : CATEGORY_NAMES[category as CategoryOrNone] ?? category

const FLAGS = [
  ['illnessImpoverished', '因病致贫重病患者'],
  ['lowIncomeFarmer', '低收入农户']
] as const

/** What `next` changes against `current` (null when the household has no decision yet). */
export function compareDecisions (current: ComparedDecision | null, next: ComparedDecision): Comparison {
  const changes: Change[] = []
  const field = (key: Change['field'], label: string, format: (value: string | number | null) => string) => {
    const from = current === null ? null : current[key]
    const to = next[key]
    if (from !== to) changes.push({ field: key, from, to, says: `${label}：${format(from)} → ${format(to)}` })
  }
  field('category', '家庭类别', value => name(value as string | null))
  field('status', '状态', value => value === null ? '（无）' : String(value))
  field('gradualExitUntil', '渐退期截止日期', value => value === null ? '（无）' : String(value))
  field('profileVersion', '参数版本', value => value === null ? '（无）' : String(value))
  field('perCapitaMonthlyIncome', '核算人均月收入（元）', value => value === null ? '（无）' : String(value))

  const members: MemberChange[] = []
  const before = new Map<number, ComparedMember>()
  for (const m of current?.members ?? []) if (m.personId !== null) before.set(m.personId, m)
  for (const m of next.members) {
    if (m.personId === null) continue
    const was = before.get(m.personId)
    before.delete(m.personId)
    if (was === undefined) {
      members.push({ personId: m.personId, kind: 'joined', from: null, to: m.category, reason: m.reason, says: `${name(m.category)}（现行决定中没有此人的认定）` })
      continue
    }
    const flags = FLAGS.flatMap(([key, label]) => (was[key] ?? false) === (m[key] ?? false) ? [] : [`${m[key] === true ? '成为' : '不再是'}${label}`])
    if (was.category === m.category && flags.length === 0) continue
    const category = was.category === m.category ? [] : [`${name(was.category)} → ${name(m.category)}`]
    members.push({ personId: m.personId, kind: 'changed', from: was.category, to: m.category, reason: m.reason, says: [...category, ...flags].join('；') })
  }
  for (const [personId, was] of before) {
    members.push({ personId, kind: 'left', from: was.category, to: null, reason: was.reason, says: `不再计入本户（原为${name(was.category)}）` })
  }
  return { same: changes.length === 0 && members.length === 0, changes, members }
}
