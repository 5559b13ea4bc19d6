import { findCampaign } from '../campaigns/campaigns.repository';
import type { Db } from '../db/database';
import { invalidArgument, notFound } from '../errors';
import { findMessage } from '../messages/messages.repository';
import { requireId } from '../shared/ids';
import { decodePageToken, encodePageToken, pageSize } from '../shared/page-token';
import { listDeliveries, redeliver, type DeliveryRecord } from './deliveries.repository';

const PAGE_KIND = 'webhook-deliveries';

/** What ListWebhookDeliveries asks for; empty strings are "not given", as on the wire. */
export interface ListDeliveriesInput {
  readonly messageId: string;
  readonly campaignId: string;
  readonly state: DeliveryRecord['state'] | undefined;
  readonly pageSize: number;
  readonly pageToken: string;
}

/** A page of a message's or a campaign's deliveries, newest first. */
export async function listWebhookDeliveries(
  db: Db,
  tenantId: string,
  input: ListDeliveriesInput,
): Promise<{ deliveries: DeliveryRecord[]; nextPageToken: string }> {
  if ((input.messageId === '') === (input.campaignId === '')) {
    throw invalidArgument('message_id', 'give message_id or campaign_id (one of them)');
  }
  const about =
    input.messageId !== ''
      ? { messageId: await requireOwn(input.messageId, 'message_id', (id) => findMessage(db, tenantId, id)) }
      : { campaignId: await requireOwn(input.campaignId, 'campaign_id', (id) => findCampaign(db, tenantId, id)) };
  const limit = pageSize(input.pageSize);
  const beforeId = decodePageToken(PAGE_KIND, input.pageToken);
  const rows = await listDeliveries(db, tenantId, { ...about, state: input.state, beforeId, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { deliveries: page, nextPageToken: rows.length > limit && last !== undefined ? encodePageToken(PAGE_KIND, last.id) : '' };
}

/** Sends one of the tenant's events again: a new pending delivery per URL it went to. */
export async function redeliverWebhook(db: Db, tenantId: string, eventIdInput: string, now: Date): Promise<DeliveryRecord[]> {
  const unknown = () => notFound('no webhook event with that event_id');
  const eventId = requireId(eventIdInput, 'event_id', unknown);
  const created = await redeliver(db, tenantId, eventId, now);
  if (created.length === 0) throw unknown();
  return created;
}

async function requireOwn(value: string, field: string, find: (id: string) => Promise<unknown>): Promise<string> {
  const unknown = () => notFound(`no ${field.replace('_id', '')} with that ${field}`);
  const id = requireId(value, field, unknown);
  if ((await find(id)) === undefined) throw unknown();
  return id;
}
