import { getCampaign } from '../campaigns/campaigns.service';
import type { Db } from '../db/database';
import { invalidArgument, notFound } from '../errors';
import { requireMessage } from '../messages/messages.service';
import { requireId } from '../shared/ids';
import { decodePageToken, encodePageToken, pageOf, pageSize } from '../shared/page-token';
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
      ? { messageId: (await requireMessage(db, tenantId, input.messageId)).id }
      : { campaignId: (await getCampaign(db, tenantId, input.campaignId)).id };
  const limit = pageSize(input.pageSize);
  const beforeId = decodePageToken(PAGE_KIND, input.pageToken);
  const rows = await listDeliveries(db, tenantId, { ...about, state: input.state, beforeId, limit: limit + 1 });
  const { page, nextPageToken } = pageOf(rows, limit, (last) => encodePageToken(PAGE_KIND, last.id));
  return { deliveries: page, nextPageToken };
}

/** Sends one of the tenant's events again: a new pending delivery per URL it went to. */
export async function redeliverWebhook(db: Db, tenantId: string, eventIdInput: string, now: Date): Promise<DeliveryRecord[]> {
  const unknown = () => notFound('no webhook event with that event_id');
  const eventId = requireId(eventIdInput, 'event_id', unknown);
  const created = await redeliver(db, tenantId, eventId, now);
  if (created.length === 0) throw unknown();
  return created;
}
