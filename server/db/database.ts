import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';

/** Row types of every table: they stop at the repositories. */
export interface Database {
  tenants: TenantsTable;
  api_keys: ApiKeysTable;
  campaigns: CampaignsTable;
  do_not_call: DoNotCallTable;
  messages: MessagesTable;
  campaign_counts: CampaignCountsTable;
  business_hours_profiles: BusinessHoursProfilesTable;
  attempts: AttemptsTable;
  provider_calls: ProviderCallsTable;
  dispatch_reservations: DispatchReservationsTable;
  message_history: MessageHistoryTable;
}

type CreatedAt = ColumnType<Date, never, never>;
type DefaultedDate = ColumnType<Date, Date | undefined, Date>;

export interface TenantsTable {
  id: Generated<string>;
  name: string;
  webhook_secret: string;
  is_default: Generated<boolean>;
  created_at: CreatedAt;
  /** The tenant's calling policy: quiet hours `HH:MM:SS` (both or neither) and the frequency cap. */
  quiet_hours_start: string | null;
  quiet_hours_end: string | null;
  bypass_may_override_quiet_hours: Generated<boolean>;
  max_calls_per_number: Generated<number>;
  frequency_window_days: Generated<number>;
}

export interface ApiKeysTable {
  id: Generated<string>;
  tenant_id: string;
  key_hash: Buffer;
  key_prefix: string;
  label: Generated<string>;
  created_at: CreatedAt;
  revoked_at: Date | null;
}

export interface CampaignsTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  tenant_id: string;
  name: string;
  status: Generated<string>;
  type: string;
  channel: string;
  trigger: string;
  assistant_id: string;
  dialer_type: string;
  phone_number_id: string | null;
  phone_number_pool: string[];
  start_logic: string;
  start_delay_seconds: number;
  ring_duration_seconds: number;
  timezone: string;
  /** `YYYY-MM-DD`: DATE is read as text (see pool.ts), never through a local-time Date. */
  start_date: string | null;
  end_date: string | null;
  days_of_week: string[];
  /** `HH:MM:SS`. */
  daily_start_time: string | null;
  daily_end_time: string | null;
  business_hours_profile_id: string | null;
  dnd_action: string;
  max_call_attempts: number;
  max_daily_attempts: number;
  min_gap_minutes: number;
  retry_scenarios: string[];
  retry_delays: ColumnType<Record<string, number>, string, string>;
  consider_voicemail_as_answered: boolean;
  max_concurrent_calls: number;
  recipient_local_time: boolean;
  webhook_url: string | null;
  created_at: CreatedAt;
  updated_at: DefaultedDate;
  started_at: Date | null;
  ended_at: Date | null;
}

export interface MessagesTable {
  id: string;
  seq: ColumnType<string, never, never>;
  tenant_id: string;
  campaign_id: string;
  phone_number: string;
  status: string;
  disposition: string | null;
  variables: ColumnType<Record<string, string>, string, string>;
  callback_url: string | null;
  /** Any JSON value, as the client sent it; null when none was given. */
  callback_state: ColumnType<unknown, string | null, string | null>;
  scheduled_at: Date;
  bypass_calling_window: boolean;
  allow_duplicates: boolean;
  next_attempt_at: Date | null;
  attempt_count: number;
  external_id: string | null;
  language: string | null;
  metadata: ColumnType<Record<string, string>, string, string>;
  timezone: string | null;
  last_reason: string | null;
  created_at: CreatedAt;
  updated_at: DefaultedDate;
  /** Generated: QUEUED or DISPATCHED (the duplicate rule's indexes name it, not `status`). */
  active: ColumnType<boolean, never, never>;
  /** Generated: ACTIVE (QUEUED or DISPATCHED), SUCCEEDED or FAILED; what ListMessages' index orders by. */
  phase: ColumnType<string, never, never>;
}

/** Sharded counters kept by triggers on `messages`; read by summing the shards of a key. */
export interface CampaignCountsTable {
  campaign_id: string;
  key: string;
  shard: number;
  n: ColumnType<string, number, number>;
}

/** One suppression of a tenant's do-not-call ledger; `expires_at` null means it never lapses. */
export interface DoNotCallTable {
  tenant_id: string;
  /** E.164. */
  phone_number: string;
  source: string;
  reason: Generated<string>;
  expires_at: Date | null;
  /** When the entry was added or last refreshed. */
  created_at: DefaultedDate;
}

/** One dial of a message; written before the provider is called. */
export interface AttemptsTable {
  message_id: string;
  tenant_id: string;
  campaign_id: string;
  number: number;
  attempt_key: string;
  caller_id: string | null;
  phone_number: string;
  started_at: Date;
  deadline_at: Date;
  ended_at: Date | null;
  outcome: string | null;
  duration_seconds: Generated<number>;
  answered_by: string | null;
  recording_url: string | null;
  transcript_url: string | null;
}

/** A provider's id of a call it accepted, and the attempt it belongs to. */
export interface ProviderCallsTable {
  tenant_id: string;
  provider_call_id: string;
  message_id: string;
  number: number;
}

/** Call slots of a campaign held by a dispatch round until it commits, or until they expire. */
export interface DispatchReservationsTable {
  id: Generated<string>;
  campaign_id: string;
  slots: number;
  expires_at: Date;
}

/** Every decision the scheduler takes on a message, with its machine-readable reason. */
export interface MessageHistoryTable {
  id: Generated<string>;
  message_id: string;
  at: Date;
  kind: string;
  reason: string | null;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
}

/** A tenant's named weekly-hours profile; `intervals` is `[{day, start, end}]` with `HH:MM:SS` times. */
export interface BusinessHoursProfilesTable {
  id: Generated<string>;
  seq: ColumnType<string, never, never>;
  tenant_id: string;
  name: string;
  timezone: string;
  intervals: ColumnType<{ day: string; start: string; end: string }[], string, string>;
  /** `YYYY-MM-DD`, sorted. */
  holidays: string[];
  created_at: CreatedAt;
  updated_at: DefaultedDate;
}

/** The database handle every repository takes first: the pool's Kysely or a transaction. */
export type Db = Kysely<Database> | Transaction<Database>;
