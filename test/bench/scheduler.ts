/**
 * The scheduler bench (DESIGN.md §5): claim → decide → dial → record throughput of our scheduler
 * with a no-op provider over N due messages, beside pg-boss and graphile-worker working N no-op
 * jobs on the same database server in the same run, each configured for throughput; then the
 * same N behind a backlog of not-yet-due messages in the same campaign; and the RSS of the
 * process running the scheduler meanwhile.
 *
 * Every side runs in a child process of its own (`scheduler-child.ts`), one at a time, its RSS
 * sampled from /proc and its CPU measured beside PostgreSQL's. The sides of the comparison run in
 * ABBA order over `--rounds` rounds (ours, pg-boss, graphile-worker, then the reverse), so a drift
 * in machine load falls on every side; the backlog runs follow, then one more run of ours without
 * the backlog, so the runs without it bracket the runs with it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from '../../server/db/database';
import { createDb } from '../../server/db/pool';
import { claimDueMessages } from '../../server/scheduler/scheduler.repository';
import { ROOT } from './commands';
import type { BenchContext } from './context';
import { resetMessages } from './database';
import { cpuProbe, type CpuSplit } from './machine';
import { figure, type Baseline, type BenchResult } from './report';
import { schedulerOptions } from './scheduler-outreach';
import { checkDispatch, createSchedulerCampaign, seedBacklog, seedDueMessages, settle, type DispatchCheck } from './scheduler-seed';
import { SIDE_JOB_ENV, type ChildMessage, type SideJob, type SideName, type SideResult } from './scheduler-sides';
import { median } from './stats';

/** DESIGN.md §5: ahead of both peers; the backlog changes throughput by less than 20 %. */
const TARGET_VS_PEER = 1.0;
const TARGET_BACKLOG = 0.8;
/** The campaign's cap on calls in flight: far above anything the bench dispatches. */
const MAX_CONCURRENT_CALLS = 1_000_000;
/** How often the side's RSS is read while it works. */
const RSS_SAMPLE_MS = 250;
/** Longest a side may take to work its N before the run is called stalled. */
const SIDE_TIMEOUT_MS = 10 * 60_000;
const PG_BOSS_SCHEMA = 'bench_pgboss';
const GRAPHILE_SCHEMA = 'bench_graphile_worker';

/** How each side is configured (see `--schedulers`, `--claim-batch`). */
export interface SchedulerBenchSettings {
  readonly messages: number;
  readonly backlog: number;
  readonly schedulers: number;
  readonly claimBatch: number;
}

/** Tuning of the peers for throughput (chosen by trying batch sizes and concurrencies here). */
const PG_BOSS = { batchSize: 2_000, localConcurrency: 4, poolSize: 10 } as const;
const GRAPHILE = { concurrency: 24, localQueueSize: 2_000, completeJobBatchDelayMs: 0, poolSize: 12 } as const;
/** Connections per scheduler's pool. */
const OUTREACH_POOL = 10;

/** One run of one side, with what the parent saw of it. */
interface Run {
  readonly label: string;
  readonly side: SideName;
  readonly backlog: number;
  readonly result: SideResult;
  readonly perSecond: number;
  readonly rss: RssTrace;
  readonly cpu: CpuSplit;
  readonly check?: DispatchCheck;
  readonly readyDetails: Readonly<Record<string, string | number | boolean>>;
}

/** RSS of the child: at `ready` (start-up), then every sample while it worked, then at `done`. */
interface RssTrace {
  readonly startMb: number;
  readonly samples: readonly { readonly atMs: number; readonly mb: number }[];
  readonly peakMb: number;
  readonly endMb: number;
}

export async function benchScheduler(ctx: BenchContext): Promise<BenchResult> {
  const s: SchedulerBenchSettings = {
    messages: ctx.settings.schedulerMessages,
    backlog: ctx.settings.backlog,
    schedulers: ctx.settings.schedulers,
    claimBatch: ctx.settings.claimBatch,
  };
  const url = ctx.db.url;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const runs: Run[] = [];
  const notes: string[] = [];
  try {
    const campaignId = await createSchedulerCampaign(client, ctx.tenantId, MAX_CONCURRENT_CALLS);
    const outreachJob: SideJob = {
      side: 'outreach',
      url,
      campaignId,
      messages: s.messages,
      schedulers: s.schedulers,
      poolSize: OUTREACH_POOL,
      claimBatch: s.claimBatch,
      timeoutMs: SIDE_TIMEOUT_MS,
    };

    /** Our side on a fresh `messages` (plus the backlog when given): seed, settle, run, check. */
    const runOurs = async (label: string, backlog: number, first: number, beforeRun?: () => Promise<void>): Promise<Run> => {
      const seed = await seedDueMessages(client, { tenantId: ctx.tenantId, campaignId, first, count: s.messages }, ctx.log);
      const settleMs = await settle(client);
      await beforeRun?.();
      ctx.log(`scheduler: ${label}: ${s.messages} due messages seeded in ${(seed.ms / 1000).toFixed(1)} s, settled in ${(settleMs / 1000).toFixed(1)} s`);
      const run = await runSide(ctx, label, outreachJob, backlog);
      const check = await checkDispatch(client, campaignId);
      const wrong = checkProblems(check, s.messages, backlog);
      if (wrong.length > 0) throw new Error(`${label}: the run did not do what it says: ${wrong.join('; ')}`);
      return { ...run, check };
    };

    // 1. The comparison: ABBA rounds of ours, pg-boss, graphile-worker.
    for (let r = 1; r <= ctx.settings.rounds; r += 1) {
      const order: SideName[] = r % 2 === 1 ? ['outreach', 'pg-boss', 'graphile-worker'] : ['graphile-worker', 'pg-boss', 'outreach'];
      for (const side of order) {
        if (side === 'outreach') {
          await resetMessages(url);
          runs.push(await runOurs(`outreach, round ${r}`, 0, 0));
        } else if (side === 'pg-boss') {
          const job: SideJob = { side, url, schema: PG_BOSS_SCHEMA, queue: `bench_noop_${r}`, jobs: s.messages, ...PG_BOSS, timeoutMs: SIDE_TIMEOUT_MS };
          runs.push(await runSide(ctx, `pg-boss, round ${r}`, job, 0));
        } else {
          const job: SideJob = { side, url, schema: GRAPHILE_SCHEMA, jobs: s.messages, ...GRAPHILE, timeoutMs: SIDE_TIMEOUT_MS };
          runs.push(await runSide(ctx, `graphile-worker, round ${r}`, job, 0));
        }
      }
    }

    // 2. The backlog: N not-yet-due messages in the same campaign, then ours again (rounds times).
    await resetMessages(url);
    ctx.log(`scheduler: seeding a backlog of ${s.backlog} messages due in a year, in statements of 100,000 rows`);
    const backlogSeed = await seedBacklog(client, { tenantId: ctx.tenantId, campaignId, count: s.backlog }, ctx.log);
    const t0 = performance.now();
    await client.query('analyze messages');
    const analyzeMs = performance.now() - t0;
    notes.push(
      `backlog: ${s.backlog.toLocaleString('en-US')} QUEUED messages due a year ahead, same campaign, by ${backlogSeed.statements} ` +
        `INSERT … SELECT generate_series statement(s) with the counter triggers on in ${(backlogSeed.ms / 1000).toFixed(1)} s, ` +
        `then ANALYZE (${(analyzeMs / 1000).toFixed(1)} s) and, before each run, vacuum (analyze) + checkpoint`,
    );
    for (let r = 1; r <= ctx.settings.rounds; r += 1) {
      // Back to the state the first backlog run started from: only the backlog left.
      if (r > 1) {
        await client.query(`delete from provider_calls p using attempts a where a.campaign_id = $1 and p.message_id = a.message_id and p.number = a.number`, [campaignId]);
        await client.query(`delete from attempts where campaign_id = $1`, [campaignId]);
        await client.query(`delete from messages where campaign_id = $1 and status <> 'QUEUED'`, [campaignId]);
      }
      const explain = r === 1 ? async () => void notes.push(await explainNote(url, s.claimBatch)) : undefined;
      runs.push(await runOurs(`outreach with backlog, round ${r}`, s.backlog, s.messages * r, explain));
    }

    // 3. Ours once more without the backlog, so the runs without it bracket the runs with it.
    await resetMessages(url);
    runs.push(await runOurs('outreach, after the backlog runs', 0, 0));

    // 4. RSS while a whole campaign of `--rss-messages` due messages is dispatched.
    let whole: Run | undefined;
    const big = ctx.settings.rssMessages;
    if (big > 0) {
      await resetMessages(url);
      const seed = await seedDueMessages(client, { tenantId: ctx.tenantId, campaignId, first: 0, count: big }, ctx.log);
      await settle(client);
      ctx.log(`scheduler: ${fmt(big)} due messages seeded in ${(seed.ms / 1000).toFixed(1)} s`);
      const run = await runSide(ctx, `outreach, a campaign of ${fmt(big)}`, { ...outreachJob, messages: big }, 0);
      const check = await checkDispatch(client, campaignId);
      const wrong = checkProblems(check, big, 0);
      if (wrong.length > 0) throw new Error(`the ${fmt(big)}-message run did not do what it says: ${wrong.join('; ')}`);
      whole = { ...run, check };
    }

    const result = schedulerResult(s, ctx.settings.rounds, runs, notes);
    return whole === undefined ? result : withWholeCampaignRss(result, whole);
  } finally {
    await client.end().catch(() => undefined);
    await resetMessages(url).catch(() => undefined);
  }
}

/** Runs one side in a child process: waits for `ready`, checkpoints, sends `go`, samples RSS. */
async function runSide(ctx: BenchContext, label: string, job: SideJob, backlog: number): Promise<Run> {
  ctx.log(`scheduler: ${label}: starting`);
  const child = fork(path.join(__dirname, 'scheduler-child.ts'), [], {
    cwd: ROOT,
    // BENCH_SCHEDULER_NODE_ARGS adds flags for a profile, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
    execArgv: ['--import', 'tsx', ...(process.env.BENCH_SCHEDULER_NODE_ARGS?.split(' ').filter((a) => a !== '') ?? [])],
    env: { ...process.env, [SIDE_JOB_ENV]: JSON.stringify(job), NODE_ENV: 'production' },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${label}: could not start the child process`);
  const untrack = ctx.cleanup.trackGroup(pid);
  const output = keepOutput(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const ready = await nextMessage(child, output, 'ready');
    await withClientQuery(ctx.db.url, 'checkpoint');
    const startMb = rssMb(pid);
    const samples: { atMs: number; mb: number }[] = [];
    const t0 = performance.now();
    const timer = setInterval(() => {
      const mb = rssMb(pid);
      if (Number.isFinite(mb)) samples.push({ atMs: performance.now() - t0, mb });
    }, RSS_SAMPLE_MS);
    const stopCpu = cpuProbe(pid, ctx.db.postmasterPid);
    child.send({ type: 'go' });
    let done: ChildMessage;
    try {
      done = await nextMessage(child, output, 'done');
    } finally {
      clearInterval(timer);
    }
    const cpu = stopCpu();
    child.send({ type: 'close' });
    if (done.type !== 'done') throw new Error('unreachable');
    const result = done.result;
    const endMb = result.rssAtDoneMb;
    const peakMb = Math.max(...[startMb, endMb, ...samples.map((x) => x.mb)].filter(Number.isFinite));
    const perSecond = result.count / (result.ms / 1000);
    ctx.log(`scheduler: ${label}: ${result.count} in ${(result.ms / 1000).toFixed(2)} s = ${perSecond.toFixed(0)}/s, RSS ${startMb.toFixed(0)} → peak ${peakMb.toFixed(0)} MB`);
    await exited;
    return {
      label,
      side: job.side,
      backlog,
      result,
      perSecond,
      rss: { startMb, samples, peakMb, endMb },
      cpu,
      readyDetails: ready.type === 'ready' ? ready.details : {},
    };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // Gone already.
      }
    }
    untrack();
  }
}

async function withClientQuery(url: string, text: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

/** The next message of the kind asked for; a `failed` message or an early exit throws. */
function nextMessage(child: ChildProcess, output: () => string, want: 'ready' | 'done'): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: ChildMessage): void => {
      if (m.type === 'failed') finish(new Error(`the child failed: ${m.error}\n${output()}`));
      else if (m.type === want) finish(undefined, m);
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
      finish(new Error(`the child exited (${signal ?? `code ${code}`}) before "${want}"\n${output()}`));
    };
    const finish = (e: Error | undefined, m?: ChildMessage): void => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (e !== undefined) reject(e);
      else resolve(m as ChildMessage);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** The child's last lines of output, for error messages. */
function keepOutput(child: ChildProcess): () => string {
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      lines.push(line);
      if (lines.length > 40) lines.shift();
    }
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => lines.join('\n');
}

/** VmRSS of a process in MB (Linux), or NaN. */
function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? Number.NaN : Number(m[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** What is wrong with a run's outcome (nothing, when all is right). */
function checkProblems(c: DispatchCheck, messages: number, backlog: number): string[] {
  const out: string[] = [];
  if (c.dispatched !== messages) out.push(`${c.dispatched} messages DISPATCHED, expected ${messages}`);
  if (c.attempts !== messages) out.push(`${c.attempts} attempt rows, expected ${messages}`);
  if (c.duplicateAttempts !== 0) out.push(`${c.duplicateAttempts} duplicate attempts`);
  if (c.dispatchedWithoutAttempt !== 0) out.push(`${c.dispatchedWithoutAttempt} DISPATCHED messages without exactly one attempt`);
  if (c.withoutProviderCallId !== 0) out.push(`${c.withoutProviderCallId} attempts without a provider call id`);
  if (c.queuedDue !== 0) out.push(`${c.queuedDue} messages still QUEUED and due`);
  if (c.queuedLater !== backlog) out.push(`${c.queuedLater} messages QUEUED for later, expected the backlog of ${backlog}`);
  if (c.other !== 0) out.push(`${c.other} messages neither QUEUED nor DISPATCHED`);
  if (c.counterDispatched !== messages) out.push(`the DISPATCHED counter says ${c.counterDispatched}, expected ${messages}`);
  return out;
}

/** The claim's plan with the backlog in place: the scheduler's own claim, EXPLAIN ANALYZE'd, rolled back. */
async function explainNote(url: string, claimBatch: number): Promise<string> {
  let captured: { sql: string; parameters: readonly unknown[] } | undefined;
  const { pool } = createDb({ connectionString: url, max: 1, statementTimeoutMs: 120_000, connectTimeoutMs: 10_000 });
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    log: (event) => {
      if (/cross join lateral/i.test(event.query.sql)) captured ??= { sql: event.query.sql, parameters: event.query.parameters };
    },
  });
  const options = schedulerOptions(claimBatch);
  try {
    // The claim as runDispatchRound makes it after reserving a whole batch of the running
    // campaign's slots, in a transaction rolled back: it only serves to capture the statement and
    // its parameters.
    await db
      .transaction()
      .execute(async (trx) => {
        const campaigns = await trx.selectFrom('campaigns').select('id').where('status', '=', 'RUNNING').execute();
        await claimDueMessages(trx, new Date(), campaigns.map((c) => ({ id: '0', campaignId: c.id, slots: options.perCampaign })));
        throw new RolledBack();
      })
      .catch((e: unknown) => {
        if (!(e instanceof RolledBack)) throw e;
      });
    if (captured === undefined) return 'claim plan: the claim statement was not seen in the query log';
    const c = await pool.connect();
    try {
      await c.query('begin');
      const rows = (await c.query<{ 'QUERY PLAN': string }>(`explain (analyze, buffers) ${captured.sql}`, [...captured.parameters])).rows;
      await c.query('rollback');
      const plan = rows.map((r) => r['QUERY PLAN']);
      const text = plan.join('\n');
      const walks = /Index (Only )?Scan using message_queue_pkey/.test(text) && !/Seq Scan on (messages|message_queue)/.test(text);
      const execution = /Execution Time: ([\d.]+) ms/.exec(text)?.[1];
      return (
        `claim plan with the backlog and the due messages in place (the scheduler's own claim statement, EXPLAIN (ANALYZE, BUFFERS), ` +
        `rolled back; execution ${execution ?? '?'} ms) — walks the due queue's primary key (message_queue_pkey), no scan of messages: ${walks ? 'yes' : 'NO'}; ` +
        `how it reads messages: ${messageScans(plan).join('; ')}:\n${plan.map((l) => `      ${l}`).join('\n')}`
      );
    } finally {
      c.release();
    }
  } finally {
    await db.destroy();
  }
}

class RolledBack extends Error {}

/** Each scan of `messages` in a text plan, with its actual rows, rows filtered out and time. */
function messageScans(plan: readonly string[]): string[] {
  const out: string[] = [];
  plan.forEach((line, i) => {
    const scan = /((?:Seq Scan|Index Scan|Index Only Scan|Bitmap Index Scan|Bitmap Heap Scan)\b[^(]*\bon (?:messages|messages_\w+)\b[^(]*)\(.*actual time=[\d.]+\.\.([\d.]+) rows=(\d+)/.exec(line);
    if (scan === null) return;
    const depth = line.search(/\S/);
    let removed = '';
    for (const next of plan.slice(i + 1)) {
      if (next.search(/\S/) <= depth || /->/.test(next)) break;
      const r = /Rows Removed by Filter: (\d+)/.exec(next);
      if (r !== null) removed = `, ${Number(r[1]).toLocaleString('en-US')} rows read and filtered out`;
    }
    out.push(`${(scan[1] as string).trim()} → ${Number(scan[3]).toLocaleString('en-US')} rows in ${scan[2]} ms${removed}`);
  });
  return out;
}

function perSecondOf(runs: readonly Run[]): number {
  return median(runs.map((r) => r.perSecond));
}

function fmt(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 0 });
}

function describeRun(r: Run): string {
  const first = r.result.firstMs === null ? 'n/a' : `${r.result.firstMs.toFixed(0)} ms`;
  const pct = (v: number | undefined): string => (v === undefined ? 'n/a' : `${Math.round(v * 100)} %`);
  return (
    `${r.label}: ${fmt(r.result.count)} in ${(r.result.ms / 1000).toFixed(2)} s = ${fmt(r.perSecond)}/s ` +
    `(first ${r.side === 'outreach' ? 'dial' : 'job'} after ${first}); RSS ${r.rss.startMb.toFixed(0)} → peak ${r.rss.peakMb.toFixed(0)} → end ${r.rss.endMb.toFixed(0)} MB; ` +
    `CPU (100 % = one core): ${r.side} process ${pct(r.cpu.service)}, postgres ${pct(r.cpu.postgres)}, ` +
    `bench ${pct(r.cpu.benchProcess)}, others ${pct(r.cpu.other)}`
  );
}

/** Where our rounds' time went, from the run given (the median one). */
function describePhases(r: Run): string[] {
  const p = r.result.phases;
  if (p === undefined) return [];
  const wall = r.result.ms;
  const dialing = p.rounds - p.emptyRounds;
  const lines = [
    `where the time went in "${r.label}" (${fmt(r.perSecond)}/s, wall ${(wall / 1000).toFixed(2)} s): ${p.rounds} rounds over ${r.result.details.schedulers} scheduler(s), ` +
      `${dialing} that dialed and ${p.emptyRounds} that claimed nothing (${(p.emptyRoundsMs / 1000).toFixed(2)} s: the other scheduler was reserving the campaign's slots); ` +
      `summed over the rounds that dialed: start → first dial (reconcile, housekeeping, claim, decide, record, commit) ${(p.beforeDialMs / 1000).toFixed(2)} s ` +
      `(${(p.beforeDialMs / Math.max(1, dialing)).toFixed(0)} ms a round), first dial → round end (the dials themselves run beside the next round) ` +
      `${(p.dialAndAfterMs / 1000).toFixed(2)} s (${(p.dialAndAfterMs / Math.max(1, dialing)).toFixed(0)} ms a round); the claim→decide→record part alone, ` +
      `run one round at a time, would sustain ${fmt(r.result.count / (p.beforeDialMs / 1000))} msgs/s (the schedulers' rounds overlap, so the run beats it)`,
  ];
  const total = p.queries.reduce((a, q) => a + q.totalMs, 0);
  const rows = p.queries
    .slice(0, 14)
    .map((q) => `${q.label}: ${fmt(q.count)} × ${(q.totalMs / q.count).toFixed(2)} ms = ${(q.totalMs / 1000).toFixed(2)} s`);
  lines.push(`query time by statement (client-side, summed over connections: ${(total / 1000).toFixed(2)} s in all): ${rows.join('; ')}`);
  return lines;
}

function schedulerResult(s: SchedulerBenchSettings, rounds: number, runs: readonly Run[], extra: readonly string[]): BenchResult {
  const oursA = runs.filter((r) => r.side === 'outreach' && r.backlog === 0);
  const oursB = runs.filter((r) => r.side === 'outreach' && r.backlog > 0);
  const boss = runs.filter((r) => r.side === 'pg-boss');
  const gw = runs.filter((r) => r.side === 'graphile-worker');
  const ours = perSecondOf(oursA);
  const size = `${fmt(s.messages)}`;
  const bossDetails = boss[0]?.readyDetails ?? {};
  const gwDetails = gw[0]?.readyDetails ?? {};
  const pgBossBaseline: Baseline = {
    label: 'pg-boss 12.35.0',
    value: perSecondOf(boss),
    unit: 'jobs/s',
    method:
      `${size} no-op jobs inserted with insert() in batches of 10,000 (not timed), worked with work() ` +
      `batchSize ${bossDetails.batchSize}, localConcurrency ${bossDetails.localConcurrency}, burstWhenBatchFull, pool max ${bossDetails.max}, ` +
      `schedule and supervise off; timed from work() to every job 'completed' in its table; median of ${boss.length} run(s), own schema ${PG_BOSS_SCHEMA}`,
  };
  const gwBaseline: Baseline = {
    label: 'graphile-worker 0.17.3',
    value: perSecondOf(gw),
    unit: 'jobs/s',
    method:
      `${size} no-op jobs added with addJobs() in batches of 10,000 (not timed), worked by run() with concurrency ${gwDetails.concurrency}, ` +
      `localQueue.size ${gwDetails.localQueueSize}, completeJobBatchDelay ${gwDetails.completeJobBatchDelay} ms, maxPoolSize ${gwDetails.maxPoolSize}, ` +
      `prepared statements and database time (defaults); timed from run() to no job left in its table; median of ${gw.length} run(s), own schema ${GRAPHILE_SCHEMA}`,
  };
  const oursWithoutBacklog: Baseline = {
    label: 'ours, no backlog',
    value: ours,
    unit: 'msgs/s',
    method: `the same ${size} due messages without the backlog; median of the ${oursA.length} runs (${rounds} in the comparison rounds, 1 after the backlog runs)`,
  };
  const backlogValue = perSecondOf(oursB);
  // RSS of the scheduler's process while it works behind the backlog (a campaign of backlog + N messages).
  const rssRuns = oursB.length > 0 ? oursB : oursA;
  const startMb = median(rssRuns.map((r) => r.rss.startMb));
  const peakMb = Math.max(...rssRuns.map((r) => r.rss.peakMb));
  const rssBaseline: Baseline = {
    label: 'start-up RSS',
    value: startMb,
    unit: 'MB',
    method: `VmRSS of the scheduler's child process once it is ready (modules loaded, pools open), before the first round`,
  };
  const label = `scheduler claim→decide→dial→record, ${size} msgs`;
  const figures = [
    figure('scheduler.vs_pgboss', `${label} vs pg-boss`, ours, 'msgs/s', pgBossBaseline, TARGET_VS_PEER),
    figure('scheduler.vs_graphile_worker', `${label} vs graphile-worker`, ours, 'msgs/s', gwBaseline, TARGET_VS_PEER),
    figure('scheduler.backlog', `the same behind ${fmt(s.backlog)} not-yet-due`, backlogValue, 'msgs/s', oursWithoutBacklog, TARGET_BACKLOG),
    figure('scheduler.rss_peak', `scheduler RSS peak, campaign of ${fmt(s.backlog + s.messages)}`, peakMb, 'MB', rssBaseline),
  ];
  const medianRun = (list: readonly Run[]): Run | undefined => [...list].sort((a, b) => a.perSecond - b.perSecond)[Math.floor((list.length - 1) / 2)];
  const notes = [
    `ours: ${s.schedulers} Scheduler(s) in one child process, each on its own pool of ${OUTREACH_POOL} connections (createDb), calling runRoundBesideDials() in a loop ` +
      `(a round that dialed nothing waits 1–5 ms); options claimBatch ${s.claimBatch}, perCampaign ${s.claimBatch}, callerIdCap 0, housekeeping every 5 s; ` +
      `a no-op provider (dial resolves { providerCallId } at once, never reports); one RUNNING campaign (UTC, every day, whole day, max_call_attempts 1, ` +
      `max_concurrent_calls ${fmt(MAX_CONCURRENT_CALLS)}) with ${size} QUEUED messages due in the last minute, seeded by SQL with the counter triggers on, then vacuum (analyze) + checkpoint; ` +
      `timed from the first round until every scheduler has settled its dials (the last provider call id recorded)`,
    `checked after every run of ours: ${size} DISPATCHED, ${size} attempt rows, no message with two attempts and no attempt key twice, every attempt with its provider call id, ` +
      `nothing due left QUEUED, the backlog untouched, the DISPATCHED counter equal — ${runs.filter((r) => r.check !== undefined).length} of ${oursA.length + oursB.length} runs checked, all right`,
    ...runs.map(describeRun),
    ...extra,
    ...(medianRun(oursA) ? describePhases(medianRun(oursA) as Run) : []),
    ...(medianRun(oursB) ? describePhases(medianRun(oursB) as Run) : []),
    ...rssNotes(rssRuns, s),
    `every side in a child process of its own (node --import tsx), one at a time, order by round: ours, pg-boss, graphile-worker, then the reverse; a checkpoint before each run`,
  ];
  return { name: 'scheduler', figures, notes };
}

/**
 * The RSS of the scheduler's process over a run that dispatches a whole campaign: the growth over
 * the second half of the run (a leak grows with the messages handled; a flat RSS does not), beside
 * the RSS at half-time, with samples at every tenth of the run in the notes.
 */
function withWholeCampaignRss(result: BenchResult, run: Run): BenchResult {
  const at = (fraction: number): number => {
    const t = run.result.ms * fraction;
    return run.rss.samples.filter((x) => x.atMs <= t).at(-1)?.mb ?? run.rss.startMb;
  };
  const half = at(0.5);
  const count = run.check?.dispatched ?? 0;
  const growth = figure(
    'scheduler.rss_growth_whole_campaign',
    `scheduler RSS growth over the second half of dispatching ${fmt(count)} messages`,
    run.rss.endMb - half,
    'MB',
    { label: 'RSS at half-time', value: half, unit: 'MB', method: `VmRSS of the scheduler's child process halfway through the run` },
  );
  const tenths = Array.from({ length: 11 }, (_, i) => `${i * 10} % ${at(i / 10).toFixed(0)}`).join(', ');
  return {
    ...result,
    figures: [...result.figures, growth],
    notes: [
      ...result.notes,
      `whole campaign: ${fmt(count)} due messages dispatched in ${(run.result.ms / 1000).toFixed(1)} s = ${fmt(Math.round(run.perSecond))}/s by the same ` +
        `${run.readyDetails.schedulers ?? ''} scheduler(s); RSS in MB at each tenth of the run (start-up ${run.rss.startMb.toFixed(0)}, peak ${run.rss.peakMb.toFixed(0)}): ${tenths}; ` +
        `checked: ${fmt(count)} DISPATCHED with one attempt each`,
    ],
  };
}

/** RSS over the runs behind the backlog: start-up, after a quarter of the run, peak, end, and the growth over the second half. */
function rssNotes(runs: readonly Run[], s: SchedulerBenchSettings): string[] {
  return runs.map((r) => {
    const samples = r.rss.samples;
    const at = (fraction: number): number => {
      const t = r.result.ms * fraction;
      const near = samples.filter((x) => x.atMs <= t).at(-1);
      return near?.mb ?? r.rss.startMb;
    };
    const half = at(0.5);
    return (
      `RSS of "${r.label}" (campaign of ${fmt(s.backlog + s.messages)} messages, ${samples.length} samples every ${RSS_SAMPLE_MS} ms): start-up ${r.rss.startMb.toFixed(1)} MB, ` +
      `at 25 % of the run ${at(0.25).toFixed(1)}, at 50 % ${half.toFixed(1)}, peak ${r.rss.peakMb.toFixed(1)}, end ${r.rss.endMb.toFixed(1)} MB ` +
      `(growth over the second half ${(r.rss.endMb - half).toFixed(1)} MB)`
    );
  });
}
