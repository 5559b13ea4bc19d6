import { businessHoursCaller, officeHoursBody, okBody as bhOk } from './support/business-hours-fixtures';
import { campaignCaller, type CampaignCall } from './support/campaign-fixtures';
import { e164, okBody, phone, sendBody } from './support/message-fixtures';
import { rpc } from './support/rpc';
import {
  at,
  attemptsOf,
  expectCountersExact,
  historyOf,
  messageState,
  NY,
  runningCampaign,
  sendAt,
  simulatedRig,
  useSchedulerHarness,
} from './support/scheduler-fixtures';
import { ADMIN_KEY, createTestTenant } from './support/server';

/**
 * The scheduler against the calling window, driven round by round with a manual clock: dial
 * inside it; outside it reschedule (to the next opening, reason recorded) or discard; bypass;
 * business-hours holidays; the tenant's quiet hours over the window and over bypass; ScheduledAt.
 * Mondays to Fridays 09:00–17:00 New York time unless a test says otherwise; 2027-01-04 is a Monday.
 */

const h = useSchedulerHarness('scheduler-window');
const { call } = h;

const WEEKDAYS_9_TO_5 = {
  days_of_week: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'],
  daily_start_time: '09:00',
  daily_end_time: '17:00',
};

/** Numbers ending in 0 complete (the simulated provider's last-digit rule). */
const completing = (i: number, series = 0): string => phone(i * 10, series);

describe('inside the window', () => {
  it('dials a due message once: attempt row with its key and caller id, then the outcome', async () => {
    const rig = simulatedRig(h.db, at('2027-01-04T10:00'));
    const campaignId = await runningCampaign(call, WEEKDAYS_9_TO_5);
    const id = await sendAt(call, campaignId, completing(1), rig.clock.now());

    await rig.round();

    expect(rig.dialedKeys()).toEqual([`${id}:1`]);
    expect(rig.dials()[0]).toMatchObject({
      messageId: id,
      campaignId,
      tenantId: h.tenantId,
      phoneNumber: e164(completing(1)),
      callerId: '+14155550100',
      assistantId: 'asst_minimal',
    });
    expect(await messageState(h.db, id)).toEqual({
      status: 'SUCCEEDED',
      disposition: 'COMPLETED',
      attempt_count: 1,
      next_attempt_at: null,
      last_reason: null,
    });
    const attempts = await attemptsOf(h.db, id);
    expect(attempts).toEqual([
      {
        number: 1,
        attempt_key: `${id}:1`,
        caller_id: '+14155550100',
        outcome: 'COMPLETED',
        answered_by: null,
        started_at: rig.clock.now(),
        ended_at: rig.clock.now(),
        provider_call_id: `sim_${id}:1`,
      },
    ]);
    // The dial is recorded by the attempt row above; the history holds what followed it.
    expect((await historyOf(h.db, id)).map((e) => e.kind)).toEqual(['succeeded']);
    await expectCountersExact(call, h.db, campaignId);

    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${id}:1`]);
    expect(rig.reportErrors).toEqual([]);
  });
});

describe('outside the window', () => {
  it.each([
    ['Friday evening', '2027-01-08T18:30', '2027-01-11T09:00'],
    ['Saturday noon', '2027-01-09T12:00', '2027-01-11T09:00'],
    ['Monday before opening', '2027-01-04T07:15', '2027-01-04T09:00'],
    ['at the closing minute (the end is exclusive)', '2027-01-06T17:00', '2027-01-07T09:00'],
  ])('RESCHEDULE: %s moves to the next opening, reason outside_window, then dials there', async (_, now, opening) => {
    const rig = simulatedRig(h.db, at(now));
    const campaignId = await runningCampaign(call, { ...WEEKDAYS_9_TO_5, dnd_action: 'RESCHEDULE' });
    const id = await sendAt(call, campaignId, completing(2), rig.clock.now());

    await rig.round();

    expect(rig.dialedKeys()).toEqual([]);
    expect(await messageState(h.db, id)).toEqual({
      status: 'QUEUED',
      disposition: null,
      attempt_count: 0,
      next_attempt_at: at(opening),
      last_reason: 'outside_window',
    });
    expect(await historyOf(h.db, id)).toEqual([
      { kind: 'rescheduled', reason: 'outside_window', detail: { at: at(opening).toISOString() } },
    ]);
    await expectCountersExact(call, h.db, campaignId);

    rig.clock.set(new Date(at(opening).getTime() - 1_000));
    await rig.round();
    expect(rig.dialedKeys()).toEqual([]);

    rig.clock.set(at(opening));
    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${id}:1`]);
    expect(await messageState(h.db, id)).toMatchObject({ status: 'SUCCEEDED', disposition: 'COMPLETED', last_reason: null });
    await expectCountersExact(call, h.db, campaignId);
  });

  it('DISCARD ends the message FAILED/DISCARDED_DND without a call; inside the window it still dials', async () => {
    const rig = simulatedRig(h.db, at('2027-01-09T12:00'));
    const campaignId = await runningCampaign(call, { ...WEEKDAYS_9_TO_5, dnd_action: 'DISCARD' });
    const discarded = await sendAt(call, campaignId, completing(3), rig.clock.now());

    await rig.round();

    expect(rig.dialedKeys()).toEqual([]);
    expect(await messageState(h.db, discarded)).toEqual({
      status: 'FAILED',
      disposition: 'DISCARDED_DND',
      attempt_count: 0,
      next_attempt_at: null,
      last_reason: 'outside_window',
    });
    expect(await historyOf(h.db, discarded)).toEqual([
      { kind: 'failed', reason: 'outside_window', detail: { disposition: 'DISCARDED_DND' } },
    ]);
    expect(await attemptsOf(h.db, discarded)).toEqual([]);
    await expectCountersExact(call, h.db, campaignId);

    rig.clock.set(at('2027-01-11T10:00'));
    const dialed = await sendAt(call, campaignId, completing(4), rig.clock.now());
    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${dialed}:1`]);
    expect(await messageState(h.db, discarded)).toMatchObject({ status: 'FAILED', disposition: 'DISCARDED_DND' });
    await expectCountersExact(call, h.db, campaignId);
  });

  it.each(['RESCHEDULE', 'DISCARD'])('BypassCallingWindow dials anyway (dnd_action %s); its neighbour does not', async (dndAction) => {
    const rig = simulatedRig(h.db, at('2027-01-09T23:00'));
    const campaignId = await runningCampaign(call, { ...WEEKDAYS_9_TO_5, dnd_action: dndAction });
    const bypass = await sendAt(call, campaignId, completing(5), rig.clock.now(), { bypass: true });
    const plain = await sendAt(call, campaignId, completing(6), rig.clock.now());

    await rig.round();

    expect(rig.dialedKeys()).toEqual([`${bypass}:1`]);
    expect(await messageState(h.db, bypass)).toMatchObject({ status: 'SUCCEEDED', disposition: 'COMPLETED' });
    expect(await messageState(h.db, plain)).toMatchObject(
      dndAction === 'DISCARD'
        ? { status: 'FAILED', disposition: 'DISCARDED_DND', last_reason: 'outside_window' }
        : { status: 'QUEUED', next_attempt_at: at('2027-01-11T09:00'), last_reason: 'outside_window' },
    );
    await expectCountersExact(call, h.db, campaignId);
  });
});

describe('business hours with a holiday', () => {
  it('dials on an open day, holds the holiday (reason holiday) and dials on the next open day', async () => {
    const bh = businessHoursCaller(h.url, h.apiKey);
    const profile = await bhOk(bh, 'CreateProfile', officeHoursBody('scheduler holiday', { timezone: NY, holidays: ['2027-01-05'] }));
    const campaignId = await runningCampaign(call, { business_hours_profile_id: profile.profile_id });
    const rig = simulatedRig(h.db, at('2027-01-04T10:00'));

    const monday = await sendAt(call, campaignId, completing(7), rig.clock.now());
    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${monday}:1`]);

    rig.clock.set(at('2027-01-05T10:00'));
    const holiday = await sendAt(call, campaignId, completing(8), rig.clock.now());
    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${monday}:1`]);
    expect(await messageState(h.db, holiday)).toMatchObject({
      status: 'QUEUED',
      next_attempt_at: at('2027-01-06T09:00'),
      last_reason: 'holiday',
    });
    expect(await historyOf(h.db, holiday)).toEqual([
      { kind: 'rescheduled', reason: 'holiday', detail: { at: at('2027-01-06T09:00').toISOString() } },
    ]);

    rig.clock.set(at('2027-01-06T09:00'));
    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${monday}:1`, `${holiday}:1`]);
    expect(await messageState(h.db, holiday)).toMatchObject({ status: 'SUCCEEDED' });
    await expectCountersExact(call, h.db, campaignId);
  });

  it('with DISCARD a holiday discards the message as DISCARDED_DND, reason holiday', async () => {
    const bh = businessHoursCaller(h.url, h.apiKey);
    const profile = await bhOk(bh, 'CreateProfile', officeHoursBody('scheduler holiday discard', { timezone: NY, holidays: ['2027-01-05'] }));
    const campaignId = await runningCampaign(call, { business_hours_profile_id: profile.profile_id, dnd_action: 'DISCARD' });
    const rig = simulatedRig(h.db, at('2027-01-05T11:00'));
    const id = await sendAt(call, campaignId, completing(9), rig.clock.now());
    await rig.round();
    expect(rig.dialedKeys()).toEqual([]);
    expect(await messageState(h.db, id)).toMatchObject({ status: 'FAILED', disposition: 'DISCARDED_DND', last_reason: 'holiday' });
  });
});

describe("the tenant's quiet hours", () => {
  /** A tenant of its own with quiet hours 08:00–21:00; answers its Campaign caller. */
  async function quietTenant(name: string, bypassMayOverride: boolean): Promise<CampaignCall> {
    const tenant = await createTestTenant(h.db, name);
    const res = await rpc(
      h.url,
      'Admin',
      'SetTenantPolicy',
      {
        tenant_id: tenant.tenantId,
        quiet_hours_start: '08:00',
        quiet_hours_end: '21:00',
        bypass_may_override_quiet_hours: bypassMayOverride,
      },
      { key: ADMIN_KEY },
    );
    okBody(res, 'SetTenantPolicy');
    return campaignCaller(h.url, tenant.apiKey);
  }

  it('beat a campaign window that allows the hour: rescheduled to the end of quiet hours, reason quiet_hours', async () => {
    const quiet = await quietTenant('scheduler-quiet', false);
    // No days or times: the campaign itself would call around the clock.
    const campaignId = await runningCampaign(quiet);
    const rig = simulatedRig(h.db, at('2027-01-04T06:30'));
    const early = await sendAt(quiet, campaignId, completing(10), rig.clock.now());

    await rig.round();

    expect(rig.dialedKeys()).toEqual([]);
    expect(await messageState(h.db, early)).toMatchObject({
      status: 'QUEUED',
      next_attempt_at: at('2027-01-04T08:00'),
      last_reason: 'quiet_hours',
    });
    expect(await historyOf(h.db, early)).toEqual([
      { kind: 'rescheduled', reason: 'quiet_hours', detail: { at: at('2027-01-04T08:00').toISOString() } },
    ]);

    rig.clock.set(at('2027-01-04T21:30'));
    const late = await sendAt(quiet, campaignId, completing(11), rig.clock.now());
    await rig.round();
    // The early message came due at 08:00 but is looked at only now, at 21:30: quiet again.
    expect(rig.dialedKeys()).toEqual([]);
    expect(await messageState(h.db, late)).toMatchObject({ status: 'QUEUED', next_attempt_at: at('2027-01-05T08:00'), last_reason: 'quiet_hours' });
    expect(await messageState(h.db, early)).toMatchObject({ status: 'QUEUED', next_attempt_at: at('2027-01-05T08:00') });

    rig.clock.set(at('2027-01-05T08:00'));
    await rig.round();
    expect(rig.dialedKeys().sort()).toEqual([`${early}:1`, `${late}:1`].sort());
    await expectCountersExact(quiet, h.db, campaignId);
  });

  it('hold over BypassCallingWindow by default: the bypass message waits for quiet hours only, not the window', async () => {
    const quiet = await quietTenant('scheduler-quiet-bypass', false);
    const campaignId = await runningCampaign(quiet, WEEKDAYS_9_TO_5);
    const rig = simulatedRig(h.db, at('2027-01-09T06:30'));
    const id = await sendAt(quiet, campaignId, completing(12), rig.clock.now(), { bypass: true });

    await rig.round();
    expect(rig.dialedKeys()).toEqual([]);
    // Saturday 08:00: the campaign window is closed all weekend, but bypass skips it.
    expect(await messageState(h.db, id)).toMatchObject({
      status: 'QUEUED',
      next_attempt_at: at('2027-01-09T08:00'),
      last_reason: 'quiet_hours',
    });

    rig.clock.set(at('2027-01-09T08:00'));
    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${id}:1`]);
    expect(await messageState(h.db, id)).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('give way to BypassCallingWindow when the tenant allows it; a plain message still keeps to the window', async () => {
    const quiet = await quietTenant('scheduler-quiet-override', true);
    const campaignId = await runningCampaign(quiet, WEEKDAYS_9_TO_5);
    const rig = simulatedRig(h.db, at('2027-01-09T06:30'));
    const bypass = await sendAt(quiet, campaignId, completing(13), rig.clock.now(), { bypass: true });
    const plain = await sendAt(quiet, campaignId, completing(14), rig.clock.now());

    await rig.round();

    expect(rig.dialedKeys()).toEqual([`${bypass}:1`]);
    expect(await messageState(h.db, plain)).toMatchObject({
      status: 'QUEUED',
      next_attempt_at: at('2027-01-11T09:00'),
      last_reason: 'outside_window',
    });
  });
});

describe('ScheduledAt', () => {
  it('a message scheduled later is not dialed before its time, and is at its time', async () => {
    const rig = simulatedRig(h.db, at('2027-01-04T10:00'));
    const campaignId = await runningCampaign(call, WEEKDAYS_9_TO_5);
    const id = await sendAt(call, campaignId, completing(15), at('2027-01-04T11:00'));

    await rig.round();
    expect(rig.dialedKeys()).toEqual([]);
    expect(await messageState(h.db, id)).toEqual({
      status: 'QUEUED',
      disposition: null,
      attempt_count: 0,
      next_attempt_at: at('2027-01-04T11:00'),
      last_reason: null,
    });

    rig.clock.set(at('2027-01-04T10:59:59'));
    await rig.round();
    expect(rig.dialedKeys()).toEqual([]);

    rig.clock.set(at('2027-01-04T11:00'));
    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${id}:1`]);
    expect((await attemptsOf(h.db, id))[0]?.started_at).toEqual(at('2027-01-04T11:00'));
  });

  it("a time without an offset is read in the campaign's zone", async () => {
    const rig = simulatedRig(h.db, at('2027-01-04T10:00'));
    const campaignId = await runningCampaign(call, WEEKDAYS_9_TO_5);
    const sent = okBody(await call('SendMessage', sendBody(campaignId, completing(16), { ScheduledAt: { Time: '2027-01-04T11:30:00' } })));
    expect(await messageState(h.db, sent.message_id)).toMatchObject({ next_attempt_at: at('2027-01-04T11:30') });

    rig.clock.set(at('2027-01-04T11:29'));
    await rig.round();
    expect(rig.dialedKeys()).toEqual([]);
    rig.clock.set(at('2027-01-04T11:30'));
    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${sent.message_id}:1`]);
  });

  it('a scheduled time outside the window is rescheduled to the next opening when it comes due', async () => {
    const rig = simulatedRig(h.db, at('2027-01-04T10:00'));
    const campaignId = await runningCampaign(call, WEEKDAYS_9_TO_5);
    const id = await sendAt(call, campaignId, completing(17), at('2027-01-04T19:00'));

    rig.clock.set(at('2027-01-04T19:00'));
    await rig.round();
    expect(rig.dialedKeys()).toEqual([]);
    expect(await messageState(h.db, id)).toMatchObject({
      status: 'QUEUED',
      next_attempt_at: at('2027-01-05T09:00'),
      last_reason: 'outside_window',
    });
  });
});

describe('more of the calendar', () => {
  it('reschedules across the spring-forward weekend to 09:00 daylight time', async () => {
    // 2027-03-14 is the US spring-forward Sunday: Friday evening is EST, Monday 09:00 is EDT.
    const rig = simulatedRig(h.db, at('2027-03-12T18:00'));
    const campaignId = await runningCampaign(call, WEEKDAYS_9_TO_5);
    const id = await sendAt(call, campaignId, completing(20), rig.clock.now());
    await rig.round();
    expect(await messageState(h.db, id)).toMatchObject({ next_attempt_at: new Date('2027-03-15T13:00:00Z'), last_reason: 'outside_window' });
  });

  it('before start_date: rescheduled to the first opening on the start date, reason before_start_date', async () => {
    const rig = simulatedRig(h.db, at('2027-01-04T10:00'));
    const campaignId = await runningCampaign(call, { ...WEEKDAYS_9_TO_5, start_date: '2027-01-06' });
    const id = await sendAt(call, campaignId, completing(21), rig.clock.now());
    await rig.round();
    expect(rig.dialedKeys()).toEqual([]);
    expect(await messageState(h.db, id)).toMatchObject({
      status: 'QUEUED',
      next_attempt_at: at('2027-01-06T09:00'),
      last_reason: 'before_start_date',
    });
  });

  it('a BypassCallingWindow message retried after BUSY is retried after the gap, outside the window too', async () => {
    const saturday = at('2027-01-09T12:00');
    const rig = simulatedRig(h.db, saturday);
    const campaignId = await runningCampaign(call, { ...WEEKDAYS_9_TO_5, max_call_attempts: 2, min_gap_between_attempts: 10 });
    const id = await sendAt(call, campaignId, phone(226, 0), saturday, { bypass: true });
    await rig.round();
    const retryAt = new Date(saturday.getTime() + 10 * 60_000);
    expect(await messageState(h.db, id)).toMatchObject({ status: 'QUEUED', disposition: 'BUSY', next_attempt_at: retryAt });
    rig.clock.set(retryAt);
    await rig.round();
    expect(rig.dialedKeys()).toEqual([`${id}:1`, `${id}:2`]);
  });

  it("recipient_local_time reads the window in each recipient's zone", async () => {
    const rig = simulatedRig(h.db, at('2027-01-04T10:00')); // 20:30 in Kolkata, 07:00 in Los Angeles
    const campaignId = await runningCampaign(call, { ...WEEKDAYS_9_TO_5, recipient_local_time: true });
    const added = okBody(
      await call('AddRecipients', {
        campaign_id: campaignId,
        recipients: [
          { phone_number: completing(30), timezone: 'Asia/Kolkata' },
          { phone_number: completing(31), timezone: 'America/Los_Angeles' },
          { phone_number: completing(32), timezone: 'America/New_York' },
        ],
      }),
      'AddRecipients',
    );
    expect(added.accepted).toBe(3);
    const byZone = new Map<string, string>();
    for (const m of (await call('ListMessages', { campaign_id: campaignId })).body.messages) byZone.set(m.timezone, m.message_id);

    await rig.round();

    expect(rig.dialedKeys()).toEqual([`${byZone.get('America/New_York')}:1`]);
    expect(await messageState(h.db, byZone.get('Asia/Kolkata')!)).toMatchObject({
      status: 'QUEUED',
      next_attempt_at: at('2027-01-05T09:00', 'Asia/Kolkata'),
      last_reason: 'outside_window',
    });
    expect(await messageState(h.db, byZone.get('America/Los_Angeles')!)).toMatchObject({
      status: 'QUEUED',
      next_attempt_at: at('2027-01-04T09:00', 'America/Los_Angeles'),
      last_reason: 'outside_window',
    });
  });
});
