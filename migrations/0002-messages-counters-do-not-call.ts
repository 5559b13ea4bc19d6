import { sql, type Kysely } from 'kysely';

/** `by_disposition` counts ended messages only: a message queued again for a retry keeps its last outcome. */
const ENDED = sql.raw(`disposition is not null and status in ('SUCCEEDED', 'FAILED')`);
const ENDED_OLD = sql.raw(`o.disposition is not null and o.status in ('SUCCEEDED', 'FAILED')`);
const ENDED_NEW = sql.raw(`n.disposition is not null and n.status in ('SUCCEEDED', 'FAILED')`);

/**
 * Messages (one contact of a campaign), the do-not-call ledger, and per-campaign counters kept
 * exact by statement-level triggers in the same transaction as every change to messages.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table messages (
      id uuid primary key,
      seq bigint generated always as identity,
      tenant_id uuid not null references tenants (id) on delete cascade,
      campaign_id uuid not null references campaigns (id) on delete cascade,
      phone_number text not null,
      status text not null default 'QUEUED' check (status in ('QUEUED', 'DISPATCHED', 'SUCCEEDED', 'FAILED')),
      disposition text check (disposition in
        ('COMPLETED', 'VOICEMAIL', 'BUSY', 'NO_ANSWER', 'FAILED', 'OPTED_OUT', 'DISCARDED_DND', 'CANCELLED', 'EXPIRED')),
      variables jsonb not null default '{}',
      callback_url text,
      callback_state jsonb,
      scheduled_at timestamptz not null,
      bypass_calling_window boolean not null default false,
      allow_duplicates boolean not null default false,
      next_attempt_at timestamptz,
      attempt_count integer not null default 0,
      external_id text,
      language text,
      metadata jsonb not null default '{}',
      timezone text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  // The duplicate rule, enforced by the database: one queued or in-flight message per number and
  // campaign, except messages sent with AllowDuplicates.
  await sql`
    create unique index messages_one_active_per_number on messages (campaign_id, phone_number)
    where status in ('QUEUED', 'DISPATCHED') and not allow_duplicates`.execute(db);
  // Messages sent with AllowDuplicates stay out of the unique index; this small index finds them
  // when a later message without the flag must be refused because of them.
  await sql`
    create index messages_active_duplicates_idx on messages (campaign_id, phone_number)
    where status in ('QUEUED', 'DISPATCHED') and allow_duplicates`.execute(db);
  await sql`create unique index messages_external_id_key on messages (campaign_id, external_id) where external_id is not null`.execute(db);
  await sql`create index messages_campaign_seq_idx on messages (campaign_id, seq)`.execute(db);
  await sql`create index messages_campaign_status_seq_idx on messages (campaign_id, status, seq)`.execute(db);

  await sql`
    create table do_not_call (
      tenant_id uuid not null references tenants (id) on delete cascade,
      phone_number text not null,
      source text not null,
      reason text not null default '',
      expires_at timestamptz,
      created_at timestamptz not null default now(),
      primary key (tenant_id, phone_number)
    )`.execute(db);

  // Counters per campaign and key ('total', 'status:QUEUED', 'disposition:OPTED_OUT', 'attempt:2').
  // Each backend adds to its own shard row, so concurrent writers rarely wait on one another;
  // a reader sums the shards in one snapshot, which makes the figures exact.
  await sql`
    create table campaign_counts (
      campaign_id uuid not null references campaigns (id) on delete cascade,
      key text not null,
      shard smallint not null,
      n bigint not null,
      primary key (campaign_id, key, shard)
    )`.execute(db);
  await sql`
    create function apply_campaign_count_deltas(deltas jsonb) returns void language sql as $$
      insert into campaign_counts (campaign_id, key, shard, n)
      select (d->>'campaign_id')::uuid, d->>'key', (pg_backend_pid() % 16)::smallint, (d->>'n')::bigint
      from jsonb_array_elements(deltas) d
      order by 1, 2
      on conflict (campaign_id, key, shard) do update set n = campaign_counts.n + excluded.n
    $$`.execute(db);
  await sql`
    create function messages_counts_after_insert() returns trigger language plpgsql as $$
    begin
      perform apply_campaign_count_deltas(coalesce(jsonb_agg(jsonb_build_object('campaign_id', campaign_id, 'key', key, 'n', n)), '[]'))
      from (
        select campaign_id, key, sum(n) as n from (
          select campaign_id, 'total' as key, 1 as n from inserted
          union all select campaign_id, 'status:' || status, 1 from inserted
          union all select campaign_id, 'disposition:' || disposition, 1 from inserted where ${ENDED}
        ) d group by campaign_id, key
      ) agg;
      return null;
    end $$`.execute(db);
  await sql`
    create function messages_counts_after_update() returns trigger language plpgsql as $$
    begin
      perform apply_campaign_count_deltas(coalesce(jsonb_agg(jsonb_build_object('campaign_id', campaign_id, 'key', key, 'n', n)), '[]'))
      from (
        select campaign_id, key, sum(n) as n from (
          select o.campaign_id, 'status:' || o.status as key, -1 as n from old_rows o
          union all select n.campaign_id, 'status:' || n.status, 1 from new_rows n
          union all select o.campaign_id, 'disposition:' || o.disposition, -1 from old_rows o where ${ENDED_OLD}
          union all select n.campaign_id, 'disposition:' || n.disposition, 1 from new_rows n where ${ENDED_NEW}
          union all
            select n.campaign_id, 'attempt:' || a, 1
            from new_rows n join old_rows o on o.id = n.id
            cross join generate_series(o.attempt_count + 1, n.attempt_count) a
        ) d group by campaign_id, key having sum(n) <> 0
      ) agg;
      return null;
    end $$`.execute(db);
  await sql`
    create function messages_counts_after_delete() returns trigger language plpgsql as $$
    begin
      perform apply_campaign_count_deltas(coalesce(jsonb_agg(jsonb_build_object('campaign_id', campaign_id, 'key', key, 'n', n)), '[]'))
      from (
        select campaign_id, key, -sum(n) as n from (
          select campaign_id, 'total' as key, 1 as n from deleted
          union all select campaign_id, 'status:' || status, 1 from deleted
          union all select campaign_id, 'disposition:' || disposition, 1 from deleted where ${ENDED}
        ) d group by campaign_id, key
      ) agg;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger messages_counts_insert after insert on messages
    referencing new table as inserted for each statement execute function messages_counts_after_insert()`.execute(db);
  await sql`
    create trigger messages_counts_update after update on messages
    referencing old table as old_rows new table as new_rows for each statement execute function messages_counts_after_update()`.execute(db);
  await sql`
    create trigger messages_counts_delete after delete on messages
    referencing old table as deleted for each statement execute function messages_counts_after_delete()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table campaign_counts`.execute(db);
  await sql`drop function messages_counts_after_insert, messages_counts_after_update, messages_counts_after_delete, apply_campaign_count_deltas`.execute(db);
  await sql`drop table do_not_call`.execute(db);
  await sql`drop table messages`.execute(db);
}
