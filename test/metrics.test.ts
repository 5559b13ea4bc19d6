import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type pg from 'pg';
import type { Database } from '../server/db/database';
import { createDb } from '../server/db/pool';
import { createLogger } from '../server/logger';
import { createMetrics, type Metrics } from '../server/metrics/metrics';
import { countDueMessages, dueMessagesQuery } from '../server/metrics/metrics.repository';
import { Scheduler } from '../server/scheduler/scheduler';
import { ManualClock } from '../server/shared/clock';
import { DeliveryLoop } from '../server/webhooks/delivery-loop';
import { callOk, campaignCaller, type CampaignCall } from './support/campaign-fixtures';
import { createTestDatabase, type TestDatabase } from './support/database';
import { phone } from './support/message-fixtures';
import { parseExposition, totalOf, valueOf, type Scrape } from './support/prometheus-text';
import { planNodes, type PlanNode } from './support/query-plan';
import { trackOpen } from './support/resources';
import { rpc } from './support/rpc';
import { MINUTE, NY, SCHEDULER_OPTIONS, SilentProvider, at, reportOverRpc, retireEverything, runningCampaign, sendAt } from './support/scheduler-fixtures';
import { createTestTenant, startTestServer, type TestServer } from './support/server';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * `GET /metrics` over real HTTP: RPCs (ok, errors, unknown routes), a scheduler round driven on a
 * manual clock, outcomes reported over the API, webhook tries against a real receiver, the due
 * gauge and the pool — each counter checked to move by exactly what was done.
 */
const T0 = at('2027-01-04T10:00');
const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
let database: TestDatabase;
let own: { db: Kysely<Database>; pool: pg.Pool };
let closeOwn: () => void;
let clock: ManualClock;
let metrics: Metrics;
let server: TestServer;
let apiKey: string;
let call: CampaignCall;

beforeAll(async () => {
  database = await createTestDatabase();
  // A pool of the test's own, so that the pool gauge can be checked against it.
  own = createDb({ connectionString: database.url, max: 4, statementTimeoutMs: 30_000, connectTimeoutMs: 5_000 });
  closeOwn = trackOpen('metrics test pool');
  clock = new ManualClock(T0);
  metrics = createMetrics({ db: own.db, clock, pool: own.pool, processMetrics: true });
  server = await startTestServer(own.db, { metrics });
  ({ apiKey } = await createTestTenant(own.db, 'metrics'));
  call = campaignCaller(server.url, apiKey);
});

afterAll(async () => {
  await server?.close();
  await own?.db.destroy();
  closeOwn?.();
  await database?.drop();
});

afterEach(() => retireEverything(own.db));

async function scrape(url = server.url): Promise<Scrape> {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(await res.text());
}

/** How much each named sample moved between two scrapes. */
function moved(before: Scrape, after: Scrape, name: string, labels: Record<string, string> = {}): number {
  return valueOf(after, name, labels) - valueOf(before, name, labels);
}

const rpcCount = (service: string, method: string, code: string) => ['outreach_rpc_requests_total', { service, method, code }] as const;

it('counts every RPC by service, method and code, errors and unknown routes included, and nothing else', async () => {
  const before = await scrape();
  const created = await callOk(call, 'CreateCampaign', { name: 'metrics rpc', assistant_id: 'a', phone_number_id: '+14155550100', timezone: NY });
  await callOk(call, 'GetCampaign', { campaign_id: created.campaign_id });
  expect((await call('GetCampaign', { campaign_id: created.campaign_id }, { route: 'compat' })).status).toBe(200);
  expect((await call('GetCampaign', { campaign_id: randomUUID() })).body.code).toBe('not_found');
  expect((await rpc(server.url, 'Campaign', 'ListCampaigns', {})).body.code).toBe('unauthenticated');
  expect((await call('ListCampaigns', {}, { method: 'GET' })).body.code).toBe('bad_route');
  expect((await rpc(server.url, 'NoSuchService', 'Anything', {}, { key: apiKey })).body.code).toBe('bad_route');
  expect((await call('NoSuchMethod', {})).body.code).toBe('bad_route');
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  const after = await scrape();

  const expected: [readonly [string, Record<string, string>], number][] = [
    [rpcCount('Campaign', 'CreateCampaign', 'ok'), 1],
    [rpcCount('Campaign', 'GetCampaign', 'ok'), 2],
    [rpcCount('Campaign', 'GetCampaign', 'not_found'), 1],
    [rpcCount('Campaign', 'ListCampaigns', 'unauthenticated'), 1],
    [rpcCount('Campaign', 'ListCampaigns', 'bad_route'), 1],
    [rpcCount('unknown', 'unknown', 'bad_route'), 2],
  ];
  for (const [[name, labels], n] of expected) expect({ labels, moved: moved(before, after, name, labels) }).toEqual({ labels, moved: n });
  // Eight RPCs in all: the scrapes and /healthz are not RPCs.
  expect(totalOf(after, 'outreach_rpc_requests_total') - totalOf(before, 'outreach_rpc_requests_total')).toBe(8);
  expect(moved(before, after, 'outreach_rpc_duration_seconds_count', { service: 'Campaign', method: 'GetCampaign' })).toBe(3);
  expect(moved(before, after, 'outreach_rpc_duration_seconds_bucket', { service: 'Campaign', method: 'GetCampaign', le: '+Inf' })).toBe(3);
});

it('counts a round, its claims and dials, then the outcomes reported; the due gauge counts due messages of running campaigns only', async () => {
  const campaignId = await runningCampaign(call);
  for (let i = 0; i < 3; i += 1) await sendAt(call, campaignId, phone(i, 1), new Date(T0.getTime() - MINUTE));
  await sendAt(call, campaignId, phone(3, 1), new Date(T0.getTime() + 24 * 60 * MINUTE));
  const paused = await runningCampaign(call);
  await sendAt(call, paused, phone(4, 1), new Date(T0.getTime() - MINUTE));
  await callOk(call, 'PauseCampaign', { campaign_id: paused });

  const before = await scrape();
  expect(valueOf(before, 'outreach_messages_due')).toBe(3);
  const provider = new SilentProvider();
  const scheduler = new Scheduler({ db: own.db, clock, provider, log, options: SCHEDULER_OPTIONS, metrics });
  await scheduler.runRound();
  const afterRound = await scrape();
  expect(provider.dials).toHaveLength(3);
  expect(moved(before, afterRound, 'outreach_scheduler_rounds_total')).toBe(1);
  expect(moved(before, afterRound, 'outreach_scheduler_claimed_total')).toBe(3);
  expect(moved(before, afterRound, 'outreach_scheduler_dials_total')).toBe(3);
  expect(moved(before, afterRound, 'outreach_scheduler_decisions_total', { decision: 'dial', reason: '' })).toBe(3);
  expect(totalOf(afterRound, 'outreach_scheduler_decisions_total') - totalOf(before, 'outreach_scheduler_decisions_total')).toBe(3);
  expect(moved(before, afterRound, 'outreach_scheduler_round_errors_total')).toBe(0);
  expect(moved(before, afterRound, 'outreach_scheduler_round_duration_seconds_count')).toBe(1);
  expect(valueOf(afterRound, 'outreach_messages_due')).toBe(0);

  const [first, second] = provider.dials;
  const report = (attemptKey: string, outcome: string) => reportOverRpc(server.url, apiKey, { attempt_key: attemptKey, outcome, duration_seconds: 5 });
  expect((await report(first!.attemptKey, 'COMPLETED')).body.duplicate).toBe(false);
  expect((await report(second!.attemptKey, 'BUSY')).body.duplicate).toBe(false);
  expect((await report(first!.attemptKey, 'COMPLETED')).body.duplicate).toBe(true);
  const afterReports = await scrape();
  expect(moved(afterRound, afterReports, 'outreach_call_outcomes_total', { outcome: 'COMPLETED', status: 'SUCCEEDED' })).toBe(1);
  // One attempt allowed (the default): a busy line ends the message.
  expect(moved(afterRound, afterReports, 'outreach_call_outcomes_total', { outcome: 'BUSY', status: 'FAILED' })).toBe(1);
  expect(totalOf(afterReports, 'outreach_call_outcomes_total') - totalOf(afterRound, 'outreach_call_outcomes_total')).toBe(2);
});

it('counts a failed round as a round and an error', async () => {
  const unreachable = createDb({ connectionString: 'postgres://nobody@127.0.0.1:1/none', max: 1, statementTimeoutMs: 1_000, connectTimeoutMs: 500 });
  try {
    const scheduler = new Scheduler({ db: unreachable.db, clock, provider: new SilentProvider(), log, options: SCHEDULER_OPTIONS, metrics });
    const before = await scrape();
    await expect(scheduler.runRound()).rejects.toThrow();
    const after = await scrape();
    expect(moved(before, after, 'outreach_scheduler_rounds_total')).toBe(1);
    expect(moved(before, after, 'outreach_scheduler_round_errors_total')).toBe(1);
    expect(moved(before, after, 'outreach_scheduler_claimed_total')).toBe(0);
  } finally {
    await unreachable.db.destroy();
  }
});

it('counts webhook tries as delivered, retried or dead', async () => {
  const receiver = new WebhookReceiver();
  await receiver.start();
  // Per message: the first number's events are taken, the second's fail for now, the third's are gone for good.
  const statusFor = (body: Record<string, unknown>): number =>
    body.phone_number === `+${phone(1, 2)}` ? 500 : body.phone_number === `+${phone(2, 2)}` ? 410 : 200;
  receiver.answer = (request) => ({ status: statusFor(request.json) });
  try {
    const campaignId = await runningCampaign(call, { webhook_url: receiver.url });
    for (let i = 0; i < 3; i += 1) await sendAt(call, campaignId, phone(i, 2), new Date(T0.getTime() - MINUTE));
    await new Scheduler({ db: own.db, clock, provider: new SilentProvider(), log, options: SCHEDULER_OPTIONS, metrics }).runRound();
    const loop = new DeliveryLoop({ db: own.db, clock, log, metrics, options: { batch: 100, pollIntervalMs: 1_000, timeoutMs: 2_000, allowPrivate: true } });
    const before = await scrape();
    const tried = await loop.runOnce();
    const after = await scrape();
    const statuses = receiver.received.map((r) => statusFor(r.json));
    expect(tried).toBe(statuses.length);
    expect(statuses.filter((s) => s === 500)).toHaveLength(1);
    expect(statuses.filter((s) => s === 410)).toHaveLength(1);
    const result = (r: string) => moved(before, after, 'outreach_webhook_deliveries_total', { result: r });
    expect({ delivered: result('delivered'), retry: result('retry'), dead: result('dead') }).toEqual({
      delivered: statuses.filter((s) => s === 200).length,
      retry: 1,
      dead: 1,
    });
    expect(moved(before, after, 'outreach_webhook_delivery_duration_seconds_count')).toBe(tried);
  } finally {
    await receiver.stop();
  }
});

it("reports the pool's connections and the process's event-loop lag", async () => {
  const after = await scrape();
  const total = valueOf(after, 'outreach_db_pool_connections', { state: 'total' });
  expect(total).toBeGreaterThanOrEqual(1);
  expect(total).toBeLessThanOrEqual(4);
  expect(valueOf(after, 'outreach_db_pool_connections', { state: 'idle' })).toBeLessThanOrEqual(total);
  expect(valueOf(after, 'outreach_db_pool_connections', { state: 'waiting' })).toBe(0);
  expect(after.types.get('outreach_nodejs_eventloop_lag_seconds')).toBe('gauge');
  expect(after.samples.some((s) => s.name === 'outreach_nodejs_eventloop_lag_p99_seconds')).toBe(true);
  expect(after.types.get('outreach_process_cpu_seconds_total')).toBe('counter');
});

it('exposes well-formed families only: prefixed, typed, described, counters ending _total', async () => {
  const after = await scrape();
  expect(after.samples.length).toBeGreaterThan(50);
  for (const [family, type] of after.types) {
    expect({ family, prefixed: family.startsWith('outreach_') }).toEqual({ family, prefixed: true });
    expect({ family, help: (after.helps.get(family) ?? '') !== '' }).toEqual({ family, help: true });
    if (type === 'counter') expect({ family, total: family.endsWith('_total') }).toEqual({ family, total: true });
  }
  for (const sample of after.samples) {
    const family = [...after.types.keys()].find((f) => sample.name === f || /^_(bucket|sum|count)$/.test(sample.name.slice(f.length)));
    expect({ sample: sample.name, typed: family !== undefined }).toEqual({ sample: sample.name, typed: true });
  }
});

it('counts due messages through the due queue\'s index, capped, behind 50,000 messages not yet due', async () => {
  const campaignId = await runningCampaign(call);
  const { rows } = await sql<{ tenant_id: string }>`select tenant_id from campaigns where id = ${campaignId}::uuid`.execute(own.db);
  await sql`
    insert into messages (id, tenant_id, campaign_id, phone_number, status, scheduled_at, next_attempt_at, allow_duplicates)
    select gen_random_uuid(), ${rows[0]!.tenant_id}::uuid, ${campaignId}::uuid, '+1415' || (5000000 + g), 'QUEUED',
      ${T0}::timestamptz + case when g <= 10 then interval '-1 minute' else interval '365 days' end,
      ${T0}::timestamptz + case when g <= 10 then interval '-1 minute' else interval '365 days' end, true
    from generate_series(1, 50000) g`.execute(own.db);
  await sql`analyze messages`.execute(own.db);
  await sql`analyze message_queue`.execute(own.db);

  expect(await countDueMessages(own.db, T0, 100_000)).toBe(10);
  expect(await countDueMessages(own.db, T0, 4)).toBe(4);
  expect(valueOf(await scrape(), 'outreach_messages_due')).toBe(10);
  const explained = await sql<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>`explain (format json) ${dueMessagesQuery(T0, 100_000)}`.execute(own.db);
  const nodes = planNodes(explained.rows[0]!['QUERY PLAN'][0].Plan);
  const onQueue = nodes.filter((n) => n['Relation Name'] === 'message_queue');
  // An index scan in key order, which the LIMIT stops early; a bitmap scan would read every due entry.
  expect(onQueue.map((n) => [n['Node Type'].replace('Index Only Scan', 'Index Scan'), n['Index Name']])).toEqual([['Index Scan', 'message_queue_pkey']]);
  expect(nodes.filter((n) => n['Relation Name'] === 'messages')).toEqual([]);
});

it('asks for the metrics token when one is set', async () => {
  const token = 'scrape-token-0123456789abcdef';
  const guarded = await startTestServer(own.db, { metrics: createMetrics(), metricsToken: token });
  try {
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789abcdef', token, `Token ${token}`]) {
      const res = await fetch(`${guarded.url}/metrics`, { headers: authorization === undefined ? {} : { Authorization: authorization } });
      expect({ authorization, status: res.status, body: await res.json() }).toEqual({
        authorization,
        status: 401,
        body: { code: 'unauthenticated', msg: 'Authentication required' },
      });
    }
    const ok = await fetch(`${guarded.url}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('# TYPE outreach_rpc_requests_total counter');
  } finally {
    await guarded.close();
  }
});
