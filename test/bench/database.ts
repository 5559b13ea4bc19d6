import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../server/db/embedded-postgres';
import { migrateToLatest } from '../../server/db/migrator';
import { createDb } from '../../server/db/pool';
import { createLogger } from '../../server/logger';
import { tempFolder, type Cleanup } from './cleanup';

/** The database a bench run works on. */
export interface BenchDatabase {
  /** URL of the fresh, migrated bench database. */
  readonly url: string;
  /** Where it came from, for the report. */
  readonly source: string;
  readonly serverVersion: string;
  /** The postmaster's pid when this bench started PostgreSQL itself (for the CPU split). */
  readonly postmasterPid: number | undefined;
}

/** A PostgreSQL server to create the bench database on. */
interface Server {
  readonly adminUrl: string;
  readonly source: string;
  readonly postmasterPid: number | undefined;
}

/**
 * A fresh database, migrated to the newest schema: on BENCH_DATABASE_URL or DATABASE_URL's server
 * when set (the database is created beside the named one and dropped at the end), otherwise on an
 * embedded PostgreSQL in a temp folder of its own, stopped and removed at the end.
 */
export async function startBenchDatabase(cleanup: Cleanup, log: (line: string) => void): Promise<BenchDatabase> {
  const server = externalServer() ?? (await startEmbeddedServer(cleanup, log));
  const url = await createFreshDatabase(cleanup, server.adminUrl);
  const { db } = createDb({ connectionString: url, max: 1, statementTimeoutMs: 120_000, connectTimeoutMs: 10_000 });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  const serverVersion = await withClient(url, async (c) => (await c.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v ?? '?');
  return { url, source: server.source, serverVersion, postmasterPid: server.postmasterPid };
}

/** The server named by BENCH_DATABASE_URL or DATABASE_URL, if either is set. */
function externalServer(): Server | undefined {
  const external = nonEmpty(process.env.BENCH_DATABASE_URL) ?? nonEmpty(process.env.DATABASE_URL);
  if (external === undefined) return undefined;
  const u = new URL(external);
  const variable = process.env.BENCH_DATABASE_URL ? 'BENCH_DATABASE_URL' : 'DATABASE_URL';
  return { adminUrl: external, source: `external PostgreSQL at ${u.hostname}:${u.port || '5432'} (${variable})`, postmasterPid: undefined };
}

/** An embedded PostgreSQL in a temp folder; stopped and removed by the cleanup. */
async function startEmbeddedServer(cleanup: Cleanup, log: (line: string) => void): Promise<Server> {
  const dataDir = await tempFolder(cleanup, 'outreach-bench-pg-', 'remove the embedded PostgreSQL folder');
  // As root, PostgreSQL runs as "postgres" and must be able to enter the folder.
  await fs.chmod(dataDir, 0o755);
  log(`starting an embedded PostgreSQL in ${dataDir}`);
  const embedded: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir, log: createLogger('silent'), database: 'postgres' });
  cleanup.defer('stop the embedded PostgreSQL', () => embedded.stop());
  const postmasterPid = Number((await fs.readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]) || undefined;
  return { adminUrl: embedded.adminUrl, source: 'embedded PostgreSQL (embedded-postgres) in a temp folder', postmasterPid };
}

/** Creates `outreach_bench_<pid>_<random>` on the server (dropped by the cleanup); its URL. */
async function createFreshDatabase(cleanup: Cleanup, adminUrl: string): Promise<string> {
  const name = `outreach_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  await withClient(adminUrl, (c) => c.query(`create database "${name}"`));
  cleanup.defer(`drop database ${name}`, () =>
    withClient(adminUrl, async (c) => {
      await c.query(`drop database if exists "${name}" with (force)`);
    }),
  );
  return withDatabase(adminUrl, name);
}

/** The same server URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Runs `fn` with a single connection to `url`, closed afterwards. */
export async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Empties `messages`, the counters kept from it and the scheduler's rows about messages (attempts,
 * provider call ids, history, reservations), and checkpoints, so each phase starts equal.
 */
export async function resetMessages(url: string): Promise<void> {
  await withClient(url, async (c) => {
    await c.query('truncate messages, campaign_counts, attempts, provider_calls, message_history, dispatch_reservations cascade');
    await c.query('checkpoint');
  });
}

/** The number of rows in `messages`. */
export async function countMessages(url: string): Promise<number> {
  return withClient(url, async (c) => Number((await c.query<{ n: string }>('select count(*) as n from messages')).rows[0]?.n ?? 0));
}

/** Libpq environment for a postgres:// URL, so the password never appears on a command line. */
export function libpqEnv(url: string): { env: NodeJS.ProcessEnv; dbname: string } {
  const u = new URL(url);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGHOST: u.hostname,
    PGPORT: u.port || '5432',
    PGUSER: decodeURIComponent(u.username),
    PGPASSWORD: decodeURIComponent(u.password),
    PGDATABASE: decodeURIComponent(u.pathname.replace(/^\//, '')),
    PGAPPNAME: 'outreach-bench',
  };
  const sslmode = u.searchParams.get('sslmode');
  if (sslmode !== null) env.PGSSLMODE = sslmode;
  return { env, dbname: env.PGDATABASE ?? '' };
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
