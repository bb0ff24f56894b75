// A project can be paused (issue 18): while paused it takes no new runs, applications,
// confirmations or fundings, and what is already confirmed goes on to delivery and receipt.
// The state machine is server/supply/project-states.ts.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE projects DROP CONSTRAINT projects_status_check,
    ADD CONSTRAINT projects_status_check CHECK (status IN ('draft', 'open', 'paused', 'closed'))`.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`UPDATE projects SET status = 'open' WHERE status = 'paused'`.execute(db)
  await sql`ALTER TABLE projects DROP CONSTRAINT projects_status_check,
    ADD CONSTRAINT projects_status_check CHECK (status IN ('draft', 'open', 'closed'))`.execute(db)
}
