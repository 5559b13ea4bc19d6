import type { IncomingMessage, ServerResponse } from 'node:http';
import { secretsEqual } from '../auth/api-key';
import { AUTHENTICATION_REQUIRED } from '../errors';
import type { Metrics } from '../metrics/metrics';

/** What the plain-HTTP routes beside the RPCs serve. */
export interface PlainRoutesDeps {
  /** Whether the database answers; for `/readyz`. */
  readonly isReady: () => Promise<boolean>;
  /** The registry behind `GET /metrics`; without it the route is unknown. */
  readonly metrics?: Pick<Metrics, 'render' | 'contentType'>;
  /** When set, `GET /metrics` needs `Authorization: Bearer <token>`. */
  readonly metricsToken?: string;
  /** The OpenAPI document behind `GET /openapi.yaml`; without it the route is unknown. */
  readonly openApiDocument?: Buffer;
}

/**
 * `GET /healthz`, `/readyz`, `/metrics` and `/openapi.yaml`. Answers whether it handled the
 * request; anything else (another method or path) is left to the RPC router, which answers an
 * unknown route as Twirp's `bad_route`.
 */
export async function servePlainRoute(deps: PlainRoutesDeps, req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  if (req.method !== 'GET') return false;
  switch (path) {
    case '/healthz':
      writeText(res, 200, 'application/json', JSON.stringify({ status: 'ok' }));
      return true;
    case '/readyz': {
      const ready = await deps.isReady().catch(() => false);
      writeText(res, ready ? 200 : 503, 'application/json', JSON.stringify({ status: ready ? 'ok' : 'database unreachable' }));
      return true;
    }
    case '/metrics':
      if (deps.metrics === undefined) return false;
      if (deps.metricsToken !== undefined && !bearerMatches(req.headers.authorization, deps.metricsToken)) {
        writeText(res, 401, 'application/json', JSON.stringify({ code: 'unauthenticated', msg: AUTHENTICATION_REQUIRED }));
        return true;
      }
      writeText(res, 200, deps.metrics.contentType, await deps.metrics.render());
      return true;
    case '/openapi.yaml':
      if (deps.openApiDocument === undefined) return false;
      writeText(res, 200, 'application/yaml', deps.openApiDocument);
      return true;
    default:
      return false;
  }
}

/** `Bearer <token>`, compared in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match !== null && secretsEqual(match[1] ?? '', token);
}

function writeText(res: ServerResponse, status: number, contentType: string, body: string | Buffer): void {
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
}
