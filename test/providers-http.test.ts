import { sql } from 'kysely';
import { HttpProvider } from '../server/providers/http-provider';
import { verifySignature } from '../server/webhooks/signature';
import { phone } from './support/message-fixtures';
import { WebhookReceiver, type Received } from './support/webhook-receiver';
import { at, attemptsOf, messageState, providerRig, reportOverRpc, runningCampaign, sendAt, useSchedulerHarness } from './support/scheduler-fixtures';

/**
 * The http provider against a fake provider on loopback: signed dial requests, retried under the
 * same attempt key after a 5xx, the provider's call id kept, the outcome reported back by RPC.
 */
const h = useSchedulerHarness('http-provider');
const { call } = h;
const SECRET = 'provider-signing-secret';
const T0 = at('2027-01-04T10:00');

/** The fake provider: keeps every dial request and answers as each test says. */
const fake = new WebhookReceiver();
const keyOf = (r: Received): string => String(r.headers['idempotency-key']);
const requestsFor = (key: string): Received[] => fake.received.filter((r) => keyOf(r) === key);

beforeAll(async () => {
  await fake.start();
});

afterAll(async () => {
  await fake.stop();
});

beforeEach(() => {
  fake.received.length = 0;
});

function rig(options: { tries?: number } = {}) {
  const provider = new HttpProvider(
    { url: fake.url, secret: SECRET, reportUrl: `${h.url}/twirp/outreach.v1.CallEvents/ReportCallOutcome`, timeoutMs: 1_000, tries: options.tries ?? 3, retryDelayMs: 10 },
    () => new Date(),
  );
  return providerRig(h.db, T0, provider);
}

it('retries a 5xx under the same attempt key, keeps the call id, and the outcome comes back by RPC', async () => {
  fake.answer = (request) =>
    requestsFor(keyOf(request)).length === 1 ? { status: 503 } : { status: 200, body: JSON.stringify({ provider_call_id: `prov-${keyOf(request)}` }) };
  const r = rig();
  const campaignId = await runningCampaign(call, { assistant_id: 'asst_http', phone_number_id: '+14155550100' });
  const ids = [await sendAt(call, campaignId, phone(10, 1), T0, { extra: { Variables: { name: 'Asha' } } }), await sendAt(call, campaignId, phone(11, 1), T0)];
  await r.round();

  const keys = ids.map((id) => `${id}:1`);
  expect(fake.received.map(keyOf).sort()).toEqual([...keys, ...keys].sort());
  for (const r of fake.received) expect(verifySignature(SECRET, r.body, String(r.headers['outreach-signature']), new Date())).toBe(true);
  const first = requestsFor(keys[0]!)[0]!;
  expect(first.json).toEqual({
    attempt_key: keys[0],
    attempt: 1,
    tenant_id: h.tenantId,
    campaign_id: campaignId,
    message_id: ids[0],
    assistant_id: 'asst_http',
    caller_id: '+14155550100',
    to: `+${phone(10, 1)}`,
    variables: { name: 'Asha' },
    ring_duration_seconds: 30,
    start_logic: 'START_IMMEDIATELY',
    start_delay_seconds: 0,
    report_outcome_to: `${h.url}/twirp/outreach.v1.CallEvents/ReportCallOutcome`,
  });
  expect((await attemptsOf(h.db, ids[0]!))[0]).toMatchObject({ attempt_key: keys[0], provider_call_id: `prov-${keys[0]}` });

  const report = await reportOverRpc(h.url, h.apiKey, { provider_call_id: `prov-${keys[0]}`, outcome: 'COMPLETED', duration_seconds: 31 });
  expect(report.status).toBe(200);
  expect(await messageState(h.db, ids[0]!)).toMatchObject({ status: 'SUCCEEDED', disposition: 'COMPLETED' });
});

it('a provider that refuses (4xx) or stays down fails the dial through the outcome path, without retrying a 4xx', async () => {
  fake.answer = (request) => (request.json.to.endsWith('12') ? { status: 422, body: '{"error":"bad number"}' } : { status: 500 });
  const r = rig({ tries: 2 });
  const campaignId = await runningCampaign(call);
  const refused = await sendAt(call, campaignId, phone(12, 1), T0);
  const down = await sendAt(call, campaignId, phone(13, 1), T0);
  await r.round();
  expect(requestsFor(`${refused}:1`)).toHaveLength(1);
  expect(requestsFor(`${down}:1`)).toHaveLength(2);
  for (const id of [refused, down]) {
    expect(await messageState(h.db, id)).toMatchObject({ status: 'FAILED', disposition: 'FAILED' });
    expect((await attemptsOf(h.db, id))[0]).toMatchObject({ outcome: 'FAILED', answered_by: 'provider_error', provider_call_id: null });
  }
  const calls = await sql<{ n: number }>`
    select count(*)::int as n from provider_calls where message_id = any(${[refused, down]}::uuid[])`.execute(h.db);
  expect(calls.rows[0]?.n).toBe(0);
});
