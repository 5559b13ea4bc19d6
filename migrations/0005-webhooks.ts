import { sql, type Kysely } from 'kysely';

/**
 * The webhook outbox. A change of a message or a campaign that someone listens to (the message's
 * callback URL, the campaign's webhook_url) writes an event in the change's own transaction, and
 * one delivery per URL. A delivery loop, safe with many processes, POSTs the deliveries and keeps
 * every attempt. Deliveries to one URL about one message (or one campaign) go out in order: one
 * waits while an earlier one is pending.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table webhook_events (
      id uuid primary key default gen_random_uuid(),
      tenant_id uuid not null references tenants (id) on delete cascade,
      campaign_id uuid not null,
      message_id uuid,
      type text not null,
      body jsonb not null,
      created_at timestamptz not null
    )`.execute(db);

  await sql`
    create table webhook_deliveries (
      id bigint generated always as identity primary key,
      event_id uuid not null references webhook_events (id) on delete cascade,
      tenant_id uuid not null,
      campaign_id uuid not null,
      message_id uuid,
      -- What order is kept within (with the URL): the message, or the campaign for its own events.
      order_key uuid not null,
      url text not null,
      state text not null check (state in ('PENDING', 'DELIVERED', 'DEAD')),
      attempts integer not null default 0,
      -- When a PENDING delivery is next tried (also the lease of one being tried now).
      next_attempt_at timestamptz,
      last_attempt_at timestamptz,
      last_http_status integer,
      last_error text,
      created_at timestamptz not null,
      delivered_at timestamptz
    )`.execute(db);
  await sql`create index webhook_deliveries_due_idx on webhook_deliveries (next_attempt_at) where state = 'PENDING'`.execute(db);
  await sql`create index webhook_deliveries_order_idx on webhook_deliveries (order_key, url, id) where state = 'PENDING'`.execute(db);
  await sql`create index webhook_deliveries_message_idx on webhook_deliveries (tenant_id, message_id, id)`.execute(db);
  await sql`create index webhook_deliveries_campaign_idx on webhook_deliveries (tenant_id, campaign_id, id)`.execute(db);
  await sql`create index webhook_deliveries_event_idx on webhook_deliveries (event_id)`.execute(db);

  await sql`
    create table webhook_delivery_attempts (
      delivery_id bigint not null references webhook_deliveries (id) on delete cascade,
      number integer not null,
      at timestamptz not null,
      http_status integer,
      latency_ms integer not null,
      error text,
      primary key (delivery_id, number)
    )`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table webhook_delivery_attempts`.execute(db);
  await sql`drop table webhook_deliveries`.execute(db);
  await sql`drop table webhook_events`.execute(db);
}
