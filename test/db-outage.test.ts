import { Writable } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../server/db/database';
import { createDb } from '../server/db/pool';
import { createLogger } from '../server/logger';
import { Scheduler } from '../server/scheduler/scheduler';
import { systemClock } from '../server/shared/clock';
import { DeliveryLoop } from '../server/webhooks/delivery-loop';
import { campaignCaller, callOk, createOk, minimalCampaign } from './support/campaign-fixtures';
import { createTestDatabase, type TestDatabase } from './support/database';
import { phone, sendBody } from './support/message-fixtures';
import { expectOutageHandled, startSendLoad } from './support/send-load';
import { rpc } from './support/rpc';
import { sleepUntil } from './support/process-fixtures';
import { SCHEDULER_OPTIONS, SilentProvider } from './support/scheduler-fixtures';
import { createTestTenant, startTestServer, type TestServer } from './support/server';
import { TcpProxy } from './support/tcp-proxy';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * The database goes away under load and comes back. The service reaches PostgreSQL through a TCP
 * proxy this test can cut — every connection dropped, new ones refused — and restore, while
 * SendMessage runs from several clients. While it is down, requests fail fast with 503
 * `unavailable` and `/readyz` says so; afterwards the service recovers by itself, and every
 * message answered 200 exists.
 */
jest.setTimeout(60_000);

let database: TestDatabase;
let proxy: TcpProxy;
let viaProxy: Kysely<Database>;
let server: TestServer;

beforeAll(async () => {
  database = await createTestDatabase();
  const target = new URL(database.url);
  proxy = new TcpProxy({ host: target.hostname, port: Number(target.port) });
  await proxy.open();
  viaProxy = createDb({ connectionString: proxy.urlFor(database.url), max: 8, statementTimeoutMs: 2_000, connectTimeoutMs: 1_000 }).db;
  server = await startTestServer(viaProxy);
});

afterAll(async () => {
  await server.close();
  await viaProxy.destroy();
  await proxy.cut();
  await database.drop();
});

it('fails fast with 503 while PostgreSQL is gone, recovers by itself, and keeps every message it answered 200', async () => {
  const { apiKey } = await createTestTenant(database.db, 'outage');
  const call = campaignCaller(server.url, apiKey);
  const campaign = await createOk(call, minimalCampaign('outage', { timezone: 'UTC' }));
  const campaignId = campaign.campaign_id as string;
  await callOk(call, 'StartCampaign', { campaign_id: campaignId });

  const load = startSendLoad({ url: server.url, apiKey, campaignId, clients: 6 });
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const readyz: { phase: string; status: number }[] = [];

  await wait(1_000);
  load.setPhase('down');
  await proxy.cut();
  await wait(500);
  readyz.push({ phase: 'down', status: (await fetch(`${server.url}/readyz`)).status });
  await wait(2_000);
  await proxy.open();
  load.setPhase('after');
  await wait(2_000);
  readyz.push({ phase: 'after', status: (await fetch(`${server.url}/readyz`)).status });
  const answers = await load.stop();

  expect(readyz).toEqual([
    { phase: 'down', status: 503 },
    { phase: 'after', status: 200 },
  ]);
  const failures = answers.filter((a) => a.status !== 200).length;
  expect(failures).toBeGreaterThan(0);
  const slowest = await expectOutageHandled(answers, database.db);
  const answered = answers.length - failures;
  console.log(
    `database outage: ${answers.length} SendMessage answers, ${failures} of them 503 while it was down; ` +
      `slowest answer ${slowest.toFixed(0)} ms; ${answered} answered 200, all stored`,
  );
});

it('answers 503 within the connect timeout when every pooled connection is busy, rather than queueing without bound', async () => {
  const small = createDb({ connectionString: database.url, max: 1, statementTimeoutMs: 2_000, connectTimeoutMs: 300 }).db;
  const smallServer = await startTestServer(small);
  try {
    const { apiKey } = await createTestTenant(database.db, 'exhausted');
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    // Take the pool's only connection and keep it.
    const holder = small.connection().execute(async (conn) => {
      await sql`select 1`.execute(conn);
      held();
      await released;
    });
    await holding;
    const t0 = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => rpc(smallServer.url, 'Campaign', 'ListCampaigns', {}, { key: apiKey })),
    );
    const ms = performance.now() - t0;
    expect(answers.map((a) => `${a.status} ${a.body?.code}`)).toEqual(Array(5).fill('503 unavailable'));
    expect(ms).toBeLessThan(2_000);
    release();
    await holder;
    expect((await rpc(smallServer.url, 'Campaign', 'ListCampaigns', {}, { key: apiKey })).status).toBe(200);
  } finally {
    await smallServer.close();
    await small.destroy();
  }
});

it('the scheduler and the webhook loop back off while the database is gone, and resume when it is back', async () => {
  const lines: { msg: string; consecutive_errors?: number }[] = [];
  const log = createLogger('error', new Writable({ write: (chunk, _enc, done) => (lines.push(JSON.parse(String(chunk))), done()) }));
  const { apiKey } = await createTestTenant(database.db, 'loops');
  const call = campaignCaller(server.url, apiKey);
  const receiver = new WebhookReceiver();
  await receiver.start();
  const provider = new SilentProvider();
  const scheduler = new Scheduler({ db: viaProxy, clock: systemClock, provider, log, options: { ...SCHEDULER_OPTIONS, maxBackoffMs: 30_000 } });
  const webhooks = new DeliveryLoop({ db: viaProxy, clock: systemClock, log, options: { batch: 10, pollIntervalMs: 50, timeoutMs: 1_000, allowPrivate: true } });
  try {
    const campaignId = (await createOk(call, minimalCampaign('loops', { timezone: 'UTC', webhook_url: receiver.url }))).campaign_id as string;
    await proxy.cut();
    scheduler.start();
    webhooks.start();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const failed = lines.filter((l) => /round failed|claiming webhook deliveries failed/.test(l.msg));
    // Backing off (100 ms, doubling): a handful of tries each in 2.5 s, not one every poll (50 ms).
    expect(failed.length).toBeGreaterThan(2);
    expect(failed.length).toBeLessThan(16);
    expect(Math.max(...failed.map((l) => l.consecutive_errors ?? 0))).toBeGreaterThan(2);

    await proxy.open();
    // Back: the campaign starts (its event is delivered) and a message sent now is dialed.
    await callOk(call, 'StartCampaign', { campaign_id: campaignId });
    const messageId = (await rpc(server.url, 'Campaign', 'SendMessage', sendBody(campaignId, phone(9_000, 5)), { key: apiKey })).body.message_id;
    await sleepUntil(() => provider.dials.some((d) => d.messageId === messageId) && receiver.types().includes('message.dispatched'), 30_000, 'the loops to resume');
    expect(receiver.types()).toContain('campaign.started');
  } finally {
    await scheduler.stop();
    await webhooks.stop();
    await receiver.stop();
  }
});
