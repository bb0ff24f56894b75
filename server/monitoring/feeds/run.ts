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
import type { PiiKeys } from '../../privacy/pii.js'
import type { AuditActor } from '../../audit/chain.js'
import { CATEGORY_NAMES } from '../../../matching/domain.js'
import { monthsBefore, ymd, ymdText } from '../../../matching/dates.js'
import { evaluateRecord, FEED_KIND_NAMES, isLowIncome, RULE_SPECS, type FeedFacts, type FeedKind, type Finding } from '../../../matching/monitoring/index.js'
import { applyEffect, loadMonitoringContext, type MonitoringContext } from '../context.js'
import { householdsFacts } from '../../registry/decisions.js'
import { notifyRaised, raiseWarnings, type RaisedWarning, type WarningCandidate } from '../warnings.js'
import type { FeedProblem } from './columns.js'
import { readFeedInBatches, type BatchRecord, type ReadMessage } from './read-batches.js'
import type { FeedFormat } from './reader.js'

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
  const { rows: [clock] } = await sql<{ now: string }>`SELECT now()::text AS now`.execute(db)
  const run = new FeedRun(db, request, context, clock?.now as string)
  const batches = readFeedInBatches({
    path: request.path, format: request.format, kind: request.kind, asOf: request.asOf, blindIndexKey: request.keys.blindIndexKey, batchSize: request.batchSize ?? 10_000
  })
  for await (const message of batches) {
    if (message.type === 'progress') await onProgress(message.rowsRead)
    else await run.take(message)
  }
  await run.finish()
  await onProgress(run.outcome.rowsRead)
  if (run.outcome.raised.length > 0) {
    await notifyRaised(db, context, run.outcome.raised, `feed_import:${request.importId}`, `${FEED_KIND_NAMES[request.kind]}导入（第 ${request.importId} 批）`)
  }
  return run.outcome
}

type Batch = Extract<ReadMessage, { type: 'batch' }>

/**
 * What a batch's statement must leave out of the bill history: this import's rows, written in
 * this run, from the previous batch on. Whether the previous batch's transaction has committed
 * when this statement starts is a matter of timing; its bills come from memory instead.
 * (Rows of an earlier run of the same import are older than `since` and always count.)
 */
interface Unseen { fromLine: number, since: string }

/** A batch whose transaction is under way. */
interface InFlight {
  firstLine: number
  /** The batch's medical bills by person, once its statement has answered. */
  bills: Promise<Map<number, Bill[]>>
  /** Settles when the batch's transaction has committed; rejects if it failed. */
  committed: Promise<void>
}

class FeedRun {
  readonly outcome: FeedOutcome = { rowsRead: 0, matched: 0, unmatched: 0, invalid: 0, alreadyImported: 0, warningsRaised: 0, chainEntries: 0, problems: [], raised: [] }
  /** The last two batches taken, the older first. */
  private inFlight: [InFlight | undefined, InFlight | undefined] = [undefined, undefined]
  private readonly actor: AuditActor
  /** Whether a batch met records stored before: the later ones then look each record up. */
  private readonly feed = { mayRepeat: false }

  /** `started`: the database's time when this run began (its rows are stamped later). */
  constructor (private readonly db: Db, private readonly request: FeedRunRequest, private readonly context: MonitoringContext, private readonly started: string) {
    this.actor = request.actor ?? { id: null, name: 'system' }
  }

  /**
   * Counts the batch's rows and problems and starts its transaction once the batch before the
   * previous one has committed: two batches are stored at once, each on its own connection,
   * while the rules judge the older one. They commit in file order: each waits for the one
   * before it to commit before it judges and raises warnings (no second open warning for a
   * person and cause) and fails if that one failed. Returns without waiting for this batch; a
   * failure surfaces at a later take or at finish.
   */
  async take (batch: Batch): Promise<void> {
    this.outcome.rowsRead = batch.rowsRead
    this.outcome.invalid += batch.invalid
    this.outcome.problems.push(...batch.problems)
    const firstLine = batch.records[0]?.line
    if (firstLine === undefined) return
    const [beforePrevious, previous] = this.inFlight
    // Every batch before the previous one has committed: this statement sees their rows.
    await beforePrevious?.committed
    let reportBills: (bills: Map<number, Bill[]>) => void = () => {}
    let storingFailed: (error: unknown) => void = () => {}
    const bills = new Promise<Map<number, Bill[]>>((resolve, reject) => { reportBills = resolve; storingFailed = reject })
    const unseen = { fromLine: previous?.firstLine ?? firstLine, since: this.started }
    const committed = this.db.transaction().execute(trx => this.writeBatch(trx, batch, unseen, previous, reportBills))
    committed.catch(storingFailed)
    // Awaited by the next batch or at finish; not unhandled meanwhile.
    bills.catch(() => {})
    this.inFlight = [previous, { firstLine, bills, committed }]
  }

  async finish (): Promise<void> {
    // Each transaction commits only after the one before it: the last one's commit is everyone's.
    await this.inFlight[1]?.committed
  }

  private async writeBatch (trx: Db, batch: Batch, unseen: Unseen, previous: InFlight | undefined, reportBills: (bills: Map<number, Bill[]>) => void): Promise<void> {
    const stored = await storeBatch(trx, this.request, batch, unseen, this.feed)
    this.outcome.alreadyImported += batch.records.length - stored.length
    const byLine = new Map(batch.records.map(record => [record.line, record]))
    const matched: Array<{ id: number, record: BatchRecord, match: Match }> = []
    const history = new Map<number, Bill[]>()
    const bills = new Map<number, Bill[]>()
    for (const { id, line, match, medicalHistory } of stored) {
      if (match === undefined) { this.outcome.unmatched++; continue }
      this.outcome.matched++
      const record = byLine.get(line) as BatchRecord
      matched.push({ id, record, match })
      if (medicalHistory.length > 0) history.set(match.personId, medicalHistory)
      if (record.facts.kind === 'medical') addBills(bills, match.personId, [record.facts])
    }
    reportBills(bills)
    if (previous) {
      await previous.committed
      addUnseenBills(history, await previous.bills, matched, historySince(batch.records))
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
  private async evaluate (trx: Db, matched: Array<{ id: number, record: BatchRecord, match: Match }>, history: Map<number, Bill[]>): Promise<WarningCandidate[]> {
    // A person's bills in date order, each judged with the ones before it (ISO days compare as
    // text; localeCompare would consult the collation for each of the sort's 100,000 comparisons).
    matched.sort((a, b) => a.match.personId - b.match.personId || compareText(a.record.facts.occurredOn, b.record.facts.occurredOn) || a.record.line - b.record.line)
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
      if (facts.kind === 'medical') addBills(history, match.personId, [facts])
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

/** The previous batch's bills, for the persons of this one, within this batch's history window. */
function addUnseenBills (history: Map<number, Bill[]>, unseen: Map<number, Bill[]>, matched: Array<{ match: Match }>, since: string): void {
  for (const personId of new Set(matched.map(m => m.match.personId))) {
    const bills = unseen.get(personId)?.filter(bill => bill.occurredOn > since)
    if (bills?.length) addBills(history, personId, bills)
  }
}

/** A person's bills with more added: a new array, as the one before may have been handed to the rules. */
function addBills (to: Map<number, Bill[]>, personId: number, bills: readonly Bill[]): void {
  to.set(personId, [...to.get(personId) ?? [], ...bills.map(({ occurredOn, outOfPocket }) => ({ occurredOn, outOfPocket }))])
}

const compareText = (a: string, b: string) => a < b ? -1 : a > b ? 1 : 0

/** The facts a warning shows (a department record has no personal data beyond what matched it). */
const publicFacts = (facts: FeedFacts) => facts

/**
 * One statement per batch: each record matched to a current member by the blind index (else
 * the reason: a former member, a stranger, or outside the importer's region), stored once
 * (a record stored before is skipped by the unique key), and the stored ones returned with what
 * the rules read of the person and household — and, for medical bills, the person's bills stored
 * before this batch back to the longest window a profile may set, less the previous batch's
 * (`unseen`: whether its transaction has committed yet is a matter of timing, so they come from
 * memory; the statement's snapshot does not see its own inserts either). The batch travels as
 * one JSON document, not a parameter (or an array element to escape) per value: at a million
 * records that serialising was most of the import's own work.
 */
async function storeBatch (trx: Db, request: FeedRunRequest, { document, records }: Batch, unseen: Unseen, feed: { mayRepeat: boolean }): Promise<Stored[]> {
  const statement = (skip: 'nothing' | 'stored') => sql<{ stored: StoredJson[] | null }>`
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
      ${skip === 'stored'
        ? sql`WHERE NOT EXISTS (SELECT 1 FROM feed_records e WHERE e.kind = ${request.kind} AND e.record_key = judged.record_key) ON CONFLICT (kind, record_key) DO NOTHING`
        : sql``}
      RETURNING id, line, person_id
    )
    -- One row: the batch as one JSON array, an array per record (id and line; for a matched one
    -- also what the rules read). The driver would otherwise make a JavaScript value of each of
    -- fourteen fields of ten thousand rows; one JSON.parse is a fraction of that.
    SELECT json_agg(CASE WHEN s.person_id IS NULL THEN json_build_array(s.id, s.line) ELSE json_build_array(
      s.id, s.line, s.person_id, j.household_id, j.region_code, j.birth_date, j.labor_capacity, j.employed, j.disability_level, j.disability_kind, j.category, j.status,
      -- Only a death asks whether the person was the household's last member.
      CASE WHEN ${request.kind === 'death'}
        THEN (SELECT count(*) FROM persons m WHERE m.household_id = j.household_id AND m.left_on IS NULL) END,
      CASE WHEN ${request.kind === 'medical'}
        THEN (SELECT json_agg(json_build_array(b.occurred_on, b.facts -> 'outOfPocket')) FROM feed_records b
          WHERE b.person_id = s.person_id AND b.kind = 'medical' AND b.occurred_on > ${historySince(records)}::date
            AND NOT (b.import_id = ${request.importId} AND b.line >= ${unseen.fromLine} AND b.created_at >= ${unseen.since}::timestamptz)) END
    ) END) AS stored
    FROM inserted s JOIN judged j ON j.line = s.line
  `
  if (!feed.mayRepeat) {
    // A feed of new records is stored without looking each one up first (the look-up, or ON
    // CONFLICT's speculative insertion, cost a quarter of the statement): the unique key refuses
    // the batch at its first record stored before, and from then on the feed is known to repeat.
    await sql`SAVEPOINT feed_batch`.execute(trx)
    try {
      return storedRecords(await statement('nothing').execute(trx))
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error
      await sql`ROLLBACK TO SAVEPOINT feed_batch`.execute(trx)
      feed.mayRepeat = true
    }
  }
  // Records stored before are looked up and skipped; ON CONFLICT catches one that another import
  // is storing at this moment (it waits for that import and skips the record if it was stored).
  return storedRecords(await statement('stored').execute(trx))
}

function storedRecords ({ rows }: { rows: Array<{ stored: StoredJson[] | null }> }): Stored[] {
  return (rows[0]?.stored ?? []).map(([id, line, personId, householdId, regionCode, birthDate, laborCapacity, employed, disabilityLevel, disabilityKind, category, status, members, medicalHistory]) => ({
    id,
    line,
    match: personId === undefined
      ? undefined
      : {
          personId, householdId, regionCode, birthDate, laborCapacity, employed, disabilityLevel, disabilityKind, category, status, currentMembers: members ?? 0
        } as Match,
    medicalHistory: (medicalHistory ?? []).map(([occurredOn, outOfPocket]) => ({ occurredOn, outOfPocket: Number(outOfPocket ?? 0) }))
  }))
}

const UNIQUE_VIOLATION = '23505'

/** The day before which no stored bill can count for this batch: its earliest bill less the longest window a profile may set. */
function historySince (records: BatchRecord[]): string {
  const earliest = records.reduce((min, r) => r.facts.occurredOn < min ? r.facts.occurredOn : min, records[0]?.facts.occurredOn ?? '9999-12-31')
  return ymdText(monthsBefore(ymd(earliest), RULE_SPECS.spending_surge.params.windowMonths?.max ?? 36))
}

/** A stored record as the statement returns it: [id, line] when unmatched, else with the match's fields in Match's order, the member count and the bill history. */
type StoredJson = [id: number, line: number, personId?: number, householdId?: number, regionCode?: string, birthDate?: string, laborCapacity?: Match['laborCapacity'],
  employed?: boolean, disabilityLevel?: number | null, disabilityKind?: string | null, category?: string | null, status?: string, members?: number | null,
  medicalHistory?: Array<[string, number | null]> | null]

/**
 * Other departments' help in the household's chain (一户一条救助链, 002 三(一)“及时将救助帮扶信息
 * 反馈给民政部门”): government source, written once per record (its origin is the record).
 */
async function appendDepartmentHelp (trx: Db, matched: Array<{ id: number, record: BatchRecord, match: Match }>): Promise<number> {
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
