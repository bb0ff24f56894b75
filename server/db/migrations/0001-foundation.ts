// The registry, the assistance chain and the charity supply/need tables that the demo data
// fills. Later issues extend these tables in their own migrations.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE regions (
      code        text PRIMARY KEY CHECK (code ~ '^[0-9]{6}([0-9]{3}([0-9]{3})?)?$'),
      name        text NOT NULL,
      level       text NOT NULL CHECK (level IN ('county', 'town', 'village')),
      parent_code text REFERENCES regions (code),
      CHECK ((level = 'county') = (parent_code IS NULL))
    );

    CREATE TABLE households (
      id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      -- Stable key from an import roster or the demo generator; makes re-imports idempotent.
      external_key        text UNIQUE,
      region_code         text NOT NULL REFERENCES regions (code),
      address_encrypted   bytea,
      phone_encrypted     bytea,
      annual_income       numeric(14, 2) NOT NULL CHECK (annual_income >= 0),
      medical_expense     numeric(14, 2) NOT NULL DEFAULT 0 CHECK (medical_expense >= 0),
      education_expense   numeric(14, 2) NOT NULL DEFAULT 0 CHECK (education_expense >= 0),
      property_compliant  boolean NOT NULL,
      property_checked_on date,
      poverty_monitoring  boolean NOT NULL DEFAULT false,
      hardships           text[] NOT NULL DEFAULT '{}',
      status              text NOT NULL DEFAULT 'active'
                          CHECK (status IN ('active', 'gradual_exit', 'exited', 'refused', 'monitored_other')),
      gradual_exit_until  date,
      case_by_case        boolean NOT NULL DEFAULT false,
      category            text,
      created_at          timestamptz NOT NULL DEFAULT now(),
      updated_at          timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX households_region ON households (region_code text_pattern_ops);
    CREATE INDEX households_category ON households (category);

    CREATE TABLE persons (
      id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      household_id       bigint NOT NULL REFERENCES households (id) ON DELETE CASCADE,
      relation           text NOT NULL,
      name_encrypted     bytea NOT NULL,
      -- Masked name (张**) for lists; the full name is decrypted only on an audited read.
      masked_name        text NOT NULL,
      id_number_encrypted bytea NOT NULL,
      -- Keyed hash of the ID number: exact lookup without decryption; unique = 一人一次.
      id_blind_index     bytea NOT NULL UNIQUE,
      birth_date         date NOT NULL,
      sex                text NOT NULL CHECK (sex IN ('male', 'female')),
      labor_capacity     text NOT NULL CHECK (labor_capacity IN ('full', 'weak', 'none')),
      has_income_source  boolean NOT NULL,
      has_able_supporter boolean NOT NULL,
      disability_level   smallint CHECK (disability_level BETWEEN 1 AND 4),
      disability_kind    text,
      serious_illness    text,
      school_stage       text NOT NULL DEFAULT 'none',
      employed           boolean NOT NULL DEFAULT false,
      CHECK ((disability_level IS NULL) = (disability_kind IS NULL))
    );
    CREATE INDEX persons_household ON persons (household_id);

    CREATE TABLE category_decisions (
      id                        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      household_id              bigint NOT NULL REFERENCES households (id) ON DELETE CASCADE,
      decided_at                timestamptz NOT NULL DEFAULT now(),
      as_of                     date NOT NULL,
      profile                   text NOT NULL,
      profile_version           text NOT NULL,
      category                  text NOT NULL,
      individual_dibao          integer[] NOT NULL DEFAULT '{}',
      per_capita_monthly_income numeric(14, 2) NOT NULL,
      trace                     jsonb NOT NULL
    );
    CREATE INDEX category_decisions_household ON category_decisions (household_id, decided_at DESC);

    CREATE TABLE policy_parameters (
      id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      profile        text NOT NULL,
      key            text NOT NULL,
      value          numeric NOT NULL,
      effective_from date NOT NULL,
      note           text,
      created_at     timestamptz NOT NULL DEFAULT now(),
      UNIQUE (profile, key, effective_from)
    );

    -- 一户一条救助链: append-only; a correction is a new entry that reverses an old one.
    CREATE TABLE assistance_entries (
      id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      household_id bigint NOT NULL REFERENCES households (id),
      person_id    bigint REFERENCES persons (id),
      source       text NOT NULL CHECK (source IN ('government', 'charity')),
      kind         text NOT NULL,
      tags         text[] NOT NULL DEFAULT '{}',
      value        numeric(14, 2) NOT NULL,
      occurred_on  date NOT NULL,
      provider     text NOT NULL,
      reference    text,
      reverses     bigint UNIQUE REFERENCES assistance_entries (id),
      created_at   timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX assistance_entries_household ON assistance_entries (household_id, occurred_on);

    CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
    END $$;
    CREATE TRIGGER assistance_entries_append_only BEFORE UPDATE OR DELETE ON assistance_entries
      FOR EACH ROW EXECUTE FUNCTION refuse_change();

    CREATE TABLE organisations (
      id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      external_key text UNIQUE,
      name        text NOT NULL,
      region_code text NOT NULL REFERENCES regions (code)
    );

    CREATE TABLE donors (
      id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      external_key text UNIQUE,
      kind         text NOT NULL CHECK (kind IN ('individual', 'enterprise')),
      name         text NOT NULL,
      phone        text,
      email        text,
      preferences  jsonb NOT NULL DEFAULT '{}',
      created_at   timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE projects (
      id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      external_key    text UNIQUE,
      organisation_id bigint NOT NULL REFERENCES organisations (id),
      kind            text NOT NULL CHECK (kind IN ('wish', 'dream_room', 'training_voucher', 'fund')),
      title           text NOT NULL,
      description     text NOT NULL DEFAULT '',
      budget          numeric(14, 2) NOT NULL CHECK (budget >= 0),
      unit_cost       numeric(14, 2),
      capacity        integer CHECK (capacity >= 0),
      eligibility     jsonb NOT NULL DEFAULT '{}',
      starts_on       date,
      ends_on         date,
      status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed')),
      committed       numeric(14, 2) NOT NULL DEFAULT 0,
      spent           numeric(14, 2) NOT NULL DEFAULT 0,
      CHECK (committed <= budget AND spent <= committed)
    );

    CREATE TABLE wishes (
      id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      external_key text UNIQUE,
      person_id    bigint NOT NULL REFERENCES persons (id),
      category     text NOT NULL,
      item         text NOT NULL,
      value        numeric(14, 2) NOT NULL CHECK (value > 0),
      story        text NOT NULL DEFAULT '',
      state        text NOT NULL DEFAULT 'draft',
      created_at   timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX wishes_state ON wishes (state);

    CREATE TABLE institutions (
      id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      external_key text UNIQUE,
      name         text NOT NULL,
      region_code  text NOT NULL REFERENCES regions (code)
    );

    CREATE TABLE courses (
      id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      external_key   text UNIQUE,
      institution_id bigint NOT NULL REFERENCES institutions (id),
      title          text NOT NULL,
      seats          integer NOT NULL CHECK (seats >= 0),
      min_age        smallint NOT NULL,
      max_age        smallint NOT NULL CHECK (max_age >= min_age),
      schedule       text NOT NULL DEFAULT '',
      half_year      text NOT NULL CHECK (half_year ~ '^[0-9]{4}H[12]$')
    );
  `.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE courses, institutions, wishes, projects, donors, organisations,
      assistance_entries, policy_parameters, category_decisions, persons, households, regions;
    DROP FUNCTION refuse_change();
  `.execute(db)
}
