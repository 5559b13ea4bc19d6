/**
 * `npm run soak [-- --minutes N]`: a compressed soak (10 minutes by default), not part of `npm test`.
 *
 * The service runs as `npm start` runs it — its own process, scheduler and webhook loop on, the
 * simulated provider with 1 s calls — on a fresh embedded PostgreSQL. For the whole time this
 * process drives a mixed load at it:
 * - SendMessage at 40 requests/s to an API campaign;
 * - AddRecipients of 300 rows every 15 s, each batch a BULK campaign of its own (one completes once
 *   its audience is done);
 * - GetCampaignStats of both every 2 s;
 * - outcomes, reported by the simulated provider through the outcome path;
 * - webhooks, to a receiver in this process.
 *
 * It samples the service's RSS every 5 s, and `/healthz` latency every second (the service's
 * event-loop lag as a client sees it). Then it stops the load and lets the service drain. It checks
 * that no message is stuck, that the counters are exact, and that every webhook was delivered, and
 * it prints the figures. The exit code is 1 when a check fails.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { Cleanup, cleanUpOnSignal, tempFolder } from '../bench/cleanup';
import { startBenchDatabase } from '../bench/database';
import { createBenchTenant, phoneNumber } from '../bench/fixtures';
import { post } from '../bench/rpc-client';
import { startService } from '../bench/service-process';

const SEND_PER_SECOND = 40;
const RECIPIENTS_EVERY_MS = 15_000;
const RECIPIENT_ROWS = 300;

const log = (line: string): void => void process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

async function main(): Promise<number> {
  const minutes = readMinutes(process.argv.slice(2));
  const cleanup = new Cleanup();
  const interrupted = cleanUpOnSignal(cleanup, log);
  try {
    return await soak(cleanup, minutes);
  } finally {
    if (!interrupted()) await cleanup.run();
  }
}

function readMinutes(argv: readonly string[]): number {
  const i = argv.indexOf('--minutes');
  if (i < 0) return 10;
  const value = Number(argv[i + 1]);
  if (!Number.isFinite(value) || value <= 0) throw new Error('--minutes needs a positive number');
  return value;
}

async function soak(cleanup: Cleanup, minutes: number): Promise<number> {
  const tmp = await tempFolder(cleanup, 'outreach-soak-', 'remove the temp folder');
  const db = await startBenchDatabase(cleanup, log);
  const tenant = await createBenchTenant(db.url);
  const receiver = await startReceiver(cleanup);
  // As `npm start` runs: scheduler and webhooks on (the bench's service keeps them off).
  Object.assign(process.env, {
    BENCH_SERVICE_OUTREACH_SCHEDULER_ENABLED: 'true',
    BENCH_SERVICE_OUTREACH_WEBHOOKS_ENABLED: 'true',
    BENCH_SERVICE_OUTREACH_SIM_CALL_SECONDS: '1',
    BENCH_SERVICE_OUTREACH_CALLER_ID_MAX_CONCURRENT: '0',
    BENCH_SERVICE_OUTREACH_SCHEDULER_POLL_MS: '200',
  });
  const dataDir = path.join(tmp, 'service');
  await fs.mkdir(dataDir);
  const service = await startService(cleanup, { databaseUrl: db.url, dataDir, apiKey: `soak_${randomBytes(16).toString('hex')}` });
  log(`service up at ${service.url} (pid ${service.pid}); ${minutes} min of load`);
  const api = new Api(service.url, tenant.apiKey);
  const settings = { assistant_id: 'asst_soak', phone_number_id: '+14155550100', timezone: 'UTC', max_concurrent_calls: 200, webhook_url: receiver.url };
  const apiCampaign = await api.call<{ campaign_id: string }>('CreateCampaign', { name: 'soak api', trigger: 'API', ...settings });
  await api.call('StartCampaign', { campaign_id: apiCampaign.campaign_id });
  // A BULK campaign completes once its audience is done, so each batch of recipients gets one.
  const campaigns = [apiCampaign];
  let bulkCampaign = apiCampaign;

  const samples = { rss: [] as { atMin: number; mb: number }[], health: [] as number[], errors: new Map<string, number>() };
  const t0 = performance.now();
  const end = t0 + minutes * 60_000;
  const elapsedMin = () => (performance.now() - t0) / 60_000;
  const failed = (what: string) => samples.errors.set(what, (samples.errors.get(what) ?? 0) + 1);
  let sent = 0;
  let added = 0;
  const every = async (ms: number, task: () => Promise<void>): Promise<void> => {
    for (let next = performance.now(); performance.now() < end; next += ms) {
      await task().catch((e: unknown) => failed((e as Error).message.slice(0, 80)));
      await sleep(Math.max(0, next + ms - performance.now()));
    }
  };
  await Promise.all([
    every(1_000 / SEND_PER_SECOND, async () => {
      await api.call('SendMessage', { CampaignID: apiCampaign.campaign_id, To: { PhoneNumber: phoneNumber(sent++) }, Callback: { URL: `${receiver.url}?cb`, State: { n: sent } } });
    }),
    every(RECIPIENTS_EVERY_MS, async () => {
      const bulk = await api.call<{ campaign_id: string }>('CreateCampaign', { name: `soak bulk ${campaigns.length}`, trigger: 'BULK', ...settings });
      campaigns.push(bulk);
      const rows = Array.from({ length: RECIPIENT_ROWS }, (_, i) => ({ phone_number: phoneNumber(4_000_000 + added + i) }));
      added += RECIPIENT_ROWS;
      await api.call('AddRecipients', { campaign_id: bulk.campaign_id, recipients: rows });
      await api.call('StartCampaign', { campaign_id: bulk.campaign_id });
      bulkCampaign = bulk;
    }),
    every(2_000, async () => {
      for (const c of [apiCampaign, bulkCampaign]) await api.call('GetCampaignStats', { campaign_id: c.campaign_id });
    }),
    every(1_000, async () => {
      const start = performance.now();
      const res = await fetch(`${service.url}/healthz`);
      if (res.status !== 200) throw new Error(`healthz ${res.status}`);
      samples.health.push(performance.now() - start);
    }),
    every(5_000, async () => {
      const mb = service.rssMb();
      if (mb !== undefined) samples.rss.push({ atMin: elapsedMin(), mb });
      log(`${elapsedMin().toFixed(1)} min: ${sent} sent, ${added} added, ${receiver.events.size} webhook events, RSS ${mb?.toFixed(0) ?? '?'} MB`);
    }),
  ]);

  log('load stopped; draining');
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  cleanup.defer('close the soak client', () => client.end());
  const drained = await waitFor(async () => {
    const r = await client.query<{ n: string }>(
      `select (select count(*) from messages where status = 'DISPATCHED' or (status = 'QUEUED' and next_attempt_at <= now()))
            + (select count(*) from webhook_deliveries where state = 'PENDING') as n`,
    );
    return Number(r.rows[0]?.n) === 0;
  }, 120_000);
  const notCompleted = Number(
    (await client.query<{ n: string }>(`select count(*) as n from campaigns where trigger = 'BULK' and status <> 'COMPLETED'`)).rows[0]?.n,
  );
  const truth = await client.query<{ campaign_id: string; status: string; n: string }>(
    `select campaign_id, status, count(*) as n from messages group by 1, 2`,
  );
  const exact: string[] = [];
  for (const c of campaigns) {
    const stats = await api.call<Record<string, number>>('GetCampaignStats', { campaign_id: c.campaign_id });
    const rows = truth.rows.filter((r) => r.campaign_id === c.campaign_id);
    const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
    const expected = { queued: count('QUEUED'), dispatched: count('DISPATCHED'), succeeded: count('SUCCEEDED'), failed: count('FAILED') };
    const got = { queued: stats.queued ?? 0, dispatched: stats.dispatched ?? 0, succeeded: stats.succeeded ?? 0, failed: stats.failed ?? 0 };
    if (JSON.stringify(expected) !== JSON.stringify(got)) exact.push(`${c.campaign_id}: stats ${JSON.stringify(got)} vs rows ${JSON.stringify(expected)}`);
  }
  const events = Number((await client.query<{ n: string }>('select count(*) as n from webhook_events')).rows[0]?.n);
  const dead = Number((await client.query<{ n: string }>(`select count(*) as n from webhook_deliveries where state = 'DEAD'`)).rows[0]?.n);

  const secondHalf = samples.rss.filter((s) => s.atMin >= minutes / 2);
  const slope = slopePerMinute(secondHalf);
  const sorted = [...samples.health].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  const problems = [
    ...(drained ? [] : ['messages or deliveries still in flight 120 s after the load stopped']),
    ...exact,
    ...(receiver.events.size === events ? [] : [`${events} events written, ${receiver.events.size} received`]),
    ...(dead === 0 ? [] : [`${dead} deliveries dead`]),
    ...(notCompleted === 0 ? [] : [`${notCompleted} BULK campaigns not completed`]),
    ...[...samples.errors].map(([what, n]) => `${n} × ${what}`),
  ];
  const report = [
    '',
    `Outreach soak — ${new Date().toISOString()} — ${minutes} min`,
    `load: ${sent} SendMessage (${SEND_PER_SECOND}/s), ${added} recipients by AddRecipients (${RECIPIENT_ROWS} every ${RECIPIENTS_EVERY_MS / 1000} s, each batch a BULK campaign of its own: ${campaigns.length - 1}, all completed: ${notCompleted === 0 ? 'yes' : 'NO'}), stats every 2 s, 1 s simulated calls, webhooks to a local receiver`,
    `RSS of the service: start ${samples.rss[0]?.mb.toFixed(0)} MB, half-time ${secondHalf[0]?.mb.toFixed(0)} MB, end ${samples.rss.at(-1)?.mb.toFixed(0)} MB, ` +
      `peak ${Math.max(...samples.rss.map((s) => s.mb)).toFixed(0)} MB; trend over the second half ${slope.toFixed(2)} MB/min`,
    `/healthz latency (event-loop lag as a client sees it), ${sorted.length} samples: p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms, max ${(sorted.at(-1) ?? NaN).toFixed(1)} ms`,
    `webhooks: ${events} events, ${receiver.events.size} received (${receiver.requests} requests), ${dead} dead`,
    `drained: ${drained ? 'yes' : 'NO'}; counters exact for all ${campaigns.length} campaigns: ${exact.length === 0 ? 'yes' : 'NO'}`,
    problems.length === 0 ? 'result: PASS' : `result: FAIL\n  ${problems.join('\n  ')}`,
  ];
  process.stdout.write(`${report.join('\n')}\n`);
  return problems.length === 0 ? 0 : 1;
}

/** The tenant's RPCs over one keep-alive agent; a non-200 throws with the answer's code. */
class Api {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  async call<T = unknown>(method: string, body: unknown): Promise<T> {
    const url = new URL(`${this.baseUrl}/twirp/outreach.v1.Campaign/${method}`);
    const res = await post(this.agent, url, { 'content-type': 'application/json', authorization: `Bearer ${this.apiKey}` }, JSON.stringify(body));
    if (res.status !== 200) throw new Error(`${method} ${res.status} ${(JSON.parse(res.body) as { code?: string }).code ?? ''}`);
    return JSON.parse(res.body) as T;
  }
}

/** A receiver in this process that answers 200 and keeps the event ids it saw. */
async function startReceiver(cleanup: Cleanup): Promise<{ url: string; events: Set<string>; requests: number }> {
  const state = { url: '', events: new Set<string>(), requests: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests += 1;
      state.events.add((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { event_id: string }).event_id);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.defer('stop the receiver', () => new Promise<void>((resolve) => server.close(() => resolve())));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return state;
}

/** Least-squares slope of RSS against time, in MB per minute. */
function slopePerMinute(points: readonly { atMin: number; mb: number }[]): number {
  if (points.length < 2) return 0;
  const mx = points.reduce((a, p) => a + p.atMin, 0) / points.length;
  const my = points.reduce((a, p) => a + p.mb, 0) / points.length;
  const num = points.reduce((a, p) => a + (p.atMin - mx) * (p.mb - my), 0);
  const den = points.reduce((a, p) => a + (p.atMin - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await condition()) return true;
    await sleep(500);
  }
  return false;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`soak failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(2);
  },
);
