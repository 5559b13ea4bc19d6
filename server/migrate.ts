import { ConfigError, loadConfig } from './config';
import { EmbeddedPostgresError } from './db/embedded-postgres';
import { migrateToLatest } from './db/migrator';
import { openDatabase } from './db/open-database';
import { coerceError } from './errors';
import { createLogger } from './logger';

/**
 * `npm run migrate`: brings the database of DATABASE_URL (or the embedded one in
 * OUTREACH_DATA_DIR) to the newest migration, then exits. `npm start` does the same on its own.
 */
async function migrate(): Promise<void> {
  const config = loadConfig(process.env);
  const log = createLogger(config.logLevel);
  const database = await openDatabase(config, log, { poolSize: 1, statementTimeoutMs: 600_000 });
  try {
    const applied = await migrateToLatest(database.db);
    log.info({ migrations: applied }, applied.length > 0 ? 'migrations applied' : 'schema already up to date');
  } finally {
    await database.close();
  }
}

migrate().catch((e: unknown) => {
  const error = coerceError(e);
  const expected = error instanceof ConfigError || error instanceof EmbeddedPostgresError;
  process.stderr.write(`migration failed: ${expected ? error.message : (error.stack ?? error.message)}\n`);
  process.exit(1);
});
