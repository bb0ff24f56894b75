// Kysely's view of the tables created by the migrations. numeric, int8 and date columns
// are parsed to number / number / 'YYYY-MM-DD' string (see database.ts).
import type { Generated, ColumnType } from 'kysely'

type CreatedAt = ColumnType<Date, Date | string | undefined, never>
type DefaultNumber = ColumnType<number, number | undefined, number>

export interface RegionTable {
  code: string
  name: string
  level: 'county' | 'town' | 'village'
  parent_code: string | null
}

export interface HouseholdTable {
  id: Generated<number>
  external_key: string | null
  region_code: string
  address_encrypted: Buffer | null
  phone_encrypted: Buffer | null
  annual_income: number
  medical_expense: DefaultNumber
  education_expense: DefaultNumber
  property_compliant: boolean
  property_checked_on: string | null
  poverty_monitoring: ColumnType<boolean, boolean | undefined, boolean>
  hardships: ColumnType<string[], string[] | undefined, string[]>
  status: ColumnType<string, string | undefined, string>
  gradual_exit_until: string | null
  case_by_case: ColumnType<boolean, boolean | undefined, boolean>
  category: string | null
  created_at: CreatedAt
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
  // 0008-registry-fixes
  /** The day the current status began (YYYY-MM-DD): monitored-object windows count from it. */
  status_since: ColumnType<string, string | undefined, string>
  previous_annual_income: number | null
  // 0030-person-outcomes
  other_rigid_expense: DefaultNumber
  // 0170-household-list
  /** Help under way (a wish, a proposal, a dream room or a voucher open): kept by triggers, never written by the application. */
  help_under_way: ColumnType<boolean, never, never>
}

export interface PersonTable {
  id: Generated<number>
  household_id: number
  relation: string
  name_encrypted: Buffer
  masked_name: string
  id_number_encrypted: Buffer
  id_blind_index: Buffer
  birth_date: string
  sex: 'male' | 'female'
  labor_capacity: 'full' | 'weak' | 'none'
  has_income_source: boolean
  has_able_supporter: boolean
  disability_level: number | null
  disability_kind: string | null
  serious_illness: ColumnType<boolean, boolean | undefined, boolean>
  illness_encrypted: Buffer | null
  school_stage: ColumnType<string, string | undefined, string>
  employed: ColumnType<boolean, boolean | undefined, boolean>
  /** The day a member left the household (death, moved out); null while a member. */
  left_on: ColumnType<string | null, string | null | undefined, string | null>
  left_reason: ColumnType<'death' | 'moved_out' | 'other' | null, 'death' | 'moved_out' | 'other' | null | undefined, 'death' | 'moved_out' | 'other' | null>
  // 0030-person-outcomes
  /** 户籍: rural (原农村户籍) or urban; null when not recorded. */
  hukou: ColumnType<'rural' | 'urban' | null, 'rural' | 'urban' | null | undefined, 'rural' | 'urban' | null>
  /** 行政事业单位人员. */
  public_sector: ColumnType<boolean, boolean | undefined, boolean>
  /** The person's 防返贫 monitoring: its first day, and its last once it ended. */
  monitored_from: ColumnType<string | null, string | null | undefined, string | null>
  monitored_until: ColumnType<string | null, string | null | undefined, string | null>
}

export interface CategoryDecisionTable {
  id: Generated<number>
  household_id: number
  decided_at: CreatedAt
  as_of: string
  profile: string
  profile_version: string
  category: string
  individual_dibao: ColumnType<number[], number[] | undefined, never>
  per_capita_monthly_income: number
  trace: ColumnType<unknown, string, never>
  /** Each member's outcome, with the person's id (0030); [] for decisions made before. */
  members: ColumnType<unknown, string | undefined, never>
}

export interface PolicyParameterTable {
  id: Generated<number>
  profile: string
  key: string
  value: number
  effective_from: string
  note: string | null
  created_at: CreatedAt
}

export interface AssistanceEntryTable {
  id: Generated<number>
  household_id: number
  person_id: number | null
  source: 'government' | 'charity'
  kind: string
  tags: ColumnType<string[], string[] | undefined, never>
  value: number
  occurred_on: string
  provider: string
  reference: string | null
  reverses: number | null
  origin: ColumnType<string | null, string | null | undefined, never>
  created_at: CreatedAt
  // 0008-registry-fixes
  reversal_reason: ColumnType<string | null, string | null | undefined, never>
}

export interface OrganisationTable {
  id: Generated<number>
  external_key: string | null
  name: string
  region_code: string
}

export interface DonorTable {
  id: Generated<number>
  external_key: string | null
  kind: 'individual' | 'enterprise'
  name: string
  phone: string | null
  email: string | null
  preferences: ColumnType<unknown, string | undefined, string>
  created_at: CreatedAt
}

export interface ProjectTable {
  id: Generated<number>
  external_key: string | null
  organisation_id: number
  kind: 'wish' | 'dream_room' | 'training_voucher' | 'fund'
  title: string
  description: ColumnType<string, string | undefined, string>
  budget: number
  unit_cost: number | null
  capacity: number | null
  eligibility: ColumnType<unknown, string | undefined, string>
  starts_on: string | null
  ends_on: string | null
  status: ColumnType<string, string | undefined, string>
  committed: DefaultNumber
  spent: DefaultNumber
  per_item_limit: number | null
  created_by: number | null
  created_at: CreatedAt
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
  /** The project's own weights of the score factors (0014); null or {}: the defaults. */
  score_weights: ColumnType<unknown, string | null | undefined, string | null>
  /** The donor funding the project, whose preferences are its runs' donor fit (0014). */
  funding_donor_id: ColumnType<number | null, number | null | undefined, number | null>
}

export interface ProjectLedgerTable {
  id: Generated<number>
  project_id: number
  movement: 'commit' | 'release' | 'spend'
  amount: number
  reference: string
  at: CreatedAt
}

export interface WishTable {
  id: Generated<number>
  external_key: string | null
  person_id: number
  category: string
  item: string
  value: number
  story: ColumnType<string, string | undefined, string>
  state: ColumnType<string, string | undefined, string>
  created_at: CreatedAt
  household_id: number
  region_code: string
  needed_by: string | null
  show_category: ColumnType<boolean, boolean | undefined, boolean>
  raised_by: number | null
  visit_note: string | null
  verified_by: number | null
  verified_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  published_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
  reason: string | null
  /** The de-identified document (server/needs/public-view.ts), fixed at publication. */
  public_view: ColumnType<unknown, string | null | undefined, string | null>
  coarsened: ColumnType<string[], string[] | undefined, string[]>
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
  /** What the help is beyond the category, e.g. winter_clothing (0015). */
  tags: ColumnType<string[], string[] | undefined, string[]>
  /** Why it was raised despite a duplicate window (0015). */
  override_reason: ColumnType<string | null, string | null | undefined, never>
}

export interface RegionNeedRuleTable {
  region_code: string
  wish_categories: string[]
  wish_statuses: string[]
  voucher_categories: string[]
  voucher_school_stages: string[]
  updated_by: number | null
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface ClaimTable {
  id: Generated<number>
  wish_id: number
  donor_id: number
  state: ColumnType<'active' | 'delivered' | 'confirmed' | 'expired' | 'cancelled', 'active' | undefined, 'active' | 'delivered' | 'confirmed' | 'expired' | 'cancelled'>
  claimed_at: CreatedAt
  due_on: string
  delivered_on: string | null
  confirmed_on: string | null
  ended_at: ColumnType<Date | null, never, Date | string>
  note: string | null
}

export interface DonorMessageTable {
  id: Generated<number>
  donor_id: number
  kind: 'claim_expired' | 'thanks' | 'impact'
  claim_id: number | null
  body: string
  /** Who wrote it: the charity of an impact note; null for the platform's own messages. */
  sender: ColumnType<string | null, string | null | undefined, string | null>
  created_at: CreatedAt
  read_at: ColumnType<Date | null, never, Date | string>
}

export interface DreamRoomTable {
  id: Generated<number>
  household_id: number
  person_id: number
  region_code: string
  project_id: number | null
  stage: ColumnType<string, string | undefined, string>
  room_condition: string
  area_m2: number | null
  budget_estimate: number
  reason: string | null
  created_by: number | null
  created_at: CreatedAt
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface DreamRoomStageTable {
  room_id: number
  stage: 'survey' | 'design' | 'build' | 'handover'
  due_on: string
  completed_on: string | null
  completed_by: number | null
  note: string | null
}

export interface VoucherTable {
  id: Generated<number>
  person_id: number
  household_id: number
  region_code: string
  half_year: string
  project_id: number | null
  state: ColumnType<'issued' | 'assigned' | 'redeemed' | 'lapsed', 'issued' | undefined, 'issued' | 'assigned' | 'redeemed' | 'lapsed'>
  course_id: number | null
  assigned_via: 'matcher' | 'family' | null
  assigned_at: ColumnType<Date | null, never, Date | string | null>
  sessions_total: number | null
  sessions_attended: number | null
  redeemed_at: ColumnType<Date | null, never, Date | string>
  redeemed_by: number | null
  created_at: CreatedAt
}

export interface SearchOutboxTable {
  id: Generated<number>
  index_name: 'wishes' | 'projects'
  document_id: number
  created_at: CreatedAt
  /** The sync holding the row, until leased_until (server/search/outbox.ts). */
  lease: string | null
  leased_until: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export interface InstitutionTable {
  id: Generated<number>
  external_key: string | null
  name: string
  region_code: string
}

export interface CourseTable {
  id: Generated<number>
  external_key: string | null
  institution_id: number
  title: string
  seats: number
  min_age: number
  max_age: number
  schedule: ColumnType<string, string | undefined, string>
  half_year: string
  /** The town where the course is held. */
  region_code: string
  seats_taken: DefaultNumber
  status: ColumnType<'open' | 'closed', 'open' | 'closed' | undefined, 'open' | 'closed'>
}

// Identity and audit (0002-identity).
type Timestamp = ColumnType<Date, Date | string, Date | string>
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>

export interface UserTable {
  id: Generated<number>
  username: string
  display_name: string
  password_hash: string
  roles: string[]
  region_code: string | null
  organisation_id: number | null
  institution_id: number | null
  donor_id: number | null
  contact: string | null
  contact_verified_at: NullableTimestamp
  contact_code_hash: Buffer | null
  contact_code_expires: NullableTimestamp
  reset_code_hash: Buffer | null
  reset_code_expires: NullableTimestamp
  disabled_at: NullableTimestamp
  created_at: CreatedAt
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
  /** Created by seedDemoAccounts: on only in demo mode (0012-identity-fixes). */
  demo: ColumnType<boolean, boolean | undefined, boolean>
}

export interface NotificationTable {
  id: Generated<number>
  user_id: number
  kind: string
  /** What the event is about ('claim:12'); (user, kind, subject) is unique, so an event notifies once. */
  subject: string
  body: string
  link: string | null
  created_at: CreatedAt
  read_at: ColumnType<Date | null, never, Date | string>
  sent_at: ColumnType<Date | null, never, Date | string>
}

export interface SessionTable {
  id: Buffer
  user_id: number
  csrf_token: string
  created_at: CreatedAt
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>
  expires_at: Timestamp
  ip: string | null
  user_agent: string | null
}

export interface ApiTokenTable {
  id: Generated<number>
  user_id: number
  name: string
  token_hash: Buffer
  scopes: string[]
  expires_at: Timestamp
  created_by: number | null
  created_at: CreatedAt
  last_used_at: NullableTimestamp
  revoked_at: NullableTimestamp
}

export interface LoginAttemptTable {
  id: Generated<number>
  username: string
  ip: string
  succeeded: boolean
  /** Stored as a failure while its password is being checked (sign-in-throttle.ts). */
  checking: ColumnType<boolean, boolean | undefined, boolean>
  at: CreatedAt
}

export interface AuditRecordTable {
  id: number
  at: ColumnType<Date, Date | string, never>
  actor_id: number | null
  actor: string
  action: string
  record_type: string | null
  record_id: string | null
  region_code: string | null
  ip: string | null
  before: ColumnType<unknown, string | null, never>
  after: ColumnType<unknown, string | null, never>
  details: ColumnType<unknown, string | null, never>
  prev_hash: string
  hash: string
}

export interface RegionPolicyTable {
  region_code: string
  profile: string
}

export interface ImportRunTable {
  id: Generated<number>
  file_name: string
  file_sha256: string
  format: 'csv' | 'xlsx'
  mode: 'all_or_nothing' | 'valid_rows_only'
  scope_prefix: string
  status: ColumnType<string, string | undefined, string>
  rows_read: DefaultNumber
  households_created: DefaultNumber
  households_unchanged: DefaultNumber
  households_rejected: DefaultNumber
  created_by: number | null
  created_at: CreatedAt
  finished_at: ColumnType<Date | null, never, Date | string>
  // 0070-workbench: the data rows a CSV holds (for the progress bar); null for XLSX
  rows_expected: ColumnType<number | null, number | null | undefined, never>
}

export interface ImportProblemTable {
  import_id: number
  line: number
  column: string
  code: string
  reason: string
  // 0008-registry-fixes
  severity: ColumnType<'error' | 'warning', 'error' | 'warning' | undefined, never>
  // 0070-workbench: the cell as found (identity columns masked)
  value: ColumnType<string | null, string | null | undefined, never>
}

export interface ProposalRunTable {
  id: Generated<number>
  project_id: number
  status: ColumnType<string, string | undefined, string>
  as_of: string
  summary: ColumnType<unknown, string | undefined, string>
  created_by: number | null
  created_at: CreatedAt
  finished_at: ColumnType<Date | null, never, Date | string>
}

export interface ProposalTable {
  id: Generated<number>
  /** null for a fund application (source 'application'). */
  run_id: number | null
  project_id: number
  household_id: number
  person_id: number
  region_code: string
  rank: number
  score: number
  cost: number
  explanation: ColumnType<unknown, string, never>
  status: ColumnType<string, string | undefined, string>
  reason: string | null
  override_reason: string | null
  decided_by: number | null
  decided_at: ColumnType<Date | null, never, Date | string>
  created_at: CreatedAt
  source: ColumnType<'run' | 'application', 'run' | 'application' | undefined, never>
  statement: string | null
  submitted_by: number | null
  /** What the help is (the project's tags), written to the chain entry at receipt (0009). */
  tags: ColumnType<string[], string[] | undefined, never>
  /** The duplicate check's verdict at confirmation (matching DuplicateVerdict). */
  duplicate_check: ColumnType<unknown, string | null | undefined, string | null>
}

export interface FulfilmentTable {
  proposal_id: number
  state: ColumnType<string, string | undefined, string>
  due_on: string
  delivered_on: string | null
  received_on: string | null
  note: string | null
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
  /** The day the overdue sweep found it past due (0009). */
  overdue_since: ColumnType<string | null, string | null | undefined, string | null>
}

type EvidenceSubject = ColumnType<number | null, number | null | undefined, never>

/** Exactly one of proposal_id, wish_id, claim_id, dream_room_id is set. */
export interface EvidenceTable {
  id: Generated<number>
  proposal_id: EvidenceSubject
  wish_id: EvidenceSubject
  claim_id: EvidenceSubject
  dream_room_id: EvidenceSubject
  /** A warning's handling (0040). */
  warning_id: EvidenceSubject
  /** The dream room's stage the file documents. */
  stage: ColumnType<string | null, string | null | undefined, never>
  // 0070-workbench: a claim's proof (the donor's) or the household's signed receipt (staff's)
  kind: ColumnType<'proof' | 'signed_receipt', 'proof' | 'signed_receipt' | undefined, never>
  file_name: string
  content_type: string
  bytes: number
  sha256: string
  uploaded_by: number | null
  uploaded_at: CreatedAt
}

export interface SearchSettingTable {
  index_name: 'wishes' | 'projects'
  /** Groups of words that mean the same (each group: every word finds the others). */
  synonyms: ColumnType<string[][], string, string>
  updated_by: number | null
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

/** What changed in the matcher's population (0013): a household, or everything (null). */
export interface PopulationChangeTable {
  id: Generated<number>
  household_id: number | null
  /** The writing transaction's id (xid8, read as text). */
  txid: ColumnType<string, never, never>
  changed_at: ColumnType<Date, never, never>
}

// Dynamic monitoring (0040-monitoring).
export interface HolidayCalendarTable {
  day: string
  kind: 'holiday' | 'workday'
  name: string
  source: string
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface HolidayCalendarYearTable {
  year: number
  source: string
  updated_by: number | null
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface WarningRuleVersionTable {
  id: Generated<number>
  profile: string
  rule: string
  enabled: boolean
  params: ColumnType<Record<string, number>, string, never>
  effective_from: string
  note: string
  created_by: number | null
  created_at: CreatedAt
}

export interface WarningRouteTable {
  warning_class: string
  cause: ColumnType<string, string | undefined, string>
  department: string
  level: 'town' | 'county'
  note: string
  updated_by: number | null
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>
}

export interface FeedImportTable {
  id: Generated<number>
  kind: string
  file_name: string
  file_sha256: string
  format: 'csv' | 'xlsx' | 'json'
  scope_prefix: string
  status: ColumnType<'queued' | 'running' | 'completed' | 'failed', 'queued' | undefined, 'queued' | 'running' | 'completed' | 'failed'>
  rows_read: DefaultNumber
  matched: DefaultNumber
  unmatched: DefaultNumber
  invalid: DefaultNumber
  already_imported: DefaultNumber
  warnings_raised: DefaultNumber
  chain_entries: DefaultNumber
  created_by: number | null
  created_at: CreatedAt
  finished_at: ColumnType<Date | null, never, Date | string>
}

export interface FeedRecordTable {
  id: Generated<number>
  kind: string
  record_key: Buffer
  import_id: number
  line: number
  id_blind_index: Buffer
  id_masked: string
  person_id: number | null
  household_id: number | null
  region_code: string | null
  occurred_on: string
  facts: ColumnType<Record<string, unknown>, string, never>
  status: 'matched' | 'unmatched'
  reason: string | null
  created_at: CreatedAt
}

export interface FeedProblemTable {
  import_id: number
  line: number
  field: string
  code: string
  reason: string
}

export interface WarningTable {
  id: Generated<number>
  person_id: number
  household_id: number
  region_code: string
  desk_region: string
  department: string
  warning_class: string
  rule: string
  cause: string
  status: ColumnType<'open' | 'in_progress' | 'closed', 'open' | undefined, 'open' | 'in_progress' | 'closed'>
  outcome: ColumnType<string | null, never, string | null>
  low_income: boolean
  profile: string
  rule_version: ColumnType<unknown, string, never>
  route: ColumnType<unknown, string, never>
  evidence: ColumnType<unknown, string, never>
  summary: string
  raised_on: string
  working_days: number
  due_on: string
  feed_record_id: number | null
  reminded_at: ColumnType<Date | null, never, Date | string | null>
  overdue_at: ColumnType<Date | null, never, Date | string | null>
  escalated_to: ColumnType<string | null, never, string>
  created_at: CreatedAt
  closed_at: ColumnType<Date | null, never, Date | string>
  closed_by: ColumnType<number | null, never, number | null>
}

export interface WarningEventTable {
  id: Generated<number>
  warning_id: number
  at: CreatedAt
  actor_id: number | null
  actor: string
  kind: string
  note: string | null
  details: ColumnType<Record<string, unknown>, string | undefined, never>
}

// The dashboards' aggregates (0090-statistics; server/statistics/refresh.ts rebuilds them).
export interface StatStockTable {
  metric: string
  region_code: string
  k1: string
  k2: string
  n: number
  amount: number
}

export interface StatFlowTable extends StatStockTable {
  /** The calendar month (its first day, China time). */
  month: string
}

export interface StatCharityHelpTable {
  entry_id: number
  household_id: number
  region_code: string
  category: string
  kind: string
  month: string
  value: number
  project_id: number | null
  organisation_id: number | null
  donor_kind: string | null
}

export interface StatRefreshTable {
  id: Generated<number>
  started_at: Date
  finished_at: CreatedAt
  took_ms: number
  row_count: number
}

/** Help the duplicate check refused, once per subject ('proposal:12', 'wish:<person>:<category>:<day>'). */
export interface DuplicateRefusalTable {
  id: Generated<number>
  subject: string
  household_id: number
  region_code: string
  kind: string
  rule: string
  value: number
  refused_at: CreatedAt
}

export interface Database {
  holiday_calendar: HolidayCalendarTable
  holiday_calendar_years: HolidayCalendarYearTable
  warning_rule_versions: WarningRuleVersionTable
  warning_routes: WarningRouteTable
  feed_imports: FeedImportTable
  feed_records: FeedRecordTable
  feed_problems: FeedProblemTable
  warnings: WarningTable
  warning_events: WarningEventTable
  search_settings: SearchSettingTable
  population_changes: PopulationChangeTable
  region_need_rules: RegionNeedRuleTable
  claims: ClaimTable
  donor_messages: DonorMessageTable
  notifications: NotificationTable
  dream_rooms: DreamRoomTable
  dream_room_stages: DreamRoomStageTable
  vouchers: VoucherTable
  project_ledger: ProjectLedgerTable
  search_outbox: SearchOutboxTable
  fulfilments: FulfilmentTable
  evidence: EvidenceTable
  proposal_runs: ProposalRunTable
  proposals: ProposalTable
  region_policies: RegionPolicyTable
  import_runs: ImportRunTable
  import_problems: ImportProblemTable
  regions: RegionTable
  households: HouseholdTable
  persons: PersonTable
  category_decisions: CategoryDecisionTable
  policy_parameters: PolicyParameterTable
  assistance_entries: AssistanceEntryTable
  organisations: OrganisationTable
  donors: DonorTable
  projects: ProjectTable
  wishes: WishTable
  institutions: InstitutionTable
  courses: CourseTable
  users: UserTable
  sessions: SessionTable
  api_tokens: ApiTokenTable
  login_attempts: LoginAttemptTable
  audit_records: AuditRecordTable
  stat_stock: StatStockTable
  stat_flow: StatFlowTable
  stat_charity_help: StatCharityHelpTable
  stat_refreshes: StatRefreshTable
  duplicate_refusals: DuplicateRefusalTable
}
