// Members leave a household (a death, a move) without being deleted: the assistance chain and
// past decisions refer to them. A member who left keeps the day and the reason; 一人一次 counts
// current members only, so that someone who moved out can be registered in their new household.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE persons
      ADD COLUMN left_on date,
      ADD COLUMN left_reason text CHECK (left_reason IN ('death', 'moved_out', 'other')),
      ADD CONSTRAINT persons_left_with_reason CHECK ((left_on IS NULL) = (left_reason IS NULL));
    ALTER TABLE persons DROP CONSTRAINT persons_id_blind_index_key;
    CREATE UNIQUE INDEX persons_id_blind_index_key ON persons (id_blind_index) WHERE left_on IS NULL;
  `.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX persons_id_blind_index_key;
    ALTER TABLE persons ADD CONSTRAINT persons_id_blind_index_key UNIQUE (id_blind_index);
    ALTER TABLE persons DROP CONSTRAINT persons_left_with_reason, DROP COLUMN left_reason, DROP COLUMN left_on;
  `.execute(db)
}
