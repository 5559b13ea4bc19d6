import { sql, type Kysely } from 'kysely';

/**
 * Dispatch rounds of several processes may work one campaign at once, and a dispatch writes less.
 *
 * A round used to hold its campaigns' rows locked from the claim to the commit, so that the
 * in-flight count it read stayed true; rounds of other processes skipped those campaigns, and a
 * large campaign was dialed by one process at a time. Now a round first reserves call slots of a
 * campaign in a transaction of its own (the campaign row locked only for that), and its claim takes
 * at most the slots it holds; the round deletes its reservation when it commits, in the same
 * transaction that makes its dials count as in flight. A reservation left by a process that died
 * expires. Free slots are max_concurrent_calls − in flight − unexpired reservations.
 *
 * A dispatch writes less. Measured per 1,000 dials (`npm run bench -- scheduler`): recording the
 * providers' call ids by UPDATE of the attempt rows (non-HOT, through an index) cost 20–70 ms; an
 * insert into a narrow table costs about 6. The attempt's random uuid key and the index on its
 * attempt key cost another 7–10 ms and answered nothing the pair (message_id, number) does not:
 * an attempt key is `<message id>:<number>`, so it is found through the primary key.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table provider_calls (
      tenant_id uuid not null,
      provider_call_id text not null,
      message_id uuid not null,
      number integer not null,
      primary key (tenant_id, provider_call_id)
    )`.execute(db);
  await sql`
    insert into provider_calls (tenant_id, provider_call_id, message_id, number)
    select tenant_id, provider_call_id, message_id, number from attempts where provider_call_id is not null
    on conflict do nothing`.execute(db);
  await sql`alter table attempts drop column provider_call_id`.execute(db);
  await sql`alter table attempts drop column id`.execute(db);
  await sql`alter table attempts drop constraint attempts_message_id_number_key, add primary key (message_id, number)`.execute(db);
  await sql`drop index attempts_attempt_key_key`.execute(db);
  // No foreign keys on the dispatch path. Their per-row checks cost more than the inserts they
  // guard: provider_calls → attempts 9 ms per 1,000 rows beside 4.5 for the insert, attempts →
  // messages 6–9 ms beside 11. Both rows are written from message rows the round holds locked, so
  // they never name a missing row; nothing in the service deletes messages or attempts; and a row
  // left behind by a manual delete leads to no message, which every reader treats as not found.
  await sql`alter table attempts drop constraint attempts_message_id_fkey`.execute(db);

  await sql`
    create table dispatch_reservations (
      id bigint generated always as identity primary key,
      campaign_id uuid not null references campaigns (id) on delete cascade,
      slots integer not null check (slots > 0),
      expires_at timestamptz not null
    )`.execute(db);
  await sql`create index dispatch_reservations_campaign_idx on dispatch_reservations (campaign_id, expires_at)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table dispatch_reservations`.execute(db);
  await sql`
    alter table attempts add constraint attempts_message_id_fkey
      foreign key (message_id) references messages (id) on delete cascade`.execute(db);
  await sql`create unique index attempts_attempt_key_key on attempts (attempt_key)`.execute(db);
  await sql`alter table attempts drop constraint attempts_pkey`.execute(db);
  await sql`alter table attempts add constraint attempts_message_id_number_key unique (message_id, number)`.execute(db);
  await sql`alter table attempts add column id uuid not null default gen_random_uuid() primary key`.execute(db);
  await sql`alter table attempts add column provider_call_id text`.execute(db);
  await sql`
    update attempts a set provider_call_id = p.provider_call_id
    from provider_calls p where p.message_id = a.message_id and p.number = a.number`.execute(db);
  await sql`create index attempts_provider_call_id_idx on attempts (provider_call_id) where provider_call_id is not null`.execute(db);
  await sql`drop table provider_calls`.execute(db);
}
