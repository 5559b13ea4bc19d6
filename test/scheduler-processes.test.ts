import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../server/db/database';
import { callOk, campaignCaller, createOk, minimalCampaign } from './support/campaign-fixtures';
import { createTestDatabase, type TestDatabase } from './support/database';
import { okBody, phone } from './support/message-fixtures';
import {
  killAllServerProcesses,
  readDialLog,
  repeated,
  sleepUntil,
  startServerProcess,
  type ServerProcess,
} from './support/process-fixtures';

/**
 * The scheduler's claims across processes, proved with real `tsx server/main.ts` processes on one
 * database, as production runs them: several racing over one campaign dial every attempt key once;
 * a process killed with SIGKILL mid-dispatch loses nothing, leaves nothing DISPATCHED, and no key
 * is dialed twice after a restart. The simulated provider of each process appends every key it
 * dials to its own file (OUTREACH_SIM_DIAL_LOG): the union of those files is what was dialed.
 */
jest.setTimeout(180_000);

const API_KEY = `process-test-key-${randomBytes(8).toString('hex')}`;

/** Scheduler settings every process here runs with. */
const SCHEDULER_ENV = {
  OUTREACH_SCHEDULER_POLL_MS: '50',
  OUTREACH_CALLER_ID_MAX_CONCURRENT: '0',
  OUTREACH_CLAIM_BATCH: '500',
  OUTREACH_DB_POOL_SIZE: '8',
};

/** The i-th of many distinct numbers whose last digit is 0–5: the simulator answers COMPLETED. */
function completingNumber(i: number, series: number): string {
  return phone(Math.floor(i / 6) * 10 + (i % 6), series);
}

const databases: TestDatabase[] = [];
let dir: string;

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'outreach-processes-'));
});

afterAll(async () => {
  await killAllServerProcesses();
  await Promise.all(databases.map((d) => d.drop()));
  await fs.rm(dir, { recursive: true, force: true });
});

async function count(db: Kysely<Database>, query: RawBuilder<{ n: number }>): Promise<number> {
  return (await query.execute(db)).rows[0]?.n ?? 0;
}

const byStatus = async (db: Kysely<Database>, campaignId: string): Promise<Record<string, number>> => {
  const rows = await sql<{ status: string; n: number }>`
    select status, count(*)::int as n from messages where campaign_id = ${campaignId}::uuid group by status`.execute(db);
  return Object.fromEntries(rows.rows.map((r) => [r.status, r.n]));
};

interface AttemptRow {
  message_id: string;
  number: number;
  attempt_key: string;
  provider_call_id: string | null;
  started_at: Date;
  deadline_at: Date;
  ended_at: Date | null;
  outcome: string | null;
  answered_by: string | null;
}

const attemptRows = async (db: Kysely<Database>, campaignId: string): Promise<AttemptRow[]> =>
  (
    await sql<AttemptRow>`
      select a.message_id, a.number, a.attempt_key, p.provider_call_id, a.started_at, a.deadline_at, a.ended_at, a.outcome, a.answered_by
      from attempts a left join provider_calls p on p.message_id = a.message_id and p.number = a.number
      where a.campaign_id = ${campaignId}::uuid order by a.message_id, a.number`.execute(db)
  ).rows;

interface MessageRow {
  id: string;
  status: string;
  disposition: string | null;
  attempt_count: number;
  next_attempt_at: Date | null;
}

const messageRows = async (db: Kysely<Database>, campaignId: string): Promise<MessageRow[]> =>
  (
    await sql<MessageRow>`
      select id, status, disposition, attempt_count, next_attempt_at from messages where campaign_id = ${campaignId}::uuid`.execute(db)
  ).rows;

/** A BULK campaign of the default tenant, in UTC with no daily window (the whole day), holding `numbers`, not yet started. */
async function bulkCampaign(
  server: ServerProcess,
  name: string,
  settings: Record<string, unknown>,
  numbers: readonly string[],
): Promise<string> {
  const call = campaignCaller(server.url, API_KEY);
  const created = await createOk(call, minimalCampaign(name, { timezone: 'UTC', trigger: 'BULK', ...settings }));
  const campaignId = created.campaign_id as string;
  const recipients = numbers.map((phone_number) => ({ phone_number }));
  const added = okBody(await call('AddRecipients', { campaign_id: campaignId, recipients }), 'AddRecipients');
  expect(added).toMatchObject({ accepted: numbers.length });
  return campaignId;
}

/** Awaits a bounded wait; when it fails, the error also gives the messages' statuses and what the processes printed. */
async function waitOrExplain(
  wait: Promise<void>,
  db: Kysely<Database>,
  campaignId: string,
  servers: readonly ServerProcess[],
): Promise<void> {
  try {
    await wait;
  } catch (e: unknown) {
    const outputs = servers.map((s) => `--- ${s.name}:\n${s.output().slice(-4_000)}`).join('\n');
    throw new Error(`${(e as Error).message}; messages by status ${JSON.stringify(await byStatus(db, campaignId))}\n${outputs}`);
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

it('three processes racing over 5,000 messages dial every attempt key exactly once and lose nothing', async () => {
  const total = 5_000;
  const test = await createTestDatabase();
  databases.push(test);
  const t0 = Date.now();
  const servers = await Promise.all(
    ['race-a', 'race-b', 'race-c'].map((name) =>
      startServerProcess({
        name,
        databaseUrl: test.url,
        apiKey: API_KEY,
        dir,
        env: { ...SCHEDULER_ENV, OUTREACH_SIM_CALL_SECONDS: '0', OUTREACH_CLAIM_PER_CAMPAIGN: '200' },
      }),
    ),
  );
  const first = servers[0]!;
  const started = Date.now();
  const campaignId = await bulkCampaign(
    first,
    'three-process race',
    { max_concurrent_calls: 1000, max_call_attempts: 1 },
    Array.from({ length: total }, (_, i) => completingNumber(i, 0)),
  );
  // Filled while a draft, so every message is due the moment it starts: the three loops race for all of them.
  const queued = Date.now();
  await callOk(campaignCaller(first.url, API_KEY), 'StartCampaign', { campaign_id: campaignId });
  // Calls end at once (OUTREACH_SIM_CALL_SECONDS=0), so messages end steadily; a stretch with
  // none ending means some are stuck, and waiting out the full bound would only hide why.
  let ended = 0;
  let lastProgress = Date.now();
  await waitOrExplain(
    sleepUntil(
      async () => {
        const n = await count(test.db, sql<{ n: number }>`
          select count(*)::int as n from messages
          where campaign_id = ${campaignId}::uuid and status in ('SUCCEEDED', 'FAILED')`);
        if (n !== ended) [ended, lastProgress] = [n, Date.now()];
        if (Date.now() - lastProgress > 20_000) throw new Error(`no message ended for 20 s (${ended} of ${total} ended)`);
        return ended === total;
      },
      120_000,
      `all ${total} messages to end`,
    ),
    test.db,
    campaignId,
    servers,
  );
  const drained = Date.now();

  const logs = await Promise.all(servers.map((s) => readDialLog(s.dialLog)));
  const dialed = logs.flat();
  const attempts = await attemptRows(test.db, campaignId);
  const messages = await messageRows(test.db, campaignId);
  const split = Object.fromEntries(servers.map((s, i) => [s.name, logs[i]!.length]));
  console.log(
    `three-process race: ${total} messages; processes up in ${seconds(started - t0)}, campaign filled in ${seconds(queued - started)}, ` +
      `drained in ${seconds(drained - queued)} after StartCampaign; dials per process ${JSON.stringify(split)}`,
  );

  // Every key dialed exactly once, across the three processes.
  expect(repeated(dialed)).toEqual(new Map());
  expect(dialed).toHaveLength(total);
  // What was dialed is exactly what was recorded, and every record was dialed.
  expect(new Set(dialed)).toEqual(new Set(attempts.map((a) => a.attempt_key)));
  // Every message succeeded with exactly one attempt; no message lost, none left in flight.
  expect(messages).toHaveLength(total);
  expect(await byStatus(test.db, campaignId)).toEqual({ SUCCEEDED: total });
  expect(messages.filter((m) => m.disposition !== 'COMPLETED' || m.attempt_count !== 1)).toEqual([]);
  const perMessage = repeated(attempts.map((a) => a.message_id));
  expect(perMessage).toEqual(new Map());
  expect(new Set(attempts.map((a) => a.message_id))).toEqual(new Set(messages.map((m) => m.id)));
  expect(attempts.filter((a) => a.ended_at === null || a.outcome !== 'COMPLETED' || a.number !== 1)).toEqual([]);
  // Each process took a share: the race was real.
  for (const [name, n] of Object.entries(split)) expect({ name, dialed: n > 0 }).toEqual({ name, dialed: true });

  await Promise.all(servers.map((s) => s.kill9()));
});

it('kill -9 mid-dispatch: after a restart nothing is lost, nothing stays DISPATCHED, no key is dialed twice', async () => {
  const total = 300;
  const test = await createTestDatabase();
  databases.push(test);
  // Calls ring for 2 s, so many are in flight at any moment. An attempt is reconciled at its
  // deadline: ring (15 s, the least a campaign allows) + OUTREACH_MAX_CALL_SECONDS (1) + grace (1).
  const env = {
    ...SCHEDULER_ENV,
    OUTREACH_SIM_CALL_SECONDS: '2',
    OUTREACH_MAX_CALL_SECONDS: '1',
    OUTREACH_RECONCILE_GRACE_SECONDS: '1',
    OUTREACH_CLAIM_PER_CAMPAIGN: '100',
  };
  const victim = await startServerProcess({ name: 'victim', databaseUrl: test.url, apiKey: API_KEY, dir, env });
  const campaignId = await bulkCampaign(
    victim,
    'kill -9',
    {
      max_concurrent_calls: 100,
      ring_duration_seconds: 15,
      max_call_attempts: 2,
      retry_scenarios: ['FAILED'],
      min_gap_between_attempts: 3,
    },
    Array.from({ length: total }, (_, i) => completingNumber(i, 1)),
  );
  const t0 = Date.now();
  await callOk(campaignCaller(victim.url, API_KEY), 'StartCampaign', { campaign_id: campaignId });

  // Kill once a wave of calls has ended and the next is dispatched — preferably while a round's
  // attempts are committed but not all of their dials done (no provider call id recorded yet).
  let firstWaveEndedAt: number | undefined;
  let caughtMidDial = false;
  await sleepUntil(
    async () => {
      const row = (
        await sql<{ succeeded: number; dispatched: number; unrecorded: number }>`
          select
            (select count(*)::int from messages where campaign_id = ${campaignId}::uuid and status = 'SUCCEEDED') as succeeded,
            (select count(*)::int from messages where campaign_id = ${campaignId}::uuid and status = 'DISPATCHED') as dispatched,
            (select count(*)::int from attempts a where a.campaign_id = ${campaignId}::uuid and a.ended_at is null
              and not exists (select from provider_calls p where p.message_id = a.message_id and p.number = a.number)) as unrecorded`.execute(test.db)
      ).rows[0]!;
      if (row.succeeded === 0 || row.dispatched === 0) return false;
      firstWaveEndedAt ??= Date.now();
      caughtMidDial = row.unrecorded > 0;
      if (!caughtMidDial && Date.now() - firstWaveEndedAt < 3_000) return false;
      return true;
    },
    30_000,
    'calls to be in flight',
    10,
  );
  await victim.kill9();
  const killedAt = Date.now();
  const orphans = (await attemptRows(test.db, campaignId)).filter((a) => a.ended_at === null);
  const atKill = await byStatus(test.db, campaignId);
  expect(orphans.length).toBeGreaterThan(0);

  const successor = await startServerProcess({ name: 'successor', databaseUrl: test.url, apiKey: API_KEY, dir, env });
  const restartedAt = Date.now();
  const settledState = async (): Promise<boolean> => {
    const row = (
      await sql<{ dispatched: number; open: number; due: number }>`
        select
          (select count(*)::int from messages where campaign_id = ${campaignId}::uuid and status = 'DISPATCHED') as dispatched,
          (select count(*)::int from attempts where campaign_id = ${campaignId}::uuid and ended_at is null) as open,
          (select count(*)::int from messages where campaign_id = ${campaignId}::uuid and status = 'QUEUED'
            and next_attempt_at <= now()) as due`.execute(test.db)
    ).rows[0]!;
    return row.dispatched === 0 && row.open === 0 && row.due === 0;
  };
  await waitOrExplain(
    sleepUntil(settledState, 60_000, 'nothing DISPATCHED, no attempt open and nothing due'),
    test.db,
    campaignId,
    [victim, successor],
  );
  const settled = Date.now();

  const victimLog = await readDialLog(victim.dialLog);
  const successorLog = await readDialLog(successor.dialLog);
  const dialed = [...victimLog, ...successorLog];
  const attempts = await attemptRows(test.db, campaignId);
  const messages = await messageRows(test.db, campaignId);
  const keys = new Set(attempts.map((a) => a.attempt_key));
  const orphanKeys = new Set(orphans.map((o) => o.attempt_key));
  const victimDials = new Set(victimLog);
  console.log(
    `kill -9: killed ${seconds(killedAt - t0)} after StartCampaign with ${JSON.stringify(atKill)}; ` +
      `${orphans.length} attempts open (${orphans.filter((o) => o.provider_call_id === null).length} without a provider call id, ` +
      `${orphans.filter((o) => !victimDials.has(o.attempt_key)).length} never dialed; caught mid-dial: ${caughtMidDial}); ` +
      `successor up in ${seconds(restartedAt - killedAt)}, settled ${seconds(settled - restartedAt)} later; ` +
      `dials: victim ${victimLog.length}, successor ${successorLog.length}`,
  );

  // No key dialed twice, across the killed process and its successor; every dial has its record.
  expect(repeated(dialed)).toEqual(new Map());
  expect(dialed.filter((k) => !keys.has(k))).toEqual([]);
  // The successor never dialed a key the victim had recorded: orphans are reconciled, not redialed.
  expect(successorLog.filter((k) => orphanKeys.has(k))).toEqual([]);
  // No message lost.
  expect(messages).toHaveLength(total);

  // Exactly the attempts left open by the kill were reconciled — FAILED, answered_by
  // 'reconciled', no earlier than their deadline — and every other attempt was dialed and reported.
  const reconciled = attempts.filter((a) => a.answered_by === 'reconciled');
  expect(new Set(reconciled.map((a) => a.attempt_key))).toEqual(orphanKeys);
  for (const a of reconciled) {
    expect({ key: a.attempt_key, outcome: a.outcome, closedAfterDeadline: a.ended_at!.getTime() >= a.deadline_at.getTime() }).toEqual({
      key: a.attempt_key,
      outcome: 'FAILED',
      closedAfterDeadline: true,
    });
  }
  const dialedSet = new Set(dialed);
  const reported = attempts.filter((a) => a.answered_by !== 'reconciled');
  expect(reported.filter((a) => !dialedSet.has(a.attempt_key) || a.outcome !== 'COMPLETED')).toEqual([]);

  // Every message agrees with its attempts: numbered 1..n with n = attempt_count, none open; a
  // COMPLETED call succeeded it; a reconciled first attempt (FAILED is a retry scenario, 2 attempts
  // allowed) queued a retry no sooner than min_gap_between_attempts (3 min) after that attempt.
  const attemptsOf = new Map<string, AttemptRow[]>();
  for (const a of attempts) attemptsOf.set(a.message_id, [...(attemptsOf.get(a.message_id) ?? []), a]);
  const inconsistent: unknown[] = [];
  for (const m of messages) {
    const own = attemptsOf.get(m.id) ?? [];
    const last = own.at(-1);
    const numbered = own.every((a, i) => a.number === i + 1) && own.length === m.attempt_count;
    const closed = own.every((a) => a.ended_at !== null);
    let consistent = numbered && closed && last !== undefined;
    if (consistent && m.status === 'SUCCEEDED') {
      consistent = last!.outcome === 'COMPLETED' && m.disposition === 'COMPLETED';
    } else if (consistent && m.status === 'QUEUED') {
      const retryAfter = Math.max(last!.ended_at!.getTime(), last!.started_at.getTime()) + 3 * 60_000;
      consistent =
        last!.answered_by === 'reconciled' &&
        m.attempt_count === 1 &&
        m.disposition === 'FAILED' &&
        m.next_attempt_at !== null &&
        m.next_attempt_at.getTime() >= retryAfter - 1_000;
    } else {
      consistent = false;
    }
    if (!consistent) inconsistent.push({ message: m, attempts: own });
  }
  expect(inconsistent).toEqual([]);
  expect(await byStatus(test.db, campaignId)).toEqual({ SUCCEEDED: total - orphans.length, QUEUED: orphans.length });

  await successor.kill9();
});
