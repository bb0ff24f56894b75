// Runs one roster import: streams the file, validates every row, and writes households in
// batches. `all_or_nothing` (default) writes nothing when any row is bad but still reports
// every bad row; `valid_rows_only` writes the good households and reports the rest.
// Re-importing a file creates nothing new: a household whose 户编号 exists is left unchanged.
import { sql } from 'kysely'
import type { Db } from '../../db/database.js'
import { inScope, type RegionScope } from '../../db/scope.js'
import type { PiiKeys } from '../../privacy/pii.js'
import { insertHouseholds, type PreparedHousehold } from '../bulk-write.js'
import { registryContext } from '../context.js'
import { prepareHousehold } from '../prepare.js'
import { assembleHousehold, locateProblem, type ParsedRow, type RosterHousehold } from './households.js'
import { readRoster, type RosterFormat } from './reader.js'
import { mapHeaders, parseRow, type RowProblem } from './rows.js'

export type ImportMode = 'all_or_nothing' | 'valid_rows_only'

export interface ImportRequest {
  path: string
  format: RosterFormat
  mode: ImportMode
  scope: RegionScope
  asOf: string
  keys: PiiKeys
}

export interface ImportOutcome {
  status: 'completed' | 'rejected'
  rowsRead: number
  householdsCreated: number
  householdsUnchanged: number
  householdsRejected: number
  problems: RowProblem[]
}

const BATCH = 500

export async function runImport (db: Db, request: ImportRequest, onProgress: (rowsRead: number) => Promise<void> = async () => {}): Promise<ImportOutcome> {
  const registry = await registryContext(db, request.keys, request.asOf)
  // Importers may register households of their own region only.
  const context = { ...registry, isVillage: (code: string) => inScope(request.scope, code) && registry.isVillage(code) }

  return db.transaction().execute(async trx => {
    const problems: RowProblem[] = []
    const outcome = { rowsRead: 0, householdsCreated: 0, householdsUnchanged: 0, householdsRejected: 0 }
    const fileIds = new Map<string, number>() // blind index (hex) → first line, across the file
    const seenKeys = new Set<string>()
    let headers = new Map<string, string>()
    let headerMap: ReturnType<typeof mapHeaders> | undefined
    let group: ParsedRow[] = []
    let groupKey = ''
    let groupBad = false
    let batch: Array<{ household: RosterHousehold, prepared: PreparedHousehold }> = []

    const writeAllowed = () => request.mode === 'valid_rows_only' || problems.length === 0

    const flushBatch = async () => {
      if (batch.length === 0) return
      const current = batch
      batch = []
      const existingKeys = new Set((await trx.selectFrom('households').select('external_key')
        .where('external_key', 'in', current.map(b => b.household.key)).execute()).map(row => row.external_key))
      const fresh = current.filter(b => !existingKeys.has(b.household.key))
      outcome.householdsUnchanged += current.length - fresh.length
      const indexes = fresh.flatMap(b => b.prepared.members.map(m => m.idBlindIndex))
      const taken = indexes.length === 0 ? [] : (await sql<{ idx: Buffer, key: string | null, id: number }>`
        SELECT p.id_blind_index AS idx, h.external_key AS key, h.id FROM persons p JOIN households h ON h.id = p.household_id
        WHERE p.id_blind_index = ANY(${indexes}::bytea[])`.execute(trx)).rows
      const takenBy = new Map(taken.map(row => [row.idx.toString('hex'), row.key ?? `#${row.id}`]))
      const writable: PreparedHousehold[] = []
      for (const { household, prepared } of fresh) {
        const clashes = prepared.members.flatMap((member, index) => {
          const owner = takenBy.get(member.idBlindIndex.toString('hex'))
          return owner === undefined ? [] : [locateProblem({ field: `members.${index}.idNumber`, code: 'id_already_registered', message: `身份证号已登记在户 ${owner}（一人一次）(ID number already registered)` }, household, headers)]
        })
        if (clashes.length > 0) {
          problems.push(...clashes)
          outcome.householdsRejected++
        } else {
          writable.push(prepared)
        }
      }
      if (writeAllowed()) {
        await insertHouseholds(trx, writable)
        outcome.householdsCreated += writable.length
      }
    }

    const flushGroup = async () => {
      if (group.length === 0) return
      const rows = group
      group = []
      if (groupBad) { outcome.householdsRejected++; return }
      const household = assembleHousehold(groupKey, rows, headers)
      const found: RowProblem[] = [...household.problems]
      let prepared: PreparedHousehold | undefined
      if (household.input) {
        const result = prepareHousehold(household.input, groupKey, context)
        found.push(...result.problems.map(problem => locateProblem(problem, household, headers)))
        prepared = result.prepared
      }
      prepared?.members.forEach((member, index) => {
        const hex = member.idBlindIndex.toString('hex')
        const firstLine = fileIds.get(hex)
        const line = household.lines[index] ?? 0
        if (firstLine !== undefined) found.push({ line, column: headers.get('idNumber') ?? '身份证号', code: 'duplicate_in_file', reason: `身份证号与第 ${firstLine} 行重复 (duplicate ID number in the file)` })
        else fileIds.set(hex, line)
      })
      if (found.length > 0 || !prepared) {
        problems.push(...found)
        outcome.householdsRejected++
        return
      }
      batch.push({ household, prepared })
      if (batch.length >= BATCH) await flushBatch()
    }

    for await (const row of readRoster(request.path, request.format)) {
      if (!headerMap) {
        headerMap = mapHeaders(row.cells, row.line)
        headers = new Map(headerMap.columns.flatMap(c => c ? [[c.spec.field, c.header] as const] : []))
        problems.push(...headerMap.problems.filter(p => p.code !== 'unknown_column'))
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
      if (rowProblems.length > 0) {
        problems.push(...rowProblems)
        groupBad = true
      }
      group.push({ line: row.line, values })
      if (outcome.rowsRead % 5000 === 0) await onProgress(outcome.rowsRead)
    }
    await flushGroup()
    await flushBatch()
    if (!headerMap) problems.push({ line: 1, column: '', code: 'empty_file', reason: '文件为空 (empty file)' })
    await onProgress(outcome.rowsRead)

    problems.sort((a, b) => a.line - b.line)
    const rejected = request.mode === 'all_or_nothing' && problems.length > 0
    if (rejected) {
      // Report, but keep nothing: roll the transaction back after reading the counts.
      const report: ImportOutcome = { status: 'rejected', ...outcome, householdsCreated: 0, problems }
      throw new RollbackWith(report)
    }
    return { status: 'completed' as const, ...outcome, problems }
  }).catch(error => {
    if (error instanceof RollbackWith) return error.outcome
    throw error
  })
}

class RollbackWith extends Error {
  constructor (readonly outcome: ImportOutcome) { super('import rejected') }
}
