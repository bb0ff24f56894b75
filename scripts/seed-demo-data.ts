// Deciding, at each demo-mode start, whether the demo data must be loaded. The load commits
// batch by batch, so "some households exist" does not mean "loaded": two marks in the audit
// trail (append-only, so they cannot be lost half-way) say how far it got, started and
// finished. The loader skips households it has already written, so calling it again after
// an interrupted start resumes where it stopped.
import type { Db } from '../server/db/database.js'
import { appendAudit } from '../server/audit/chain.js'
import { SYSTEM_ACTOR } from '../server/audit/plugin.js'
import type { LoadCounts } from './demo-data/load.js'

export const DEMO_LOADING = 'demo_data.loading'
export const DEMO_LOADED = 'demo_data.loaded'

/** Calls `load` on a fresh database, and again after every start that did not finish it. */
export async function seedDemoData (db: Db, load: () => Promise<LoadCounts>, log: (line: string) => void): Promise<void> {
  const marks = new Set((await db.selectFrom('audit_records').select('action')
    .where('action', 'in', [DEMO_LOADING, DEMO_LOADED]).execute()).map(row => row.action))
  if (marks.has(DEMO_LOADED)) return
  if (marks.has(DEMO_LOADING)) {
    log('resuming the demo data load an earlier start did not finish …')
  } else {
    // Households without a mark are someone's own data (or demo data loaded before the marks existed).
    if (await db.selectFrom('households').select('id').limit(1).executeTakeFirst()) return
    await appendAudit(db, { actor: SYSTEM_ACTOR, action: DEMO_LOADING })
    log('loading demo data …')
  }
  const counts = await load()
  await appendAudit(db, { actor: SYSTEM_ACTOR, action: DEMO_LOADED, details: counts })
  log(`demo data loaded: ${counts.households} households, ${counts.persons} persons, ${counts.wishes} wishes`)
}
