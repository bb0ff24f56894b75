// Which policy profile governs a region, and the bulk-import runs with their problems.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The profile of the nearest ancestor applies (a county sets it; a town may differ).
    CREATE TABLE region_policies (
      region_code text PRIMARY KEY REFERENCES regions (code),
      profile     text NOT NULL
    );

    CREATE TABLE import_runs (
      id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      file_name    text NOT NULL,
      file_sha256  text NOT NULL,
      format       text NOT NULL CHECK (format IN ('csv', 'xlsx')),
      mode         text NOT NULL CHECK (mode IN ('all_or_nothing', 'valid_rows_only')),
      scope_prefix text NOT NULL,
      status       text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'rejected', 'failed')),
      rows_read    integer NOT NULL DEFAULT 0,
      households_created integer NOT NULL DEFAULT 0,
      households_unchanged integer NOT NULL DEFAULT 0,
      households_rejected integer NOT NULL DEFAULT 0,
      created_by   bigint,
      created_at   timestamptz NOT NULL DEFAULT now(),
      finished_at  timestamptz
    );

    CREATE TABLE import_problems (
      import_id bigint NOT NULL REFERENCES import_runs (id) ON DELETE CASCADE,
      line      integer NOT NULL,
      "column"  text NOT NULL,
      code      text NOT NULL,
      reason    text NOT NULL
    );
    CREATE INDEX import_problems_run ON import_problems (import_id, line);
  `.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE import_problems, import_runs, region_policies`.execute(db)
}
