/**
 * What becomes of a message once a call's outcome is known: succeed, fail, or queue a retry.
 * Pure: plain values, a given `now`, and the calling window as a function (`nextOpening`), so the
 * rules stay independent of how windows are computed and are driven by a fixed clock in tests.
 */
import { DateTime } from 'luxon';
import type { CampaignSettings, RetryScenario } from '../campaigns/campaign';
import type { Disposition } from '../messages/message';

/** What a provider can report about one call. */
export const CALL_OUTCOMES = ['COMPLETED', 'BUSY', 'NO_ANSWER', 'VOICEMAIL', 'FAILED', 'OPTED_OUT'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/**
 * The earliest allowed instant at or after `after`, or `undefined` when the window never opens
 * again (past `end_date`). Supplied by the calling-window module.
 */
export type NextOpening = (after: Date) => Date | undefined;

/** The campaign settings the retry decision reads. */
export type RetrySettings = Pick<
  CampaignSettings,
  | 'maxCallAttempts'
  | 'maxDailyAttempts'
  | 'minGapMinutes'
  | 'retryScenarios'
  | 'retryDelays'
  | 'considerVoicemailAsAnswered'
>;

/** Everything `decideAfterOutcome` needs; nothing is read from anywhere else. */
export interface OutcomeInput {
  readonly settings: RetrySettings;
  readonly outcome: CallOutcome;
  /** Calls made for this message, this one included. */
  readonly attemptCount: number;
  /** Calls made for this message on the local day (in `zone`) of `now`, this one included. */
  readonly attemptsToday: number;
  /** When this call started: the least gap to the next attempt is counted from it. */
  readonly lastAttemptAt: Date;
  readonly now: Date;
  /** IANA zone whose calendar days count for `max_daily_attempts` (the campaign's or recipient's). */
  readonly zone: string;
  readonly nextOpening: NextOpening;
}

/** Why a message ended in failure. */
export type FailReason = 'opted_out' | 'not_retryable' | 'max_attempts' | 'expired';

/** Why a retry is due when it is. */
export type RetryReason = 'retry_scheduled' | 'daily_cap';

/** The verdict on a message after one call. */
export type OutcomeDecision =
  | { readonly kind: 'succeed'; readonly disposition: 'COMPLETED' | 'VOICEMAIL' }
  | {
      readonly kind: 'fail';
      readonly disposition: Disposition;
      readonly reason: FailReason;
      /** True only for OPTED_OUT: the number goes on the tenant's do-not-call ledger at once. */
      readonly addToDoNotCall: boolean;
    }
  | {
      readonly kind: 'retry';
      readonly at: Date;
      /** The outcome of this call, kept on the queued message. */
      readonly disposition: RetryScenario;
      readonly reason: RetryReason;
    };

const MINUTE_MS = 60_000;

/**
 * Decides what happens to a message after a call ended with `outcome`.
 *
 * In order: OPTED_OUT fails and suppresses the number; COMPLETED (and VOICEMAIL when it counts as
 * answered) succeeds; an outcome outside `retry_scenarios` fails as itself; with no attempts left
 * the message fails as its last outcome (`max_attempts`); otherwise a retry is queued at
 * `max(now + delay, lastAttemptAt + minGap)` (delay: the outcome's `retry_delays` entry, else the
 * gap), rolled to the next local day when today's `max_daily_attempts` is spent, then moved to
 * the window's next opening. No opening left → fails as EXPIRED.
 */
export function decideAfterOutcome(input: OutcomeInput): OutcomeDecision {
  const { settings, outcome } = input;
  if (outcome === 'OPTED_OUT') {
    return { kind: 'fail', disposition: 'OPTED_OUT', reason: 'opted_out', addToDoNotCall: true };
  }
  if (outcome === 'COMPLETED') return { kind: 'succeed', disposition: 'COMPLETED' };
  if (outcome === 'VOICEMAIL' && settings.considerVoicemailAsAnswered) {
    return { kind: 'succeed', disposition: 'VOICEMAIL' };
  }
  if (!settings.retryScenarios.includes(outcome)) {
    return { kind: 'fail', disposition: outcome, reason: 'not_retryable', addToDoNotCall: false };
  }
  if (input.attemptCount >= settings.maxCallAttempts) {
    return { kind: 'fail', disposition: outcome, reason: 'max_attempts', addToDoNotCall: false };
  }
  return scheduleRetry(input, outcome);
}

function scheduleRetry(input: OutcomeInput, outcome: RetryScenario): OutcomeDecision {
  const { settings, now } = input;
  const delayMinutes = settings.retryDelays[outcome] ?? settings.minGapMinutes;
  const earliest = new Date(
    Math.max(
      now.getTime() + delayMinutes * MINUTE_MS,
      input.lastAttemptAt.getTime() + settings.minGapMinutes * MINUTE_MS,
    ),
  );
  const capped = dailyCapReached(settings.maxDailyAttempts, input.attemptsToday);
  const nextDay = capped ? startOfNextLocalDay(now, input.zone) : undefined;
  // A delay that already lands on a later day needs no rolling: the cap counts today only.
  const rolled = nextDay !== undefined && nextDay.getTime() > earliest.getTime();
  const at = input.nextOpening(rolled ? nextDay : earliest);
  if (at === undefined) {
    return { kind: 'fail', disposition: 'EXPIRED', reason: 'expired', addToDoNotCall: false };
  }
  return { kind: 'retry', at, disposition: outcome, reason: rolled ? 'daily_cap' : 'retry_scheduled' };
}

/** Whether `attemptsToday` has spent a daily limit; `maxDailyAttempts` 0 means no limit. */
export function dailyCapReached(maxDailyAttempts: number, attemptsToday: number): boolean {
  return maxDailyAttempts > 0 && attemptsToday >= maxDailyAttempts;
}

/**
 * The first instant of the calendar day `now` falls on in `zone`. DST-correct: where local
 * midnight does not exist the day starts at the first instant that does.
 */
export function startOfLocalDay(now: Date, zone: string): Date {
  const local = DateTime.fromJSDate(now, { zone });
  if (!local.isValid) throw new RangeError(`invalid time zone: ${zone}`);
  return local.startOf('day').toJSDate();
}

/**
 * The first instant of the calendar day after the one `now` falls on in `zone`. DST-correct:
 * a day is a calendar day (23 or 25 hours across a change), and where local midnight does not
 * exist the day starts at the first instant that does.
 */
export function startOfNextLocalDay(now: Date, zone: string): Date {
  const local = DateTime.fromJSDate(now, { zone });
  if (!local.isValid) throw new RangeError(`invalid time zone: ${zone}`);
  return local.startOf('day').plus({ days: 1 }).startOf('day').toJSDate();
}
