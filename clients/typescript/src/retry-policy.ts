import type { OutreachError } from './errors';

/** How many times and how patiently a call is retried. */
export interface RetrySettings {
  readonly maxRetries: number;
  readonly baseDelayMs: number;
  /** The longest single wait, server hints included. */
  readonly maxDelayMs: number;
}

/** One attempt that did not succeed, as the retry loop sees it. */
export interface FailedAttempt {
  readonly error: OutreachError;
  /** `meta.retry_after_ms`, else `Retry-After`, when the server said when to come back. */
  readonly retryAfterMs?: number | undefined;
  /**
   * True when the request certainly did not run: the connection was refused (nothing was sent),
   * or the answer was 429 (refused before any work). Such a failure is safe to retry for any method.
   */
  readonly notProcessed: boolean;
}

/**
 * Whether running `request` twice does no more than running it once. `SendMessage` and
 * `AddRecipients` create a call to a person each time unless the client gave `external_id` (on
 * every row, for `AddRecipients`), which makes a repeat a no-op on the server.
 */
export function isReplaySafe(service: string, method: string, request: object): boolean {
  if (service !== 'outreach.v1.Campaign') return true;
  if (method === 'SendMessage') return nonEmpty((request as { externalId?: unknown }).externalId);
  if (method === 'AddRecipients') {
    const rows = (request as { recipients?: unknown }).recipients;
    return Array.isArray(rows) && rows.length > 0 && rows.every((row: { externalId?: unknown }) => nonEmpty(row.externalId));
  }
  return true;
}

function nonEmpty(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}

/**
 * The wait before retry number `attempt + 1`, or `undefined` when the failure must surface.
 * Only `unavailable` (network errors included) and `resource_exhausted` are retried, and only
 * where safe: a call that is not replay-safe is retried only when it certainly did not run.
 * The wait is exponential backoff with full jitter, at least the server's hint, at most
 * `maxDelayMs`.
 */
export function retryDelayMs(
  failure: FailedAttempt,
  attempt: number,
  replaySafe: boolean,
  settings: RetrySettings,
  random: () => number = Math.random,
): number | undefined {
  if (attempt >= settings.maxRetries) return undefined;
  const { code } = failure.error;
  if (code !== 'unavailable' && code !== 'resource_exhausted') return undefined;
  if (!replaySafe && !failure.notProcessed) return undefined;
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** attempt);
  const jittered = random() * ceiling;
  return Math.min(settings.maxDelayMs, Math.max(failure.retryAfterMs ?? 0, jittered));
}

/**
 * The server's hint in milliseconds: `meta.retry_after_ms` (ours, precise), else the `Retry-After`
 * header (seconds or an HTTP date, as proxies send it).
 */
export function retryAfterMs(error: OutreachError, headers: Headers | undefined, now: number = Date.now()): number | undefined {
  const hint = error.meta['retry_after_ms'];
  const fromMeta = Number(hint);
  if (hint !== undefined && hint !== '' && Number.isFinite(fromMeta) && fromMeta >= 0) return fromMeta;
  const header = headers?.get('retry-after')?.trim();
  if (header === undefined || header === '') return undefined;
  if (/^\d+$/.test(header)) return Number(header) * 1_000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
