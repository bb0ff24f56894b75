// The figures the dashboards read (server/statistics/): aggregates rebuilt by the worker's
// `refresh-statistics` task, so that a dashboard over a million persons and a million wishes
// sums a few thousand rows instead of scanning the registry.
//
// stat_stock: what is the case now, per village (households and persons by category and
//   status, vouchers by half-year and state, wishes by state, rooms by stage).
// stat_flow: what happened, per village and calendar month (China time): registrations,
//   exits, wishes raised / published / claimed / fulfilled, rooms, vouchers, fund help, the
//   assistance chain's payments; region '' or a county/town code for distinct counts that do
//   not add up across regions (active donors).
// stat_charity_help: one row per charity help in the chain (not reversed), with the project
//   and organisation that gave it, so that "households helped" can be counted distinct.
// stat_refreshes: when each rebuild ran — the freshness the pages state.
// duplicate_refusals: help the duplicate check refused at the moment of matching (a
//   confirmation or a wish raised), once per subject, kept outside the refused transaction.
import { sql, type Kysely } from 'kysely'

export async function up (db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE stat_stock (
      metric text NOT NULL,
      region_code text NOT NULL,
      k1 text NOT NULL DEFAULT '',
      k2 text NOT NULL DEFAULT '',
      n bigint NOT NULL,
      amount numeric(16, 2) NOT NULL DEFAULT 0,
      PRIMARY KEY (metric, region_code, k1, k2)
    );
    CREATE INDEX stat_stock_region ON stat_stock (metric, region_code text_pattern_ops);

    CREATE TABLE stat_flow (
      metric text NOT NULL,
      region_code text NOT NULL,
      month date NOT NULL,
      k1 text NOT NULL DEFAULT '',
      k2 text NOT NULL DEFAULT '',
      n bigint NOT NULL,
      amount numeric(16, 2) NOT NULL DEFAULT 0,
      PRIMARY KEY (metric, region_code, month, k1, k2)
    );
    CREATE INDEX stat_flow_region ON stat_flow (metric, region_code text_pattern_ops, month);

    CREATE TABLE stat_charity_help (
      entry_id bigint PRIMARY KEY,
      household_id bigint NOT NULL,
      region_code text NOT NULL,
      category text NOT NULL,
      kind text NOT NULL,
      month date NOT NULL,
      value numeric(14, 2) NOT NULL,
      project_id bigint,
      organisation_id bigint,
      donor_kind text
    );
    CREATE INDEX stat_charity_help_organisation ON stat_charity_help (organisation_id, month);
    CREATE INDEX stat_charity_help_month ON stat_charity_help (month, region_code);

    CREATE TABLE stat_refreshes (
      id bigserial PRIMARY KEY,
      started_at timestamptz NOT NULL,
      finished_at timestamptz NOT NULL DEFAULT now(),
      took_ms integer NOT NULL,
      row_count integer NOT NULL
    );

    CREATE TABLE duplicate_refusals (
      id bigserial PRIMARY KEY,
      subject text NOT NULL UNIQUE,
      household_id bigint NOT NULL,
      region_code text NOT NULL,
      kind text NOT NULL,
      rule text NOT NULL,
      value numeric(14, 2) NOT NULL,
      refused_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db)
}

export async function down (db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE duplicate_refusals, stat_refreshes, stat_charity_help, stat_flow, stat_stock`.execute(db)
}
