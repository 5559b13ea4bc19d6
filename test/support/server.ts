import type { Kysely } from 'kysely';
import { createApp, type App } from '../../server/app';
import type { Database } from '../../server/db/database';
import { createLogger, type Logger } from '../../server/logger';
import type { Metrics } from '../../server/metrics/metrics';
import type { Clock } from '../../server/shared/clock';
import { createTenant } from '../../server/tenants/tenants.service';
import { trackOpen } from './resources';

export const ADMIN_KEY = 'test-admin-key-0123456789abcdef';

/** The real HTTP server on a loopback port. */
export interface TestServer {
  readonly url: string;
  readonly app: App;
  close(): Promise<void>;
}

export async function startTestServer(
  db: Kysely<Database>,
  options: {
    maxBodyBytes?: number;
    adminKey?: string;
    log?: Logger;
    allowPrivateCallbacks?: boolean;
    rateLimit?: { perSecond: number; burst: number };
    clock?: Clock;
    metrics?: Metrics;
    metricsToken?: string;
  } = {},
): Promise<TestServer> {
  const app = createApp({
    db,
    log: options.log ?? createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    adminKey: options.adminKey ?? ADMIN_KEY,
    maxBodyBytes: options.maxBodyBytes ?? 16 * 1024 * 1024,
    requestTimeoutMs: 30_000,
    // As in development: receivers in tests listen on loopback.
    allowPrivateCallbacks: options.allowPrivateCallbacks ?? true,
    ...(options.rateLimit === undefined ? {} : { rateLimit: options.rateLimit }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
    ...(options.metricsToken === undefined ? {} : { metricsToken: options.metricsToken }),
  });
  const address = await app.listen(0, '127.0.0.1');
  const closed = trackOpen(`server on port ${address.port}`);
  return {
    url: `http://127.0.0.1:${address.port}`,
    app,
    close: async () => {
      await app.close(1_000);
      closed();
    },
  };
}

/** A tenant with an API key, made through the service as the Admin RPC would. */
export async function createTestTenant(db: Kysely<Database>, name: string): Promise<{ tenantId: string; apiKey: string }> {
  const { tenant, key } = await createTenant(db, name);
  return { tenantId: tenant.id, apiKey: key.apiKey };
}
