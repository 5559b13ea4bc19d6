import { DateTime } from 'luxon';
import type { CampaignStatus } from '../campaigns/campaign';
import {
  DEFAULT_CONCURRENCY_RETRY_MS,
  decideDispatch,
  pickCallerId,
  type CallerIdSettings,
  type DispatchDecision,
  type DispatchInput,
  type DispatchMessage,
  type DispatchSettings,
  type PacingInput,
} from './dispatch-rules';
import type { NextOpening } from './outcome-rules';

const NY = 'America/New_York';
/** Wednesday 2026-03-04, 10:00 in New York: inside the 09:00–18:00 window. */
const NOW = new Date('2026-03-04T15:00:00Z');
/** 21:00 the evening before in New York: outside the window and inside 21:00–08:00 quiet hours. */
const NIGHT = new Date('2026-03-04T02:00:00Z');
const at = (iso: string): Date => new Date(iso);
const plusMinutes = (date: Date, minutes: number): Date => new Date(date.getTime() + minutes * 60_000);

/** A window open every day from `startHour` to `endHour` local time (end excluded), DST-aware. */
function dailyWindow(zone: string, startHour: number, endHour: number): NextOpening {
  return (after) => {
    const local = DateTime.fromJSDate(after, { zone });
    for (let day = 0; day < 8; day += 1) {
      const date = local.startOf('day').plus({ days: day });
      const closes = date.set({ hour: endHour });
      if (after < closes.toJSDate()) return new Date(Math.max(after.getTime(), date.set({ hour: startHour }).toMillis()));
    }
    return undefined;
  };
}
const CAMPAIGN_WINDOW = dailyWindow(NY, 9, 18);
const QUIET_HOURS_OPENING = dailyWindow(NY, 8, 21);

const MESSAGE: DispatchMessage = {
  scheduledAt: at('2026-03-03T00:00:00Z'),
  bypassCallingWindow: false,
  attemptCount: 0,
  lastAttemptAt: null,
  attemptsToday: 0,
};
const SETTINGS: DispatchSettings = {
  dndAction: 'RESCHEDULE',
  maxCallAttempts: 3,
  maxDailyAttempts: 0,
  minGapMinutes: 30,
  maxConcurrentCalls: 5,
};
const PACING: PacingInput = {
  inFlightForCampaign: 0,
  inFlightForCallerId: 0,
  callerIdCap: 0,
  recentCallsToNumber: 0,
  oldestRecentCallAt: null,
  frequencyCap: null,
};

interface Case {
  readonly message?: Partial<DispatchMessage>;
  readonly settings?: Partial<DispatchSettings>;
  readonly pacing?: Partial<PacingInput>;
  readonly input?: Partial<Omit<DispatchInput, 'message' | 'settings' | 'pacing'>>;
}

function decide({ message, settings, pacing, input }: Case = {}): DispatchDecision {
  return decideDispatch({
    message: { ...MESSAGE, ...message },
    settings: { ...SETTINGS, ...settings },
    status: 'RUNNING',
    now: NOW,
    zone: NY,
    windowReason: undefined,
    quietHoursReason: undefined,
    quietHoursApplyToBypass: true,
    nextOpening: CAMPAIGN_WINDOW,
    nextBypassOpening: QUIET_HOURS_OPENING,
    endDatePassed: false,
    pacing: { ...PACING, ...pacing },
    ...input,
  });
}

const DIAL: DispatchDecision = { kind: 'dial', reason: undefined };
const EXPIRE: DispatchDecision = { kind: 'expire', disposition: 'EXPIRED', reason: 'expired' };
const WAIT: DispatchDecision = { kind: 'wait', reason: 'concurrency', retryAfterMs: DEFAULT_CONCURRENCY_RETRY_MS };
const reschedule = (when: string, reason: string): DispatchDecision => ({ kind: 'reschedule', at: at(when), reason });
const discard = (reason: string): DispatchDecision => ({ kind: 'discard', disposition: 'DISCARDED_DND', reason });

/** Outside the campaign window at night, inside quiet hours too. */
const night = (extra: Case['input'] = {}): Case['input'] => ({
  now: NIGHT,
  windowReason: 'outside_window',
  quietHoursReason: 'quiet_hours',
  ...extra,
});

describe('decideDispatch: campaign state, dates and attempts', () => {
  it.each<[CampaignStatus, DispatchDecision]>([
    ['RUNNING', DIAL],
    ['DRAFT', { kind: 'hold', reason: 'campaign_not_running' }],
    ['PAUSED', { kind: 'hold', reason: 'campaign_not_running' }],
    ['CANCELLED', { kind: 'cancel', disposition: 'CANCELLED', reason: 'cancelled' }],
    ['COMPLETED', EXPIRE],
  ])('%s campaign', (status, expected) => {
    expect(decide({ input: { status } })).toEqual(expected);
  });

  it.each<[string, Case, DispatchDecision]>([
    ['end date passed', { input: { endDatePassed: true } }, EXPIRE],
    ['end date passed, bypass too', { message: { bypassCallingWindow: true }, input: { endDatePassed: true } }, EXPIRE],
    ['attempts spent', { message: { attemptCount: 3 } }, { kind: 'fail', reason: 'max_attempts' }],
    ['attempts left', { message: { attemptCount: 2, lastAttemptAt: plusMinutes(NOW, -60) } }, DIAL],
    ['not yet due', { message: { scheduledAt: plusMinutes(NOW, 5) } }, reschedule('2026-03-04T15:05:00Z', 'not_due')],
    ['due exactly now', { message: { scheduledAt: NOW } }, DIAL],
  ])('%s', (_name, c, expected) => {
    expect(decide(c)).toEqual(expected);
  });
});

describe('decideDispatch: window, DND action, bypass and quiet hours', () => {
  it.each<[string, Case, DispatchDecision]>([
    ['outside the window, RESCHEDULE', { input: night() }, reschedule('2026-03-04T14:00:00Z', 'outside_window')],
    ['outside the window, DISCARD', { settings: { dndAction: 'DISCARD' }, input: night() }, discard('outside_window')],
    ['holiday, RESCHEDULE', { input: { windowReason: 'holiday' } }, reschedule('2026-03-04T15:00:00Z', 'holiday')],
    ['holiday, DISCARD', { settings: { dndAction: 'DISCARD' }, input: { windowReason: 'holiday' } }, discard('holiday')],
    ['no opening left', { input: night({ nextOpening: () => undefined }) }, EXPIRE],
    [
      'bypass dials outside the window',
      { message: { bypassCallingWindow: true }, input: { windowReason: 'outside_window' } },
      DIAL,
    ],
    [
      'bypass does not pass quiet hours',
      { message: { bypassCallingWindow: true }, input: night() },
      reschedule('2026-03-04T13:00:00Z', 'quiet_hours'),
    ],
    [
      'bypass in quiet hours with DISCARD',
      { message: { bypassCallingWindow: true }, settings: { dndAction: 'DISCARD' }, input: night() },
      discard('quiet_hours'),
    ],
    [
      'bypass passes quiet hours when the tenant allows it',
      { message: { bypassCallingWindow: true }, input: night({ quietHoursApplyToBypass: false }) },
      DIAL,
    ],
    [
      'quiet hours beat an open campaign window',
      { input: { quietHoursReason: 'quiet_hours', nextOpening: () => at('2026-03-04T16:00:00Z') } },
      reschedule('2026-03-04T16:00:00Z', 'quiet_hours'),
    ],
    ['the campaign window is named first', { settings: { dndAction: 'DISCARD' }, input: night() }, discard('outside_window')],
    [
      'bypass in quiet hours with no bypass opening given',
      { message: { bypassCallingWindow: true }, input: night({ nextBypassOpening: undefined }) },
      reschedule('2026-03-04T02:00:00Z', 'quiet_hours'),
    ],
  ])('%s', (_name, c, expected) => {
    expect(decide(c)).toEqual(expected);
  });
});

describe('decideDispatch: gap, daily cap, frequency cap', () => {
  it.each<[string, Case, DispatchDecision]>([
    ['gap not yet over', { message: { lastAttemptAt: plusMinutes(NOW, -10) } }, reschedule('2026-03-04T15:20:00Z', 'min_gap')],
    ['gap exactly over', { message: { lastAttemptAt: plusMinutes(NOW, -30) } }, DIAL],
    [
      'gap ending after hours moves to the next opening',
      { message: { lastAttemptAt: at('2026-03-04T22:50:00Z') }, input: { now: at('2026-03-04T22:55:00Z') } },
      reschedule('2026-03-05T14:00:00Z', 'min_gap'),
    ],
    [
      'bypass gap ends at the exact instant',
      {
        message: { bypassCallingWindow: true, lastAttemptAt: at('2026-03-04T22:50:00Z') },
        input: { now: at('2026-03-04T22:55:00Z'), windowReason: 'outside_window' },
      },
      reschedule('2026-03-04T23:20:00Z', 'min_gap'),
    ],
    ['under the daily cap', { settings: { maxDailyAttempts: 2 }, message: { attemptsToday: 1 } }, DIAL],
    ['daily cap 0 means none', { message: { attemptsToday: 9, attemptCount: 0 } }, DIAL],
    [
      'daily cap reached: next day opening',
      { settings: { maxDailyAttempts: 2 }, message: { attemptsToday: 2, attemptCount: 2 } },
      reschedule('2026-03-05T14:00:00Z', 'daily_cap'),
    ],
    [
      'daily cap across spring-forward',
      { settings: { maxDailyAttempts: 1 }, message: { attemptsToday: 1, attemptCount: 1 }, input: { now: at('2026-03-07T20:00:00Z') } },
      reschedule('2026-03-08T13:00:00Z', 'daily_cap'),
    ],
    ['no frequency cap', { pacing: { recentCallsToNumber: 50 } }, DIAL],
    ['under the frequency cap', { pacing: { recentCallsToNumber: 2, frequencyCap: { maxCalls: 3, windowDays: 7 } } }, DIAL],
    [
      'frequency cap: when the oldest call leaves the window',
      {
        pacing: {
          recentCallsToNumber: 3,
          oldestRecentCallAt: at('2026-03-02T15:00:00Z'),
          frequencyCap: { maxCalls: 3, windowDays: 7 },
        },
      },
      reschedule('2026-03-09T15:00:00Z', 'frequency_cap'),
    ],
    [
      'frequency cap, oldest call unknown: a whole window later',
      { pacing: { recentCallsToNumber: 1, frequencyCap: { maxCalls: 1, windowDays: 1 } } },
      reschedule('2026-03-05T15:00:00Z', 'frequency_cap'),
    ],
    [
      'frequency cap freeing after hours: next opening',
      {
        pacing: {
          recentCallsToNumber: 1,
          oldestRecentCallAt: at('2026-03-03T23:30:00Z'),
          frequencyCap: { maxCalls: 1, windowDays: 1 },
        },
      },
      reschedule('2026-03-05T14:00:00Z', 'frequency_cap'),
    ],
  ])('%s', (_name, c, expected) => {
    expect(decide(c)).toEqual(expected);
  });
});

describe('decideDispatch: concurrency', () => {
  it.each<[string, Case, DispatchDecision]>([
    ['a free campaign slot', { pacing: { inFlightForCampaign: 4 } }, DIAL],
    ['campaign at max_concurrent_calls', { pacing: { inFlightForCampaign: 5 } }, WAIT],
    ['campaign over max_concurrent_calls', { pacing: { inFlightForCampaign: 7 } }, WAIT],
    ['caller id under its cap', { pacing: { callerIdCap: 2, inFlightForCallerId: 1 } }, DIAL],
    ['caller id at its cap', { pacing: { callerIdCap: 2, inFlightForCallerId: 2 } }, WAIT],
    ['caller id cap 0 means none', { pacing: { callerIdCap: 0, inFlightForCallerId: 99 } }, DIAL],
    [
      'a given retry interval',
      { pacing: { inFlightForCampaign: 5 }, input: { concurrencyRetryMs: 250 } },
      { kind: 'wait', reason: 'concurrency', retryAfterMs: 250 },
    ],
    [
      'a full campaign still reschedules what the window refuses',
      { pacing: { inFlightForCampaign: 5 }, input: night() },
      reschedule('2026-03-04T14:00:00Z', 'outside_window'),
    ],
    [
      'a full campaign still honours the gap',
      { pacing: { inFlightForCampaign: 5 }, message: { lastAttemptAt: plusMinutes(NOW, -10) } },
      reschedule('2026-03-04T15:20:00Z', 'min_gap'),
    ],
  ])('%s', (_name, c, expected) => {
    expect(decide(c)).toEqual(expected);
  });
});

describe('pickCallerId', () => {
  const single: CallerIdSettings = { dialerType: 'SINGLE', phoneNumberId: '+15550000001', phoneNumberPool: [] };
  const pool: CallerIdSettings = { dialerType: 'POOL', phoneNumberId: null, phoneNumberPool: ['+1A', '+1B', '+1C'] };
  const none = new Set<string>();

  it.each<[string, CallerIdSettings, number, ReadonlySet<string> | ReadonlyMap<string, number>, number, string | undefined]>([
    ['SINGLE uses its number', single, 7, none, 0, '+15550000001'],
    ['SINGLE at its cap', single, 0, new Set(['+15550000001']), 1, undefined],
    ['SINGLE under its cap by count', single, 0, new Map([['+15550000001', 1]]), 2, '+15550000001'],
    ['SINGLE without a number', { ...single, phoneNumberId: null }, 0, none, 0, undefined],
    ['POOL counter 0', pool, 0, none, 0, '+1A'],
    ['POOL counter 1', pool, 1, none, 0, '+1B'],
    ['POOL counter wraps', pool, 5, none, 0, '+1C'],
    ['POOL negative counter', pool, -1, none, 0, '+1C'],
    ['POOL skips a busy id', pool, 1, new Set(['+1B']), 1, '+1C'],
    ['POOL wraps past busy ids', pool, 1, new Set(['+1B', '+1C']), 1, '+1A'],
    ['POOL skips an id at its count cap', pool, 0, new Map([['+1A', 2], ['+1B', 1]]), 2, '+1B'],
    ['POOL with no per-id cap ignores counts', pool, 0, new Map([['+1A', 50]]), 0, '+1A'],
    ['POOL all busy', pool, 0, new Set(['+1A', '+1B', '+1C']), 1, undefined],
    ['empty POOL', { ...pool, phoneNumberPool: [] }, 0, none, 0, undefined],
  ])('%s', (_name, settings, counter, inFlight, cap, expected) => {
    expect(pickCallerId(settings, counter, inFlight, cap)).toBe(expected);
  });

  it('rotates evenly round the pool', () => {
    const picks = [0, 1, 2, 3, 4, 5].map((n) => pickCallerId(pool, n, none, 0));
    expect(picks).toEqual(['+1A', '+1B', '+1C', '+1A', '+1B', '+1C']);
  });
});
