import { promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { figure, type Baseline, type BenchResult } from './report';
import {
  cpuProbe,
  createCampaign,
  describeCpu,
  libpqEnv,
  phoneNumber,
  quantile,
  resetMessages,
  runCommand,
  runLoad,
  which,
  withClient,
  type BenchContext,
  type CpuSplit,
  type LoadResult,
} from './support';

/** The ratio DESIGN.md §5 asks of SendMessage throughput against the same INSERT in pgbench. */
const TARGET_RATIO = 0.6;
/** SendMessage numbers start here (phoneNumber index), well clear of the baseline's block. */
const SERVICE_FIRST_INDEX = 4_000_000;

/**
 * SendMessage at N keep-alive connections against the service process, beside `pgbench` (or, when
 * it is not installed, 32 node-postgres connections) running the same single INSERT into
 * `messages` at the same concurrency, for the same duration, on the same database.
 *
 * After one warm-up of each side, the timed duration is split into rounds run in ABBA order
 * (baseline, service, service, baseline, …) so that a drift in the load of this shared machine
 * falls on both sides alike; the figures are totals over all rounds. Every phase starts from an
 * empty `messages` table after a checkpoint.
 */
export async function benchSendMessage(ctx: BenchContext): Promise<BenchResult> {
  const { settings, log } = ctx;
  const notes: string[] = [];
  const campaignId = await createCampaign(ctx.service.url, ctx.apiKey, { name: 'bench sendmessage', trigger: 'API', start: true });
  // A fixed time tomorrow, with an offset as in DESIGN.md's example: nothing becomes due during
  // the bench even once a scheduler runs, and every row carries the same schedule.
  const scheduled = scheduledTomorrow();
  const insert = baselineInsertSql(ctx.tenantId, campaignId, scheduled.utc);
  const pgbench = which('pgbench');
  const c = settings.connections;
  const rounds = Math.max(1, Math.min(settings.rounds, settings.durationSeconds));
  // Whole seconds (pgbench -T takes no fraction): --duration 10 in 2 rounds is 2 × 5 s per side.
  const phaseSeconds = Math.max(1, Math.floor(settings.durationSeconds / rounds));

  // One timed phase of the baseline: pgbench, or the node-postgres loop when it is missing.
  const baselineRuns: { tps: number; latencies: number[]; cpu: CpuSplit }[] = [];
  let baselineCommand = '';
  const runBaseline = async (seconds: number, timed: boolean): Promise<void> => {
    await resetMessages(ctx.db.url);
    const stop = cpuProbe(undefined, ctx.db.postmasterPid);
    const run =
      pgbench !== undefined
        ? await runPgbench(ctx, pgbench, insert, seconds, timed)
        : await nodeBaseline(ctx.db.url, insert, c, seconds);
    const cpu = stop();
    if (!timed) return;
    const rows = await countMessages(ctx.db.url);
    if (pgbench !== undefined && rows !== run.transactions) notes.push(`baseline reported ${run.transactions} transactions but messages holds ${rows} rows`);
    baselineRuns.push({ tps: run.tps, latencies: run.latencies, cpu });
    baselineCommand = run.command;
  };

  // One timed phase of the service.
  const agent = new http.Agent({ keepAlive: true, maxSockets: c, maxFreeSockets: c });
  const url = new URL(`${ctx.service.url}/twirp/outreach.v1.Campaign/SendMessage`);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${ctx.apiKey}` };
  const body = (i: number): string => sendMessageBody(campaignId, i, scheduled.offset);
  let nextIndex = SERVICE_FIRST_INDEX;
  const serviceRuns: { run: LoadResult; rows: number; cpu: CpuSplit }[] = [];
  const runService = async (seconds: number, timed: boolean): Promise<void> => {
    await resetMessages(ctx.db.url);
    const stop = cpuProbe(ctx.service.pid, ctx.db.postmasterPid);
    const run = await runLoad({ agent, url, headers, connections: c, durationMs: seconds * 1000, body, firstIndex: nextIndex });
    const cpu = stop();
    nextIndex += run.used;
    if (run.ok === 0) throw new Error(`SendMessage never answered 200: ${run.firstError ?? 'no answer'}`);
    if (timed) serviceRuns.push({ run, rows: await countMessages(ctx.db.url), cpu });
  };

  try {
    const rssStart = ctx.service.rssMb();
    if (pgbench === undefined) log('sendmessage: pgbench is not on PATH; the baseline is the equivalent node-postgres loop');
    log(`sendmessage: warm-up, ${settings.warmupSeconds} s baseline + ${settings.warmupSeconds} s service`);
    await runBaseline(settings.warmupSeconds, false);
    await runService(settings.warmupSeconds, false);
    for (let r = 0; r < rounds; r += 1) {
      const order = r % 2 === 0 ? (['baseline', 'service'] as const) : (['service', 'baseline'] as const);
      for (const phase of order) {
        log(`sendmessage: round ${r + 1}/${rounds}: ${phase} ${phaseSeconds} s at ${c} ${phase === 'service' ? 'connections' : 'clients'}`);
        if (phase === 'baseline') await runBaseline(phaseSeconds, true);
        else await runService(phaseSeconds, true);
      }
    }
    await resetMessages(ctx.db.url);
    const rssEnd = ctx.service.rssMb();

    // Both sides: total over total time, latencies pooled over the rounds.
    const baselineTps = baselineRuns.reduce((a, b) => a + b.tps, 0) / baselineRuns.length;
    const baselineLatencies = baselineRuns.flatMap((b) => b.latencies).sort((a, b) => a - b);
    const ok = serviceRuns.reduce((a, s) => a + s.run.ok, 0);
    const serviceRps = ok / (phaseSeconds * serviceRuns.length);
    const serviceLatencies = Float64Array.from(serviceRuns.flatMap((s) => Array.from(s.run.latencies))).sort();

    notes.push(
      `${rounds} round(s) of ${phaseSeconds} s per side, order ${Array.from({ length: rounds }, (_, r) => (r % 2 === 0 ? 'AB' : 'BA')).join('')} ` +
        `(A = baseline, B = service); baseline tps per round: ${baselineRuns.map((b) => b.tps.toFixed(0)).join(', ')}; ` +
        `service req/s per round: ${serviceRuns.map((s) => (s.run.ok / s.run.seconds).toFixed(0)).join(', ')}`,
    );
    for (const [i, s] of serviceRuns.entries()) notes.push(...describeRun(i + 1, s.run, s.rows));
    notes.push(`CPU during the baseline (last round): ${describeCpu((baselineRuns.at(-1) as { cpu: CpuSplit }).cpu)}`);
    notes.push(`CPU during the service (last round): ${describeCpu((serviceRuns.at(-1) as { cpu: CpuSplit }).cpu)}`);
    if (rssStart !== undefined && rssEnd !== undefined) {
      notes.push(`service RSS (process group) ${rssStart.toFixed(0)} MB before the SendMessage load, ${rssEnd.toFixed(0)} MB after`);
    }
    if (pgbench === undefined) notes.push('pgbench was not found on PATH: the baseline is the equivalent node-postgres loop, not pgbench');

    const method =
      pgbench !== undefined
        ? `${baselineCommand} (script: \\set n :n + 1; ${insert})`
        : `FALLBACK (pgbench not on PATH): ${c} node-postgres connections, each running the same INSERT in a loop ` +
          `(script: ${insert})`;
    const who = pgbench !== undefined ? 'pgbench' : 'node-pg loop';
    const tpsBaseline: Baseline = {
      label: pgbench !== undefined ? 'pgbench tps' : 'node-pg INSERT loop tps (fallback)',
      value: baselineTps,
      unit: 'req/s',
      method,
    };
    const latencyBaseline = (q: number, name: string): Baseline => ({
      label: `${who} ${name}`,
      value: quantile(baselineLatencies, q),
      unit: 'ms',
      method: `per-transaction latency of the same ${who} runs${pgbench !== undefined ? ' (pgbench --log)' : ''}`,
    });
    return {
      name: 'sendmessage',
      figures: [
        figure('sendmessage.throughput', `SendMessage throughput, ${c} conns`, serviceRps, 'req/s', tpsBaseline, TARGET_RATIO),
        figure('sendmessage.p50', `SendMessage p50 latency, ${c} conns`, quantile(serviceLatencies, 0.5), 'ms', latencyBaseline(0.5, 'p50')),
        figure('sendmessage.p99', `SendMessage p99 latency, ${c} conns`, quantile(serviceLatencies, 0.99), 'ms', latencyBaseline(0.99, 'p99')),
      ],
      notes,
    };
  } finally {
    agent.destroy();
  }
}

/** The DESIGN.md request shape; the number without `+`, as the established API's clients send it. */
function sendMessageBody(campaignId: string, i: number, scheduledAt: string): string {
  return JSON.stringify({
    CampaignID: campaignId,
    To: { PhoneNumber: phoneNumber(i).slice(1) },
    Variables: { customer_id: `c${i}` },
    Callback: { URL: 'https://example.com/outreach/callback', State: { order_id: String(12345 + i) } },
    ScheduledAt: { Time: scheduledAt, BypassCallingWindow: true },
    AllowDuplicates: false,
  });
}

/**
 * The same single INSERT the service does for one SendMessage: every column it writes, a fresh
 * uuid, and a distinct number per transaction (`:client_id` and a per-client counter `:n`).
 */
function baselineInsertSql(tenantId: string, campaignId: string, scheduledUtc: string): string {
  return (
    'insert into messages (id, tenant_id, campaign_id, phone_number, status, disposition, variables, callback_url, ' +
    'callback_state, scheduled_at, bypass_calling_window, allow_duplicates, next_attempt_at, external_id, language, ' +
    'metadata, timezone, created_at, updated_at) values (gen_random_uuid(), ' +
    `'${tenantId}', '${campaignId}', '+1415' || (2000000 + :client_id * 100000 + :n), 'QUEUED', null, ` +
    `'{"customer_id": "c1"}', 'https://example.com/outreach/callback', '{"order_id": "12345"}', ` +
    `'${scheduledUtc}', true, false, '${scheduledUtc}', null, null, '{}', null, now(), now())`
  );
}

interface BaselineRun {
  readonly tps: number;
  readonly transactions: number;
  /** Per-transaction latencies in ms (empty when not logged). */
  readonly latencies: number[];
  readonly command: string;
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
  const values: number[] = [];
  if (logLatencies) {
    for (const file of await fs.readdir(dir)) {
      if (!file.startsWith('log.')) continue;
      for (const line of (await fs.readFile(path.join(dir, file), 'utf8')).split('\n')) {
        const us = Number(line.split(' ')[2]);
        if (line !== '' && Number.isFinite(us)) values.push(us / 1000);
      }
    }
  }
  await fs.rm(dir, { recursive: true, force: true });
  const version = /^pgbench \(([^)]*)/m.exec(out)?.[1];
  return {
    tps: Number(tps),
    transactions: Number(processed),
    latencies: values,
    command: `${version === undefined ? 'pgbench' : `pgbench ${version.split(' ')[0]}`}: pgbench -n -c ${c} -j 2 -T ${seconds} -D n=0 -f <script>`,
  };
}

/** The fallback baseline: N connections each running the INSERT in a loop (simple protocol). */
async function nodeBaseline(
  url: string,
  insert: string,
  connections: number,
  seconds: number,
): Promise<BaselineRun> {
  const clients = Array.from({ length: connections }, () => new pg.Client({ connectionString: url }));
  try {
    await Promise.all(clients.map((c) => c.connect()));
    const latencies: number[] = [];
    const started = performance.now();
    const end = started + seconds * 1000;
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

async function countMessages(url: string): Promise<number> {
  return withClient(url, async (c) => Number((await c.query<{ n: string }>('select count(*) as n from messages')).rows[0]?.n ?? 0));
}

function describeRun(round: number, run: LoadResult, rows: number): string[] {
  const out = [
    `service round ${round}: ${run.ok} requests answered 200 in ${run.seconds} s (mean ${run.meanMs.toFixed(2)} ms, max ${run.maxMs.toFixed(1)} ms); ` +
      `messages holds ${rows} rows afterwards (+ up to one request per connection still in flight at the end)`,
  ];
  const errors = Object.entries(run.errors);
  if (errors.length > 0) {
    out.push(`service errors: ${errors.map(([k, n]) => `${k} ×${n}`).join(', ')}; first: ${run.firstError ?? ''}`);
  }
  return out;
}

/** Tomorrow 11:52:30 at +05:30 (as in DESIGN.md), and the same instant in UTC for the baseline. */
function scheduledTomorrow(): { offset: string; utc: string } {
  const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
  const day = tomorrow.toISOString().slice(0, 10);
  const offset = `${day}T11:52:30+05:30`;
  return { offset, utc: new Date(offset).toISOString() };
}
