import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { callOk, campaignCaller, createOk, minimalCampaign } from './support/campaign-fixtures';
import { createTestDatabase, type TestDatabase } from './support/database';
import { okBody, phone } from './support/message-fixtures';
import { killAllServerProcesses, sleepUntil, startServerProcess } from './support/process-fixtures';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * The outbox survives a crash: a real server process killed with SIGKILL while it is sending
 * webhooks loses none of them. After a restart every event reaches the receiver; the ones caught
 * mid-send may arrive twice (deliveries are at least once), nothing else does.
 */
jest.setTimeout(120_000);

const API_KEY = `webhook-process-key-${randomBytes(8).toString('hex')}`;
const ENV = {
  OUTREACH_SCHEDULER_POLL_MS: '50',
  OUTREACH_CALLER_ID_MAX_CONCURRENT: '0',
  OUTREACH_SIM_CALL_SECONDS: '0',
  OUTREACH_WEBHOOK_POLL_MS: '50',
  OUTREACH_WEBHOOK_BATCH: '10',
  OUTREACH_WEBHOOK_TIMEOUT_MS: '1000',
  OUTREACH_DB_POOL_SIZE: '8',
};

let dir: string;
let database: TestDatabase;
const receiver = new WebhookReceiver();

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'outreach-webhooks-'));
  database = await createTestDatabase();
  await receiver.start();
});

afterAll(async () => {
  await killAllServerProcesses();
  await receiver.stop();
  await database.drop();
  await fs.rm(dir, { recursive: true, force: true });
});

it('kill -9 mid-delivery: after a restart every event is delivered, only those caught mid-send twice', async () => {
  const total = 60;
  // Slow answers, so a kill finds deliveries on the wire.
  receiver.answer = () => ({ status: 200, delayMs: 150 });
  const victim = await startServerProcess({ name: 'victim', databaseUrl: database.url, apiKey: API_KEY, dir, env: ENV });
  const call = campaignCaller(victim.url, API_KEY);
  const created = await createOk(call, minimalCampaign('webhooks kill -9', { timezone: 'UTC', trigger: 'BULK', webhook_url: receiver.url, max_concurrent_calls: 100 }));
  const campaignId = created.campaign_id as string;
  const recipients = Array.from({ length: total }, (_, i) => ({ phone_number: phone(i * 10, 2) }));
  expect(okBody(await call('AddRecipients', { campaign_id: campaignId, recipients }), 'AddRecipients')).toMatchObject({ accepted: total });
  await callOk(call, 'StartCampaign', { campaign_id: campaignId });

  // Deliveries leased (being sent) and not yet recorded.
  const inFlight = async () =>
    (await sql<{ n: number }>`
      select count(*)::int as n from webhook_deliveries where state = 'PENDING' and attempts = 0 and next_attempt_at > now()`.execute(database.db)).rows[0]!.n;
  await sleepUntil(async () => receiver.received.length >= 30 && (await inFlight()) > 0, 30_000, '30 events received and more on the wire', 20);
  await victim.kill9();
  const receivedAtKill = receiver.received.length;

  const survivor = await startServerProcess({ name: 'survivor', databaseUrl: database.url, apiKey: API_KEY, dir, env: ENV });
  const events = async () => (await sql<{ id: string }>`select id from webhook_events`.execute(database.db)).rows.map((r) => r.id);
  await sleepUntil(
    async () => {
      const pending = await sql<{ n: number }>`select count(*)::int as n from webhook_deliveries where state <> 'DELIVERED'`.execute(database.db);
      const campaign = await sql<{ status: string }>`select status from campaigns where id = ${campaignId}::uuid`.execute(database.db);
      return pending.rows[0]!.n === 0 && campaign.rows[0]!.status === 'COMPLETED';
    },
    60_000,
    'every delivery to be made and the campaign to complete',
  );
  // Each message: dispatched, then succeeded; the campaign: started, completed.
  const all = await events();
  expect(all).toHaveLength(2 * total + 2);
  const got = new Map<string, number>();
  for (const r of receiver.received) got.set(r.json.event_id as string, (got.get(r.json.event_id as string) ?? 0) + 1);
  expect(all.filter((id) => !got.has(id))).toEqual([]);
  const twice = [...got.values()].filter((n) => n > 1).length;
  expect(twice).toBeLessThanOrEqual(Number(ENV.OUTREACH_WEBHOOK_BATCH));
  // The kill came mid-delivery: the restart had events left to send.
  expect(receivedAtKill).toBeLessThan(2 * total + 2);
  await survivor.kill9();
});
