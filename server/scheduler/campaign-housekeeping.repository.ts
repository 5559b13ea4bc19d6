import { sql, type Kysely } from 'kysely';
import type { Database, Db } from '../db/database';
import { MESSAGE_EVENT_COLUMNS, recordCampaignEvent, withMessageEvents } from '../webhooks/outbox.repository';

/**
 * Campaign-level changes the scheduler makes on its own. Each is one compare-and-set statement,
 * safe to run from every process at once (a campaign changes state once), in a transaction with
 * its webhook events.
 */

/**
 * Completes RUNNING BULK campaigns whose whole audience is done: messages exist and none is
 * queued or in flight (read from the exact counters). Returns the completed ids.
 */
export async function completeDoneBulkCampaigns(db: Kysely<Database>, now: Date): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const result = await sql<{ id: string }>`
    update campaigns c set status = 'COMPLETED', ended_at = ${now}::timestamptz, updated_at = ${now}::timestamptz
    where c.status = 'RUNNING' and c.trigger = 'BULK'
      and (select coalesce(sum(n), 0) from campaign_counts k where k.campaign_id = c.id and k.key = 'total') > 0
      and (select coalesce(sum(n), 0) from campaign_counts k
           where k.campaign_id = c.id and k.key in ('status:QUEUED', 'status:DISPATCHED')) = 0
    returning c.id`.execute(trx);
    const ids = result.rows.map((r) => r.id);
    for (const id of ids) await recordCampaignEvent(trx, 'campaign.completed', id, now);
    return ids;
  });
}

/**
 * Completes RUNNING or PAUSED campaigns whose `end_date` has passed in their own timezone, and
 * expires their queued messages (FAILED/EXPIRED). Calls in flight finish and are recorded; they
 * are not retried. Returns the completed ids.
 */
export async function completeEndedCampaigns(db: Kysely<Database>, now: Date): Promise<string[]> {
  return db.transaction().execute(async (trx) => {
    const ended = await sql<{ id: string }>`
    update campaigns c set status = 'COMPLETED', ended_at = ${now}::timestamptz, updated_at = ${now}::timestamptz
    where c.status in ('RUNNING', 'PAUSED') and c.end_date is not null
      and ((c.end_date + 1)::timestamp at time zone c.timezone) <= ${now}::timestamptz
    returning c.id`.execute(trx);
    const ids = ended.rows.map((r) => r.id);
    await endQueuedMessages(trx, ids, 'EXPIRED', 'expired', now);
    for (const id of ids) await recordCampaignEvent(trx, 'campaign.completed', id, now);
    return ids;
  });
}

/**
 * Ends the queued messages of campaigns as FAILED with `disposition` (EXPIRED when a campaign
 * ends, CANCELLED when it is cancelled), with their webhook events, in one statement. The reason
 * goes on each message; a history row per message would make cancelling a million-message campaign
 * write a million more rows.
 */
export async function endQueuedMessages(
  db: Db,
  campaignIds: readonly string[],
  disposition: 'EXPIRED' | 'CANCELLED',
  reason: string,
  now: Date,
): Promise<void> {
  if (campaignIds.length === 0) return;
  const ended = sql`
    update messages set status = 'FAILED', disposition = ${disposition}, next_attempt_at = null, last_reason = ${reason},
      updated_at = ${now}::timestamptz
    where id in (select message_id from message_queue where campaign_id = any(${[...campaignIds]}::uuid[]))
      and status = 'QUEUED'
    returning ${MESSAGE_EVENT_COLUMNS}`;
  await withMessageEvents('message.failed', ended, now).execute(db);
}
