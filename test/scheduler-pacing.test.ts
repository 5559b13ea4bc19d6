import { sql, type Kysely } from 'kysely';
import type { Database } from '../server/db/database';
import { createDb } from '../server/db/pool';
import { campaignCaller } from './support/campaign-fixtures';
import { okBody, phone, row } from './support/message-fixtures';
import { rpc } from './support/rpc';
import {
  at,
  expectCountersExact,
  historyOf,
  messageState,
  reportOverRpc,
  runningCampaign,
  sendAt,
  silentRig,
  simulatedRig,
  statusCounts,
  useSchedulerHarness,
} from './support/scheduler-fixtures';
import { ADMIN_KEY, createTestTenant } from './support/server';

/**
 * Pacing: `max_concurrent_calls` per campaign and the per-caller-id cap across campaigns are never
 * exceeded; claims are fair across campaigns; POOL dialers rotate their caller ids; the tenant's
 * frequency cap holds across campaigns.
 */

const h = useSchedulerHarness('scheduler-pacing');
const { call } = h;

const T0 = at('2027-01-04T10:00');
const plusSeconds = (s: number, from = T0): Date => new Date(from.getTime() + s * 1000);

async function callerIdCounts(campaignId: string): Promise<Record<string, number>> {
  const result = await sql<{ caller_id: string; n: number }>`
    select caller_id, count(*)::int as n from attempts where campaign_id = ${campaignId} group by caller_id`.execute(h.db);
  return Object.fromEntries(result.rows.map((r) => [r.caller_id, r.n]));
}

describe('max_concurrent_calls', () => {
  it('3 with 20 due messages and calls that never end: exactly 3 in flight after many rounds, none more', async () => {
    const rig = silentRig(h.db, T0);
    const campaignId = await runningCampaign(call, { max_concurrent_calls: 3 });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await sendAt(call, campaignId, phone(i, 3), T0));

    for (let round = 0; round < 6; round++) {
      rig.clock.set(plusSeconds(round * 5));
      await rig.round();
      expect(await statusCounts(h.db, campaignId)).toEqual({ DISPATCHED: 3, QUEUED: 17 });
      expect(rig.dialedKeys()).toHaveLength(3);
      expect(await expectCountersExact(call, h.db, campaignId)).toMatchObject({ dispatched: 3, queued: 17 });
    }

    // One call ends: exactly one slot frees, and exactly one more message is dialed.
    const first = rig.dials()[0]!;
    expect((await reportOverRpc(h.url, h.apiKey, { attempt_key: first.attemptKey, outcome: 'COMPLETED' })).status).toBe(200);
    for (let round = 6; round < 9; round++) {
      rig.clock.set(plusSeconds(round * 5));
      await rig.round();
      expect(await statusCounts(h.db, campaignId)).toEqual({ DISPATCHED: 3, QUEUED: 16, SUCCEEDED: 1 });
      expect(rig.dialedKeys()).toHaveLength(4);
    }
    expect(new Set(rig.dialedKeys()).size).toBe(4);
  });

  it('with calls that end, every round dials at most the free slots until all 20 are done', async () => {
    const rig = simulatedRig(h.db, T0);
    const campaignId = await runningCampaign(call, { max_concurrent_calls: 3 });
    for (let i = 0; i < 20; i++) await sendAt(call, campaignId, phone(i * 10, 4), T0);

    let maxInFlight = 0;
    const rounds: number[] = [];
    for (let round = 0; round < 10; round++) {
      rig.clock.set(plusSeconds(round));
      const before = rig.dialedKeys().length;
      await rig.scheduler.runRound();
      // Sampled right after the dials, before any outcome came back.
      const inFlight = (await statusCounts(h.db, campaignId)).DISPATCHED ?? 0;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await rig.settle();
      rounds.push(rig.dialedKeys().length - before);
    }
    expect(maxInFlight).toBe(3);
    expect(rounds).toEqual([3, 3, 3, 3, 3, 3, 2, 0, 0, 0]);
    expect(rig.dialedKeys()).toHaveLength(20);
    expect(await statusCounts(h.db, campaignId)).toEqual({ SUCCEEDED: 20 });
    expect(await expectCountersExact(call, h.db, campaignId)).toMatchObject({ total: 20, succeeded: 20, by_attempt: { '1': 20 } });
  });
});

describe('max_concurrent_calls with several schedulers on pools of their own', () => {
  const pools: Kysely<Database>[] = [];
  afterAll(async () => {
    for (const db of pools) await db.destroy();
  });

  it('four schedulers racing round for round on one campaign of 7 slots never put more than 7 calls in flight', async () => {
    for (let i = pools.length; i < 4; i++) pools.push(createDb({ connectionString: h.database.url, max: 4, statementTimeoutMs: 30_000, connectTimeoutMs: 10_000 }).db);
    const rigs = pools.map((db) => silentRig(db, T0, { scheduler: { perCampaign: 5 } }));
    const campaignId = await runningCampaign(call, { max_concurrent_calls: 7 });
    const recipients = Array.from({ length: 60 }, (_, i) => row(phone(1_000 + i, 3)));
    expect(okBody(await call('AddRecipients', { campaign_id: campaignId, recipients }), 'AddRecipients').accepted).toBe(60);

    const dialed = () => rigs.flatMap((rig) => rig.dials());
    const reported = new Set<string>();
    let ended = 0;
    for (let step = 0; step < 12; step++) {
      // Racing rounds until the freed slots are taken: a round that finds the campaign being
      // reserved by another skips it, so filling may take more than one; never more than 7 in flight.
      for (let round = 0; round < 6 && (await statusCounts(h.db, campaignId)).DISPATCHED !== 7; round++) {
        // Seconds apart, well before the first calls' reconcile deadline.
        for (const rig of rigs) rig.clock.set(plusSeconds(step * 5 + round * 0.5));
        await Promise.all(rigs.map((rig) => rig.round()));
        expect((await statusCounts(h.db, campaignId)).DISPATCHED).toBeLessThanOrEqual(7);
      }
      expect((await statusCounts(h.db, campaignId)).DISPATCHED).toBe(7);
      expect(dialed()).toHaveLength(7 + ended);
      // Two calls end between steps: exactly two slots free up.
      for (const d of dialed().filter((d) => !reported.has(d.attemptKey)).slice(0, 2)) {
        expect((await reportOverRpc(h.url, h.apiKey, { attempt_key: d.attemptKey, outcome: 'COMPLETED' })).status).toBe(200);
        reported.add(d.attemptKey);
      }
      ended += 2;
    }
    expect(new Set(dialed().map((d) => d.attemptKey)).size).toBe(dialed().length);
    const left = await sql<{ n: number }>`select count(*)::int as n from dispatch_reservations`.execute(h.db);
    expect(left.rows[0]?.n).toBe(0);
    await expectCountersExact(call, h.db, campaignId);
  }, 60_000);

  it('a reservation left by a process that died holds its slots until it expires, then the housekeeping drops it', async () => {
    const rig = silentRig(h.db, T0, { scheduler: { housekeepingIntervalMs: 0 } });
    const campaignId = await runningCampaign(call, { max_concurrent_calls: 3 });
    for (let i = 0; i < 5; i++) await sendAt(call, campaignId, phone(2_000 + i, 3), T0);
    // A round that reserved 2 slots and never committed.
    await sql`
      insert into dispatch_reservations (campaign_id, slots, expires_at)
      values (${campaignId}::uuid, 2, ${plusSeconds(30)}::timestamptz)`.execute(h.db);

    rig.clock.set(plusSeconds(1));
    await rig.round();
    expect(rig.dialedKeys()).toHaveLength(1);

    // Before the first call's deadline, so it is still in flight.
    rig.clock.set(plusSeconds(30));
    await rig.round();
    expect(rig.dialedKeys()).toHaveLength(3);
    const left = await sql<{ n: number }>`select count(*)::int as n from dispatch_reservations`.execute(h.db);
    expect(left.rows[0]?.n).toBe(0);
  });
});

describe('the per-caller-id cap across campaigns', () => {
  it('two campaigns sharing one caller id with a cap of 1: one call in flight; the rest wait (reason concurrency)', async () => {
    const rig = silentRig(h.db, T0, { scheduler: { callerIdCap: 1 } });
    const callerId = '+14155550177';
    const a = await runningCampaign(call, { phone_number_id: callerId });
    const b = await runningCampaign(call, { phone_number_id: callerId });
    const messages = [
      await sendAt(call, a, phone(1, 5), T0),
      await sendAt(call, a, phone(2, 5), T0),
      await sendAt(call, b, phone(3, 5), T0),
      await sendAt(call, b, phone(4, 5), T0),
    ];

    await rig.round();

    expect(rig.dialedKeys()).toHaveLength(1);
    const waiting = messages.filter((id) => `${id}:1` !== rig.dialedKeys()[0]);
    for (const id of waiting) {
      expect(await messageState(h.db, id)).toMatchObject({ status: 'QUEUED', next_attempt_at: plusSeconds(1), last_reason: 'concurrency' });
      expect(await historyOf(h.db, id)).toEqual([]);
    }
    for (let round = 1; round <= 3; round++) {
      rig.clock.set(plusSeconds(round));
      await rig.round();
      expect(rig.dialedKeys()).toHaveLength(1);
    }

    expect((await reportOverRpc(h.url, h.apiKey, { attempt_key: rig.dialedKeys()[0], outcome: 'COMPLETED' })).status).toBe(200);
    rig.clock.set(plusSeconds(5));
    await rig.round();
    expect(rig.dialedKeys()).toHaveLength(2);
    const inFlight = await sql<{ n: number }>`select count(*)::int as n from attempts where caller_id = ${callerId} and ended_at is null`.execute(h.db);
    expect(inFlight.rows[0]?.n).toBe(1);
  });
});

describe('fairness', () => {
  it("a campaign with 2,000 due messages does not starve another's single SendMessage: it is dialed in the first round", async () => {
    const rig = silentRig(h.db, T0);
    const big = await runningCampaign(call, { max_concurrent_calls: 1000, trigger: 'BULK' });
    const added = okBody(
      await call('AddRecipients', { campaign_id: big, recipients: Array.from({ length: 2000 }, (_, i) => row(phone(i, 1))) }),
      'AddRecipients',
    );
    expect(added.accepted).toBe(2000);
    const small = await runningCampaign(call);
    const single = await sendAt(call, small, phone(1, 0), T0);

    await rig.round();

    expect(rig.dialedKeys()).toContain(`${single}:1`);
    expect(await messageState(h.db, single)).toMatchObject({ status: 'DISPATCHED' });
    // The big campaign gets its share (perCampaign 100), not the whole batch.
    const bigDials = rig.dials().filter((d) => d.campaignId === big).length;
    expect(bigDials).toBeGreaterThan(0);
    expect(bigDials).toBeLessThanOrEqual(100);
    await expectCountersExact(call, h.db, big);
  }, 60_000);
});

describe('POOL dialers', () => {
  it('rotate through their caller ids', async () => {
    const rig = silentRig(h.db, T0);
    const pool = ['+14155550101', '+14155550102', '+14155550103'];
    const campaignId = await runningCampaign(call, { dialer_type: 'POOL', phone_number_pool: pool, phone_number_id: undefined });
    for (let i = 0; i < 9; i++) await sendAt(call, campaignId, phone(i, 0), T0);

    await rig.round();

    expect(rig.dialedKeys()).toHaveLength(9);
    expect(await callerIdCounts(campaignId)).toEqual({ [pool[0]!]: 3, [pool[1]!]: 3, [pool[2]!]: 3 });
    // Successive dials take successive ids.
    const used = rig.dials().map((d) => d.callerId);
    for (let i = 1; i < used.length; i++) expect(used[i]).not.toBe(used[i - 1]);
  });
});

describe("the tenant's frequency cap", () => {
  it('a number called once today is not called again by another campaign until the window frees (reason frequency_cap)', async () => {
    const tenant = await createTestTenant(h.db, 'scheduler-frequency');
    okBody(
      await rpc(h.url, 'Admin', 'SetTenantPolicy', { tenant_id: tenant.tenantId, max_calls_per_number: 1, frequency_window_days: 1 }, { key: ADMIN_KEY }),
      'SetTenantPolicy',
    );
    const capped = campaignCaller(h.url, tenant.apiKey);
    const rig = simulatedRig(h.db, T0);
    const number = phone(10, 0);
    const first = await sendAt(capped, await runningCampaign(capped), number, T0);
    const second = await sendAt(capped, await runningCampaign(capped), number, plusSeconds(60));

    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${first}:1`]);

    rig.clock.set(plusSeconds(60));
    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${first}:1`]);
    expect(await messageState(h.db, second)).toMatchObject({
      status: 'QUEUED',
      next_attempt_at: plusSeconds(86_400),
      last_reason: 'frequency_cap',
    });

    rig.clock.set(plusSeconds(86_399));
    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${first}:1`]);
    // (At the very instant the window frees the first call still counts — started_at >= since —
    // so the message moves on by a millisecond; a second later it is dialed.)
    rig.clock.set(plusSeconds(86_401));
    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${first}:1`, `${second}:1`]);
  });
});

describe('several schedulers on one database', () => {
  it('three schedulers racing round for round dial every attempt key exactly once and lose nothing', async () => {
    const rigs = [simulatedRig(h.db, T0), simulatedRig(h.db, T0), simulatedRig(h.db, T0)];
    const campaigns: string[] = [];
    for (let c = 0; c < 3; c++) {
      const id = await runningCampaign(call, { max_concurrent_calls: 100, max_call_attempts: 2, min_gap_between_attempts: 3 });
      campaigns.push(id);
      const recipients = Array.from({ length: 50 }, (_, i) => row(phone(c * 100 + i, 5)));
      expect(okBody(await call('AddRecipients', { campaign_id: id, recipients }), 'AddRecipients').accepted).toBe(50);
    }

    for (let minute = 0; minute <= 4; minute++) {
      for (const rig of rigs) rig.clock.set(new Date(T0.getTime() + minute * 60_000));
      await Promise.all(rigs.map((rig) => rig.scheduler.runRound()));
      await Promise.all(rigs.map((rig) => rig.settle()));
      for (const id of campaigns) await expectCountersExact(call, h.db, id);
    }

    const keys = rigs.flatMap((rig) => rig.dialedKeys());
    expect(keys.length).toBe(new Set(keys).size);
    const attempts = await sql<{ attempt_key: string }>`
      select attempt_key from attempts where campaign_id = any(${campaigns}::uuid[])`.execute(h.db);
    expect(new Set(keys)).toEqual(new Set(attempts.rows.map((r) => r.attempt_key)));
    // Digits 6, 7 and 9 (30 %) are retried once.
    expect(keys).toHaveLength(150 + 45);
    // 0–5 succeed; 8 (voicemail, not a retry scenario) fails at once; 6, 7, 9 fail on the second call.
    for (const id of campaigns) expect(await statusCounts(h.db, id)).toEqual({ SUCCEEDED: 30, FAILED: 20 });
    expect(rigs.flatMap((rig) => rig.reportErrors)).toEqual([]);
  }, 120_000);
});
