// The reading half of a feed import, run on a worker thread (read-batches.ts): reads the file,
// checks every row (an invalid one becomes a problem with its line, field and reason), computes
// each ID number's blind index and the record's key, reports the file's own repeats, and posts
// the records in batches ready for the database.
import { parentPort, workerData } from 'node:worker_threads'
import { blindIndexer } from '../../privacy/pii.js'
import { maskIdNumber, parseFeedRow, recordKey, type FeedProblem } from './columns.js'
import { RecordKeySet } from './key-set.js'
import { BATCHES_AHEAD, type BatchRecord, type ReadMessage, type ReadRequest } from './read-batches.js'
import { readFeedInChunks, type FeedRow } from './reader.js'

const PROGRESS_EVERY = 1000

const port = parentPort
if (port === null) throw new Error('read-worker.ts runs as a worker thread (read-batches.ts starts it)')
const request = (workerData as { request: ReadRequest }).request

let untaken = 0
let taken: (() => void) | undefined
const onTaken = () => { untaken--; taken?.(); taken = undefined }
port.on('message', onTaken)

const send = (message: ReadMessage) => port.postMessage(message)

const blindIndex = blindIndexer(request.blindIndexKey)
/** Keys seen in this file: the same record twice in one file is a problem, not two records. */
const seen = new RecordKeySet()
let rowsRead = 0
let invalid = 0
let problems: FeedProblem[] = []
let records: BatchRecord[] = []
let document: string[] = []

async function post (): Promise<void> {
  send({ type: 'batch', rowsRead, invalid, problems, records, document: `[${document.join(',')}]` })
  invalid = 0
  problems = []
  records = []
  document = []
  untaken++
  while (untaken > BATCHES_AHEAD) await new Promise<void>(resolve => { taken = resolve })
}

/** Reads one row into the batch; true when the batch is full. */
function read (row: FeedRow): boolean {
  if ('problem' in row) {
    // A header or file problem (line 1) reads no row; a bad JSON record is a row.
    if (row.problem.code !== 'missing_column' && row.problem.code !== 'invalid_json') { rowsRead++; invalid++ }
    problems.push(row.problem)
    return false
  }
  rowsRead++
  if (rowsRead % PROGRESS_EVERY === 0) send({ type: 'progress', rowsRead })
  const { record, problems: found } = parseFeedRow(request.kind, row.line, row.values, request.asOf)
  if (!record) {
    invalid++
    problems.push(...found)
    return false
  }
  const idIndex = blindIndex(record.idNumber)
  const key = recordKey(request.kind, record, idIndex)
  const first = seen.firstLine(key, row.line)
  if (first !== undefined) {
    invalid++
    problems.push({ line: row.line, field: '', code: 'duplicate_in_file', reason: `与第 ${first} 行是同一条记录` })
    return false
  }
  records.push({ line: record.line, facts: record.facts })
  // Written out rather than JSON.stringify of a wrapper object: hex digits and a masked ID number need no escaping.
  document.push(`{"key":"${key.toString('hex')}","idIndex":"${idIndex.toString('hex')}","line":${record.line},"masked":"${maskIdNumber(record.idNumber)}","facts":${JSON.stringify(record.facts)}}`)
  return records.length >= request.batchSize
}

for await (const rows of readFeedInChunks(request.path, request.format, request.kind)) {
  for (const row of rows) if (read(row)) await post()
}
await post()
send({ type: 'end' })
port.off('message', onTaken)
