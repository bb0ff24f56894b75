// Three corrections to the open-help flag (0170).
//
// 1. Right when two people change one household's help at once. Each trigger computed the flag from its own statement's snapshot and wrote it only if it changed:
// a clerk closing one wish while a colleague raised another could each miss the other's
// uncommitted change, and the last to commit left the flag false with a wish open. Now every
// trigger first locks the households it touched (in id order, FOR NO KEY UPDATE, which does not
// block the foreign-key checks of rows referring to them) and computes the flag in a statement
// of its own after the lock — in READ COMMITTED a fresh snapshot, which sees what the other
// writer committed.
//
// 2. Not a change of the matcher's population. Writing the flag updated the household, and the
// change log (0013) noted every household a proposal run had just proposed for — so the next
// run reloaded them all, which the log's own rule for a run's open proposals exists to avoid
// (100 runs at 30,000 households: the looks between runs 0.5 → 1.1 s). An update of households
// is now noted only when something besides the flag changed.
//
// 3. Cheap for a few households. refresh_help_under_way(hids) selected its households with
// "hids IS NULL OR id = ANY (hids)", which one plan serves only by reading every household: each
// wish, proposal or voucher statement read the whole households table (100 proposal runs at
// 30,000 households: 2.9 s of writes became 7.5 s; at a million persons every statement would
// read 330,000 rows). The two cases are now two statements, the named households by their key.
import { sql, type Kysely } from 'kysely'

const HOUSEHOLDS_CHANGED = (ignoring: string) =>
  `SELECT c.id FROM changed c JOIN before b ON b.id = c.id WHERE to_jsonb(c) - '${ignoring}' IS DISTINCT FROM to_jsonb(b) - '${ignoring}'`
const quote = (text: string) => `'${text.replaceAll("'", "''")}'`

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE OR REPLACE FUNCTION refresh_help_under_way(hids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
    BEGIN
      IF hids IS NULL THEN
        UPDATE households h SET help_under_way = NOT h.help_under_way WHERE h.help_under_way <> has_help_under_way(h.id);
      ELSE
        UPDATE households h SET help_under_way = NOT h.help_under_way WHERE h.id = ANY (hids) AND h.help_under_way <> has_help_under_way(h.id);
      END IF;
    END $$;

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
  await sql.raw(`
    DROP TRIGGER households_population_update ON households;
    CREATE TRIGGER households_population_update AFTER UPDATE ON households REFERENCING OLD TABLE AS before NEW TABLE AS changed
      FOR EACH STATEMENT EXECUTE FUNCTION note_population_changes(${quote(HOUSEHOLDS_CHANGED('help_under_way'))});
  `).execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP FUNCTION refresh_help_under_way(bigint[]);
    CREATE FUNCTION refresh_help_under_way(hids bigint[]) RETURNS void LANGUAGE sql AS $$
      UPDATE households h SET help_under_way = now_under_way
      FROM (SELECT id, has_help_under_way(id) AS now_under_way FROM households WHERE hids IS NULL OR id = ANY (hids)) AS looked
      WHERE h.id = looked.id AND h.help_under_way <> looked.now_under_way
    $$;
  `.execute(db)
  await sql.raw(`
    DROP TRIGGER households_population_update ON households;
    CREATE TRIGGER households_population_update AFTER UPDATE ON households REFERENCING OLD TABLE AS before NEW TABLE AS changed
      FOR EACH STATEMENT EXECUTE FUNCTION note_population_changes(${quote('SELECT id FROM changed UNION SELECT id FROM before')});
  `).execute(db)
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
