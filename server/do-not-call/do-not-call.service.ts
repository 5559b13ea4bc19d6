import type { Db } from '../db/database';
import type { Clock } from '../shared/clock';
import { pageOf, pageSize } from '../shared/page-token';
import {
  MAX_NUMBERS_PER_CHANGE,
  MAX_NUMBERS_PER_CHECK,
  type AddNumbersInput,
  type AddNumbersResult,
  type DoNotCallPage,
  type ListNumbersInput,
  type NumberVerdict,
} from './do-not-call';
import { decodeListToken, distinctNumbers, encodeListToken, normaliseNumbers, validateAddNumbers } from './do-not-call-input';
import {
  deleteEntries,
  findEntriesInForce,
  listEntriesInForce,
  upsertEntries,
} from './do-not-call.repository';

/**
 * A tenant's do-not-call ledger: numbers no campaign of the tenant dials. Every function is
 * scoped to one tenant; "in force" is judged at the clock's now.
 */

/**
 * Adds or refreshes up to 10,000 numbers with one source, reason and expiry. Any invalid input
 * refuses the whole request before anything is written; repeats inside the request collapse.
 */
export async function addNumbers(db: Db, clock: Clock, tenantId: string, input: AddNumbersInput): Promise<AddNumbersResult> {
  const now = clock.now();
  const entries = validateAddNumbers(input, now);
  return upsertEntries(db, tenantId, entries, now);
}

/** Removes up to 10,000 numbers; numbers not listed are ignored. Answers how many were listed. */
export async function removeNumbers(db: Db, clock: Clock, tenantId: string, phoneNumbers: readonly string[]): Promise<number> {
  const numbers = distinctNumbers(normaliseNumbers(phoneNumbers, MAX_NUMBERS_PER_CHANGE));
  return deleteEntries(db, tenantId, numbers, clock.now());
}

/** One page of the entries in force, by number, and the token of the next page. */
export async function listNumbers(db: Db, clock: Clock, tenantId: string, input: ListNumbersInput): Promise<DoNotCallPage> {
  const limit = pageSize(input.pageSize);
  const after = decodeListToken(input.pageToken);
  // One row more than the page tells whether another page follows without a count.
  const rows = await listEntriesInForce(db, tenantId, { after, limit: limit + 1, now: clock.now() });
  const { page: entries, nextPageToken } = pageOf(rows, limit, (last) => encodeListToken(last.phoneNumber));
  return { entries, nextPageToken };
}

/** A verdict for each of up to 1,000 numbers, in request order (repeats answered each time). */
export async function checkNumbers(
  db: Db,
  clock: Clock,
  tenantId: string,
  phoneNumbers: readonly string[],
): Promise<NumberVerdict[]> {
  const numbers = normaliseNumbers(phoneNumbers, MAX_NUMBERS_PER_CHECK);
  const entries = await findEntriesInForce(db, tenantId, distinctNumbers(numbers), clock.now());
  const byNumber = new Map(entries.map((e) => [e.phoneNumber, e]));
  return numbers.map((phoneNumber) => ({ phoneNumber, entry: byNumber.get(phoneNumber) }));
}
