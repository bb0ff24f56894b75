// The open-help flag (0170) right when two people change one household's help at once. Each
// trigger computed the flag from its own statement's snapshot and wrote it only if it changed:
// a clerk closing one wish while a colleague raised another could each miss the other's
// uncommitted change, and the last to commit left the flag false with a wish open. Now every
// trigger first locks the households it touched (in id order, FOR NO KEY UPDATE, which does not
// block the foreign-key checks of rows referring to them) and computes the flag in a statement
// of its own after the lock — in READ COMMITTED a fresh snapshot, which sees what the other
// writer committed.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION note_help_under_way() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE hids bigint[];
    BEGIN
      EXECUTE format('SELECT array_agg(DISTINCT h ORDER BY h) FROM (%s) AS touched(h) WHERE h IS NOT NULL', TG_ARGV[0]) INTO hids;
      IF hids IS NULL THEN RETURN NULL; END IF;
      PERFORM 1 FROM households WHERE id = ANY (hids) ORDER BY id FOR NO KEY UPDATE;
      PERFORM refresh_help_under_way(hids);
      RETURN NULL;
    END $$;
  `.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION note_help_under_way() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE hids bigint[];
    BEGIN
      EXECUTE format('SELECT array_agg(DISTINCT h) FROM (%s) AS touched(h) WHERE h IS NOT NULL', TG_ARGV[0]) INTO hids;
      IF hids IS NOT NULL THEN PERFORM refresh_help_under_way(hids); END IF;
      RETURN NULL;
    END $$;
  `.execute(db)
}
