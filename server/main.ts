import { createApp, type App } from './app';
import { bootstrapTenancy, type StartupCredentials } from './bootstrap';
import { ConfigError, loadConfig, type Config } from './config';
import { EmbeddedPostgresError, type EmbeddedPostgres } from './db/embedded-postgres';
import { migrateToLatest } from './db/migrator';
import { openDatabase } from './db/open-database';
import { coerceError } from './errors';
import { createLogger } from './logger';
import { createMetrics } from './metrics/metrics';
import { startScheduler, type RunningScheduler } from './scheduler/start-scheduler';
import { systemClock } from './shared/clock';
import type { DeliveryLoop } from './webhooks/delivery-loop';
import { startWebhookDelivery } from './webhooks/start-webhook-delivery';

/** `npm start`: database, migrations, default tenant, HTTP server; SIGTERM stops it cleanly. */
async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel);
  const database = await openDatabase(config, log);
  const { db, embedded } = database;
  // One registry for the process: the HTTP layer, the scheduler, the outcome path and the webhook loop.
  const metrics = createMetrics({ db, clock: systemClock, pool: database.pool, processMetrics: true });
  let app: App;
  let scheduler: RunningScheduler | undefined;
  let webhooks: DeliveryLoop | undefined;
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) log.info({ migrations: applied }, 'migrations applied');
    const credentials = await bootstrapTenancy(db, config, log);
    app = createApp({
      db,
      log,
      adminKey: credentials.adminKey,
      maxBodyBytes: config.maxBodyBytes,
      requestTimeoutMs: config.requestTimeoutMs,
      allowPrivateCallbacks: config.allowPrivateCallbacks,
      ...(config.rateLimit === undefined ? {} : { rateLimit: config.rateLimit }),
      metrics,
      ...(config.metricsToken === undefined ? {} : { metricsToken: config.metricsToken }),
    });
    scheduler = startScheduler(config, db, log, systemClock, metrics);
    webhooks = startWebhookDelivery(config, db, log, systemClock, metrics);
    const address = await app.listen(config.port, config.host).catch((e: unknown) => {
      if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
      throw new ConfigError('PORT', `port ${config.port} on ${config.host} is already in use; set PORT to a free one`);
    });
    log.info({ host: address.address, port: address.port, startup_ms: Date.now() - started }, 'outreach is serving');
    printWelcome(config, address.port, credentials, embedded);
  } catch (e: unknown) {
    // Never leave an embedded PostgreSQL running behind a failed start.
    await scheduler?.stop();
    await webhooks?.stop();
    await database.close();
    throw e;
  }

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: draining in-flight requests');
    // Calls in flight are left to the reconciler of whichever process runs next.
    await scheduler?.stop();
    // Deliveries being sent finish within their timeout; the rest wait in the outbox.
    await webhooks?.stop();
    await app.close(config.shutdownTimeoutMs);
    await database.close();
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

function printWelcome(config: Config, port: number, credentials: StartupCredentials, embedded: EmbeddedPostgres | undefined): void {
  const url = `http://localhost:${port}`;
  const lines = [``, `Outreach is serving on ${url}`];
  if (embedded !== undefined) lines.push(`Embedded PostgreSQL: ${config.dataDir} (DATABASE_URL unset)`);
  if (credentials.development && credentials.apiKey !== undefined) {
    lines.push(
      `Development API key:   ${credentials.apiKey}`,
      `Development admin key: ${credentials.adminKey ?? '(none)'}`,
      ``,
      `Try it:`,
      `  curl -s -X POST ${url}/twirp/outreach.v1.Campaign/ListCampaigns \\`,
      `    -H 'Authorization: Bearer ${credentials.apiKey}' -H 'Content-Type: application/json' -d '{}'`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
}

main().catch((e: unknown) => {
  const error = coerceError(e);
  if (error instanceof ConfigError || error instanceof EmbeddedPostgresError) {
    process.stderr.write(`outreach cannot start: ${error.message}\n`);
  } else {
    process.stderr.write(`outreach failed to start: ${error.stack ?? error.message}\n`);
  }
  process.exit(1);
});
