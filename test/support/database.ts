import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import pg from 'pg';
import type { Database } from '../../server/db/database';
import { createDb } from '../../server/db/pool';
import { withDatabase } from './global-setup';
import { trackOpen } from './resources';

/** A database of one test file's own, cloned from the migrated template. */
export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  readonly db: Kysely<Database>;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set: run the tests through jest (global setup)`);
  return value;
}

/** An admin connection to the test server, for creating and dropping databases. */
export async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: env('OUTREACH_TEST_ADMIN_URL') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(options: { poolSize?: number } = {}): Promise<TestDatabase> {
  const name = `outreach_test_${randomBytes(6).toString('hex')}`;
  const template = env('OUTREACH_TEST_TEMPLATE');
  await withAdmin((client) => client.query(`create database "${name}" template "${template}"`));
  const url = withDatabase(env('OUTREACH_TEST_ADMIN_URL'), name);
  const { db } = createDb({ connectionString: url, max: options.poolSize ?? 10, statementTimeoutMs: 30_000, connectTimeoutMs: 5_000 });
  let dropped = false;
  const closed = trackOpen(`database ${name}`);
  return {
    name,
    url,
    db,
    drop: async () => {
      if (dropped) return;
      dropped = true;
      await db.destroy();
      await withAdmin((client) => client.query(`drop database if exists "${name}" with (force)`));
      closed();
    },
  };
}
