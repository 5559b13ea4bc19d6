import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database';

/**
 * The due-messages count as one statement, for `countDueMessages` and for tests that check its
 * plan. It reads the due queue `message_queue (campaign_id, due_at, message_id)`, which holds
 * exactly the QUEUED messages (kept by triggers on `messages`). Each `RUNNING` campaign is counted
 * through a `LIMIT`ed lateral subquery, which PostgreSQL cannot flatten: it walks the queue's
 * primary key from the campaign's oldest entry and stops at the first not yet due, so messages due
 * later cost nothing and at most `cap` index entries are read in all. A read-only count: safe
 * beside any number of claiming schedulers (it takes no locks and may be a moment stale).
 */
export function dueMessagesQuery(now: Date, cap: number): RawBuilder<{ due: number }> {
  return sql<{ due: number }>`
    select count(*)::int as due from (
      select 1 from campaigns c
      cross join lateral (
        select 1 from message_queue q
        where q.campaign_id = c.id and q.due_at <= ${now}
        limit ${cap}
      ) due_in_campaign
      where c.status = 'RUNNING'
      limit ${cap}
    ) due`;
}

/**
 * How many messages are due now: `QUEUED`, of a `RUNNING` campaign, with `next_attempt_at` at or
 * before `now` — counted up to `cap` (a count at the cap means "at least `cap`"), so a scrape
 * stays cheap whatever the backlog. The one place the gauge's SQL lives.
 */
export async function countDueMessages(db: Db, now: Date, cap: number): Promise<number> {
  const result = await dueMessagesQuery(now, cap).execute(db);
  return result.rows[0]?.due ?? 0;
}
