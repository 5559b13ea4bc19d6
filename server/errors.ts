import { types } from 'node:util';
import { TwirpError, TwirpErrorCode } from 'twirp-ts';

/**
 * The failures the domain reports on purpose. Each maps to one Twirp code; anything else that is
 * thrown is a bug or an outage and reaches a client only as a generic `internal`/`unavailable`.
 */
export type DomainErrorKind =
  | 'invalid_argument'
  | 'not_found'
  | 'already_exists'
  | 'failed_precondition'
  | 'unauthenticated'
  | 'permission_denied'
  | 'resource_exhausted'
  | 'unavailable';

/** An expected failure, with a message written for the person who called the API. */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly meta: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** A request field that is missing or wrong; `field` is its wire (snake_case) name. */
export function invalidArgument(field: string, message: string): DomainError {
  return new DomainError('invalid_argument', message, { argument: field });
}

export function notFound(message: string): DomainError {
  return new DomainError('not_found', message);
}

export function alreadyExists(message: string, meta: Record<string, string> = {}): DomainError {
  return new DomainError('already_exists', message, meta);
}

export function failedPrecondition(message: string, meta: Record<string, string> = {}): DomainError {
  return new DomainError('failed_precondition', message, meta);
}

/** The exact body DESIGN.md fixes for every authentication failure. */
/** Too many requests: `meta.retry_after_ms` says when to try again. */
export function resourceExhausted(message: string, retryAfterMs: number): DomainError {
  return new DomainError('resource_exhausted', message, { retry_after_ms: String(retryAfterMs) });
}

export const AUTHENTICATION_REQUIRED = 'Authentication required';

export function unauthenticated(): DomainError {
  return new DomainError('unauthenticated', AUTHENTICATION_REQUIRED);
}

/** Turns whatever was thrown into an `Error`, for logging. */
export function coerceError(e: unknown): Error {
  if (isError(e)) return e;
  return new Error(typeof e === 'string' ? e : `non-error thrown: ${safeStringify(e)}`);
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** What a client may see of an error, and whether the cause must be logged as a fault. */
export interface PublicError {
  readonly twirp: TwirpError;
  /** True when the error was not an expected one: log it with its cause. */
  readonly unexpected: boolean;
}

/**
 * The one place errors become Twirp errors. Domain errors keep their message and meta; Twirp
 * errors raised by the framework keep theirs minus `cause` (it can carry parser internals); a
 * lost database answers `unavailable`; everything else is a generic `internal`.
 */
export function toPublicError(e: unknown): PublicError {
  if (e instanceof DomainError) {
    return { twirp: withMeta(new TwirpError(twirpCode(e.kind), e.message), e.meta), unexpected: false };
  }
  if (e instanceof TwirpError) {
    const meta = { ...e.meta };
    delete meta.cause;
    const internal = e.code === TwirpErrorCode.Internal || e.code === TwirpErrorCode.Unknown;
    if (internal) return { twirp: new TwirpError(TwirpErrorCode.Internal, 'internal error'), unexpected: true };
    return { twirp: withMeta(new TwirpError(e.code, e.msg), meta), unexpected: false };
  }
  if (isDatabaseUnavailable(e)) {
    return {
      twirp: new TwirpError(TwirpErrorCode.Unavailable, 'the service is temporarily unavailable; retry shortly'),
      unexpected: true,
    };
  }
  return { twirp: new TwirpError(TwirpErrorCode.Internal, 'internal error'), unexpected: true };
}

function twirpCode(kind: DomainErrorKind): TwirpErrorCode {
  switch (kind) {
    case 'invalid_argument':
      return TwirpErrorCode.InvalidArgument;
    case 'not_found':
      return TwirpErrorCode.NotFound;
    case 'already_exists':
      return TwirpErrorCode.AlreadyExists;
    case 'failed_precondition':
      return TwirpErrorCode.FailedPrecondition;
    case 'unauthenticated':
      return TwirpErrorCode.Unauthenticated;
    case 'permission_denied':
      return TwirpErrorCode.PermissionDenied;
    case 'resource_exhausted':
      return TwirpErrorCode.ResourceExhausted;
    case 'unavailable':
      return TwirpErrorCode.Unavailable;
  }
}

function withMeta(error: TwirpError, meta: Readonly<Record<string, string>>): TwirpError {
  for (const [key, value] of Object.entries(meta)) error.withMeta(key, value);
  return error;
}

/** Connection-level failures (refused, reset, timed out, server shutting down). */
const UNAVAILABLE_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
/**
 * SQLSTATE class 08 (connection exception), 57P0x (operator intervention: shutdown) and 57014 (a
 * statement cancelled by its timeout: the database is overloaded, and the request may be retried).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-4]|57014)$/;

/**
 * `instanceof Error` alone misses errors made in another realm (Node's own socket errors seen from
 * a jest sandbox, a vm context), which would then lose their classification and their stack.
 */
function isError(e: unknown): e is Error {
  return e instanceof Error || types.isNativeError(e);
}

function isDatabaseUnavailable(e: unknown): boolean {
  if (!isError(e)) return false;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_ERRNOS.has(code) || UNAVAILABLE_SQLSTATE.test(code))) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(
    e.message,
  );
}
