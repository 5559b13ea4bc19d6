import { createApp } from './app';
import { bootstrapTenancy, type StartupCredentials } from './bootstrap';
import { ConfigError, loadConfig, type Config } from './config';
import { EmbeddedPostgresError, startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded-postgres';
import { migrateToLatest } from './db/migrator';
import { createDb } from './db/pool';
import { coerceError } from './errors';
import { createLogger } from './logger';

/** `npm start`: database, migrations, default tenant, HTTP server; SIGTERM stops it cleanly. */
async function main(): Promise<void> {
  const started = Date.now();
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel);
  const embedded = config.databaseUrl === undefined ? await startEmbeddedPostgres({ dataDir: config.dataDir, log }) : undefined;
  const { db } = createDb({
    connectionString: embedded?.url ?? config.databaseUrl ?? '',
    max: config.dbPoolSize,
    statementTimeoutMs: config.dbStatementTimeoutMs,
    connectTimeoutMs: config.dbConnectTimeoutMs,
  });
  const applied = await migrateToLatest(db);
  if (applied.length > 0) log.info({ migrations: applied }, 'migrations applied');
  const credentials = await bootstrapTenancy(db, config, log);
  const app = createApp({
    db,
    log,
    adminKey: credentials.adminKey,
    maxBodyBytes: config.maxBodyBytes,
    requestTimeoutMs: config.requestTimeoutMs,
  });
  const address = await app.listen(config.port, config.host);
  log.info({ host: address.address, port: address.port, startup_ms: Date.now() - started }, 'outreach is serving');
  printWelcome(config, address.port, credentials, embedded);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down: draining in-flight requests');
    await app.close(config.shutdownTimeoutMs);
    await db.destroy();
    await embedded?.stop();
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
