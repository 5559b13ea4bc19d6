import { callOk } from './support/campaign-fixtures';
import { okBody, phone, row } from './support/message-fixtures';
import {
  at,
  attemptsOf,
  campaignStatus,
  expectCountersExact,
  messageState,
  MINUTE,
  reportOverRpc,
  runningCampaign,
  sendAt,
  silentRig,
  simulatedRig,
  statusCounts,
  useSchedulerHarness,
} from './support/scheduler-fixtures';

/**
 * The scheduler and the campaign lifecycle: a paused campaign holds its messages and a resumed one
 * goes on; cancelling fails queued messages as CANCELLED while calls in flight finish; a BULK
 * campaign completes once every message is terminal; an API campaign runs until its end_date,
 * when its queued messages expire.
 */

const h = useSchedulerHarness('scheduler-lifecycle');
const { call } = h;

const T0 = at('2027-01-04T10:00');
const plus = (minutes: number, from = T0): Date => new Date(from.getTime() + minutes * MINUTE);

describe('pause and resume', () => {
  it('a paused campaign holds its messages (no dial); resumed, it goes on', async () => {
    const rig = simulatedRig(h.db, T0);
    const campaignId = await runningCampaign(call);
    const id = await sendAt(call, campaignId, phone(10, 1), T0);
    await callOk(call, 'PauseCampaign', { campaign_id: campaignId });

    for (let minute = 0; minute < 3; minute++) {
      rig.clock.set(plus(minute));
      await rig.round();
    }
    expect(rig.dialedKeys()).toEqual([]);
    expect(await messageState(h.db, id)).toMatchObject({ status: 'QUEUED', attempt_count: 0, next_attempt_at: T0 });

    await callOk(call, 'ResumeCampaign', { campaign_id: campaignId });
    rig.clock.set(plus(3));
    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${id}:1`]);
    expect(await messageState(h.db, id)).toMatchObject({ status: 'SUCCEEDED', disposition: 'COMPLETED' });
    await expectCountersExact(call, h.db, campaignId);
  });

  it('a retry that comes due while paused waits for the resume', async () => {
    const rig = simulatedRig(h.db, T0);
    const campaignId = await runningCampaign(call, { max_call_attempts: 2, min_gap_between_attempts: 10 });
    const id = await sendAt(call, campaignId, phone(16, 1), T0);
    await rig.round();
    expect(await messageState(h.db, id)).toMatchObject({ status: 'QUEUED', disposition: 'BUSY', next_attempt_at: plus(10) });

    await callOk(call, 'PauseCampaign', { campaign_id: campaignId });
    rig.clock.set(plus(30));
    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${id}:1`]);

    await callOk(call, 'ResumeCampaign', { campaign_id: campaignId });
    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${id}:1`, `${id}:2`]);
  });
});

describe('CancelCampaign', () => {
  it('fails the queued messages as CANCELLED; the call in flight finishes and is recorded; nothing is dialed after', async () => {
    const rig = silentRig(h.db, T0);
    const campaignId = await runningCampaign(call, { max_concurrent_calls: 1, max_call_attempts: 3 });
    const inFlight = await sendAt(call, campaignId, phone(20, 1), T0);
    const queued = await sendAt(call, campaignId, phone(30, 1), T0);
    const later = await sendAt(call, campaignId, phone(40, 1), plus(60));
    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${inFlight}:1`]);

    await callOk(call, 'CancelCampaign', { campaign_id: campaignId });

    for (const id of [queued, later]) {
      expect(await messageState(h.db, id)).toEqual({
        status: 'FAILED',
        disposition: 'CANCELLED',
        attempt_count: 0,
        next_attempt_at: null,
        last_reason: 'campaign_cancelled',
      });
    }
    expect(await messageState(h.db, inFlight)).toMatchObject({ status: 'DISPATCHED' });
    await expectCountersExact(call, h.db, campaignId);

    const res = await reportOverRpc(h.url, h.apiKey, { attempt_key: `${inFlight}:1`, outcome: 'COMPLETED', duration_seconds: 30 });
    expect(res.body).toMatchObject({ message_id: inFlight, status: 'SUCCEEDED', disposition: 'COMPLETED', duplicate: false });

    rig.clock.set(plus(120));
    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${inFlight}:1`]);
    expect(await campaignStatus(h.db, campaignId)).toBe('CANCELLED');
    expect(await expectCountersExact(call, h.db, campaignId)).toMatchObject({
      total: 3,
      succeeded: 1,
      failed: 2,
      by_disposition: { COMPLETED: 1, CANCELLED: 2 },
    });
  });

  it('a retryable outcome of a call in flight when the campaign was cancelled is not retried', async () => {
    const rig = silentRig(h.db, T0);
    const campaignId = await runningCampaign(call, { max_call_attempts: 3 });
    const id = await sendAt(call, campaignId, phone(50, 1), T0);
    await rig.round();
    await callOk(call, 'CancelCampaign', { campaign_id: campaignId });

    const res = await reportOverRpc(h.url, h.apiKey, { attempt_key: `${id}:1`, outcome: 'BUSY' });
    expect(res.body).toMatchObject({ message_id: id, status: 'FAILED', duplicate: false });
    expect(await messageState(h.db, id)).toMatchObject({ status: 'FAILED', next_attempt_at: null });
    await expectCountersExact(call, h.db, campaignId);
  });
});

describe('BULK completion', () => {
  it('completes once every message is terminal and no retry remains, not before', async () => {
    const rig = simulatedRig(h.db, T0);
    const campaignId = await runningCampaign(call, { trigger: 'BULK', max_call_attempts: 2, min_gap_between_attempts: 10 });
    // 0 COMPLETED, 9 FAILED (retried once), 6 BUSY (retried once).
    const added = okBody(
      await call('AddRecipients', { campaign_id: campaignId, recipients: [row(phone(60, 1)), row(phone(69, 1)), row(phone(76, 1))] }),
      'AddRecipients',
    );
    expect(added.accepted).toBe(3);

    await rig.round();
    expect(await statusCounts(h.db, campaignId)).toEqual({ SUCCEEDED: 1, QUEUED: 2 });
    rig.clock.set(plus(5));
    await rig.round();
    expect(await campaignStatus(h.db, campaignId)).toBe('RUNNING');

    rig.clock.set(plus(10));
    await rig.round();
    expect(await statusCounts(h.db, campaignId)).toEqual({ SUCCEEDED: 1, FAILED: 2 });
    await expectCountersExact(call, h.db, campaignId);

    rig.clock.set(plus(11));
    await rig.round();
    const campaign = await callOk(call, 'GetCampaign', { campaign_id: campaignId });
    expect(campaign).toMatchObject({ status: 'COMPLETED', ended_at: plus(11).toISOString() });
    expect(rig.dialedKeys()).toHaveLength(5);
  });

  it('a BULK campaign with no messages yet keeps running', async () => {
    const rig = simulatedRig(h.db, T0);
    const campaignId = await runningCampaign(call, { trigger: 'BULK' });
    await rig.round();
    expect(await campaignStatus(h.db, campaignId)).toBe('RUNNING');
  });

  it('an API campaign whose messages are all done keeps running', async () => {
    const rig = simulatedRig(h.db, T0);
    const campaignId = await runningCampaign(call, { trigger: 'API' });
    await sendAt(call, campaignId, phone(70, 1), T0);
    await rig.round();
    rig.clock.set(plus(1));
    await rig.round();
    expect(await statusCounts(h.db, campaignId)).toEqual({ SUCCEEDED: 1 });
    expect(await campaignStatus(h.db, campaignId)).toBe('RUNNING');
  });
});

describe('end_date', () => {
  it('an API campaign past its end_date completes and its queued messages expire', async () => {
    const rig = simulatedRig(h.db, T0);
    const campaignId = await runningCampaign(call, { end_date: '2027-01-05' });
    const done = await sendAt(call, campaignId, phone(80, 1), T0);
    const waiting = await sendAt(call, campaignId, phone(90, 1), at('2027-01-08T10:00'));
    await rig.round();
    expect(await messageState(h.db, done)).toMatchObject({ status: 'SUCCEEDED' });

    rig.clock.set(at('2027-01-05T23:59:59'));
    await rig.round();
    expect(await campaignStatus(h.db, campaignId)).toBe('RUNNING');
    expect(await messageState(h.db, waiting)).toMatchObject({ status: 'QUEUED' });

    rig.clock.set(at('2027-01-06T00:00'));
    await rig.round();
    expect(await campaignStatus(h.db, campaignId)).toBe('COMPLETED');
    expect(await messageState(h.db, waiting)).toEqual({
      status: 'FAILED',
      disposition: 'EXPIRED',
      attempt_count: 0,
      next_attempt_at: null,
      last_reason: 'expired',
    });
    expect(await expectCountersExact(call, h.db, campaignId)).toMatchObject({
      total: 2,
      succeeded: 1,
      failed: 1,
      by_disposition: { COMPLETED: 1, EXPIRED: 1 },
    });
    expect(rig.dialedKeys()).toEqual([`${done}:1`]);
  });

  it('a call in flight at the end date finishes and is recorded, but is not retried', async () => {
    const rig = silentRig(h.db, at('2027-01-05T23:59'));
    const campaignId = await runningCampaign(call, { end_date: '2027-01-05', max_call_attempts: 3 });
    const id = await sendAt(call, campaignId, phone(96, 1), rig.clock.now());
    await rig.round();
    rig.clock.set(at('2027-01-06T00:00:30'));
    await rig.round();
    expect(await campaignStatus(h.db, campaignId)).toBe('COMPLETED');
    expect(await messageState(h.db, id)).toMatchObject({ status: 'DISPATCHED' });

    const res = await reportOverRpc(h.url, h.apiKey, { attempt_key: `${id}:1`, outcome: 'BUSY' });
    // The call is recorded as it ended; the message ends (no retry is left before the end date).
    expect(res.body).toMatchObject({ message_id: id, status: 'FAILED', duplicate: false });
    expect((await attemptsOf(h.db, id))[0]).toMatchObject({ outcome: 'BUSY', ended_at: expect.any(Date) });
    expect(await messageState(h.db, id)).toMatchObject({ status: 'FAILED', next_attempt_at: null });
    await expectCountersExact(call, h.db, campaignId);
  });
});
