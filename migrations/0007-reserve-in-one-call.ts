import { sql, type Kysely } from 'kysely';

/**
 * A dispatch round reserves its call slots in one round trip instead of five.
 *
 * The reservation needs two statements in order: lock the campaigns (`FOR NO KEY UPDATE SKIP
 * LOCKED`), then count each one's free slots with a snapshot taken after the locks, so it sees
 * every reservation committed before them. As a transaction of its own that was `begin`, `set
 * local synchronous_commit`, the lock, the insert and `commit`: five round trips, 14 ms of a
 * 120 ms round in the scheduler bench, while the round's claim waited. In a VOLATILE function each
 * statement takes a fresh snapshot, so the same two statements, called as one statement, keep the
 * same guarantee; `set_config(…, true)` lasts until the end of the caller's transaction, whose
 * commit then does not wait for the disk.
 *
 * The statements are scheduler.repository.ts's `reserveSlots`, which calls the function and
 * documents what it does.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function reserve_dispatch_slots(
      p_now timestamptz, p_per_campaign integer, p_max_campaigns integer, p_after_campaign uuid, p_lease_seconds integer
    ) returns table (id bigint, campaign_id uuid, slots integer)
    language plpgsql volatile as $$
    declare
      locked uuid[];
    begin
      -- A reservation lost with a crash of the database costs nothing (its round rolls back too).
      perform set_config('synchronous_commit', 'off', true);
      select array_agg(l.id) into locked from (
        select c.id from campaigns c
        where c.status = 'RUNNING'
          -- The earliest due time of the campaign's queue: one read of the queue's first entry.
          and (select min(q.due_at) from message_queue q where q.campaign_id = c.id) <= p_now
        order by (c.id > p_after_campaign) desc, c.id
        limit p_max_campaigns
        -- NO KEY UPDATE: foreign-key checks (FOR KEY SHARE) of other writes are not blocked.
        for no key update of c skip locked
      ) l;
      if locked is null then
        return;
      end if;
      -- A new statement, so a new snapshot: it sees every reservation committed before the locks.
      return query
        insert into dispatch_reservations as r (campaign_id, slots, expires_at)
        select f.id, least(f.free, p_per_campaign), p_now + make_interval(secs => p_lease_seconds)
        from (
          select c.id, c.max_concurrent_calls
            - coalesce((select sum(k.n) from campaign_counts k where k.campaign_id = c.id and k.key = 'status:DISPATCHED'), 0)
            - coalesce((select sum(d.slots) from dispatch_reservations d
                where d.campaign_id = c.id and d.expires_at > p_now), 0) as free
          from campaigns c where c.id = any(locked)
        ) f
        where f.free > 0
        returning r.id, r.campaign_id, r.slots;
    end $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop function reserve_dispatch_slots(timestamptz, integer, integer, uuid, integer)`.execute(db);
}
