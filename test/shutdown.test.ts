import http from 'node:http';
import { sql } from 'kysely';
import { useHarness } from './support/harness';
import { rpc } from './support/rpc';

/**
 * Graceful stop: a request in flight when the server is asked to stop still gets its answer;
 * new connections are refused at once.
 */
const h = useHarness('shutdown');

async function sleepUntil(condition: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

it('drains an in-flight request and refuses new connections while stopping', async () => {
  const created = await rpc(h.url, 'Campaign', 'CreateCampaign', {
    name: 'drain', assistant_id: 'a', phone_number_id: '+14155550100', timezone: 'UTC',
  }, { key: h.apiKey });
  expect(created.status).toBe(200);
  const id = created.body.campaign_id as string;

  // Hold the campaign's row lock so the UpdateCampaign below is provably still in flight.
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let locked!: () => void;
  const lockTaken = new Promise<void>((resolve) => (locked = resolve));
  const holder = h.db.transaction().execute(async (trx) => {
    await sql`select 1 from campaigns where id = ${id} for update`.execute(trx);
    locked();
    await released;
  });
  try {
    await lockTaken;
    const inFlight = rpc(h.url, 'Campaign', 'UpdateCampaign', { campaign_id: id, max_concurrent_calls: 7 }, { key: h.apiKey });
    await sleepUntil(async () => {
      const waiting = await sql<{ n: string }>`
        select count(*) as n from pg_stat_activity
        where datname = current_database() and wait_event_type = 'Lock'`.execute(h.db);
      return Number(waiting.rows[0]?.n) > 0;
    }, 'the update to wait on the row lock');

    const closing = h.server.app.close(10_000);
    expect(await probe(`${h.url}/healthz`)).toBe('ECONNREFUSED');

    release();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(answer.body.max_concurrent_calls).toBe(7);
    await closing;
  } finally {
    release();
    await holder;
  }
});

function probe(url: string): Promise<string> {
  return new Promise((resolve) => {
    const request = http.get(url, (response) => {
      response.resume();
      resolve(`answered ${response.statusCode ?? 0}`);
    });
    request.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}
