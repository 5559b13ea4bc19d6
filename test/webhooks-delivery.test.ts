import type { AddressInfo } from 'node:net';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../server/db/database';
import { createDb } from '../server/db/pool';
import { createWebhookReceiver } from '../clients/examples/webhook-receiver';
import { createLogger } from '../server/logger';
import type { ManualClock } from '../server/shared/clock';
import { DeliveryLoop, type DeliveryOptions } from '../server/webhooks/delivery-loop';
import { verifySignature } from '../server/webhooks/signature';
import { callOk, campaignCaller, expectTwirpError, minimalCampaign } from './support/campaign-fixtures';
import { useHarness } from './support/harness';
import { phone } from './support/message-fixtures';
import { at, closeRigs, retireEverything, runningCampaign, sendAt, silentRig, simulatedRig, type SchedulerRig } from './support/scheduler-fixtures';
import { rpc } from './support/rpc';
import { ADMIN_KEY, createTestTenant, startTestServer } from './support/server';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * Webhooks end to end: state changes write events in their own transactions, the delivery loop
 * POSTs them to a real receiver on loopback, signed, in order per message, retried with backoff,
 * logged try by try.
 */
const h = useHarness('webhooks');
const { call } = h;
let receiver: WebhookReceiver;
let secret: string;

beforeAll(async () => {
  const row = await sql<{ webhook_secret: string }>`select webhook_secret from tenants where id = ${h.tenantId}::uuid`.execute(h.db);
  secret = row.rows[0]!.webhook_secret;
});

beforeEach(async () => {
  receiver = new WebhookReceiver();
  await receiver.start();
});

afterEach(async () => {
  await receiver.stop();
  await closeRigs();
  await retireEverything(h.db);
  await sql`delete from webhook_events`.execute(h.db);
});

const T0 = at('2027-01-04T10:00');
const seconds = (s: number): Date => new Date(T0.getTime() + s * 1000);

function loopFor(clock: ManualClock, options: Partial<DeliveryOptions> = {}): DeliveryLoop {
  return new DeliveryLoop({
    db: h.db,
    clock,
    log: createLogger(process.env.TEST_LOG_LEVEL ?? 'silent'),
    options: { batch: 100, pollIntervalMs: 1_000, timeoutMs: 2_000, allowPrivate: true, ...options },
    // Every retry waits its whole step: 2 s, 4 s, 8 s …
    random: () => 1,
  });
}

/** A message of a campaign whose webhook_url is the receiver, dispatched (and, by default, answered). */
async function messageWithWebhook(rig: SchedulerRig, options: { callback?: Record<string, unknown> } = {}): Promise<{ campaignId: string; messageId: string }> {
  const campaignId = await runningCampaign(call, { webhook_url: receiver.url });
  await sql`delete from webhook_events where campaign_id = ${campaignId}::uuid`.execute(h.db);
  const extra = options.callback === undefined ? {} : { Callback: options.callback };
  const messageId = await sendAt(call, campaignId, phone(1, 0), T0, { extra });
  await rig.round();
  return { campaignId, messageId };
}

async function deliveryStates(): Promise<{ state: string; attempts: number; last_http_status: number | null }[]> {
  const rows = await sql<{ state: string; attempts: number; last_http_status: number | null }>`
    select state, attempts, last_http_status from webhook_deliveries order by id`.execute(h.db);
  return rows.rows;
}

describe('deliveries', () => {
  it("sends a message's events signed, in order, to its callback URL and its campaign's webhook_url, with State verbatim", async () => {
    const rig = simulatedRig(h.db, T0);
    const state = { order: { id: 'A-17', lines: [1, 2.5, null, { deep: ['x', true] }] }, note: 'é ✓' };
    const callbackUrl = `${receiver.url}?source=callback`;
    const { campaignId, messageId } = await messageWithWebhook(rig, { callback: { URL: callbackUrl, State: state } });
    const loop = loopFor(rig.clock);
    while ((await loop.runOnce()) > 0);

    // Two URLs, the dial and its outcome to each, in order.
    const typesAt = (path: string) => receiver.received.filter((r) => r.path === path).map((r) => r.json.type);
    expect(typesAt('/hooks?source=callback')).toEqual(['message.dispatched', 'message.succeeded']);
    expect(typesAt('/hooks')).toEqual(['message.dispatched', 'message.succeeded']);

    for (const r of receiver.received) {
      expect(verifySignature(secret, r.body, String(r.headers['outreach-signature']), rig.clock.now())).toBe(true);
      expect(verifySignature('another secret', r.body, String(r.headers['outreach-signature']), rig.clock.now())).toBe(false);
      expect(r.headers['outreach-event-id']).toBe(r.json.event_id);
      expect(r.json).toMatchObject({
        event_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        created_at: T0.toISOString(),
        campaign_id: campaignId,
        message_id: messageId,
        phone_number: `+${phone(1, 0)}`,
        state,
      });
    }
    const succeeded = receiver.received.find((r) => r.json.type === 'message.succeeded')!;
    expect(succeeded.json).toMatchObject({ status: 'SUCCEEDED', disposition: 'COMPLETED', attempt: 1 });
    const dispatched = receiver.received.find((r) => r.json.type === 'message.dispatched')!;
    expect(dispatched.json).toMatchObject({ status: 'DISPATCHED', disposition: null, attempt: 1 });
    expect(new Set(receiver.received.map((r) => r.json.event_id)).size).toBe(2);
    expect((await deliveryStates()).every((d) => d.state === 'DELIVERED' && d.attempts === 1)).toBe(true);
  });

  it('retries a failing receiver with backoff until it answers, and logs every try', async () => {
    const rig = silentRig(h.db, T0);
    await messageWithWebhook(rig);
    receiver.answer = (_r, i) => ({ status: i < 2 ? 500 : 200 });
    const loop = loopFor(rig.clock);

    expect(await loop.runOnce()).toBe(1);
    rig.clock.set(seconds(1.9));
    expect(await loop.runOnce()).toBe(0);
    rig.clock.set(seconds(2));
    expect(await loop.runOnce()).toBe(1);
    rig.clock.set(seconds(5.9));
    expect(await loop.runOnce()).toBe(0);
    rig.clock.set(seconds(6));
    expect(await loop.runOnce()).toBe(1);

    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((r) => r.json.event_id)).size).toBe(1);
    expect(await deliveryStates()).toEqual([{ state: 'DELIVERED', attempts: 3, last_http_status: 200 }]);
    const tries = await sql<{ number: number; at: Date; http_status: number | null; error: string | null }>`
      select number, at, http_status, error from webhook_delivery_attempts order by number`.execute(h.db);
    expect(tries.rows).toEqual([
      { number: 1, at: T0, http_status: 500, error: 'HTTP 500' },
      { number: 2, at: seconds(2), http_status: 500, error: 'HTTP 500' },
      { number: 3, at: seconds(6), http_status: 200, error: null },
    ]);
  });

  it("keeps order per message: a later event waits while an earlier one to the same URL is pending", async () => {
    const rig = simulatedRig(h.db, T0);
    await messageWithWebhook(rig);
    receiver.answer = (_r, i) => ({ status: i === 0 ? 503 : 200 });
    const loop = loopFor(rig.clock);

    await loop.runOnce();
    await loop.runOnce();
    expect(receiver.types()).toEqual(['message.dispatched']);
    rig.clock.set(seconds(2));
    await loop.runOnce();
    await loop.runOnce();
    expect(receiver.types()).toEqual(['message.dispatched', 'message.dispatched', 'message.succeeded']);
  });

  it('a receiver that answers 410 Gone is not called again', async () => {
    const rig = silentRig(h.db, T0);
    await messageWithWebhook(rig);
    receiver.answer = () => ({ status: 410 });
    const loop = loopFor(rig.clock);
    await loop.runOnce();
    rig.clock.set(seconds(3_600));
    expect(await loop.runOnce()).toBe(0);
    expect(receiver.received).toHaveLength(1);
    expect(await deliveryStates()).toEqual([{ state: 'DEAD', attempts: 1, last_http_status: 410 }]);
  });

  it('a receiver that is down, then back, gets every event; one too slow to answer is a failed try', async () => {
    const rig = silentRig(h.db, T0);
    await messageWithWebhook(rig);
    const port = receiver.listeningPort;
    await receiver.stop();
    const loop = loopFor(rig.clock, { timeoutMs: 300 });
    await loop.runOnce();
    const down = await sql<{ error: string | null }>`select error from webhook_delivery_attempts`.execute(h.db);
    expect(down.rows).toEqual([{ error: 'ECONNREFUSED' }]);

    await receiver.start(port);
    receiver.answer = (_r, i) => ({ status: 200, delayMs: i === 0 ? 1_000 : 0 });
    rig.clock.set(seconds(2));
    await loop.runOnce();
    const slow = await sql<{ error: string | null }>`select error from webhook_delivery_attempts where number = 2`.execute(h.db);
    expect(slow.rows).toEqual([{ error: 'timed out after 300 ms' }]);

    rig.clock.set(seconds(6));
    await loop.runOnce();
    expect(await deliveryStates()).toEqual([{ state: 'DELIVERED', attempts: 3, last_http_status: 200 }]);
    expect(receiver.received).toHaveLength(2);
  });

  it('refuses loopback receivers unless private callbacks are allowed: 127.0.0.1, localhost, [::1]', async () => {
    const rig = silentRig(h.db, T0);
    await messageWithWebhook(rig);
    const port = receiver.listeningPort;
    const loop = loopFor(rig.clock, { allowPrivate: false });
    await loop.runOnce();
    for (const [i, host] of ['localhost', '[::1]'].entries()) {
      await sql`update webhook_deliveries set url = ${`http://${host}:${port}/hooks`}, next_attempt_at = ${T0}::timestamptz`.execute(h.db);
      rig.clock.set(seconds(i + 1));
      await loop.runOnce();
    }
    expect(receiver.received).toHaveLength(0);
    const errors = await sql<{ error: string }>`select error from webhook_delivery_attempts order by number`.execute(h.db);
    expect(errors.rows.map((r) => r.error)).toEqual([
      'refused: 127.0.0.1 resolves to 127.0.0.1, a loopback address',
      expect.stringMatching(/^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address$/),
      'refused: [::1] resolves to ::1, a loopback address',
    ]);
  });
});

describe('campaign events', () => {
  it('pause, resume and cancel each send their event; cancelling fails the queued messages with theirs', async () => {
    const rig = silentRig(h.db, T0);
    const campaignId = await runningCampaign(call, { webhook_url: receiver.url });
    await sendAt(call, campaignId, phone(2, 0), seconds(3_600));
    await callOk(call, 'PauseCampaign', { campaign_id: campaignId });
    await callOk(call, 'ResumeCampaign', { campaign_id: campaignId });
    await callOk(call, 'CancelCampaign', { campaign_id: campaignId });
    rig.clock.set(new Date(Date.now() + 60_000));
    const loop = loopFor(rig.clock);
    while ((await loop.runOnce()) > 0);
    expect(receiver.received.map((r) => [r.json.type, r.json.status])).toEqual(
      expect.arrayContaining([
        ['campaign.started', 'RUNNING'],
        ['campaign.paused', 'PAUSED'],
        ['campaign.cancelled', 'CANCELLED'],
        ['message.failed', 'FAILED'],
      ]),
    );
    const campaignTypes = receiver.types().filter((t) => t.startsWith('campaign.'));
    expect(campaignTypes).toEqual(['campaign.started', 'campaign.paused', 'campaign.started', 'campaign.cancelled']);
    expect(receiver.received.find((r) => r.json.type === 'message.failed')!.json).toMatchObject({ disposition: 'CANCELLED' });
  });
});

describe('the delivery log', () => {
  const webhooks = (method: string, body: Record<string, unknown>, key = h.apiKey) => rpc(h.url, 'Webhooks', method, body, { key });

  it('lists a message’s deliveries with every try, pages them, and sends an event again on request', async () => {
    const rig = silentRig(h.db, T0);
    const { campaignId, messageId } = await messageWithWebhook(rig);
    receiver.answer = (_r, i) => ({ status: i === 0 ? 502 : 200 });
    const loop = loopFor(rig.clock);
    await loop.runOnce();
    rig.clock.set(seconds(2));
    await loop.runOnce();

    const listed = await webhooks('ListWebhookDeliveries', { message_id: messageId });
    expect(listed.status).toBe(200);
    expect(listed.body.deliveries).toEqual([
      {
        delivery_id: expect.any(String),
        event_id: receiver.received[0]!.json.event_id,
        type: 'message.dispatched',
        campaign_id: campaignId,
        message_id: messageId,
        url: receiver.url,
        state: 'DELIVERED',
        created_at: T0.toISOString(),
        next_attempt_at: '',
        delivered_at: seconds(2).toISOString(),
        tries: [
          { at: T0.toISOString(), http_status: 502, latency_ms: expect.any(Number), error: 'HTTP 502' },
          { at: seconds(2).toISOString(), http_status: 200, latency_ms: expect.any(Number), error: '' },
        ],
      },
    ]);
    const byCampaign = await webhooks('ListWebhookDeliveries', { campaign_id: campaignId, state: 'DELIVERED', page_size: 1 });
    expect(byCampaign.body.deliveries).toHaveLength(1);
    expect(byCampaign.body.next_page_token).toBe('');
    expect((await webhooks('ListWebhookDeliveries', { campaign_id: campaignId, state: 'PENDING' })).body.deliveries).toEqual([]);

    const again = await webhooks('RedeliverWebhook', { event_id: receiver.received[0]!.json.event_id });
    expect(again.status).toBe(200);
    expect(again.body.deliveries).toMatchObject([{ state: 'PENDING', url: receiver.url, type: 'message.dispatched', tries: [] }]);
    rig.clock.set(seconds(3));
    expect(await loop.runOnce()).toBe(1);
    expect(receiver.received.map((r) => r.json.event_id)).toEqual(Array(3).fill(receiver.received[0]!.json.event_id));
    expect((await webhooks('ListWebhookDeliveries', { message_id: messageId })).body.deliveries.map((d: any) => d.state)).toEqual([
      'DELIVERED',
      'DELIVERED',
    ]);
  });

  it('answers precise errors: no id, both ids, an unknown or foreign message, an unknown event, a bad state', async () => {
    const rig = silentRig(h.db, T0);
    const { messageId } = await messageWithWebhook(rig);
    expectTwirpError(await webhooks('ListWebhookDeliveries', {}), { status: 400, code: 'invalid_argument', argument: 'message_id' });
    expectTwirpError(await webhooks('ListWebhookDeliveries', { message_id: messageId, campaign_id: messageId }), {
      status: 400,
      code: 'invalid_argument',
      argument: 'message_id',
    });
    expectTwirpError(await webhooks('ListWebhookDeliveries', { message_id: '00000000-0000-4000-8000-000000000000' }), { status: 404, code: 'not_found' });
    expectTwirpError(await webhooks('ListWebhookDeliveries', { message_id: 'nope' }), { status: 404, code: 'not_found' });
    expectTwirpError(await webhooks('ListWebhookDeliveries', { message_id: messageId, state: 'LOST' }), { status: 400, code: 'invalid_argument', argument: 'state' });
    expectTwirpError(await webhooks('ListWebhookDeliveries', { message_id: messageId, page_token: 'x' }), {
      status: 400,
      code: 'invalid_argument',
      argument: 'page_token',
    });
    expectTwirpError(await webhooks('RedeliverWebhook', {}), { status: 400, code: 'invalid_argument', argument: 'event_id' });
    expectTwirpError(await webhooks('RedeliverWebhook', { event_id: '00000000-0000-4000-8000-000000000000' }), { status: 404, code: 'not_found' });

    const other = await createTestTenant(h.db, 'webhooks other');
    expectTwirpError(await webhooks('ListWebhookDeliveries', { message_id: messageId }, other.apiKey), { status: 404, code: 'not_found' });
    const eventId = (await sql<{ id: string }>`select id from webhook_events limit 1`.execute(h.db)).rows[0]!.id;
    expectTwirpError(await webhooks('RedeliverWebhook', { event_id: eventId }, other.apiKey), { status: 404, code: 'not_found' });
  });
});

describe('the example receiver (clients/examples/webhook-receiver.ts)', () => {
  it('takes each signed event once, drops a redelivered one, and refuses a bad signature', async () => {
    const events: string[] = [];
    const server = createWebhookReceiver({ secret, onEvent: (e) => void events.push(`${e.type} ${e.event_id}`) });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/outreach`;
      const now = new Date();
      const rig = silentRig(h.db, now);
      const campaignId = await runningCampaign(call, { webhook_url: url, timezone: 'UTC' });
      await sendAt(call, campaignId, phone(3, 0), now, { bypass: true });
      await rig.round();
      const loop = loopFor(rig.clock);
      while ((await loop.runOnce()) > 0);
      const eventId = (await sql<{ id: string }>`
        select id from webhook_events where campaign_id = ${campaignId}::uuid and type = 'message.dispatched'`.execute(h.db)).rows[0]!.id;
      expect(events).toContain(`message.dispatched ${eventId}`);

      expect((await rpc(h.url, 'Webhooks', 'RedeliverWebhook', { event_id: eventId }, { key: h.apiKey })).status).toBe(200);
      // The server stamped the redelivery with the wall clock.
      rig.clock.set(new Date());
      while ((await loop.runOnce()) > 0);
      expect(events.filter((e) => e.endsWith(eventId))).toHaveLength(1);
      const log = await sql<{ state: string }>`
        select d.state from webhook_deliveries d where d.event_id = ${eventId}::uuid order by d.id`.execute(h.db);
      expect(log.rows.map((r) => r.state)).toEqual(['DELIVERED', 'DELIVERED']);

      const forged = await fetch(url, { method: 'POST', body: '{"event_id":"x"}', headers: { 'Outreach-Signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` } });
      expect(forged.status).toBe(401);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('callback URLs when they are given', () => {
  let strict: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    strict = await startTestServer(h.db, { allowPrivateCallbacks: false });
  });
  afterAll(async () => {
    await strict.close();
  });

  it('refuses literal private, loopback and link-local addresses naming the field; a host name is judged at delivery', async () => {
    const strictCall = campaignCaller(strict.url, h.apiKey);
    for (const url of ['http://127.0.0.1:9000/hooks', 'http://[::1]/hooks', 'http://169.254.169.254/latest', 'https://10.1.2.3/x', 'http://[fd00:ec2::254]/']) {
      expectTwirpError(await strictCall('CreateCampaign', minimalCampaign(`strict ${url}`, { webhook_url: url })), {
        status: 400,
        code: 'invalid_argument',
        argument: 'webhook_url',
      });
    }
    const created = await strictCall('CreateCampaign', minimalCampaign('strict by name', { webhook_url: 'https://not-registered-yet.invalid/hooks' }));
    expect(created.status).toBe(200);
    const campaignId = created.body.campaign_id as string;
    expectTwirpError(await strictCall('UpdateCampaign', { campaign_id: campaignId, webhook_url: 'http://192.168.0.10/h' }), {
      status: 400,
      code: 'invalid_argument',
      argument: 'webhook_url',
    });
    const refused = await strictCall('SendMessage', { CampaignID: campaignId, To: { PhoneNumber: phone(4, 0) }, Callback: { URL: 'http://127.0.0.1/cb' } });
    expectTwirpError(refused, { status: 400, code: 'invalid_argument', argument: 'Callback.URL' });
    expect(refused.body.msg).toBe('Callback.URL must not point at a loopback address (127.0.0.1); private callback addresses are refused here');
  });
});

describe('several delivery loops on one database', () => {
  const pools: Kysely<Database>[] = [];
  afterAll(async () => {
    for (const db of pools) await db.destroy();
  });

  it('three loops on pools of their own racing round for round send each delivery once', async () => {
    const rig = silentRig(h.db, T0);
    const campaignId = await runningCampaign(call, { webhook_url: receiver.url, max_concurrent_calls: 200 });
    for (let i = 0; i < 120; i++) await sendAt(call, campaignId, phone(100 + i, 4), T0);
    await rig.round();
    for (let i = 0; i < 3; i++) pools.push(createDb({ connectionString: h.database.url, max: 4, statementTimeoutMs: 30_000, connectTimeoutMs: 10_000 }).db);
    const loops = pools.map(
      (db) => new DeliveryLoop({ db, clock: rig.clock, log: createLogger('silent'), options: { batch: 25, pollIntervalMs: 1_000, timeoutMs: 2_000, allowPrivate: true } }),
    );
    for (;;) {
      const tried = await Promise.all(loops.map((loop) => loop.runOnce()));
      if (tried.every((n) => n === 0)) break;
      expect(tried.filter((n) => n > 0).length).toBeGreaterThan(0);
    }
    const events = await sql<{ id: string }>`select id from webhook_events where campaign_id = ${campaignId}::uuid`.execute(h.db);
    expect(events.rows.length).toBeGreaterThanOrEqual(100);
    expect(receiver.received.map((r) => r.json.event_id).sort()).toEqual(events.rows.map((r) => r.id).sort());
  });
});

describe('RotateWebhookSecret', () => {
  it('signs the next delivery with the new secret', async () => {
    const rig = silentRig(h.db, T0);
    await messageWithWebhook(rig);
    const rotated = await rpc(h.url, 'Admin', 'RotateWebhookSecret', { tenant_id: h.tenantId }, { key: ADMIN_KEY });
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.webhook_secret as string;
    await loopFor(rig.clock).runOnce();
    const signature = String(receiver.received[0]!.headers['outreach-signature']);
    expect(verifySignature(fresh, receiver.received[0]!.body, signature, rig.clock.now())).toBe(true);
    expect(verifySignature(secret, receiver.received[0]!.body, signature, rig.clock.now())).toBe(false);
    secret = fresh;
  });
});
