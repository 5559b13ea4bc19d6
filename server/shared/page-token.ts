import { invalidArgument } from '../errors';

/** Positions are PostgreSQL bigints; a larger number never came from a token we issued. */
const MAX_POSITION = 9223372036854775807n;

/**
 * Opaque page tokens over a monotonically increasing sequence column. Keyset paging on that
 * column returns every row that existed when paging began exactly once, whatever is inserted
 * meanwhile. The `kind` keeps one list's token from being replayed against another.
 */
export function encodePageToken(kind: string, position: string): string {
  return Buffer.from(`${kind}:${position}`, 'utf8').toString('base64url');
}

/** The position a token carries; `invalid_argument` on `page_token` for anything else. */
export function decodePageToken(kind: string, token: string): string | undefined {
  if (token === '') return undefined;
  const decoded = /^[A-Za-z0-9_-]{1,200}$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
  const match = /^([a-z]+):(\d{1,19})$/.exec(decoded);
  if (match === null || match[1] !== kind || BigInt(match[2]!) > MAX_POSITION) {
    throw invalidArgument('page_token', 'page_token is not a token this list returned; start again without one');
  }
  return match[2];
}

/** A requested page size, defaulted and capped. */
export function pageSize(requested: number, fallback = 50, max = 100): number {
  if (requested < 0) throw invalidArgument('page_size', 'page_size must not be negative');
  if (requested === 0) return fallback;
  return Math.min(requested, max);
}
