// Runs one department feed: reads it, checks every row (invalid ones are kept as problems with
// the reason), matches each valid record to a current member of a registered household by the
// ID number's blind index (unmatched ones are kept, with the reason), stores each record once
// (importing the same records again creates nothing), writes other departments' assistance into
// the assistance chain (once, by the record), evaluates the warning rules and raises the
// warnings. Works in batches, each in its own transaction: an import that stops half way is
// simply run again — what it stored is recognised and skipped.
import type { Db } from '../../db/database.js'
import { inScope, type RegionScope } from '../../db/scope.js'
import { blindIndex, type PiiKeys } from '../../privacy/pii.js'
import type { AuditActor } from '../../audit/chain.js'
import { CATEGORY_NAMES } from '../../../matching/domain.js'
import { evaluateRecord, FEED_KIND_NAMES, isLowIncome, type FeedFacts, type FeedKind, type Finding } from '../../../matching/monitoring/index.js'
import { applyEffect, loadMonitoringContext, type MonitoringContext } from '../context.js'
import { householdsFacts } from '../../registry/decisions.js'
import { notifyRaised, raiseWarnings, type RaisedWarning, type WarningCandidate } from '../warnings.js'
import { maskIdNumber, parseFeedRow, recordIdentity, type FeedProblem, type ParsedRecord } from './columns.js'
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
  const progressEvery = 5000
  for await (const row of readFeed(request.path, request.format, request.kind)) {
    await run.read(row)
    if (run.outcome.rowsRead % progressEvery === 0) await onProgress(run.outcome.rowsRead)
  }
  await run.flush()
  await onProgress(run.outcome.rowsRead)
  if (run.outcome.raised.length > 0) {
    await notifyRaised(db, context, run.outcome.raised, `feed_import:${request.importId}`, `${FEED_KIND_NAMES[request.kind]}导入（第 ${request.importId} 批）`)
  }
  return run.outcome
}

class FeedRun {
  readonly outcome: FeedOutcome = { rowsRead: 0, matched: 0, unmatched: 0, invalid: 0, alreadyImported: 0, warningsRaised: 0, chainEntries: 0, problems: [], raised: [] }
  private pending: Pending[] = []
  /** Keys seen in this file (hex): the same record twice in one file is a problem, not two records. */
  private readonly seen = new Map<string, number>()
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
    const key = blindIndex(this.request.keys, recordIdentity(this.request.kind, record))
    const first = this.seen.get(key.toString('hex'))
    if (first !== undefined) {
      this.outcome.invalid++
      this.outcome.problems.push({ line: row.line, field: '', code: 'duplicate_in_file', reason: `与第 ${first} 行是同一条记录` })
      return
    }
    this.seen.set(key.toString('hex'), row.line)
    this.pending.push({ record, idIndex: blindIndex(this.request.keys, record.idNumber), key })
    if (this.pending.length >= (this.request.batchSize ?? 5000)) await this.flush()
  }

  async flush (): Promise<void> {
    if (this.pending.length === 0) return
    const batch = this.pending
    this.pending = []
    await this.db.transaction().execute(trx => this.writeBatch(trx, batch))
  }

  private async writeBatch (trx: Db, batch: Pending[]): Promise<void> {
    const { matches, former } = await lookUp(trx, batch.map(p => p.idIndex))
    const rows = batch.map(p => {
      const hex = p.idIndex.toString('hex')
      const match = matches.get(hex)
      const reason = match === undefined ? (former.has(hex) ? 'left_household' : 'not_in_registry') : !inScope(this.request.scope, match.regionCode) ? 'outside_region' : null
      return {
        pending: p,
        match: reason === null ? match : undefined,
        values: {
          kind: this.request.kind, record_key: p.key, import_id: this.request.importId, line: p.record.line, id_blind_index: p.idIndex,
          id_masked: maskIdNumber(p.record.idNumber), person_id: reason === null ? match?.personId ?? null : null,
          household_id: reason === null ? match?.householdId ?? null : null, region_code: reason === null ? match?.regionCode ?? null : null,
          occurred_on: p.record.facts.occurredOn, facts: JSON.stringify(p.record.facts), status: reason === null ? 'matched' as const : 'unmatched' as const,
          reason: reason === null ? null : UNMATCHED_REASONS[reason]
        }
      }
    })
    // Stored once: a record imported before comes back from nothing here, and is skipped.
    const inserted = await trx.insertInto('feed_records').values(rows.map(r => r.values))
      .onConflict(oc => oc.columns(['kind', 'record_key']).doNothing()).returning(['id', 'record_key']).execute()
    const idOf = new Map(inserted.map(r => [r.record_key.toString('hex'), r.id]))
    const fresh = rows.filter(r => idOf.has(r.pending.key.toString('hex')))
    this.outcome.alreadyImported += rows.length - fresh.length
    this.outcome.matched += fresh.filter(r => r.match).length
    this.outcome.unmatched += fresh.filter(r => !r.match).length
    const matched = fresh.filter((r): r is typeof r & { match: Match } => r.match !== undefined)
      .map(r => ({ id: idOf.get(r.pending.key.toString('hex')) as number, record: r.pending.record, match: r.match }))
    if (this.request.kind === 'assistance') {
      this.outcome.chainEntries += await appendDepartmentHelp(trx, matched)
      return
    }
    const candidates = await this.evaluate(trx, matched)
    const raised = await raiseWarnings(trx, this.context, candidates, this.actor)
    this.outcome.warningsRaised += raised.length
    this.outcome.raised.push(...raised)
  }

  private async evaluate (trx: Db, matched: Array<{ id: number, record: ParsedRecord, match: Match }>): Promise<WarningCandidate[]> {
    const history = this.request.kind === 'medical' ? await medicalHistory(trx, matched.map(m => m.match.personId), matched.map(m => m.id)) : new Map<number, Array<{ occurredOn: string, outOfPocket: number }>>()
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

/** Current members by blind index, with what the rules read; and the indexes of members who left. */
async function lookUp (db: Db, indexes: Buffer[]): Promise<{ matches: Map<string, Match>, former: Set<string> }> {
  const rows = await db.selectFrom('persons as p').innerJoin('households as h', 'h.id', 'p.household_id')
    .select(['p.id', 'p.household_id', 'p.id_blind_index', 'p.birth_date', 'p.labor_capacity', 'p.employed', 'p.disability_level', 'p.disability_kind', 'p.left_on',
      'h.region_code', 'h.category', 'h.status'])
    .select(eb => eb.selectFrom('persons as m').select(eb.fn.countAll<number>().as('n')).whereRef('m.household_id', '=', 'p.household_id').where('m.left_on', 'is', null).as('members'))
    .where('p.id_blind_index', 'in', indexes).execute()
  const matches = new Map<string, Match>()
  const former = new Set<string>()
  for (const r of rows) {
    const hex = r.id_blind_index.toString('hex')
    if (r.left_on !== null) { former.add(hex); continue }
    matches.set(hex, {
      personId: r.id, householdId: r.household_id, regionCode: r.region_code, birthDate: r.birth_date, laborCapacity: r.labor_capacity, employed: r.employed,
      disabilityLevel: r.disability_level, disabilityKind: r.disability_kind, category: r.category, status: r.status, currentMembers: Number(r.members ?? 0)
    })
  }
  return { matches, former }
}

/** Earlier medical records of these persons (not the ones just stored), for the spending-surge window. */
async function medicalHistory (db: Db, personIds: number[], fresh: number[]): Promise<Map<number, Array<{ occurredOn: string, outOfPocket: number }>>> {
  const byPerson = new Map<number, Array<{ occurredOn: string, outOfPocket: number }>>()
  if (personIds.length === 0) return byPerson
  const rows = await db.selectFrom('feed_records').select(['person_id', 'occurred_on', 'facts']).where('kind', '=', 'medical')
    .where('person_id', 'in', [...new Set(personIds)]).where('id', 'not in', fresh).execute()
  for (const r of rows) {
    const list = byPerson.get(r.person_id as number) ?? []
    list.push({ occurredOn: r.occurred_on, outOfPocket: Number((r.facts as { outOfPocket?: number }).outOfPocket ?? 0) })
    byPerson.set(r.person_id as number, list)
  }
  return byPerson
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
