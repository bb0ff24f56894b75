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
import { readRoster, type RosterFormat } from './reader.js'
import { mapHeaders, parseRow, type RowProblem } from './rows.js'

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
  /** Report progress every so many rows. */
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

/** A row whose ID number is valid: checked against the database with its household's batch. */
interface RowId { line: number, index: Buffer }

export async function runImport (db: Db, request: ImportRequest, onProgress: (rowsRead: number) => Promise<void> = async () => {}): Promise<ImportOutcome> {
  const registry = await registryContext(db, request.keys, request.asOf)
  // Importers may register households of their own region only.
  const context = { ...registry, isVillage: (code: string) => inScope(request.scope, code) && registry.isVillage(code) }
  const progressEvery = request.progressEvery ?? 5000

  return db.transaction().execute(async trx => {
    const problems: RowProblem[] = []
    const warnings: RowProblem[] = []
    const clashesElsewhere: ImportOutcome['clashesElsewhere'] = []
    const outcome = { rowsRead: 0, householdsCreated: 0, householdsUnchanged: 0, householdsRejected: 0 }
    const fileIds = new Map<string, number>() // normalised ID number → first line, across the file
    const seenKeys = new Set<string>()
    let headers = new Map<string, string>()
    let headerMap: ReturnType<typeof mapHeaders> | undefined
    let group: ParsedRow[] = []
    let groupIds: Array<{ line: number, id: string }> = []
    let groupKey = ''
    let groupBad = false
    let batch: Array<{ household: RosterHousehold, prepared: PreparedHousehold }> = []
    // Rejected households still have their ID numbers checked against the database.
    let rejectedIds: Array<{ key: string, ids: RowId[] }> = []
    const idColumn = () => headers.get('idNumber') ?? '身份证号'

    const writeAllowed = () => request.mode === 'valid_rows_only' || problems.length === 0

    const alreadyRegistered = (line: number, owner: RegisteredOwner): RowProblem => {
      const problem = { line, column: idColumn(), code: 'id_already_registered' }
      if (inScope(request.scope, owner.regionCode)) return { ...problem, reason: `身份证号已登记在户 ${owner.externalKey ?? `#${owner.householdId}`}（一人一次）(ID number already registered)` }
      clashesElsewhere.push({ line, owner })
      return { ...problem, reason: REGISTERED_IN_ANOTHER_REGION }
    }

    const keyConflict = (household: RosterHousehold, owner: ExistingHousehold): RowProblem => ({
      line: household.lines[0] ?? 0,
      column: headers.get('householdKey') ?? '户编号',
      code: 'household_key_conflict',
      reason: `户编号 ${household.key} 已被另一户使用（第 ${owner.id} 号家庭，${inScope(request.scope, owner.regionCode) ? '成员不同；家庭成员的增减请在该户中登记' : '不在您的辖区'}），不能重复使用 (household key used by a different household)`
    })

    // One batch is written while the next is read and prepared: the database's work and ours
    // overlap on two cores, yet never more than one batch waits in memory.
    let writing: Promise<void> = Promise.resolve()
    const flushBatch = async () => {
      if (batch.length === 0 && rejectedIds.length === 0) return
      const current = batch
      const rejected = rejectedIds
      batch = []
      rejectedIds = []
      await writing
      writing = writeBatch(current, rejected)
      writing.catch(() => {}) // surfaces at the next await of `writing`
    }

    const writeBatch = async (current: typeof batch, rejected: typeof rejectedIds) => {
      const existing = await existingHouseholds(trx, [...current.map(b => b.household.key), ...rejected.map(r => r.key)])
      // The ID numbers belong to the household registered under the key, in the importer's region.
      const belongTo = (key: string, ids: RowId[]) => {
        const owner = existing.get(key)
        return owner !== undefined && inScope(request.scope, owner.regionCode) && ids.every(id => owner.members.has(id.index.toString('hex')))
      }
      // The file's household is the registered one: the same people, no more and no fewer.
      const isRegistered = (key: string, ids: RowId[]) => belongTo(key, ids) && existing.get(key)?.members.size === ids.length
      const idsOf = ({ household, prepared }: typeof current[number]): RowId[] =>
        prepared.members.map((m, i) => ({ line: household.lines[i] ?? 0, index: m.idBlindIndex }))
      const fresh: typeof current = []
      const conflicting: RowId[] = []
      for (const entry of current) {
        const owner = existing.get(entry.household.key)
        if (owner === undefined) {
          fresh.push(entry)
        } else if (isRegistered(entry.household.key, idsOf(entry))) {
          outcome.householdsUnchanged++
        } else {
          problems.push(keyConflict(entry.household, owner))
          outcome.householdsRejected++
          // Members the registered household has are not clashes too: only the others are checked.
          conflicting.push(...idsOf(entry).filter(id => !belongTo(entry.household.key, [id])))
        }
      }
      const freshIds = fresh.map(idsOf)
      // A rejected household's rows may be fewer than its registered members: its own IDs are not clashes.
      const otherIds = [...rejected.filter(r => !belongTo(r.key, r.ids)).flatMap(r => r.ids), ...conflicting]
      const taken = await registeredElsewhere(trx, [...freshIds.flat(), ...otherIds].map(r => r.index))
      const clashesOf = (ids: RowId[]) => ids.flatMap(({ line, index }) => {
        const owner = taken.get(index.toString('hex'))
        return owner ? [alreadyRegistered(line, owner)] : []
      })
      problems.push(...clashesOf(otherIds))
      const writable: PreparedHousehold[] = []
      fresh.forEach(({ prepared }, i) => {
        const clashes = clashesOf(freshIds[i] ?? [])
        if (clashes.length > 0) {
          problems.push(...clashes)
          outcome.householdsRejected++
        } else {
          writable.push(prepared)
        }
      })
      if (writeAllowed()) {
        await insertHouseholds(trx, writable)
        outcome.householdsCreated += writable.length
      }
    }

    const reject = async (key: string, ids: Array<{ line: number, id: string }>) => {
      outcome.householdsRejected++
      rejectedIds.push({ key, ids: ids.map(({ line, id }) => ({ line, index: blindIndex(request.keys, id) })) })
      if (rejectedIds.length >= BATCH) await flushBatch()
    }

    const flushGroup = async () => {
      if (group.length === 0) return
      const rows = group
      const ids = groupIds
      group = []
      groupIds = []
      if (groupBad) return reject(groupKey, ids)
      const household = assembleHousehold(groupKey, rows, headers)
      const found: RowProblem[] = [...household.problems]
      let prepared: PreparedHousehold | undefined
      if (household.input) {
        try {
          const result = prepareHousehold(household.input, groupKey, context)
          found.push(...result.problems.map(problem => locateProblem(problem, household, headers)))
          prepared = result.prepared
        } catch (error) {
          // The village has no policy profile, or its profile no parameter in force: this household's problem, not the file's.
          if (!(error instanceof AppError) || !POLICY_ERRORS.has(error.code)) throw error
          found.push({ line: household.lines[0] ?? 0, column: headers.get('regionCode') ?? '村社区代码', code: error.code, reason: error.message })
        }
      }
      if (found.length > 0 || !prepared) {
        problems.push(...found)
        return reject(groupKey, ids)
      }
      batch.push({ household, prepared })
      if (batch.length >= BATCH) await flushBatch()
    }

    /** The row's ID number: its own validity and whether an earlier row of the file has it. */
    const checkId = (line: number, text: unknown): RowProblem[] => {
      if (typeof text !== 'string') return [] // an empty cell is reported as required
      const parsed = parseResidentId(text, { asOf: request.asOf })
      if (!parsed.ok) return [{ line, column: idColumn(), code: `id_${parsed.error.code}`, reason: parsed.error.message }]
      const first = fileIds.get(parsed.value.id)
      if (first !== undefined) return [{ line, column: idColumn(), code: 'duplicate_in_file', reason: `身份证号与第 ${first} 行重复 (duplicate ID number in the file)` }]
      fileIds.set(parsed.value.id, line)
      groupIds.push({ line, id: parsed.value.id })
      return []
    }

    for await (const row of readRoster(request.path, request.format)) {
      if (!headerMap) {
        headerMap = mapHeaders(row.cells, row.line)
        headers = new Map(headerMap.columns.flatMap(c => c ? [[c.spec.field, c.header] as const] : []))
        for (const problem of headerMap.problems) (problem.code === 'unknown_column' ? warnings : problems).push(problem)
        if (problems.length > 0) break
        continue
      }
      outcome.rowsRead++
      const { values, problems: rowProblems } = parseRow(row.line, row.cells, headerMap)
      const key = typeof values.householdKey === 'string' ? values.householdKey : ''
      if (key !== groupKey || group.length === 0) {
        await flushGroup()
        if (key !== '' && seenKeys.has(key)) {
          rowProblems.push({ line: row.line, column: headers.get('householdKey') ?? '户编号', code: 'household_rows_apart', reason: `户编号 ${key} 的成员行不相邻 (a household's rows must be next to each other)` })
        }
        seenKeys.add(key)
        groupKey = key
        groupBad = false
      }
      rowProblems.push(...checkId(row.line, values.idNumber))
      if (rowProblems.length > 0) {
        problems.push(...rowProblems)
        groupBad = true
      }
      group.push({ line: row.line, values })
      if (outcome.rowsRead % progressEvery === 0) await onProgress(outcome.rowsRead)
    }
    await flushGroup()
    await flushBatch()
    await writing
    if (!headerMap) problems.push({ line: 1, column: '', code: 'empty_file', reason: '文件为空 (empty file)' })
    await onProgress(outcome.rowsRead)

    problems.sort((a, b) => a.line - b.line)
    const rejected = request.mode === 'all_or_nothing' && problems.length > 0
    if (rejected) {
      // Report, but keep nothing: roll the transaction back after reading the counts.
      const report: ImportOutcome = { status: 'rejected', ...outcome, householdsCreated: 0, problems, warnings, clashesElsewhere }
      throw new RollbackWith(report)
    }
    return { status: 'completed' as const, ...outcome, problems, warnings, clashesElsewhere }
  }).catch(error => {
    if (error instanceof RollbackWith) return error.outcome
    throw error
  })
}

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
