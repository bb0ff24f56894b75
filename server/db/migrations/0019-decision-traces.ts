// Decision traces are written with every registration, import and reclassification and only
// ever read back whole (nothing queries inside them): stored as json (checked, not converted)
// and uncompressed (EXTERNAL), they cost PostgreSQL a third of the CPU jsonb with pglz did —
// about 0.2 ms a household, the largest single cost of a roster import — for twice the disk.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE category_decisions
      ALTER COLUMN trace TYPE json USING trace::json,
      ALTER COLUMN trace SET STORAGE EXTERNAL;
  `.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE category_decisions
      ALTER COLUMN trace SET STORAGE EXTENDED,
      ALTER COLUMN trace TYPE jsonb USING trace::jsonb;
  `.execute(db)
}
