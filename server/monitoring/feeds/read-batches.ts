// A feed file read in batches on a thread of its own (read-worker.ts), so that reading, checking
// and hashing the next records runs beside the database storing the current ones and the rules
// judging them: a million records are 30 s of work for one core and the machine has two.
// The reader keeps at most two batches ready that the import has not taken, so memory stays
// bounded however large the file.
import { Worker } from 'node:worker_threads'
import type { FeedFacts, FeedKind } from '../../../matching/monitoring/index.js'
import type { FeedProblem } from './columns.js'
import type { FeedFormat } from './reader.js'

export interface ReadRequest {
  path: string
  format: FeedFormat
  kind: FeedKind
  asOf: string
  blindIndexKey: Uint8Array
  batchSize: number
}

/** A record ready for the rules: where it is in the file and what it says. */
export interface BatchRecord { line: number, facts: FeedFacts }

export type ReadMessage =
  /** Rows read so far: sent every 1,000 rows, for the import's progress. */
  | { type: 'progress', rowsRead: number }
  /**
   * The next records, as the JSON document the import's statement reads (key, blind index,
   * line, masked ID number and facts of each: the ID numbers themselves stay on the reader's
   * side) and as line and facts for the rules; with the rows found invalid since the last batch.
   */
  | { type: 'batch', rowsRead: number, invalid: number, problems: FeedProblem[], records: BatchRecord[], document: string }
  | { type: 'end' }

/** How many batches the reader may have ready beyond the one being taken. */
export const BATCHES_AHEAD = 2

export async function * readFeedInBatches (request: ReadRequest): AsyncGenerator<Exclude<ReadMessage, { type: 'end' }>> {
  const worker = new Worker(new URL('../../worker-thread.mjs', import.meta.url), {
    workerData: { module: new URL('./read-worker.ts', import.meta.url).href, request }
  })
  const inbox: ReadMessage[] = []
  let failure: Error | undefined
  let wake: (() => void) | undefined
  const notify = () => { wake?.(); wake = undefined }
  worker.on('message', (message: ReadMessage) => { inbox.push(message); notify() })
  worker.on('error', error => { failure = error; notify() })
  worker.on('exit', code => { failure ??= new Error(`the feed reader stopped before the end of the file (exit code ${code})`); notify() })
  try {
    for (;;) {
      const message = inbox.shift()
      if (message === undefined) {
        if (failure) throw failure
        await new Promise<void>(resolve => { wake = resolve })
        continue
      }
      if (message.type === 'end') return
      // Taken: the reader may prepare one more.
      if (message.type === 'batch') worker.postMessage('taken')
      yield message
    }
  } finally {
    await worker.terminate()
  }
}
