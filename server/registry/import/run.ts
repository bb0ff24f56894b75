// Runs one roster import: streams the file, validates every row, and writes households in
// batches. `all_or_nothing` (default) writes nothing when any row is bad but still reports
// every bad row; `valid_rows_only` writes the good households and reports the rest.
// Re-importing a file creates nothing new: a household whose 户编号 exists, in the importer's
// region with the same people (by ID number), is left unchanged; a different household
// using that 户编号 is a bad row. A village without a policy profile spoils its households only.
// Every row's ID number is checked (format, checksum, duplicate in the file, already in the
// database) even when another cell of its household is bad, so that one pass finds them all.
import { parseResidentId } from '../../../matching/resident-id.js'
import type { Db } from '../../db/database.js'
import { inScope, type RegionScope } from '../../db/scope.js'
import { AppError } from '../../http/errors.js'
import { blindIndex, type PiiKeys } from '../../privacy/pii.js'
import { insertHouseholds, type PreparedHousehold } from '../bulk-write.js'
import { registryContext } from '../context.js'
import { REGISTERED_IN_ANOTHER_REGION, registeredElsewhere, type RegisteredOwner } from '../households.js'
import { prepareHousehold } from '../prepare.js'
import { assembleHousehold, locateProblem, type ParsedRow, type RosterHousehold } from './households.js'
import { CsvError } from './csv.js'
import { readRoster, type RosterFormat } from './reader.js'
import { mapHeaders, parseRow, type HeaderMap, type RowProblem } from './rows.js'

export type ImportMode = 'all_or_nothing' | 'valid_rows_only'
/** The modes as the issue writes them (all-or-nothing) and as they are stored (all_or_nothing). */
export const IMPORT_MODE_SPELLINGS = ['all_or_nothing', 'valid_rows_only', 'all-or-nothing', 'valid-rows-only'] as const
export const importMode = (spelling: typeof IMPORT_MODE_SPELLINGS[number]): ImportMode => spelling.replaceAll('-', '_') as ImportMode

export interface ImportRequest {
  path: string
  format: RosterFormat
  mode: ImportMode
  scope: RegionScope
  asOf: string
  keys: PiiKeys
  /** Report progress every so many rows (default 1,000: a village roster of a few thousand rows still moves the bar). */
  progressEvery?: number
}

export interface ImportOutcome {
  status: 'completed' | 'rejected'
  rowsRead: number
  householdsCreated: number
  householdsUnchanged: number
  householdsRejected: number
  problems: RowProblem[]
  /** Reported but not blocking: columns the import does not know (and ignores). */
  warnings: RowProblem[]
  /** 一人一次 clashes with households outside the importer's region: audited, never named in the report. */
  clashesElsewhere: Array<{ line: number, owner: RegisteredOwner }>
}

const BATCH = 2000

/** How far a running import has got: rows read, households read whole, and of them refused so far; problems found so far. */
export interface ImportTally { rowsRead: number, households: number, householdsRejected: number, problems: number }

/** A row whose ID number is valid: checked against the database with its household's batch. */
interface RowId { line: number, index: Buffer }

type PrepareContextOf = Parameters<typeof prepareHousehold>[2]
type Prepared = { household: RosterHousehold, prepared: PreparedHousehold }

export async function runImport (db: Db, request: ImportRequest, onProgress: (tally: ImportTally) => Promise<void> = async () => {}): Promise<ImportOutcome> {
  const registry = await registryContext(db, request.keys, request.asOf)
  // Importers may register households of their own region only.
  const context = { ...registry, isVillage: (code: string) => inScope(request.scope, code) && registry.isVillage(code) }
  const progressEvery = request.progressEvery ?? 1000

  return db.transaction().execute(async trx => {
    const roster = new RosterImport(trx, request, context)
    try {
      for await (const row of readRoster(request.path, request.format)) {
        if (!roster.hasHeader) {
          if (!roster.readHeader(row.cells, row.line)) break
          continue
        }
        await roster.readRow(row.cells, row.line)
        if (roster.rowsRead % progressEvery === 0) await onProgress(roster.tally)
      }
    } catch (error) {
      if (!(error instanceof CsvError)) throw error
      roster.unreadableFrom(error.line, error.message)
    }
    const outcome = await roster.finish()
    await onProgress(roster.tally)
    // Report, but keep nothing: roll the transaction back after reading the counts.
    if (outcome.status === 'rejected') throw new RollbackWith(outcome)
    return outcome
  }).catch(error => {
    if (error instanceof RollbackWith) return error.outcome
    throw error
  })
}

/**
 * One import's passage through the file, in the import's transaction: the header, then each
 * row checked and grouped into its household (rows of one 户编号 are adjacent), each household
 * prepared (validated and classified) or rejected, and households written in batches, checked
 * against the registry (户编号 already used, 一人一次) as they go.
 */
class RosterImport {
  private readonly problems: RowProblem[] = []
  private readonly warnings: RowProblem[] = []
  private readonly clashesElsewhere: ImportOutcome['clashesElsewhere'] = []
  private readonly counts = { rowsRead: 0, householdsCreated: 0, householdsUnchanged: 0, householdsRejected: 0 }
  /** Normalised ID number → its first line, across the file. */
  private readonly fileIds = new Map<string, number>()
  private readonly seenKeys = new Set<string>()
  private headers = new Map<string, string>()
  private headerMap: HeaderMap | undefined
  // The household being read: its rows, their valid ID numbers, its key, whether a row was bad.
  private group: ParsedRow[] = []
  private groupIds: Array<{ line: number, id: string }> = []
  private groupKey = ''
  private groupBad = false
  // Households prepared for the next write, and rejected ones whose ID numbers are still checked against the database.
  private batch: Prepared[] = []
  private rejectedIds: Array<{ key: string, ids: RowId[] }> = []
  /** The batch being written while the next is read and prepared. */
  private writing: Promise<void> = Promise.resolve()

  constructor (private readonly trx: Db, private readonly request: ImportRequest, private readonly context: PrepareContextOf) {}

  get hasHeader (): boolean {
    return this.headerMap !== undefined
  }

  get rowsRead (): number {
    return this.counts.rowsRead
  }

  get tally (): ImportTally {
    return { rowsRead: this.counts.rowsRead, households: this.households, householdsRejected: this.counts.householdsRejected, problems: this.problems.length }
  }

  /** Households read whole so far (each flushed group). */
  private households = 0

  /** Maps the columns; false when the header itself is bad, which ends the reading. */
  readHeader (cells: string[], line: number): boolean {
    this.headerMap = mapHeaders(cells, line)
    this.headers = new Map(this.headerMap.columns.flatMap(c => c ? [[c.spec.field, c.header] as const] : []))
    for (const problem of this.headerMap.problems) (problem.code === 'unknown_column' ? this.warnings : this.problems).push(problem)
    return this.problems.length === 0
  }

  async readRow (cells: string[], line: number): Promise<void> {
    this.counts.rowsRead++
    const { values, problems: rowProblems } = parseRow(line, cells, this.headerMap as HeaderMap)
    const key = typeof values.householdKey === 'string' ? values.householdKey : ''
    if (key !== this.groupKey || this.group.length === 0) {
      await this.flushGroup()
      if (key !== '' && this.seenKeys.has(key)) {
        rowProblems.push({ line, column: this.headers.get('householdKey') ?? '户编号', code: 'household_rows_apart', reason: `户编号 ${key} 的成员行不相邻 (a household's rows must be next to each other)` })
      }
      this.seenKeys.add(key)
      this.groupKey = key
      this.groupBad = false
    }
    rowProblems.push(...this.checkId(line, values.idNumber))
    if (rowProblems.length > 0) {
      this.problems.push(...rowProblems)
      this.groupBad = true
    }
    this.group.push({ line, values })
  }

  /**
   * From an unclosed quote on, the file cannot be split into rows: the rows before it stand, the
   * rest is one problem, and the household being read is refused (its other rows may lie beyond).
   */
  unreadableFrom (line: number, reason: string): void {
    this.problems.push({ line, column: '', code: 'unreadable_csv', reason })
    this.groupBad = true
  }

  /** The last household and batch written; the outcome (rejected: the caller rolls back). */
  async finish (): Promise<ImportOutcome> {
    await this.flushGroup()
    await this.flushBatch()
    await this.writing
    if (!this.headerMap) this.problems.push({ line: 1, column: '', code: 'empty_file', reason: '文件为空 (empty file)' })
    this.problems.sort((a, b) => a.line - b.line)
    const { problems, warnings, clashesElsewhere } = this
    if (this.request.mode === 'all_or_nothing' && problems.length > 0) return { status: 'rejected', ...this.counts, householdsCreated: 0, problems, warnings, clashesElsewhere }
    return { status: 'completed', ...this.counts, problems, warnings, clashesElsewhere }
  }

  private idColumn (): string {
    return this.headers.get('idNumber') ?? '身份证号'
  }

  /** The row's ID number: its own validity and whether an earlier row of the file has it. */
  private checkId (line: number, text: unknown): RowProblem[] {
    if (typeof text !== 'string') return [] // an empty cell is reported as required
    const parsed = parseResidentId(text, { asOf: this.request.asOf })
    if (!parsed.ok) return [{ line, column: this.idColumn(), code: `id_${parsed.error.code}`, reason: parsed.error.message }]
    const first = this.fileIds.get(parsed.value.id)
    if (first !== undefined) return [{ line, column: this.idColumn(), code: 'duplicate_in_file', reason: `身份证号与第 ${first} 行重复 (duplicate ID number in the file)` }]
    this.fileIds.set(parsed.value.id, line)
    this.groupIds.push({ line, id: parsed.value.id })
    return []
  }

  /** The household read so far: prepared for the batch, or rejected with its problems. */
  private async flushGroup (): Promise<void> {
    if (this.group.length === 0) return
    this.households++
    const rows = this.group
    const ids = this.groupIds
    this.group = []
    this.groupIds = []
    if (this.groupBad) return this.reject(this.groupKey, ids)
    const household = assembleHousehold(this.groupKey, rows, this.headers)
    const found: RowProblem[] = [...household.problems]
    let prepared: PreparedHousehold | undefined
    if (household.input) {
      try {
        const result = prepareHousehold(household.input, this.groupKey, this.context)
        found.push(...result.problems.map(problem => locateProblem(problem, household, this.headers)))
        prepared = result.prepared
      } catch (error) {
        // The village has no policy profile, or its profile no parameter in force: this household's problem, not the file's.
        if (!(error instanceof AppError) || !POLICY_ERRORS.has(error.code)) throw error
        found.push({ line: household.lines[0] ?? 0, column: this.headers.get('regionCode') ?? '村社区代码', code: error.code, reason: error.message })
      }
    }
    if (found.length > 0 || !prepared) {
      this.problems.push(...found)
      return this.reject(this.groupKey, ids)
    }
    this.batch.push({ household, prepared })
    if (this.batch.length >= BATCH) await this.flushBatch()
  }

  private async reject (key: string, ids: Array<{ line: number, id: string }>): Promise<void> {
    this.counts.householdsRejected++
    this.rejectedIds.push({ key, ids: ids.map(({ line, id }) => ({ line, index: blindIndex(this.request.keys, id) })) })
    if (this.rejectedIds.length >= BATCH) await this.flushBatch()
  }

  /**
   * One batch is written while the next is read and prepared: the database's work and ours
   * overlap on two cores, yet never more than one batch waits in memory.
   */
  private async flushBatch (): Promise<void> {
    if (this.batch.length === 0 && this.rejectedIds.length === 0) return
    const current = this.batch
    const rejected = this.rejectedIds
    this.batch = []
    this.rejectedIds = []
    await this.writing
    this.writing = this.writeBatch(current, rejected)
    this.writing.catch(() => {}) // surfaces at the next await of `writing`
  }

  /** Checks a batch against the registry (户编号 in use, 一人一次) and writes what passes, when the mode allows. */
  private async writeBatch (current: Prepared[], rejected: Array<{ key: string, ids: RowId[] }>): Promise<void> {
    const existing = await existingHouseholds(this.trx, [...current.map(b => b.household.key), ...rejected.map(r => r.key)])
    const { fresh, conflicting, belongTo } = this.sortByKey(current, existing)
    const freshIds = fresh.map(idsOf)
    // A rejected household's rows may be fewer than its registered members: its own IDs are not clashes.
    const otherIds = [...rejected.filter(r => !belongTo(r.key, r.ids)).flatMap(r => r.ids), ...conflicting]
    const taken = await registeredElsewhere(this.trx, [...freshIds.flat(), ...otherIds].map(r => r.index))
    const clashesOf = (ids: RowId[]) => ids.flatMap(({ line, index }) => {
      const owner = taken.get(index.toString('hex'))
      return owner ? [this.alreadyRegistered(line, owner)] : []
    })
    this.problems.push(...clashesOf(otherIds))
    const writable: PreparedHousehold[] = []
    fresh.forEach(({ prepared }, i) => {
      const clashes = clashesOf(freshIds[i] ?? [])
      if (clashes.length > 0) {
        this.problems.push(...clashes)
        this.counts.householdsRejected++
      } else {
        writable.push(prepared)
      }
    })
    if (this.request.mode === 'valid_rows_only' || this.problems.length === 0) {
      await insertHouseholds(this.trx, writable)
      this.counts.householdsCreated += writable.length
    }
  }

  /**
   * The batch's households by their 户编号: new ones; the registered household itself (the same
   * people, no more and no fewer: unchanged); or another household using the key (a bad row,
   * whose members the registered household lacks are still checked for clashes).
   */
  private sortByKey (current: Prepared[], existing: Map<string, ExistingHousehold>) {
    // The ID numbers belong to the household registered under the key, in the importer's region.
    const belongTo = (key: string, ids: RowId[]) => {
      const owner = existing.get(key)
      return owner !== undefined && inScope(this.request.scope, owner.regionCode) && ids.every(id => owner.members.has(id.index.toString('hex')))
    }
    const isRegistered = (key: string, ids: RowId[]) => belongTo(key, ids) && existing.get(key)?.members.size === ids.length
    const fresh: Prepared[] = []
    const conflicting: RowId[] = []
    for (const entry of current) {
      const owner = existing.get(entry.household.key)
      if (owner === undefined) {
        fresh.push(entry)
      } else if (isRegistered(entry.household.key, idsOf(entry))) {
        this.counts.householdsUnchanged++
      } else {
        this.problems.push(this.keyConflict(entry.household, owner))
        this.counts.householdsRejected++
        conflicting.push(...idsOf(entry).filter(id => !belongTo(entry.household.key, [id])))
      }
    }
    return { fresh, conflicting, belongTo }
  }

  private alreadyRegistered (line: number, owner: RegisteredOwner): RowProblem {
    const problem = { line, column: this.idColumn(), code: 'id_already_registered' }
    if (inScope(this.request.scope, owner.regionCode)) return { ...problem, reason: `身份证号已登记在户 ${owner.externalKey ?? `#${owner.householdId}`}（一人一次）(ID number already registered)` }
    this.clashesElsewhere.push({ line, owner })
    return { ...problem, reason: REGISTERED_IN_ANOTHER_REGION }
  }

  private keyConflict (household: RosterHousehold, owner: ExistingHousehold): RowProblem {
    return {
      line: household.lines[0] ?? 0,
      column: this.headers.get('householdKey') ?? '户编号',
      code: 'household_key_conflict',
      reason: `户编号 ${household.key} 已被另一户使用（第 ${owner.id} 号家庭，${inScope(this.request.scope, owner.regionCode) ? '成员不同；家庭成员的增减请在该户中登记' : '不在您的辖区'}），不能重复使用 (household key used by a different household)`
    }
  }
}

const idsOf = ({ household, prepared }: Prepared): RowId[] =>
  prepared.members.map((m, i) => ({ line: household.lines[i] ?? 0, index: m.idBlindIndex }))

/** The classifier's errors that belong to one household's village rather than to the whole import. */
const POLICY_ERRORS = new Set(['no_policy_profile', 'parameter_missing', 'unknown_profile'])

interface ExistingHousehold { id: number, regionCode: string, members: Set<string> }

/** Registered households by 户编号, with their current members' blind indexes (hex). */
async function existingHouseholds (db: Db, keys: string[]): Promise<Map<string, ExistingHousehold>> {
  if (keys.length === 0) return new Map()
  const rows = await db.selectFrom('households as h').leftJoin('persons as p', join => join.onRef('p.household_id', '=', 'h.id').on('p.left_on', 'is', null))
    .select(['h.id', 'h.external_key', 'h.region_code', 'p.id_blind_index']).where('h.external_key', 'in', keys).execute()
  const found = new Map<string, ExistingHousehold>()
  for (const row of rows) {
    const key = row.external_key as string
    const household = found.get(key) ?? { id: row.id, regionCode: row.region_code, members: new Set<string>() }
    if (row.id_blind_index) household.members.add(row.id_blind_index.toString('hex'))
    found.set(key, household)
  }
  return found
}

class RollbackWith extends Error {
  constructor (readonly outcome: ImportOutcome) { super('import rejected') }
}
