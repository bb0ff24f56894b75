// The schema of each department feed: its columns (Chinese headers, or the English field names
// that are also the JSON keys), which are required, and how each cell is read. Every bad cell
// is reported by line and field; a row with one is invalid and kept only as a problem.
import { hash } from 'node:crypto'
import { readDay } from '../../../matching/dates.js'
import { parseResidentId } from '../../../matching/resident-id.js'
import { FEED_KINDS, type FeedFacts, type FeedKind } from '../../../matching/monitoring/index.js'

export type FieldType = 'id' | 'date' | 'money' | 'text' | 'level' | 'disabilityKind'

export interface FeedField {
  field: string
  /** Accepted headers; the first is the template's. */
  headers: string[]
  type: FieldType
  required: boolean
  description: string
  example: string
}

const ID: FeedField = { field: 'idNumber', headers: ['身份证号', '公民身份号码', '身份证号码'], type: 'id', required: true, description: '居民身份证号码（18 位，校验位检查），按盲索引与数据库匹配', example: '330503198005010012' }
const NAME: FeedField = { field: 'name', headers: ['姓名'], type: 'text', required: false, description: '姓名（仅供核对，不保存）', example: '张三' }
const REFERENCE: FeedField = { field: 'reference', headers: ['业务编号', '单据号'], type: 'text', required: false, description: '部门业务编号：有则按它识别重复导入', example: 'YB2026-000123' }
const date = (headers: string[], description: string, example: string): FeedField => ({ field: 'occurredOn', headers, type: 'date', required: true, description, example })

export const FEED_FIELDS: Record<FeedKind, FeedField[]> = {
  unemployment: [ID, NAME, date(['登记日期', '失业登记日期'], '失业登记日期', '2026-02-03'), REFERENCE],
  medical: [ID, NAME, date(['结算日期', '就诊日期'], '医疗费用结算日期', '2026-02-10'),
    { field: 'outOfPocket', headers: ['自付金额', '个人自付'], type: 'money', required: true, description: '个人自付医疗费用（元）', example: '12500' },
    { field: 'totalCost', headers: ['医疗总费用', '总费用'], type: 'money', required: false, description: '医疗总费用（元）', example: '36000' }, REFERENCE],
  disability: [ID, NAME, date(['发证日期', '办证日期'], '残疾人证发证日期', '2026-01-20'),
    { field: 'level', headers: ['残疾等级'], type: 'level', required: true, description: '1–4（一级…四级）', example: '二级' },
    { field: 'disabilityKind', headers: ['残疾类别'], type: 'disabilityKind', required: true, description: '肢体、智力、精神、视力、听力、言语、多重', example: '肢体' }, REFERENCE],
  death: [ID, NAME, date(['死亡日期'], '死亡日期', '2026-01-28'), REFERENCE],
  disaster: [ID, NAME, date(['灾害日期', '受灾日期'], '受灾日期', '2026-01-15'),
    { field: 'loss', headers: ['损失金额', '财产损失'], type: 'money', required: true, description: '财产损失（元）', example: '18000' },
    { field: 'disasterKind', headers: ['灾害类型'], type: 'text', required: false, description: '如 洪涝、台风、火灾', example: '洪涝' }, REFERENCE],
  assistance: [ID, NAME, date(['救助日期', '发放日期'], '救助帮扶日期', '2026-02-01'),
    { field: 'assistanceKind', headers: ['救助类型'], type: 'text', required: true, description: '如 医疗救助、临时救助、就业救助、岗位推介', example: '医疗救助' },
    { field: 'value', headers: ['金额', '救助金额'], type: 'money', required: true, description: '金额（元；服务类填 0）', example: '3000' },
    { field: 'provider', headers: ['实施部门', '发放单位'], type: 'text', required: true, description: '实施救助的部门', example: '区医保局' },
    { ...REFERENCE, required: true, description: '部门业务编号（必填：按它写入救助链且只写一次）' }]
}

/** Other departments' help by its Chinese name, as the assistance chain's kinds. */
export const ASSISTANCE_KINDS: Record<string, string> = {
  医疗救助: 'medical_assistance', 临时救助: 'temporary_assistance', 教育救助: 'education_assistance', 住房救助: 'housing_assistance',
  就业救助: 'employment_assistance', 岗位推介: 'job_recommendation', 受灾人员救助: 'disaster_assistance', 残疾人补贴: 'disability_allowance'
}

const LEVELS: Record<string, number> = { 1: 1, 2: 2, 3: 3, 4: 4, 一级: 1, 二级: 2, 三级: 3, 四级: 4 }
const DISABILITY_KINDS: Record<string, string> = {
  肢体: 'physical', 智力: 'intellectual', 精神: 'mental', 视力: 'visual', 听力: 'hearing', 言语: 'speech', 多重: 'multiple',
  physical: 'physical', intellectual: 'intellectual', mental: 'mental', visual: 'visual', hearing: 'hearing', speech: 'speech', multiple: 'multiple'
}

export interface FeedProblem { line: number, field: string, code: string, reason: string }

export interface ParsedRecord {
  line: number
  idNumber: string
  reference: string | null
  facts: FeedFacts
}

const normalise = (header: string) => header.replace(/\s+/g, '').toLowerCase()

/** The field each header names (undefined: a column the feed does not read, ignored). */
export function mapFeedHeaders (kind: FeedKind, headers: string[]): { fields: Array<string | undefined>, problems: FeedProblem[] } {
  const byHeader = new Map<string, FeedField>()
  for (const spec of FEED_FIELDS[kind]) for (const name of [spec.field, ...spec.headers]) byHeader.set(normalise(name), spec)
  const fields = headers.map(h => byHeader.get(normalise(h))?.field)
  const problems = FEED_FIELDS[kind].filter(spec => spec.required && !fields.includes(spec.field))
    .map(spec => ({ line: 1, field: spec.headers[0] as string, code: 'missing_column', reason: `缺少必需列“${spec.headers[0]}”` }))
  return { fields, problems }
}

function cell (spec: FeedField, raw: string, asOf: string): { value?: string | number, code?: string, reason?: string } {
  const text = raw.trim()
  switch (spec.type) {
    case 'id': {
      const parsed = parseResidentId(text, { asOf })
      return parsed.ok ? { value: parsed.value.id } : { code: `id_${parsed.error.code}`, reason: parsed.error.message.replace(/\s*\([^()]*\)$/, '') }
    }
    case 'date': {
      const day = readDay(text)
      if (day === undefined) return { code: 'invalid_date', reason: `“${text}”不是日期，应写成 2026-02-03` }
      if (day > asOf) return { code: 'future_date', reason: `${day} 晚于今天` }
      return { value: day }
    }
    case 'money': {
      const amount = Number(text.replace(/[,，¥￥元\s]/g, ''))
      if (text === '' || !Number.isFinite(amount)) return { code: 'not_a_number', reason: `“${text}”不是金额` }
      if (amount < 0 || amount > 100_000_000) return { code: 'out_of_range', reason: `金额应在 0 到 1 亿元之间：${text}` }
      return { value: Math.round(amount * 100) / 100 }
    }
    case 'level': {
      const level = LEVELS[text]
      return level === undefined ? { code: 'invalid_level', reason: `残疾等级应为 1–4 或 一级…四级：“${text}”` } : { value: level }
    }
    case 'disabilityKind': {
      const kind = DISABILITY_KINDS[text]
      return kind === undefined ? { code: 'invalid_disability_kind', reason: `无法识别的残疾类别“${text}”` } : { value: kind }
    }
    case 'text':
      return text.length > 100 ? { code: 'too_long', reason: `${spec.headers[0]}最多 100 个字` } : { value: text }
  }
}

/** One row (field → text) read into a record, or its problems. */
export function parseFeedRow (kind: FeedKind, line: number, values: ReadonlyMap<string, string>, asOf: string): { record?: ParsedRecord, problems: FeedProblem[] } {
  const problems: FeedProblem[] = []
  const read: Record<string, string | number> = {}
  for (const spec of FEED_FIELDS[kind]) {
    const raw = values.get(spec.field)?.trim() ?? ''
    if (raw === '') {
      if (spec.required) problems.push({ line, field: spec.headers[0] as string, code: 'required', reason: `缺少${spec.headers[0]}` })
      continue
    }
    const parsed = cell(spec, raw, asOf)
    if (parsed.code) problems.push({ line, field: spec.headers[0] as string, code: parsed.code, reason: parsed.reason as string })
    else read[spec.field] = parsed.value as string | number
  }
  if (problems.length > 0) return { problems }
  const occurredOn = read.occurredOn as string
  const facts: FeedFacts = kind === 'medical' ? { kind, occurredOn, outOfPocket: read.outOfPocket as number, totalCost: (read.totalCost as number | undefined) ?? null }
    : kind === 'disability' ? { kind, occurredOn, level: read.level as 1 | 2 | 3 | 4, disabilityKind: read.disabilityKind as string }
      : kind === 'disaster' ? { kind, occurredOn, loss: read.loss as number, disasterKind: (read.disasterKind as string | undefined) ?? '' }
        : kind === 'assistance' ? {
          kind, occurredOn, assistanceKind: ASSISTANCE_KINDS[read.assistanceKind as string] ?? read.assistanceKind as string,
          value: read.value as number, provider: read.provider as string, reference: read.reference as string
        }
          : { kind, occurredOn }
  return { record: { line, idNumber: read.idNumber as string, reference: (read.reference as string | undefined) ?? null, facts }, problems }
}

/**
 * What identifies a record for idempotent re-import: the person (by the ID number's blind index,
 * itself a keyed hash, so this plain hash of it reveals no ID number) and the department's number,
 * else the record's content. One keyed hash per record, not two: at a million records a keyed
 * hash costs seconds.
 */
export function recordKey (kind: FeedKind, record: ParsedRecord, idIndex: Buffer): Buffer {
  const { kind: _kind, ...facts } = record.facts
  const rest = record.reference ? `ref:${record.reference}` : JSON.stringify(facts)
  return hash('sha256', Buffer.concat([idIndex, Buffer.from(`|${kind}|${rest}`)]), 'buffer') as Buffer
}

/** 330503198005010012 → 330503********0012: enough to find the row in the department's own file. */
export const maskIdNumber = (id: string) => `${id.slice(0, 6)}********${id.slice(14)}`

export function isFeedKind (value: string): value is FeedKind {
  return (FEED_KINDS as readonly string[]).includes(value)
}
