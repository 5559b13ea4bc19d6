import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { Config } from '../config';
import type { Logger } from '../logger';
import type { Database } from './database';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { createDb } from './pool';

/** The service's database: DATABASE_URL's, or an embedded one started for this process. */
export interface OpenDatabase {
  readonly db: Kysely<Database>;
  /** The pool under `db`, for its connection counts. */
  readonly pool: pg.Pool;
  /** Present when this process started the database itself. */
  readonly embedded: EmbeddedPostgres | undefined;
  /** Closes the pool, then stops the embedded server if there is one. */
  close(): Promise<void>;
}

export async function openDatabase(
  config: Config,
  log: Logger,
  overrides: { poolSize?: number; statementTimeoutMs?: number } = {},
): Promise<OpenDatabase> {
  const embedded = config.databaseUrl === undefined ? await startEmbeddedPostgres({ dataDir: config.dataDir, log }) : undefined;
  const { db, pool } = createDb({
    connectionString: embedded?.url ?? config.databaseUrl ?? '',
    max: overrides.poolSize ?? config.dbPoolSize,
    statementTimeoutMs: overrides.statementTimeoutMs ?? config.dbStatementTimeoutMs,
    connectTimeoutMs: config.dbConnectTimeoutMs,
  });
  return {
    db,
    pool,
    embedded,
    close: async () => {
      await db.destroy();
      await embedded?.stop();
    },
  };
}
