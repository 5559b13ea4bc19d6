import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/database';

/** What a message's state change is called in a webhook. */
export type MessageEventType =
  | 'message.dispatched'
  | 'message.retry_scheduled'
  | 'message.rescheduled'
  | 'message.succeeded'
  | 'message.failed';

/** What a campaign's state change is called in a webhook. */
export type CampaignEventType = 'campaign.started' | 'campaign.paused' | 'campaign.completed' | 'campaign.cancelled';

/** The columns of a changed message an event is made of, for `withMessageEvents`. */
export const MESSAGE_EVENT_COLUMNS = sql.raw(
  'id, tenant_id, campaign_id, phone_number, status, disposition, attempt_count, callback_state, callback_url',
);

/**
 * A statement that writes an event for each row of `changedRows` (a query or an UPDATE … RETURNING
 * with MESSAGE_EVENT_COLUMNS, as it is after the change), with one pending delivery per URL that
 * listens to it: the message's callback URL and its campaign's webhook_url, once when both are the
 * same. Rows nobody listens to write nothing.
 */
export function withMessageEvents(type: MessageEventType, changedRows: RawBuilder<unknown>, now: Date) {
  return sql`
    with changed_rows as (${changedRows}),
    changed as (
      select r.*, c.webhook_url from changed_rows r join campaigns c on c.id = r.campaign_id
      where r.callback_url is not null or c.webhook_url is not null
    ),
    events as (
      insert into webhook_events (tenant_id, campaign_id, message_id, type, body, created_at)
      select tenant_id, campaign_id, id, ${type}, jsonb_build_object(
          'type', ${type}::text, 'created_at', ${now.toISOString()}::text, 'campaign_id', campaign_id, 'message_id', id,
          'phone_number', phone_number, 'status', status, 'disposition', disposition, 'attempt', attempt_count,
          'state', callback_state),
        ${now}::timestamptz
      from changed
      returning id, message_id
    )
    insert into webhook_deliveries (event_id, tenant_id, campaign_id, message_id, order_key, url, state, next_attempt_at, created_at)
    select e.id, c.tenant_id, c.campaign_id, c.id, c.id, u.url, 'PENDING', ${now}::timestamptz, ${now}::timestamptz
    from events e join changed c on c.id = e.message_id
    cross join lateral (select distinct url from unnest(array[c.callback_url, c.webhook_url]) as url where url is not null) u`;
}

/**
 * Writes the events of messages that changed, in the transaction of the change and after it, so
 * the bodies carry the new state.
 */
export async function recordMessageEvents(db: Db, type: MessageEventType, messageIds: readonly string[], now: Date): Promise<void> {
  if (messageIds.length === 0) return;
  const rows = sql`select ${MESSAGE_EVENT_COLUMNS} from messages where id = any(${[...messageIds]}::uuid[])`;
  await withMessageEvents(type, rows, now).execute(db);
}

/** Writes an event for a campaign's change, with a pending delivery to its webhook_url if it has one. */
export async function recordCampaignEvent(db: Db, type: CampaignEventType, campaignId: string, now: Date): Promise<void> {
  await sql`
    with changed as (
      select id, tenant_id, status, webhook_url from campaigns where id = ${campaignId}::uuid and webhook_url is not null
    ),
    events as (
      insert into webhook_events (tenant_id, campaign_id, message_id, type, body, created_at)
      select tenant_id, id, null, ${type}, jsonb_build_object(
          'type', ${type}::text, 'created_at', ${now.toISOString()}::text, 'campaign_id', id, 'status', status),
        ${now}::timestamptz
      from changed
      returning id, campaign_id
    )
    insert into webhook_deliveries (event_id, tenant_id, campaign_id, message_id, order_key, url, state, next_attempt_at, created_at)
    select e.id, c.tenant_id, c.id, null, c.id, c.webhook_url, 'PENDING', ${now}::timestamptz, ${now}::timestamptz
    from events e join changed c on c.id = e.campaign_id`.execute(db);
}
