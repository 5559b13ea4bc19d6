import { sql, type Kysely, type RawBuilder } from 'kysely';

/** A message that has ended: only those count in `by_disposition` (as in migration 0002). */
const ENDED = sql.raw(`disposition is not null and status in ('SUCCEEDED', 'FAILED')`);
function endedText(side: 'old' | 'new'): string {
  return `${side}_disposition is not null and ${side}_status in ('SUCCEEDED', 'FAILED')`;
}
const endedAs = (side: 'old' | 'new') => sql.raw(`(${endedText(side)})`);
/** The row changed status or campaign, so its status keys move. */
const MOVED = sql.raw(`(old_status <> new_status or old_campaign <> new_campaign)`);
/** Ended before and after with the same disposition in the same campaign: its disposition key stays. */
const SAME_ENDING = sql.raw(
  `(${endedText('old')} and ${endedText('new')} and old_disposition = new_disposition and old_campaign = new_campaign)`,
);

/**
 * Adds per-campaign deltas `(campaign_id, key, n)` to this backend's shard of `campaign_counts`,
 * in key order so that concurrent writers do not deadlock (as migration 0002's counters do).
 */
const COUNT_DELTAS = (deltas: RawBuilder<unknown>) => sql`
      insert into campaign_counts (campaign_id, key, shard, n)
      select campaign_id, key, (pg_backend_pid() % 16)::smallint, sum(n)
      from (${deltas}) d
      group by campaign_id, key
      having sum(n) <> 0
      order by campaign_id, key
      on conflict (campaign_id, key, shard) do update set n = campaign_counts.n + excluded.n`;

/**
 * Dispatching a message rewrites it in place (a HOT update: no index entry written).
 *
 * Moving a message QUEUED → DISPATCHED used to write four index entries, because `status` and
 * `next_attempt_at` were in indexes: the claim's due index (`where status = 'QUEUED'`), the
 * status filter of ListMessages, and the one-active-per-number rule (`where status in (…)`).
 * A row whose indexed columns keep their values can be updated on its own page without touching
 * any index, so nothing indexed on `messages` changes at dispatch any more:
 * - The due queue is a narrow table of its own, `message_queue (campaign_id, due_at, message_id)`,
 *   holding exactly the QUEUED messages. Statement-level triggers keep it in step with `messages`
 *   in the same transaction as every change, like the counters, so no writer can forget it. The
 *   claim walks its primary key in due order and stops at the first message not yet due.
 * - `active` (QUEUED or DISPATCHED) is a stored generated column; the duplicate rule's indexes
 *   name it instead of `status`. It does not change at dispatch.
 * - `phase` (ACTIVE, SUCCEEDED or FAILED) serves the ListMessages status filter; QUEUED and
 *   DISPATCHED share ACTIVE, and the filter reads `status` from the rows of that range.
 * - Half of each page is left free (fillfactor 50) so that a message's new version fits beside
 *   the old one: a bulk campaign dispatches every row of a page in one round, and the dead
 *   versions of a round's own transaction cannot be pruned to make room.
 *
 * The two partial indexes of open attempts become one, so a dispatch writes one index entry fewer
 * there too.
 *
 * Measured on a scratch copy (two sessions racing over 50,000 due messages, 2,000 a round, the
 * dispatch statements run server-side): 1.55 s before, 1.23 s after; the dispatch UPDATE went from
 * 35–38 ms per 1,000 messages to 18–21, and all 50,000 updates were HOT.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table messages add constraint messages_queued_has_due_time check (status <> 'QUEUED' or next_attempt_at is not null)`.execute(db);
  // Before the rewrite that adding the stored columns makes, so that the rows there are now get
  // the free space too.
  await sql`alter table messages set (fillfactor = 50)`.execute(db);
  await sql`
    alter table messages
      add column active boolean generated always as (status in ('QUEUED', 'DISPATCHED')) stored,
      add column phase text generated always as (case when status in ('QUEUED', 'DISPATCHED') then 'ACTIVE' else status end) stored`.execute(db);

  await sql`drop index messages_one_active_per_number`.execute(db);
  await sql`drop index messages_active_duplicates_idx`.execute(db);
  await sql`drop index messages_campaign_status_seq_idx`.execute(db);
  await sql`drop index messages_campaign_due_idx`.execute(db);
  await sql`
    create unique index messages_one_active_per_number on messages (campaign_id, phone_number)
    where active and not allow_duplicates`.execute(db);
  await sql`
    create index messages_active_duplicates_idx on messages (campaign_id, phone_number)
    where active and allow_duplicates`.execute(db);
  await sql`create index messages_campaign_phase_seq_idx on messages (campaign_id, phase, seq)`.execute(db);

  // One index for the open attempts instead of two: by caller id (the carrier cap's count, every
  // round with a cap) and by deadline within it (the reconciler, every few seconds, reads the open
  // attempts in full — there are at most as many as calls in flight). A dispatch writes one entry
  // fewer.
  await sql`drop index attempts_open_deadline_idx`.execute(db);
  await sql`drop index attempts_open_caller_idx`.execute(db);
  await sql`create index attempts_open_idx on attempts (caller_id, deadline_at) where ended_at is null`.execute(db);

  // No foreign keys: rows are written and deleted only by the triggers below, from messages rows.
  await sql`
    create table message_queue (
      campaign_id uuid not null,
      due_at timestamptz not null,
      message_id uuid not null,
      primary key (campaign_id, due_at, message_id)
    )`.execute(db);
  await sql`
    insert into message_queue (campaign_id, due_at, message_id)
    select campaign_id, next_attempt_at, id from messages where status = 'QUEUED'`.execute(db);
  await sql`alter table message_queue set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.01)`.execute(db);

  // One trigger per kind of change keeps both the counters (migration 0002) and the due queue, from
  // one read of the transition tables. Migration 0002's counter functions stay for `down`.
  await sql`drop trigger messages_counts_insert on messages`.execute(db);
  await sql`drop trigger messages_counts_update on messages`.execute(db);
  await sql`drop trigger messages_counts_delete on messages`.execute(db);
  await sql`
    create function messages_after_insert() returns trigger language plpgsql as $$
    begin
      ${COUNT_DELTAS(sql`
        select campaign_id, 'total' as key, count(*) as n from inserted group by campaign_id
        union all select campaign_id, 'status:' || status, count(*) from inserted group by campaign_id, status
        union all select campaign_id, 'disposition:' || disposition, count(*) from inserted where ${ENDED} group by campaign_id, disposition`)};
      insert into message_queue (campaign_id, due_at, message_id)
      select campaign_id, next_attempt_at, id from inserted where status = 'QUEUED';
      return null;
    end $$`.execute(db);
  // The changed rows are joined once, old and new side by side, in one statement. A row leaves the
  // queue when it stops being QUEUED or its due time moves, and (re)enters it when it becomes QUEUED
  // or its due time moves; only keys a row leaves or enters are counted.
  await sql`
    create function messages_after_update() returns trigger language plpgsql as $$
    begin
      with c as materialized (
        select o.id, o.campaign_id as old_campaign, n.campaign_id as new_campaign, o.status as old_status,
          n.status as new_status, o.disposition as old_disposition, n.disposition as new_disposition,
          o.attempt_count as old_attempts, n.attempt_count as new_attempts, o.next_attempt_at as old_due,
          n.next_attempt_at as new_due
        from old_rows o join new_rows n on n.id = o.id
      ), counted as (
        ${COUNT_DELTAS(sql`
          select old_campaign as campaign_id, 'status:' || old_status as key, -count(*) as n from c
            where ${MOVED} group by old_campaign, old_status
          union all select new_campaign, 'status:' || new_status, count(*) from c
            where ${MOVED} group by new_campaign, new_status
          union all select old_campaign, 'disposition:' || old_disposition, -count(*) from c
            where ${endedAs('old')} and not ${SAME_ENDING} group by old_campaign, old_disposition
          union all select new_campaign, 'disposition:' || new_disposition, count(*) from c
            where ${endedAs('new')} and not ${SAME_ENDING} group by new_campaign, new_disposition
          union all select g.new_campaign, 'attempt:' || a, g.n from (
            select new_campaign, old_attempts, new_attempts, count(*) as n from c
            where new_attempts > old_attempts group by new_campaign, old_attempts, new_attempts) g
            cross join generate_series(g.old_attempts + 1, g.new_attempts) a`)}
      ), dequeued as (
        delete from message_queue q using c
        where c.old_status = 'QUEUED' and (c.new_status <> 'QUEUED' or c.new_due <> c.old_due or c.new_campaign <> c.old_campaign)
          and q.campaign_id = c.old_campaign and q.due_at = c.old_due and q.message_id = c.id
      )
      insert into message_queue (campaign_id, due_at, message_id)
      select new_campaign, new_due, id from c
      where new_status = 'QUEUED' and (old_status <> 'QUEUED' or new_due <> old_due or new_campaign <> old_campaign);
      return null;
    end $$`.execute(db);
  await sql`
    create function messages_after_delete() returns trigger language plpgsql as $$
    begin
      ${COUNT_DELTAS(sql`
        select campaign_id, 'total' as key, -count(*) as n from deleted group by campaign_id
        union all select campaign_id, 'status:' || status, -count(*) from deleted group by campaign_id, status
        union all select campaign_id, 'disposition:' || disposition, -count(*) from deleted where ${ENDED} group by campaign_id, disposition`)};
      delete from message_queue q using deleted d
      where d.status = 'QUEUED' and q.campaign_id = d.campaign_id and q.due_at = d.next_attempt_at and q.message_id = d.id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger messages_changed_insert after insert on messages
    referencing new table as inserted for each statement execute function messages_after_insert()`.execute(db);
  await sql`
    create trigger messages_changed_update after update on messages
    referencing old table as old_rows new table as new_rows for each statement execute function messages_after_update()`.execute(db);
  await sql`
    create trigger messages_changed_delete after delete on messages
    referencing old table as deleted for each statement execute function messages_after_delete()`.execute(db);
  // A truncate of messages (tests, benches) empties the queue with it.
  await sql`
    create function message_queue_after_truncate() returns trigger language plpgsql as $$
    begin
      truncate message_queue;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger messages_queue_truncate after truncate on messages
    for each statement execute function message_queue_after_truncate()`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop trigger messages_queue_truncate on messages`.execute(db);
  await sql`drop trigger messages_changed_delete on messages`.execute(db);
  await sql`drop trigger messages_changed_update on messages`.execute(db);
  await sql`drop trigger messages_changed_insert on messages`.execute(db);
  await sql`drop function message_queue_after_truncate, messages_after_delete, messages_after_update, messages_after_insert`.execute(db);
  await sql`
    create trigger messages_counts_insert after insert on messages
    referencing new table as inserted for each statement execute function messages_counts_after_insert()`.execute(db);
  await sql`
    create trigger messages_counts_update after update on messages
    referencing old table as old_rows new table as new_rows for each statement execute function messages_counts_after_update()`.execute(db);
  await sql`
    create trigger messages_counts_delete after delete on messages
    referencing old table as deleted for each statement execute function messages_counts_after_delete()`.execute(db);
  await sql`drop table message_queue`.execute(db);
  await sql`drop index attempts_open_idx`.execute(db);
  await sql`create index attempts_open_deadline_idx on attempts (deadline_at) where ended_at is null`.execute(db);
  await sql`create index attempts_open_caller_idx on attempts (caller_id) where ended_at is null`.execute(db);
  await sql`alter table messages reset (fillfactor)`.execute(db);
  await sql`drop index messages_campaign_phase_seq_idx`.execute(db);
  await sql`drop index messages_active_duplicates_idx`.execute(db);
  await sql`drop index messages_one_active_per_number`.execute(db);
  await sql`alter table messages drop column phase, drop column active`.execute(db);
  await sql`
    create unique index messages_one_active_per_number on messages (campaign_id, phone_number)
    where status in ('QUEUED', 'DISPATCHED') and not allow_duplicates`.execute(db);
  await sql`
    create index messages_active_duplicates_idx on messages (campaign_id, phone_number)
    where status in ('QUEUED', 'DISPATCHED') and allow_duplicates`.execute(db);
  await sql`create index messages_campaign_status_seq_idx on messages (campaign_id, status, seq)`.execute(db);
  await sql`create index messages_campaign_due_idx on messages (campaign_id, next_attempt_at) where status = 'QUEUED'`.execute(db);
  await sql`alter table messages drop constraint messages_queued_has_due_time`.execute(db);
}
