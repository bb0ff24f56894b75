// A sign-in attempt is stored, as a failure, before its password is checked, so that a burst
// of parallel guesses cannot all pass the limit; `checking` marks those whose check has not
// ended yet. The lock-out is decided when a check ends, counting only the failures already
// decided, so that the audit trail records the failures and then, once, the lock-out they
// caused — in the order they were decided — and a guess that turns out right is never
// reported as having caused one.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE login_attempts ADD COLUMN checking boolean NOT NULL DEFAULT false`.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE login_attempts DROP COLUMN checking`.execute(db)
}
