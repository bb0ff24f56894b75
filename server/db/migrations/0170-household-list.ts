// The household list at a million persons (issue 17, bench/workbench.bench.ts):
//
// - households.help_under_way: whether the household has help under way (a wish between
//   submission and receipt, a proposal open or confirmed and not yet received, a dream room
//   not finished, a training voucher not used — server/registry/households.ts `helpUnderWay`).
//   The list's "has open help" filter and its count read it, with an index of the households
//   that have it, instead of probing four tables for each of a county's ~280,000 households
//   (3.2 s at 1,000,000 wishes; a table of such households still cost 150–260 ms to join: see
//   bench/RESULTS.md). Triggers on the four tables (and fulfilments) keep it: after each
//   statement the households it touched are looked at again from the tables themselves, so the
//   flag is exactly what the four conditions say, and it is written only when it changes.
//   Bulk loads that switch triggers off (session_replication_role = replica) must set it
//   themselves (`refresh_help_under_way(NULL)` looks at every household).
// - households (id) INCLUDE (region_code, category, status, updated_at, help_under_way): a
//   deep page of a region's list, ordered by id and filtered, skips its rows in the index alone.
// - households (region_code, category, status) INCLUDE (help_under_way, updated_at): the
//   list's count under any of its filters reads the region's entries of one index, not the
//   table (a county's 低保 households counted from the table took 160–250 ms at p95).
// - households (updated_at): "changed since".
// - wishes (state, region_code): the workbench's "wishes to verify / to publish" counts read the
//   region's wishes of that state, not every wish of the region (wishes_region leads with it).
import { sql, type Kysely } from 'kysely'

/** Per table, the households a statement's changed rows (`changed`, and `before` for updates) belong to. */
const WATCHED: Array<{ table: string, households: (rows: string) => string }> = [
  { table: 'wishes', households: rows => `SELECT household_id FROM ${rows}` },
  { table: 'proposals', households: rows => `SELECT household_id FROM ${rows}` },
  { table: 'fulfilments', households: rows => `SELECT p.household_id FROM ${rows} f JOIN proposals p ON p.id = f.proposal_id` },
  { table: 'dream_rooms', households: rows => `SELECT household_id FROM ${rows}` },
  { table: 'vouchers', households: rows => `SELECT household_id FROM ${rows}` }
]

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE households ADD COLUMN help_under_way boolean NOT NULL DEFAULT false;
    CREATE INDEX households_help_under_way ON households (region_code text_pattern_ops) WHERE help_under_way;

    CREATE FUNCTION has_help_under_way(hid bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT EXISTS (SELECT 1 FROM wishes WHERE household_id = hid AND state IN ('submitted', 'verified', 'published', 'claimed', 'delivered'))
        OR EXISTS (SELECT 1 FROM proposals p LEFT JOIN fulfilments f ON f.proposal_id = p.id WHERE p.household_id = hid
                   AND (p.status = 'open' OR (p.status = 'confirmed' AND f.state IN ('in_progress', 'delivered'))))
        OR EXISTS (SELECT 1 FROM dream_rooms WHERE household_id = hid AND stage IN ('survey', 'design', 'build', 'handover'))
        OR EXISTS (SELECT 1 FROM vouchers WHERE household_id = hid AND state IN ('issued', 'assigned'))
    $$;

    -- The households named (NULL: every household) looked at again.
    CREATE FUNCTION refresh_help_under_way(hids bigint[]) RETURNS void LANGUAGE sql AS $$
      UPDATE households h SET help_under_way = now_under_way
      FROM (SELECT id, has_help_under_way(id) AS now_under_way FROM households WHERE hids IS NULL OR id = ANY (hids)) AS looked
      WHERE h.id = looked.id AND h.help_under_way <> looked.now_under_way
    $$;

    -- TG_ARGV[0]: a query over the statement's transition tables naming the households touched.
    CREATE FUNCTION note_help_under_way() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE hids bigint[];
    BEGIN
      EXECUTE format('SELECT array_agg(DISTINCT h) FROM (%s) AS touched(h) WHERE h IS NOT NULL', TG_ARGV[0]) INTO hids;
      IF hids IS NOT NULL THEN PERFORM refresh_help_under_way(hids); END IF;
      RETURN NULL;
    END $$;

    CREATE INDEX households_id_covering ON households (id) INCLUDE (region_code, category, status, updated_at, help_under_way);
    CREATE INDEX households_region_filters ON households (region_code text_pattern_ops, category, status) INCLUDE (help_under_way, updated_at);
    CREATE INDEX households_updated ON households (updated_at);
    CREATE INDEX wishes_state_region ON wishes (state, region_code text_pattern_ops);
  `.execute(db)
  for (const { table, households } of WATCHED) {
    const inserted = households('changed')
    const updated = `${households('changed')} UNION ${households('before')}`
    await sql.raw(`
      CREATE TRIGGER ${table}_help_insert AFTER INSERT ON ${table} REFERENCING NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION note_help_under_way(${quote(inserted)});
      CREATE TRIGGER ${table}_help_update AFTER UPDATE ON ${table} REFERENCING OLD TABLE AS before NEW TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION note_help_under_way(${quote(updated)});
      CREATE TRIGGER ${table}_help_delete AFTER DELETE ON ${table} REFERENCING OLD TABLE AS changed
        FOR EACH STATEMENT EXECUTE FUNCTION note_help_under_way(${quote(inserted)});
    `).execute(db)
  }
  await sql`SELECT refresh_help_under_way(NULL)`.execute(db)
}

/** A trigger argument is a string literal. */
const quote = (text: string) => `'${text.replaceAll("'", "''")}'`

export async function down (db: Kysely<unknown>): Promise<void> {
  for (const { table } of WATCHED) {
    await sql.raw(`DROP TRIGGER ${table}_help_insert ON ${table}; DROP TRIGGER ${table}_help_update ON ${table}; DROP TRIGGER ${table}_help_delete ON ${table};`).execute(db)
  }
  await sql`
    DROP INDEX wishes_state_region, households_updated, households_region_filters, households_id_covering;
    DROP FUNCTION note_help_under_way(), refresh_help_under_way(bigint[]), has_help_under_way(bigint);
    DROP INDEX households_help_under_way;
    ALTER TABLE households DROP COLUMN help_under_way;
  `.execute(db)
}
