// What a department feed of a million records needs of the database (issue 19's target: matched
// against a million persons in 30 s), each change measured on the import's statement:
// - Members who left are found by their ID number's blind index too (a record about a former
//   member is reported as such, not as a stranger): without this index each such look-up read
//   the whole persons table, the unique index covering current members only (0016).
// - feed_records keeps no foreign keys: its rows are written by the one statement that joins
//   them to persons and households at that moment, persons and households are never deleted
//   (members leave with left_on; 0016) nor are feed imports; the three per-row checks were a
//   third of the statement's time.
// - The import's records are looked up by import only for the unmatched ones (the import's
//   report), so only those are indexed by import.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX persons_former_blind_index ON persons (id_blind_index) WHERE left_on IS NOT NULL;
    ALTER TABLE feed_records DROP CONSTRAINT feed_records_import_id_fkey, DROP CONSTRAINT feed_records_person_id_fkey, DROP CONSTRAINT feed_records_household_id_fkey;
    DROP INDEX feed_records_import;
    CREATE INDEX feed_records_unmatched ON feed_records (import_id, line) WHERE status = 'unmatched';
  `.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX feed_records_unmatched;
    CREATE INDEX feed_records_import ON feed_records (import_id, status, line);
    ALTER TABLE feed_records ADD CONSTRAINT feed_records_import_id_fkey FOREIGN KEY (import_id) REFERENCES feed_imports (id),
      ADD CONSTRAINT feed_records_person_id_fkey FOREIGN KEY (person_id) REFERENCES persons (id),
      ADD CONSTRAINT feed_records_household_id_fkey FOREIGN KEY (household_id) REFERENCES households (id);
    DROP INDEX persons_former_blind_index;
  `.execute(db)
}
