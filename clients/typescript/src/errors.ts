/** The Twirp error codes (https://twitchtv.github.io/twirp/docs/spec_v7.html#error-codes). */
export type OutreachErrorCode =
  | 'canceled'
  | 'unknown'
  | 'invalid_argument'
  | 'malformed'
  | 'deadline_exceeded'
  | 'not_found'
  | 'bad_route'
  | 'already_exists'
  | 'permission_denied'
  | 'unauthenticated'
  | 'resource_exhausted'
  | 'failed_precondition'
  | 'aborted'
  | 'out_of_range'
  | 'unimplemented'
  | 'internal'
  | 'unavailable'
  | 'data_loss';

const CODES: ReadonlySet<string> = new Set<OutreachErrorCode>([
  'canceled',
  'unknown',
  'invalid_argument',
  'malformed',
  'deadline_exceeded',
  'not_found',
  'bad_route',
  'already_exists',
  'permission_denied',
  'unauthenticated',
  'resource_exhausted',
  'failed_precondition',
  'aborted',
  'out_of_range',
  'unimplemented',
  'internal',
  'unavailable',
  'data_loss',
]);

/** Whether `code` is one of the Twirp error codes. */
export function isOutreachErrorCode(code: unknown): code is OutreachErrorCode {
  return typeof code === 'string' && CODES.has(code);
}

/** Where an `OutreachError` came from, beyond its code. */
export interface OutreachErrorDetails {
  /** The HTTP status of the response; absent when no response arrived (network, timeout, abort). */
  readonly status?: number | undefined;
  /** The server's `X-Request-Id`, to quote when asking about a failed call. */
  readonly requestId?: string | undefined;
  readonly cause?: unknown;
}

/**
 * Every failure of a client call: a Twirp error from the server, an HTTP error from something in
 * between (mapped by status as Twirp's own clients do), or a local one — `deadline_exceeded` for
 * the call's timeout, `canceled` for the caller's `AbortSignal`, `unavailable` for a network error
 * (the underlying error is kept as `cause`).
 */
export class OutreachError extends Error {
  override readonly name = 'OutreachError';
  /** The Twirp code: switch on this, not on the message. */
  readonly code: OutreachErrorCode;
  /** The message written for a person; `meta.argument` names the field of an `invalid_argument`. */
  readonly msg: string;
  readonly meta: Readonly<Record<string, string>>;
  /** The HTTP status, or `undefined` when no response arrived. */
  readonly status: number | undefined;
  /** The server's request id (`X-Request-Id`), when a response arrived. */
  readonly requestId: string | undefined;

  constructor(code: OutreachErrorCode, msg: string, meta: Record<string, string> = {}, details: OutreachErrorDetails = {}) {
    super(msg, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.msg = msg;
    this.meta = Object.freeze({ ...meta });
    this.status = details.status;
    this.requestId = details.requestId;
  }
}

const MAX_BODY_IN_META = 1_024;

/**
 * The error a non-200 response stands for. A Twirp error body (always JSON, whatever the request's
 * format) is taken as sent; anything else came from an intermediary (a proxy, a load balancer) and
 * is mapped by HTTP status as Go's Twirp client maps it (`twirpErrorFromIntermediary`, v8.1), with
 * `meta.http_error_from_intermediary`, `meta.status_code` and `meta.body` or `meta.location`.
 */
export function errorFromResponse(status: number, body: string, headers: Headers): OutreachError {
  const requestId = headers.get('x-request-id') ?? undefined;
  const twirp = parseTwirpError(body);
  if (twirp !== undefined) return new OutreachError(twirp.code, twirp.msg, twirp.meta, { status, requestId });
  const redirect = status >= 300 && status <= 399;
  const meta: Record<string, string> = { http_error_from_intermediary: 'true', status_code: String(status) };
  if (redirect) meta['location'] = headers.get('location') ?? '';
  else meta['body'] = body.length > MAX_BODY_IN_META ? `${body.slice(0, MAX_BODY_IN_META)}…` : body;
  const msg = `error from intermediary with HTTP status code ${status}`;
  return new OutreachError(intermediaryCode(status), msg, meta, { status, requestId });
}

function intermediaryCode(status: number): OutreachErrorCode {
  if (status >= 300 && status <= 399) return 'internal';
  switch (status) {
    case 400:
      return 'internal';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'permission_denied';
    case 404:
      return 'bad_route';
    case 429:
      return 'resource_exhausted';
    case 502:
    case 503:
    case 504:
      return 'unavailable';
    default:
      return 'unknown';
  }
}

function parseTwirpError(body: string): { code: OutreachErrorCode; msg: string; meta: Record<string, string> } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { code, msg, meta } = parsed as Record<string, unknown>;
  if (typeof code !== 'string' || code === '') return undefined;
  if (!isOutreachErrorCode(code)) {
    // As Go's client: a body that names a code Twirp does not have is the server's bug.
    return { code: 'internal', msg: `invalid error code returned from the server: ${code}`, meta: { body } };
  }
  return { code, msg: typeof msg === 'string' ? msg : '', meta: stringMeta(meta) };
}

function stringMeta(meta: unknown): Record<string, string> {
  if (typeof meta !== 'object' || meta === null) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(meta)) if (typeof value === 'string') out[key] = value;
  return out;
}
