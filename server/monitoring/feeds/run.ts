// Runs one department feed: reads it, checks every row (invalid ones are kept as problems with
// the reason), matches each valid record to a current member of a registered household by the
// ID number's blind index (unmatched ones are kept, with the reason), stores each record once
// (importing the same records again creates nothing), writes other departments' assistance into
// the assistance chain (once, by the record), evaluates the warning rules and raises the
// warnings. Works in batches, each in its own transaction: an import that stops half way is
// simply run again — what it stored is recognised and skipped.
import type { Db } from '../../db/database.js'
import { sql } from 'kysely'
import { scopePattern, type RegionScope } from '../../db/scope.js'
import { blindIndex, type PiiKeys } from '../../privacy/pii.js'
import type { AuditActor } from '../../audit/chain.js'
import { CATEGORY_NAMES } from '../../../matching/domain.js'
import { monthsBefore, ymd, ymdText } from '../../../matching/dates.js'
import { evaluateRecord, FEED_KIND_NAMES, isLowIncome, RULE_SPECS, type FeedFacts, type FeedKind, type Finding } from '../../../matching/monitoring/index.js'
import { applyEffect, loadMonitoringContext, type MonitoringContext } from '../context.js'
import { householdsFacts } from '../../registry/decisions.js'
import { notifyRaised, raiseWarnings, type RaisedWarning, type WarningCandidate } from '../warnings.js'
import { maskIdNumber, parseFeedRow, recordKey, type FeedProblem, type ParsedRecord } from './columns.js'
import { RecordKeySet } from './key-set.js'
import { readFeed, type FeedFormat, type FeedRow } from './reader.js'

export interface FeedRunRequest {
  importId: number
  path: string
  format: FeedFormat
  kind: FeedKind
  scope: RegionScope
  asOf: string
  keys: PiiKeys
  actor?: AuditActor
  batchSize?: number
}

export interface FeedOutcome {
  rowsRead: number
  matched: number
  unmatched: number
  invalid: number
  alreadyImported: number
  warningsRaised: number
  chainEntries: number
  problems: FeedProblem[]
  raised: RaisedWarning[]
}

export const UNMATCHED_REASONS = {
  not_in_registry: '不在低收入人口监测数据库中',
  left_household: '该人员已不是在册家庭成员（已离开原家庭）',
  outside_region: '该人员不在您的辖区'
} as const

interface Pending { record: ParsedRecord, idIndex: Buffer, key: Buffer }

type Bill = { occurredOn: string, outOfPocket: number }

/** A stored record of this run, with what the rules read of its person and household when matched. */
interface Stored { id: number, line: number, match: Match | undefined, medicalHistory: Bill[] }

interface Match {
  personId: number
  householdId: number
  regionCode: string
  birthDate: string
  laborCapacity: 'full' | 'weak' | 'none'
  employed: boolean
  disabilityLevel: number | null
  disabilityKind: string | null
  category: string | null
  status: string
  currentMembers: number
}

export async function runFeed (db: Db, request: FeedRunRequest, onProgress: (rowsRead: number) => Promise<void> = async () => {}): Promise<FeedOutcome> {
  const context = await loadMonitoringContext(db, request.asOf)
  const run = new FeedRun(db, request, context)
  const progressEvery = 1000
  for await (const row of readFeed(request.path, request.format, request.kind)) {
    await run.read(row)
    if (run.outcome.rowsRead % progressEvery === 0) await onProgress(run.outcome.rowsRead)
  }
  await run.finish()
  await onProgress(run.outcome.rowsRead)
  if (run.outcome.raised.length > 0) {
    await notifyRaised(db, context, run.outcome.raised, `feed_import:${request.importId}`, `${FEED_KIND_NAMES[request.kind]}导入（第 ${request.importId} 批）`)
  }
  return run.outcome
}

class FeedRun {
  readonly outcome: FeedOutcome = { rowsRead: 0, matched: 0, unmatched: 0, invalid: 0, alreadyImported: 0, warningsRaised: 0, chainEntries: 0, problems: [], raised: [] }
  private pending: Pending[] = []
  /** Keys seen in this file: the same record twice in one file is a problem, not two records. */
  private readonly seen = new RecordKeySet()
  /** The batch being written: the next one is read and checked meanwhile (Node and PostgreSQL each on a core). */
  private writing: Promise<void> = Promise.resolve()
  private readonly actor: AuditActor

  constructor (private readonly db: Db, private readonly request: FeedRunRequest, private readonly context: MonitoringContext) {
    this.actor = request.actor ?? { id: null, name: 'system' }
  }

  async read (row: FeedRow): Promise<void> {
    if ('problem' in row) {
      // A header or file problem (line 1) reads no row; a bad JSON record is a row.
      if (row.problem.code !== 'missing_column' && row.problem.code !== 'invalid_json') { this.outcome.rowsRead++; this.outcome.invalid++ }
      this.outcome.problems.push(row.problem)
      return
    }
    this.outcome.rowsRead++
    const { record, problems } = parseFeedRow(this.request.kind, row.line, row.values, this.request.asOf)
    if (!record) {
      this.outcome.invalid++
      this.outcome.problems.push(...problems)
      return
    }
    const idIndex = blindIndex(this.request.keys, record.idNumber)
    const key = recordKey(this.request.kind, record, idIndex)
    const first = this.seen.firstLine(key, row.line)
    if (first !== undefined) {
      this.outcome.invalid++
      this.outcome.problems.push({ line: row.line, field: '', code: 'duplicate_in_file', reason: `与第 ${first} 行是同一条记录` })
      return
    }
    this.pending.push({ record, idIndex, key })
    if (this.pending.length >= (this.request.batchSize ?? 10_000)) await this.flush()
  }

  /**
   * Hands the pending records to the database once the batch before them is written (one batch
   * at a time, in order: a bill is judged with the bills of earlier batches). Returns without
   * waiting for this batch, so reading goes on; its failure surfaces at the next flush or finish.
   */
  async flush (): Promise<void> {
    if (this.pending.length === 0) return
    const batch = this.pending
    this.pending = []
    await this.writing
    this.writing = this.db.transaction().execute(trx => this.writeBatch(trx, batch))
    this.writing.catch(() => {}) // awaited at the next flush or at finish; not unhandled meanwhile
  }

  async finish (): Promise<void> {
    await this.flush()
    await this.writing
  }

  private async writeBatch (trx: Db, batch: Pending[]): Promise<void> {
    const stored = await storeBatch(trx, this.request, batch)
    this.outcome.alreadyImported += batch.length - stored.length
    const byLine = new Map(batch.map(p => [p.record.line, p.record]))
    const matched: Array<{ id: number, record: ParsedRecord, match: Match }> = []
    const history = new Map<number, Bill[]>()
    for (const { id, line, match, medicalHistory } of stored) {
      if (match === undefined) { this.outcome.unmatched++; continue }
      this.outcome.matched++
      matched.push({ id, record: byLine.get(line) as ParsedRecord, match })
      if (medicalHistory.length > 0) history.set(match.personId, medicalHistory)
    }
    if (this.request.kind === 'assistance') {
      this.outcome.chainEntries += await appendDepartmentHelp(trx, matched)
      return
    }
    const candidates = await this.evaluate(trx, matched, history)
    const raised = await raiseWarnings(trx, this.context, candidates, this.actor)
    this.outcome.warningsRaised += raised.length
    this.outcome.raised.push(...raised)
  }

  /** `history`: each person's medical bills stored before this batch; the batch's own are added in date order. */
  private async evaluate (trx: Db, matched: Array<{ id: number, record: ParsedRecord, match: Match }>, history: Map<number, Bill[]>): Promise<WarningCandidate[]> {
    // A person's bills in date order, each judged with the ones before it.
    matched.sort((a, b) => a.match.personId - b.match.personId || a.record.facts.occurredOn.localeCompare(b.record.facts.occurredOn) || a.record.line - b.record.line)
    // Persons outside the low-income population are reclassified with the record's effect: their households' facts, read at once.
    const outside = matched.filter(m => !isLowIncome(m.match))
    const factsByHousehold = await householdsFacts(trx, outside.map(m => m.match.householdId))
    const candidates: WarningCandidate[] = []
    for (const { id, record, match } of matched) {
      const profile = this.context.profileFor(match.regionCode)
      if (profile === undefined) continue
      const household = { householdId: match.householdId, category: match.category, status: match.status, currentMembers: match.currentMembers }
      const lowIncome = isLowIncome(household)
      const facts = record.facts
      let reclassified: { category: string, profileVersion: string } | undefined
      const classifier = lowIncome ? undefined : await this.context.classifier()
      const known = lowIncome ? undefined : factsByHousehold.get(match.householdId)
      const findings: Finding[] = evaluateRecord({
        record: facts,
        person: { personId: match.personId, birthDate: match.birthDate, laborCapacity: match.laborCapacity, employed: match.employed, disabilityLevel: match.disabilityLevel, disabilityKind: match.disabilityKind, left: false },
        household,
        rules: this.context.rules(profile),
        medicalHistory: history.get(match.personId) ?? [],
        ...(classifier && known
          ? {
              reclassify: effect => {
                const decision = classifier(match.regionCode, applyEffect(known.facts, known.personIds, effect))
                reclassified = { category: decision.category, profileVersion: decision.profileVersion }
                return { category: decision.category as never, profileVersion: decision.profileVersion, steps: decision.trace.map(step => step.rule) }
              }
            }
          : {})
      })
      if (facts.kind === 'medical') history.set(match.personId, [...history.get(match.personId) ?? [], { occurredOn: facts.occurredOn, outOfPocket: facts.outOfPocket }])
      for (const finding of findings) {
        candidates.push({
          finding, personId: match.personId, householdId: match.householdId, regionCode: match.regionCode, profile, lowIncome, feedRecordId: id,
          evidence: {
            feed: { kind: this.request.kind, kindName: FEED_KIND_NAMES[this.request.kind], importId: this.request.importId, line: record.line, recordId: id, facts: publicFacts(facts) },
            household: { category: match.category, categoryName: match.category ? CATEGORY_NAMES[match.category as keyof typeof CATEGORY_NAMES] ?? match.category : '未纳入', status: match.status },
            ...(reclassified ? { reclassified: { ...reclassified, categoryName: CATEGORY_NAMES[reclassified.category as keyof typeof CATEGORY_NAMES] ?? reclassified.category } } : {})
          }
        })
      }
    }
    return candidates
  }
}

/** The facts a warning shows (a department record has no personal data beyond what matched it). */
const publicFacts = (facts: FeedFacts) => facts

/**
 * One statement per batch: each record matched to a current member by the blind index (else
 * the reason: a former member, a stranger, or outside the importer's region), stored once
 * (a record stored before is skipped by the unique key), and the stored ones returned with what
 * the rules read of the person and household — and, for medical bills, the person's bills stored
 * before this batch (the statement's snapshot does not see its own inserts) back to the longest
 * window a profile may set. The batch travels as one JSON document, not a
 * parameter (or an array element to escape) per value: at a million records that serialising
 * was most of the import's own work.
 */
async function storeBatch (trx: Db, request: FeedRunRequest, batch: Pending[]): Promise<Stored[]> {
  const document = JSON.stringify(batch.map(p => ({
    key: p.key.toString('hex'), idIndex: p.idIndex.toString('hex'), line: p.record.line, masked: maskIdNumber(p.record.idNumber), facts: p.record.facts
  })))
  const { rows } = await sql<StoredRow>`
    WITH incoming AS (
      SELECT decode(r.key, 'hex') AS record_key, decode(r."idIndex", 'hex') AS id_blind_index, r.line, r.masked AS id_masked, (r.facts ->> 'occurredOn')::date AS occurred_on, r.facts
      FROM jsonb_to_recordset(${document}::jsonb) AS r (key text, "idIndex" text, line int, masked text, facts jsonb)
    ), judged AS (
      SELECT i.*, p.id AS person_id, p.household_id, h.region_code, p.birth_date, p.labor_capacity, p.employed, p.disability_level, p.disability_kind, h.category, h.status,
        CASE WHEN p.id IS NULL THEN CASE WHEN EXISTS (SELECT 1 FROM persons f WHERE f.id_blind_index = i.id_blind_index AND f.left_on IS NOT NULL) THEN ${UNMATCHED_REASONS.left_household} ELSE ${UNMATCHED_REASONS.not_in_registry} END
          WHEN h.region_code NOT LIKE ${scopePattern(request.scope)} THEN ${UNMATCHED_REASONS.outside_region} END AS reason
      FROM incoming i
      LEFT JOIN persons p ON p.id_blind_index = i.id_blind_index AND p.left_on IS NULL
      LEFT JOIN households h ON h.id = p.household_id
    ), inserted AS (
      INSERT INTO feed_records (kind, record_key, import_id, line, id_blind_index, id_masked, person_id, household_id, region_code, occurred_on, facts, status, reason)
      SELECT ${request.kind}, record_key, ${request.importId}, line, id_blind_index, id_masked,
        CASE WHEN reason IS NULL THEN person_id END, CASE WHEN reason IS NULL THEN household_id END, CASE WHEN reason IS NULL THEN region_code END,
        occurred_on, facts, CASE WHEN reason IS NULL THEN 'matched' ELSE 'unmatched' END, reason
      FROM judged
      ON CONFLICT (kind, record_key) DO NOTHING
      RETURNING id, line, person_id
    )
    SELECT s.id, s.line, s.person_id, j.household_id, j.region_code, j.birth_date, j.labor_capacity, j.employed, j.disability_level, j.disability_kind, j.category, j.status,
      -- Only a death asks whether the person was the household's last member.
      CASE WHEN ${request.kind === 'death'} AND s.person_id IS NOT NULL
        THEN (SELECT count(*) FROM persons m WHERE m.household_id = j.household_id AND m.left_on IS NULL) END AS members,
      CASE WHEN ${request.kind === 'medical'} AND s.person_id IS NOT NULL
        THEN (SELECT json_agg(json_build_array(b.occurred_on, b.facts -> 'outOfPocket')) FROM feed_records b
          WHERE b.person_id = s.person_id AND b.kind = 'medical' AND b.occurred_on > ${historySince(batch)}::date) END AS medical_history
    FROM inserted s JOIN judged j ON j.line = s.line
  `.execute(trx)
  return rows.map(r => ({
    id: Number(r.id),
    line: r.line,
    match: r.person_id === null
      ? undefined
      : {
          personId: Number(r.person_id), householdId: Number(r.household_id), regionCode: r.region_code as string, birthDate: r.birth_date as string,
          laborCapacity: r.labor_capacity as Match['laborCapacity'], employed: r.employed as boolean, disabilityLevel: r.disability_level, disabilityKind: r.disability_kind,
          category: r.category, status: r.status as string, currentMembers: Number(r.members ?? 0)
        },
    medicalHistory: (r.medical_history ?? []).map(([occurredOn, outOfPocket]) => ({ occurredOn, outOfPocket: Number(outOfPocket ?? 0) }))
  }))
}

/** The day before which no stored bill can count for this batch: its earliest bill less the longest window a profile may set. */
function historySince (batch: Pending[]): string {
  const earliest = batch.reduce((min, p) => p.record.facts.occurredOn < min ? p.record.facts.occurredOn : min, batch[0]?.record.facts.occurredOn ?? '9999-12-31')
  return ymdText(monthsBefore(ymd(earliest), RULE_SPECS.spending_surge.params.windowMonths?.max ?? 36))
}

interface StoredRow {
  id: string | number
  line: number
  person_id: string | number | null
  household_id: string | number | null
  region_code: string | null
  birth_date: string | null
  labor_capacity: string | null
  employed: boolean | null
  disability_level: number | null
  disability_kind: string | null
  category: string | null
  status: string | null
  members: string | number | null
  medical_history: Array<[string, number | null]> | null
}

/**
 * Other departments' help in the household's chain (一户一条救助链, 002 三(一)“及时将救助帮扶信息
 * 反馈给民政部门”): government source, written once per record (its origin is the record).
 */
async function appendDepartmentHelp (trx: Db, matched: Array<{ id: number, record: ParsedRecord, match: Match }>): Promise<number> {
  if (matched.length === 0) return 0
  const rows = matched.map(({ id, record, match }) => {
    const facts = record.facts as Extract<FeedFacts, { kind: 'assistance' }>
    return {
      household_id: match.householdId, person_id: match.personId, source: 'government' as const, kind: facts.assistanceKind, value: facts.value,
      occurred_on: facts.occurredOn, provider: facts.provider, reference: facts.reference, origin: `feed_record:${id}`
    }
  })
  const inserted = await trx.insertInto('assistance_entries').values(rows).onConflict(oc => oc.column('origin').doNothing()).returning('id').execute()
  return inserted.length
}
