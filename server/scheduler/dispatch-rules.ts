/**
 * What to do with a due message before dialing it, and which caller id dials it. Pure: the
 * caller measures everything (window reason at `now`, in-flight counts, recent calls) and passes
 * the calling window in as functions, so these rules never touch the database or a clock.
 */
import type { CampaignSettings, CampaignStatus } from '../campaigns/campaign';
import { dailyCapReached, startOfNextLocalDay, type NextOpening } from './outcome-rules';

/** How long a message held back by a concurrency cap waits before it is looked at again. */
export const DEFAULT_CONCURRENCY_RETRY_MS = 1_000;

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** The message facts a dispatch decision reads. */
export interface DispatchMessage {
  /** When the message is due (its schedule, or its next attempt once retried). */
  readonly scheduledAt: Date;
  readonly bypassCallingWindow: boolean;
  /** Calls already made for this message. */
  readonly attemptCount: number;
  readonly lastAttemptAt: Date | null;
  /** Calls already made on the local day (in `zone`) of `now`. */
  readonly attemptsToday: number;
}

/** Load the caller measured just before deciding. */
export interface PacingInput {
  /** Calls in flight for this campaign. */
  readonly inFlightForCampaign: number;
  /** Calls in flight, across campaigns, from the caller id this message would use. */
  readonly inFlightForCallerId: number;
  /** Most calls in flight per caller id (the carrier's limit); 0: none. */
  readonly callerIdCap: number;
  /** Calls to this number, across the tenant's campaigns, within the frequency window. */
  readonly recentCallsToNumber: number;
  /** The earliest of those calls: the window frees a slot `windowDays` after it. */
  readonly oldestRecentCallAt: Date | null;
  /** The tenant's cap, or null for none. */
  readonly frequencyCap: { readonly maxCalls: number; readonly windowDays: number } | null;
}

/** The campaign settings the dispatch decision reads. */
export type DispatchSettings = Pick<
  CampaignSettings,
  'dndAction' | 'maxCallAttempts' | 'maxDailyAttempts' | 'minGapMinutes' | 'maxConcurrentCalls'
>;

/** Everything `decideDispatch` needs. */
export interface DispatchInput {
  readonly message: DispatchMessage;
  readonly settings: DispatchSettings;
  readonly status: CampaignStatus;
  readonly now: Date;
  /** IANA zone whose calendar days count for `max_daily_attempts`. */
  readonly zone: string;
  /** Why the campaign's window refuses `now` (`outside_window`, `holiday`, …), or undefined. */
  readonly windowReason: string | undefined;
  /** Why the tenant's quiet hours refuse `now` (e.g. `quiet_hours`), or undefined. */
  readonly quietHoursReason: string | undefined;
  /** Whether quiet hours hold over `BypassCallingWindow` messages too (the tenant's policy). */
  readonly quietHoursApplyToBypass: boolean;
  /** The next instant the campaign window (and quiet hours) allow. */
  readonly nextOpening: NextOpening;
  /**
   * The next instant a bypass message may be dialed (quiet hours and date range only). Omitted:
   * a bypass message is rescheduled to the exact instant its cap or gap frees.
   */
  readonly nextBypassOpening?: NextOpening;
  readonly endDatePassed: boolean;
  readonly pacing: PacingInput;
  /** Defaults to `DEFAULT_CONCURRENCY_RETRY_MS`. */
  readonly concurrencyRetryMs?: number;
}

/** Why a message is moved to a later time. */
export type RescheduleReason = 'not_due' | 'min_gap' | 'daily_cap' | 'frequency_cap' | (string & {});

/** The verdict on a due message. */
export type DispatchDecision =
  | { readonly kind: 'dial'; readonly reason: undefined }
  | { readonly kind: 'reschedule'; readonly at: Date; readonly reason: RescheduleReason }
  | { readonly kind: 'discard'; readonly disposition: 'DISCARDED_DND'; readonly reason: string }
  | { readonly kind: 'expire'; readonly disposition: 'EXPIRED'; readonly reason: 'expired' }
  | { readonly kind: 'cancel'; readonly disposition: 'CANCELLED'; readonly reason: 'cancelled' }
  /** Attempts already spent (the limit was lowered): fail, keeping the last outcome's disposition. */
  | { readonly kind: 'fail'; readonly reason: 'max_attempts' }
  /** The campaign is not running: leave the message as it is. */
  | { readonly kind: 'hold'; readonly reason: 'campaign_not_running' }
  /** A pacing cap is full: the message stays due and is looked at again after `retryAfterMs`. */
  | { readonly kind: 'wait'; readonly reason: 'concurrency'; readonly retryAfterMs: number };

const EXPIRE: DispatchDecision = { kind: 'expire', disposition: 'EXPIRED', reason: 'expired' };

/**
 * Decides whether a due message is dialed now, and if not what becomes of it. Checked in order:
 * campaign status; end date; attempts left; `scheduledAt`; the campaign window (skipped with
 * `BypassCallingWindow`); the tenant's quiet hours (bypass too, unless the tenant allows it);
 * minimum gap; daily cap; frequency cap; then the concurrency caps, which only make it wait.
 * A window or quiet-hours refusal follows the campaign's `dnd_action`.
 */
export function decideDispatch(input: DispatchInput): DispatchDecision {
  const { message, settings, now } = input;
  const early = decideByState(input);
  if (early !== undefined) return early;
  if (message.scheduledAt.getTime() > now.getTime()) {
    return { kind: 'reschedule', at: message.scheduledAt, reason: 'not_due' };
  }
  const refusal = windowRefusal(input);
  if (refusal !== undefined) return refuseWindow(input, refusal);

  const opening = openingFor(input);
  if (message.lastAttemptAt !== null) {
    const gapEnds = message.lastAttemptAt.getTime() + settings.minGapMinutes * MINUTE_MS;
    if (gapEnds > now.getTime()) return rescheduleTo(opening, new Date(gapEnds), 'min_gap');
  }
  if (dailyCapReached(settings.maxDailyAttempts, message.attemptsToday)) {
    return rescheduleTo(opening, startOfNextLocalDay(now, input.zone), 'daily_cap');
  }
  const frees = frequencyCapFrees(input.pacing, now);
  if (frees !== undefined) return rescheduleTo(opening, frees, 'frequency_cap');
  return concurrencyWait(input) ?? { kind: 'dial', reason: undefined };
}

function decideByState(input: DispatchInput): DispatchDecision | undefined {
  switch (input.status) {
    case 'DRAFT':
    case 'PAUSED':
      return { kind: 'hold', reason: 'campaign_not_running' };
    case 'CANCELLED':
      return { kind: 'cancel', disposition: 'CANCELLED', reason: 'cancelled' };
    case 'COMPLETED':
      return EXPIRE;
    case 'RUNNING':
      break;
  }
  if (input.endDatePassed) return EXPIRE;
  if (input.message.attemptCount >= input.settings.maxCallAttempts) return { kind: 'fail', reason: 'max_attempts' };
  return undefined;
}

/** The reason `now` is refused for this message: the campaign window first, then quiet hours. */
function windowRefusal(input: DispatchInput): string | undefined {
  const bypass = input.message.bypassCallingWindow;
  if (!bypass && input.windowReason !== undefined) return input.windowReason;
  if (input.quietHoursReason !== undefined && (!bypass || input.quietHoursApplyToBypass)) {
    return input.quietHoursReason;
  }
  return undefined;
}

function refuseWindow(input: DispatchInput, reason: string): DispatchDecision {
  if (input.settings.dndAction === 'DISCARD') return { kind: 'discard', disposition: 'DISCARDED_DND', reason };
  return rescheduleTo(openingFor(input), input.now, reason);
}

/**
 * The opening function that applies to this message: the campaign window, or for a bypass
 * message only what holds over bypass (quiet hours when the tenant says so, the date range).
 */
function openingFor(input: DispatchInput): NextOpening {
  if (!input.message.bypassCallingWindow) return input.nextOpening;
  return input.nextBypassOpening ?? ((after: Date) => after);
}

function rescheduleTo(opening: NextOpening, after: Date, reason: RescheduleReason): DispatchDecision {
  const at = opening(after);
  return at === undefined ? EXPIRE : { kind: 'reschedule', at, reason };
}

/** When the rolling frequency window frees a slot, or undefined when the number is under its cap. */
function frequencyCapFrees(pacing: PacingInput, now: Date): Date | undefined {
  const cap = pacing.frequencyCap;
  if (cap === null || pacing.recentCallsToNumber < cap.maxCalls) return undefined;
  const windowMs = cap.windowDays * DAY_MS;
  const oldest = pacing.oldestRecentCallAt;
  // Unknown oldest call: the slowest the window can free a slot is a whole window from now.
  const frees = oldest === null ? now.getTime() + windowMs : oldest.getTime() + windowMs;
  return new Date(Math.max(frees, now.getTime() + 1));
}

function concurrencyWait(input: DispatchInput): DispatchDecision | undefined {
  const { pacing, settings } = input;
  const campaignFull = settings.maxConcurrentCalls > 0 && pacing.inFlightForCampaign >= settings.maxConcurrentCalls;
  const callerIdFull = pacing.callerIdCap > 0 && pacing.inFlightForCallerId >= pacing.callerIdCap;
  if (!campaignFull && !callerIdFull) return undefined;
  return { kind: 'wait', reason: 'concurrency', retryAfterMs: input.concurrencyRetryMs ?? DEFAULT_CONCURRENCY_RETRY_MS };
}

/** The caller-id settings `pickCallerId` reads. */
export type CallerIdSettings = Pick<CampaignSettings, 'dialerType' | 'phoneNumberId' | 'phoneNumberPool'>;

/**
 * The caller id for the next dial, or undefined when every candidate is at its cap (the message
 * then waits for concurrency). SINGLE uses `phoneNumberId`; POOL starts at
 * `rotationCounter mod pool size` and takes the first id below its cap, so successive counters
 * spread calls round the pool. `inFlight` is either the set of ids at their cap or per-id counts
 * of calls in flight; `cap` 0 means no per-id limit.
 */
export function pickCallerId(
  settings: CallerIdSettings,
  rotationCounter: number,
  inFlight: ReadonlySet<string> | ReadonlyMap<string, number>,
  cap: number,
): string | undefined {
  if (settings.dialerType === 'SINGLE') {
    const id = settings.phoneNumberId;
    return id !== null && isFree(id, inFlight, cap) ? id : undefined;
  }
  const pool = settings.phoneNumberPool;
  if (pool.length === 0) return undefined;
  const start = ((Math.trunc(rotationCounter) % pool.length) + pool.length) % pool.length;
  for (let i = 0; i < pool.length; i += 1) {
    const id = pool[(start + i) % pool.length];
    if (id !== undefined && isFree(id, inFlight, cap)) return id;
  }
  return undefined;
}

// A function of the module rather than a closure made per call: this runs for every claimed message.
function isFree(id: string, inFlight: ReadonlySet<string> | ReadonlyMap<string, number>, cap: number): boolean {
  if (!isCountMap(inFlight)) return !inFlight.has(id);
  return cap <= 0 || (inFlight.get(id) ?? 0) < cap;
}

function isCountMap(
  inFlight: ReadonlySet<string> | ReadonlyMap<string, number>,
): inFlight is ReadonlyMap<string, number> {
  return inFlight instanceof Map;
}
