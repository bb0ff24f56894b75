// Proposals carry what their help is (tags, from the project to the chain entry) and the
// duplicate check's verdict at confirmation (what conflicted and was overridden, what was
// complementary); a confirmed proposal can be cancelled with a reason before delivery, which
// gives its place and budget back; overdue fulfilments are flagged with the day found.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE proposals
      ADD COLUMN tags text[] NOT NULL DEFAULT '{}',
      ADD COLUMN duplicate_check jsonb,
      DROP CONSTRAINT proposals_status_check,
      ADD CONSTRAINT proposals_status_check CHECK (status IN ('open', 'confirmed', 'rejected', 'superseded', 'cancelled')),
      DROP CONSTRAINT proposals_check,
      ADD CONSTRAINT proposals_reason CHECK (status NOT IN ('rejected', 'cancelled') OR reason IS NOT NULL);

    ALTER TABLE fulfilments
      ADD COLUMN overdue_since date,
      DROP CONSTRAINT fulfilments_state_check,
      ADD CONSTRAINT fulfilments_state_check CHECK (state IN ('in_progress', 'delivered', 'received', 'cancelled'));
    CREATE INDEX fulfilments_due ON fulfilments (due_on) WHERE state = 'in_progress';
  `.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX fulfilments_due;
    UPDATE fulfilments SET state = 'in_progress' WHERE state = 'cancelled';
    ALTER TABLE fulfilments DROP CONSTRAINT fulfilments_state_check, DROP COLUMN overdue_since,
      ADD CONSTRAINT fulfilments_state_check CHECK (state IN ('in_progress', 'delivered', 'received'));
    UPDATE proposals SET status = 'rejected' WHERE status = 'cancelled';
    ALTER TABLE proposals DROP CONSTRAINT proposals_reason, DROP CONSTRAINT proposals_status_check, DROP COLUMN duplicate_check, DROP COLUMN tags,
      ADD CONSTRAINT proposals_status_check CHECK (status IN ('open', 'confirmed', 'rejected', 'superseded')),
      ADD CONSTRAINT proposals_check CHECK (status <> 'rejected' OR reason IS NOT NULL);
  `.execute(db)
}
