// Identity and the audit trail (issue 4): users with roles bound to a region subtree or an
// organisation, server-side sessions, hashed API tokens, sign-in attempts for throttling,
// and the append-only, hash-chained audit records.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE users (
      id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      username             text NOT NULL CHECK (username = lower(username) AND username ~ '^[a-z0-9][a-z0-9._-]{2,39}$'),
      display_name         text NOT NULL,
      -- scrypt$<log2 N>$<r>$<p>$<salt>$<hash>: the parameters travel with the hash.
      password_hash        text NOT NULL,
      roles                text[] NOT NULL CHECK (
                             cardinality(roles) >= 1 AND
                             roles <@ ARRAY['admin', 'civil_affairs', 'charity_staff', 'donor', 'institution', 'auditor']),
      -- Region subtree the staff member may act in ('330503' county, '330503101' a town).
      region_code          text REFERENCES regions (code),
      organisation_id      bigint REFERENCES organisations (id),
      institution_id       bigint REFERENCES institutions (id),
      donor_id             bigint UNIQUE REFERENCES donors (id),
      contact              text,
      contact_verified_at  timestamptz,
      contact_code_hash    bytea,
      contact_code_expires timestamptz,
      disabled_at          timestamptz,
      created_at           timestamptz NOT NULL DEFAULT now(),
      updated_at           timestamptz NOT NULL DEFAULT now(),
      UNIQUE (username),
      CHECK (NOT (roles && ARRAY['civil_affairs', 'auditor']) OR region_code IS NOT NULL),
      CHECK (NOT ('charity_staff' = ANY (roles)) OR organisation_id IS NOT NULL),
      CHECK (NOT ('institution' = ANY (roles)) OR institution_id IS NOT NULL),
      CHECK (NOT ('donor' = ANY (roles)) OR donor_id IS NOT NULL)
    );
    CREATE INDEX users_region ON users (region_code text_pattern_ops);

    -- The cookie carries a random token; only its SHA-256 is stored, so a copy of this
    -- table cannot be replayed as a session.
    CREATE TABLE sessions (
      id           bytea PRIMARY KEY,
      user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      csrf_token   text NOT NULL,
      created_at   timestamptz NOT NULL DEFAULT now(),
      last_seen_at timestamptz NOT NULL DEFAULT now(),
      expires_at   timestamptz NOT NULL,
      ip           text,
      user_agent   text
    );
    CREATE INDEX sessions_user ON sessions (user_id);

    CREATE TABLE api_tokens (
      id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
      name         text NOT NULL,
      token_hash   bytea NOT NULL UNIQUE,
      scopes       text[] NOT NULL CHECK (cardinality(scopes) >= 1),
      expires_at   timestamptz NOT NULL,
      created_by   bigint REFERENCES users (id),
      created_at   timestamptz NOT NULL DEFAULT now(),
      last_used_at timestamptz,
      revoked_at   timestamptz
    );
    CREATE INDEX api_tokens_user ON api_tokens (user_id);

    CREATE TABLE login_attempts (
      id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      username  text NOT NULL,
      ip        text NOT NULL,
      succeeded boolean NOT NULL,
      at        timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX login_attempts_username ON login_attempts (username, at);
    CREATE INDEX login_attempts_ip ON login_attempts (ip, at) WHERE NOT succeeded;

    -- id is the position in the hash chain (1, 2, 3 …), assigned under an advisory lock.
    CREATE TABLE audit_records (
      id          bigint PRIMARY KEY CHECK (id >= 1),
      at          timestamptz NOT NULL,
      actor_id    bigint,
      actor       text NOT NULL,
      action      text NOT NULL,
      record_type text,
      record_id   text,
      region_code text,
      ip          text,
      before      jsonb,
      after       jsonb,
      details     jsonb,
      prev_hash   text NOT NULL,
      hash        text NOT NULL UNIQUE
    );
    CREATE INDEX audit_records_actor ON audit_records (actor_id, id);
    CREATE INDEX audit_records_record ON audit_records (record_type, record_id, id);
    CREATE INDEX audit_records_action ON audit_records (action, id);
    CREATE INDEX audit_records_at ON audit_records (at);
    CREATE INDEX audit_records_region ON audit_records (region_code text_pattern_ops);

    CREATE TRIGGER audit_records_append_only BEFORE UPDATE OR DELETE ON audit_records
      FOR EACH ROW EXECUTE FUNCTION refuse_change();
    CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON audit_records
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
  `.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE audit_records, login_attempts, api_tokens, sessions, users`.execute(db)
}
