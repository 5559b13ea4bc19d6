import { sql, type Kysely } from 'kysely';

/** Tenants, their hashed API keys, and campaigns with every setting of DESIGN.md. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table tenants (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      webhook_secret text not null,
      is_default boolean not null default false,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index tenants_name_key on tenants (lower(name))`.execute(db);
  // At most one default tenant: the one OUTREACH_API_KEY belongs to.
  await sql`create unique index tenants_one_default on tenants (is_default) where is_default`.execute(db);

  await sql`
    create table api_keys (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants (id) on delete cascade,
      key_hash bytea not null,
      key_prefix text not null,
      label text not null default '',
      created_at timestamptz not null default now(),
      revoked_at timestamptz
    )`.execute(db);
  await sql`create unique index api_keys_key_hash_key on api_keys (key_hash)`.execute(db);
  await sql`create index api_keys_tenant_id_idx on api_keys (tenant_id)`.execute(db);

  await sql`
    create table campaigns (
      id uuid primary key default gen_random_uuid(),
      -- Insertion order for keyset paging: exact, unlike timestamps that share a millisecond.
      seq bigint generated always as identity,
      tenant_id uuid not null references tenants (id) on delete cascade,
      name text not null,
      status text not null default 'DRAFT'
        check (status in ('DRAFT', 'RUNNING', 'PAUSED', 'COMPLETED', 'CANCELLED')),
      type text not null check (type in ('OUTBOUND')),
      channel text not null check (channel in ('VOICE', 'SMS', 'WHATSAPP')),
      trigger text not null check (trigger in ('API', 'BULK')),
      assistant_id text not null,
      dialer_type text not null check (dialer_type in ('SINGLE', 'POOL')),
      phone_number_id text,
      phone_number_pool text[] not null default '{}',
      start_logic text not null check (start_logic in ('START_IMMEDIATELY', 'WAIT_FOR_GREETING', 'WAIT_SECONDS')),
      start_delay_seconds integer not null default 0,
      ring_duration_seconds integer not null,
      timezone text not null,
      start_date date,
      end_date date,
      days_of_week text[] not null,
      daily_start_time time,
      daily_end_time time,
      business_hours_profile_id uuid,
      dnd_action text not null check (dnd_action in ('RESCHEDULE', 'DISCARD')),
      max_call_attempts integer not null check (max_call_attempts between 1 and 11),
      max_daily_attempts integer not null default 0,
      min_gap_minutes integer not null check (min_gap_minutes >= 3),
      retry_scenarios text[] not null default '{}',
      retry_delays jsonb not null default '{}',
      consider_voicemail_as_answered boolean not null default false,
      max_concurrent_calls integer not null,
      recipient_local_time boolean not null default false,
      webhook_url text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      started_at timestamptz,
      ended_at timestamptz
    )`.execute(db);
  await sql`create unique index campaigns_tenant_name_key on campaigns (tenant_id, lower(name))`.execute(db);
  await sql`create index campaigns_tenant_seq_idx on campaigns (tenant_id, seq desc)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table campaigns`.execute(db);
  await sql`drop table api_keys`.execute(db);
  await sql`drop table tenants`.execute(db);
}
