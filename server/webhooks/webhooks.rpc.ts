import type { Kysely } from 'kysely';
import { WebhookDelivery_State, type WebhookDelivery } from '../../generated/outreach/v1/webhooks';
import type { WebhooksTwirp } from '../../generated/outreach/v1/webhooks.twirp';
import type { Database } from '../db/database';
import { invalidArgument } from '../errors';
import { tenantOf, type RequestContext } from '../http/request-context';
import type { Clock } from '../shared/clock';
import { valueOf, wordOf } from '../shared/proto-enum';
import { wireTime } from '../shared/wire-time';
import type { DeliveryRecord } from './deliveries.repository';
import { listWebhookDeliveries, redeliverWebhook } from './webhooks.service';

const STATES: readonly DeliveryRecord['state'][] = ['PENDING', 'DELIVERED', 'DEAD'];

/** The Webhooks service: a tenant's delivery log, and sending an event again. */
export function webhooksRpcs(db: Kysely<Database>, clock: Clock): WebhooksTwirp<RequestContext> {
  return {
    ListWebhookDeliveries: async (ctx, req) => {
      const state = wordOf(WebhookDelivery_State, req.state);
      if (state !== undefined && !(STATES as readonly string[]).includes(state)) {
        throw invalidArgument('state', `state must be one of ${STATES.join(', ')}`);
      }
      const page = await listWebhookDeliveries(db, tenantOf(ctx), {
        messageId: req.messageId,
        campaignId: req.campaignId,
        state: state as DeliveryRecord['state'] | undefined,
        pageSize: req.pageSize,
        pageToken: req.pageToken,
      });
      return { deliveries: page.deliveries.map(toWire), nextPageToken: page.nextPageToken };
    },
    RedeliverWebhook: async (ctx, req) => ({
      deliveries: (await redeliverWebhook(db, tenantOf(ctx), req.eventId, clock.now())).map(toWire),
    }),
  };
}

function toWire(d: DeliveryRecord): WebhookDelivery {
  return {
    deliveryId: d.id,
    eventId: d.eventId,
    type: d.type,
    campaignId: d.campaignId,
    messageId: d.messageId ?? '',
    url: d.url,
    state: valueOf(WebhookDelivery_State, d.state),
    createdAt: wireTime(d.createdAt),
    nextAttemptAt: wireTime(d.nextAttemptAt),
    deliveredAt: wireTime(d.deliveredAt),
    tries: d.tries.map((t) => ({ at: wireTime(t.at), httpStatus: t.httpStatus ?? 0, latencyMs: t.latencyMs, error: t.error ?? '' })),
  };
}
