import { invalidArgument } from '../errors';

/** Positions are PostgreSQL bigints; a larger number never came from a token we issued. */
const MAX_POSITION = 9223372036854775807n;

/**
 * Opaque keyset page tokens: the list's kind and the position of the last row returned. Over a
 * sequence column, keyset paging returns every row that existed when paging began exactly once,
 * whatever is inserted meanwhile. The `kind` keeps one list's token from being replayed against
 * another.
 */
export function encodePageToken(kind: string, position: string): string {
  return Buffer.from(`${kind}:${position}`, 'utf8').toString('base64url');
}

/** A keyset position over a bigint sequence column (the default kind of position). */
export function isSequencePosition(position: string): boolean {
  return /^\d{1,19}$/.test(position) && BigInt(position) <= MAX_POSITION;
}

/**
 * The position a token carries; `invalid_argument` on `page_token` for anything this list did
 * not issue: another kind, a position `isPosition` refuses, or bytes that do not re-encode to the
 * same token (not UTF-8, not canonical).
 */
export function decodePageToken(
  kind: string,
  token: string,
  isPosition: (position: string) => boolean = isSequencePosition,
): string | undefined {
  if (token === '') return undefined;
  const decoded = /^[A-Za-z0-9_-]{1,1100}$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
  const position = decoded.startsWith(`${kind}:`) ? decoded.slice(kind.length + 1) : '';
  if (position === '' || encodePageToken(kind, position) !== token || !isPosition(position)) {
    throw invalidArgument('page_token', 'page_token is not a token this list returned; start again without one');
  }
  return position;
}

/** A requested page size, defaulted and capped. */
export function pageSize(requested: number, fallback = 50, max = 100): number {
  if (requested < 0) throw invalidArgument('page_size', 'page_size must not be negative');
  if (requested === 0) return fallback;
  return Math.min(requested, max);
}

/**
 * A page of rows fetched one beyond its size (the extra row tells that another page follows,
 * without a count): the first `limit` rows, and the token of the last one when more follow.
 */
export function pageOf<T>(rows: readonly T[], limit: number, tokenOf: (last: T) => string): { page: T[]; nextPageToken: string } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextPageToken: rows.length > limit && last !== undefined ? tokenOf(last) : '' };
}
