import type { Kysely } from 'kysely';
import type { Config } from '../config';
import type { Database } from '../db/database';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { systemClock, type Clock } from '../shared/clock';
import { DeliveryLoop } from './delivery-loop';

/** The webhook delivery loop as one process runs it; started unless OUTREACH_WEBHOOKS_ENABLED=false. */
export function startWebhookDelivery(
  config: Config,
  db: Kysely<Database>,
  log: Logger,
  clock: Clock = systemClock,
  metrics?: Metrics,
): DeliveryLoop {
  const loop = new DeliveryLoop({
    db,
    clock,
    metrics,
    log: log.child({ component: 'webhooks' }),
    options: { ...config.webhooks, allowPrivate: config.allowPrivateCallbacks },
  });
  if (config.webhooks.enabled) loop.start();
  return loop;
}
