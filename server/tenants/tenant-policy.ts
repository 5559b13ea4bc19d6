/**
 * A tenant's calling policy, which holds over every campaign of the tenant: quiet hours in the
 * recipient's time and a frequency cap per number across campaigns. The domain type and its pure
 * validation (no I/O); problems are `invalid_argument` naming the wire field.
 */
import { invalidArgument } from '../errors';
import { parseTimeOfDay } from '../shared/time-of-day';

/** Most calls to one number the cap may allow per window. */
export const MAX_CALLS_PER_NUMBER = 1_000;
/** Longest frequency window, in days. */
export const MAX_FREQUENCY_WINDOW_DAYS = 365;
/** The window a tenant without a cap keeps (and the column's default). */
export const DEFAULT_FREQUENCY_WINDOW_DAYS = 1;

/** The recipient-local times between which calls may start. */
export interface QuietHours {
  /** `HH:MM:SS`: the earliest time a call may start. */
  readonly start: string;
  /** `HH:MM:SS` after `start` (`24:00:00` for the end of the day): no call starts at or after it. */
  readonly end: string;
}

/** A tenant's policy, validated. */
export interface TenantPolicy {
  readonly tenantId: string;
  /** Null: no quiet hours. */
  readonly quietHours: QuietHours | null;
  /** Whether `BypassCallingWindow` also bypasses the quiet hours. */
  readonly bypassMayOverrideQuietHours: boolean;
  /** Most calls to one number within `frequencyWindowDays`, across campaigns; 0 for no cap. */
  readonly maxCallsPerNumber: number;
  /** 1–365. */
  readonly frequencyWindowDays: number;
}

/** A policy as the client sent it; an empty quiet-hours time means "not given". */
export interface TenantPolicyInput {
  readonly tenantId: string;
  readonly quietHoursStart: string;
  readonly quietHoursEnd: string;
  readonly bypassMayOverrideQuietHours: boolean;
  readonly maxCallsPerNumber: number;
  readonly frequencyWindowDays: number;
}

/**
 * Validates a whole new policy. Quiet hours take both times or neither; `HH:MM[:SS]` becomes
 * `HH:MM:SS`. Without a cap, a window of 0 (proto3's "not given") is stored as the default day.
 * The tenant id is carried through trimmed; whether it names a tenant is the service's question.
 */
export function validateTenantPolicy(input: TenantPolicyInput): TenantPolicy {
  // Checked in wire-field order, so the problem reported is the first one a reader meets.
  const quiet = quietHours(input.quietHoursStart.trim(), input.quietHoursEnd.trim());
  const maxCallsPerNumber = wholeNumber('max_calls_per_number', input.maxCallsPerNumber, 0, MAX_CALLS_PER_NUMBER);
  const windowGiven = !(maxCallsPerNumber === 0 && input.frequencyWindowDays === 0);
  return {
    tenantId: input.tenantId.trim(),
    quietHours: quiet,
    bypassMayOverrideQuietHours: input.bypassMayOverrideQuietHours,
    maxCallsPerNumber,
    frequencyWindowDays: windowGiven
      ? wholeNumber('frequency_window_days', input.frequencyWindowDays, 1, MAX_FREQUENCY_WINDOW_DAYS)
      : DEFAULT_FREQUENCY_WINDOW_DAYS,
  };
}

function quietHours(rawStart: string, rawEnd: string): QuietHours | null {
  if (rawStart === '' && rawEnd === '') return null;
  if (rawStart === '') reject('quiet_hours_start', 'is required when quiet_hours_end is given (or leave both empty)');
  if (rawEnd === '') reject('quiet_hours_end', 'is required when quiet_hours_start is given (or leave both empty)');
  const start = parseTimeOfDay(rawStart, { endOfDay: false });
  if (start === undefined) {
    reject('quiet_hours_start', `must be a time HH:MM or HH:MM:SS from 00:00 to 23:59:59; got "${clip(rawStart)}"`);
  }
  const end = parseTimeOfDay(rawEnd, { endOfDay: true });
  if (end === undefined) {
    reject('quiet_hours_end', `must be a time HH:MM or HH:MM:SS from 00:00 to 24:00; got "${clip(rawEnd)}"`);
  }
  if (end <= start) reject('quiet_hours_end', `must be after quiet_hours_start ${start}; got ${end}`);
  return { start, end };
}

function wholeNumber(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    reject(field, `must be a whole number from ${min} to ${max}; got ${value}`);
  }
  return value;
}

function clip(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}

/** Throws `invalid_argument` naming `field` (a wire name), with a message that starts with it. */
function reject(field: string, problem: string): never {
  throw invalidArgument(field, `${field} ${problem}`);
}
