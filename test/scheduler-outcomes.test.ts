import { sql } from 'kysely';
import type { Provider } from '../server/providers/provider';
import { expectTwirpError } from './support/campaign-fixtures';
import { e164, okBody, phone, sendBody } from './support/message-fixtures';
import { rpc } from './support/rpc';
import {
  at,
  attemptsOf,
  expectCountersExact,
  historyOf,
  messageState,
  MINUTE,
  providerRig,
  reportOverRpc,
  runningCampaign,
  sendAt,
  silentRig,
  useSchedulerHarness,
} from './support/scheduler-fixtures';
import { createTestTenant } from './support/server';

/**
 * Outcomes reported through CallEvents.ReportCallOutcome (authenticated, idempotent, tenant-scoped),
 * OPTED_OUT into the do-not-call ledger and the pre-dial check, and the reconciler closing calls
 * whose outcome never came. The provider here records dials and never reports by itself.
 */

const h = useSchedulerHarness('scheduler-outcomes');
const { call } = h;

const T0 = at('2027-01-04T10:00');
const plusSeconds = (s: number, from = T0): Date => new Date(from.getTime() + s * 1000);

const report = (body: Record<string, unknown>, key = h.apiKey) => reportOverRpc(h.url, key, body);

async function checkNumber(number: string, key = h.apiKey): Promise<any> {
  const body = okBody(await rpc(h.url, 'DoNotCall', 'CheckNumber', { phone_numbers: [number] }, { key }), 'CheckNumber');
  return body.results[0];
}

/** Everything the outcome path may change about a message. */
async function snapshot(messageId: string) {
  return {
    message: await messageState(h.db, messageId),
    attempts: await attemptsOf(h.db, messageId),
    history: await historyOf(h.db, messageId),
  };
}

describe('CallEvents.ReportCallOutcome', () => {
  it('OPTED_OUT fails the message as OPTED_OUT, with no retry, and blocks the number at once', async () => {
    const rig = silentRig(h.db, T0);
    const campaignId = await runningCampaign(call, { max_call_attempts: 3 });
    const number = phone(1, 2);
    const id = await sendAt(call, campaignId, number, T0);
    await rig.round();
    expect(await messageState(h.db, id)).toMatchObject({ status: 'DISPATCHED', attempt_count: 1 });
    expect(await checkNumber(number)).toMatchObject({ blocked: false });

    const res = await report({ attempt_key: `${id}:1`, outcome: 'OPTED_OUT', duration_seconds: 7, answered_by: 'human' });

    expect({ status: res.status, body: res.body }).toEqual({
      status: 200,
      body: { message_id: id, status: 'FAILED', disposition: 'OPTED_OUT', duplicate: false },
    });
    expect(await messageState(h.db, id)).toEqual({
      status: 'FAILED',
      disposition: 'OPTED_OUT',
      attempt_count: 1,
      next_attempt_at: null,
      last_reason: 'opted_out',
    });
    expect(await attemptsOf(h.db, id)).toEqual([
      expect.objectContaining({ number: 1, outcome: 'OPTED_OUT', answered_by: 'human', ended_at: expect.any(Date) }),
    ]);
    expect(await checkNumber(number)).toMatchObject({
      phone_number: e164(number),
      blocked: true,
      entry: expect.objectContaining({ phone_number: e164(number), source: 'provider', expires_at: '' }),
    });
    // The next message to the number, in any campaign, is suppressed at intake.
    const other = await runningCampaign(call);
    const sent = okBody(await call('SendMessage', sendBody(other, number)));
    expect(sent).toMatchObject({ status: 'FAILED', disposition: 'OPTED_OUT' });

    rig.clock.set(plusSeconds(3600));
    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${id}:1`]);
    await expectCountersExact(call, h.db, campaignId);
  });

  it('a repeated report is duplicate: true and changes nothing (by provider_call_id, then by attempt_key)', async () => {
    const rig = silentRig(h.db, T0);
    const campaignId = await runningCampaign(call, { max_call_attempts: 3 });
    const id = await sendAt(call, campaignId, phone(2, 2), T0);
    await rig.round();

    const first = await report({ provider_call_id: `silent_${id}:1`, outcome: 'COMPLETED', duration_seconds: 42, recording_url: 'https://rec.example.com/1' });
    expect(first.body).toEqual({ message_id: id, status: 'SUCCEEDED', disposition: 'COMPLETED', duplicate: false });
    const before = await snapshot(id);
    expect(before.attempts[0]).toMatchObject({ outcome: 'COMPLETED' });

    for (const body of [
      { attempt_key: `${id}:1`, outcome: 'BUSY' },
      { attempt_key: `${id}:1`, outcome: 'COMPLETED', duration_seconds: 42 },
      { provider_call_id: `silent_${id}:1`, outcome: 'OPTED_OUT' },
    ]) {
      const again = await report(body);
      expect({ status: again.status, body: again.body }).toEqual({
        status: 200,
        body: { message_id: id, status: 'SUCCEEDED', disposition: 'COMPLETED', duplicate: true },
      });
    }
    expect(await snapshot(id)).toEqual(before);
    expect(await checkNumber(phone(2, 2))).toMatchObject({ blocked: false });
    await expectCountersExact(call, h.db, campaignId);
  });

  it("another tenant's attempt is not_found and stays as it was; bad requests name the field", async () => {
    const rig = silentRig(h.db, T0);
    const campaignId = await runningCampaign(call);
    const id = await sendAt(call, campaignId, phone(3, 2), T0);
    await rig.round();
    const before = await snapshot(id);
    const stranger = await createTestTenant(h.db, 'scheduler-outcomes-stranger');

    for (const body of [
      { attempt_key: `${id}:1`, outcome: 'OPTED_OUT' },
      { provider_call_id: `silent_${id}:1`, outcome: 'COMPLETED' },
    ]) {
      expectTwirpError(await report(body, stranger.apiKey), { status: 404, code: 'not_found' });
    }
    expect(await snapshot(id)).toEqual(before);
    expect(await checkNumber(phone(3, 2))).toMatchObject({ blocked: false });
    expect(await checkNumber(phone(3, 2), stranger.apiKey)).toMatchObject({ blocked: false });

    expectTwirpError(await report({ attempt_key: `${id}:9`, outcome: 'COMPLETED' }), { status: 404, code: 'not_found' });
    expectTwirpError(await report({ outcome: 'COMPLETED' }), { status: 400, code: 'invalid_argument', argument: 'attempt_key' });
    expectTwirpError(await report({ attempt_key: `${id}:1` }), { status: 400, code: 'invalid_argument', argument: 'outcome' });
    expect((await rpc(h.url, 'CallEvents', 'ReportCallOutcome', { attempt_key: `${id}:1`, outcome: 'COMPLETED' })).status).toBe(401);
    expect(await snapshot(id)).toEqual(before);

    const own = await report({ attempt_key: `${id}:1`, outcome: 'COMPLETED' });
    expect(own.body).toMatchObject({ message_id: id, status: 'SUCCEEDED', duplicate: false });
  });
});

describe('the pre-dial do-not-call check', () => {
  // DESIGN §2: "the pre-dial check fails closed (no ledger answer, no call)". A message queued
  // before its number went on the list must not be dialed.
  it('a queued message whose number opted out in another campaign is not dialed', async () => {
    const rig = silentRig(h.db, T0);
    const first = await runningCampaign(call);
    const second = await runningCampaign(call);
    const number = phone(4, 2);
    const optedOut = await sendAt(call, first, number, T0);
    const later = await sendAt(call, second, number, plusSeconds(3600));
    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${optedOut}:1`]);
    expect((await report({ attempt_key: `${optedOut}:1`, outcome: 'OPTED_OUT' })).status).toBe(200);

    rig.clock.set(plusSeconds(3600));
    await rig.round();

    expect(rig.dialedKeys()).toEqual([`${optedOut}:1`]);
    expect(await messageState(h.db, later)).toMatchObject({ status: 'FAILED', disposition: 'OPTED_OUT', attempt_count: 0 });
    await expectCountersExact(call, h.db, second);
  });

  it('a queued message whose number was added with DoNotCall.AddNumbers is not dialed', async () => {
    const rig = silentRig(h.db, T0);
    const campaignId = await runningCampaign(call);
    const number = phone(5, 2);
    const id = await sendAt(call, campaignId, number, T0);
    okBody(await rpc(h.url, 'DoNotCall', 'AddNumbers', { phone_numbers: [number], reason: 'asked by letter' }, { key: h.apiKey }));

    await rig.round();

    expect(rig.dialedKeys()).toEqual([]);
    expect(await messageState(h.db, id)).toMatchObject({ status: 'FAILED', disposition: 'OPTED_OUT', attempt_count: 0 });
  });

  it('an entry that lapsed before the dial does not hold the message back; one still in force does', async () => {
    const rig = silentRig(h.db, T0);
    const campaignId = await runningCampaign(call);
    // Numbers no other test of this file uses: the entries stay on the tenant's list.
    const lapsedNumber = phone(40, 2);
    const inForceNumber = phone(41, 2);
    const lapsed = await sendAt(call, campaignId, lapsedNumber, plusSeconds(3600));
    const held = await sendAt(call, campaignId, inForceNumber, plusSeconds(3600));
    // Entries that end 30 minutes and 2 hours after T0, on the scheduler's clock.
    await sql`
      insert into do_not_call (tenant_id, phone_number, source, expires_at)
      values (${h.tenantId}::uuid, ${`+${lapsedNumber}`}, 'test', ${plusSeconds(1800)}::timestamptz),
        (${h.tenantId}::uuid, ${`+${inForceNumber}`}, 'test', ${plusSeconds(7200)}::timestamptz)`.execute(h.db);

    rig.clock.set(plusSeconds(3600));
    await rig.round();

    expect(rig.dialedKeys()).toEqual([`${lapsed}:1`]);
    expect(await messageState(h.db, held)).toMatchObject({ status: 'FAILED', disposition: 'OPTED_OUT', attempt_count: 0 });
  });
});

describe('reconciliation', () => {
  async function deadlineOf(attemptKey: string): Promise<Date | undefined> {
    const result = await sql<{ deadline_at: Date }>`select deadline_at from attempts where attempt_key = ${attemptKey}`.execute(h.db);
    return result.rows[0]?.deadline_at;
  }

  it('a dial with no outcome is closed FAILED (reconciled) after ring + max call + grace, retried per the rules, never left DISPATCHED', async () => {
    const rig = silentRig(h.db, T0);
    // ring 20 s + maxCallSeconds 60 + grace 10 = 90 s.
    const campaignId = await runningCampaign(call, { ring_duration_seconds: 20, max_call_attempts: 2, min_gap_between_attempts: 10 });
    const id = await sendAt(call, campaignId, phone(6, 2), T0);
    await rig.round();
    expect(await deadlineOf(`${id}:1`)).toEqual(plusSeconds(90));

    rig.clock.set(plusSeconds(89));
    await rig.round();
    expect(await messageState(h.db, id)).toMatchObject({ status: 'DISPATCHED' });
    expect((await attemptsOf(h.db, id))[0]).toMatchObject({ ended_at: null, outcome: null });

    rig.clock.set(plusSeconds(90));
    await rig.round();
    expect((await attemptsOf(h.db, id))[0]).toMatchObject({ outcome: 'FAILED', answered_by: 'reconciled', ended_at: plusSeconds(90) });
    const retryAt = new Date(plusSeconds(90).getTime() + 10 * MINUTE);
    expect(await messageState(h.db, id)).toEqual({
      status: 'QUEUED',
      disposition: 'FAILED',
      attempt_count: 1,
      next_attempt_at: retryAt,
      last_reason: 'retry_scheduled',
    });
    expect(rig.dialedKeys()).toEqual([`${id}:1`]);
    await expectCountersExact(call, h.db, campaignId);

    // The provider's report arrives after all: kept out, the message has moved on.
    const late = await report({ attempt_key: `${id}:1`, outcome: 'COMPLETED' });
    expect(late.body).toMatchObject({ message_id: id, status: 'QUEUED', duplicate: true });
    expect((await attemptsOf(h.db, id))[0]).toMatchObject({ outcome: 'FAILED', answered_by: 'reconciled' });

    rig.clock.set(retryAt);
    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${id}:1`, `${id}:2`]);
    rig.clock.set(plusSeconds(90, retryAt));
    await rig.round();
    expect(await messageState(h.db, id)).toMatchObject({ status: 'FAILED', disposition: 'FAILED', attempt_count: 2, last_reason: 'max_attempts' });
    expect((await attemptsOf(h.db, id)).map((a) => a.answered_by)).toEqual(['reconciled', 'reconciled']);
    expect(rig.dialedKeys()).toEqual([`${id}:1`, `${id}:2`]);
    await expectCountersExact(call, h.db, campaignId);
  });

  it('when FAILED is not a retry scenario, a reconciled call fails the message', async () => {
    const rig = silentRig(h.db, T0);
    const campaignId = await runningCampaign(call, { max_call_attempts: 3, retry_scenarios: ['BUSY'] });
    const id = await sendAt(call, campaignId, phone(7, 2), T0);
    await rig.round();
    rig.clock.set(plusSeconds(100));
    await rig.round();
    expect(await messageState(h.db, id)).toMatchObject({ status: 'FAILED', disposition: 'FAILED', last_reason: 'not_retryable' });
    await expectCountersExact(call, h.db, campaignId);
  });
});

describe('a provider that refuses the dial', () => {
  class RefusingProvider implements Provider {
    readonly name = 'refusing';
    async dial(): Promise<{ providerCallId: string }> {
      throw new Error('carrier said no');
    }
    async close(): Promise<void> {}
  }

  it('the attempt is closed FAILED (provider_error) at once and the retry rules decide; nothing stays DISPATCHED', async () => {
    const rig = providerRig(h.db, T0, new RefusingProvider());
    const campaignId = await runningCampaign(call, { max_call_attempts: 2, min_gap_between_attempts: 10 });
    const id = await sendAt(call, campaignId, phone(8, 2), T0);

    await rig.round();
    expect((await attemptsOf(h.db, id))[0]).toMatchObject({ outcome: 'FAILED', answered_by: 'provider_error', ended_at: T0 });
    expect(await messageState(h.db, id)).toMatchObject({ status: 'QUEUED', disposition: 'FAILED', next_attempt_at: new Date(T0.getTime() + 10 * MINUTE) });

    rig.clock.set(new Date(T0.getTime() + 10 * MINUTE));
    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${id}:1`, `${id}:2`]);
    expect(await messageState(h.db, id)).toMatchObject({ status: 'FAILED', disposition: 'FAILED', attempt_count: 2, last_reason: 'max_attempts' });
    await expectCountersExact(call, h.db, campaignId);
  });
});
