import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { TwirpError, TwirpErrorCode, httpStatusFromErrorCode } from 'twirp-ts';
import { coerceError, resourceExhausted, toPublicError } from '../errors';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import type { TenantPrincipal } from '../tenants/tenant';
import { isBodyTooLarge, readBody } from './body';
import { encodingOf, mediaTypeOf, type RpcEncoding } from './content-type';
import { checkJsonRequest } from './json-request';
import { refuseNulCharacters } from './nul-check';
import { servePlainRoute, type PlainRoutesDeps } from './plain-routes';
import { PACKAGE, TWIRP_PREFIX, attachRequestState, matchRoute, type RpcRoute, type RpcService } from './rpc-router';

/** What the HTTP layer needs from the rest of the service; the plain routes' needs included. */
export interface HttpDeps extends PlainRoutesDeps {
  readonly services: readonly RpcService[];
  readonly log: Logger;
  readonly maxBodyBytes: number;
  readonly authenticateTenant: (authorization: string | undefined) => Promise<TenantPrincipal>;
  readonly authenticateAdmin: (authorization: string | undefined) => Promise<void>;
  /** Counts every RPC by method and code, and `GET /metrics` renders it. */
  readonly metrics?: Pick<Metrics, 'observeRpc' | 'render' | 'contentType'>;
  /** Takes a request from an API key's allowance: 0, or the milliseconds until it has one; absent when there is no limit. */
  readonly rateLimit?: (keyId: string) => number;
}

export const REQUEST_ID_HEADER = 'X-Request-Id';
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The label of an RPC whose route matched no service method, so label values stay a bounded set. */
const UNKNOWN_ROUTE = 'unknown';

/**
 * The request listener for `node:http`: the plain routes (health, metrics, OpenAPI), then both
 * Twirp route styles onto one set of twirp-ts servers, with what twirp-ts leaves open handled here
 * — Content-Type parameters, the body cap, query strings, empty bodies, and errors that must not
 * carry internals. Every RPC is counted in `metrics` by service, method and code.
 */
export function createRequestListener(deps: HttpDeps): RequestListener {
  const services = new Map(deps.services.map((s) => [s.name, s]));
  return (req, res) => {
    const started = process.hrtime.bigint();
    const incomingId = req.headers['x-request-id'];
    const requestId =
      typeof incomingId === 'string' && CLIENT_REQUEST_ID.test(incomingId) ? incomingId : `req_${randomUUID()}`;
    const log = deps.log.child({ req_id: requestId });
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    res.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      log.info({ method: req.method, path, status: res.statusCode, duration_ms: Math.round(durationMs * 10) / 10 }, 'request');
    });
    handle(deps, services, req, res, path, requestId, log, started).catch((e: unknown) => {
      log.error({ err: coerceError(e) }, 'request handling failed');
      if (!res.headersSent) writeError(res, new TwirpError(TwirpErrorCode.Internal, 'internal error'));
      else res.destroy();
    });
  };
}

async function handle(
  deps: HttpDeps,
  services: ReadonlyMap<string, RpcService>,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  requestId: string,
  log: Logger,
  started: bigint,
): Promise<void> {
  if (await servePlainRoute(deps, req, res, path)) return;
  const rpc = { service: UNKNOWN_ROUTE, method: UNKNOWN_ROUTE, code: 'ok' };
  try {
    const route = matchRoute(services, path);
    if (route !== undefined) Object.assign(rpc, { service: route.service.name, method: route.method });
    if (req.method !== 'POST') throw badRoute(`unsupported method ${req.method ?? ''} (only POST is allowed)`, req, path);
    if (route === undefined) throw badRoute(`no handler for path ${JSON.stringify(path)}`, req, path);
    const encoding = encodingOf(req.headers['content-type']);
    if (encoding === undefined) {
      throw badRoute(`unexpected Content-Type: ${JSON.stringify(req.headers['content-type'] ?? '')}`, req, path);
    }
    const principal = await authenticate(deps, route, req.headers.authorization);
    const body = await readBody(req, deps.maxBodyBytes);
    // After the body is read, so the connection stays usable for the retry.
    if (principal !== undefined) refuseOverLimit(deps, principal.keyId, res);
    checkRequest(route, encoding, body);
    attachRequestState(req, { requestId, log, principal });
    rpc.code = await dispatch(route, encoding, body, req, res);
  } catch (e: unknown) {
    const mapped = toPublicError(e);
    if (mapped.unexpected) log.error({ err: coerceError(e) }, 'rpc failed');
    if (isBodyTooLarge(e)) res.setHeader('Connection', 'close');
    rpc.code = mapped.twirp.code;
    writeError(res, mapped.twirp);
  } finally {
    deps.metrics?.observeRpc(rpc.service, rpc.method, rpc.code, Number(process.hrtime.bigint() - started) / 1e9);
  }
}

async function authenticate(
  deps: HttpDeps,
  route: RpcRoute,
  authorization: string | undefined,
): Promise<TenantPrincipal | undefined> {
  if (route.service.auth === 'admin') {
    await deps.authenticateAdmin(authorization);
    return undefined;
  }
  return deps.authenticateTenant(authorization);
}

/** `resource_exhausted` (429, with `Retry-After`) when the key has used up its allowance. */
function refuseOverLimit(deps: HttpDeps, keyId: string, res: ServerResponse): void {
  const waitMs = deps.rateLimit?.(keyId) ?? 0;
  if (waitMs <= 0) return;
  res.setHeader('Retry-After', String(Math.ceil(waitMs / 1000)));
  throw resourceExhausted(`too many requests for this API key; retry in ${waitMs} ms`, waitMs);
}

/**
 * Decodes the request once ahead of twirp-ts to refuse, with the field named, what twirp-ts would
 * let through or answer vaguely: wrong JSON types, unknown enum words, NUL characters.
 */
function checkRequest(route: RpcRoute, encoding: RpcEncoding, body: Buffer): void {
  const method = route.service.type.methods.find((m) => m.name === route.method);
  if (method === undefined) return;
  let message: object;
  if (encoding === 'json') {
    if (body.toString('utf8').trim() === '') {
      throw new TwirpError(TwirpErrorCode.Malformed, 'the request body is empty; send a JSON object such as {}');
    }
    message = checkJsonRequest(method.I, body);
  } else {
    try {
      message = method.I.fromBinary(body);
    } catch {
      throw new TwirpError(TwirpErrorCode.Malformed, 'the protobuf request could not be decoded');
    }
  }
  refuseNulCharacters(method.I, message);
}

/**
 * Hands the request to the twirp-ts server and writes its answer. twirp-ts writes straight to the
 * response it is given, with any error it raised itself (a decoding failure, say) and that error's
 * `meta.cause`; so it is given a stand-in that captures status and body, and errors pass through
 * `toPublicError` before they reach the client. Answers the Twirp code written, or `ok`.
 */
async function dispatch(
  route: RpcRoute,
  encoding: RpcEncoding,
  body: Buffer,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<string> {
  const mediaType = mediaTypeOf(encoding);
  req.url = `${TWIRP_PREFIX}/${PACKAGE}.${route.service.name}/${route.method}`;
  req.headers['content-type'] = mediaType;
  (req as IncomingMessage & { rawBody?: Buffer }).rawBody = body;
  const captured = new CapturedResponse();
  await route.service.handle(req, captured as unknown as ServerResponse);
  if (captured.statusCode === 200 && captured.body !== undefined) {
    res.statusCode = 200;
    res.setHeader('Content-Type', mediaType);
    res.end(captured.body);
    return 'ok';
  }
  const error = toPublicError(parseTwirpError(captured.body)).twirp;
  writeError(res, error);
  return error.code;
}

/** The slice of `ServerResponse` twirp-ts uses, recording instead of sending. */
class CapturedResponse {
  statusCode = 200;
  headersSent = false;
  body: string | Uint8Array | undefined;

  setHeader(): this {
    return this;
  }

  end(chunk?: string | Uint8Array): this {
    this.body = chunk;
    this.headersSent = true;
    return this;
  }
}

function parseTwirpError(body: string | Uint8Array | undefined): TwirpError {
  try {
    const text = typeof body === 'string' ? body : Buffer.from(body ?? []).toString('utf8');
    return TwirpError.fromObject(JSON.parse(text) as Record<string, unknown>);
  } catch {
    return new TwirpError(TwirpErrorCode.Internal, 'internal error');
  }
}

function badRoute(message: string, req: IncomingMessage, path: string): TwirpError {
  return new TwirpError(TwirpErrorCode.BadRoute, message).withMeta('twirp_invalid_route', `${req.method ?? ''} ${path}`);
}

/** Writes a Twirp error: `{"code","msg"}`, plus `meta` only when it has entries. */
export function writeError(res: ServerResponse, error: TwirpError): void {
  const body: { code: string; msg: string; meta?: Record<string, string> } = { code: error.code, msg: error.msg };
  if (Object.keys(error.meta).length > 0) body.meta = error.meta;
  writeJson(res, httpStatusFromErrorCode(error.code), body);
}

function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
