import type { ColumnType, Generated, Kysely, Transaction } from 'kysely';

/** Row types of every table: they stop at the repositories. */
export interface Database {
  tenants: TenantsTable;
  api_keys: ApiKeysTable;
  campaigns: CampaignsTable;
}

type CreatedAt = ColumnType<Date, never, never>;
type DefaultedDate = ColumnType<Date, Date | undefined, Date>;

export interface TenantsTable {
  id: Generated<string>;
  name: string;
  webhook_secret: string;
  is_default: Generated<boolean>;
  created_at: CreatedAt;
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

/** The database handle every repository takes first: the pool's Kysely or a transaction. */
export type Db = Kysely<Database> | Transaction<Database>;
