import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database';

export interface PoolOptions {
  connectionString: string;
  max: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  applicationName?: string;
}

const DATE_OID = 1082;

/**
 * A pg pool and the Kysely over it. DATE columns stay `YYYY-MM-DD` strings: pg's default turns
 * them into a Date at local midnight, which shifts the day in any zone west of UTC.
 */
export function createDb(options: PoolOptions): { db: Kysely<Database>; pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max,
    statement_timeout: options.statementTimeoutMs,
    connectionTimeoutMillis: options.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'outreach',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === DATE_OID ? (value: string) => value : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // A client whose server went away emits 'error': an idle one on the pool, one checked out between
  // queries (inside a transaction, say) on itself. Either, without a listener, kills the process.
  // The queries report the outage instead, and the pool drops the broken client when it comes back.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, pool };
}
