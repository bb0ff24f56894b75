// Decisions about persons (issue 21): what the person rules need to know about a member — 户籍
// (Nanxun 三(五)'s 低收入农户 are of 原农村户籍), public-sector staff (left out of them), and the
// days of their 防返贫 monitoring — the rigid spending other than medical and education
// ("医疗、教育等"), and each decision's outcome per member. Decisions stay append-only: the
// new column is written with the decision and never after; decisions made before it hold [].
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE persons
      ADD COLUMN hukou text CHECK (hukou IN ('rural', 'urban')),
      ADD COLUMN public_sector boolean NOT NULL DEFAULT false,
      ADD COLUMN monitored_from date,
      ADD COLUMN monitored_until date,
      ADD CONSTRAINT persons_monitoring_days CHECK (monitored_until IS NULL OR (monitored_from IS NOT NULL AND monitored_until >= monitored_from));
    ALTER TABLE households
      ADD COLUMN other_rigid_expense numeric(14, 2) NOT NULL DEFAULT 0 CHECK (other_rigid_expense >= 0);
    -- Read back whole with the decision, never queried inside: json, like the trace (0019).
    ALTER TABLE category_decisions
      ADD COLUMN members json NOT NULL DEFAULT '[]';
  `.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE category_decisions DROP COLUMN members;
    ALTER TABLE households DROP COLUMN other_rigid_expense;
    ALTER TABLE persons DROP CONSTRAINT persons_monitoring_days, DROP COLUMN monitored_until, DROP COLUMN monitored_from,
      DROP COLUMN public_sector, DROP COLUMN hukou;
  `.execute(db)
}
