import { DateTime } from 'luxon';
import type { RetryScenario } from '../campaigns/campaign';
import {
  decideAfterOutcome,
  startOfNextLocalDay,
  type CallOutcome,
  type NextOpening,
  type OutcomeDecision,
  type OutcomeInput,
  type RetrySettings,
} from './outcome-rules';

const NY = 'America/New_York';
/** Wednesday 2026-03-04, 10:00 in New York. */
const NOW = new Date('2026-03-04T15:00:00Z');
const at = (iso: string): Date => new Date(iso);
const plusMinutes = (date: Date, minutes: number): Date => new Date(date.getTime() + minutes * 60_000);

const ALWAYS_OPEN: NextOpening = (after) => after;
const NEVER_OPEN: NextOpening = () => undefined;

/** A window open every day from `startHour` to `endHour` local time (end excluded), DST-aware. */
function dailyWindow(zone: string, startHour: number, endHour: number): NextOpening {
  return (after) => {
    const local = DateTime.fromJSDate(after, { zone });
    for (let day = 0; day < 8; day += 1) {
      const date = local.startOf('day').plus({ days: day });
      const opens = date.set({ hour: startHour });
      const closes = date.set({ hour: endHour });
      if (after < closes.toJSDate()) return new Date(Math.max(after.getTime(), opens.toMillis()));
    }
    return undefined;
  };
}

const SETTINGS: RetrySettings = {
  maxCallAttempts: 3,
  maxDailyAttempts: 0,
  minGapMinutes: 30,
  retryScenarios: ['BUSY', 'NO_ANSWER', 'FAILED', 'VOICEMAIL'],
  retryDelays: {},
  considerVoicemailAsAnswered: false,
};

function decide(
  overrides: Partial<Omit<OutcomeInput, 'settings'>> = {},
  settings: Partial<RetrySettings> = {},
): OutcomeDecision {
  return decideAfterOutcome({
    settings: { ...SETTINGS, ...settings },
    outcome: 'BUSY',
    attemptCount: 1,
    attemptsToday: 1,
    lastAttemptAt: plusMinutes(NOW, -1),
    now: NOW,
    zone: NY,
    nextOpening: ALWAYS_OPEN,
    ...overrides,
  });
}

const retry = (when: Date, disposition: RetryScenario, reason = 'retry_scheduled'): OutcomeDecision =>
  ({ kind: 'retry', at: when, disposition, reason }) as OutcomeDecision;
const fail = (disposition: string, reason: string, addToDoNotCall = false): OutcomeDecision =>
  ({ kind: 'fail', disposition, reason, addToDoNotCall }) as OutcomeDecision;

describe('decideAfterOutcome: success and failure', () => {
  it.each<[string, CallOutcome, Partial<RetrySettings>, OutcomeDecision]>([
    ['COMPLETED succeeds', 'COMPLETED', {}, { kind: 'succeed', disposition: 'COMPLETED' }],
    ['COMPLETED succeeds with no retry scenarios', 'COMPLETED', { retryScenarios: [] }, { kind: 'succeed', disposition: 'COMPLETED' }],
    ['VOICEMAIL answered succeeds', 'VOICEMAIL', { considerVoicemailAsAnswered: true }, { kind: 'succeed', disposition: 'VOICEMAIL' }],
    ['VOICEMAIL not answered is retried when listed', 'VOICEMAIL', {}, retry(plusMinutes(NOW, 30), 'VOICEMAIL')],
    ['VOICEMAIL not answered, not listed, fails', 'VOICEMAIL', { retryScenarios: ['BUSY'] }, fail('VOICEMAIL', 'not_retryable')],
    ['OPTED_OUT fails and suppresses', 'OPTED_OUT', {}, fail('OPTED_OUT', 'opted_out', true)],
    ['OPTED_OUT beats voicemail-as-answered', 'OPTED_OUT', { considerVoicemailAsAnswered: true }, fail('OPTED_OUT', 'opted_out', true)],
  ])('%s', (_name, outcome, settings, expected) => {
    expect(decide({ outcome }, settings)).toEqual(expected);
  });

  it.each<RetryScenario>(['BUSY', 'NO_ANSWER', 'FAILED', 'VOICEMAIL'])('%s is retried when listed', (outcome) => {
    expect(decide({ outcome }, { retryScenarios: [outcome] })).toEqual(retry(plusMinutes(NOW, 30), outcome));
  });

  it.each<RetryScenario>(['BUSY', 'NO_ANSWER', 'FAILED', 'VOICEMAIL'])('%s fails as itself when not listed', (outcome) => {
    const others = SETTINGS.retryScenarios.filter((s) => s !== outcome);
    expect(decide({ outcome }, { retryScenarios: others })).toEqual(fail(outcome, 'not_retryable'));
  });

  it('never suppresses anything but OPTED_OUT', () => {
    for (const outcome of ['BUSY', 'NO_ANSWER', 'FAILED', 'VOICEMAIL'] as const) {
      const decision = decide({ outcome, attemptCount: 3 });
      expect(decision).toMatchObject({ kind: 'fail', addToDoNotCall: false });
    }
  });
});

describe('decideAfterOutcome: attempts', () => {
  it.each<[number, number, CallOutcome, OutcomeDecision]>([
    [1, 1, 'BUSY', fail('BUSY', 'max_attempts')],
    [1, 1, 'NO_ANSWER', fail('NO_ANSWER', 'max_attempts')],
    [2, 1, 'BUSY', retry(plusMinutes(NOW, 30), 'BUSY')],
    [2, 2, 'FAILED', fail('FAILED', 'max_attempts')],
    [11, 10, 'NO_ANSWER', retry(plusMinutes(NOW, 30), 'NO_ANSWER')],
    [11, 11, 'NO_ANSWER', fail('NO_ANSWER', 'max_attempts')],
    [11, 11, 'VOICEMAIL', fail('VOICEMAIL', 'max_attempts')],
    [11, 11, 'COMPLETED', { kind: 'succeed', disposition: 'COMPLETED' }],
    [1, 1, 'OPTED_OUT', fail('OPTED_OUT', 'opted_out', true)],
  ])('max_call_attempts %i after attempt %i, %s', (maxCallAttempts, attemptCount, outcome, expected) => {
    expect(decide({ outcome, attemptCount }, { maxCallAttempts })).toEqual(expected);
  });
});

describe('decideAfterOutcome: retry time', () => {
  it.each<[string, Partial<OutcomeInput>, Partial<RetrySettings>, OutcomeDecision]>([
    ['no delay set: the gap from now', {}, {}, retry(at('2026-03-04T15:30:00Z'), 'BUSY')],
    ['per-outcome delay beyond the gap', {}, { retryDelays: { BUSY: 45 } }, retry(at('2026-03-04T15:45:00Z'), 'BUSY')],
    [
      'no-answer waits 2 h while busy keeps the gap',
      { outcome: 'NO_ANSWER' },
      { retryDelays: { BUSY: 5, NO_ANSWER: 120 } },
      retry(at('2026-03-04T17:00:00Z'), 'NO_ANSWER'),
    ],
    [
      'a delay shorter than the gap still keeps the gap from the last attempt',
      {},
      { retryDelays: { BUSY: 5 } },
      retry(at('2026-03-04T15:29:00Z'), 'BUSY'),
    ],
    [
      'the gap counts from when the attempt started',
      { lastAttemptAt: at('2026-03-04T14:59:00Z'), now: at('2026-03-04T15:00:00Z') },
      { minGapMinutes: 60, retryDelays: { BUSY: 5 } },
      retry(at('2026-03-04T15:59:00Z'), 'BUSY'),
    ],
    [
      'another outcome\'s delay does not apply',
      { outcome: 'FAILED' },
      { retryDelays: { BUSY: 90 } },
      retry(at('2026-03-04T15:30:00Z'), 'FAILED'),
    ],
    [
      'a retry falling after hours moves to the next opening',
      { now: at('2026-03-04T22:45:00Z'), lastAttemptAt: at('2026-03-04T22:44:00Z'), nextOpening: dailyWindow(NY, 9, 18) },
      {},
      retry(at('2026-03-05T14:00:00Z'), 'BUSY'),
    ],
    ['no opening left: expired', { nextOpening: NEVER_OPEN }, {}, fail('EXPIRED', 'expired')],
  ])('%s', (_name, overrides, settings, expected) => {
    expect(decide(overrides, settings)).toEqual(expected);
  });
});

describe('decideAfterOutcome: max_daily_attempts', () => {
  const window = dailyWindow(NY, 9, 18);

  it.each<[string, string, number, number, Partial<RetrySettings>, OutcomeDecision]>([
    ['under the cap: same day', '2026-03-04T15:00:00Z', 1, 2, {}, retry(at('2026-03-04T15:30:00Z'), 'BUSY')],
    ['cap 0 means none', '2026-03-04T15:00:00Z', 9, 0, {}, retry(at('2026-03-04T15:30:00Z'), 'BUSY')],
    ['cap reached: next day opening', '2026-03-04T15:00:00Z', 2, 2, {}, retry(at('2026-03-05T14:00:00Z'), 'BUSY', 'daily_cap')],
    ['cap exceeded: next day opening', '2026-03-04T15:00:00Z', 3, 2, {}, retry(at('2026-03-05T14:00:00Z'), 'BUSY', 'daily_cap')],
    // Saturday 20:00 EST; Sunday 2026-03-08 springs forward, so 09:00 EDT is 13:00Z, not 14:00Z.
    ['cap across spring-forward', '2026-03-08T01:00:00Z', 1, 1, {}, retry(at('2026-03-08T13:00:00Z'), 'BUSY', 'daily_cap')],
    ['cap on the spring-forward day', '2026-03-08T16:00:00Z', 1, 1, {}, retry(at('2026-03-09T13:00:00Z'), 'BUSY', 'daily_cap')],
    // Saturday 20:00 EDT; Sunday 2026-11-01 falls back, so 09:00 EST is 14:00Z.
    ['cap across fall-back', '2026-11-01T00:00:00Z', 1, 1, {}, retry(at('2026-11-01T14:00:00Z'), 'BUSY', 'daily_cap')],
    [
      'a delay reaching past the next day needs no rolling',
      '2026-03-04T15:00:00Z',
      2,
      2,
      { retryDelays: { BUSY: 2880 } },
      retry(at('2026-03-06T15:00:00Z'), 'BUSY'),
    ],
  ])('%s', (_name, now, attemptsToday, maxDailyAttempts, settings, expected) => {
    const nowDate = at(now);
    const input = { now: nowDate, lastAttemptAt: plusMinutes(nowDate, -1), attemptsToday, nextOpening: window };
    expect(decide(input, { maxDailyAttempts, maxCallAttempts: 11, ...settings })).toEqual(expected);
  });

  it('counts "today" in the given zone, not in UTC', () => {
    // 03:00Z on the 5th is still 22:00 on the 4th in New York: the next day starts at 05:00Z.
    const now = at('2026-03-05T03:00:00Z');
    const decision = decide({ now, lastAttemptAt: plusMinutes(now, -1), attemptsToday: 1 }, { maxDailyAttempts: 1 });
    expect(decision).toEqual(retry(at('2026-03-05T05:00:00Z'), 'BUSY', 'daily_cap'));
  });

  it('expires when the next day has no opening', () => {
    const decision = decide({ attemptsToday: 2, nextOpening: NEVER_OPEN }, { maxDailyAttempts: 2 });
    expect(decision).toEqual(fail('EXPIRED', 'expired'));
  });
});

describe('startOfNextLocalDay', () => {
  it.each([
    ['2026-03-04T15:00:00Z', NY, '2026-03-05T05:00:00.000Z'],
    ['2026-03-07T20:00:00Z', NY, '2026-03-08T05:00:00.000Z'],
    ['2026-03-08T16:00:00Z', NY, '2026-03-09T04:00:00.000Z'],
    ['2026-11-01T12:00:00Z', NY, '2026-11-02T05:00:00.000Z'],
    ['2026-03-04T20:00:00Z', 'Asia/Kolkata', '2026-03-05T18:30:00.000Z'],
    ['2026-12-31T23:30:00Z', 'Europe/London', '2027-01-01T00:00:00.000Z'],
    // Chile springs forward at midnight: 2026-09-06 begins at 01:00 -03.
    ['2026-09-05T12:00:00Z', 'America/Santiago', '2026-09-06T04:00:00.000Z'],
  ])('after %s in %s: %s', (now, zone, expected) => {
    expect(startOfNextLocalDay(at(now), zone).toISOString()).toBe(expected);
  });

  it('refuses an unknown zone', () => {
    expect(() => startOfNextLocalDay(NOW, 'Mars/Olympus')).toThrow(RangeError);
  });
});
