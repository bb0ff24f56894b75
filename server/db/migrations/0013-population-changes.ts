// The matcher's change log: every write to what a proposal run's population is made of
// (server/proposals/population.ts) notes the households it touched, so that the worker can keep
// one population in memory and reload only those households before each run
// (server/proposals/live-population.ts). Triggers, not application code, write it: imports,
// the demo loader and every route then keep it current without remembering to.
//
// Each row carries the id of the transaction that wrote it. A reader keeps the snapshot it took
// when it last looked and next reads exactly the rows that snapshot could not see
// (pg_visible_in_snapshot): a change committed late, by a transaction that began before the
// reader looked, is not missed, and nothing seen is read twice. A row without a household means
// "everything" (a region's profile or a policy parameter changed the income lines). Rows older
// than two days are pruned: a population lives one day at most.
import { sql, type Kysely } from 'kysely'

/** Per table, the households a statement's changed rows (`changed`, and `before` for updates) belong to. */
const WATCHED: Array<{ table: string, households: (rows: string) => string }> = [
  { table: 'households', households: rows => `SELECT id FROM ${rows}` },
  { table: 'persons', households: rows => `SELECT household_id FROM ${rows}` },
  { table: 'assistance_entries', households: rows => `SELECT household_id FROM ${rows}` },
  { table: 'category_decisions', households: rows => `SELECT household_id FROM ${rows}` },
  { table: 'wishes', households: rows => `SELECT household_id FROM ${rows}` },
  { table: 'dream_rooms', households: rows => `SELECT household_id FROM ${rows}` },
  // A run's own open proposals, and their superseding by the next run, change no population:
  // only applications (open needs) and decided proposals (help promised) do.
  { table: 'proposals', households: rows => `SELECT household_id FROM ${rows} WHERE source = 'application' OR status NOT IN ('open', 'superseded')` },
  { table: 'fulfilments', households: rows => `SELECT p.household_id FROM ${rows} f JOIN proposals p ON p.id = f.proposal_id` }
]

/** Tables whose changes move every household's income line. */
const EVERYWHERE = ['region_policies', 'policy_parameters']

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE population_changes (
      id bigserial PRIMARY KEY,
      household_id integer,
      txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
      changed_at timestamptz NOT NULL DEFAULT now()
    );
    -- One row per household and transaction: an import's households, members and decisions
    -- name each household once; the index also serves the reader's scan by transaction.
    CREATE UNIQUE INDEX population_changes_once ON population_changes (txid, household_id);
    CREATE INDEX population_changes_at ON population_changes (changed_at);

    -- TG_ARGV[0]: a query over the statement's transition tables naming the households touched.
    CREATE FUNCTION note_population_changes() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      EXECUTE format('INSERT INTO population_changes (household_id) SELECT DISTINCT h FROM (%s) AS touched(h) WHERE h IS NOT NULL ON CONFLICT DO NOTHING', TG_ARGV[0]);
      RETURN NULL;
    END $$;

    CREATE FUNCTION note_population_change_everywhere() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO population_changes (household_id) VALUES (NULL);
      RETURN NULL;
    END $$;
  `.execute(db)
  for (const { table, households } of WATCHED) {
    const inserted = households('changed')
    const updated = `${households('changed')} UNION ${households('before')}`
    await sql.raw(`
      CREATE TRIGGER ${table}_population_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION note_population_changes(${quote(inserted)});
      CREATE TRIGGER ${table}_population_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS before NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION note_population_changes(${quote(updated)});
      CREATE TRIGGER ${table}_population_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION note_population_changes(${quote(inserted)});
    `).execute(db)
  }
  for (const table of EVERYWHERE) {
    await sql.raw(`
      CREATE TRIGGER ${table}_population AFTER INSERT OR UPDATE OR DELETE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION note_population_change_everywhere();
    `).execute(db)
  }
}

/** A trigger argument is a string literal. */
const quote = (text: string) => `'${text.replaceAll("'", "''")}'`

export async function down (db: Kysely<unknown>): Promise<void> {
  for (const { table } of WATCHED) {
    await sql.raw(`DROP TRIGGER ${table}_population_insert ON ${table}; DROP TRIGGER ${table}_population_update ON ${table}; DROP TRIGGER ${table}_population_delete ON ${table};`).execute(db)
  }
  for (const table of EVERYWHERE) await sql.raw(`DROP TRIGGER ${table}_population ON ${table};`).execute(db)
  await sql`DROP FUNCTION note_population_changes(); DROP FUNCTION note_population_change_everywhere(); DROP TABLE population_changes;`.execute(db)
}
