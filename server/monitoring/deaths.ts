// Deaths that a department's feed reported for registered members. Importing a death record
// (feeds/run.ts) raises a warning but leaves the registry alone: taking the member off the
// household is the clerk's decision when handling it. Until then the member is still listed, so
// every staff list of members marks them from the matched records themselves — derived rather
// than copied into a column, so the mark can never disagree with the records it cites and needs
// no migration or back-fill for records imported before.
import type { Db } from '../db/database.js'
import { FEED_KIND_NAMES } from '../../matching/monitoring/index.js'

export interface RecordedDeath {
  /** The day of death the department gave. */
  diedOn: string
  importId: number
  line: number
  /** Where it came from, in a clerk's words: the feed and its record. */
  source: string
}

/** The earliest matched death record of each of `personIds` that has one. */
export async function recordedDeaths (db: Db, personIds: readonly number[]): Promise<Map<number, RecordedDeath>> {
  if (personIds.length === 0) return new Map()
  const rows = await db.selectFrom('feed_records').select(['person_id', 'occurred_on', 'import_id', 'line'])
    .where('kind', '=', 'death').where('status', '=', 'matched').where('person_id', 'in', [...personIds])
    .orderBy('person_id').orderBy('occurred_on').orderBy('id').execute()
  const deaths = new Map<number, RecordedDeath>()
  for (const r of rows) {
    if (r.person_id === null || deaths.has(r.person_id)) continue
    deaths.set(r.person_id, { diedOn: r.occurred_on, importId: r.import_id, line: r.line, source: `${FEED_KIND_NAMES.death}第 ${r.import_id} 批导入第 ${r.line} 行` })
  }
  return deaths
}
