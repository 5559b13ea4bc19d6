import http from 'node:http';
import { which } from './commands';
import type { BenchContext } from './context';
import { countMessages, resetMessages } from './database';
import { createCampaign, phoneNumber } from './fixtures';
import { runLoad, type LoadResult } from './load';
import { cpuProbe, describeCpu, type CpuSplit } from './machine';
import { figure, type Baseline, type BenchResult, type Figure } from './report';
import { baselineInsertSql, baselineSide, type BaselinePhase, type Side } from './sendmessage-baseline';
import { quantile } from './stats';

/** The ratio DESIGN.md §5 asks of SendMessage throughput against the same INSERT in pgbench. */
const TARGET_RATIO = 0.6;
/** SendMessage numbers start here (phoneNumber index), well clear of the baseline's block. */
const SERVICE_FIRST_INDEX = 4_000_000;

/** What one timed phase of the service measured. */
interface ServicePhase {
  readonly run: LoadResult;
  readonly rows: number;
  readonly cpu: CpuSplit;
}

/** The shape of the timed part: `rounds` rounds of `phaseSeconds` per side. */
interface Schedule {
  readonly rounds: number;
  readonly phaseSeconds: number;
}

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
  const schedule: Schedule = { rounds, phaseSeconds: Math.max(1, Math.floor(settings.durationSeconds / rounds)) };
  const baseline = baselineSide(ctx, pgbench, insert, notes);
  const agent = new http.Agent({ keepAlive: true, maxSockets: c, maxFreeSockets: c });
  const service = serviceSide(ctx, agent, campaignId, scheduled.offset);
  try {
    const rssStart = ctx.service.rssMb();
    if (pgbench === undefined) log('sendmessage: pgbench is not on PATH; the baseline is the equivalent node-postgres loop');
    log(`sendmessage: warm-up, ${settings.warmupSeconds} s baseline + ${settings.warmupSeconds} s service`);
    await baseline.run(settings.warmupSeconds, false);
    await service.run(settings.warmupSeconds, false);
    await runRounds(ctx, schedule, baseline, service);
    await resetMessages(ctx.db.url);
    const rssEnd = ctx.service.rssMb();

    notes.push(...describeRounds(schedule, baseline.runs, service.runs));
    if (rssStart !== undefined && rssEnd !== undefined) {
      notes.push(`service RSS (process group) ${rssStart.toFixed(0)} MB before the SendMessage load, ${rssEnd.toFixed(0)} MB after`);
    }
    if (pgbench === undefined) notes.push('pgbench was not found on PATH: the baseline is the equivalent node-postgres loop, not pgbench');
    const figures = sendMessageFigures(c, pgbench !== undefined, insert, schedule, baseline.runs, service.runs);
    return { name: 'sendmessage', figures, notes };
  } finally {
    agent.destroy();
  }
}

/** The service side: SendMessage load from SERVICE_FIRST_INDEX on, each phase on an empty table. */
function serviceSide(ctx: BenchContext, agent: http.Agent, campaignId: string, scheduledAt: string): Side<ServicePhase> {
  const url = new URL(`${ctx.service.url}/twirp/outreach.v1.Campaign/SendMessage`);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${ctx.apiKey}` };
  const body = (i: number): string => sendMessageBody(campaignId, i, scheduledAt);
  const connections = ctx.settings.connections;
  let nextIndex = SERVICE_FIRST_INDEX;
  const runs: ServicePhase[] = [];
  const run = async (seconds: number, timed: boolean): Promise<void> => {
    await resetMessages(ctx.db.url);
    const stop = cpuProbe(ctx.service.pid, ctx.db.postmasterPid);
    const result = await runLoad({ agent, url, headers, connections, durationMs: seconds * 1000, body, firstIndex: nextIndex });
    const cpu = stop();
    nextIndex += result.used;
    if (result.ok === 0) throw new Error(`SendMessage never answered 200: ${result.firstError ?? 'no answer'}`);
    if (timed) runs.push({ run: result, rows: await countMessages(ctx.db.url), cpu });
  };
  return { runs, run };
}

/** The timed rounds in ABBA order: baseline then service, service then baseline, … */
async function runRounds(ctx: BenchContext, schedule: Schedule, baseline: Side<unknown>, service: Side<unknown>): Promise<void> {
  const { rounds, phaseSeconds } = schedule;
  for (let r = 0; r < rounds; r += 1) {
    const order = r % 2 === 0 ? (['baseline', 'service'] as const) : (['service', 'baseline'] as const);
    for (const phase of order) {
      const who = phase === 'service' ? 'connections' : 'clients';
      ctx.log(`sendmessage: round ${r + 1}/${rounds}: ${phase} ${phaseSeconds} s at ${ctx.settings.connections} ${who}`);
      await (phase === 'baseline' ? baseline : service).run(phaseSeconds, true);
    }
  }
}

/** Both sides: total over total time, latencies pooled over the rounds. */
function sendMessageFigures(
  c: number,
  usesPgbench: boolean,
  insert: string,
  schedule: Schedule,
  baselineRuns: readonly BaselinePhase[],
  serviceRuns: readonly ServicePhase[],
): Figure[] {
  const baselineTps = baselineRuns.reduce((a, b) => a + b.tps, 0) / baselineRuns.length;
  const baselineLatencies = baselineRuns.flatMap((b) => b.latencies).sort((a, b) => a - b);
  const ok = serviceRuns.reduce((a, s) => a + s.run.ok, 0);
  const serviceRps = ok / (schedule.phaseSeconds * serviceRuns.length);
  const serviceLatencies = Float64Array.from(serviceRuns.flatMap((s) => Array.from(s.run.latencies))).sort();

  const method = usesPgbench
    ? `${baselineRuns.at(-1)?.command ?? ''} (script: \\set n :n + 1; ${insert})`
    : `FALLBACK (pgbench not on PATH): ${c} node-postgres connections, each running the same INSERT in a loop ` +
      `(script: ${insert})`;
  const who = usesPgbench ? 'pgbench' : 'node-pg loop';
  const tpsBaseline: Baseline = {
    label: usesPgbench ? 'pgbench tps' : 'node-pg INSERT loop tps (fallback)',
    value: baselineTps,
    unit: 'req/s',
    method,
  };
  const latencyBaseline = (q: number, name: string): Baseline => ({
    label: `${who} ${name}`,
    value: quantile(baselineLatencies, q),
    unit: 'ms',
    method: `per-transaction latency of the same ${who} runs${usesPgbench ? ' (pgbench --log)' : ''}`,
  });
  return [
    figure('sendmessage.throughput', `SendMessage throughput, ${c} conns`, serviceRps, 'req/s', tpsBaseline, TARGET_RATIO),
    figure('sendmessage.p50', `SendMessage p50 latency, ${c} conns`, quantile(serviceLatencies, 0.5), 'ms', latencyBaseline(0.5, 'p50')),
    figure('sendmessage.p99', `SendMessage p99 latency, ${c} conns`, quantile(serviceLatencies, 0.99), 'ms', latencyBaseline(0.99, 'p99')),
  ];
}

/** Per-round figures, each service round's counts and errors, and the CPU split of the last round. */
function describeRounds(schedule: Schedule, baselineRuns: readonly BaselinePhase[], serviceRuns: readonly ServicePhase[]): string[] {
  const { rounds, phaseSeconds } = schedule;
  const order = Array.from({ length: rounds }, (_, r) => (r % 2 === 0 ? 'AB' : 'BA')).join('');
  const notes = [
    `${rounds} round(s) of ${phaseSeconds} s per side, order ${order} ` +
      `(A = baseline, B = service); baseline tps per round: ${baselineRuns.map((b) => b.tps.toFixed(0)).join(', ')}; ` +
      `service req/s per round: ${serviceRuns.map((s) => (s.run.ok / s.run.seconds).toFixed(0)).join(', ')}`,
  ];
  for (const [i, s] of serviceRuns.entries()) notes.push(...describeRun(i + 1, s.run, s.rows));
  notes.push(`CPU during the baseline (last round): ${describeCpu((baselineRuns.at(-1) as { cpu: CpuSplit }).cpu)}`);
  notes.push(`CPU during the service (last round): ${describeCpu((serviceRuns.at(-1) as { cpu: CpuSplit }).cpu)}`);
  return notes;
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

/** Tomorrow 11:52:30 at +05:30 (as in DESIGN.md), and the same instant in UTC for the baseline. */
function scheduledTomorrow(): { offset: string; utc: string } {
  const tomorrow = new Date(Date.now() + 24 * 3600 * 1000);
  const day = tomorrow.toISOString().slice(0, 10);
  const offset = `${day}T11:52:30+05:30`;
  return { offset, utc: new Date(offset).toISOString() };
}
