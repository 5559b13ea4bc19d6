import { callOk } from './support/campaign-fixtures';
import { phone } from './support/message-fixtures';
import {
  at,
  attemptsOf,
  expectCountersExact,
  getMessage,
  historyOf,
  messageState,
  MINUTE,
  runningCampaign,
  sendAt,
  simulatedRig,
  type SchedulerRig,
  useSchedulerHarness,
} from './support/scheduler-fixtures';

/**
 * What follows a call: retries per `retry_scenarios` after `min_gap_between_attempts` or the
 * outcome's `retry_delays`, up to `max_call_attempts`, rolled to the next day by
 * `max_daily_attempts`; voicemail both ways; the counters after every round. Outcomes come from
 * the simulated provider's last-digit rule: 0 COMPLETED, 6 BUSY, 7 NO_ANSWER, 8 VOICEMAIL, 9 FAILED.
 */

const h = useSchedulerHarness('scheduler-retries');
const { call } = h;

const DIGIT = { COMPLETED: 0, BUSY: 6, NO_ANSWER: 7, VOICEMAIL: 8, FAILED: 9 } as const;
/** A number whose call ends with `outcome`; `i` keeps numbers apart. */
const numberFor = (outcome: keyof typeof DIGIT, i = 0): string => phone(i * 10 + DIGIT[outcome]);

const T0 = at('2027-01-04T10:00');
const plus = (minutes: number, from = T0): Date => new Date(from.getTime() + minutes * MINUTE);

/** A round at `when`, then the counters must still be exact. */
async function roundAt(rig: SchedulerRig, campaignId: string, when: Date): Promise<void> {
  rig.clock.set(when);
  await rig.round();
  await expectCountersExact(call, h.db, campaignId);
}

describe('retry scenarios', () => {
  it.each(['BUSY', 'NO_ANSWER', 'FAILED'] as const)(
    '%s is retried after min_gap_between_attempts, up to max_call_attempts, then fails as itself',
    async (outcome) => {
      const rig = simulatedRig(h.db, T0);
      const campaignId = await runningCampaign(call, { max_call_attempts: 3, min_gap_between_attempts: 10 });
      const id = await sendAt(call, campaignId, numberFor(outcome), T0);

      await roundAt(rig, campaignId, T0);
      expect(await messageState(h.db, id)).toEqual({
        status: 'QUEUED',
        disposition: outcome,
        attempt_count: 1,
        next_attempt_at: plus(10),
        last_reason: 'retry_scheduled',
      });
      // The dial is recorded by its attempt row; the history holds the decisions after it.
      expect(await attemptsOf(h.db, id)).toMatchObject([{ number: 1, attempt_key: `${id}:1`, caller_id: '+14155550100', started_at: T0 }]);
      expect(await historyOf(h.db, id)).toEqual([
        { kind: 'retry_scheduled', reason: 'retry_scheduled', detail: { at: plus(10).toISOString() } },
      ]);

      await roundAt(rig, campaignId, new Date(plus(10).getTime() - 1_000));
      expect(rig.dialedKeys()).toEqual([`${id}:1`]);

      await roundAt(rig, campaignId, plus(10));
      expect(rig.dialedKeys()).toEqual([`${id}:1`, `${id}:2`]);
      expect(await messageState(h.db, id)).toMatchObject({ status: 'QUEUED', attempt_count: 2, next_attempt_at: plus(20) });

      await roundAt(rig, campaignId, plus(20));
      expect(await messageState(h.db, id)).toEqual({
        status: 'FAILED',
        disposition: outcome,
        attempt_count: 3,
        next_attempt_at: null,
        last_reason: 'max_attempts',
      });

      await roundAt(rig, campaignId, plus(120));
      expect(rig.dialedKeys()).toEqual([`${id}:1`, `${id}:2`, `${id}:3`]);

      // GetMessage shows the whole history, one attempt per call, in the clock's frame.
      const message = await getMessage(call, id);
      expect(message).toMatchObject({ status: 'FAILED', disposition: outcome, attempt_count: 3, next_attempt_at: '' });
      expect(message.attempts).toEqual(
        [0, 10, 20].map((minutes, i) => ({
          number: i + 1,
          started_at: plus(minutes).toISOString(),
          ended_at: plus(minutes).toISOString(),
          outcome,
          provider_call_id: `sim_${id}:${i + 1}`,
          duration_seconds: 0,
        })),
      );
      expect(await expectCountersExact(call, h.db, campaignId)).toMatchObject({
        total: 1,
        failed: 1,
        by_disposition: { [outcome]: 1 },
        by_attempt: { '1': 1, '2': 1, '3': 1 },
      });
      expect(rig.reportErrors).toEqual([]);
    },
  );

  it('retry_delays set a per-outcome delay; an outcome without one waits min_gap_between_attempts', async () => {
    const rig = simulatedRig(h.db, T0);
    const campaignId = await runningCampaign(call, {
      max_call_attempts: 2,
      min_gap_between_attempts: 5,
      retry_delays: { BUSY: 15, NO_ANSWER: 120 },
    });
    const busy = await sendAt(call, campaignId, numberFor('BUSY'), T0);
    const noAnswer = await sendAt(call, campaignId, numberFor('NO_ANSWER'), T0);
    const failed = await sendAt(call, campaignId, numberFor('FAILED'), T0);

    await roundAt(rig, campaignId, T0);
    expect((await messageState(h.db, busy)).next_attempt_at).toEqual(plus(15));
    expect((await messageState(h.db, noAnswer)).next_attempt_at).toEqual(plus(120));
    expect((await messageState(h.db, failed)).next_attempt_at).toEqual(plus(5));

    await roundAt(rig, campaignId, plus(5));
    expect(rig.dialedKeys().slice(3)).toEqual([`${failed}:2`]);
    await roundAt(rig, campaignId, plus(14));
    expect(rig.dialedKeys()).toHaveLength(4);
    await roundAt(rig, campaignId, plus(15));
    expect(rig.dialedKeys().slice(4)).toEqual([`${busy}:2`]);
    await roundAt(rig, campaignId, plus(119));
    expect(rig.dialedKeys()).toHaveLength(5);
    await roundAt(rig, campaignId, plus(120));
    expect(rig.dialedKeys().slice(5)).toEqual([`${noAnswer}:2`]);

    for (const [id, outcome] of [[busy, 'BUSY'], [noAnswer, 'NO_ANSWER'], [failed, 'FAILED']] as const) {
      expect(await messageState(h.db, id)).toMatchObject({ status: 'FAILED', disposition: outcome, attempt_count: 2, last_reason: 'max_attempts' });
    }
  });

  it('an outcome outside retry_scenarios fails at once as itself', async () => {
    const rig = simulatedRig(h.db, T0);
    const campaignId = await runningCampaign(call, { max_call_attempts: 3, retry_scenarios: ['BUSY'] });
    const noAnswer = await sendAt(call, campaignId, numberFor('NO_ANSWER'), T0);
    const failed = await sendAt(call, campaignId, numberFor('FAILED'), T0);
    const busy = await sendAt(call, campaignId, numberFor('BUSY'), T0);

    await roundAt(rig, campaignId, T0);

    expect(await messageState(h.db, noAnswer)).toEqual({
      status: 'FAILED',
      disposition: 'NO_ANSWER',
      attempt_count: 1,
      next_attempt_at: null,
      last_reason: 'not_retryable',
    });
    expect(await messageState(h.db, failed)).toMatchObject({ status: 'FAILED', disposition: 'FAILED', last_reason: 'not_retryable' });
    expect(await messageState(h.db, busy)).toMatchObject({ status: 'QUEUED', disposition: 'BUSY', last_reason: 'retry_scheduled' });
  });

  // dispatch-rules.ts: "Attempts already spent (the limit was lowered): fail, keeping the last
  // outcome's disposition."
  it('a message whose max_call_attempts was lowered below its calls fails without another dial, keeping its last outcome', async () => {
    const rig = simulatedRig(h.db, T0);
    const campaignId = await runningCampaign(call, { max_call_attempts: 3, min_gap_between_attempts: 10 });
    const id = await sendAt(call, campaignId, numberFor('BUSY'), T0);
    await roundAt(rig, campaignId, T0);
    expect(await messageState(h.db, id)).toMatchObject({ status: 'QUEUED', attempt_count: 1 });

    await callOk(call, 'UpdateCampaign', { campaign_id: campaignId, max_call_attempts: 1 });
    await roundAt(rig, campaignId, plus(10));

    expect(rig.dialedKeys()).toEqual([`${id}:1`]);
    expect(await messageState(h.db, id)).toMatchObject({ status: 'FAILED', disposition: 'BUSY', attempt_count: 1, last_reason: 'max_attempts' });
  });
});

describe('voicemail', () => {
  it('counts as answered with consider_voicemail_as_answered: SUCCEEDED/VOICEMAIL, even when listed as a retry scenario', async () => {
    const rig = simulatedRig(h.db, T0);
    const campaignId = await runningCampaign(call, {
      consider_voicemail_as_answered: true,
      retry_scenarios: ['BUSY', 'VOICEMAIL'],
      max_call_attempts: 3,
    });
    const id = await sendAt(call, campaignId, numberFor('VOICEMAIL'), T0);
    await roundAt(rig, campaignId, T0);
    expect(await messageState(h.db, id)).toEqual({
      status: 'SUCCEEDED',
      disposition: 'VOICEMAIL',
      attempt_count: 1,
      next_attempt_at: null,
      last_reason: null,
    });
    expect(await expectCountersExact(call, h.db, campaignId)).toMatchObject({ succeeded: 1, by_disposition: { VOICEMAIL: 1 } });
  });

  it('without it, is retried when VOICEMAIL is a retry scenario and fails as VOICEMAIL when attempts run out', async () => {
    const rig = simulatedRig(h.db, T0);
    const campaignId = await runningCampaign(call, {
      consider_voicemail_as_answered: false,
      retry_scenarios: ['VOICEMAIL'],
      max_call_attempts: 2,
      min_gap_between_attempts: 30,
    });
    const id = await sendAt(call, campaignId, numberFor('VOICEMAIL'), T0);
    await roundAt(rig, campaignId, T0);
    expect(await messageState(h.db, id)).toMatchObject({ status: 'QUEUED', disposition: 'VOICEMAIL', next_attempt_at: plus(30) });

    await roundAt(rig, campaignId, plus(30));
    expect(await messageState(h.db, id)).toMatchObject({ status: 'FAILED', disposition: 'VOICEMAIL', attempt_count: 2, last_reason: 'max_attempts' });
  });

  it('without it and not a retry scenario, fails at once as VOICEMAIL', async () => {
    const rig = simulatedRig(h.db, T0);
    const campaignId = await runningCampaign(call, { max_call_attempts: 3 });
    const id = await sendAt(call, campaignId, numberFor('VOICEMAIL'), T0);
    await roundAt(rig, campaignId, T0);
    expect(await messageState(h.db, id)).toMatchObject({ status: 'FAILED', disposition: 'VOICEMAIL', attempt_count: 1, last_reason: 'not_retryable' });
    expect(rig.dialedKeys()).toEqual([`${id}:1`]);
  });
});

describe('max_daily_attempts and the window', () => {
  const WEEKDAYS_9_TO_5 = {
    days_of_week: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'],
    daily_start_time: '09:00',
    daily_end_time: '17:00',
  };

  it("rolls the next attempt to the next allowed day once the day's attempts are spent", async () => {
    const monday = at('2027-01-04T15:00');
    const rig = simulatedRig(h.db, monday);
    const campaignId = await runningCampaign(call, {
      ...WEEKDAYS_9_TO_5,
      max_call_attempts: 5,
      max_daily_attempts: 2,
      min_gap_between_attempts: 10,
    });
    const id = await sendAt(call, campaignId, numberFor('BUSY'), monday);

    await roundAt(rig, campaignId, monday);
    expect(await messageState(h.db, id)).toMatchObject({ status: 'QUEUED', next_attempt_at: plus(10, monday), last_reason: 'retry_scheduled' });

    await roundAt(rig, campaignId, plus(10, monday));
    expect(await messageState(h.db, id)).toMatchObject({
      status: 'QUEUED',
      attempt_count: 2,
      next_attempt_at: at('2027-01-05T09:00'),
      last_reason: 'daily_cap',
    });
    expect((await historyOf(h.db, id)).at(-1)).toEqual({
      kind: 'retry_scheduled',
      reason: 'daily_cap',
      detail: { at: at('2027-01-05T09:00').toISOString() },
    });

    // Nothing more on Monday, even long after the gap.
    await roundAt(rig, campaignId, at('2027-01-04T16:59'));
    expect(rig.dialedKeys()).toHaveLength(2);

    await roundAt(rig, campaignId, at('2027-01-05T09:00'));
    expect(await messageState(h.db, id)).toMatchObject({ attempt_count: 3, next_attempt_at: at('2027-01-05T09:10'), last_reason: 'retry_scheduled' });
    await roundAt(rig, campaignId, at('2027-01-05T09:10'));
    expect(await messageState(h.db, id)).toMatchObject({ attempt_count: 4, next_attempt_at: at('2027-01-06T09:00'), last_reason: 'daily_cap' });
    await roundAt(rig, campaignId, at('2027-01-06T09:00'));
    expect(await messageState(h.db, id)).toMatchObject({ status: 'FAILED', disposition: 'BUSY', attempt_count: 5, last_reason: 'max_attempts' });

    const started = (await attemptsOf(h.db, id)).map((a) => a.started_at);
    expect(started).toEqual([monday, plus(10, monday), at('2027-01-05T09:00'), at('2027-01-05T09:10'), at('2027-01-06T09:00')]);
  });

  it('a retry that would fall after closing waits for the next opening', async () => {
    const late = at('2027-01-04T16:55');
    const rig = simulatedRig(h.db, late);
    const campaignId = await runningCampaign(call, { ...WEEKDAYS_9_TO_5, max_call_attempts: 2, min_gap_between_attempts: 10 });
    const id = await sendAt(call, campaignId, numberFor('NO_ANSWER'), late);
    await roundAt(rig, campaignId, late);
    expect(await messageState(h.db, id)).toMatchObject({ status: 'QUEUED', next_attempt_at: at('2027-01-05T09:00'), last_reason: 'retry_scheduled' });
  });

  it('a retry with no opening left before end_date fails as EXPIRED', async () => {
    const late = at('2027-01-04T16:55');
    const rig = simulatedRig(h.db, late);
    const campaignId = await runningCampaign(call, {
      ...WEEKDAYS_9_TO_5,
      end_date: '2027-01-04',
      max_call_attempts: 2,
      min_gap_between_attempts: 10,
    });
    const id = await sendAt(call, campaignId, numberFor('BUSY'), late);
    await roundAt(rig, campaignId, late);
    expect(await messageState(h.db, id)).toMatchObject({ status: 'FAILED', disposition: 'EXPIRED', attempt_count: 1, next_attempt_at: null });
  });
});

describe('GetCampaignStats over a mixed campaign', () => {
  it('by_attempt counts calls by attempt number and the counters stay exact after every round', async () => {
    const rig = simulatedRig(h.db, T0);
    const campaignId = await runningCampaign(call, {
      max_call_attempts: 3,
      min_gap_between_attempts: 10,
      retry_scenarios: ['BUSY', 'NO_ANSWER'],
      max_concurrent_calls: 2,
    });
    const numbers = [numberFor('COMPLETED', 1), numberFor('COMPLETED', 2), numberFor('BUSY', 3), numberFor('NO_ANSWER', 4), numberFor('VOICEMAIL', 5), numberFor('FAILED', 6)];
    for (const n of numbers) await sendAt(call, campaignId, n, T0);

    // Two calls at a time: rounds every minute, then until nothing is left.
    for (let minute = 0; minute <= 40; minute += 1) {
      await roundAt(rig, campaignId, plus(minute));
      const stats = await expectCountersExact(call, h.db, campaignId);
      expect(stats.dispatched).toBe(0);
    }
    expect(await expectCountersExact(call, h.db, campaignId)).toEqual({
      campaign_id: campaignId,
      total: 6,
      queued: 0,
      dispatched: 0,
      succeeded: 2,
      failed: 4,
      by_disposition: { COMPLETED: 2, BUSY: 1, NO_ANSWER: 1, VOICEMAIL: 1, FAILED: 1 },
      by_attempt: { '1': 6, '2': 2, '3': 2 },
    });
    expect(rig.dialedKeys()).toHaveLength(10);
    expect(new Set(rig.dialedKeys()).size).toBe(10);
  });
});
