import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceType } from '@protobuf-ts/runtime-rpc';
import { TwirpError, TwirpErrorCode, type Interceptor, type TwirpContext } from 'twirp-ts';
import type { Logger } from '../logger';
import type { TenantPrincipal } from '../tenants/tenant';
import { coerceError, toPublicError } from '../errors';
import type { RequestContext } from './request-context';

/** The package every service lives in. */
export const PACKAGE = 'outreach.v1';
/** Twirp's standard prefix, the one twirp-ts servers are set to. */
export const TWIRP_PREFIX = '/twirp';
/** The prefix of the established package-less routes: `/api/v1/Campaign/<Method>`. */
export const COMPAT_PREFIX = '/api/v1';

/** Who may call a service. */
export type RpcAuth = 'tenant' | 'admin';

/** A twirp-ts server as the router drives it: the generated routing, decoding and encoding. */
export interface RpcService {
  readonly name: string;
  readonly type: ServiceType;
  readonly auth: RpcAuth;
  readonly handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
}

/** A request matched to a service method. */
export interface RpcRoute {
  readonly service: RpcService;
  readonly method: string;
}

/**
 * Matches a path (query already stripped) in either route style to a service method. Method
 * names are matched exactly, as Twirp does.
 */
export function matchRoute(services: ReadonlyMap<string, RpcService>, path: string): RpcRoute | undefined {
  const parts = path.split('/');
  const method = parts.pop();
  const qualified = parts.pop();
  const prefix = parts.join('/');
  if (method === undefined || qualified === undefined) return undefined;
  let serviceName: string | undefined;
  if (prefix === TWIRP_PREFIX && qualified.startsWith(`${PACKAGE}.`)) serviceName = qualified.slice(PACKAGE.length + 1);
  else if (prefix === COMPAT_PREFIX) serviceName = qualified;
  const service = serviceName === undefined ? undefined : services.get(serviceName);
  if (service === undefined || !service.type.methods.some((m) => m.name === method)) return undefined;
  return { service, method };
}

/** Per-request values the HTTP layer hands to the handler, keyed by the request object. */
export interface RequestState {
  readonly requestId: string;
  readonly log: Logger;
  readonly principal?: TenantPrincipal;
}

const requestStates = new WeakMap<IncomingMessage, RequestState>();

export function attachRequestState(req: IncomingMessage, state: RequestState): void {
  requestStates.set(req, state);
}

/**
 * The outermost interceptor of every service. It completes the context (request id, logger,
 * tenant) and is the one place a handler's error becomes what the client sees: domain errors keep
 * their code and message, anything unexpected is logged with its cause and leaves as a generic
 * `internal` (or `unavailable` when the database is out of reach).
 */
export const contextAndErrorInterceptor: Interceptor<RequestContext, object, object> = async (ctx, request, next) => {
  const state = requestStates.get(ctx.req);
  if (state === undefined) throw new TwirpError(TwirpErrorCode.Internal, 'internal error');
  const full: RequestContext = { ...(ctx as TwirpContext), ...state };
  try {
    return await next(full, request);
  } catch (e: unknown) {
    const mapped = toPublicError(e);
    if (mapped.unexpected) {
      state.log.error({ err: coerceError(e), rpc: `${ctx.serviceName}.${ctx.methodName}` }, 'rpc failed');
    }
    throw mapped.twirp;
  }
};
