import type { TransportSettings } from './fetch-rpc';

/** How to reach the service and how patient to be. */
export interface OutreachClientOptions {
  /** The server, e.g. `http://localhost:8080`; requests go to `<baseUrl>/twirp/outreach.v1.<Service>/<Method>`. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>`: a tenant's API key, or the admin key for `client.admin`. */
  apiKey: string;
  /** The deadline of each call, retries and their waits included; default 30,000 ms. */
  timeoutMs?: number;
  /** The wire encoding; default `'json'`. */
  format?: 'json' | 'protobuf';
  /** Retries after the first attempt, where safe; default 3. 0 turns retries off. */
  maxRetries?: number;
  /** The first backoff ceiling; it doubles per retry, with full jitter, up to 5 s. Default 100 ms. */
  retryBaseDelayMs?: number;
  /** Default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Default `outreach-client-ts/<version>`. */
  userAgent?: string;
}

/** Per call. */
export interface CallOptions {
  /** Aborting it ends the call with `canceled` (or `deadline_exceeded` for `AbortSignal.timeout()`). */
  signal?: AbortSignal;
  /** This call's deadline instead of the client's `timeoutMs`. */
  timeoutMs?: number;
}

/** The client's settings once checked and defaulted. */
export interface ResolvedOptions {
  readonly transport: TransportSettings;
  readonly timeoutMs: number;
  readonly format: 'json' | 'protobuf';
}

export const CLIENT_VERSION = '0.1.0';
export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_RETRIES = 3;
export const DEFAULT_RETRY_BASE_DELAY_MS = 100;
export const MAX_RETRY_DELAY_MS = 5_000;

/** Checks the options once, at construction, so that a misconfiguration fails there and not mid-call. */
export function resolveOptions(options: OutreachClientOptions): ResolvedOptions {
  const baseUrl = parseBaseUrl(options.baseUrl);
  if (typeof options.apiKey !== 'string' || options.apiKey.trim() === '') throw new TypeError('apiKey is required');
  const format = options.format ?? 'json';
  if (format !== 'json' && format !== 'protobuf') throw new TypeError(`format must be 'json' or 'protobuf', not ${String(format)}`);
  const fetchImpl = options.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') throw new TypeError('no fetch: pass options.fetch on a runtime without globalThis.fetch');
  return {
    timeoutMs: checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, 'timeoutMs'),
    format,
    transport: {
      baseUrl,
      apiKey: options.apiKey,
      userAgent: options.userAgent ?? `outreach-client-ts/${CLIENT_VERSION}`,
      fetch: fetchImpl,
      retry: {
        maxRetries: checkCount(options.maxRetries ?? DEFAULT_MAX_RETRIES, 'maxRetries'),
        baseDelayMs: checkCount(options.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS, 'retryBaseDelayMs'),
        maxDelayMs: MAX_RETRY_DELAY_MS,
      },
    },
  };
}

/** A deadline in milliseconds: positive; `Infinity` means none. */
export function checkTimeout(value: number, name: string): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0) throw new RangeError(`${name} must be a positive number of milliseconds`);
  // setTimeout fires at once for delays past 2^31-1 ms; treat those as no deadline.
  return value > 2 ** 31 - 1 ? Number.POSITIVE_INFINITY : value;
}

function checkCount(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer`);
  return value;
}

function parseBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch (e: unknown) {
    throw new TypeError(`baseUrl is not a URL: ${JSON.stringify(value)}`, { cause: e });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`baseUrl must be http or https, not ${url.protocol}`);
  if (url.search !== '' || url.hash !== '') throw new TypeError('baseUrl must not carry a query or a fragment');
  return url.href.replace(/\/+$/, '');
}
