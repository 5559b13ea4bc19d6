import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql, type Kysely } from 'kysely';
import { Admin as AdminService } from '../generated/outreach/v1/admin';
import { createAdminServer } from '../generated/outreach/v1/admin.twirp';
import { BusinessHours as BusinessHoursService } from '../generated/outreach/v1/business_hours';
import { createBusinessHoursServer } from '../generated/outreach/v1/business_hours.twirp';
import { CallEvents as CallEventsService } from '../generated/outreach/v1/call_events';
import { createCallEventsServer } from '../generated/outreach/v1/call_events.twirp';
import { Webhooks as WebhooksService } from '../generated/outreach/v1/webhooks';
import { createWebhooksServer } from '../generated/outreach/v1/webhooks.twirp';
import { Campaign as CampaignService } from '../generated/outreach/v1/campaign';
import { createCampaignServer } from '../generated/outreach/v1/campaign.twirp';
import { DoNotCall as DoNotCallService } from '../generated/outreach/v1/do_not_call';
import { createDoNotCallServer } from '../generated/outreach/v1/do_not_call.twirp';
import { adminRpcs } from './admin/admin.rpc';
import { authenticateAdmin, authenticateTenant, createKeyLookup } from './auth/auth.service';
import { businessHoursRpcs } from './business-hours/business-hours.rpc';
import { callEventsRpcs } from './call-events/call-events.rpc';
import { campaignRpcs } from './campaigns/campaigns.rpc';
import type { Database } from './db/database';
import { doNotCallRpcs } from './do-not-call/do-not-call.rpc';
import { createRequestListener } from './http/http-server';
import { loadOpenApiDocument } from './http/openapi-document';
import type { RequestContext } from './http/request-context';
import { TWIRP_PREFIX, contextAndErrorInterceptor, type RpcService } from './http/rpc-router';
import type { Logger } from './logger';
import { createMetrics, type Metrics } from './metrics/metrics';
import { createMessageWriter } from './messages/messages.service';
import { RateLimiter } from './http/rate-limiter';
import { messageRpcs } from './messages/messages.rpc';
import { webhooksRpcs } from './webhooks/webhooks.rpc';
import { systemClock, type Clock } from './shared/clock';

export interface AppOptions {
  readonly db: Kysely<Database>;
  readonly log: Logger;
  readonly adminKey: string | undefined;
  readonly maxBodyBytes: number;
  readonly requestTimeoutMs: number;
  /** The source of "now" for every rule that depends on time; the wall clock unless given. */
  readonly clock?: Clock;
  /** Callback and webhook URLs may name private, loopback and link-local addresses (development). */
  readonly allowPrivateCallbacks: boolean;
  /** Requests per second (and burst) per API key; none when absent. */
  readonly rateLimit?: { readonly perSecond: number; readonly burst: number };
  /** The registry `GET /metrics` renders, shared with the loops of the process; a fresh one over `db` when absent. */
  readonly metrics?: Metrics;
  /** When set, `GET /metrics` needs `Authorization: Bearer <token>`. */
  readonly metricsToken?: string;
}

/** The HTTP server with every service mounted, and a way to stop it gracefully. */
export interface App {
  readonly server: http.Server;
  /** The registry behind `GET /metrics`. */
  readonly metrics: Metrics;
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stops accepting, lets in-flight requests finish for up to `timeoutMs`, then cuts the rest. */
  close(timeoutMs: number): Promise<void>;
}

export function createApp(options: AppOptions): App {
  const { db, log } = options;
  const clock = options.clock ?? systemClock;
  const metrics = options.metrics ?? createMetrics({ db, clock });
  const keyLookup = createKeyLookup(db);
  const allowPrivateCallbacks = options.allowPrivateCallbacks;
  const messages = { db, clock, writer: createMessageWriter(db, clock), allowPrivateCallbacks };
  const services: RpcService[] = [
    mount('Campaign', CampaignService, 'tenant', createCampaignServer<RequestContext>({ ...campaignRpcs(db, { allowPrivateCallbacks }), ...messageRpcs(messages) })),
    mount('DoNotCall', DoNotCallService, 'tenant', createDoNotCallServer<RequestContext>(doNotCallRpcs(db, clock))),
    mount('BusinessHours', BusinessHoursService, 'tenant', createBusinessHoursServer<RequestContext>(businessHoursRpcs(db))),
    mount('CallEvents', CallEventsService, 'tenant', createCallEventsServer<RequestContext>(callEventsRpcs(db, clock, metrics))),
    mount('Webhooks', WebhooksService, 'tenant', createWebhooksServer<RequestContext>(webhooksRpcs(db, clock))),
    mount('Admin', AdminService, 'admin', createAdminServer<RequestContext>(adminRpcs(db))),
  ];
  const server = http.createServer(
    createRequestListener({
      services,
      log,
      maxBodyBytes: options.maxBodyBytes,
      authenticateTenant: (authorization) => authenticateTenant(keyLookup, authorization),
      authenticateAdmin: (authorization) => authenticateAdmin(db, options.adminKey, authorization),
      isReady: () => isDatabaseReady(db),
      metrics,
      openApiDocument: loadOpenApiDocument(),
      ...(options.metricsToken === undefined ? {} : { metricsToken: options.metricsToken }),
      ...(options.rateLimit === undefined ? {} : { rateLimit: keyRateLimit(options.rateLimit, clock) }),
    }),
  );
  server.requestTimeout = options.requestTimeoutMs;
  server.headersTimeout = Math.min(options.requestTimeoutMs, 20_000);
  server.keepAliveTimeout = 5_000;
  return {
    server,
    metrics,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      }),
    close: (timeoutMs) => closeGracefully(server, timeoutMs),
  };
}

/** The allowance of each API key, on the app's clock. */
function keyRateLimit(limit: { perSecond: number; burst: number }, clock: Clock): (keyId: string) => number {
  const limiter = new RateLimiter(limit.perSecond, limit.burst);
  return (keyId) => limiter.take(keyId, clock.now().getTime());
}

/** A twirp-ts server behind the router: the standard prefix and the outermost interceptor. */
function mount(
  name: string,
  type: RpcService['type'],
  auth: RpcService['auth'],
  server: { withPrefix(prefix: string): { use(i: typeof contextAndErrorInterceptor): { httpHandler(): RpcService['handle'] } } },
): RpcService {
  return { name, type, auth, handle: server.withPrefix(TWIRP_PREFIX).use(contextAndErrorInterceptor).httpHandler() };
}

async function isDatabaseReady(db: Kysely<Database>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), 2_000);
  });
  try {
    return await Promise.race([sql`select 1`.execute(db).then(() => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function closeGracefully(server: http.Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
    // A keep-alive connection becomes idle when its in-flight response is sent; close it then
    // rather than waiting for the client to drop it.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    server.close(() => {
      clearTimeout(force);
      clearInterval(sweep);
      resolve();
    });
    server.closeIdleConnections();
  });
}
