import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../server/db/database';
import { createDb } from '../server/db/pool';
import { expectTwirpError } from './support/campaign-fixtures';
import { useHarness } from './support/harness';
import {
  addDoNotCall,
  campaignIn,
  okBody,
  phone,
  row,
  sendBody,
  sendOk,
  statsOk,
  statsTruth,
  type StatsTruth,
} from './support/message-fixtures';

const h = useHarness('messages-stats');
const { call } = h;

async function expectStatsMatchTruth(campaignId: string): Promise<StatsTruth> {
  const truth = await statsTruth(h.db, campaignId);
  expect(await statsOk(call, campaignId)).toEqual(truth);
  expect(truth.total).toBe(truth.queued + truth.dispatched + truth.succeeded + truth.failed);
  return truth;
}

async function idsOf(campaignId: string, status: string, limit: number): Promise<string[]> {
  const result = await sql<{ id: string }>`
    select id from messages where campaign_id = ${campaignId} and status = ${status} order by seq limit ${limit}`.execute(h.db);
  return result.rows.map((r) => r.id);
}

describe('GetCampaignStats', () => {
  it('an empty campaign: every counter zero, empty maps', async () => {
    const campaignId = await campaignIn(call, h.db);
    expect(await statsOk(call, campaignId)).toEqual({
      campaign_id: campaignId,
      total: 0,
      queued: 0,
      dispatched: 0,
      succeeded: 0,
      failed: 0,
      by_disposition: {},
      by_attempt: {},
    });
  });

  it('after sends, recipients, cancellations, suppressions and status changes, equals the ground truth at each step', async () => {
    const campaignId = await campaignIn(call, h.db);
    const other = await campaignIn(call, h.db);
    await addDoNotCall(h.db, h.tenantId, [phone(3), phone(4), phone(105)]);
    for (let i = 0; i < 10; i++) await sendOk(call, sendBody(campaignId, phone(i)));
    await sendOk(call, sendBody(campaignId, phone(0), { AllowDuplicates: true }));
    await sendOk(call, sendBody(other, phone(0)));
    expect(await expectStatsMatchTruth(campaignId)).toMatchObject({ total: 11, queued: 9, failed: 2, by_disposition: { OPTED_OUT: 2 } });

    const rows = [...Array.from({ length: 50 }, (_, i) => row(phone(100 + i))), row('bad'), row(phone(1)), row(phone(100))];
    expect(okBody(await call('AddRecipients', { campaign_id: campaignId, recipients: rows }))).toMatchObject({
      accepted: 49,
      suppressed: 1,
      skipped_invalid: 1,
      skipped_duplicate: 2,
    });
    await expectStatsMatchTruth(campaignId);

    for (const id of await idsOf(campaignId, 'QUEUED', 3)) okBody(await call('CancelMessage', { message_id: id }));
    await expectStatsMatchTruth(campaignId);

    // What the scheduler will do, done in SQL: dispatch, finish, retry — across two campaigns in one statement.
    const toDispatch = [...(await idsOf(campaignId, 'QUEUED', 20)), ...(await idsOf(other, 'QUEUED', 1))];
    await sql`update messages set status = 'DISPATCHED', attempt_count = attempt_count + 1 where id = any(${toDispatch}::uuid[])`.execute(h.db);
    await expectStatsMatchTruth(campaignId);
    const dispatched = await idsOf(campaignId, 'DISPATCHED', 20);
    await sql`update messages set status = 'SUCCEEDED', disposition = 'COMPLETED' where id = any(${dispatched.slice(0, 8)}::uuid[])`.execute(h.db);
    await sql`update messages set status = 'FAILED', disposition = 'BUSY' where id = any(${dispatched.slice(8, 12)}::uuid[])`.execute(h.db);
    await sql`update messages set status = 'QUEUED' where id = any(${dispatched.slice(12, 16)}::uuid[])`.execute(h.db);
    await sql`update messages set status = 'DISPATCHED', attempt_count = attempt_count + 1 where id = any(${dispatched.slice(12, 14)}::uuid[])`.execute(h.db);
    await sql`update messages set status = 'SUCCEEDED', disposition = 'VOICEMAIL', attempt_count = attempt_count + 1
              where id = any(${dispatched.slice(12, 13)}::uuid[])`.execute(h.db);
    const truth = await expectStatsMatchTruth(campaignId);
    expect(truth).toMatchObject({
      total: 61,
      succeeded: 9,
      by_disposition: { COMPLETED: 8, VOICEMAIL: 1, BUSY: 4, OPTED_OUT: 3, CANCELLED: 3 },
      by_attempt: { '1': 20, '2': 2, '3': 1 },
    });
    expect(await statsOk(call, other)).toEqual(await statsTruth(h.db, other));
    expect(await statsOk(call, other)).toMatchObject({ total: 1, dispatched: 1, by_attempt: { '1': 1 } });
  });

  it('a rolled-back multi-statement transaction leaves the counters as they were', async () => {
    const campaignId = await campaignIn(call, h.db);
    okBody(await call('AddRecipients', { campaign_id: campaignId, recipients: Array.from({ length: 30 }, (_, i) => row(phone(i, 1))) }));
    const before = await expectStatsMatchTruth(campaignId);
    await expect(
      h.db.transaction().execute(async (trx) => {
        await sql`update messages set status = 'DISPATCHED', attempt_count = 1 where campaign_id = ${campaignId}`.execute(trx);
        await sql`update messages set status = 'SUCCEEDED', disposition = 'COMPLETED' where campaign_id = ${campaignId}`.execute(trx);
        await sql`insert into messages (id, tenant_id, campaign_id, phone_number, scheduled_at, next_attempt_at)
                  values (${randomUUID()}, ${h.tenantId}, ${campaignId}, '+918123099999', now(), now())`.execute(trx);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await expectStatsMatchTruth(campaignId)).toEqual(before);
  });

  it('counts by disposition only ended messages: a message queued again for a retry is not counted there', async () => {
    const campaignId = await campaignIn(call, h.db);
    const sent = await sendOk(call, sendBody(campaignId, phone(1, 2)));
    await sql`update messages set status = 'DISPATCHED', attempt_count = 1 where id = ${sent.message_id}`.execute(h.db);
    // The line was busy and a retry is scheduled: the message is queued again, its last outcome BUSY.
    await sql`update messages set status = 'QUEUED', disposition = 'BUSY' where id = ${sent.message_id}`.execute(h.db);
    const stats = await statsOk(call, campaignId);
    expect(stats).toMatchObject({ total: 1, queued: 1, by_attempt: { '1': 1 } });
    expect(stats.by_disposition).toEqual({});
  });

  it('requires campaign_id; an unknown campaign is not_found', async () => {
    expectTwirpError(await call('GetCampaignStats', {}), { status: 400, code: 'invalid_argument', argument: 'campaign_id' });
    expectTwirpError(await call('GetCampaignStats', { campaign_id: randomUUID() }), { status: 404, code: 'not_found' });
  });
});

describe('GetCampaignStats while statuses change underneath', () => {
  it('total = queued + dispatched + succeeded + failed on every answer; exact at the end', async () => {
    const campaignId = await campaignIn(call, h.db);
    okBody(await call('AddRecipients', { campaign_id: campaignId, recipients: Array.from({ length: 400 }, (_, i) => row(phone(i, 3))) }));
    const { db: writers } = createDb({ connectionString: h.database.url, max: 6, statementTimeoutMs: 20_000, connectTimeoutMs: 5_000 });
    const deadline = Date.now() + 4_000;
    const violations: unknown[] = [];
    const work = { dispatched: 0, finished: 0, rolledBack: 0, sent: 0, added: 0, cancelled: 0, polls: 0 };
    let nextNumber = 0;
    const freshNumber = (): string => phone(nextNumber++, 4);
    let settled: PromiseSettledResult<void>[];
    try {
      // allSettled: a loop that throws must not leave the others running past the pool's end.
      settled = await Promise.allSettled([
        ...[0, 1, 2].map((k) => updater(writers, campaignId, k, deadline, work)),
        rollingBack(writers, campaignId, deadline, work),
        (async () => {
          while (Date.now() < deadline) {
            const res = await call('SendMessage', sendBody(campaignId, freshNumber()));
            if (res.status !== 200) violations.push({ SendMessage: res.status, body: res.body });
            else work.sent += 1;
          }
        })(),
        (async () => {
          while (Date.now() < deadline) {
            const recipients = Array.from({ length: 25 }, () => row(freshNumber()));
            const res = await call('AddRecipients', { campaign_id: campaignId, recipients });
            if (res.status !== 200 || res.body.accepted !== 25) violations.push({ AddRecipients: res.status, body: res.body });
            else work.added += 25;
          }
        })(),
        (async () => {
          while (Date.now() < deadline) {
            // The newest of the first 100 queued: the updaters claim the oldest first.
            const page = await call('ListMessages', { campaign_id: campaignId, status: ['QUEUED'], page_size: 100 });
            const messages = (page.body?.messages ?? []) as { message_id: string }[];
            const id = messages[messages.length - 1]?.message_id;
            if (id === undefined) continue;
            const res = await call('CancelMessage', { message_id: id });
            // 412 when an updater dispatched it first.
            if (res.status === 200) work.cancelled += 1;
            else if (res.status !== 412) violations.push({ CancelMessage: res.status, body: res.body });
          }
        })(),
        ...[0, 1].map(() => poller(campaignId, deadline, violations, work)),
      ]);
    } finally {
      await writers.destroy();
    }
    expect(settled.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(violations).toEqual([]);
    expect(work.polls).toBeGreaterThan(20);
    expect(work.dispatched).toBeGreaterThan(0);
    expect(work.finished).toBeGreaterThan(0);
    expect(work.rolledBack).toBeGreaterThan(0);
    expect(work.sent + work.added).toBeGreaterThan(0);
    const truth = await expectStatsMatchTruth(campaignId);
    expect(truth.total).toBe(400 + work.sent + work.added);
  });
});

type Work = { dispatched: number; finished: number; rolledBack: number; polls: number };

/** Dispatches a few QUEUED messages in one transaction, then ends them in another. */
async function updater(db: Kysely<Database>, campaignId: string, k: number, deadline: number, work: Work): Promise<void> {
  for (let round = 0; Date.now() < deadline; round++) {
    const claimed = await sql<{ id: string }>`
      update messages set status = 'DISPATCHED', attempt_count = attempt_count + 1, updated_at = now()
      where id in (select id from messages where campaign_id = ${campaignId} and status = 'QUEUED'
                   order by seq limit 8 for update skip locked)
      returning id`.execute(db);
    const ids = claimed.rows.map((r) => r.id);
    work.dispatched += ids.length;
    if (ids.length === 0) continue;
    const outcome = (round + k) % 3;
    if (outcome === 0) {
      await sql`update messages set status = 'SUCCEEDED', disposition = 'COMPLETED' where id = any(${ids}::uuid[])`.execute(db);
    } else if (outcome === 1) {
      await sql`update messages set status = 'FAILED', disposition = 'BUSY' where id = any(${ids}::uuid[])`.execute(db);
    } else {
      // About half succeed, the rest go back to the queue for a retry.
      await sql`update messages
                set status = case when hashtext(id::text) % 2 = 0 then 'SUCCEEDED' else 'QUEUED' end,
                    disposition = case when hashtext(id::text) % 2 = 0 then 'COMPLETED' end
                where id = any(${ids}::uuid[])`.execute(db);
    }
    work.finished += ids.length;
  }
}

/** Changes many statuses in several statements of one transaction, then rolls it back. */
async function rollingBack(db: Kysely<Database>, campaignId: string, deadline: number, work: Work): Promise<void> {
  while (Date.now() < deadline) {
    await db
      .transaction()
      .execute(async (trx) => {
        await sql`update messages set status = 'DISPATCHED', attempt_count = attempt_count + 1
                  where id in (select id from messages where campaign_id = ${campaignId} and status = 'QUEUED'
                               order by seq desc limit 20 for update skip locked)`.execute(trx);
        await sql`update messages set status = 'FAILED', disposition = 'NO_ANSWER'
                  where campaign_id = ${campaignId} and status = 'DISPATCHED' and id in (
                    select id from messages where campaign_id = ${campaignId} and status = 'DISPATCHED' for update skip locked)`.execute(trx);
        throw new RolledBack();
      })
      .catch((e: unknown) => {
        if (!(e instanceof RolledBack)) throw e;
        work.rolledBack += 1;
      });
  }
}

class RolledBack extends Error {}

/** Polls the counters and records every answer that breaks an invariant. */
async function poller(campaignId: string, deadline: number, violations: unknown[], work: Work): Promise<void> {
  let lastTotal = 0;
  while (Date.now() < deadline) {
    const res = await call('GetCampaignStats', { campaign_id: campaignId });
    work.polls += 1;
    if (res.status !== 200) {
      violations.push({ GetCampaignStats: res.status, body: res.body });
      continue;
    }
    const s = res.body as StatsTruth;
    const ended = Object.values(s?.by_disposition ?? {}).reduce((a, b) => a + b, 0);
    const problems = [
      s.total !== s.queued + s.dispatched + s.succeeded + s.failed && 'total ≠ sum',
      [s.total, s.queued, s.dispatched, s.succeeded, s.failed].some((n) => n < 0) && 'negative',
      s.total < lastTotal && 'total went down',
      ended !== s.succeeded + s.failed && 'by_disposition ≠ ended',
      (s.by_attempt?.['1'] ?? 0) < s.dispatched + s.succeeded && 'by_attempt[1] < dispatched + succeeded',
    ].filter(Boolean);
    if (problems.length > 0) violations.push({ problems, stats: s });
    lastTotal = s.total;
  }
}
