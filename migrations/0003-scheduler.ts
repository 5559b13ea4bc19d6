import { sql, type Kysely } from 'kysely';

/**
 * What the scheduler needs: attempts (one row per dial, written before the provider is called,
 * with its idempotency key), business-hours profiles, the tenant's calling policy, the reason of
 * every decision on a message, and the index the claim walks.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table business_hours_profiles (
      id uuid primary key default gen_random_uuid(),
      seq bigint generated always as identity,
      tenant_id uuid not null references tenants (id) on delete cascade,
      name text not null,
      timezone text not null,
      intervals jsonb not null,
      holidays text[] not null default '{}',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create unique index business_hours_profiles_tenant_name_key on business_hours_profiles (tenant_id, lower(name))`.execute(db);

  await sql`
    alter table tenants
      add column quiet_hours_start time,
      add column quiet_hours_end time,
      add column bypass_may_override_quiet_hours boolean not null default false,
      add column max_calls_per_number integer not null default 0,
      add column frequency_window_days integer not null default 1`.execute(db);

  await sql`
    create table attempts (
      id uuid primary key default gen_random_uuid(),
      message_id uuid not null references messages (id) on delete cascade,
      tenant_id uuid not null,
      campaign_id uuid not null,
      number integer not null,
      attempt_key text not null,
      caller_id text,
      phone_number text not null,
      provider_call_id text,
      started_at timestamptz not null,
      deadline_at timestamptz not null,
      ended_at timestamptz,
      outcome text check (outcome in ('COMPLETED', 'BUSY', 'NO_ANSWER', 'VOICEMAIL', 'FAILED', 'OPTED_OUT')),
      duration_seconds integer not null default 0,
      answered_by text,
      recording_url text,
      transcript_url text,
      unique (message_id, number)
    )`.execute(db);
  await sql`create unique index attempts_attempt_key_key on attempts (attempt_key)`.execute(db);
  await sql`create index attempts_provider_call_id_idx on attempts (provider_call_id) where provider_call_id is not null`.execute(db);
  // Attempts without an outcome, by when they must be reconciled.
  await sql`create index attempts_open_deadline_idx on attempts (deadline_at) where ended_at is null`.execute(db);
  // Calls in flight per caller id, for the carrier cap across campaigns.
  await sql`create index attempts_open_caller_idx on attempts (caller_id) where ended_at is null`.execute(db);
  // Calls to a number across the tenant's campaigns, for the frequency cap.
  await sql`create index attempts_tenant_number_started_idx on attempts (tenant_id, phone_number, started_at)`.execute(db);

  await sql`alter table messages add column last_reason text`.execute(db);
  await sql`
    create table message_history (
      id bigint generated always as identity primary key,
      message_id uuid not null references messages (id) on delete cascade,
      at timestamptz not null,
      kind text not null,
      reason text,
      detail jsonb not null default '{}'
    )`.execute(db);
  await sql`create index message_history_message_idx on message_history (message_id, id)`.execute(db);

  // The claim's path: a campaign's queued messages in due order. The scan stops at the first
  // message not yet due, so any number of them costs the claim nothing.
  await sql`create index messages_campaign_due_idx on messages (campaign_id, next_attempt_at) where status = 'QUEUED'`.execute(db);
  // A claim planned on stale statistics can fall to a scan of the table (measured in a peer queue:
  // -95 % until ANALYZE ran). Bulk loads change messages fast, so analyze after 1 % of it changes
  // rather than the default 10 %.
  await sql`
    alter table messages set (autovacuum_analyze_scale_factor = 0.01, autovacuum_analyze_threshold = 1000,
      autovacuum_vacuum_scale_factor = 0.05)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index messages_campaign_due_idx`.execute(db);
  await sql`drop table message_history`.execute(db);
  await sql`alter table messages drop column last_reason`.execute(db);
  await sql`drop table attempts`.execute(db);
  await sql`
    alter table tenants drop column quiet_hours_start, drop column quiet_hours_end,
      drop column bypass_may_override_quiet_hours, drop column max_calls_per_number, drop column frequency_window_days`.execute(db);
  await sql`drop table business_hours_profiles`.execute(db);
}
