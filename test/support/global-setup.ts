import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../server/db/embedded-postgres';
import { migrateToLatest } from '../../server/db/migrator';
import { createDb } from '../../server/db/pool';
import { createLogger } from '../../server/logger';

/** State shared with global-teardown (same process). */
export interface GlobalTestState {
  embedded?: EmbeddedPostgres;
  dataDir?: string;
  adminUrl: string;
  template: string;
}

declare global {
  // eslint-disable-next-line no-var
  var __outreachTest: GlobalTestState | undefined;
}

/**
 * Starts one PostgreSQL for the whole run (embedded, under the system temp folder, unless
 * TEST_DATABASE_URL or DATABASE_URL names one), migrates a template database once, and tells the
 * test files where it is; each test file clones its own database from the template.
 */
export default async function globalSetup(): Promise<void> {
  const external = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  const state: GlobalTestState = { adminUrl: external ?? '', template: `outreach_template_${process.pid}` };
  if (external === undefined) {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'outreach-test-'));
    // As root, PostgreSQL runs as "postgres" and must be able to enter the folder.
    await fs.chmod(dataDir, 0o755);
    state.dataDir = dataDir;
    state.embedded = await startEmbeddedPostgres({ dataDir, log: createLogger('silent'), database: 'postgres' });
    state.adminUrl = state.embedded.adminUrl;
  }
  globalThis.__outreachTest = state;

  const admin = new pg.Client({ connectionString: state.adminUrl });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${state.template}"`);
    await admin.query(`create database "${state.template}"`);
  } finally {
    await admin.end();
  }
  const { db } = createDb({
    connectionString: withDatabase(state.adminUrl, state.template),
    max: 1,
    statementTimeoutMs: 60_000,
    connectTimeoutMs: 10_000,
  });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  process.env.OUTREACH_TEST_ADMIN_URL = state.adminUrl;
  process.env.OUTREACH_TEST_TEMPLATE = state.template;
}

/** The same server URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
