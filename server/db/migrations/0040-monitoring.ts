// Dynamic monitoring (issue 19): the holiday calendar working days are counted on, warning
// rule versions and routing overrides that administrators keep, department feeds with every
// record (matched or not) and every bad row, the warnings with their history, and evidence of
// how a warning was handled.
import { createRequire } from 'node:module'
import { sql, type Kysely } from 'kysely'

/** The package's holidays and adjusted working days ("English,中文,n" per day), written in as the first years of the calendar. */
function seedDays (): { version: string, rows: Array<{ day: string, kind: string, name: string }> } {
  const require = createRequire(import.meta.url)
  const data = require('chinese-days/dist/chinese-days.json') as { holidays: Record<string, string>, workdays: Record<string, string> }
  const { version } = require('chinese-days/package.json') as { version: string }
  const name = (text: string) => text.split(',')[1] ?? text
  return {
    version,
    rows: [
      ...Object.entries(data.holidays).map(([day, text]) => ({ day, kind: 'holiday', name: name(text) })),
      ...Object.entries(data.workdays).map(([day, text]) => ({ day, kind: 'workday', name: `${name(text)}调休上班` }))
    ]
  }
}

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    -- The official calendar: public holidays and the adjusted working weekends (调休), by day.
    -- Seeded from the chinese-days package; administrators correct a year when the State
    -- Council publishes its notice. Weekdays not listed are working days, weekends not listed are not.
    CREATE TABLE holiday_calendar (
      day        date PRIMARY KEY,
      kind       text NOT NULL CHECK (kind IN ('holiday', 'workday')),
      name       text NOT NULL,
      source     text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    -- The years whose notice the calendar holds (a year without one counts weekdays only).
    CREATE TABLE holiday_calendar_years (
      year       integer PRIMARY KEY,
      source     text NOT NULL,
      updated_by bigint,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    -- Administrators' versions of the warning rules (matching/monitoring/rules.ts has the built-in ones).
    CREATE TABLE warning_rule_versions (
      id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      profile        text NOT NULL,
      rule           text NOT NULL,
      enabled        boolean NOT NULL,
      params         jsonb NOT NULL,
      effective_from date NOT NULL,
      note           text NOT NULL,
      created_by     bigint,
      created_at     timestamptz NOT NULL DEFAULT now(),
      UNIQUE (profile, rule, effective_from)
    );

    -- Administrators' rows of the routing table, over the documents' defaults ('' = every rule of the class).
    CREATE TABLE warning_routes (
      warning_class text NOT NULL,
      cause         text NOT NULL DEFAULT '',
      department    text NOT NULL,
      level         text NOT NULL CHECK (level IN ('town', 'county')),
      note          text NOT NULL,
      updated_by    bigint,
      updated_at    timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (warning_class, cause)
    );

    CREATE TABLE feed_imports (
      id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      kind            text NOT NULL,
      file_name       text NOT NULL,
      file_sha256     text NOT NULL,
      format          text NOT NULL CHECK (format IN ('csv', 'xlsx', 'json')),
      scope_prefix    text NOT NULL,
      status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'completed', 'failed')),
      rows_read       integer NOT NULL DEFAULT 0,
      matched         integer NOT NULL DEFAULT 0,
      unmatched       integer NOT NULL DEFAULT 0,
      invalid         integer NOT NULL DEFAULT 0,
      already_imported integer NOT NULL DEFAULT 0,
      warnings_raised integer NOT NULL DEFAULT 0,
      chain_entries   integer NOT NULL DEFAULT 0,
      created_by      bigint,
      created_at      timestamptz NOT NULL DEFAULT now(),
      finished_at     timestamptz
    );
    CREATE INDEX feed_imports_scope ON feed_imports (scope_prefix text_pattern_ops, id DESC);

    -- Every valid record, once (kind + a keyed hash of its identity): importing it again adds
    -- nothing. Unmatched ones are kept with the reason. No name or ID number in the clear.
    CREATE TABLE feed_records (
      id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      kind         text NOT NULL,
      record_key   bytea NOT NULL,
      import_id    bigint NOT NULL REFERENCES feed_imports (id),
      line         integer NOT NULL,
      id_blind_index bytea NOT NULL,
      id_masked    text NOT NULL,
      person_id    bigint REFERENCES persons (id),
      household_id bigint REFERENCES households (id),
      region_code  text,
      occurred_on  date NOT NULL,
      facts        jsonb NOT NULL,
      status       text NOT NULL CHECK (status IN ('matched', 'unmatched')),
      reason       text,
      created_at   timestamptz NOT NULL DEFAULT now(),
      UNIQUE (kind, record_key)
    );
    CREATE INDEX feed_records_person ON feed_records (person_id, kind, occurred_on) WHERE person_id IS NOT NULL;
    CREATE INDEX feed_records_import ON feed_records (import_id, status, line);

    -- Rows that could not be read: a missing or malformed field, an invalid ID number, a duplicate in the file.
    CREATE TABLE feed_problems (
      import_id bigint NOT NULL REFERENCES feed_imports (id) ON DELETE CASCADE,
      line      integer NOT NULL,
      field     text NOT NULL,
      code      text NOT NULL,
      reason    text NOT NULL
    );
    CREATE INDEX feed_problems_import ON feed_problems (import_id, line);

    CREATE TABLE warnings (
      id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      person_id      bigint NOT NULL REFERENCES persons (id),
      household_id   bigint NOT NULL REFERENCES households (id),
      -- The household's village: who may read the warning (region scoping).
      region_code    text NOT NULL,
      -- The desk it is routed to: a department at the town or county (desk_region).
      desk_region    text NOT NULL,
      department     text NOT NULL,
      warning_class  text NOT NULL CHECK (warning_class IN ('policy_not_applied', 'new_hardship', 'possibly_eligible', 'no_longer_eligible', 'complex')),
      rule           text NOT NULL,
      cause          text NOT NULL,
      status         text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'closed')),
      outcome        text CHECK (outcome IN ('policy_applied', 'referred', 'referred_to_charity', 'closed_not_needed')),
      low_income     boolean NOT NULL,
      profile        text NOT NULL,
      rule_version   jsonb NOT NULL,
      route          jsonb NOT NULL,
      evidence       jsonb NOT NULL,
      summary        text NOT NULL,
      raised_on      date NOT NULL,
      working_days   integer NOT NULL,
      due_on         date NOT NULL,
      feed_record_id bigint REFERENCES feed_records (id),
      reminded_at    timestamptz,
      overdue_at     timestamptz,
      escalated_to   text,
      created_at     timestamptz NOT NULL DEFAULT now(),
      closed_at      timestamptz,
      closed_by      bigint
    );
    -- One open warning per person and cause (001 三(四)): a second is not raised while one is.
    CREATE UNIQUE INDEX warnings_one_open ON warnings (person_id, cause) WHERE status <> 'closed';
    CREATE INDEX warnings_open_due ON warnings (due_on, id) WHERE status <> 'closed';
    CREATE INDEX warnings_region ON warnings (region_code text_pattern_ops, due_on);
    CREATE INDEX warnings_household ON warnings (household_id);

    CREATE TABLE warning_events (
      id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      warning_id bigint NOT NULL REFERENCES warnings (id),
      at         timestamptz NOT NULL DEFAULT now(),
      actor_id   bigint,
      actor      text NOT NULL,
      kind       text NOT NULL,
      note       text,
      details    jsonb NOT NULL DEFAULT '{}'
    );
    CREATE INDEX warning_events_warning ON warning_events (warning_id, id);

    ALTER TABLE evidence ADD COLUMN warning_id bigint REFERENCES warnings (id);
    ALTER TABLE evidence DROP CONSTRAINT evidence_one_subject;
    ALTER TABLE evidence ADD CONSTRAINT evidence_one_subject CHECK (num_nonnulls(proposal_id, wish_id, claim_id, dream_room_id, warning_id) = 1);
    CREATE INDEX evidence_warning ON evidence (warning_id) WHERE warning_id IS NOT NULL;
  `.execute(db)
  const { version, rows } = seedDays()
  const source = `chinese-days ${version}`
  const days = JSON.stringify(rows)
  await sql`INSERT INTO holiday_calendar (day, kind, name, source)
    SELECT (d->>'day')::date, d->>'kind', d->>'name', ${source} FROM jsonb_array_elements(${days}::jsonb) AS d`.execute(db)
  await sql`INSERT INTO holiday_calendar_years (year, source)
    SELECT DISTINCT extract(year FROM day)::integer, ${source} FROM holiday_calendar`.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`
    DELETE FROM evidence WHERE warning_id IS NOT NULL;
    ALTER TABLE evidence DROP CONSTRAINT evidence_one_subject;
    ALTER TABLE evidence ADD CONSTRAINT evidence_one_subject CHECK (num_nonnulls(proposal_id, wish_id, claim_id, dream_room_id) = 1);
    ALTER TABLE evidence DROP COLUMN warning_id;
    DROP TABLE warning_events, warnings, feed_problems, feed_records, feed_imports, warning_routes, warning_rule_versions, holiday_calendar_years, holiday_calendar;
  `.execute(db)
}
