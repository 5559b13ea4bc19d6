import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants as fsConstants, promises as fs, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../server/db/embedded-postgres';
import { migrateToLatest } from '../../server/db/migrator';
import { createDb } from '../../server/db/pool';
import { createLogger } from '../../server/logger';
import { createTenant } from '../../server/tenants/tenants.service';

/** The repository root (`test/bench/..`). */
export const ROOT = path.resolve(__dirname, '..', '..');

// ---------------------------------------------------------------------------------------------
// Cleanup: everything the bench starts is registered here and undone in reverse order, on
// success, on failure and on SIGINT/SIGTERM. Child process groups and temp folders are also
// undone synchronously on 'exit', in case something exits the process before the async cleanup
// has finished (embedded-postgres installs its own signal hook that stops PostgreSQL and exits).
// ---------------------------------------------------------------------------------------------

type Step = { readonly label: string; readonly run: () => Promise<void> };

export class Cleanup {
  private readonly steps: Step[] = [];
  private readonly groups = new Set<number>();
  private readonly folders = new Set<string>();
  private running: Promise<void> | undefined;

  constructor() {
    process.on('exit', () => this.emergency());
  }

  defer(label: string, run: () => Promise<void>): void {
    this.steps.push({ label, run });
  }

  /** A detached child's process group: SIGKILLed on 'exit' if still there. */
  trackGroup(pid: number): () => void {
    this.groups.add(pid);
    return () => this.groups.delete(pid);
  }

  /** A temp folder removed on 'exit' if the async cleanup did not get to it. */
  trackFolder(dir: string): () => void {
    this.folders.add(dir);
    return () => this.folders.delete(dir);
  }

  /** Runs every deferred step, newest first; a failing step is reported and the rest still run. */
  run(): Promise<void> {
    this.running ??= (async () => {
      while (this.steps.length > 0) {
        const step = this.steps.pop() as Step;
        try {
          await step.run();
        } catch (e: unknown) {
          process.stderr.write(`bench cleanup: ${step.label} failed: ${(e as Error).message}\n`);
        }
      }
    })();
    return this.running;
  }

  private emergency(): void {
    for (const pid of this.groups) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    for (const dir of this.folders) rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Database
// ---------------------------------------------------------------------------------------------

export interface BenchDatabase {
  /** URL of the fresh, migrated bench database. */
  readonly url: string;
  /** Where it came from, for the report. */
  readonly source: string;
  readonly serverVersion: string;
  /** The postmaster's pid when this bench started PostgreSQL itself (for the CPU split). */
  readonly postmasterPid: number | undefined;
}

/** The same server URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

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
 * A fresh database, migrated to the newest schema: on BENCH_DATABASE_URL or DATABASE_URL's server
 * when set (the database is created beside the named one and dropped at the end), otherwise on an
 * embedded PostgreSQL in a temp folder of its own, stopped and removed at the end.
 */
export async function startBenchDatabase(cleanup: Cleanup, log: (line: string) => void): Promise<BenchDatabase> {
  const external = nonEmpty(process.env.BENCH_DATABASE_URL) ?? nonEmpty(process.env.DATABASE_URL);
  let adminUrl: string;
  let source: string;
  let postmasterPid: number | undefined;
  if (external !== undefined) {
    adminUrl = external;
    const u = new URL(external);
    source = `external PostgreSQL at ${u.hostname}:${u.port || '5432'} (${process.env.BENCH_DATABASE_URL ? 'BENCH_DATABASE_URL' : 'DATABASE_URL'})`;
  } else {
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'outreach-bench-pg-'));
    // As root, PostgreSQL runs as "postgres" and must be able to enter the folder.
    await fs.chmod(dataDir, 0o755);
    const untrack = cleanup.trackFolder(dataDir);
    cleanup.defer('remove the embedded PostgreSQL folder', async () => {
      await fs.rm(dataDir, { recursive: true, force: true });
      untrack();
    });
    log(`starting an embedded PostgreSQL in ${dataDir}`);
    const embedded: EmbeddedPostgres = await startEmbeddedPostgres({ dataDir, log: createLogger('silent'), database: 'postgres' });
    cleanup.defer('stop the embedded PostgreSQL', () => embedded.stop());
    adminUrl = embedded.adminUrl;
    postmasterPid = Number((await fs.readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]) || undefined;
    source = 'embedded PostgreSQL (embedded-postgres) in a temp folder';
  }

  const name = `outreach_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  await withClient(adminUrl, (c) => c.query(`create database "${name}"`));
  cleanup.defer(`drop database ${name}`, () =>
    withClient(adminUrl, async (c) => {
      await c.query(`drop database if exists "${name}" with (force)`);
    }),
  );
  const url = withDatabase(adminUrl, name);
  const { db } = createDb({ connectionString: url, max: 1, statementTimeoutMs: 120_000, connectTimeoutMs: 10_000 });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  const serverVersion = await withClient(url, async (c) => (await c.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]?.v ?? '?');
  return { url, source, serverVersion, postmasterPid };
}

/** A tenant and its API key, made through the service as the Admin RPC would. */
export async function createBenchTenant(url: string): Promise<{ tenantId: string; apiKey: string }> {
  const { db } = createDb({ connectionString: url, max: 1, statementTimeoutMs: 30_000, connectTimeoutMs: 10_000 });
  try {
    const { tenant, key } = await createTenant(db, `bench ${randomBytes(4).toString('hex')}`);
    return { tenantId: tenant.id, apiKey: key.apiKey };
  } finally {
    await db.destroy();
  }
}

/** Empties `messages` (and the counters kept from it) and checkpoints, so each phase starts equal. */
export async function resetMessages(url: string): Promise<void> {
  await withClient(url, async (c) => {
    await c.query('truncate messages, campaign_counts');
    await c.query('checkpoint');
  });
}

// ---------------------------------------------------------------------------------------------
// The service, as a separate process
// ---------------------------------------------------------------------------------------------

export interface ServiceProcess {
  readonly url: string;
  readonly pid: number;
  /** The last lines it printed, for error messages. */
  output(): string;
  /** Resident set size in MB (Linux), summed over its process group, or undefined. */
  rssMb(): number | undefined;
}

/**
 * Starts the real service (`tsx server/main.ts`, as `npm start` does) in a process group of its
 * own, on the bench database, and waits for `/healthz`. It is stopped (SIGTERM, then SIGKILL)
 * by the cleanup.
 */
export async function startService(
  cleanup: Cleanup,
  options: { databaseUrl: string; dataDir: string; apiKey: string },
): Promise<ServiceProcess> {
  const port = await freePort();
  const tsx = path.join(ROOT, 'node_modules', '.bin', 'tsx');
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('OUTREACH_') || key === 'BENCH_DATABASE_URL') delete env[key];
  Object.assign(env, {
    DATABASE_URL: options.databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    OUTREACH_API_KEY: options.apiKey,
    OUTREACH_ADMIN_KEY: `admin_${randomBytes(16).toString('hex')}`,
    OUTREACH_DATA_DIR: options.dataDir,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'development',
  });
  // Pool size and other OUTREACH_* tuning can be passed through as BENCH_SERVICE_OUTREACH_*.
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('BENCH_SERVICE_OUTREACH_') && value !== undefined) env[key.slice('BENCH_SERVICE_'.length)] = value;
  }
  const child = spawn(tsx, ['server/main.ts'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start the service process');
  const untrack = cleanup.trackGroup(pid);
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    lines.push(...chunk.toString('utf8').split('\n').filter((l) => l.trim() !== ''));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve();
    });
  });
  cleanup.defer('stop the service', async () => {
    await stopGroup(child, pid, exit, () => exited !== undefined);
    untrack();
  });

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (exited !== undefined) {
      throw new Error(`the service exited (code ${exited.code}, signal ${exited.signal}) before it served:\n${lines.join('\n')}`);
    }
    if (await healthy(url)) break;
    if (Date.now() > deadline) throw new Error(`the service did not answer /healthz within 90 s:\n${lines.join('\n')}`);
    await sleep(100);
  }
  return { url, pid, output: () => lines.join('\n'), rssMb: () => groupRssMb(pid) };
}

async function stopGroup(child: ChildProcess, pid: number, exit: Promise<void>, gone: () => boolean): Promise<void> {
  if (gone()) return;
  signalGroup(pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), 15_000);
  await exit;
  clearTimeout(timer);
  // tsx runs the service in a child of its own; make sure nothing of the group is left.
  signalGroup(pid, 'SIGKILL');
  child.stdout?.destroy();
  child.stderr?.destroy();
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

function healthy(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(`${url}/healthz`, { agent: false, timeout: 1_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

function groupRssMb(pgid: number): number | undefined {
  const ps = spawnSync('ps', ['-o', 'rss=', '-g', String(pgid)], { encoding: 'utf8' });
  if (ps.status !== 0) return undefined;
  const kb = ps.stdout
    .split('\n')
    .map((l) => Number(l.trim()))
    .filter((n) => Number.isFinite(n) && n > 0)
    .reduce((a, b) => a + b, 0);
  return kb > 0 ? kb / 1024 : undefined;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// HTTP client
// ---------------------------------------------------------------------------------------------

export interface RpcResult {
  readonly status: number;
  readonly body: string;
}

/** One POST of a prepared body over the given keep-alive agent; the response is read in full. */
export function post(agent: http.Agent, url: URL, headers: http.OutgoingHttpHeaders, body: Buffer | string): Promise<RpcResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A JSON RPC call (`/twirp/outreach.v1.Campaign/<method>`); throws unless it answers 200. */
export async function callRpc<T>(serviceUrl: string, apiKey: string, method: string, body: unknown): Promise<T> {
  const agent = new http.Agent({ keepAlive: false });
  try {
    const res = await post(
      agent,
      new URL(`${serviceUrl}/twirp/outreach.v1.Campaign/${method}`),
      { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      JSON.stringify(body),
    );
    if (res.status !== 200) throw new RpcError(method, res.status, res.body);
    return JSON.parse(res.body) as T;
  } finally {
    agent.destroy();
  }
}

export class RpcError extends Error {
  constructor(readonly method: string, readonly status: number, readonly body: string) {
    super(`${method} answered HTTP ${status}: ${body.slice(0, 500)}`);
    this.name = 'RpcError';
  }
}

/** A campaign made through the API, started when asked. */
export async function createCampaign(
  serviceUrl: string,
  apiKey: string,
  options: { name: string; trigger: 'API' | 'BULK'; start: boolean },
): Promise<string> {
  const created = await callRpc<{ campaign_id: string }>(serviceUrl, apiKey, 'CreateCampaign', {
    name: options.name,
    trigger: options.trigger,
    assistant_id: 'asst_bench',
    phone_number_id: '+14155550100',
    timezone: 'America/New_York',
  });
  if (options.start) await callRpc(serviceUrl, apiKey, 'StartCampaign', { campaign_id: created.campaign_id });
  return created.campaign_id;
}

// ---------------------------------------------------------------------------------------------
// Numbers, statistics, processes
// ---------------------------------------------------------------------------------------------

/**
 * The i-th of a block of distinct valid US numbers: `+1415` and a seven-digit local number from
 * 2000000 (every 415 exchange from 200 to 999 is valid for libphonenumber-js), i < 8,000,000.
 */
export function phoneNumber(i: number): string {
  if (!Number.isInteger(i) || i < 0 || i >= 8_000_000) throw new RangeError(`phone number index ${i} out of range`);
  return `+1415${2_000_000 + i}`;
}

/** The q-quantile (0..1) of sorted values, nearest-rank. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}

/** The full path of an executable on PATH, or undefined. */
export function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // Try the next one.
    }
  }
  return undefined;
}

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/**
 * Runs a command to completion in a process group of its own (killed by the cleanup if the bench
 * is interrupted), optionally feeding it stdin.
 */
export function runCommand(
  cleanup: Cleanup,
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: string | Buffer } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      env: options.env ?? process.env,
      detached: true,
      stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    const pid = child.pid;
    const untrack = pid === undefined ? () => false : cleanup.trackGroup(pid);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    child.once('error', (e) => {
      untrack();
      reject(e);
    });
    child.once('close', (code) => {
      const ms = performance.now() - started;
      untrack();
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), ms });
    });
    if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  });
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

// ---------------------------------------------------------------------------------------------
// Closed-loop HTTP load: N keep-alive connections, each sending its next request as soon as the
// previous answer is read in full.
// ---------------------------------------------------------------------------------------------

export interface LoadOptions {
  readonly agent: http.Agent;
  readonly url: URL;
  readonly headers: http.OutgoingHttpHeaders;
  readonly connections: number;
  readonly durationMs: number;
  /** The body of the i-th request of this run (i counts from `firstIndex`). */
  readonly body: (i: number) => string;
  readonly firstIndex?: number;
}

export interface LoadResult {
  /** Requests answered 200 within the window. */
  readonly ok: number;
  /** Non-200 answers and transport errors within the window, by `HTTP <status> <twirp code>`. */
  readonly errors: Readonly<Record<string, number>>;
  readonly firstError: string | undefined;
  readonly seconds: number;
  /** Successful requests per second. */
  readonly rps: number;
  /** Latency of the successful requests, in milliseconds. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly maxMs: number;
  /** Every successful request's latency (ms), sorted. */
  readonly latencies: Float64Array;
  /** How many request bodies were used (the next run should start at firstIndex + used). */
  readonly used: number;
}

/**
 * Runs the loop for `durationMs`. Every request that completes inside the window counts; after
 * the window no new request starts, and those still in flight are awaited but not counted.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { agent, url, headers, connections, durationMs } = options;
  let next = options.firstIndex ?? 0;
  let latencies = new Float64Array(1 << 16);
  let ok = 0;
  const errors: Record<string, number> = {};
  let firstError: string | undefined;
  const started = performance.now();
  const end = started + durationMs;

  const record = (ms: number): void => {
    if (ok === latencies.length) {
      const grown = new Float64Array(latencies.length * 2);
      grown.set(latencies);
      latencies = grown;
    }
    latencies[ok++] = ms;
  };

  const worker = async (): Promise<void> => {
    while (performance.now() < end) {
      const body = options.body(next++);
      const t0 = performance.now();
      let key: string | undefined;
      let detail = '';
      try {
        const res = await post(agent, url, headers, body);
        if (res.status !== 200) {
          key = `HTTP ${res.status} ${twirpCode(res.body)}`;
          detail = res.body.slice(0, 300);
        }
      } catch (e: unknown) {
        key = `transport ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`;
        detail = (e as Error).message;
      }
      const t1 = performance.now();
      if (t1 > end) break;
      if (key === undefined) record(t1 - t0);
      else {
        errors[key] = (errors[key] ?? 0) + 1;
        firstError ??= `${key}: ${detail}`;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, () => worker()));
  const seconds = durationMs / 1000;
  const sorted = latencies.subarray(0, ok).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    ok,
    errors,
    firstError,
    seconds,
    rps: ok / seconds,
    p50Ms: quantile(sorted, 0.5),
    p99Ms: quantile(sorted, 0.99),
    meanMs: ok > 0 ? sum / ok : Number.NaN,
    maxMs: ok > 0 ? (sorted[ok - 1] as number) : Number.NaN,
    latencies: sorted,
    used: next - (options.firstIndex ?? 0),
  };
}

function twirpCode(body: string): string {
  try {
    const parsed = JSON.parse(body) as { code?: unknown };
    return typeof parsed.code === 'string' ? parsed.code : '';
  } catch {
    return '';
  }
}

// ---------------------------------------------------------------------------------------------
// Where the CPU goes (Linux /proc): the service's process group, our PostgreSQL's processes,
// this process (the load generator), and the whole machine.
// ---------------------------------------------------------------------------------------------

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly pgrp: number;
  /** utime + stime. */
  readonly ticks: number;
  /** cutime + cstime: children it has reaped (the postmaster reaps exited backends). */
  readonly childTicks: number;
}

function readProcStats(): ProcStat[] {
  const out: ProcStat[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const raw = readFileSync(`/proc/${name}/stat`, 'utf8');
      // The command name may hold spaces; the fields after it are space-separated.
      const rest = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
      out.push({
        pid: Number(name),
        ppid: Number(rest[1]),
        pgrp: Number(rest[2]),
        ticks: Number(rest[11]) + Number(rest[12]),
        childTicks: Number(rest[13]) + Number(rest[14]),
      });
    } catch {
      // It exited while we looked.
    }
  }
  return out;
}

function machineTicks(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const total = values.reduce((a, b) => a + b, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: 0, total: 0 };
  }
}

export interface CpuSplit {
  /** Share of ONE core each used on average over the interval (1.0 = one full core). */
  readonly service: number;
  readonly postgres: number | undefined;
  readonly benchProcess: number;
  /** Commands the bench ran that ended within the interval (pgbench, psql). */
  readonly benchCommands: number;
  /** Everything else on the machine (other users of this shared box, the kernel). */
  readonly other: number;
  readonly machineBusy: number;
  readonly cores: number;
}

/** Starts a CPU sample; the returned function ends it. */
export function cpuProbe(servicePgid: number | undefined, postmasterPid: number | undefined): () => CpuSplit {
  const TICK = 100; // USER_HZ on Linux.
  const pick = (stats: ProcStat[]): { service: Map<number, number>; postgres: Map<number, number>; commands: number } => {
    const service = new Map<number, number>();
    const postgres = new Map<number, number>();
    let commands = 0;
    for (const s of stats) {
      if (servicePgid !== undefined && s.pgrp === servicePgid) service.set(s.pid, s.ticks);
      // Backends that exited in between are in the postmaster's reaped-children time.
      if (s.pid === postmasterPid) postgres.set(s.pid, s.ticks + s.childTicks);
      else if (postmasterPid !== undefined && s.ppid === postmasterPid) postgres.set(s.pid, s.ticks);
      if (s.pid === process.pid) commands = s.childTicks;
    }
    return { service, postgres, commands };
  };
  const diff = (a: Map<number, number>, b: Map<number, number>): number => {
    let sum = 0;
    for (const [pid, ticks] of b) sum += ticks - (a.get(pid) ?? 0);
    return sum;
  };
  const start = pick(readProcStats());
  const startMachine = machineTicks();
  const startSelf = process.cpuUsage();
  const t0 = performance.now();
  return () => {
    const end = pick(readProcStats());
    const endMachine = machineTicks();
    const self = process.cpuUsage(startSelf);
    const seconds = (performance.now() - t0) / 1000;
    const cores = os.cpus().length;
    const service = diff(start.service, end.service) / TICK / seconds;
    const postgres = postmasterPid === undefined ? undefined : diff(start.postgres, end.postgres) / TICK / seconds;
    const benchProcess = (self.user + self.system) / 1e6 / seconds;
    const benchCommands = (end.commands - start.commands) / TICK / seconds;
    const totalTicks = endMachine.total - startMachine.total;
    const machineBusy = totalTicks > 0 ? ((endMachine.busy - startMachine.busy) / totalTicks) * cores : Number.NaN;
    return {
      service,
      postgres,
      benchProcess,
      benchCommands,
      other: Math.max(0, machineBusy - service - (postgres ?? 0) - benchProcess - benchCommands),
      machineBusy,
      cores,
    };
  };
}

export function describeCpu(split: CpuSplit): string {
  const pct = (v: number): string => `${Math.round(v * 100)} %`;
  return (
    `CPU (100 % = one core, ${split.cores} cores): service ${pct(split.service)}, ` +
    `postgres ${split.postgres === undefined ? 'n/a (external)' : pct(split.postgres)}, ` +
    `bench process ${pct(split.benchProcess)}, pgbench/psql ${pct(split.benchCommands)}, ` +
    `others on the machine ${pct(split.other)}; machine busy ${pct(split.machineBusy)}`
  );
}

// ---------------------------------------------------------------------------------------------
// What every bench gets from the runner
// ---------------------------------------------------------------------------------------------

export interface BenchSettings {
  /** Concurrent connections (SendMessage) and pgbench clients. */
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
  /** Rows in one AddRecipients request. */
  readonly recipientRows: number;
  /** Timed AddRecipients requests (and as many raw inserts); the median is reported. */
  readonly repeats: number;
  /**
   * SendMessage: the timed duration is split into this many rounds of each phase, run
   * baseline-service then service-baseline (ABBA…), so a drift in machine load cancels out.
   */
  readonly rounds: number;
}

export interface BenchContext {
  readonly cleanup: Cleanup;
  readonly db: BenchDatabase;
  readonly service: ServiceProcess;
  readonly tenantId: string;
  readonly apiKey: string;
  /** A temp folder of the run's own, removed at the end. */
  readonly tmpDir: string;
  readonly settings: BenchSettings;
  /** Progress lines (stderr). */
  readonly log: (line: string) => void;
}
