import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { callOk, campaignCaller, createOk, minimalCampaign } from './support/campaign-fixtures';
import { createTestDatabase, type TestDatabase } from './support/database';
import { okBody, phone, sendBody } from './support/message-fixtures';
import { killAllServerProcesses, sleepUntil, startServerProcess } from './support/process-fixtures';
import { rpc } from './support/rpc';

/**
 * SIGTERM under load, on a real server process: SendMessage from several clients and a campaign
 * with calls in flight. The process exits within a bounded time; every message it answered 200 is
 * stored; the calls it left in flight are picked up by the next process (reconciled at their
 * deadline), so nothing stays DISPATCHED.
 */
jest.setTimeout(120_000);

const API_KEY = `shutdown-key-${randomBytes(8).toString('hex')}`;
const ENV = {
  OUTREACH_SCHEDULER_POLL_MS: '50',
  OUTREACH_CALLER_ID_MAX_CONCURRENT: '0',
  // Calls ring for 3 s, so some are in flight at the SIGTERM; unreported ones are reconciled at
  // ring (15 s) + 1 + 1.
  OUTREACH_SIM_CALL_SECONDS: '3',
  OUTREACH_MAX_CALL_SECONDS: '1',
  OUTREACH_RECONCILE_GRACE_SECONDS: '1',
  OUTREACH_DB_POOL_SIZE: '8',
};

let dir: string;
let database: TestDatabase;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'outreach-shutdown-'));
  database = await createTestDatabase();
});

afterAll(async () => {
  await killAllServerProcesses();
  await database.drop();
  await fs.rm(dir, { recursive: true, force: true });
});

it('SIGTERM under load: exits in bounded time, keeps every message answered 200, and leaves its calls to the next process', async () => {
  const first = await startServerProcess({ name: 'first', databaseUrl: database.url, apiKey: API_KEY, dir, env: ENV });
  const call = campaignCaller(first.url, API_KEY);
  const campaign = await createOk(call, minimalCampaign('shutdown', { timezone: 'UTC', trigger: 'BULK', max_concurrent_calls: 50, ring_duration_seconds: 15 }));
  const campaignId = campaign.campaign_id as string;
  const recipients = Array.from({ length: 100 }, (_, i) => ({ phone_number: phone(i * 10, 4) }));
  expect(okBody(await call('AddRecipients', { campaign_id: campaignId, recipients }), 'AddRecipients')).toMatchObject({ accepted: 100 });
  const api = await createOk(call, minimalCampaign('shutdown sends', { timezone: 'UTC' }));
  await callOk(call, 'StartCampaign', { campaign_id: campaignId });

  // SendMessage load from six clients until the process stops answering.
  let next = 0;
  const answered: string[] = [];
  let refused = 0;
  const client = async (): Promise<void> => {
    for (;;) {
      try {
        const res = await rpc(first.url, 'Campaign', 'SendMessage', sendBody(api.campaign_id as string, phone(50_000 + next++, 4)), { key: API_KEY });
        if (res.status === 200) answered.push(res.body.message_id as string);
        else refused += 1;
      } catch {
        return; // The server stopped accepting connections.
      }
    }
  };
  const clients = Array.from({ length: 6 }, client);
  const dispatched = async () =>
    (await sql<{ n: number }>`select count(*)::int as n from messages where status = 'DISPATCHED'`.execute(database.db)).rows[0]!.n;
  await sleepUntil(async () => answered.length > 200 && (await dispatched()) > 0, 30_000, 'load and calls in flight');

  const stopMs = await first.terminate();
  await Promise.all(clients);
  expect(stopMs).toBeLessThan(15_000);
  const stored = await sql<{ id: string }>`select id from messages where id = any(${answered}::uuid[])`.execute(database.db);
  expect(stored.rows.length).toBe(answered.length);
  const leftInFlight = await dispatched();

  // The next process reconciles what was left in flight; the BULK campaign then completes.
  const second = await startServerProcess({ name: 'second', databaseUrl: database.url, apiKey: API_KEY, dir, env: ENV });
  await sleepUntil(
    async () => {
      const status = await sql<{ status: string }>`select status from campaigns where id = ${campaignId}::uuid`.execute(database.db);
      return status.rows[0]?.status === 'COMPLETED' && (await dispatched()) === 0;
    },
    60_000,
    'the campaign to complete with nothing left DISPATCHED',
  );
  console.log(
    `shutdown under load: stopped in ${stopMs} ms; ${answered.length} SendMessage answered 200, all stored (${refused} refused while stopping); ` +
      `${leftInFlight} calls left in flight, picked up by the next process`,
  );
  await second.terminate();
});
