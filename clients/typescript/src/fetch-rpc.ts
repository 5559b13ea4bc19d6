import type { CallScope } from './call-scope';
import { errorFromResponse, OutreachError } from './errors';
import { retryAfterMs, retryDelayMs, type FailedAttempt, type RetrySettings } from './retry-policy';

/** The transport interface the generated `...ClientJSON` / `...ClientProtobuf` classes call. */
export interface Rpc {
  request(
    service: string,
    method: string,
    contentType: 'application/json' | 'application/protobuf',
    data: object | Uint8Array,
  ): Promise<object | Uint8Array>;
}

/** What every call of one client shares. */
export interface TransportSettings {
  /** Without a trailing slash; requests go to `<baseUrl>/twirp/<package.Service>/<Method>`. */
  readonly baseUrl: string;
  readonly apiKey: string;
  readonly userAgent: string;
  readonly fetch: typeof fetch;
  readonly retry: RetrySettings;
}

type Attempt = { readonly ok: true; readonly data: object | Uint8Array } | { readonly ok: false; readonly failure: FailedAttempt };

/**
 * An `Rpc` for one call: POSTs over `fetch` under the call's scope (deadline and caller's signal),
 * turns every failure into an `OutreachError`, and retries what `retryDelayMs` allows.
 * `replaySafe` says whether the request may run twice (see `isReplaySafe`).
 */
export function createFetchRpc(settings: TransportSettings, scope: CallScope, replaySafe: boolean): Rpc {
  return {
    async request(service, method, contentType, data) {
      const url = `${settings.baseUrl}/twirp/${service}/${method}`;
      const body = encodeBody(data);
      for (let attempt = 0; ; attempt++) {
        const result = await attemptOnce(settings, scope, url, contentType, body);
        if (result.ok) return result.data;
        const delay = retryDelayMs(result.failure, attempt, replaySafe, settings.retry);
        // A wait that outlasts the deadline would only turn this error into deadline_exceeded.
        if (delay === undefined || delay >= scope.remainingMs()) throw result.failure.error;
        await scope.sleep(delay);
      }
    },
  };
}

/**
 * The request body, encoded once for every attempt. Bytes are copied so that their type is an
 * ArrayBuffer-backed array: TypeScript's DOM `BodyInit` refuses one that may be shared.
 */
function encodeBody(data: object | Uint8Array) {
  return data instanceof Uint8Array ? new Uint8Array(data) : JSON.stringify(data);
}

async function attemptOnce(
  settings: TransportSettings,
  scope: CallScope,
  url: string,
  contentType: 'application/json' | 'application/protobuf',
  body: ReturnType<typeof encodeBody>,
): Promise<Attempt> {
  let response: Response;
  let text: string | undefined;
  let bytes: Uint8Array | undefined;
  try {
    response = await settings.fetch(url, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        accept: contentType,
        authorization: `Bearer ${settings.apiKey}`,
        'user-agent': settings.userAgent,
      },
      body,
      signal: scope.signal,
      // A Twirp server never redirects; a 3xx is an intermediary's and is reported, not followed.
      redirect: 'manual',
    });
    if (response.status === 200 && contentType === 'application/protobuf') bytes = new Uint8Array(await response.arrayBuffer());
    else text = await response.text();
  } catch (e: unknown) {
    if (scope.abortError !== undefined) throw scope.abortError;
    return { ok: false, failure: networkFailure(e) };
  }
  if (response.status !== 200) {
    const error = errorFromResponse(response.status, text ?? '', response.headers);
    return {
      ok: false,
      failure: { error, retryAfterMs: retryAfterMs(error, response.headers), notProcessed: response.status === 429 },
    };
  }
  if (bytes !== undefined) return { ok: true, data: bytes };
  return { ok: true, data: parseJsonObject(text ?? '', response.headers) };
}

function parseJsonObject(text: string, headers: Headers): object {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e: unknown) {
    throw undecodable(headers, e);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw undecodable(headers, undefined);
  return parsed;
}

function undecodable(headers: Headers, cause: unknown): OutreachError {
  return new OutreachError('internal', 'the server answered 200 with a body that is not a JSON object', {}, {
    status: 200,
    requestId: headers.get('x-request-id') ?? undefined,
    cause,
  });
}

function networkFailure(cause: unknown): FailedAttempt {
  return {
    error: new OutreachError('unavailable', 'network error: the request to the server failed', {}, { cause }),
    notProcessed: connectionNeverOpened(cause),
  };
}

/** Failures that happen before a byte is sent: the request certainly did not run. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

function connectionNeverOpened(error: unknown): boolean {
  // fetch wraps the socket error: TypeError('fetch failed', { cause }); happy-eyeballs may give an
  // AggregateError of one error per address tried. Checked by shape, not instanceof: these errors
  // come from Node's own realm, which is not the caller's under a VM sandbox (jest).
  let current: unknown = error;
  for (let depth = 0; typeof current === 'object' && current !== null && depth < 5; depth++) {
    const { code, errors, cause } = current as { code?: unknown; errors?: unknown; cause?: unknown };
    if (Array.isArray(errors)) return errors.length > 0 && errors.every(connectionNeverOpened);
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true;
    current = cause;
  }
  return false;
}
