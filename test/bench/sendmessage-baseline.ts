/**
 * The SendMessage baseline: the same single INSERT the service does, run by `pgbench` at the same
 * concurrency, or (when pgbench is not installed) by N node-postgres connections in a loop.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { runCommand } from './commands';
import type { BenchContext } from './context';
import { messageIdSql } from './fixtures';
import { countMessages, libpqEnv, resetMessages } from './database';
import { cpuProbe, type CpuSplit } from './machine';

/** One side of the comparison: runs a phase, and keeps what each timed phase measured. */
export interface Side<T> {
  readonly runs: readonly T[];
  run(seconds: number, timed: boolean): Promise<void>;
}

/** What one timed phase of the baseline measured. */
export interface BaselinePhase {
  readonly tps: number;
  /** Per-transaction latencies in ms (empty when not logged). */
  readonly latencies: number[];
  readonly cpu: CpuSplit;
  /** How it ran, for the report. */
  readonly command: string;
}

interface BaselineRun {
  readonly tps: number;
  readonly transactions: number;
  readonly latencies: number[];
  readonly command: string;
}

/**
 * The baseline side: each phase starts from an empty `messages` table; a timed phase's row count
 * is checked against the transactions pgbench reports, and a mismatch goes to `notes`.
 */
export function baselineSide(ctx: BenchContext, pgbench: string | undefined, insert: string, notes: string[]): Side<BaselinePhase> {
  const runs: BaselinePhase[] = [];
  const run = async (seconds: number, timed: boolean): Promise<void> => {
    await resetMessages(ctx.db.url);
    const stop = cpuProbe(undefined, ctx.db.postmasterPid);
    const result =
      pgbench !== undefined
        ? await runPgbench(ctx, pgbench, insert, seconds, timed)
        : await nodeBaseline(ctx.db.url, insert, ctx.settings.connections, seconds);
    const cpu = stop();
    if (!timed) return;
    const rows = await countMessages(ctx.db.url);
    if (pgbench !== undefined && rows !== result.transactions) {
      notes.push(`baseline reported ${result.transactions} transactions but messages holds ${rows} rows`);
    }
    runs.push({ tps: result.tps, latencies: result.latencies, cpu, command: result.command });
  };
  return { runs, run };
}

/**
 * The same single INSERT the service does for one SendMessage: every column it writes, a fresh
 * time-ordered id as the service makes them, and a distinct number per transaction (`:client_id`
 * and a per-client counter `:n`).
 */
export function baselineInsertSql(tenantId: string, campaignId: string, scheduledUtc: string): string {
  return (
    'insert into messages (id, tenant_id, campaign_id, phone_number, status, disposition, variables, callback_url, ' +
    'callback_state, scheduled_at, bypass_calling_window, allow_duplicates, next_attempt_at, external_id, language, ' +
    `metadata, timezone, created_at, updated_at) values (${messageIdSql(':client_id * 100000 + :n')}, ` +
    `'${tenantId}', '${campaignId}', '+1415' || (2000000 + :client_id * 100000 + :n), 'QUEUED', null, ` +
    `'{"customer_id": "c1"}', 'https://example.com/outreach/callback', '{"order_id": "12345"}', ` +
    `'${scheduledUtc}', true, false, '${scheduledUtc}', null, null, '{}', null, now(), now())`
  );
}

async function runPgbench(ctx: BenchContext, pgbench: string, insert: string, seconds: number, logLatencies: boolean): Promise<BaselineRun> {
  const dir = await fs.mkdtemp(path.join(ctx.tmpDir, 'pgbench-'));
  const script = path.join(dir, 'sendmessage.sql');
  await fs.writeFile(script, `\\set n :n + 1\n${insert};\n`);
  const c = ctx.settings.connections;
  const args = ['-n', '-c', String(c), '-j', '2', '-T', String(seconds), '-D', 'n=0', '-f', script];
  if (logLatencies) args.push('--log', `--log-prefix=${path.join(dir, 'log')}`);
  const { env } = libpqEnv(ctx.db.url);
  const result = await runCommand(ctx.cleanup, pgbench, args, { env, cwd: dir });
  const out = `${result.stdout}\n${result.stderr}`;
  const tps = /tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)/.exec(out)?.[1];
  const processed = /number of transactions actually processed: (\d+)/.exec(out)?.[1];
  const failed = /number of failed transactions: (\d+)/.exec(out)?.[1];
  if (result.code !== 0 || tps === undefined || processed === undefined) {
    throw new Error(`pgbench failed (exit ${result.code}):\n${out.trim().slice(-3000)}`);
  }
  if (/aborted|error/i.test(result.stderr) || (failed !== undefined && failed !== '0')) {
    throw new Error(`pgbench reported errors; the baseline would be wrong:\n${out.trim().slice(-3000)}`);
  }
  const latencies = logLatencies ? await readLatencyLogs(dir) : [];
  await fs.rm(dir, { recursive: true, force: true });
  const version = /^pgbench \(([^)]*)/m.exec(out)?.[1];
  return {
    tps: Number(tps),
    transactions: Number(processed),
    latencies,
    command: `${version === undefined ? 'pgbench' : `pgbench ${version.split(' ')[0]}`}: pgbench -n -c ${c} -j 2 -T ${seconds} -D n=0 -f <script>`,
  };
}

/** Per-transaction latencies (ms) from pgbench's `--log` files (`log.*`, third field in µs). */
async function readLatencyLogs(dir: string): Promise<number[]> {
  const values: number[] = [];
  for (const file of await fs.readdir(dir)) {
    if (!file.startsWith('log.')) continue;
    for (const line of (await fs.readFile(path.join(dir, file), 'utf8')).split('\n')) {
      const us = Number(line.split(' ')[2]);
      if (line !== '' && Number.isFinite(us)) values.push(us / 1000);
    }
  }
  return values;
}

/** The fallback baseline: N connections each running the INSERT in a loop (simple protocol). */
async function nodeBaseline(url: string, insert: string, connections: number, seconds: number): Promise<BaselineRun> {
  const clients = Array.from({ length: connections }, () => new pg.Client({ connectionString: url }));
  try {
    await Promise.all(clients.map((c) => c.connect()));
    const latencies: number[] = [];
    const end = performance.now() + seconds * 1000;
    let done = 0;
    await Promise.all(
      clients.map(async (client, clientId) => {
        let n = 0;
        while (performance.now() < end) {
          n += 1;
          const sql = insert.replace(/:client_id\b/g, String(clientId)).replace(/:n\b/g, String(n));
          const t0 = performance.now();
          await client.query(sql);
          const t1 = performance.now();
          if (t1 <= end) {
            done += 1;
            latencies.push(t1 - t0);
          }
        }
      }),
    );
    return { tps: done / seconds, transactions: done, latencies, command: `node-postgres loop, ${connections} connections, ${seconds} s` };
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
  }
}
