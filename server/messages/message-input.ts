import { DateTime, IANAZone } from 'luxon';
import { invalidArgument } from '../errors';
import { httpUrlProblem } from '../shared/http-url';
import { toE164 } from '../shared/phone-number';
import type { JsonValue } from './message';

/**
 * Validation of what clients send about contacts: pure, no I/O. Limits keep one request's rows
 * bounded whatever the body cap allows.
 */
export const LIMITS = Object.freeze({
  variables: 100,
  keyLength: 100,
  valueLength: 4096,
  stateBytes: 16 * 1024,
  externalIdLength: 200,
  languageLength: 35,
  rowsPerRequest: 10_000,
});

/** When a message should first be due, as the client put it. */
export type Schedule =
  | { readonly kind: 'now' }
  | { readonly kind: 'instant'; readonly at: Date }
  /** No offset given: read in the campaign's timezone once it is known. */
  | { readonly kind: 'local'; readonly text: string };

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?/i;
const OFFSET = /(?:Z|[+-](\d{2})(?::?(\d{2}))?)$/i;

/** Parses `ScheduledAt.Time`: `…Z` is UTC, `…+05:30` that offset, no offset the campaign's zone. */
export function parseSchedule(text: string, field: string): Schedule {
  const value = text.trim();
  if (value === '') return { kind: 'now' };
  const iso = value.length > 10 && value[10] === ' ' ? `${value.slice(0, 10)}T${value.slice(11)}` : value;
  if (!DATE_TIME.test(iso)) throw unreadableTime(field, value);
  const offset = OFFSET.exec(iso);
  if (offset !== null) {
    // luxon accepts offsets no zone has (+99:00); real ones lie within ±14:00.
    if (Number(offset[1] ?? 0) > 14 || Number(offset[2] ?? 0) > 59) throw unreadableTime(field, value);
    const parsed = DateTime.fromISO(iso, { setZone: true });
    if (!parsed.isValid) throw unreadableTime(field, value);
    return { kind: 'instant', at: parsed.toJSDate() };
  }
  if (!DateTime.fromISO(iso, { zone: 'UTC' }).isValid) throw unreadableTime(field, value);
  return { kind: 'local', text: iso };
}

/**
 * A local date-time read in an IANA zone. A time that does not exist there (a spring-forward gap)
 * moves forward by the gap; one that exists twice takes the earlier instant.
 */
export function localTimeToInstant(text: string, zone: string): Date {
  const chosen = DateTime.fromISO(text, { zone });
  const wall = chosen.toFormat(WALL);
  // luxon resolves a repeated wall time to its later instant; look for an earlier one that reads
  // the same on the wall clock (DST shifts are 30 minutes to 2 hours).
  for (const minutes of [120, 60, 30]) {
    const earlier = chosen.minus({ minutes });
    if (earlier.toFormat(WALL) === wall) return earlier.toJSDate();
  }
  return chosen.toJSDate();
}

const WALL = "yyyy-MM-dd'T'HH:mm:ss.SSS";

function unreadableTime(field: string, value: string): Error {
  return invalidArgument(
    field,
    `${field} must be an RFC 3339 date-time such as 2026-03-04T11:52:30+05:30, 2026-03-04T06:22:30Z or ` +
      `2026-03-04T11:52:30 (campaign timezone); got ${JSON.stringify(value.slice(0, 60))}`,
  );
}

/** A phone number as E.164, or `invalid_argument` naming the field. */
export function requirePhoneNumber(value: string, field: string): string {
  if (value.trim() === '') throw invalidArgument(field, `${field} is required`);
  const e164 = toE164(value);
  if (e164 === undefined) {
    throw invalidArgument(field, `${field} must be a valid phone number (E.164, "+" optional); got ${JSON.stringify(value.slice(0, 40))}`);
  }
  return e164;
}

/** A string map (variables, metadata) within the limits. */
export function checkStringMap(map: Readonly<Record<string, string>>, field: string): Record<string, string> {
  const entries = Object.entries(map);
  if (entries.length > LIMITS.variables) throw invalidArgument(field, `${field} may hold at most ${LIMITS.variables} entries`);
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > LIMITS.keyLength) {
      throw invalidArgument(field, `${field} keys must be 1 to ${LIMITS.keyLength} characters`);
    }
    if (value.length > LIMITS.valueLength) {
      throw invalidArgument(`${field}.${key}`, `${field}.${key} must be at most ${LIMITS.valueLength} characters`);
    }
  }
  return Object.fromEntries(entries);
}

/** An optional callback URL. */
export function optionalCallbackUrl(value: string, field: string): string | null {
  const url = value.trim();
  if (url === '') return null;
  const problem = httpUrlProblem(url);
  if (problem !== undefined) throw invalidArgument(field, `${field} ${problem}`);
  return url;
}

/** An optional JSON state within the size limit. */
export function checkState(state: JsonValue | undefined, field: string): JsonValue | undefined {
  if (state === undefined) return undefined;
  if (Buffer.byteLength(JSON.stringify(state)) > LIMITS.stateBytes) {
    throw invalidArgument(field, `${field} must be at most ${LIMITS.stateBytes} bytes of JSON`);
  }
  return state;
}

/** An optional short text (external id, language); empty means absent. */
export function optionalText(value: string, field: string, max: number): string | null {
  const text = value.trim();
  if (text === '') return null;
  if (text.length > max) throw invalidArgument(field, `${field} must be at most ${max} characters`);
  return text;
}

/** An optional IANA timezone. */
export function optionalZone(value: string, field: string): string | null {
  const zone = value.trim();
  if (zone === '') return null;
  if (!IANAZone.isValidZone(zone)) throw invalidArgument(field, `${field} must be an IANA timezone such as Asia/Kolkata; got ${JSON.stringify(zone.slice(0, 60))}`);
  return zone;
}
