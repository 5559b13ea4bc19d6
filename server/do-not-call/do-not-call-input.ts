import { DateTime } from 'luxon';
import { invalidArgument } from '../errors';
import { decodePageToken, encodePageToken } from '../shared/page-token';
import { toE164 } from '../shared/phone-number';
import {
  DEFAULT_SOURCE,
  MAX_NUMBERS_PER_CHANGE,
  MAX_REASON_LENGTH,
  MAX_SOURCE_LENGTH,
  type AddNumbersInput,
  type NewSuppressions,
} from './do-not-call';

/**
 * The pure rules of the do-not-call RPCs: how numbers, source, reason, expiry and page tokens
 * are read from a request. No I/O; "now" is passed in.
 */

const FIELD = 'phone_numbers';

/**
 * Every number of a request in E.164, in request order (duplicates kept). An empty list, more than
 * `max` numbers, or any invalid number refuses the request; the error names `phone_numbers[i]`.
 */
export function normaliseNumbers(raw: readonly string[], max: number): string[] {
  if (raw.length === 0 || raw.length > max) {
    throw invalidArgument(FIELD, `${FIELD} must hold 1 to ${max.toLocaleString('en-US')} numbers; it holds ${raw.length}`);
  }
  return raw.map((value, i) => {
    const e164 = toE164(value);
    if (e164 === undefined) {
      throw invalidArgument(`${FIELD}[${i}]`, `${FIELD}[${i}] is not a valid phone number: ${JSON.stringify(clip(value))}`);
    }
    return e164;
  });
}

/** Numbers without repeats, in order of first appearance. */
export function distinctNumbers(numbers: readonly string[]): string[] {
  return [...new Set(numbers)];
}

/** AddNumbers validated against `now`: distinct E.164 numbers, source, reason and expiry. */
export function validateAddNumbers(input: AddNumbersInput, now: Date): NewSuppressions {
  return {
    phoneNumbers: distinctNumbers(normaliseNumbers(input.phoneNumbers, MAX_NUMBERS_PER_CHANGE)),
    source: boundedText('source', input.source.trim(), MAX_SOURCE_LENGTH) || DEFAULT_SOURCE,
    reason: boundedText('reason', input.reason, MAX_REASON_LENGTH),
    expiresAt: parseExpiresAt(input.expiresAt, now),
  };
}

/** RFC 3339 date-time; the offset (`Z` or `±HH:MM`) is required so the instant is unambiguous. */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** An optional expiry: empty means never; otherwise an RFC 3339 instant strictly after `now`. */
export function parseExpiresAt(value: string, now: Date): Date | null {
  if (value === '') return null;
  // RFC 3339 allows a lower-case `t` and `z`; luxon reads only the upper-case forms.
  const upper = value.trim().toUpperCase();
  const parsed = RFC3339.test(upper) ? DateTime.fromISO(upper, { setZone: true }) : undefined;
  if (parsed === undefined || !parsed.isValid) {
    throw invalidArgument(
      'expires_at',
      `expires_at must be an RFC 3339 time with an offset, like 2030-01-31T18:00:00Z or 2030-01-31T23:30:00+05:30; got ${JSON.stringify(clip(value))}`,
    );
  }
  const expiresAt = parsed.toJSDate();
  if (expiresAt.getTime() <= now.getTime()) {
    throw invalidArgument('expires_at', `expires_at must be in the future; it is ${expiresAt.toISOString()}`);
  }
  return expiresAt;
}

/** Free text of at most `max` characters (code points), without NUL, which PostgreSQL refuses. */
function boundedText(field: string, value: string, max: number): string {
  const length = [...value].length;
  if (length > max) throw invalidArgument(field, `${field} must be at most ${max} characters; it has ${length}`);
  if (value.includes('\u0000')) throw invalidArgument(field, `${field} must not contain NUL characters`);
  return value;
}

const TOKEN_KIND = 'dnc';
const E164_POSITION = /^\+[1-9][0-9]{1,14}$/;

/** The token of a list page that ends at `phoneNumber`. */
export function encodeListToken(phoneNumber: string): string {
  return encodePageToken(TOKEN_KIND, phoneNumber);
}

/** The number a token resumes after; undefined for ''; `invalid_argument` on `page_token` otherwise. */
export function decodeListToken(token: string): string | undefined {
  return decodePageToken(TOKEN_KIND, token, (position) => E164_POSITION.test(position));
}

/** Enough of a refused value to recognise it, never a whole payload echoed back. */
function clip(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value;
}
